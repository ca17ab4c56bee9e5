"""Small Qt glue the wiring needs: quit on close, wait for a paint, find the File menu."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from app.runner import AppRunner


class QuitOnClose(QObject):
    """The user closing the main window quits (until the tray issue adds hide-to-tray).

    A window the app closes itself (switching or forgetting a connection) is no longer the
    current one by then, and does not quit.
    """

    def __init__(
        self, window: QMainWindow, runner: AppRunner, is_current: Callable[[], bool]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._is_current = is_current

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Look at the window once it has handled a Close."""
        if event.type() == QEvent.Type.Close:
            # The window may still refuse the close; look once it has decided.
            QTimer.singleShot(0, self._check)
        return False

    def _check(self) -> None:
        if self._is_current() and not self._window.isVisible():
            self._runner.request_quit(0)


class _PaintWatch(QObject):
    def __init__(self, widget: QWidget, done: asyncio.Future[None]) -> None:
        super().__init__(widget)
        self._done = done

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self._done.done():
            self._done.set_result(None)
        return False


async def await_paint(widget: QWidget, timeout: float = 0.5) -> None:
    """Wait (briefly) until ``widget`` has painted once after being shown."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    watch = _PaintWatch(widget, done)
    widget.installEventFilter(watch)
    try:
        await asyncio.wait_for(asyncio.shield(done), timeout)
    except TimeoutError:
        pass  # a platform that never paints (or a hidden widget) must not stall start-up
    finally:
        widget.removeEventFilter(watch)
        watch.deleteLater()


def file_menu_of(window: QMainWindow) -> QMenu:
    """The window's File menu: its ``file_menu`` attribute, the menu named File, or a new one."""
    menu = getattr(window, "file_menu", None)
    if isinstance(menu, QMenu):
        return menu
    for action in window.menuBar().actions():
        sub = action.menu()
        if isinstance(sub, QMenu) and action.text().replace("&", "").lower() == "file":
            return sub
    return window.menuBar().addMenu("&File")


def first_action(menu: QMenu) -> QAction | None:
    """The menu's first action, to insert before (None for an empty menu)."""
    actions = menu.actions()
    return actions[0] if actions else None
