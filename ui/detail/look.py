"""Colours and small styles of the detail dock, derived from the palette (light or dark)."""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from ui.detail.note_html import NoteColours


class Tone(Enum):
    """How a message line reads: quiet, informative, a warning or an error."""

    MUTED = "muted"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


_ACCENTS = {
    Tone.INFO: "#2f6fbf",
    Tone.WARNING: "#c77c02",
    Tone.ERROR: "#c42b1c",
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def muted(palette: QPalette) -> QColor:
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base),
               0.45)


def note_colours(palette: QPalette) -> NoteColours:
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = is_dark(palette)
    return NoteColours(
        text=text.name(),
        muted=muted(palette).name(),
        link=palette.color(QPalette.ColorRole.Link).name(),
        card=mix(base, text, 0.06 if dark else 0.035).name(),
        customer_card=mix(base, QColor("#e8a33d"), 0.16 if dark else 0.14).name(),
    )


def style_message(label: QLabel, tone: Tone) -> None:
    """A message line: muted text, or a tinted box with an accent for the louder tones."""
    palette = label.palette()
    if tone is Tone.MUTED:
        label.setStyleSheet(f"color: {muted(palette).name()}; padding: 6px 2px;")
        return
    accent = QColor(_ACCENTS[tone])
    background = mix(palette.color(QPalette.ColorRole.Base), accent, 0.14)
    label.setStyleSheet(
        f"background: {background.name()}; border-left: 3px solid {accent.name()};"
        " padding: 6px 8px; border-radius: 2px;"
    )


def field_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A muted caption for a value in the header."""
    label = QLabel(text, parent)
    label.setStyleSheet(f"color: {muted(label.palette()).name()};")
    return label
