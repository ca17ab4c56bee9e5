"""The ticket list page: saved views beside banners and the table, wired to the controller."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget
from typing_extensions import override

from psa.connectwise.errors import ConnectWiseError
from psa.filters import TicketFilters
from psa.list_cache import ListCache
from ui.async_tools import WidgetTasks
from ui.tickets.backend import TicketsBackend
from ui.tickets.banner import Banner
from ui.tickets.filter_toolbar import FilterToolbar
from ui.tickets.problems import Problem, limited_problem
from ui.tickets.saved_views import SavedView, SavedViewsModel, load_views, save_views
from ui.tickets.saved_views_panel import SavedViewsPanel
from ui.tickets.ticket_table_model import SERVER_ORDER, Column, TicketTableModel
from ui.tickets.ticket_table_view import TicketTableView
from ui.tickets.tickets_controller import TicketsController

FILTERS_KEY = "tickets/filters"
COLUMNS_KEY = "tickets/columns"
SPLITTER_KEY = "tickets/splitter"
REFRESH_KEY = "tickets/auto_refresh_seconds"
DEFAULT_REFRESH_SECONDS = 60
COUNT_PARALLEL = 4
COUNTS_EVERY_MS = 5 * 60_000
"""Saved views' counts are refreshed this often (and on F5), or as often as the list
auto-refreshes when that is sooner."""


FORMER_ORDER_FIELDS = {"priority/name": "priority/sort"}
"""Sort fields saved by earlier versions (views, links, settings) and the column they meant."""


def order_for(column: Column, order: Qt.SortOrder) -> str | None:
    """The server orderBy for a header click, or None when the server cannot sort it."""
    if column not in SERVER_ORDER:
        return None
    field, reverse = SERVER_ORDER[column]
    ascending = (order == Qt.SortOrder.AscendingOrder) != reverse
    return f"{field} {'asc' if ascending else 'desc'}"


def column_for(order_by: str) -> tuple[Column, Qt.SortOrder] | None:
    """The header column and arrow for a server orderBy (its first key)."""
    field, _, direction = order_by.split(",", maxsplit=1)[0].strip().partition(" ")
    field = FORMER_ORDER_FIELDS.get(field, field)
    for column, (name, reverse) in SERVER_ORDER.items():
        if name == field:
            ascending = (direction != "desc") != reverse
            return column, (Qt.SortOrder.AscendingOrder if ascending
                            else Qt.SortOrder.DescendingOrder)
    return None


class TicketsPage(QWidget):
    """Everything below the toolbar. The window adds `toolbar` and shows the status texts."""

    ticket_activated = Signal(int)
    status_message = Signal(str)
    counts_updated = Signal()

    def __init__(
        self,
        backend: TicketsBackend,
        settings: QSettings,
        *,
        cache: ListCache | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._settings = settings
        self._tasks = WidgetTasks(self)
        self._counts = self._tasks.latest("view-counts")
        self._counts_timer = QTimer(self, interval=COUNTS_EVERY_MS)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self.model = TicketTableModel(self)
        self.controller = TicketsController(backend, self.model, cache=cache, parent=self)
        self.toolbar = FilterToolbar(backend, self)
        stored = load_views(settings)
        self._views_note = stored.unreadable_note()
        self.views = SavedViewsModel(stored.views, self, unreadable=stored.unreadable)
        self.views_panel = SavedViewsPanel(self.views, self)
        self.views_panel.show_note(self._views_note)
        self.banner = Banner(self)
        self.notice = Banner(self)
        self.notice.setObjectName("notice")
        self.table = TicketTableView(self)
        self.table.setModel(self.model)
        self._build_layout()
        self._restore_state()
        self._connect()

    def _build_layout(self) -> None:
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.banner)
        column.addWidget(self.notice)
        column.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("ticketsSplitter")
        self.splitter.addWidget(self.views_panel)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([185, 1255])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.splitter)
        for first, second in ((self.toolbar.closed, self.toolbar.clear_button),
                              (self.toolbar.clear_button, self.table),
                              (self.table, self.views_panel.list)):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        c = self.controller
        self.toolbar.filters_changed.connect(c.request)
        self.toolbar.ticket_requested.connect(self.ticket_activated)
        self.toolbar.lookups_loaded.connect(self._on_toolbar_lookups_loaded)
        c.filters_applied.connect(self._on_controller_filters_applied)
        c.problem.connect(self._on_controller_problem)
        c.problem_cleared.connect(self.banner.clear)
        c.rows_applied.connect(self._on_controller_rows_applied)
        c.window_about_to_merge.connect(self._save_scroll_anchor)
        c.window_merged.connect(self._restore_scroll_anchor)
        self.banner.retry_requested.connect(c.retry_now)
        self.table.ticket_activated.connect(self.ticket_activated)
        self.table.sort_requested.connect(self._on_table_sort_requested)
        self.table.verticalScrollBar().valueChanged.connect(self._on_view_scrolled)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.model.total_changed.connect(lambda _t: self.status_message.emit(""))
        self.views.views_changed.connect(self._save_views)
        self.views_panel.view_activated.connect(self.open_view)
        self.views_panel.save_current_requested.connect(self.save_current_as_view)

    # -- state --------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        self.table.restore_columns(self._settings.value(COLUMNS_KEY))
        splitter = self._settings.value(SPLITTER_KEY)
        if splitter:
            self.splitter.restoreState(splitter)
        filters, labels = self._saved_filters()
        self.toolbar.set_filters(filters, labels)
        self._show_sort(filters)
        self._follow_auto_refresh(self.auto_refresh_seconds())

    def _saved_filters(self) -> tuple[TicketFilters, dict[str, str]]:
        raw = self._settings.value(FILTERS_KEY)
        try:
            data = json.loads(str(raw)) if raw else {}
            return (TicketFilters.model_validate(data.get("filters", {})),
                    {str(k): str(v) for k, v in data.get("labels", {}).items()})
        except (ValueError, AttributeError):
            return TicketFilters(), {}  # settings from another version: start clean

    def _save_views(self) -> None:
        save_views(self._settings, self.views.views(), self.views.unreadable())

    def save_state(self) -> None:
        """Persist filters, columns and the splitter (called on close and on changes)."""
        data = {"filters": self.controller.filters.model_dump(mode="json"),
                "labels": self.toolbar.labels()}
        self._settings.setValue(FILTERS_KEY, json.dumps(data))
        self._settings.setValue(COLUMNS_KEY, self.table.save_columns())
        self._settings.setValue(SPLITTER_KEY, self.splitter.saveState())

    def set_auto_refresh(self, seconds: int) -> None:
        """Change the auto-refresh interval (0 = off) and remember it."""
        self._settings.setValue(REFRESH_KEY, seconds)
        self._follow_auto_refresh(seconds)

    def _follow_auto_refresh(self, seconds: int) -> None:
        self.controller.set_auto_refresh(seconds)
        # The views' counts keep up with the list: stale counts beside fresh rows mislead.
        every = COUNTS_EVERY_MS if seconds <= 0 else min(COUNTS_EVERY_MS, seconds * 1000)
        self._counts_timer.setInterval(every)

    def auto_refresh_seconds(self) -> int:
        """The remembered auto-refresh interval."""
        value = str(self._settings.value(REFRESH_KEY, DEFAULT_REFRESH_SECONDS))
        return int(value) if value.isdigit() else 0

    # -- start and queries --------------------------------------------------------------------
    def start(self) -> None:
        """Load the first page of the restored filters, then the lookups (never blocking)."""
        self.controller.apply(self.toolbar.filters())
        self._tasks.spawn(self._load_lookups(), name="lookups")
        if self._views_note:
            self.status_message.emit(self._views_note)

    async def _load_lookups(self, *, refresh: bool = False) -> None:
        try:
            await self.toolbar.load_lookups(refresh=refresh)
        except ConnectWiseError as exc:
            self.status_message.emit(f"Filter lists unavailable: {exc.message}")

    def show_filters(self, filters: TicketFilters, labels: dict[str, str] | None = None) -> None:
        """Show a filter state (saved view, link) and load it at once."""
        self.toolbar.set_filters(filters, labels or {})
        self._show_sort(filters)
        self.controller.apply(filters)

    def open_view(self, view: SavedView) -> None:
        """Show a saved view."""
        self.show_filters(view.filters, view.labels)

    def open_view_at(self, row: int) -> None:
        """Ctrl+1..9."""
        self.views_panel.activate_row(row)

    def save_current_as_view(self) -> None:
        """Add the current filters as a view and start naming it in place."""
        view = SavedView(name="New view", filters=self.controller.filters,
                         labels=self.toolbar.labels())
        row = self.views.add(view)
        self.views_panel.edit_row(row)
        self._counts.start(self._refresh_counts([view]))

    def refresh(self) -> None:
        """F5: the visible rows and the views' counts."""
        self.controller.refresh()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Ask the server for every saved view's live count."""
        self._counts_timer.start()  # the next periodic refresh counts from now
        self._counts.start(self._refresh_counts(self.views.views()))

    async def _refresh_counts(self, views: Sequence[SavedView]) -> None:
        gate = asyncio.Semaphore(COUNT_PARALLEL)

        async def count(filters: TicketFilters) -> tuple[TicketFilters, int | None]:
            async with gate:
                try:
                    page = await self._backend.search_tickets(filters, page=1, page_size=1)
                except ConnectWiseError:
                    return filters, None  # e.g. "My open" when the key's member is unknown
                return filters, page.total

        unique = list(dict.fromkeys(v.filters for v in views))
        results = await asyncio.gather(*(count(f) for f in unique))
        self.views.set_counts(dict(results))
        self.counts_updated.emit()

    # -- slots --------------------------------------------------------------------------------
    def _on_controller_filters_applied(self, filters: TicketFilters) -> None:
        row = self.views.row_of(filters)
        self.views_panel.select_row(-1 if row is None else row)
        self.save_state()

    def _on_controller_problem(self, problem: Problem) -> None:
        self.banner.show_problem(problem)

    def _on_controller_rows_applied(self) -> None:
        self._report_visible()
        notice = limited_problem(self._backend.warnings)
        if notice is not None and self.notice.problem != notice:
            self.notice.show_problem(notice)
            self._tasks.spawn(self._load_lookups(), name="lookups-degraded")

    def _on_toolbar_lookups_loaded(self) -> None:
        self.model.set_priority_colours(self.toolbar.priority_colours())
        notice = limited_problem(self._backend.warnings)
        if notice is not None and self.notice.problem != notice:
            self.notice.show_problem(notice)

    def _on_table_sort_requested(self, column: Column, order: Qt.SortOrder) -> None:
        order_by = order_for(column, order)
        if order_by is not None:
            filters = self.controller.filters.model_copy(update={"order_by": order_by})
            self.toolbar.set_filters(filters)
            self.table.show_sort(column, order)
            self.controller.apply(filters)
        elif self.model.all_loaded():
            self.table.show_sort(column, order)
            self.controller.set_local_sort(column, order)
        else:
            self._show_sort(self.controller.filters)
            self.status_message.emit(
                f"Sorting by {column.name.title()} needs every matching ticket loaded "
                f"({self.model.rowCount():,} of {self.model.total:,} so far): scroll to the "
                f"end, or narrow the filters."
            )

    def _show_sort(self, filters: TicketFilters) -> None:
        found = column_for(filters.order_by)
        if found is None:
            self.table.show_sort(None, Qt.SortOrder.AscendingOrder)
        else:
            self.table.show_sort(*found)

    def _on_current_row_changed(self, current: Any, _previous: Any) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None and self.model.is_changed(row.id):
            self.controller.seen.looked_at([row])

    # -- visible rows and scroll --------------------------------------------------------------
    def visible_rows(self) -> tuple[int, int]:
        """First and last row the table shows (-1 when empty)."""
        viewport = self.table.viewport()
        first = self.table.rowAt(0)
        last = self.table.rowAt(viewport.height() - 1)
        if first < 0:
            return (-1, -1)
        return first, last if last >= 0 else self.model.rowCount() - 1

    def _on_view_scrolled(self, _value: int) -> None:
        self._report_visible()

    def _report_visible(self) -> None:
        first, last = self.visible_rows()
        self.controller.set_visible_rows(max(first, 0), last)
        self.status_message.emit("")

    def _save_scroll_anchor(self) -> None:
        first = self.table.rowAt(0)
        row = self.model.row_at(first)
        self._anchor = (row.id, self.table.rowViewportPosition(first)) if row else None

    def _restore_scroll_anchor(self) -> None:
        anchor = getattr(self, "_anchor", None)
        if anchor is None:
            return
        pos = self.model.row_of(anchor[0])
        if pos is not None:
            bar = self.table.verticalScrollBar()
            bar.setValue(bar.value() + self.table.rowViewportPosition(pos) - anchor[1])

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            QTimer.singleShot(0, self._report_visible)
        return False

    def shutdown(self) -> None:
        """Persist state and cancel background work (the window is closing)."""
        self.save_state()
        self._counts_timer.stop()
        self.controller.shutdown()
        self.controller.seen.cancel()
        self.toolbar.cancel_tasks()
        self._tasks.cancel_all()
