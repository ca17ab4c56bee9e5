"""The start-up frame: shown at once where the main window will be, gone once it is up."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from app.startup_frame import GEOMETRY_KEY, StartupFrame


def test_frame_takes_the_main_windows_saved_geometry(qtbot: QtBot, settings: QSettings) -> None:
    saved = QMainWindow()
    qtbot.addWidget(saved)
    saved.resize(600, 400)
    settings.setValue(GEOMETRY_KEY, saved.saveGeometry())
    frame = StartupFrame(settings, title="Dispatch Desk", message="Connecting…", on_user_close=list)
    qtbot.addWidget(frame)
    assert (frame.width(), frame.height()) == (600, 400)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(300, 200)
    frame.place(window)  # the window restores its own saved place: left alone
    assert (window.width(), window.height()) == (300, 200)


def test_without_saved_geometry_the_window_opens_where_the_frame_is(
    qtbot: QtBot, settings: QSettings
) -> None:
    frame = StartupFrame(settings, title="Dispatch Desk", message="Starting…", on_user_close=list)
    qtbot.addWidget(frame)
    assert (frame.width(), frame.height()) == (1440, 900)
    window = QMainWindow()
    qtbot.addWidget(window)
    frame.place(window)
    assert window.geometry() == frame.geometry()


def test_closing_the_frame_quits_but_dismissing_it_does_not(
    qtbot: QtBot, settings: QSettings
) -> None:
    quits: list[bool] = []
    frame = StartupFrame(settings, title="t", message="m", on_user_close=lambda: quits.append(True))
    qtbot.addWidget(frame)
    frame.show()
    frame.close()
    assert quits == [True]
    other = StartupFrame(settings, title="t", message="m", on_user_close=lambda: quits.append(True))
    other.show()
    other.dismiss()
    assert quits == [True]
    assert not other.isVisible()
