"""Wiring: edit, switch and forget from the File menu; the demo from the dialog stays isolated."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from app.claude import CLAUDE_ACCOUNT, claude_model
from app.connections import ConnectionBook
from app.errors import ErrorHook, Scrubber
from app.profile import Profile
from app.runner import AppRunner
from app.secrets import InMemoryStore
from app.settings import ConnectionSettings, SavedConnection, open_settings
from app.window_glue import file_menu_of
from app.wiring import Desk, DeskOptions
from psa.drafts import DraftStore
from psa.form_drafts import NEW_TICKET_KEY, FormDraftStore, spin_off_key
from tests.ui.qt_harness import wait_for
from ui.connection.connection_menu import ConnectionMenu
from ui.new_ticket.claude_settings_dialog import ClaudeSettingsDialog

GUID = "5f6e1b2a-7c3d-4e8f-9a0b-1c2d3e4f5a6b"


class FakeWindow(QMainWindow):
    """The main window's constructor and File menu, without the ticket UI."""

    first_page_loaded = Signal()

    def __init__(
        self,
        service: Any,
        settings: QSettings,
        *,
        cache: Any = None,
        demo: bool = False,
        drafts: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.settings = settings
        self.demo = demo
        self.file_menu = self.menuBar().addMenu("&File")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from psa.sandbox import Sandbox, SandboxConfig

    with Sandbox(SandboxConfig(tickets=10)) as sb:
        yield sb


def saved(site: str, public: str = "sandbox-public") -> SavedConnection:
    return SavedConnection(site=site, company_id="sandbox", public_key=public, client_id=GUID)


def make_desk(
    qapp: QApplication, profile: Profile, secrets: InMemoryStore, *,
    window_factory: Any = FakeWindow, **options: Any
) -> tuple[Desk, ConnectionBook, AppRunner]:
    qapp.setQuitOnLastWindowClosed(False)
    settings = open_settings(profile.settings_path)
    book = ConnectionBook(ConnectionSettings(settings), secrets)
    runner = AppRunner(qapp)
    desk = Desk(
        runner=runner,
        profile=profile,
        settings=settings,
        book=book,
        secrets=secrets,
        hook=ErrorHook(Scrubber()),
        options=DeskOptions(**options),
        window_factory=window_factory,
    )
    return desk, book, runner


def menu_of(desk: Desk) -> ConnectionMenu:
    assert desk.session is not None and desk.session.window is not None
    menu = desk.session.window.findChild(ConnectionMenu)
    assert menu is not None
    return menu


def test_forget_removes_the_key_and_returns_to_the_first_run_dialog(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    connection = saved(sandbox.url)
    ConnectionSettings(open_settings(profile.settings_path)).save(connection)
    secrets.secrets[connection.account] = "sandbox-private"
    desk, book, runner = make_desk(qapp, profile, secrets)

    async def scenario() -> None:
        await desk.start()
        assert desk.session is not None and not desk.session.demo
        frames = [w for w in qapp.topLevelWidgets() if w.objectName() == "startupFrame"]
        assert not any(f.isVisible() for f in frames)  # the main window replaced it
        menu = menu_of(desk)
        assert menu.forget_action.isEnabled()
        menu.forget_requested.emit()  # what "Yes" in the confirmation does
        await wait_for(lambda: desk.dialog is not None)
        assert desk.session is None
        assert desk.dialog is not None and desk.dialog.site.text() == ""
        await asyncio.sleep(0.05)
        assert not runner.quit_event.is_set()  # closing the forgotten window did not quit
        await runner.shutdown.run()

    run_async(scenario())
    assert secrets.secrets == {}
    assert book.connections() == []


def test_edit_opens_the_dialog_with_the_stored_values_and_a_masked_key(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    connection = saved(sandbox.url)
    ConnectionSettings(open_settings(profile.settings_path)).save(connection)
    secrets.secrets[connection.account] = "sandbox-private"
    desk, _book, runner = make_desk(qapp, profile, secrets)

    async def scenario() -> None:
        await desk.start()
        menu_of(desk).edit_action.trigger()
        dialog = desk.dialog
        assert dialog is not None
        assert dialog.windowTitle() == "Edit connection"
        assert dialog.site.text() == sandbox.url
        assert dialog.private_key.text() == "sandbox-private"
        assert dialog.private_key.echoMode() == dialog.private_key.EchoMode.Password
        dialog.reject()
        await runner.shutdown.run()

    run_async(scenario())


def test_switching_connection_replaces_the_window_and_service(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    first, second = saved(sandbox.url), saved(sandbox.url, "restricted-public")
    settings = ConnectionSettings(open_settings(profile.settings_path))
    settings.save(second)
    settings.save(first)
    secrets.secrets[first.account] = "sandbox-private"
    secrets.secrets[second.account] = "restricted-private"
    desk, book, runner = make_desk(qapp, profile, secrets)

    async def scenario() -> None:
        await desk.start()
        assert desk.session is not None
        old_window = desk.session.window
        assert desk.session.credentials.public_key == "sandbox-public"
        menu_of(desk).switch_requested.emit(second.key)
        await wait_for(lambda: desk.session is not None and desk.session.window is not old_window)
        assert desk.session is not None
        assert desk.session.credentials.public_key == "restricted-public"
        assert old_window is not None
        assert not shiboken6.isValid(old_window) or not old_window.isVisible()
        await runner.shutdown.run()

    run_async(scenario())
    assert book.current() == second


def test_demo_from_the_first_run_dialog_uses_a_throwaway_profile(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    desk, _book, runner = make_desk(qapp, profile, secrets, sandbox_url=sandbox.url)
    before = profile.settings_path.read_bytes() if profile.settings_path.exists() else b""
    temp_dir: list[Path] = []

    async def scenario() -> None:
        await desk.start()
        dialog = desk.dialog
        assert dialog is not None
        dialog.demo_button.click()
        await wait_for(lambda: desk.session is not None and desk.session.window is not None)
        session = desk.session
        assert session is not None and session.demo and session.temp_profile is not None
        temp_dir.append(session.temp_profile.config_dir)
        window = session.window
        assert isinstance(window, FakeWindow)
        assert window.demo
        assert "demo" in window.windowTitle().lower()
        assert Path(window.settings.fileName()).parent == session.temp_profile.config_dir
        await asyncio.sleep(0)
        await runner.shutdown.run()

    run_async(scenario())
    assert secrets.secrets == {}
    assert not temp_dir[0].exists()
    after = profile.settings_path.read_bytes() if profile.settings_path.exists() else b""
    assert after == before


def test_a_saved_connection_that_cannot_open_brings_back_the_dialog(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    run_async: Callable[..., Any],
) -> None:
    connection = saved("ftp://cw.example.com")  # saved by an older version, say
    ConnectionSettings(open_settings(profile.settings_path)).save(connection)
    secrets.secrets[connection.account] = "sandbox-private"
    desk, _book, runner = make_desk(qapp, profile, secrets)

    async def scenario() -> None:
        await desk.start()
        assert desk.session is None
        dialog = desk.dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.site.text() == "ftp://cw.example.com"
        assert dialog.status.text().startswith("Could not open this connection.")
        assert "https://" in dialog.status.text()
        await runner.shutdown.run()

    run_async(scenario())


def real_window_desk(
    qapp: QApplication, profile: Profile, secrets: InMemoryStore, site: str
) -> tuple[Desk, SavedConnection, AppRunner]:
    """A Desk on a saved connection with the real main window (None: the app's own)."""
    connection = saved(site)
    ConnectionSettings(open_settings(profile.settings_path)).save(connection)
    secrets.secrets[connection.account] = "sandbox-private"
    desk, _book, runner = make_desk(qapp, profile, secrets, window_factory=None)
    return desk, connection, runner


def file_menu_texts(window: QMainWindow) -> list[str]:
    return [a.text().replace("&", "") for a in file_menu_of(window).actions() if a.text()]


def test_a_refused_sign_in_banner_opens_the_edit_connection_dialog(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    desk, connection, runner = real_window_desk(qapp, profile, secrets, sandbox.url)
    secrets.secrets[connection.account] = "a-revoked-private-key"

    async def scenario() -> None:
        await desk.start()
        session = desk.session
        assert session is not None and session.window is not None
        banner = session.window.page.banner  # type: ignore[attr-defined]
        await wait_for(lambda: banner.problem is not None)
        assert banner.problem.kind.value == "auth"
        assert banner.edit_connection.isVisible()
        banner.edit_connection.click()  # what File › Edit connection does
        dialog = desk.dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.windowTitle() == "Edit connection"
        assert dialog.site.text() == sandbox.url
        dialog.reject()
        await runner.shutdown.run()

    run_async(scenario())


def test_new_ticket_and_claude_settings_are_in_the_file_menu_and_the_key_is_kept_in_secrets(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    desk, _connection, runner = real_window_desk(qapp, profile, secrets, sandbox.url)

    async def scenario() -> None:
        await desk.start()
        session = desk.session
        assert session is not None and session.window is not None
        window = session.window
        assert file_menu_texts(window)[0] == "New ticket…"  # the stand-in, until rows are in
        await wait_for(lambda: session.new_tickets is not None)
        texts = file_menu_texts(window)
        assert texts[0] == "New ticket…"
        assert texts.count("New ticket…") == 1
        assert texts[-2:] == ["Claude for Quick Create…", "Exit"]
        launcher = session.new_tickets
        assert launcher is not None and not launcher.intake.claude_available
        action = window.findChild(QAction, "claudeSettingsAction")
        assert action is not None
        action.trigger()
        await wait_for(lambda: window.findChild(ClaudeSettingsDialog) is not None)
        dialog = window.findChild(ClaudeSettingsDialog)
        assert dialog is not None and dialog.isVisible()
        dialog.key.setText("sk-ant-test-key")
        dialog.model.setText("claude-sonnet-5")
        dialog.submit()
        await wait_for(lambda: launcher.intake.claude_available)
        assert claude_model(desk._settings) == "claude-sonnet-5"
        await runner.shutdown.run()

    run_async(scenario())
    assert secrets.secrets[CLAUDE_ACCOUNT] == "sk-ant-test-key"
    assert "sk-ant-test-key" not in profile.settings_path.read_text(encoding="utf-8")


def test_the_demo_has_new_ticket_but_no_claude_settings_and_reads_no_claude_key(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    secrets.secrets[CLAUDE_ACCOUNT] = "sk-ant-not-for-the-demo"
    desk, _book, runner = make_desk(qapp, profile, secrets, window_factory=None,
                                    demo=True, sandbox_url=sandbox.url)

    async def scenario() -> None:
        await desk.start()
        session = desk.session
        assert session is not None and session.demo and session.window is not None
        texts = file_menu_texts(session.window)
        assert "New ticket…" in texts
        assert not any("Claude" in text for text in texts)
        await wait_for(lambda: session.new_tickets is not None)
        assert not session.new_tickets.intake.claude_available
        await runner.shutdown.run()

    run_async(scenario())


def test_ctrl_n_before_the_new_ticket_code_is_loaded_opens_the_dialog_once_it_is(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    desk, _connection, runner = real_window_desk(qapp, profile, secrets, sandbox.url)

    async def scenario() -> None:
        await desk.start()
        session = desk.session
        assert session is not None and session.window is not None
        window = session.window
        assert session.new_tickets is None  # loaded after the first rows, not at start-up
        stand_in = window.findChild(QAction, "newTicketStandIn")
        assert stand_in is not None
        stand_in.trigger()
        await wait_for(lambda: session.new_tickets is not None
                       and NEW_TICKET_KEY in session.new_tickets.dialogs)
        assert session.new_tickets.dialogs[NEW_TICKET_KEY].isVisible()
        assert file_menu_texts(window).count("New ticket…") == 1
        await runner.shutdown.run()

    run_async(scenario())


def test_spin_off_before_the_new_ticket_code_is_loaded_opens_the_dialog_once_it_is(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    desk, _connection, runner = real_window_desk(qapp, profile, secrets, sandbox.url)

    async def scenario() -> None:
        await desk.start()
        session = desk.session
        assert session is not None and session.window is not None
        window = session.window
        assert session.new_tickets is None  # loaded after the first rows, not at start-up
        ticket_id = sandbox.store.records("tickets")[0]["id"]
        window.detail_dock.spin_off_requested.emit(ticket_id)
        await wait_for(lambda: session.new_tickets is not None
                       and spin_off_key(ticket_id) in session.new_tickets.dialogs)
        assert session.new_tickets.dialogs[spin_off_key(ticket_id)].isVisible()
        await runner.shutdown.run()

    run_async(scenario())


def test_shutdown_writes_the_note_and_new_ticket_drafts_into_the_connections_folder(
    qapp: QApplication,
    profile: Profile,
    secrets: InMemoryStore,
    sandbox: Any,
    run_async: Callable[..., Any],
) -> None:
    desk, connection, runner = real_window_desk(qapp, profile, secrets, sandbox.url)
    with sandbox.store.lock:
        ticket_id = next(t["id"] for t in sandbox.store.records("tickets")
                         if not t.get("closedFlag"))

    async def scenario() -> None:
        await desk.start()
        session = desk.session
        assert session is not None
        await wait_for(lambda: session.new_tickets is not None)
        window: Any = session.window
        dock = window.detail_dock
        dock.show_ticket(ticket_id)
        await wait_for(lambda: dock.panel.complete)
        dock.panel.editor.text.setPlainText("Called the customer, no answer")
        window.new_ticket_action.trigger()
        dialog = session.new_tickets.dialogs[NEW_TICKET_KEY]
        await wait_for(lambda: dialog.pending() == 0)
        dialog.form.summary.setText("Wi-Fi drops in the warehouse")
        await runner.shutdown.run()  # at once: neither draft's own save timer has fired

    run_async(scenario())
    folder = profile.drafts_dir / connection.key
    note = DraftStore(folder).path_for(ticket_id)
    assert note is not None and "Called the customer" in note.read_text(encoding="utf-8")
    new_ticket = FormDraftStore(folder).path_for(NEW_TICKET_KEY)
    assert "Wi-Fi drops in the warehouse" in new_ticket.read_text(encoding="utf-8")
