"""Wiring: start-up flow, the connection dialog and menu, and one Session per connection."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.connections import ConnectionBook
from app.demo import DemoKey, DemoSandbox, demo_credentials
from app.errors import ErrorHook
from app.new_tickets import ClaudeAccess, install_new_tickets
from app.probe import probe_connection
from app.product import APP_NAME, PRODUCT_CLIENT_ID
from app.profile import Profile, temporary_profile
from app.runner import AppRunner, Phase
from app.secrets import SecretStore
from app.session import Session, WindowFactory, default_window_factory, gated_transport
from app.settings import SavedConnection, open_settings
from app.window_glue import QuitOnClose, await_paint, file_menu_of, first_action
from ui.connection.connection_menu import ConnectionChoice, ConnectionMenu
from ui.error_notice import ErrorNotice

if TYPE_CHECKING:
    from app.startup_frame import StartupFrame
    from psa.connectwise.credentials import Credentials
    from ui.connection.connection_dialog import ConnectionDialog, ConnectionFields
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

SessionHook = Callable[[Session], None]


@dataclass
class DeskOptions:
    """What the command line asked for."""

    demo: bool = False
    demo_key: DemoKey = "sandbox"
    sandbox_url: str | None = None
    """Use a sandbox already running there instead of starting a child (tests, benchmarks)."""
    link: str | None = None
    """A ``dispatch-desk://tickets?…`` link to open in the first window."""
    view: str | None = None
    """``--view NAME``: the saved view to open in the first window."""
    open_ticket: int | None = None
    """``--open-ticket ID``: the ticket the first window's detail dock shows."""


