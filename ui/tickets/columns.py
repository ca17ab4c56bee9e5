"""The ticket table's columns, roles, sort fields and colours (shared by the table's parts)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from ui.tickets.cells import SlaLevel


class Column(IntEnum):
    """The table's columns, in their default order."""

    ID = 0
    SUMMARY = 1
    COMPANY = 2
    BOARD = 3
    STATUS = 4
    PRIORITY = 5
    OWNER = 6
    AGE = 7
    UPDATED = 8
    SLA = 9


HEADERS: dict[Column, str] = {
    Column.ID: "#",
    Column.SUMMARY: "Summary",
    Column.COMPANY: "Company",
    Column.BOARD: "Board",
    Column.STATUS: "Status",
    Column.PRIORITY: "Priority",
    Column.OWNER: "Assigned",
    Column.AGE: "Age",
    Column.UPDATED: "Updated",
    Column.SLA: "SLA",
}

# Columns the server can sort, as (orderBy field, reversed): a small age is a late dateEntered.
# Priority sorts by the priority's own order (PriorityReference.sort: Emergency before Normal),
# not alphabetically by name.
SERVER_ORDER: dict[Column, tuple[str, bool]] = {
    Column.ID: ("id", False),
    Column.SUMMARY: ("summary", False),
    Column.COMPANY: ("company/name", False),
    Column.BOARD: ("board/name", False),
    Column.STATUS: ("status/name", False),
    Column.PRIORITY: ("priority/sort", False),
    Column.OWNER: ("owner/identifier", False),
    Column.AGE: ("_info/dateEntered", True),
    Column.UPDATED: ("_info/lastUpdated", False),
}

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
ChangedRole = Qt.ItemDataRole.UserRole + 3
SlaLevelRole = Qt.ItemDataRole.UserRole + 4

# Windows 11's status colours, for light and for dark backgrounds.
SLA_COLOURS: dict[SlaLevel, QColor] = {
    SlaLevel.OK: QColor("#0f7b0f"),
    SlaLevel.SOON: QColor("#9d5d00"),
    SlaLevel.URGENT: QColor("#c42b1c"),
    SlaLevel.BREACHED: QColor("#c42b1c"),
}
SLA_COLOURS_DARK: dict[SlaLevel, QColor] = {
    SlaLevel.OK: QColor("#6ccb5f"),
    SlaLevel.SOON: QColor("#fce100"),
    SlaLevel.URGENT: QColor("#ff99a4"),
    SlaLevel.BREACHED: QColor("#ff99a4"),
}


def dot(colour: QColor, size: int = 16) -> QIcon:
    """A round swatch (drawn large; the view scales it to its icon size)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    inset = size // 5
    painter.drawEllipse(inset, inset, size - 2 * inset, size - 2 * inset)
    painter.end()
    return QIcon(pixmap)
