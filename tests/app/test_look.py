"""The look: Fusion with a palette for the chosen (or the system's) colour scheme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.look import apply_look


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[None]:
    palette, style = QPalette(qapp.palette()), qapp.style().name()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)


@pytest.mark.usefixtures("restore_look")
def test_dark_scheme_gives_a_dark_fusion_palette(qapp: QApplication) -> None:
    apply_look(qapp, "dark")
    assert qapp.style().name().lower() == "fusion"
    window = qapp.palette().color(QPalette.ColorRole.Window)
    text = qapp.palette().color(QPalette.ColorRole.WindowText)
    assert window.lightness() < 60
    assert text.lightness() > 200


@pytest.mark.usefixtures("restore_look")
def test_light_scheme_gives_fusions_light_palette(qapp: QApplication) -> None:
    apply_look(qapp, "light")
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200


def test_unknown_scheme_is_refused(qapp: QApplication) -> None:
    with pytest.raises(ValueError, match="colour scheme"):
        apply_look(qapp, "sepia")
