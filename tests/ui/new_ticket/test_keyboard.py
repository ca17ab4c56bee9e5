"""Keyboard and focus in the New Ticket dialog: plain Enter never creates, Ctrl+Enter does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout
from pytestqt.qtbot import QtBot

from psa.sandbox import Sandbox
from tests.ui.new_ticket.conftest import MakeDialog
from tests.ui.new_ticket.support import fill_valid, ready, service, wait_for, with_summary
from tests.ui.qt_harness import BENIGN_QT_WARNINGS
from ui.new_ticket.full_form import FIELD_ORDER, REQUIRED_MESSAGES
from ui.tickets import picker_combo
from ui.tickets.picker_combo import PickerCombo

Run = Callable[..., Any]


@pytest.mark.parametrize("where", ["summary", "company", "parent_ticket"])
def test_plain_enter_in_a_field_creates_nothing(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run, where: str
) -> None:
    summary = f"Enter pressed in the {where}"

    async def scenario() -> None:
        async with service(fresh) as svc:
            dialog = make_dialog(svc)
            dialog.activateWindow()
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            await fill_valid(dialog, summary)
            dialog.tabs.setCurrentWidget(dialog.form)
            widget = getattr(dialog.form, where)
            widget.setFocus()
            await asyncio.sleep(0)
            if where == "company":
                # Typed over the chosen company; Enter comes before the search answers.
                QTest.keyClicks(widget, "Fabrik")
            QTest.keyClick(widget, Qt.Key.Key_Return)
            QTest.keyClick(widget, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
            await asyncio.sleep(0.4)
            await ready(dialog)
            assert created == [] and with_summary(fresh, summary) == []
            assert dialog.isVisible()
            dialog.form.company.cancel_tasks()

    run_async(scenario())


def test_no_button_of_the_dialog_answers_a_plain_enter(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc)
            await ready(dialog)
            buttons = dialog.findChildren(QPushButton)
            assert len(buttons) >= 5  # Create, Parse, Cancel, Discard, Close (and message actions)
            assert [b.text() for b in buttons if b.isDefault() or b.autoDefault()] == []

    run_async(scenario())


# The completer's popup grabs the keyboard, which the offscreen platform cannot do.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard",
                           *BENIGN_QT_WARNINGS)
def test_enter_in_a_picker_finishes_the_search_and_no_default_button_sees_it(
    qtbot: QtBot,
) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    picker = PickerCombo(accessible_name="Company", parent=dialog)
    picker.set_choices([("All companies", None), ("Contoso", 4), ("Fabrikam", 7)])
    button = QPushButton("Create", dialog)
    button.setDefault(True)
    column = QVBoxLayout(dialog)
    column.addWidget(picker)
    column.addWidget(button)
    chosen: list[Any] = []
    picker.value_chosen.connect(chosen.append)
    clicks: list[bool] = []
    button.clicked.connect(clicks.append)
    dialog.show()
    picker.setFocus()
    QTest.keyClicks(picker, "fabrikam")
    QTest.keyClick(picker, Qt.Key.Key_Return)
    assert chosen == [7] and clicks == []  # chosen once: the popup and the line both saw Enter


def test_tab_follows_the_layout_row_by_row(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc)
            await ready(dialog)
            form = dialog.form
            owners = {row.widget: name for name, row in form.rows.items()}
            owners[form.create_button] = "create"
            seen: list[str] = []
            widget = form.company.nextInFocusChain()
            while widget is not form.company and len(seen) < len(owners):
                name = owners.get(widget)
                if name is not None and name not in seen:
                    seen.append(name)
                widget = widget.nextInFocusChain()
            assert ["company", *seen] == [*FIELD_ORDER, "create"]

    run_async(scenario())


def test_a_fields_error_is_its_accessible_description(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc)
            await ready(dialog)
            form = dialog.form
            dialog.submit()
            for name in ("company", "board", "summary"):
                assert form.rows[name].widget.accessibleDescription() == REQUIRED_MESSAGES[name]
            assert dialog.focusWidget() is form.company  # the first field to fix
            form.summary.setText("Printer offline")
            assert form.summary.accessibleDescription() == ""
            form.rows["board"].set_flag("No board keywords in the text")
            form.rows["board"].set_error("")
            assert form.board.accessibleDescription() == "No board keywords in the text"

    run_async(scenario())


def test_quick_create_opens_in_the_paste_box_and_parse_lands_on_the_first_flagged_field(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            dialog = make_dialog(svc)
            await ready(dialog)
            assert dialog.focusWidget() is dialog.quick.text
            dialog.quick.set_text("Hi, the front desk printer jams on every page. Marco")
            dialog.quick.parse()
            await wait_for(lambda: not dialog.quick.busy())
            await ready(dialog)
            form = dialog.form
            flagged = [name for name in FIELD_ORDER if form.rows[name].flag]
            assert flagged
            assert dialog.focusWidget() is form.rows[flagged[0]].widget
            dialog.tabs.setCurrentWidget(dialog.quick)
            assert dialog.focusWidget() is dialog.quick.text

    run_async(scenario())


# The completer's popup grabs the keyboard, which the offscreen platform cannot do.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard",
                           *BENIGN_QT_WARNINGS)
def test_enter_before_a_search_answers_searches_now_and_keeps_what_was_typed(
    qtbot: QtBot, run_async: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A debounce far longer than the test: only Enter can have started the search.
    monkeypatch.setattr(picker_combo, "SEARCH_DEBOUNCE_MS", 60_000)
    searched: list[str] = []

    async def searcher(text: str) -> list[tuple[str, Any]]:
        searched.append(text)
        return [("Fabrikam", 7)] if "fabrik".startswith(text.casefold()[:6]) else []

    async def scenario() -> None:
        picker = PickerCombo(accessible_name="Company", searcher=searcher)
        qtbot.addWidget(picker)
        picker.set_current_value(4, "Contoso")
        picker.show()
        picker.setFocus()
        chosen: list[Any] = []
        picker.value_chosen.connect(chosen.append)
        picker.lineEdit().selectAll()  # as focusing it does: typing replaces "Contoso"
        QTest.keyClicks(picker, "Fabrik")
        QTest.keyClick(picker, Qt.Key.Key_Return)  # before the debounce ran the search
        await wait_for(lambda: searched == ["Fabrik"])
        await wait_for(lambda: picker.completer().popup().isVisible())
        assert picker.lineEdit().text() == "Fabrik" and chosen == []
        picker.cancel_tasks()

    run_async(scenario())
