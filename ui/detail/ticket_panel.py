"""One ticket in the dock: header, notes and note box, configurations, related, resources.

Loading: the ticket and every section come in one round trip (``ticket_detail`` without the
configuration records); the board's statuses and the full configuration records follow in a
second, concurrently. A recently viewed ticket is painted from the cache at once and refreshed
in the background. Loads run in a LatestTask, so switching tickets cancels the stale one, and
every result is checked against the ticket shown before it is painted: one ticket's data never
appears under another's header.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from psa.connectwise.errors import ConnectWiseError, NotFound, PermissionDenied
from psa.context import warning_for
from psa.detail_cache import DetailCache, as_row, configurations_complete, merge_row
from psa.detail_cache import reuse_configuration_details as reuse_configs
from psa.drafts import DraftStore
from psa.models import (
    BoardStatusOption,
    ConfigurationItem,
    PermissionWarning,
    Section,
    TicketDetail,
    TicketRow,
)
from ui.async_tools import WidgetTasks
from ui.detail.backend import DetailBackend, warning_about
from ui.detail.configurations_view import ConfigurationsView
from ui.detail.header_view import HeaderView
from ui.detail.look import Tone
from ui.detail.note_editor import NoteEditor
from ui.detail.notes_view import NotesView
from ui.detail.notice_bar import NoticeBar
from ui.detail.related_view import RelatedView
from ui.detail.resources_view import ResourcesView
from ui.detail.section_view import SectionView
from ui.detail.ticket_actions import TicketActions

UrlOpener = Callable[[QUrl], Any]
Statuses = tuple[tuple[BoardStatusOption, ...], PermissionWarning | None]
TAB_TITLES = ("Notes", "Configs", "Related", "Resources")
"""Short, so the four tabs fit a narrow dock ("Configs": ConnectWise's configurations)."""


class TicketPanel(QWidget):
    """Shows one ticket at a time; emits every change of a ticket's list row."""

    ticket_updated = Signal(object)         # TicketRow: apply to the list row with that id
    ticket_reverted = Signal(object, str)   # TicketRow, reason: an optimistic change undone
    open_ticket_requested = Signal(int)     # a related ticket was clicked
    sections_loaded = Signal(int)           # everything but the configuration records
    all_sections_loaded = Signal(int)       # ... and those, and the board's statuses
    load_failed = Signal(int, str)

    def __init__(self, service: DetailBackend, *, drafts: DraftStore, cache: DetailCache,
                 tasks: WidgetTasks, open_url: UrlOpener, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.drafts = drafts
        self.cache = cache
        self.tasks = tasks
        self._load = tasks.latest("ticket-detail")
        self._ticket_id: int | None = None
        self._detail: TicketDetail | None = None
        self._statuses: dict[int, Statuses] = {}
        self._members_task: asyncio.Task[None] | None = None
        self.complete = False
        self._build(open_url)
        self.changes = TicketActions(self)

    def _build(self, open_url: UrlOpener) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.header = HeaderView(self)
        self.notice = NoticeBar(self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setExpanding(False)
        self.tabs.setAccessibleName("Ticket sections")
        self.tabs.tabBar().setAccessibleName("Ticket sections")
        self.notes = NotesView(open_url, self)
        self.editor = NoteEditor(self.drafts, self.tasks, self)
        notes_page = QSplitter(Qt.Orientation.Vertical, self)
        notes_page.setChildrenCollapsible(False)
        notes_page.addWidget(self.notes)
        notes_page.addWidget(self.editor)
        notes_page.setStretchFactor(0, 3)
        notes_page.setStretchFactor(1, 1)
        self.configurations = ConfigurationsView(self)
        self.related = RelatedView(self)
        self.resources = ResourcesView(self)
        for page, title in zip((notes_page, self.configurations, self.related, self.resources),
                               TAB_TITLES, strict=True):
            self.tabs.addTab(page, title)
        column.addWidget(self.header)
        column.addWidget(self.notice)
        column.addWidget(self.tabs, 1)
        self.related.open_ticket.connect(self.open_ticket_requested)

    # ------------------------------------------------------------------ reading

    @property
    def ticket_id(self) -> int | None:
        return self._ticket_id

    @property
    def detail(self) -> TicketDetail | None:
        """The detail painted now (cached or fresh), None while only a placeholder shows."""
        return self._detail

    def section_views(self) -> tuple[SectionView, ...]:
        return (self.notes, self.configurations, self.related, self.resources)

    def shown_ticket_ids(self) -> set[int | None]:
        """The ticket asked for and the one each part shows: one id when consistent."""
        ids = {self._ticket_id, self.header.ticket_id, self.editor.ticket_id}
        ids.update(view.ticket_id for view in self.section_views())
        if self._detail is not None:
            ids.add(self._detail.ticket.id)
        return ids

    # ------------------------------------------------------------------ showing a ticket

    def show_ticket(self, ticket_id: int, hint: TicketRow | None = None, *,
                    refresh: bool = False) -> None:
        """Show ``ticket_id``: cached content at once, then fresh from the server."""
        ticket_id = int(ticket_id)
        same = ticket_id == self._ticket_id
        if same and not refresh:
            return
        self._ticket_id = ticket_id
        cached = self.cache.get(ticket_id)
        board = (cached.ticket.board_id if cached else hint.board_id if hint else None)
        # Started before painting, so the requests go out before the first paint does.
        self._load.start(self._load_ticket(ticket_id, board, cached))
        if not same:
            self.notice.clear()
            self.complete = False
            # The note box first: it takes the board's statuses from the paint, and switching
            # its ticket clears them (a cached revisit whose refresh fails would offer none).
            self.editor.set_ticket(ticket_id, sending=self.changes.is_sending(ticket_id))
            if cached is not None:
                self._paint(cached)
            else:
                self._paint_loading(ticket_id, hint)
        self._ensure_members()

    def refresh(self) -> None:
        """Reload the ticket shown (the cache is painted over, not cleared)."""
        if self._ticket_id is not None:
            self.show_ticket(self._ticket_id, refresh=True)

    def clear(self) -> None:
        """Show nothing (the dock switched to the bulk panel or lost its ticket)."""
        self._load.cancel()
        self._ticket_id = None
        self._detail = None
        self.editor.set_ticket(None)

    def _paint_loading(self, ticket_id: int, hint: TicketRow | None) -> None:
        self._detail = None
        self.header.show_loading(ticket_id, hint)
        for view in self.section_views():
            view.show_loading(ticket_id)
        self._apply_statuses(ticket_id, hint.board_id if hint else None)
        self._update_tab_titles()

    def _paint(self, detail: TicketDetail) -> None:
        """Paint a whole detail; a pending status change stays painted over the server's."""
        detail = self.changes.overlay(detail)
        tid = detail.ticket.id
        self._detail = detail
        self.header.show_view(detail.ticket)
        self.notes.show_section(tid, detail.notes)
        self.configurations.show_section(tid, detail.configurations)
        self.related.show_section(tid, detail.related)
        self.resources.show_section(tid, detail.resources)
        self._apply_statuses(tid, detail.ticket.board_id)
        self.changes.sync_busy()
        self._update_tab_titles()

    def _apply_statuses(self, ticket_id: int, board_id: int | None) -> None:
        known = self._statuses.get(board_id) if board_id is not None else None
        if known is not None:
            statuses, warning = known
            self.header.set_statuses(ticket_id, statuses, warning)
            self.editor.set_statuses(ticket_id, statuses)

    def _update_tab_titles(self) -> None:
        for index, (view, title) in enumerate(zip(self.section_views(), TAB_TITLES, strict=True)):
            count = view.count()
            text = f"{title} ({count})" if count is not None else title
            if view.problem is not None:
                text += " ⚠"
            self.tabs.setTabText(index, text)
            tip = view.message or ("Configurations (devices) on the ticket" if index == 1 else "")
            self.tabs.setTabToolTip(index, tip)

    # ------------------------------------------------------------------ loading

    async def _load_ticket(self, ticket_id: int, board: int | None,
                           cached: TicketDetail | None) -> None:
        early = self._start_statuses(board)
        later: list[asyncio.Future[Any]] = [] if early is None else [early]
        try:
            try:
                fresh = await self.service.ticket_detail(ticket_id, configuration_details=False)
            except ConnectWiseError as exc:
                self._load_error(ticket_id, exc, had_cache=cached is not None)
                return
            if fresh.ticket.id != ticket_id or ticket_id != self._ticket_id:
                return
            fresh = reuse_configs(fresh, self.cache.get(ticket_id) or cached)
            statuses = early if board == fresh.ticket.board_id else None
            statuses = statuses or self._start_statuses(fresh.ticket.board_id)
            if statuses is not None and statuses is not early:
                later.append(statuses)
            if not configurations_complete(fresh.configurations.value):
                later.append(asyncio.ensure_future(
                    self._configuration_records(ticket_id, fresh.configurations)))
            if len(later) > (early is not None):
                await asyncio.sleep(0)  # the second round trip leaves before the paint
            self.accept(fresh)
            self.sections_loaded.emit(ticket_id)
            await asyncio.gather(*later)
            if ticket_id == self._ticket_id:
                self._apply_statuses(ticket_id, fresh.ticket.board_id)
                self.complete = True
                self.all_sections_loaded.emit(ticket_id)
        finally:
            for task in later:
                task.cancel()

    def accept(self, fresh: TicketDetail) -> None:
        """A fresh detail from the server: cache it, paint it if shown, sync the list row."""
        self.cache.put(fresh)
        self.changes.fresh_loaded(fresh.ticket.id)
        if fresh.ticket.id == self._ticket_id:
            self._paint(fresh)
        shown = self.changes.overlay(fresh)
        self.ticket_updated.emit(as_row(shown.ticket))

    def _start_statuses(self, board: int | None) -> asyncio.Future[None] | None:
        if board is None or board in self._statuses:
            return None
        return asyncio.ensure_future(self._fetch_statuses(board))

    async def _fetch_statuses(self, board: int) -> None:
        try:
            statuses = await self.service.statuses(board)
        except ConnectWiseError as exc:
            warning = PermissionWarning(area="statuses", permission="", message=exc.message)
            self._statuses[board] = ((), warning)
            return
        # Not readable (no Table Setup): the statuses come from tickets seen, if any — the
        # warning stays with them so the header can say the list may be short.
        self._statuses[board] = (statuses, warning_about(self.service, "statuses"))
        detail = self._detail
        if detail is not None and detail.ticket.board_id == board:
            self._apply_statuses(detail.ticket.id, board)

    async def _configuration_records(
        self, ticket_id: int, refs: Section[tuple[ConfigurationItem, ...]]
    ) -> None:
        items: tuple[ConfigurationItem, ...] = refs.value or ()
        section: Section[tuple[ConfigurationItem, ...]]
        try:
            full = await self.service.configuration_details(items)
        except PermissionDenied as exc:
            section = Section(value=items, warning=warning_for("configurations", exc))
        except ConnectWiseError as exc:
            section = Section(value=items, error=exc.message)
        else:
            section = Section(value=full, error=refs.error, warning=refs.warning)
        current = self._detail if self._ticket_id == ticket_id else self.cache.get(ticket_id)
        if current is None or current.ticket.id != ticket_id:
            return
        updated = current.model_copy(update={"configurations": section})
        self.cache.put(updated)
        if ticket_id == self._ticket_id:
            self._detail = updated
            self.configurations.show_section(ticket_id, section)
            self._update_tab_titles()

    def _load_error(self, ticket_id: int, exc: ConnectWiseError, *, had_cache: bool) -> None:
        if ticket_id != self._ticket_id:
            return
        reason = exc.message
        if isinstance(exc, NotFound):
            reason = (f"Ticket #{ticket_id} was not found: it may have been deleted, or this "
                      "API member cannot see it.")
        if had_cache:
            self.notice.show_notice(
                f"Could not refresh #{ticket_id}: {reason} Showing what was loaded before.",
                Tone.WARNING)
        else:
            self.header.show_loading(ticket_id)
            self.header.summary.setText("Could not load this ticket")
            for view in self.section_views():
                view.show_failed(ticket_id, "Not loaded.")
            self.notice.show_notice(f"{reason} Use Refresh to try again.", Tone.ERROR)
            self._update_tab_titles()
        self.load_failed.emit(ticket_id, reason)

    # ------------------------------------------------------------------ members (picker)

    def _ensure_members(self) -> None:
        if self._members_task is None:
            self._members_task = self.tasks.spawn(self._load_members(), name="detail-members")

    async def _load_members(self) -> None:
        try:
            members = await self.service.members()
        except ConnectWiseError as exc:
            warning = PermissionWarning(area="members", permission="", message=exc.message)
            self.resources.set_members((), warning)
            self._members_task = None  # try again with the next ticket
            return
        self.resources.set_members(members, None if members else
                                   warning_about(self.service, "members"))

    # ------------------------------------------------------------------ used by the actions

    def repaint_ticket_row(self, row: TicketRow) -> None:
        """A newer list row of some ticket: into the cache, the header, and the list."""
        self.cache.update_row(row)
        if self._detail is not None and self._detail.ticket.id == row.id:
            self._detail = self._detail.model_copy(
                update={"ticket": merge_row(self._detail.ticket, row)})
            self.header.show_view(self._detail.ticket)
            self._apply_statuses(row.id, row.board_id)
        self.ticket_updated.emit(row)

    def repaint_detail(self, detail: TicketDetail) -> None:
        """A locally changed detail (a note added, resources changed)."""
        self.cache.put(detail)
        if detail.ticket.id == self._ticket_id:
            self._paint(detail)

    def known_detail(self, ticket_id: int) -> TicketDetail | None:
        """The shown detail of that ticket, else the cached one."""
        if self._detail is not None and self._detail.ticket.id == ticket_id:
            return self._detail
        return self.cache.get(ticket_id)

    def update_tabs(self) -> None:
        self._update_tab_titles()

    def refresh_if_shown(self, ticket_id: int) -> None:
        if ticket_id == self._ticket_id:
            self.refresh()

    def reload_if_loading(self, ticket_id: int) -> None:
        """A change was saved while a load was on its way: that load may predate the change,
        so it is restarted rather than allowed to paint the older state over the newer."""
        if ticket_id == self._ticket_id and self._load.is_running():
            self.refresh()
