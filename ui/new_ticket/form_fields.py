"""One labelled field of the ticket form with its inline line: an error, a flag or a note."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget

from ui.detail.look import muted

ERROR_COLOUR = "#c42b1c"
FLAG_COLOUR = "#c77c02"

FORM_STYLE = f"""
*[state="error"] {{ border: 1px solid {ERROR_COLOUR}; }}
*[state="flagged"] {{ border: 1px solid {FLAG_COLOUR}; }}
"""
"""Applied to the form: a field's border tells its state (the inline line tells why)."""


def quiet(label: QLabel) -> QLabel:
    """Secondary text: muted, yet readable (a disabled label is too faint to read)."""
    label.setStyleSheet(f"color: {muted(QGuiApplication.palette()).name()};")
    return label


class FieldRow:
    """A field's caption, its input and the line under it.

    The line shows the most pressing of: an error (what to fix before Create), a flag (why
    Quick Create wants the dispatcher to look) or a note (a contact's e-mail and phone). The
    flag's reason is also the input's tooltip, and the line's words are the input's
    accessible description (colour alone tells a screen-reader user nothing).
    """

    def __init__(self, name: str, caption: str, widget: QWidget, parent: QWidget, *,
                 required: bool = False) -> None:
        self.name = name
        self.caption = caption
        self.required = required
        self.widget = widget
        self.label = QLabel(f"{caption}{' *' if required else ''}", parent)
        self.label.setBuddy(widget)
        self.label.setObjectName(f"{name}Label")
        self.line = QLabel(parent)
        self.line.setObjectName(f"{name}Line")
        self.line.setWordWrap(True)
        self.line.hide()
        self.error = ""
        self.flag = ""
        self.note = ""
        self._tooltip = widget.toolTip()
        widget.setAccessibleName(caption)

    def set_error(self, text: str) -> None:
        self.error = text
        self._render()

    def set_flag(self, reason: str) -> None:
        self.flag = reason
        self._render()

    def set_note(self, text: str) -> None:
        self.note = text
        self._render()

    def set_tooltip(self, text: str) -> None:
        """The input's own tooltip (a flag's reason takes its place while flagged)."""
        self._tooltip = text
        self._render()

    @property
    def state(self) -> str:
        return "error" if self.error else "flagged" if self.flag else ""

    def _render(self) -> None:
        if self.error:
            text, colour = self.error, ERROR_COLOUR
        elif self.flag:
            text, colour = f"⚠ {self.flag}", FLAG_COLOUR
        else:
            # The application's palette: a label under a style sheet reports a washed-out one.
            text, colour = self.note, muted(QGuiApplication.palette()).name()
        self.line.setText(text)
        # Colour and tooltip are not read out: a screen reader gets the same words here.
        self.widget.setAccessibleDescription(self.error or self.flag or self.note)
        self.line.setStyleSheet(f"color: {colour};")
        self.line.setVisible(bool(text))
        self.widget.setToolTip(self.flag or self._tooltip)
        if self.widget.property("state") != self.state:
            self.widget.setProperty("state", self.state)
            style = self.widget.style()
            style.unpolish(self.widget)
            style.polish(self.widget)
