"""A status dropdown whose value changes only by a choice made in its open popup."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QWidget
from typing_extensions import override

_STEP_KEYS = frozenset({
    Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
    Qt.Key.Key_Home, Qt.Key.Key_End,
})


class StatusCombo(QComboBox):
    """A QComboBox that a closed popup keeps still.

    A closed QComboBox steps to the next item (and emits ``activated``) on Up/Down, Page
    Up/Down, Home/End, a typed letter and each wheel notch, so tabbing or scrolling over the dock
    would change a ticket's real status. Here those do nothing while the popup is closed (the
    wheel scrolls what is under the combo); Alt+Down, F4 and Space open the popup, where the
    arrows, typing and Enter choose as usual.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a wheel notch does not take focus

    @override
    def wheelEvent(self, e: QWheelEvent) -> None:
        e.ignore()

    @override
    def keyPressEvent(self, e: QKeyEvent) -> None:
        key = e.key()
        alt = bool(e.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and alt:
            self.showPopup()
            return
        text = e.text()
        if key in _STEP_KEYS or (text and text[0].isprintable() and key != Qt.Key.Key_Space):
            e.accept()  # swallowed: the status stays as it is
            return
        super().keyPressEvent(e)
