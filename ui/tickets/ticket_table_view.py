"""The ticket table view: compact rows, Enter opens, header sorts and remembers its columns."""

from __future__ import annotations

import time

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)
from typing_extensions import override

from ui.tickets.ticket_table_model import HEADERS, Column, RowRole, TicketTableModel

AnyIndex = QModelIndex | QPersistentModelIndex

# Each column's default width fits this sample in bold (customer-updated rows are bold), so
# widths follow the font and the display scaling. The summary takes the rest.
DEFAULT_SAMPLES: dict[Column, str] = {
    Column.ID: "000000",
    Column.SUMMARY: "Printer on 4th floor offline - Xerox",
    Column.COMPANY: "Citrus Valley Sch",
    Column.BOARD: "Escalations",
    Column.STATUS: "Waiting on Cust",
    Column.PRIORITY: "● P3 ▴",  # the dot, the number, the header's sort arrow
    Column.OWNER: "asmith, jdoe",
    Column.AGE: "6d 23h",
    Column.UPDATED: "13 Nov",
    Column.SLA: "Respond · 23h 59m",
}
_ALWAYS_SHOWN = {Column.ID, Column.SUMMARY}
# What a dispatcher scans first comes first: at 1440 px with the detail dock open, the summary
# keeps a readable width beside status, priority, SLA and who has the ticket, with no sideways
# scrolling. Updated, board and age are one click away (the header's menu); on a wide screen
# the dispatcher shows them once and the choice is kept.
DEFAULT_ORDER: tuple[Column, ...] = (
    Column.ID, Column.SUMMARY, Column.COMPANY, Column.STATUS, Column.PRIORITY, Column.SLA,
    Column.OWNER, Column.UPDATED, Column.BOARD, Column.AGE,
)
DEFAULT_HIDDEN = frozenset({Column.UPDATED, Column.BOARD, Column.AGE})


class _RowDelegate(QStyledItemDelegate):
    """Draws the "changed since you last looked" mark: an accent bar at the row's left edge."""

    @override
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().paint(painter, option, index)
        view = self.parent()
        if not isinstance(view, QTableView):
            return
        if view.horizontalHeader().visualIndex(index.column()) != _first_visible(view):
            return
        model = index.model()
        if not isinstance(model, TicketTableModel):
            return
        row = model.row_at(index.row())
        # Asked of our model directly: painting must not round-trip through QVariant.
        if row is not None and model.is_changed(row.id):
            rect = option.rect
            painter.fillRect(rect.x(), rect.y() + 2, 3, rect.height() - 4,
                             option.palette.color(QPalette.ColorRole.Highlight))


def _first_visible(view: QTableView) -> int:
    header = view.horizontalHeader()
    for visual in range(header.count()):
        if not header.isSectionHidden(header.logicalIndex(visual)):
            return visual
    return 0


