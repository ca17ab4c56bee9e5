"""A non-modal error message for the global exception hook; bursts coalesce into one box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


class ErrorNotice:
    """Shows one non-modal message box at a time; later errors update it instead of stacking."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._parent = parent
        self._box: QMessageBox | None = None
        self._count = 0

    @property
    def box(self) -> QMessageBox | None:
        """The visible box, if any (tests read its text)."""
        return self._box if self._box is not None and self._box.isVisible() else None

    def set_parent(self, parent: QWidget | None) -> None:
        """Centre future boxes on ``parent`` (the main window, once it exists)."""
        self._parent = parent

    def show(self, title: str, message: str) -> None:
        """Show ``message``; never blocks and never enters a nested event loop."""
        box = self.box
        if box is None:
            self._count = 0
            box = QMessageBox(self._parent)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.setStandardButtons(QMessageBox.StandardButton.Close)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setAccessibleName("Error message")
            box.destroyed.connect(self._forget)
            self._box = box
        self._count += 1
        box.setWindowTitle(title)
        if self._count > 1:
            box.setText(f"{self._count} errors occurred. The latest:\n\n{message}")
        else:
            box.setText(message)
        box.show()

    def _forget(self) -> None:
        self._box = None
