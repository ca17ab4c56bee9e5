"""The ticket table model: frozen rows keyed by ticket id, paged in from the server."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from typing_extensions import override

from psa.models import SlaState, TicketRow
from ui.tickets import cells
from ui.tickets.cells import SlaCell
from ui.tickets.columns import (
    HEADERS,
    SERVER_ORDER,
    SLA_COLOURS,
    SLA_COLOURS_DARK,
    ChangedRole,
    Column,
    RowRole,
    SlaLevelRole,
    SortRole,
    dot,
)

__all__ = [
    "HEADERS",
    "SERVER_ORDER",
    "SLA_COLOURS",
    "ChangedRole",
    "Column",
    "RowRole",
    "SlaLevelRole",
    "SortRole",
    "TicketTableModel",
]

AnyIndex = QModelIndex | QPersistentModelIndex


_ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE_DESCRIPTION = int(Qt.ItemDataRole.AccessibleDescriptionRole)
_COLUMNS = len(Column)
# Roles a paint asks for → their slot in a ticket's cached cells (background and check state
# are always empty: answering them from the cache keeps them off the slow path).
_PAINT_SLOTS: dict[int, int] = {
    _DISPLAY: 0,
    _FONT: 1,
    _DECORATION: 2,
    _FOREGROUND: 3,
    _ALIGNMENT: 4,
    int(Qt.ItemDataRole.BackgroundRole): 5,
    int(Qt.ItemDataRole.CheckStateRole): 5,
}
_ALIGNMENTS: tuple[Any, ...] = (_ALIGN_RIGHT,) + (None,) * (_COLUMNS - 1)
_NOTHING: tuple[None, ...] = (None,) * _COLUMNS
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class TicketTableModel(QAbstractTableModel):
    """A thin model over the loaded rows of one ticket query.

    Rows are keyed by ticket id: a page that repeats a ticket (because live changes shifted the
    pages) updates it in place instead of showing it twice. Paging is driven from outside:
    `fetchMore` only asks (`more_requested`); the controller answers with `append_page`.
    """

    more_requested = Signal()
    total_changed = Signal(int)

    def __init__(
        self, parent: QObject | None = None, *, clock: Callable[[], datetime] = _utcnow
    ) -> None:
        super().__init__(parent)
        self._rows: list[TicketRow] = []
        self._pos: dict[int, int] = {}
        self._total = 0
        self._fetching = False
        self._pageable = True
        self._clock = clock
        self._now = clock()
        self._sla: dict[int, SlaState] = {}
        self._sla_cells: dict[int, SlaCell] = {}
        self._cells: dict[int, tuple[tuple[Any, ...], ...]] = {}
        self._changed_icon: QIcon | None = None  # made on first paint (needs a GUI app)
        self._dark = False
        self._changed: set[int] = set()
        self._priority_icons: dict[int, QIcon] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- Qt API -------------------------------------------------------------------------------
    @override
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else _COLUMNS

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks ~7 roles per visible cell on every paint. Everything a paint needs is
        # kept per ticket as one tuple per role, so the common path is two dict lookups.
        row_no = index.row()
        rows = self._rows
        if not 0 <= row_no < len(rows):
            return None
        slot = _PAINT_SLOTS.get(role)
        if slot is not None:
            row = rows[row_no]
            cells = self._cells.get(row.id)
            if cells is None:
                cells = self._cells[row.id] = self._paint_cells(row)
            return cells[slot][index.column()]
        row = rows[row_no]
        if role == RowRole:
            return row
        if role == SortRole:
            return self._sort_value(row, Column(index.column()))
        return self._extra_data(row, index.column(), role)

    def _paint_cells(self, row: TicketRow) -> tuple[tuple[Any, ...], ...]:
        """Per paint role (in `_PAINT_SLOTS` order), the value of each column."""
        texts = tuple(self._display(row, column) for column in Column)
        font = (self._bold if row.customer_updated else None,) * _COLUMNS
        decorations: list[Any] = [None] * _COLUMNS
        decorations[Column.PRIORITY] = self._priority_icons.get(row.priority_id or -1)
        if row.id in self._changed:
            if self._changed_icon is None:
                self._changed_icon = dot(QPalette().color(QPalette.ColorRole.Highlight))
            decorations[Column.ID] = self._changed_icon
        foregrounds: list[Any] = [None] * _COLUMNS
        colours = SLA_COLOURS_DARK if self._dark else SLA_COLOURS
        foregrounds[Column.SLA] = colours.get(self.sla_cell(row).level)
        return (texts, font, tuple(decorations), tuple(foregrounds), _ALIGNMENTS, _NOTHING)

    def _extra_data(self, row: TicketRow, column: int, role: int) -> Any:
        if role == ChangedRole:
            return row.id in self._changed
        if role == SlaLevelRole:
            return self.sla_cell(row).level if column == Column.SLA else None
        if role == _TOOLTIP:
            if column == Column.SLA:
                return self.sla_cell(row).tooltip or None
            if column == Column.SUMMARY:
                return row.summary
            if column == Column.PRIORITY:
                return row.priority_name or None
            if column == Column.ID and row.id in self._changed:
                return "Changed since you last looked"
        if role == _ACCESSIBLE_DESCRIPTION and column == Column.ID:
            return self._accessible_description(row)
        return None

    @override
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    @override
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        return (not parent.isValid() and self._pageable and not self._fetching
                and len(self._rows) < self._total)

    @override
    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True  # re-entry guard: views call fetchMore on every scroll step
        self.more_requested.emit()

    # -- roles --------------------------------------------------------------------------------
    def _display(self, row: TicketRow, column: Column) -> str | int:
        match column:
            case Column.ID:
                return row.id
            case Column.SUMMARY:
                return row.summary
            case Column.COMPANY:
                return row.company_name
            case Column.BOARD:
                return row.board_name
            case Column.STATUS:
                return row.status_name
            case Column.PRIORITY:
                return cells.priority_text(row.priority_name)
            case Column.OWNER:
                return cells.owner_text(row)
            case Column.AGE:
                return cells.age_text(row.date_entered, self._now)
            case Column.UPDATED:
                return cells.updated_text(row.last_updated, self._now)
            case Column.SLA:
                return self.sla_cell(row).text

    def _sort_value(self, row: TicketRow, column: Column) -> Any:
        match column:
            case Column.AGE:
                entered = row.date_entered
                return -entered.timestamp() if entered else float("inf")
            case Column.UPDATED:
                return row.last_updated.timestamp() if row.last_updated else float("-inf")
            case Column.SLA:
                return self.sla_cell(row).sort_key
            case Column.ID:
                return row.id
            case _:
                return str(self._display(row, column)).casefold()

    def _accessible_description(self, row: TicketRow) -> str:
        notes = []
        if row.customer_updated:
            notes.append("updated by the customer")
        if row.id in self._changed:
            notes.append("changed since you last looked")
        return ", ".join(notes)

    # -- reading ------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        """How many tickets match on the server (not how many are loaded)."""
        return self._total

    @property
    def fetching(self) -> bool:
        """True between `more_requested` and the controller's answer."""
        return self._fetching

    def rows(self) -> Sequence[TicketRow]:
        """The loaded rows, in display order."""
        return tuple(self._rows)

    def row_at(self, row: int) -> TicketRow | None:
        """The ticket at a row number, if any."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, ticket_id: int) -> int | None:
        """The row number showing a ticket, if loaded."""
        return self._pos.get(ticket_id)

    def all_loaded(self) -> bool:
        """True when every matching ticket is in the model (local sorting is then honest)."""
        return len(self._rows) >= self._total

    def sla_cell(self, row: TicketRow) -> SlaCell:
        """The SLA column's content for a row (cached until SLA figures or the clock move)."""
        cell = self._sla_cells.get(row.id)
        if cell is None:
            cell = cells.sla_cell(self._sla.get(row.id), row)
            self._sla_cells[row.id] = cell
        return cell

    def is_changed(self, ticket_id: int) -> bool:
        """True when the ticket changed since the dispatcher last looked at it."""
        return ticket_id in self._changed

    # -- mutation -----------------------------------------------------------------------------
    def reset_rows(self, rows: Iterable[TicketRow], total: int, *, pageable: bool = True) -> None:
        """Show a new query's first rows (duplicates by id keep the first).

        Cached rows are not `pageable`: more rows come only once fresh ones replace them.
        """
        self.beginResetModel()
        self._pageable = pageable
        self._rows = []
        self._pos = {}
        for row in rows:
            if row.id not in self._pos:
                self._pos[row.id] = len(self._rows)
                self._rows.append(row)
        self._fetching = False
        self._forget_all()
        self._changed &= set(self._pos)
        self._set_total(max(total, len(self._rows)))
        self.endResetModel()

    def append_page(self, rows: Sequence[TicketRow], total: int) -> int:
        """Add the next page; tickets already shown are updated in place. Returns rows added."""
        fresh: list[TicketRow] = []
        seen_here: set[int] = set()
        for row in rows:
            if row.id in self._pos:
                self.update_row(row)
            elif row.id not in seen_here:
                seen_here.add(row.id)
                fresh.append(row)
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            for row in fresh:
                self._pos[row.id] = len(self._rows)
                self._rows.append(row)
            self.endInsertRows()
        self._fetching = False
        # An empty or short page means the server has no more, whatever total said before.
        self._set_total(len(self._rows) if len(rows) == 0 else max(total, len(self._rows)))
        return len(fresh)

    def fetch_failed(self) -> None:
        """Release the paging guard after a failed fetch, so scrolling can try again."""
        self._fetching = False

    def update_row(self, row: TicketRow) -> bool:
        """Replace one loaded ticket's row; returns False when it is not loaded."""
        pos = self._pos.get(row.id)
        if pos is None:
            return False
        old = self._rows[pos]
        if old == row:
            return True
        self._rows[pos] = row
        self._forget(row.id)
        if old.last_updated != row.last_updated:
            self._changed.add(row.id)
        self._emit_row_changed(pos)
        return True

    def merge_window(
        self, start: int, fresh: Sequence[TicketRow], total: int, *, settled: int | None = None
    ) -> int:
        """Make the rows from `start` on the server's current rows for that range.

        Used by refresh: tickets new to the range are inserted where the server puts them,
        tickets that moved in from elsewhere are moved (never duplicated), and tickets still
        there are updated in place, so selection stays on them. A loaded ticket missing from
        the first `settled` fresh positions (default: all) has left the view and is removed;
        one missing further down may merely have been pushed past the range by changes above
        it, so it is kept just after the range instead of silently vanishing. Returns where the
        range starts now.
        """
        settled = len(fresh) if settled is None else settled
        fresh_ids = {row.id for row in fresh}
        # Rows may be moved (removed and re-inserted) below: remember what they said before.
        before = {r.id: r.last_updated for r in self._rows if r.id in fresh_ids}
        end = start + len(fresh)
        # Moved in from outside the range: remove the old copy first.
        outside = [
            i for i, r in enumerate(self._rows) if r.id in fresh_ids and not start <= i < end
        ]
        start -= sum(1 for i in outside if i < start)
        self._remove_positions(outside)
        start = min(start, len(self._rows))
        end = min(start + len(fresh), len(self._rows))
        absent = [p for p in range(start, end) if self._rows[p].id not in fresh_ids]
        pushed = [self._rows[p] for p in absent if p >= start + settled]
        self._remove_positions(absent)
        self._reconcile_range(start, end - len(absent), fresh)
        for offset, row in enumerate(pushed):
            self._insert_at(start + len(fresh) + offset, row)
        if len(fresh) == 0 or total <= start + len(fresh):
            self._remove_positions(list(range(start + len(fresh), len(self._rows))))
        self._set_total(max(total, len(self._rows)))
        moved = [r.id for r in fresh if r.id in before and before[r.id] != r.last_updated]
        self.mark_changed(moved)
        return start

    def _reconcile_range(self, start: int, end: int, fresh: Sequence[TicketRow]) -> None:
        order = {row.id: i for i, row in enumerate(fresh)}
        # Keep the tickets that are still in the range and in order; drop the rest.
        drop: list[int] = []
        last = -1
        for pos in range(start, end):
            at = order.get(self._rows[pos].id)
            if at is None or at < last:
                drop.append(pos)
            else:
                last = at
        self._remove_positions(drop)
        for offset, row in enumerate(fresh):
            pos = start + offset
            if pos < len(self._rows) and self._rows[pos].id == row.id:
                self.update_row(row)
            else:
                self._insert_at(pos, row)

    def _insert_at(self, pos: int, row: TicketRow) -> None:
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._rows.insert(pos, row)
        self.endInsertRows()
        self._reindex(pos)

    def _remove_positions(self, positions: list[int]) -> None:
        """Remove rows by position, as contiguous ranges from the bottom up."""
        for first, last in reversed(_ranges(sorted(positions))):
            self.beginRemoveRows(QModelIndex(), first, last)
            for row in self._rows[first : last + 1]:
                self._pos.pop(row.id, None)
                self._forget(row.id)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        if positions:
            self._reindex(min(positions))

    def _reindex(self, start: int) -> None:
        for i in range(start, len(self._rows)):
            self._pos[self._rows[i].id] = i

    def set_sla(self, states: Mapping[int, SlaState]) -> None:
        """Current SLA figures for some tickets (typically the visible page)."""
        self._sla.update(states)
        touched = [self._pos[i] for i in states if i in self._pos]
        for tid in states:
            self._forget(tid)
        if touched:
            self._emit_column_changed(Column.SLA, min(touched), max(touched))

    def set_priority_colours(self, colours: Mapping[int, str]) -> None:
        """Priority id → colour name or #hex (from the priorities lookup)."""
        self._priority_icons = {
            pid: dot(QColor(name)) for pid, name in colours.items()
            if QColor.isValidColorName(name)
        }
        self._cells.clear()
        if self._rows:
            self._emit_column_changed(Column.PRIORITY, 0, len(self._rows) - 1)

    def mark_changed(self, ticket_ids: Iterable[int], changed: bool = True) -> None:
        """Mark (or clear) tickets as changed since the dispatcher last looked."""
        ids = set(ticket_ids)
        if changed:
            self._changed |= ids
        else:
            self._changed -= ids
        for tid in ids:
            self._cells.pop(tid, None)
            pos = self._pos.get(tid)
            if pos is not None:
                self._emit_row_changed(pos)

    def set_dark(self, dark: bool) -> None:
        """Follow the palette: SLA colours differ on dark backgrounds."""
        if dark != self._dark:
            self._dark = dark
            self._changed_icon = None
            self._forget_all()
            if self._rows:
                last = self.index(len(self._rows) - 1, _COLUMNS - 1)
                self.dataChanged.emit(self.index(0, 0), last)

    def tick(self) -> None:
        """Move the model's clock: ages, 'updated … ago' and SLA cells re-read it."""
        self._now = self._clock()
        self._forget_all()
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, Column.AGE), self.index(last, Column.SLA))

    def _forget(self, ticket_id: int) -> None:
        """Drop a ticket's cached cell texts (its data or SLA changed)."""
        self._sla_cells.pop(ticket_id, None)
        self._cells.pop(ticket_id, None)

    def _forget_all(self) -> None:
        self._sla_cells.clear()
        self._cells.clear()

    def _set_total(self, total: int) -> None:
        if total != self._total:
            self._total = total
            self.total_changed.emit(total)

    def _emit_row_changed(self, pos: int) -> None:
        self.dataChanged.emit(self.index(pos, 0), self.index(pos, len(Column) - 1))

    def _emit_column_changed(self, column: Column, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, column), self.index(last, column))

    # -- local sort (only when every matching row is loaded; the caller checks) ---------------
    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_locally(Column(column), order)

    def sort_locally(self, column: Column, order: Qt.SortOrder) -> None:
        """Reorder the loaded rows, keeping persistent indexes (selection) on their tickets."""
        reverse = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        old_ids = [row.id for row in self._rows]
        self._rows.sort(key=lambda r: self._sort_value(r, column), reverse=reverse)
        self._reindex(0)
        old_persistent = self.persistentIndexList()
        new_persistent = [
            self.index(self._pos[old_ids[ix.row()]], ix.column()) for ix in old_persistent
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()


def _ranges(positions: list[int]) -> list[tuple[int, int]]:
    """Sorted positions → inclusive (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for pos in positions:
        if runs and runs[-1][1] == pos - 1:
            runs[-1] = (runs[-1][0], pos)
        elif not runs or runs[-1][1] != pos:
            runs.append((pos, pos))
    return runs
