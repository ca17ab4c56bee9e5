"""The PySide6 6.12 reference-leak workaround keeps `None` and `True` alive through many calls."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from ui.pyside_refcount_fix import keep_singletons_alive


class _Sender(QObject):
    fired = Signal(int)


def test_many_emits_and_void_calls_leave_the_singletons_alive(qtbot: QtBot) -> None:
    keep_singletons_alive()
    sender = _Sender()
    for i in range(40_000):
        sender.fired.emit(i)
        sender.setObjectName("x")
    assert sys.getrefcount(True) > 1_000
    assert sys.getrefcount(None) > 1_000
