"""Related tickets: the parent, the children, merged tickets, and the one merged into."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from psa.models import RelatedTickets, TicketRow
from ui.detail.section_view import SectionView

TicketRole = Qt.ItemDataRole.UserRole + 1


class RelatedView(SectionView):
    """Click a ticket to open it in the dock (with back/forward history)."""

    open_ticket = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Loading related tickets…", parent)
        self._related: RelatedTickets | None = None
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Related tickets")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Ticket", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setMouseTracking(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemClicked.connect(self._on_tree_item_clicked)
        self.tree.itemActivated.connect(self._on_tree_item_clicked)
        self.set_content(self.tree)

    @property
    def related(self) -> RelatedTickets | None:
        return self._related

    def count(self) -> int | None:
        if not self.has_value or self._related is None:
            return None
        rel = self._related
        return ((rel.parent_id is not None) + len(rel.children) + len(rel.merged)
                + (rel.merged_into_id is not None))

    def ticket_ids(self) -> list[int]:
        """Tickets listed, in display order (tests and keyboard users)."""
        ids = []
        for n in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(n)
            value = item.data(0, TicketRole) if item is not None else None
            if isinstance(value, int):
                ids.append(value)
        return ids

    def _render(self, value: Any) -> None:
        related: RelatedTickets = value
        if related == self._related and self.tree.topLevelItemCount():
            return
        self._related = related
        self.tree.clear()
        if related.merged_into_id is not None:
            self._group(f"Merged into #{related.merged_into_id}")
            self._ticket(related.merged_into_id, related.merged_into)
        if related.parent_id is not None:
            self._group("Parent")
            self._ticket(related.parent_id, related.parent)
        if related.children:
            self._group(f"Child tickets ({len(related.children)})")
            for row in related.children:
                self._ticket(row.id, row)
        if related.merged:
            self._group(f"Merged into this ticket ({len(related.merged)})")
            for row in related.merged:
                self._ticket(row.id, row)
        if not self.tree.topLevelItemCount():
            empty = QTreeWidgetItem(["No parent, child or merged tickets."])
            empty.setDisabled(True)
            self.tree.addTopLevelItem(empty)

    def _group(self, title: str) -> None:
        item = QTreeWidgetItem([title])
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setFirstColumnSpanned(True)
        self.tree.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)

    def _ticket(self, ticket_id: int, row: TicketRow | None) -> None:
        summary = row.summary if row is not None else "(not readable with this key)"
        item = QTreeWidgetItem([f"#{ticket_id}  {summary}", row.status_name if row else ""])
        item.setData(0, TicketRole, ticket_id)
        item.setToolTip(0, f"Open #{ticket_id} in the dock")
        if row is not None and row.closed:
            item.setForeground(0, self.palette().placeholderText())
        self.tree.addTopLevelItem(item)

    def _clear(self) -> None:
        self._related = None
        self.tree.clear()

    def _on_tree_item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        value = item.data(0, TicketRole)
        if isinstance(value, int):
            self.open_ticket.emit(value)
