"""A message line for the New Ticket dialog: plain text, an optional link and an action button."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.detail.look import Tone, style_message


class MessageBar(QFrame):
    """One message at a time, hidden when empty; ``link_activated`` carries the link's URL."""

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, name: str = "message") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.tone: Tone | None = None
        self.plain = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.label.setOpenExternalLinks(False)
        self.label.linkActivated.connect(self.link_activated)
        self.action = QPushButton(self)
        self.action.hide()
        self._action_slot: Callable[[], None] | None = None
        self.action.clicked.connect(self._on_action_clicked)
        row.addWidget(self.label, 1)
        row.addWidget(self.action, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    @property
    def text(self) -> str:
        """The message as plain text ("" when hidden)."""
        return self.plain if not self.isHidden() else ""

    def show_message(self, text: str, tone: Tone = Tone.INFO, *,
                     link: tuple[str, str] | None = None,
                     action: tuple[str, Callable[[], None]] | None = None) -> None:
        """Show ``text``; ``link`` is (label, url) appended; ``action`` is (label, slot)."""
        self.tone = tone
        html = escape(text).replace("\n", "<br>")
        self.plain = text
        if link is not None:
            html += f' <a href="{escape(link[1], quote=True)}">{escape(link[0])}</a>'
            self.plain += f" {link[0]}"
        self.label.setText(html)
        style_message(self.label, tone)
        self._action_slot = action[1] if action else None
        self.action.setText(action[0] if action else "")
        self.action.setVisible(action is not None)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.tone = None
        self.plain = ""
        self.label.clear()
        self._action_slot = None
        self.action.hide()
        self.hide()

    def _on_action_clicked(self) -> None:
        if self._action_slot is not None:
            self._action_slot()
