"""The frame every detail section shares: a message line (loading, error, permission) and content.

Each section knows which ticket its content belongs to (``ticket_id``), so the dock can check
that nothing on screen belongs to another ticket than the header's.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from psa.models import Section
from ui.detail.look import Tone, style_message


class SectionView(QWidget):
    """Base of the notes, configurations, related and resources sections."""

    def __init__(self, loading_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ticket_id: int | None = None
        self.loaded = False
        self.has_value = False
        """True when the loaded section has a value (a 403 leaves only a message)."""
        self.problem: Tone | None = None
        self._loading_text = loading_text
        self._message = QLabel(self)
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._message.hide()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(6)
        self._layout.addWidget(self._message)
        self._content: QWidget | None = None

    def set_content(self, widget: QWidget, stretch: int = 1) -> None:
        self._content = widget
        self._layout.addWidget(widget, stretch)
        # Takes the room only while the content is hidden: messages stay at the top.
        self._layout.addStretch(0)

    @property
    def message(self) -> str:
        """The message line's text ("" when none)."""
        return self._message.text()

    def count(self) -> int | None:
        """How many items the section shows (for its tab title), None when not known."""
        return None

    # ------------------------------------------------------------------ states

    def show_loading(self, ticket_id: int) -> None:
        """Placeholder for ``ticket_id``: nothing of any other ticket stays visible."""
        self.ticket_id = ticket_id
        self.loaded = False
        self.has_value = False
        self.problem = None
        self._clear()
        self._set_message(self._loading_text, Tone.MUTED)
        if self._content is not None:
            self._content.hide()

    def show_failed(self, ticket_id: int, message: str) -> None:
        self.ticket_id = ticket_id
        self.loaded = False
        self.has_value = False
        self.problem = Tone.ERROR
        self._clear()
        self._set_message(message, Tone.ERROR)
        if self._content is not None:
            self._content.hide()

    def show_section(self, ticket_id: int, section: Section[Any]) -> None:
        """Show a loaded section: its value, and its permission warning or error if any."""
        self.ticket_id = ticket_id
        self.loaded = True
        self.has_value = section.value is not None
        if section.value is not None:
            self._render(section.value)
            if self._content is not None:
                self._content.show()
        else:
            self._clear()
            if self._content is not None:
                self._content.hide()
        if section.warning is not None:
            self.problem = Tone.WARNING
            self._set_message(section.warning.message, Tone.WARNING)
        elif section.error is not None:
            self.problem = Tone.ERROR
            self._set_message(f"Could not load this section: {section.error}", Tone.ERROR)
        else:
            self.problem = None
            self._set_message("", Tone.MUTED)

    def _set_message(self, text: str, tone: Tone) -> None:
        self._message.setText(text)
        style_message(self._message, tone)
        self._message.setVisible(bool(text))

    # ------------------------------------------------------------------ for subclasses

    def _render(self, value: Any) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        raise NotImplementedError
