"""New tickets from the main window: Ctrl+N, the created ticket in list and dock, Spin off."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from psa.form_drafts import NEW_TICKET_KEY, FormDraftStore, spin_off_key
from psa.intake.service import IntakeService
from psa.sandbox import Sandbox
from tests.ui.new_ticket.support import fill_valid, open_ticket_with_contact, ready, ticket
from tests.ui.new_ticket.support import with_summary as stored_with_summary
from tests.ui.qt_harness import wait_for
from tests.ui.tickets.conftest import sandbox_config, service_for
from ui.main_window import MainWindow
from ui.new_ticket.launcher import NewTicketLauncher
from ui.new_ticket.new_ticket_dialog import NewTicketDialog

Run = Callable[..., Any]


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    """A sandbox of the test's own: these tests create tickets."""
    with Sandbox(sandbox_config(tickets=120)) as sb:
        yield sb


@asynccontextmanager
async def window_with_launcher(
    sb: Sandbox, settings: QSettings, drafts_dir: Path
) -> AsyncIterator[tuple[MainWindow, NewTicketLauncher]]:
    """The main window with New Ticket installed, as app.new_tickets does it (offline)."""
    async with service_for(sb) as svc:
        window = MainWindow(svc, settings)
        launcher = NewTicketLauncher(svc, IntakeService(), drafts=FormDraftStore(drafts_dir))
        window.install_new_ticket(launcher)
        window.show()
        try:
            yield window, launcher
        finally:
            launcher.close_all()
            window.close()
            await asyncio.sleep(0.01)  # cancelled tasks unwind before the client closes
            window.deleteLater()


async def first_rows(window: MainWindow) -> None:
    await wait_for(lambda: not window.page.controller.loading
                   and window.page.model.rowCount() > 0)


async def activate(window: MainWindow) -> None:
    """Window shortcuts fire only in the active window."""
    window.activateWindow()
    await wait_for(lambda: QApplication.activeWindow() is window)


async def shown_in_dock(window: MainWindow, ticket_id: int) -> None:
    dock = window.detail_dock
    await wait_for(lambda: dock.ticket_id == ticket_id and dock.panel.complete)


def test_ctrl_n_opens_the_new_ticket_dialog_from_the_main_window(
    fresh: Sandbox, settings: QSettings, tmp_path: Path, run_async: Run, qtbot: QtBot
) -> None:
    async def scenario() -> None:
        async with window_with_launcher(fresh, settings, tmp_path) as (window, launcher):
            await first_rows(window)
            assert window.file_menu.actions()[0] is window.new_ticket_action
            await activate(window)
            qtbot.keyClick(window.page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
            dialog = launcher.dialogs.get(NEW_TICKET_KEY)
            assert isinstance(dialog, NewTicketDialog)
            assert dialog.isVisible() and dialog.parent() is window
            await ready(dialog)
            # Ctrl+N again raises the open dialog instead of opening a second one.
            assert window.new_ticket_action is not None
            window.new_ticket_action.trigger()
            assert list(launcher.dialogs.values()) == [dialog]

    run_async(scenario())


def test_a_created_ticket_is_selected_in_the_list_and_shown_in_the_dock(
    fresh: Sandbox, settings: QSettings, tmp_path: Path, run_async: Run, qtbot: QtBot
) -> None:
    async def scenario() -> None:
        async with window_with_launcher(fresh, settings, tmp_path) as (window, launcher):
            await first_rows(window)
            window.page.table.selectRow(3)  # the dispatcher was looking at another ticket
            dialog = launcher.open_new(window)
            await fill_valid(dialog, "Printer on floor 2 jams on every job")
            dialog.activateWindow()
            await wait_for(lambda: QApplication.activeWindow() is dialog)
            dialog.tabs.setCurrentWidget(dialog.form)
            dialog.form.summary.setFocus()
            qtbot.keyClick(dialog.form.summary, Qt.Key.Key_Return,
                           Qt.KeyboardModifier.ControlModifier)  # Ctrl stays held, as in life
            await wait_for(lambda: dialog.created is not None)
            created = dialog.created
            assert created is not None
            [stored] = stored_with_summary(fresh, "Printer on floor 2 jams on every job")
            assert stored["id"] == created.id
            await shown_in_dock(window, created.id)
            await wait_for(lambda: window.page.table.current_ticket_id() == created.id)
            # Only the new ticket: Ctrl still held from a Ctrl+key must not add it to the
            # old selection (which would turn the dock into the bulk panel).
            selected = window.page.table.selectionModel().selectedRows()
            model = window.page.model
            assert [model.rows()[index.row()].id for index in selected] == [created.id]
            assert not window.detail_dock.showing_bulk
            assert f"#{created.id} created" in window.statusBar().currentMessage()
            assert not launcher.dialogs  # the dialog closed once ConnectWise had the ticket

    run_async(scenario())


def test_spin_off_from_the_dock_prefills_the_dialog_and_links_the_new_ticket_as_child(
    fresh: Sandbox, settings: QSettings, tmp_path: Path, run_async: Run, qtbot: QtBot
) -> None:
    original_id = open_ticket_with_contact(fresh)
    original = ticket(fresh, original_id)

    async def scenario() -> None:
        async with window_with_launcher(fresh, settings, tmp_path) as (window, launcher):
            await first_rows(window)
            dock = window.detail_dock
            dock.show_ticket(original_id)
            await shown_in_dock(window, original_id)
            assert dock.spin_off_action.isEnabled()
            button = dock.toolbar.widgetForAction(dock.spin_off_action)
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            dialog = launcher.dialogs.get(spin_off_key(original_id))
            assert isinstance(dialog, NewTicketDialog)
            await ready(dialog)
            form = dialog.form
            assert form.company.current_value() == original["company"]["id"]
            assert form.choices.value("contact") == original["contact"]["id"]
            assert form.choices.value("board") == original["board"]["id"]
            assert form.parent_ticket.text() == str(original_id)
            form.summary.setText("Replace the VPN client on the laptop")
            dialog.submit()
            await wait_for(lambda: dialog.created is not None)
            created = dialog.created
            assert created is not None and created.parent_ticket_id == original_id
            [stored] = stored_with_summary(fresh, "Replace the VPN client on the laptop")
            assert stored["parentTicketId"] == original_id
            assert ticket(fresh, original_id)["hasChildTicket"] is True
            await shown_in_dock(window, created.id)
            # The list selects it once its refresh is in (the dock would follow it back).
            await wait_for(lambda: window.page.table.current_ticket_id() == created.id)
            # Back in the dock, the original lists its new child (its cached copy was dropped).
            dock.back()
            await shown_in_dock(window, original_id)
            related = dock.panel.related.related
            assert related is not None
            assert created.id in [child.id for child in related.children]

    run_async(scenario())
