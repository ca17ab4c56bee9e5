"""File-menu connection actions: edit/forget only for a saved connection, forget confirms first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.qt_harness import wait_for
from ui.connection.connection_menu import ConnectionChoice, ConnectionMenu

CHOICES = [ConnectionChoice("k1", "acme @ na"), ConnectionChoice("k2", "beta @ eu")]


def make(qtbot: QtBot) -> tuple[QMainWindow, ConnectionMenu]:
    window = QMainWindow()
    qtbot.addWidget(window)
    file_menu = window.menuBar().addMenu("&File")
    exit_action = file_menu.addAction("E&xit")
    menu = ConnectionMenu(window)
    menu.install(file_menu, before=exit_action)
    return window, menu


def test_actions_go_into_the_file_menu_above_exit(qtbot: QtBot) -> None:
    window, menu = make(qtbot)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]  # type: ignore[union-attr]
    assert texts[:3] == [
        menu.edit_action.text(),
        menu.switch_menu.menuAction().text(),
        menu.forget_action.text(),
    ]
    assert texts[-1] == "E&xit"


def test_switch_lists_saved_connections_and_marks_the_current(qtbot: QtBot) -> None:
    _window, menu = make(qtbot)
    menu.set_connections(CHOICES, current="k2", demo=False)
    actions = [a for a in menu.switch_menu.actions() if a.text() in ("acme @ na", "beta @ eu")]
    assert [a.isChecked() for a in actions] == [False, True]
    with qtbot.waitSignal(menu.switch_requested, timeout=1000) as blocker:
        actions[0].trigger()
    assert blocker.args == ["k1"]


def test_demo_session_cannot_edit_or_forget(qtbot: QtBot) -> None:
    _window, menu = make(qtbot)
    menu.set_connections(CHOICES, current=None, demo=True)
    assert not menu.edit_action.isEnabled()
    assert not menu.forget_action.isEnabled()
    assert menu.demo_action not in menu.switch_menu.actions()
    menu.set_connections(CHOICES, current="k1", demo=False)
    assert menu.edit_action.isEnabled()
    assert menu.forget_action.isEnabled()


def test_forget_asks_first_and_cancel_keeps_the_connection(
    qtbot: QtBot, run_async: Callable[..., Any]
) -> None:
    _window, menu = make(qtbot)
    menu.set_connections(CHOICES, current="k1", demo=False)
    forgotten: list[bool] = []
    menu.forget_requested.connect(lambda: forgotten.append(True))

    async def answer(button: QMessageBox.StandardButton) -> None:
        menu.forget_action.trigger()
        await wait_for(lambda: menu._confirm is not None and menu._confirm.isVisible())
        box = menu._confirm
        assert box is not None
        assert "acme @ na" in box.text()
        box.button(button).click()
        await wait_for(lambda: menu._confirm is None)

    run_async(answer(QMessageBox.StandardButton.Cancel))
    assert forgotten == []
    run_async(answer(QMessageBox.StandardButton.Yes))
    assert forgotten == [True]
