"""The main window's first state, shown at once on start-up while its code loads behind it.

Loading psa's models and the ticket UI takes a few hundred milliseconds; instead of a blank
wait the dispatcher sees the main window itself at once — its place, size, title and menus,
with a "Starting…" line where the table goes. When the session opens, the app fills that same
window (`MainWindow.attach`): there is no second window. A test's own window factory gets a
window of its own instead; the frame then only lends it its place and closes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QMainWindow, QWidget

from ui.main_window import GEOMETRY_KEY, MainWindow

__all__ = ["DEFAULT_SIZE", "GEOMETRY_KEY", "StartupFrame"]

DEFAULT_SIZE = (1440, 900)


class _CloseMeansQuit(QObject):
    """Closing the window before its page arrived means the user wants out."""

    def __init__(self, window: QMainWindow, on_user_close: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._on_user_close = on_user_close

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self._check)  # once the window has decided to close
        return False

    def _check(self) -> None:
        if not self._window.isVisible():
            self._on_user_close()


class StartupFrame:
    """The main window in its first state, until the app takes it over (or replaces it)."""

    def __init__(
        self,
        settings: QSettings,
        *,
        title: str,
        message: str,
        demo: bool = False,
        on_user_close: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        geometry = settings.value(GEOMETRY_KEY)
        self._restored = isinstance(geometry, QByteArray) and not geometry.isEmpty()
        self.window = MainWindow(None, settings, demo=demo, starting=message, parent=parent)
        self.window.setWindowTitle(title)
        self._guard: _CloseMeansQuit | None = _CloseMeansQuit(self.window, on_user_close)
        self.window.installEventFilter(self._guard)

    def show(self) -> None:
        """Show the window."""
        self.window.show()

    def take(self) -> MainWindow:
        """The window, now the app's main window: closing it is no longer "quit while starting"."""
        self._drop_guard()
        return self.window

    def place(self, window: QWidget) -> None:
        """Open ``window`` where the frame is, unless it has a saved place of its own."""
        if not self._restored:
            window.setGeometry(self.window.geometry())

    def dismiss(self) -> None:
        """Close for good (a window of a test's factory is up, or a dialog comes instead)."""
        self._drop_guard()
        self.window.close()
        self.window.deleteLater()

    def _drop_guard(self) -> None:
        guard, self._guard = self._guard, None
        if guard is not None:
            self.window.removeEventFilter(guard)
            guard.deleteLater()
