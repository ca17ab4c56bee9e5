"""One connected session: the psa service, its main window, and for the demo its sandbox."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from app.demo import DemoSandbox
from app.profile import Profile

if TYPE_CHECKING:
    import httpx2

    from psa.connectwise.credentials import Credentials

log = logging.getLogger(__name__)

WindowFactory = Callable[..., QMainWindow]
"""``(service, settings, *, cache, demo, drafts) -> window`` — ui.main_window.MainWindow's."""


def default_window_factory() -> WindowFactory:
    """ui.main_window.MainWindow, imported when first needed (it pulls in psa)."""
    from ui.main_window import MainWindow

    factory: WindowFactory = MainWindow
    return factory


def gated_transport(gate: asyncio.Future[None]) -> httpx2.AsyncBaseTransport:
    """A transport that holds requests until ``gate`` resolves.

    The demo window is built, shown and starts loading while its sandbox child is still
    starting; its requests go out once the child listens. A failed start becomes a connection
    error, which the client reports as Unreachable. (httpx2 is imported here, after the window.)
    """
    import httpx2

    class GatedTransport(httpx2.AsyncBaseTransport):
        def __init__(self) -> None:
            # Made at the first request: its import (httpcore2, anyio) is not on the start-up path.
            self._inner: httpx2.AsyncHTTPTransport | None = None

        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            try:
                await asyncio.shield(gate)
            except Exception as exc:
                raise httpx2.ConnectError(f"The demo sandbox did not start ({exc})") from None
            if self._inner is None:
                self._inner = httpx2.AsyncHTTPTransport()
            return await self._inner.handle_async_request(request)

        async def aclose(self) -> None:
            if self._inner is not None:
                await self._inner.aclose()

    return GatedTransport()


class LazyService:
    """The window's service before it exists: its async calls wait until the session opens it.

    The main window is filled (toolbar, headers, saved views) and painted before psa's service,
    client and httpx2 load; `Session.open_service` then hands over the real service and the
    calls waiting here go out at once. Once open, every attribute is the real service's.
    """

    def __init__(self) -> None:
        self._service: Any = None
        self._ready: asyncio.Future[Any] | None = None
        self._error: BaseException | None = None

    @property
    def ready(self) -> bool:
        """Whether the real service is here."""
        return self._service is not None

    def set_service(self, service: Any) -> None:
        """Hand over the real service; the waiting calls go out."""
        self._service = service
        if self._ready is not None and not self._ready.done():
            self._ready.set_result(service)

    def set_failed(self, error: BaseException) -> None:
        """The service could not be opened: waiting and later calls raise ``error``."""
        self._error = error
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(error)
            self._ready.exception()  # retrieved: no "never retrieved" warning without waiters

    async def wait(self) -> Any:
        """The real service, once open."""
        if self._service is not None:
            return self._service
        if self._error is not None:
            raise self._error
        if self._ready is None:
            self._ready = asyncio.get_running_loop().create_future()
        return await asyncio.shield(self._ready)

    @property
    def warnings(self) -> tuple[Any, ...]:
        """The service's permission warnings (none before it is open)."""
        return () if self._service is None else tuple(self._service.warnings)

    def __getattr__(self, name: str) -> Any:
        service = self.__dict__.get("_service")
        if service is not None:
            return getattr(service, name)
        if name.startswith("_") or name not in _async_calls():
            raise AttributeError(f"{name!r}: the service is not open yet")

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await getattr(await self.wait(), name)(*args, **kwargs)

        call.__name__ = name
        return call


def _async_calls() -> frozenset[str]:
    """The service's async calls the window and its dock make (from their backend protocols)."""
    global _ASYNC_CALLS  # noqa: PLW0603 (a cache of a constant, computed when first needed)
    if _ASYNC_CALLS is None:
        from ui.detail.backend import DetailBackend
        from ui.tickets.backend import TicketsBackend

        _ASYNC_CALLS = frozenset(
            name
            for protocol in (TicketsBackend, DetailBackend)
            for name, value in vars(protocol).items()
            if inspect.iscoroutinefunction(value)
        )
    return _ASYNC_CALLS


_ASYNC_CALLS: frozenset[str] | None = None


@dataclass
class Session:
    """What is open for one connection; closed in the shutdown's fixed order."""

    credentials: Credentials
    settings: QSettings
    demo: bool = False
    connection_key: str | None = None
    sandbox: DemoSandbox | None = None
    temp_profile: Profile | None = None
    """The in-app demo's throwaway profile (the --demo run's own profile is discarded by main)."""
    window: QMainWindow | None = None
    service: Any = None
    note_drafts: Any = None
    """The detail dock's psa.drafts.DraftStore (this connection's note drafts)."""
    new_tickets: Any = None
    """The window's ui.new_ticket.launcher.NewTicketLauncher (its dialogs, their drafts)."""
    lazy: LazyService = field(default_factory=LazyService)
    """What the window is given: the service once `open_service` has opened it."""
    _stack: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    async def open_service(self, transport: httpx2.AsyncBaseTransport | None = None) -> Any:
        """Enter ``psa.open_service`` for these credentials (lazily imported: psa is heavy).

        The calls waiting on `lazy` go out as soon as it is open; if it cannot be opened, they
        fail with the same error, which is raised here too.
        """
        try:
            from psa import open_service

            kwargs: dict[str, Any] = {} if transport is None else {"transport": transport}
            self.service = await self._stack.enter_async_context(
                open_service(self.credentials, **kwargs)
            )
        except Exception as exc:
            self.lazy.set_failed(exc)
            raise
        self.lazy.set_service(self.service)
        return self.service

    def close_window(self) -> None:
        """Close the New Ticket dialogs and the window, then delete it; their tasks are cancelled.

        The dialogs are closed first: deleting the window with them would skip their close
        handlers, which save their drafts (as the dock's does when the window closes).
        """
        if self.new_tickets is not None:
            self.new_tickets.close_all()
        window, self.window = self.window, None
        if window is not None:
            window.close()
            window.deleteLater()

    async def close_service(self) -> None:
        """Write every draft still queued, then close the intake engine, service and client."""
        try:
            await self.flush_drafts()
        except Exception:  # a draft that cannot be written must not keep the client open
            log.exception("Writing the drafts at close failed")
        launcher, self.new_tickets = self.new_tickets, None
        if launcher is not None:
            try:
                await launcher.intake.aclose()
            except Exception:
                log.exception("Closing the Claude client failed")
        self.service = None
        await self._stack.aclose()

    async def flush_drafts(self) -> None:
        """Wait until the note and new-ticket drafts saved so far are on disk."""
        if self.new_tickets is not None:
            await self.new_tickets.flush()
        if self.note_drafts is not None:
            await self.note_drafts.flush()

    async def stop_sandbox(self) -> None:
        """Stop the demo's sandbox child and drop an in-app demo's temp profile."""
        sandbox, self.sandbox = self.sandbox, None
        if sandbox is not None:
            await sandbox.stop()
        profile, self.temp_profile = self.temp_profile, None
        if profile is not None:
            self.settings.sync()
            profile.discard()

    async def close(self) -> None:
        """All of it, in the shutdown order (used when switching connections)."""
        self.close_window()
        await asyncio.sleep(0)  # let cancelled tasks unwind before their client closes
        await self.close_service()
        await self.stop_sandbox()
