"""The window frame shown at once on start-up, while the main window's code loads behind it.

Loading psa's models and the ticket UI takes a few hundred milliseconds; instead of a blank
wait the dispatcher sees a window at the main window's place, size and title at once. The main
window then opens over it, and the frame closes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget
from typing_extensions import override

GEOMETRY_KEY = "main/geometry"
"""Where ui.main_window.MainWindow keeps its geometry: the frame opens in the same place."""
DEFAULT_SIZE = (1440, 900)


class StartupFrame(QMainWindow):
    """An empty main-window frame with the app's title, menus and a loading line."""

    def __init__(
        self,
        settings: QSettings,
        *,
        title: str,
        message: str,
        on_user_close: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("startupFrame")
        self.setWindowTitle(title)
        self._on_user_close = on_user_close
        self._replaced = False
        for name in ("&File", "&View", "&Views"):  # the main window's menus, inert for now
            self.menuBar().addMenu(name).setEnabled(False)
        label = QLabel(message, self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName("Starting")
        label.setEnabled(False)  # drawn in the muted text colour
        self.setCentralWidget(label)
        self.statusBar().showMessage(message)
        geometry = settings.value(GEOMETRY_KEY)
        self._restored = isinstance(geometry, QByteArray) and not geometry.isEmpty()
        if isinstance(geometry, QByteArray) and self._restored:
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)

    def place(self, window: QWidget) -> None:
        """Open ``window`` where the frame is, unless it has a saved place of its own."""
        if not self._restored:
            window.setGeometry(self.geometry())

    def dismiss(self) -> None:
        """Close for good (the main window is up, or something else is shown instead)."""
        self._replaced = True
        self.close()
        self.deleteLater()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the frame before the main window arrived means the user wants out.
        if not self._replaced:
            self._on_user_close()
        super().closeEvent(event)
