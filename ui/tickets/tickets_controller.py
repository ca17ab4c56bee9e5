"""Drives the ticket table: filter changes, paging, refresh, SLA, cache and recovery.

One user action, a filter change: the toolbar emits the new filters → `request()` debounces →
`apply()` bumps the generation, cancels the in-flight load (LatestTask), shows that view's
cached rows at once and asks the service for page 1 → the reply is applied only if its
generation is still current, so a slow reply for an old filter never overwrites a newer one.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from psa.connectwise.errors import ConnectWiseError
from psa.filters import TicketFilters
from psa.list_cache import ListCache
from psa.models import TicketPage, TicketRow
from ui.async_tools import LatestTask
from ui.tickets.backend import TicketsBackend
from ui.tickets.problems import Problem, problem_for
from ui.tickets.seen_marks import SeenMarks
from ui.tickets.ticket_table_model import Column, TicketTableModel
from ui.tickets.view_link import build_link

log = logging.getLogger(__name__)

PAGE_SIZE = 100
DEBOUNCE_MS = 250
RETRY_DELAYS = (2.0, 5.0, 10.0, 30.0, 60.0)
"""Seconds between automatic retries after a connection loss (the last one repeats)."""
CLOCK_TICK_MS = 30_000


async def _nothing() -> None:
    return None


class TicketsController(QObject):
    """Owns the query behind the table; the window owns the widgets and shows what it emits."""

    loading_changed = Signal(bool)
    rows_applied = Signal()            # fresh rows of the current query are in the model
    first_page_loaded = Signal()       # once per query: page 1 (fresh, not cached) is in
    cached_shown = Signal(float)       # cached rows shown (when they were saved, epoch s)
    problem = Signal(object)           # a Problem for the banner
    problem_cleared = Signal()
    filters_applied = Signal(object)   # the filters now shown
    window_about_to_merge = Signal()   # refresh: the window saves its scroll anchor
    window_merged = Signal()

    def __init__(
        self,
        backend: TicketsBackend,
        model: TicketTableModel,
        *,
        cache: ListCache | None = None,
        page_size: int = PAGE_SIZE,
        debounce_ms: int = DEBOUNCE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self.model = model
        self._cache = cache
        self._seen = SeenMarks(cache, model)
        self._page_size = page_size
        self._filters = TicketFilters()
        self._generation = 0
        self._pages_loaded = 0
        self._fresh = False           # the model holds server rows of the current query
        self._cached = False          # the model holds cached rows (until fresh ones arrive)
        self._rows_filters: TicketFilters | None = None  # the query whose rows the model holds
        self._loading = False
        self._problem: Problem | None = None
        self._visible = (0, -1)
        self._local_sort: tuple[Column, Qt.SortOrder] | None = None
        self._load = LatestTask[None](name="ticket-page")
        self._paging = LatestTask[None](name="ticket-more")
        self._refreshing = LatestTask[None](name="ticket-refresh")
        self._sla = LatestTask[None](name="ticket-sla")
        self._retry = LatestTask[None](name="ticket-retry")
        self._pending: TicketFilters | None = None
        self._closed = False
        self._fresh_at: float | None = None
        self._debounce = QTimer(self, singleShot=True, interval=debounce_ms)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self._auto_refresh = QTimer(self)
        self._auto_refresh.timeout.connect(self._on_auto_refresh_timeout)
        self._clock = QTimer(self, interval=CLOCK_TICK_MS)
        self._clock.timeout.connect(model.tick)
        self._clock.start()
        self._sla_timer = QTimer(self, singleShot=True, interval=300)
        self._sla_timer.timeout.connect(self._on_sla_timer_timeout)
        model.more_requested.connect(self._on_model_more_requested)

    # -- reading ------------------------------------------------------------------------------
    @property
    def filters(self) -> TicketFilters:
        """The filters of the rows shown (or being loaded)."""
        return self._filters

    @property
    def generation(self) -> int:
        """Bumped by every new query; replies of older generations are dropped."""
        return self._generation

    @property
    def loading(self) -> bool:
        """True while page 1 of the current query is on its way."""
        return self._loading

    @property
    def showing_cached(self) -> bool:
        """True while the table shows cached rows that fresh ones have not replaced yet."""
        return self._cached

    @property
    def fresh_at(self) -> float | None:
        """When rows last came from the server (epoch seconds), None before any did."""
        return self._fresh_at

    @property
    def current_problem(self) -> Problem | None:
        """The problem the banner shows, if any."""
        return self._problem

    @property
    def seen(self) -> SeenMarks:
        """The "changed since you last looked" bookkeeping."""
        return self._seen

    # -- commands -----------------------------------------------------------------------------
    def request(self, filters: TicketFilters, delay_ms: int = DEBOUNCE_MS) -> None:
        """A filter edit: applied after `delay_ms` unless another edit comes first."""
        if self._closed:
            return
        self._pending = filters
        if delay_ms <= 0:
            self._debounce.stop()
            self._on_debounce_timeout()
        else:
            self._debounce.start(delay_ms)

    def apply(self, filters: TicketFilters) -> None:
        """Show a new query now: cancel what is in flight and load its first page."""
        if self._closed:
            return
        self._debounce.stop()
        self._pending = None
        self._generation += 1
        self._filters = filters
        self._pages_loaded = 0
        self._fresh = False
        self._local_sort = None
        for task in (self._paging, self._refreshing, self._sla, self._retry):
            task.cancel()
        self.model.fetch_failed()  # release a paging guard held by the old query
        self.filters_applied.emit(filters)
        self._set_loading(True)
        self._load.start(self._load_first_page(self._generation, filters))

    def refresh(self) -> None:
        """F5 / auto-refresh: reload the visible rows, keeping selection and scroll."""
        if self._closed:
            return
        if self._loading or not self._fresh:
            self.apply(self._filters)
            return
        self._refreshing.start(self._refresh_window(self._generation))

    def set_auto_refresh(self, seconds: float) -> None:
        """Refresh the visible page every `seconds` (0 turns it off)."""
        if seconds > 0:
            self._auto_refresh.start(max(1, round(seconds * 1000)))
        else:
            self._auto_refresh.stop()

    def set_visible_rows(self, first: int, last: int) -> None:
        """The rows the view shows; their SLA figures are fetched once scrolling settles."""
        self._visible = (first, last)
        if not self._closed:
            self._sla_timer.start()

    def set_local_sort(self, column: Column, order: Qt.SortOrder) -> None:
        """Remember a local sort so refreshes re-apply it (only when every row is loaded)."""
        self._local_sort = (column, order)
        self.model.sort_locally(column, order)

    def shutdown(self) -> None:
        """Cancel everything and start nothing new (the window is closing)."""
        self._closed = True
        self._debounce.stop()
        self._auto_refresh.stop()
        self._clock.stop()
        self._sla_timer.stop()
        for task in (self._load, self._paging, self._refreshing, self._sla, self._retry):
            task.cancel()

    # -- first page ---------------------------------------------------------------------------
    async def _load_first_page(self, generation: int, filters: TicketFilters) -> None:
        key = build_link(filters)
        cached = asyncio.ensure_future(self._show_cached(generation, key))
        try:
            page = await self._backend.search_tickets(filters, page=1, page_size=self._page_size)
        except ConnectWiseError as exc:
            if generation == self._generation:
                if self._rows_filters != filters:
                    # The rows shown are another query's: under these filters they would be
                    # a lie. The table empties and the banner says why. (A retry of the same
                    # query keeps what it shows, cached rows included.)
                    self.model.reset_rows([], 0, pageable=False)
                    self._rows_filters = filters
                # The problem first: whoever reads the end of loading sees why it ended.
                self._report(problem_for(exc), retry=lambda: self.apply(filters))
                self._set_loading(False)
            return
        finally:
            cached.cancel()
        if generation != self._generation:
            return  # a newer query owns the table now
        self._cached = False
        self.model.reset_rows(page.items, page.total)
        self._rows_filters = filters
        self._pages_loaded = 1
        self._fresh = True
        self._fresh_at = time.time()
        self._set_loading(False)
        self._clear_problem()
        self.rows_applied.emit()
        self.first_page_loaded.emit()
        self._seen.start_check(page.items)
        self._sla_timer.start(0)
        if self._cache is not None:
            await self._save_cache(key, page)

    async def _show_cached(self, generation: int, key: str) -> None:
        if self._cache is None:
            return
        cached = await asyncio.to_thread(self._cache.load, key)
        if cached is None or generation != self._generation or self._fresh:
            return
        rows = []
        for data in cached.rows:
            try:
                rows.append(TicketRow.model_validate(data))
            except ValueError:
                return  # a row shape this version cannot read: wait for fresh rows
        self._cached = True
        self.model.reset_rows(rows, cached.total, pageable=False)
        self._rows_filters = self._filters
        self.cached_shown.emit(cached.saved_at)

    async def _save_cache(self, key: str, page: TicketPage) -> None:
        assert self._cache is not None
        rows = [row.model_dump(mode="json") for row in page.items]
        try:
            await asyncio.to_thread(self._cache.save, key, rows, page.total)
        except OSError as exc:  # a full or locked disk must not break the list
            log.warning("Could not cache the ticket list: %s", exc)

    # -- paging -------------------------------------------------------------------------------
    def _on_model_more_requested(self) -> None:
        self._paging.start(self._load_next_page(self._generation))

    async def _load_next_page(self, generation: int) -> None:
        number = self._pages_loaded + 1
        try:
            pages = await self._fetch_next(generation, number)
        except ConnectWiseError as exc:
            if generation == self._generation:
                self.model.fetch_failed()
                self._report(problem_for(exc), retry=self.model.fetchMore)
            return
        if pages is None or generation != self._generation:
            return  # a newer query owns the table (and has reset the paging guard)
        before, page = pages
        self._pages_loaded = number
        if before is not None:
            rows = [*before.items, *page.items]
            self._merge((number - 2) * self._page_size, rows, page.total)
            self.model.fetch_failed()  # merging does not end the fetch: release the guard
        else:
            self.model.append_page(page.items, page.total)
        self._after_fresh_rows(page.items)

    async def _fetch_next(
        self, generation: int, number: int
    ) -> tuple[TicketPage | None, TicketPage] | None:
        """Page `number`, plus page `number - 1` again when rows moved across the boundary.

        Beside the page goes a one-row look at the boundary: the id now at the position of the
        last loaded row. When it is no longer that row, or the total moved, tickets arrived or
        left above — possibly both at once, which leaves the total as it was — and rows may have
        crossed the boundary; re-reading the previous page catches the ones that moved up.
        """
        known_total = self.model.total
        boundary = (number - 1) * self._page_size
        last = self.model.row_at(boundary - 1) if number > 1 else None
        aligned = last is not None and self.model.rowCount() == boundary
        page, at_boundary = await asyncio.gather(
            self._backend.search_tickets(self._filters, page=number, page_size=self._page_size),
            self._backend.ticket_id_at(self._filters, boundary) if aligned
            else _nothing(),
        )
        if generation != self._generation:
            return None
        if number == 1 or (last is not None and aligned and page.total == known_total
                           and at_boundary == last.id):
            return None, page
        before = await self._backend.search_tickets(
            self._filters, page=number - 1, page_size=self._page_size
        )
        return before, page

    # -- refresh ------------------------------------------------------------------------------
    def _refresh_pages(self) -> tuple[int, int, int]:
        """(first page, last settled page, last page with margin) covering the visible rows."""
        size = self._page_size
        first_row, last_row = self._visible
        last_row = max(last_row, first_row)
        first = first_row // size + 1
        last = min(max(last_row // size + 1, first), max(self._pages_loaded, 1))
        margin = last + 1 if last < self._pages_loaded else last
        return first, last, margin

    async def _refresh_window(self, generation: int) -> None:
        first, last, margin = self._refresh_pages()
        try:
            pages: Sequence[TicketPage] = await asyncio.gather(*(
                self._backend.search_tickets(self._filters, page=n, page_size=self._page_size)
                for n in range(first, margin + 1)
            ))
        except ConnectWiseError as exc:
            if generation == self._generation:
                self._report(problem_for(exc), retry=self.refresh)
            return
        if generation != self._generation:
            return
        rows = [row for page in pages for row in page.items]
        settled = sum(len(p.items) for p in pages[: last - first + 1])
        self._merge((first - 1) * self._page_size, rows, pages[-1].total, settled=settled)
        self._after_fresh_rows(rows)
        self._sla_timer.start(0)

    def _merge(self, start: int, rows: Sequence[TicketRow], total: int,
               *, settled: int | None = None) -> None:
        self.window_about_to_merge.emit()
        self.model.merge_window(start, rows, total, settled=settled)
        if self._local_sort is not None:
            if self.model.all_loaded():
                self.model.sort_locally(*self._local_sort)
            else:
                self._local_sort = None
        self.window_merged.emit()

    def _after_fresh_rows(self, rows: Sequence[TicketRow]) -> None:
        # Fresh rows mean the server answers again, whichever request failed before (a page
        # fetched while scrolling, a refresh): the banner goes and the retries stop.
        self._clear_problem()
        self._fresh_at = time.time()
        self._seen.start_check(rows)
        self.rows_applied.emit()

    # -- SLA ----------------------------------------------------------------------------------
    def _on_sla_timer_timeout(self) -> None:
        if self._fresh:
            self._sla.start(self._load_sla(self._generation))

    async def _load_sla(self, generation: int) -> None:
        first, last = self._visible
        if last < first:
            first, last = 0, min(self.model.rowCount(), self._page_size) - 1
        ids = [r.id for r in self.model.rows()[max(first, 0): last + 1] if not r.closed]
        if not ids:
            return
        try:
            states = await self._backend.sla_now(ids)
        except ConnectWiseError as exc:
            log.info("SLA figures unavailable: %s", exc)  # the column simply stays blank
            return
        if generation == self._generation:
            self.model.set_sla(states)

    # -- problems and recovery ----------------------------------------------------------------
    def _report(self, problem: Problem, *, retry: Any) -> None:
        log.warning("Ticket list: %s", problem.detail or problem.message)
        self._problem = problem
        self.problem.emit(problem)
        if problem.retry_automatically:
            self._retry.start(self._retry_later(self._generation, retry))

    async def _retry_later(self, generation: int, retry: Any) -> None:
        for delay in itertools.chain(RETRY_DELAYS, itertools.repeat(RETRY_DELAYS[-1])):
            await asyncio.sleep(delay)
            if generation != self._generation or self._problem is None:
                return
            try:
                await self._backend.search_tickets(self._filters, page=1, page_size=1)
            except ConnectWiseError:
                continue
            break
        if generation == self._generation:
            retry()

    def retry_now(self) -> None:
        """The banner's Retry button: load the current query again."""
        self.apply(self._filters)

    def _clear_problem(self) -> None:
        if self._problem is not None:
            self._problem = None
            self._retry.cancel()
            self.problem_cleared.emit()

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # -- slots --------------------------------------------------------------------------------
    def _on_debounce_timeout(self) -> None:
        filters, self._pending = self._pending, None
        if filters is not None and (filters != self._filters or not self._fresh):
            self.apply(filters)

    def _on_auto_refresh_timeout(self) -> None:
        if self._fresh and not self._loading:
            self.refresh()
