"""Wires the detail dock to the main window's ticket table (selection, activation, row updates).

The main window only calls ``attach_detail_dock``: the dock follows the table's selection (one
row: that ticket; several: the bulk panel), Enter or a double-click shows the ticket even when
the dock is pinned, and every ``ticket_updated`` row the dock emits is applied to the table
model by id — optimistic changes, confirmations, roll-backs and reloads alike — so the list and
the dock never disagree.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QMainWindow

from psa.drafts import DraftStore
from psa.models import TicketRow
from ui.detail.backend import DetailBackend
from ui.detail.detail_dock import PREFERRED_WIDTH, DetailDock
from ui.tickets.tickets_page import TicketsPage

REVERT_MESSAGE_MS = 10_000


class DetailDockBinding(QObject):
    """The connections between one tickets page and one dock."""

    def __init__(self, window: QMainWindow, page: TicketsPage, dock: DetailDock) -> None:
        super().__init__(dock)
        self._window = window
        self._page = page
        self._dock = dock
        table = page.table
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        selection = table.selectionModel()
        selection.selectionChanged.connect(self._on_selection_selection_changed)
        page.ticket_activated.connect(self._on_page_ticket_activated)
        page.model.dataChanged.connect(self._on_model_data_changed)
        dock.ticket_updated.connect(self._on_dock_ticket_updated)
        dock.ticket_reverted.connect(self._on_dock_ticket_reverted)

    def selected_rows(self) -> list[TicketRow]:
        """The table's selected rows, top to bottom."""
        model = self._page.model
        indexes = sorted(self._page.table.selectionModel().selectedRows(), key=lambda i: i.row())
        rows = (model.row_at(index.row()) for index in indexes)
        return [row for row in rows if row is not None]

    def _row(self, ticket_id: int) -> TicketRow | None:
        model = self._page.model
        position = model.row_of(ticket_id)
        return model.row_at(position) if position is not None else None

    def _on_selection_selection_changed(self, _selected: QItemSelection,
                                        _deselected: QItemSelection) -> None:
        rows = self.selected_rows()
        self._dock.follow_selection([row.id for row in rows], rows)

    def _on_model_data_changed(self, top: QModelIndex, bottom: QModelIndex,
                               _roles: Any = None) -> None:
        model = self._page.model
        for position in range(top.row(), bottom.row() + 1):
            row = model.row_at(position)
            if row is not None:
                self._dock.list_row_changed(row)

    def _on_page_ticket_activated(self, ticket_id: int) -> None:
        reveal_ticket(self._dock, ticket_id, self._row(ticket_id))

    def _on_dock_ticket_updated(self, row: Any) -> None:
        if isinstance(row, TicketRow) and self._page.model.update_row(row):
            # The dispatcher is looking at it (or just changed it): not "changed since seen".
            self._page.controller.seen.looked_at([row])

    def _on_dock_ticket_reverted(self, _row: Any, reason: str) -> None:
        self._window.statusBar().showMessage(reason, REVERT_MESSAGE_MS)


def reveal_ticket(dock: DetailDock, ticket_id: int, row: TicketRow | None = None) -> None:
    """Show ``ticket_id`` in the dock, opening the dock if closed, even when it is pinned."""
    if dock.isHidden():
        dock.show()
    dock.show_ticket(ticket_id, row)
    dock.raise_()


def attach_detail_dock(
    window: QMainWindow, page: TicketsPage, service: DetailBackend, *,
    drafts: DraftStore | None = None,
    area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
) -> DetailDock:
    """Create the dock beside ``page``'s table, wired to it; returns the dock.

    ``drafts`` is the profile's draft store (None: drafts live in memory only, as in tests).
    Call it before the window restores its saved state, or the dock's saved place is not
    applied (``restoreDockWidget`` is tried as well, for windows that restored earlier).
    """
    store = drafts if drafts is not None else DraftStore(None)
    dock = DetailDock(service, drafts=store, parent=window)
    window.addDockWidget(area, dock)
    if not window.restoreDockWidget(dock):
        # First run: give the dock room for its header; the list keeps the rest.
        window.resizeDocks([dock], [PREFERRED_WIDTH], Qt.Orientation.Horizontal)
    DetailDockBinding(window, page, dock)
    return dock
