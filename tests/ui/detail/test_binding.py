"""The dock beside the real main window: it follows the table, and the table follows the dock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSettings
from pytestqt.qtbot import QtBot

from psa.drafts import DraftStore
from psa.models import parse_cw_datetime
from psa.sandbox import Sandbox
from tests.ui.detail.support import service, settle, ticket, touch, wait_for
from ui.main_window import MainWindow


def ticket_last_updated(sb: Sandbox, ticket_id: int) -> Any:
    return parse_cw_datetime(ticket(sb, ticket_id)["_info"]["lastUpdated"])


def select_only(table: Any, row: int) -> None:
    # Not QTableView.selectRow: it follows the keyboard modifiers Qt believes are held, and a
    # Ctrl left "down" by an earlier test's key click would extend the selection instead.
    flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
             | QItemSelectionModel.SelectionFlag.Rows)
    table.selectionModel().select(table.model().index(row, 0), flags)


def test_the_dock_follows_the_table_and_the_table_follows_the_dock(
    sandbox: Sandbox, qtbot: QtBot, settings: QSettings, tmp_path: Path,
    run_async: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            # The window attaches its own dock (through attach_detail_dock); a second one
            # attached here would follow the same table and outlive the client.
            window = MainWindow(svc, settings, drafts=DraftStore(tmp_path / "drafts"))
            qtbot.addWidget(window)
            dock = window.detail_dock
            window.show()
            model, table = window.page.model, window.page.table
            await wait_for(lambda: model.rowCount() > 3 and not window.page.controller.loading)
            first = model.row_at(0)
            assert first is not None
            select_only(table, 0)
            assert dock.ticket_id == first.id
            await wait_for(lambda: dock.panel.complete)
            # A status picked in the dock shows in the list row at once.
            sandbox.control.configure(latency_ms=100)
            statuses = dock.panel.header.statuses
            target = next(s for s in statuses if s.id != first.status_id and not s.closed)
            dock.panel.changes.change_status(target.id)
            row = model.row_at(model.row_of(first.id) or 0)
            assert row is not None and row.status_id == target.id
            await wait_for(lambda: not dock.panel.changes.busy())
            sandbox.control.configure(latency_ms=0)
            assert ticket(sandbox, first.id)["status"]["id"] == target.id
            assert not model.is_changed(first.id)
            # The list learns of a newer state (its own refresh): the dock follows.
            touch(sandbox, first.id, "Renamed while the dock was open")
            listed = model.row_at(model.row_of(first.id) or 0)
            assert listed is not None
            newer = listed.model_copy(update={
                "summary": "Renamed while the dock was open",
                "last_updated": ticket_last_updated(sandbox, first.id)})
            model.update_row(newer)
            await wait_for(lambda: dock.panel.header.summary.text()
                           == "Renamed while the dock was open")
            # Several rows: the bulk panel.
            selection = table.selectionModel()
            for r in (1, 2):
                selection.select(model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)
            assert dock.showing_bulk and len(dock.bulk.ticket_ids) == 3
            await wait_for(lambda: dock.bulk.ready)
            # Pinned: the selection is ignored, activation (Enter) still opens.
            second = model.row_at(1)
            assert second is not None
            select_only(table, 0)
            dock.set_pinned(True)
            select_only(table, 1)
            assert dock.ticket_id == first.id
            window.page.ticket_activated.emit(second.id)
            assert dock.ticket_id == second.id
            await settle(dock)
            window.close()
            await asyncio.sleep(0.01)

    run_async(scenario())