class TicketTableView(QTableView):
    """A dense, keyboard-first table. Header clicks only ask (`sort_requested`)."""

    ticket_activated = Signal(int)
    sort_requested = Signal(object, object)  # Column, Qt.SortOrder

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketTable")
        self._typed = ""
        self._typed_at = 0.0
        self.setAccessibleName("Tickets")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setShowGrid(False)
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as users expect of a list
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(4 * self._char_width())
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        header.sectionClicked.connect(self._on_header_section_clicked)
        self.doubleClicked.connect(self._on_double_clicked)

    # -- columns ------------------------------------------------------------------------------
    def apply_default_columns(self) -> None:
        """Default widths, order and visibility."""
        header = self.horizontalHeader()
        for position, column in enumerate(DEFAULT_ORDER):
            header.moveSection(header.visualIndex(column), position)
            header.setSectionHidden(column, column in DEFAULT_HIDDEN)
            header.resizeSection(column, self._sample_width(DEFAULT_SAMPLES[column]))
        self._stretch_summary()

    def _stretch_summary(self) -> None:
        # The summary takes whatever the other columns leave: no sideways scrolling.
        self.horizontalHeader().setSectionResizeMode(Column.SUMMARY, QHeaderView.ResizeMode.Stretch)

    def _char_width(self) -> int:
        return max(self.fontMetrics().averageCharWidth(), 5)

    def _sample_width(self, sample: str) -> int:
        bold = QFont(self.font())
        bold.setBold(True)
        extra = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 10
        return QFontMetrics(bold).horizontalAdvance(sample) + extra

    def save_columns(self) -> QByteArray:
        """Order, widths and visibility (QHeaderView's own state format)."""
        return self.horizontalHeader().saveState()

    def restore_columns(self, state: QByteArray | bytes | None) -> bool:
        """Restore saved column state; defaults when there is none or it does not fit."""
        header = self.horizontalHeader()
        if state and header.restoreState(QByteArray(state)) and header.count() == len(Column):
            for column in _ALWAYS_SHOWN:
                header.setSectionHidden(column, False)
            self._stretch_summary()
            return True
        self.apply_default_columns()
        return False

    def show_sort(self, column: Column | None, order: Qt.SortOrder) -> None:
        """Put the header's sort arrow on a column (None: no arrow)."""
        header = self.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1 if column is None else int(column), order)
        header.blockSignals(False)

    def column_actions(self) -> list[QAction]:
        """Checkable show/hide actions, one per column (for the View menu and header menu)."""
        header = self.horizontalHeader()
        actions = []
        for column in Column:
            action = QAction(HEADERS[column] if column != Column.ID else "# (ticket number)", self)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column not in _ALWAYS_SHOWN)
            action.toggled.connect(
                lambda shown, c=column: header.setSectionHidden(c, not shown)
            )
            actions.append(action)
        return actions

    def _on_header_menu_requested(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for action in self.column_actions():
            action.setParent(menu)
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Reset columns", self.apply_default_columns)
        menu.popup(self.horizontalHeader().mapToGlobal(pos))

    def _on_header_section_clicked(self, section: int) -> None:
        header = self.horizontalHeader()
        if header.sortIndicatorSection() == section:
            # QHeaderView already flipped the indicator on this click.
            order = header.sortIndicatorOrder()
        else:
            order = Qt.SortOrder.AscendingOrder
        self.sort_requested.emit(Column(section), order)

    # -- activation ---------------------------------------------------------------------------
    def current_ticket_id(self) -> int | None:
        """The selected ticket's id."""
        index = self.currentIndex()
        if not index.isValid():
            return None
        row = self.model().data(index, RowRole)
        return int(row.id) if row is not None else None

    def select_row(self, row: int) -> None:
        """Make a row current and selected, keeping the current column."""
        column = max(self.currentIndex().column(), 0)
        self.setCurrentIndex(self.model().index(row, column))

    @override
    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self._follow_palette()

    @override
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._follow_palette()

    def _follow_palette(self) -> None:
        model = self.model()
        if isinstance(model, TicketTableModel):
            model.set_dark(self.palette().color(QPalette.ColorRole.Base).lightness() < 128)

    @override
    def keyboardSearch(self, search: str) -> None:
        """Type-ahead: digits find a ticket number, letters a summary, from the next row on.

        Qt's own search looks only in the current cell's column, which is usually the number.
        """
        model = self.model()
        if not isinstance(model, TicketTableModel) or not search.strip():
            return
        self._typed = (self._typed + search)[-40:] if self._typing() else search
        self._typed_at = time.monotonic()
        wanted = self._typed.casefold()
        rows = model.rows()
        start = max(self.currentIndex().row(), 0)
        # A fresh search starts below the current row; a growing one may stay on it.
        first = start if len(self._typed) > 1 else start + 1
        for offset in range(len(rows)):
            pos = (first + offset) % len(rows)
            row = rows[pos]
            text = str(row.id) if wanted.isdigit() else row.summary.casefold()
            if text.startswith(wanted):
                self.select_row(pos)
                self.scrollTo(model.index(pos, 0))
                return

    def _typing(self) -> bool:
        """True while keys come quickly enough to extend the type-ahead text."""
        interval = QApplication.keyboardInputInterval() / 1000
        return time.monotonic() - self._typed_at < interval

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            ticket_id = self.current_ticket_id()
            if ticket_id is not None:
                self.ticket_activated.emit(ticket_id)
                event.accept()
                return
        super().keyPressEvent(event)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        row = self.model().data(index, RowRole)
        if row is not None:
            self.ticket_activated.emit(int(row.id))
