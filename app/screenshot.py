"""``--screenshot PATH``: the main window at 1440×900 once its first page is loaded and painted."""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QImageWriter
from PySide6.QtWidgets import QMainWindow

from app.runner import AppRunner
from app.session import Session

log = logging.getLogger(__name__)

SIZE = QSize(1440, 900)
FIRST_PAGE_TIMEOUT = 30.0
SETTLE_TURNS = 5
"""Event-loop turns after the first page arrives: layouts, lazy column sizing, then paint."""


class ScreenshotError(Exception):
    """Why no screenshot was written (printed for the caller, exit code non-zero)."""


async def capture(window: QMainWindow, path: Path, *, timeout: float = FIRST_PAGE_TIMEOUT,
                  open_ticket: int | None = None) -> None:
    """Size the window, wait for the first page (and ``open_ticket`` in the detail dock, every
    section loaded), let it paint, and save ``window.grab()``."""
    window.setWindowState(Qt.WindowState.WindowNoState)  # ignore saved (maximised) geometry
    window.resize(SIZE)
    await _first_page(window, timeout)
    if open_ticket is not None:
        await _ticket_loaded(window, open_ticket, timeout)
    window.resize(SIZE)
    for _ in range(SETTLE_TURNS):
        await asyncio.sleep(0.02)
    window.repaint()
    pixmap = window.grab()
    image = pixmap.toImage()
    if image.size() != SIZE:  # high-DPI: store the logical size the README and checks expect
        image = image.scaled(SIZE, mode=Qt.TransformationMode.SmoothTransformation)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QImageWriter(str(path), QByteArray(b"png"))
    if not writer.write(image):
        raise ScreenshotError(f"Could not write {path}: {writer.errorString()}")


async def _first_page(window: QMainWindow, timeout: float) -> None:
    loaded = getattr(window, "first_page_loaded", None)
    if loaded is None:
        raise ScreenshotError("The main window does not report when its first page is loaded.")
    if inspect.isawaitable(loaded):
        await asyncio.wait_for(_as_future(loaded), timeout)
        return
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def ok(*_args: Any) -> None:
        if not done.done():
            done.set_result(None)

    def failed(message: object = "") -> None:
        if not done.done():
            done.set_exception(ScreenshotError(f"Loading the first page failed: {message}"))

    loaded.connect(ok)
    failure = getattr(window, "first_page_failed", None)
    if failure is not None:
        failure.connect(failed)
    try:
        await asyncio.wait_for(done, timeout)
    except TimeoutError:
        raise ScreenshotError(f"No tickets arrived within {timeout:.0f} s.") from None


async def _ticket_loaded(window: QMainWindow, ticket_id: int, timeout: float) -> None:
    dock = getattr(window, "detail_dock", None)
    if dock is None:
        raise ScreenshotError("The main window has no ticket detail dock.")
    try:
        await asyncio.wait_for(dock.open_and_wait(ticket_id), timeout)
    except TimeoutError:
        raise ScreenshotError(f"Ticket #{ticket_id} did not load within {timeout:.0f} s.") from None
    except Exception as exc:  # ui.detail.detail_dock.DetailLoadError: the reason is its text
        raise ScreenshotError(f"Ticket #{ticket_id} could not be loaded: {exc}") from None


async def _as_future(awaitable: Any) -> None:
    try:
        await awaitable
    except ScreenshotError:
        raise
    except Exception as exc:
        raise ScreenshotError(f"Loading the first page failed: {exc}") from None


class ScreenshotJob:
    """Takes the screenshot of the first session's window, then quits with 0 or 1."""

    def __init__(self, runner: AppRunner, path: Path, *, timeout: float = FIRST_PAGE_TIMEOUT,
                 open_ticket: int | None = None):
        self._runner = runner
        self._path = path
        self._timeout = timeout
        self._open_ticket = open_ticket
        self.task: asyncio.Task[None] | None = None

    def on_session_opened(self, session: Session) -> None:
        """Start capturing the new session's window (once)."""
        if self.task is None and session.window is not None:
            self.task = asyncio.get_running_loop().create_task(self._run(session.window))

    def fail(self, message: str) -> None:
        """Report and quit non-zero."""
        log.error("Screenshot failed: %s", message)
        if sys.stderr is not None:
            print(f"dispatch-desk: screenshot failed: {message}", file=sys.stderr)
        self._runner.request_quit(1)

    async def _run(self, window: QMainWindow) -> None:
        try:
            await capture(window, self._path, timeout=self._timeout,
                          open_ticket=self._open_ticket)
        except (ScreenshotError, TimeoutError) as exc:
            self.fail(str(exc) or "timed out")
            return
        except Exception as exc:  # the UI must not hang: report any failure and exit
            log.exception("Screenshot failed")
            self.fail(f"{type(exc).__name__}: {exc}")
            return
        log.info("Screenshot written to %s", self._path)
        self._runner.request_quit(0)