class Desk(QObject):
    """The running app: owns the current Session and swaps it on edit/switch/forget/demo."""

    def __init__(
        self,
        *,
        runner: AppRunner,
        profile: Profile,
        settings: QSettings,
        book: ConnectionBook,
        secrets: SecretStore,
        hook: ErrorHook,
        options: DeskOptions,
        window_factory: WindowFactory | None = None,
        frame: StartupFrame | None = None,
    ) -> None:
        super().__init__()
        self._runner = runner
        self._profile = profile
        self._settings = settings
        self._book = book
        self._hook = hook
        # Quick Create's Claude key lives beside the connections' keys (the demo: in memory).
        self._claude = ClaudeAccess(secrets, settings, hook.scrubber)
        self._options = options
        self._window_factory = window_factory  # None: the real one, imported when needed
        self.notice = ErrorNotice()
        self.session: Session | None = None
        self.on_session_opened: list[SessionHook] = []
        self.dialog: ConnectionDialog | None = None
        self._menu: ConnectionMenu | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._frame = frame
        """The start-up frame main() painted, if any; closed once the main window is up."""

    # ------------------------------------------------------------------ start and stop

    async def start(self) -> None:
        """Open the demo, the saved connection, or the first-run dialog."""
        self._hook.set_presenter(self.notice.show)
        self._register_shutdown()
        if self._options.demo:
            await self._show_frame(f"{APP_NAME} — Demo (sandbox)", "Starting the demo…")
            await self.open_demo(temporary=False)
            return
        current = self._book.current()
        if current is not None:
            await self._show_frame(APP_NAME, f"Connecting to {current.label}…")
        creds = await self._book.credentials(current) if current else None
        if current is not None and creds is not None:
            try:
                await self.open_connection(creds, connection_key=current.key)
            except Exception as exc:  # e.g. a saved site that no longer parses
                from ui.connection.messages import describe_error

                log.exception("Could not open the saved connection")
                await self._close_failed_session()
                dialog = self.show_connection_dialog(prefill=current, creds=creds, first_run=True)
                dialog.show_problem(f"Could not open this connection. {describe_error(exc)}")
        else:
            self._dismiss_frame()
            self.show_connection_dialog(prefill=current, first_run=True)

    async def _close_failed_session(self) -> None:
        self._dismiss_frame()
        session, self.session = self.session, None
        if session is not None:
            await session.close()

    async def _show_frame(self, title: str, message: str) -> None:
        """Show the start-up frame (unless main() did) and let it paint before heavy imports."""
        if self._frame is not None:
            return
        from app.startup_frame import StartupFrame

        frame = StartupFrame(
            self._settings,
            title=title,
            message=message,
            demo=self._options.demo,
            on_user_close=lambda: self._runner.request_quit(0),
        )
        self._frame = frame
        frame.show()
        # Painting is queued by show(): the watch is in place in time.
        await await_paint(frame.window)

    def _dismiss_frame(self) -> None:
        frame, self._frame = self._frame, None
        if frame is not None:
            frame.dismiss()

    def _register_shutdown(self) -> None:
        shutdown = self._runner.shutdown

        def close_windows() -> None:
            self._hook.set_presenter(None)  # no error box may pop up over a closing app
            self._dismiss_frame()
            if self.dialog is not None:
                self.dialog.reject()
            if self.session is not None:
                self.session.close_window()

        async def close_http() -> None:
            # The session writes the drafts the closed windows and dialogs left queued first.
            if self.session is not None:
                await self.session.close_service()

        async def stop_sandbox() -> None:
            if self.session is not None:
                await self.session.stop_sandbox()

        shutdown.add(Phase.WINDOWS, "windows", close_windows)
        shutdown.add(Phase.HTTP, "http-client", close_http)
        shutdown.add(Phase.SANDBOX, "sandbox", stop_sandbox)

    # ------------------------------------------------------------------ sessions

    async def open_demo(self, *, temporary: bool = True) -> Session:
        """The demo: a sandbox child and a main window on it, in a throwaway profile.

        ``temporary`` is for the demo opened from inside a real run: its own temp profile, so
        nothing of it lands in the user's profile. A --demo run already has one (see main).
        """
        temp = temporary_profile().ensure() if temporary else None
        settings = open_settings(temp.settings_path) if temp else self._settings
        url = self._options.sandbox_url
        sandbox = None if url else DemoSandbox()
        gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if sandbox is None:
            gate.set_result(None)
        else:
            # Launched by this task once the window is up: a child booting meanwhile would take
            # CPU from the window's start (measured: ~2x slower on two cores).
            self._spawn(self._start_sandbox(sandbox, gate))
        creds = demo_credentials(url or (sandbox.url if sandbox else ""), self._options.demo_key)
        session = Session(
            credentials=creds, settings=settings, demo=True, sandbox=sandbox, temp_profile=temp
        )
        # The transport (and httpx2 with it) is made after the window's first paint.
        return await self._open(session, None if sandbox is None else lambda: gated_transport(gate))

    async def _start_sandbox(self, sandbox: DemoSandbox, gate: asyncio.Future[None]) -> None:
        try:
            await sandbox.start()
        except Exception as exc:
            if sandbox.stopped:
                log.info("The demo sandbox was stopped while it started (quitting)")
            else:
                log.error("The demo sandbox did not start: %s", exc)
            if not gate.done():
                gate.set_exception(exc)
                gate.exception()  # retrieved: no request may be left to wait for it
            return
        if not gate.done():
            gate.set_result(None)

    async def open_connection(self, creds: Credentials, *, connection_key: str) -> Session:
        """A main window on a real (saved) connection."""
        self._hook.scrubber.add_basic_auth(
            f"{creds.company_id}+{creds.public_key}", creds.private_key.get_secret_value()
        )
        session = Session(credentials=creds, settings=self._settings, connection_key=connection_key)
        return await self._open(session, None)

    async def _open(self, session: Session, make_transport: Callable[[], Any] | None) -> Session:
        if self.session is not None:
            old, self.session = self.session, None
            await old.close()
        self.session = session
        session.note_drafts = self._drafts_for(session)
        window: QMainWindow
        shown = self._frame if self._window_factory is None else None
        filled: MainWindow | None = None
        if shown is not None and session.settings is self._settings:
            # The start-up frame is the main window's first state: fill it, no second window.
            # It gets the session's lazy service: the page is laid out and painted before the
            # service's modules (psa.service, the client, httpx2) load; its first requests wait
            # for them and go out as soon as the service is open.
            self._frame = None
            filled = shown.take()
            session.window = filled  # closed with the session even if filling it fails
            filled.attach(session.lazy, cache=self._cache_for(session),
                          drafts=session.note_drafts)
            window = filled
        else:
            await session.open_service(make_transport() if make_transport else None)
            factory = self._window_factory or default_window_factory()
            window = factory(
                session.service, session.settings, cache=self._cache_for(session),
                demo=session.demo, drafts=session.note_drafts,
            )
        session.window = window
        self._decorate(window, session)
        # Only a stand-in action now: the launcher's code loads after the first rows.
        install_new_tickets(window, session, drafts_dir=self._drafts_dir(session),
                            claude=self._claude, spawn=self._spawn)
        if self._frame is not None:
            self._frame.place(window)
        window.show()
        self._dismiss_frame()
        self.notice.set_parent(window)
        self._open_initial_target(window)
        if filled is not None:
            await await_paint(filled.page.table.viewport())  # the filled window on screen
            await session.open_service(make_transport() if make_transport else None)
        for hook in self.on_session_opened:
            hook(session)
        return session

    def _open_initial_target(self, window: QMainWindow) -> None:
        # Only the first window: a later connection switch must not re-apply the link.
        link, view = self._options.link, self._options.view
        self._options.link = self._options.view = None
        ticket, self._options.open_ticket = self._options.open_ticket, None
        if ticket is not None and hasattr(window, "open_ticket"):
            window.open_ticket(ticket)
        if link and hasattr(window, "open_link"):
            window.open_link(link)
        elif view and hasattr(window, "open_view"):
            window.open_view(view)

    def _drafts_dir(self, session: Session) -> Path:
        base = session.temp_profile or self._profile
        # Ticket and company ids are per site: one folder of drafts per connection.
        name = "demo" if session.demo else (session.connection_key or "default")
        return base.drafts_dir / name

    def _drafts_for(self, session: Session) -> Any:
        from psa.drafts import DraftStore

        return DraftStore(self._drafts_dir(session))

    def _cache_for(self, session: Session) -> Any:
        from psa.list_cache import ListCache

        base = session.temp_profile or self._profile
        name = "demo" if session.demo else (session.connection_key or "default")
        return ListCache(base.cache_dir / f"lists-{name}.sqlite")

    # ------------------------------------------------------------------ window decoration

    def _decorate(self, window: QMainWindow, session: Session) -> None:
        if session.demo and "demo" not in window.windowTitle().lower():
            window.setWindowTitle(f"{APP_NAME} — Demo (sandbox)")
        file_menu = file_menu_of(window)
        menu = ConnectionMenu(window)
        menu.install(file_menu, before=first_action(file_menu))
        menu.edit_requested.connect(self._on_menu_edit_requested)
        menu.new_requested.connect(self._on_menu_new_requested)
        menu.switch_requested.connect(self._on_menu_switch_requested)
        menu.forget_requested.connect(self._on_menu_forget_requested)
        menu.demo_requested.connect(self._on_menu_demo_requested)
        self._menu = menu
        self._refresh_menu()
        # A refused sign-in's banner offers what File › Edit connection does (not in the demo:
        # it has no connection to edit).
        banner: Any = getattr(getattr(window, "page", None), "banner", None)
        if banner is not None and not session.demo \
                and hasattr(banner, "edit_connection_requested"):
            banner.edit_connection_requested.connect(self._on_menu_edit_requested)
            banner.offer_edit_connection(True)
        exit_action = QAction("E&xit", window)
        exit_action.setObjectName("exitAction")
        exit_action.setShortcut(QKeySequence.StandardKey.Quit)  # Ctrl+Q; none on Windows
        exit_action.triggered.connect(lambda: self._runner.request_quit(0))
        file_menu.addAction(exit_action)
        is_current = lambda: self.session is not None and self.session.window is window  # noqa: E731
        window.installEventFilter(QuitOnClose(window, self._runner, is_current))

    def _refresh_menu(self) -> None:
        if self._menu is None or self.session is None:
            return
        choices = [ConnectionChoice(c.key, c.label) for c in self._book.connections()]
        self._menu.set_connections(
            choices, current=self.session.connection_key, demo=self.session.demo
        )

    # ------------------------------------------------------------------ dialog

    def show_connection_dialog(
        self,
        *,
        prefill: SavedConnection | None = None,
        creds: Credentials | None = None,
        first_run: bool = False,
    ) -> ConnectionDialog:
        """Open the connection dialog (non-blocking: ``open()``, results via signals)."""
        from ui.connection.connection_dialog import ConnectionDialog  # it needs psa: lazily

        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        replacing = prefill
        fields = _fields(prefill, creds)

        async def save(new: Credentials) -> None:
            await self._book.save(new, replacing=replacing)

        dialog = ConnectionDialog(
            tester=probe_connection,
            saver=save,
            initial=fields,
            default_client_id=PRODUCT_CLIENT_ID,
            parent=self.session.window if self.session else None,
        )
        dialog.saved.connect(self._on_dialog_saved)
        dialog.demo_requested.connect(self._on_menu_demo_requested)
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog, first_run))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_saved(self, creds: Credentials) -> None:
        saved = SavedConnection.from_credentials(creds)
        self._spawn(self.open_connection(creds, connection_key=saved.key))

    def _on_dialog_finished(self, dialog: ConnectionDialog, first_run: bool) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        # Cancelling the first-run dialog with nothing open means there is nothing to show.
        QTimer.singleShot(0, lambda: self._quit_if_nothing_open(first_run))

    def _quit_if_nothing_open(self, first_run: bool) -> None:
        if first_run and self.session is None and self.dialog is None:
            self._runner.request_quit(0)

    # ------------------------------------------------------------------ menu slots

    def _on_menu_edit_requested(self) -> None:
        session = self.session
        if session is None or session.demo:
            return
        current = SavedConnection.from_credentials(session.credentials)
        self.show_connection_dialog(prefill=current, creds=session.credentials)

    def _on_menu_new_requested(self) -> None:
        self.show_connection_dialog()

    def _on_menu_switch_requested(self, key: str) -> None:
        self._spawn(self._switch(key))

    def _on_menu_forget_requested(self) -> None:
        self._spawn(self._forget())

    def _on_menu_demo_requested(self) -> None:
        self._spawn(self.open_demo(temporary=True))

    async def _switch(self, key: str) -> None:
        connection = next((c for c in self._book.connections() if c.key == key), None)
        if connection is None:
            return
        creds = await self._book.credentials(connection)
        if creds is None:  # the key went missing from the credential store: ask for it
            self.show_connection_dialog(prefill=connection)
            return
        self._book.switch_to(connection)
        await self.open_connection(creds, connection_key=connection.key)

    async def _forget(self) -> None:
        session = self.session
        if session is None or session.demo:
            return
        await self._book.forget(SavedConnection.from_credentials(session.credentials))
        self.session = None
        await session.close()
        self.show_connection_dialog(first_run=True)

    def _spawn(self, coro: Any) -> None:
        # Strong references until done; errors reach the global hook via the loop handler.
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._on_task_done)

    def _on_task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            task.get_loop().call_exception_handler(
                {"message": "Error in a background task", "exception": exc, "task": task}
            )


def _fields(prefill: SavedConnection | None, creds: Credentials | None) -> ConnectionFields | None:
    from ui.connection.connection_dialog import ConnectionFields

    if creds is not None:
        return ConnectionFields(
            site=creds.site,
            company_id=creds.company_id,
            public_key=creds.public_key,
            client_id=creds.client_id,
            member_identifier=creds.member_identifier,
            private_key=creds.private_key,
        )
    if prefill is not None:
        return ConnectionFields(
            site=prefill.site,
            company_id=prefill.company_id,
            public_key=prefill.public_key,
            client_id=prefill.client_id,
            member_identifier=prefill.member_identifier,
        )
    return None
