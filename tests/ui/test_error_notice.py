"""The error notice: non-modal, plain text, and a burst of errors is one box, not a stack."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.error_notice import ErrorNotice


def test_notice_is_non_modal_and_coalesces_bursts(qtbot: QtBot) -> None:
    notice = ErrorNotice()
    notice.show("Dispatch Desk", "first")
    box = notice.box
    assert box is not None
    qtbot.addWidget(box)
    assert box.windowModality() == Qt.WindowModality.NonModal
    assert box.text() == "first"
    notice.show("Dispatch Desk", "second")
    assert notice.box is box
    assert box.text().startswith("2 errors occurred")
    assert box.text().endswith("second")


def test_a_closed_notice_starts_afresh(qtbot: QtBot) -> None:
    notice = ErrorNotice()
    notice.show("Dispatch Desk", "first")
    first = notice.box
    assert first is not None
    first.close()
    notice.show("Dispatch Desk", "again")
    second = notice.box
    assert second is not None
    qtbot.addWidget(second)
    assert second.text() == "again"
