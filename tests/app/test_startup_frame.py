"""The start-up frame: the main window's first state, shown at once, filled or replaced later."""

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
    qtbot.addWidget(frame.window)
    assert (frame.window.width(), frame.window.height()) == (600, 400)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(300, 200)
    frame.place(window)  # the window restores its own saved place: left alone
    assert (window.width(), window.height()) == (300, 200)


def test_without_saved_geometry_the_window_opens_where_the_frame_is(
    qtbot: QtBot, settings: QSettings
) -> None:
    frame = StartupFrame(settings, title="Dispatch Desk", message="Starting…", on_user_close=list)
    qtbot.addWidget(frame.window)
    assert (frame.window.width(), frame.window.height()) == (1440, 900)
    window = QMainWindow()
    qtbot.addWidget(window)
    frame.place(window)
    assert window.geometry() == frame.window.geometry()


def test_closing_the_frame_quits_but_dismissing_it_does_not(
    qtbot: QtBot, settings: QSettings
) -> None:
    quits: list[bool] = []
    frame = StartupFrame(settings, title="t", message="m", on_user_close=lambda: quits.append(True))
    qtbot.addWidget(frame.window)
    frame.show()
    frame.window.close()
    qtbot.waitUntil(lambda: quits == [True])
    other = StartupFrame(settings, title="t", message="m", on_user_close=lambda: quits.append(True))
    other.show()
    other.dismiss()
    qtbot.wait(10)
    assert quits == [True]


def test_the_frame_is_the_main_window_in_its_first_state_and_is_filled_in_place(
    qtbot: QtBot, settings: QSettings
) -> None:
    quits: list[bool] = []
    frame = StartupFrame(settings, title="Dispatch Desk", message="Connecting to Acme…",
                         on_user_close=lambda: quits.append(True))
    window = frame.window
    qtbot.addWidget(window)
    frame.show()
    assert not window.attached
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&View", "&Views"]
    assert frame.take() is window
    window.close()  # taken: closing it is now the app's business (its QuitOnClose)
    qtbot.wait(10)
    assert quits == []
