"""The list's banner: readable on light and dark windows, and the actions it offers."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.look import dark_palette
from ui.tickets.banner import Banner
from ui.tickets.problems import Problem, ProblemKind


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green())
            + 0.0722 * linear(colour.blue()))


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def painted_background(banner: Banner) -> QColor:
    # Left of the title (the layout's 12 px margin), inside the 1 px border.
    image = banner.grab().toImage()
    return image.pixelColor(6, image.height() // 2)


def text_colour(label: QLabel) -> QColor:
    label.ensurePolished()
    return label.palette().color(label.foregroundRole())  # what QLabel draws its text with


def window_with_banner(qtbot: QtBot, palette: QPalette) -> tuple[QWidget, Banner]:
    window = QWidget()
    qtbot.addWidget(window)
    window.setPalette(palette)
    window.resize(800, 120)
    banner = Banner(window)
    banner.resize(780, 60)
    window.show()
    return window, banner


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("kind", list(ProblemKind), ids=lambda k: k.value)
def test_banner_text_is_readable_on_light_and_dark_windows(
    qtbot: QtBot, kind: ProblemKind, dark: bool
) -> None:
    palette = dark_palette() if dark else QApplication.style().standardPalette()
    _window, banner = window_with_banner(qtbot, palette)
    banner.show_problem(Problem(kind, "Some lists are limited for this API member."))
    background = painted_background(banner)
    for label in (banner.title, banner.text):
        assert contrast(text_colour(label), background) >= 4.5, (label.objectName(), background)
    # The banner belongs to its window: dark on a dark one, light on a light one.
    assert (background.lightness() < 128) is dark


def test_banner_follows_a_light_dark_flip_while_it_shows(qtbot: QtBot) -> None:
    window, banner = window_with_banner(qtbot, QApplication.style().standardPalette())
    banner.show_problem(Problem(ProblemKind.PERMISSION, "Needs Service Tickets (Inquire)."))
    assert painted_background(banner).lightness() > 128
    window.setPalette(dark_palette())
    background = painted_background(banner)
    assert background.lightness() < 128
    assert contrast(text_colour(banner.text), background) >= 4.5
