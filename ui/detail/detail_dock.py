"""The ticket detail dock: follows the list's selection (or is pinned), with back/forward.

One row selected shows that ticket (``TicketPanel``); several turn the dock into the bulk
panel. The dock never edits the list itself: it emits ``ticket_updated(TicketRow)`` for every
change of a ticket's row (optimistic, confirmed, rolled back, reloaded) and the main window
applies it to its table model by id, so the list row and the dock never disagree.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMenu,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from psa.detail_cache import DetailCache
from psa.drafts import DraftStore
from psa.models import TicketRow
from ui.async_tools import WidgetTasks
from ui.detail.backend import DetailBackend
from ui.detail.bulk_panel import BulkPanel
from ui.detail.history import History
from ui.detail.look import muted
from ui.detail.ticket_panel import TicketPanel

UrlOpener = Callable[[QUrl], Any]
PREFERRED_WIDTH = 430
MINIMUM_WIDTH = 380
"""Below this the header's pairs and the section tabs no longer fit side by side."""
EMPTY_TEXT = "Select a ticket to see its details here.\n\nSelect several to change them together."


class DetailLoadError(Exception):
    """``open_and_wait`` could not load the ticket."""


def _desktop_open(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


class DetailDock(QDockWidget):
    """The dock beside the ticket list; dockable left or right, or floating."""

    ticket_updated = Signal(object)          # TicketRow: apply to the list row with that id
    ticket_reverted = Signal(object, str)    # TicketRow, reason: a change was refused/ignored
    open_ticket_requested = Signal(int)      # a related ticket was opened in the dock
    current_ticket_changed = Signal(int)     # the ticket shown (0: none, or the bulk panel)
    sections_loaded = Signal(int)            # all sections but configuration records
    all_sections_loaded = Signal(int)        # ... and those, and the board's statuses
    load_failed = Signal(int, str)
    spin_off_requested = Signal(int)         # a new ticket from this one, as its child

    def __init__(self, service: DetailBackend, *, drafts: DraftStore,
                 parent: QWidget | None = None, cache: DetailCache | None = None,
                 open_url: UrlOpener | None = None) -> None:
        super().__init__("Ticket", parent)
        self.setObjectName("ticketDetailDock")
        self.setMinimumWidth(MINIMUM_WIDTH)
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.service = service
        self.drafts = drafts
        self.cache = cache or DetailCache()
        self._open_url = open_url or _desktop_open
        # Closing the dock only hides it: a note on its way must not be cancelled. Closing the
        # window does cancel (see eventFilter), before the app closes the HTTP client.
        self.tasks = WidgetTasks(self, cancel_on_close=False)
        if parent is not None:
            parent.installEventFilter(self)
        self.history = History()
        self._pinned = False
        self._missed_selection: tuple[list[int], dict[int, TicketRow]] | None = None
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.toolbar = self._build_toolbar(body)
        column.addWidget(self.toolbar)
        self.stack = QStackedWidget(body)
        self.empty = QLabel(EMPTY_TEXT, body)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {muted(self.empty.palette()).name()}; padding: 24px;")
        self.panel = TicketPanel(service, drafts=drafts, cache=self.cache, tasks=self.tasks,
                                 open_url=self._open_url, parent=body)
        self.bulk = BulkPanel(service, cache=self.cache, tasks=self.tasks, parent=body)
        for page in (self.empty, self.panel, self.bulk):
            self.stack.addWidget(page)
        column.addWidget(self.stack, 1)
        self.setWidget(body)
        self._connect()
        self._sync_actions()

    def _build_toolbar(self, parent: QWidget) -> QToolBar:
        bar = QToolBar(parent)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        def action(text: str, tip: str, slot: Callable[[], None],
                   keys: Iterable[QKeySequence | str] = ()) -> QAction:
            act = QAction(text, self)
            act.setToolTip(tip)
            shortcuts = [QKeySequence(k) if isinstance(k, str) else k for k in keys]
            if shortcuts:
                act.setShortcuts(shortcuts)
                act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                names = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                                  for s in shortcuts)
                act.setToolTip(f"{tip} ({names})")
            act.triggered.connect(slot)
            bar.addAction(act)
            button = bar.widgetForAction(act)
            if button is not None:  # a screen reader says "Back", not "left-pointing triangle"
                button.setAccessibleName(text if any(c.isalnum() for c in text) else tip)
            return act

        self.back_action = action("◀", "Back", self.back, ["Alt+Left"])
        self.forward_action = action("▶", "Forward", self.forward, ["Alt+Right"])
        bar.addSeparator()
        self.pin_action = action("Pin", "Keep this ticket while the selection changes",
                                 self._on_pin_action_triggered)
        self.pin_action.setCheckable(True)
        self.refresh_action = action("Refresh", "Reload this ticket", self.refresh)
        self.open_action = action("Open in ConnectWise", "Open the ticket's page in your browser",
                                  self.open_in_connectwise)
        self.spin_off_action = action("Spin off", "New ticket pre-filled from this one and "
                                      "linked as its child", self.spin_off, ["Ctrl+Shift+N"])
        self.copy_menu = QMenu(parent)
        self.copy_number_action = self.copy_menu.addAction("Copy ticket number")
        self.copy_number_action.triggered.connect(self.copy_number)
        self.copy_link_action = self.copy_menu.addAction("Copy link")
        self.copy_link_action.triggered.connect(self.copy_link)
        copy = QToolButton(bar)
        copy.setText("Copy")
        copy.setAccessibleName("Copy ticket number or link")
        copy.setToolTip("Copy the ticket number or its ConnectWise link")
        copy.setMenu(self.copy_menu)
        copy.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.copy_button = copy
        bar.addWidget(copy)
        return bar

    def _connect(self) -> None:
        panel = self.panel
        panel.ticket_updated.connect(self.ticket_updated)
        panel.ticket_reverted.connect(self.ticket_reverted)
        panel.sections_loaded.connect(self._on_panel_sections_loaded)
        panel.all_sections_loaded.connect(self.all_sections_loaded)
        panel.load_failed.connect(self.load_failed)
        panel.open_ticket_requested.connect(self._on_panel_open_ticket_requested)
        self.bulk.ticket_updated.connect(self.ticket_updated)
        self.bulk.running_changed.connect(self._on_bulk_running_changed)

    # ------------------------------------------------------------------ reading

    @property
    def pinned(self) -> bool:
        return self._pinned

    @property
    def ticket_id(self) -> int | None:
        """The ticket shown (None for the empty page and the bulk panel)."""
        return self.panel.ticket_id if self.stack.currentWidget() is self.panel else None

    @property
    def showing_bulk(self) -> bool:
        return self.stack.currentWidget() is self.bulk

    # ------------------------------------------------------------------ navigation

    def follow_selection(self, ticket_ids: Sequence[int],
                         rows: Iterable[TicketRow] = ()) -> None:
        """The list's selection changed: follow it unless pinned or a bulk job runs."""
        if self._pinned or self.bulk.running:
            return
        by_id = {r.id: r for r in rows}
        ids = list(dict.fromkeys(int(i) for i in ticket_ids))
        if self.isHidden():
            # Closed: load nothing now, catch up when shown again.
            self._missed_selection = (ids, by_id)
            return
        self._missed_selection = None
        if len(ids) == 1:
            self.show_ticket(ids[0], by_id.get(ids[0]))
        elif len(ids) > 1:
            self.show_selection(ids, by_id)

    def show_ticket(self, ticket_id: int, row: TicketRow | None = None, *,
                    remember: bool = True) -> None:
        """Show one ticket (activation in the list, a related ticket, back/forward)."""
        ticket_id = int(ticket_id)
        if remember:
            self.history.visit(ticket_id)
        self.stack.setCurrentWidget(self.panel)
        changed = ticket_id != self.panel.ticket_id
        self.panel.show_ticket(ticket_id, row)
        self.setWindowTitle(f"Ticket #{ticket_id}")
        self._sync_actions()
        if changed:
            self.current_ticket_changed.emit(ticket_id)

    def show_selection(self, ticket_ids: Sequence[int],
                       rows: Mapping[int, TicketRow] | None = None) -> None:
        """Several tickets: the bulk panel."""
        if self.bulk.running:
            return
        self.panel.clear()
        self.stack.setCurrentWidget(self.bulk)
        self.bulk.show_selection(ticket_ids, rows)
        self.setWindowTitle(f"{len(self.bulk.ticket_ids)} tickets selected")
        self._sync_actions()
        self.current_ticket_changed.emit(0)

    def list_row_changed(self, row: TicketRow) -> None:
        """The list has a row of ``row.id`` (its own refresh): keep the dock in step with it.

        A newer row of the ticket shown reloads it in the background; a newer row of a cached
        ticket updates the cached header, so a revisit never paints an older state than the
        list's.
        """
        stamp = row.last_updated
        if stamp is None:
            return
        detail = self.panel.detail if self.ticket_id == row.id else self.cache.peek(row.id)
        if detail is None or detail.ticket.id != row.id:
            return
        known = detail.ticket.last_updated
        if known is not None and stamp <= known:
            return
        if self.ticket_id == row.id:
            if not self.panel.changes.busy():
                self.panel.refresh()
        else:
            self.cache.update_row(row)

    def back(self) -> None:
        target = self.history.back()
        if target is not None:
            self.show_ticket(target, remember=False)

    def forward(self) -> None:
        target = self.history.forward()
        if target is not None:
            self.show_ticket(target, remember=False)

    def set_pinned(self, pinned: bool) -> None:
        self._pinned = pinned
        self.pin_action.setChecked(pinned)
        self.pin_action.setText("Pinned" if pinned else "Pin")
        self.pin_action.setToolTip("Follow the list's selection again" if pinned
                                   else "Keep this ticket while the selection changes")

    def refresh(self) -> None:
        if self.stack.currentWidget() is self.panel:
            self.panel.refresh()
        elif self.showing_bulk and not self.bulk.running:
            self.bulk.show_selection(self.bulk.ticket_ids, self.bulk.rows)

    # ------------------------------------------------------------------ actions

    def web_url(self) -> str:
        detail = self.panel.detail if self.ticket_id is not None else None
        return detail.web_url if detail is not None else ""

    def open_in_connectwise(self) -> None:
        url = self.web_url()
        if url:
            self._open_url(QUrl(url))

    def copy_number(self) -> None:
        if self.ticket_id is not None:
            QGuiApplication.clipboard().setText(str(self.ticket_id))

    def copy_link(self) -> None:
        url = self.web_url()
        if url:
            QGuiApplication.clipboard().setText(url)

    def spin_off(self) -> None:
        """Ask for a new ticket drafted from the one shown (the app opens the dialog)."""
        if self.ticket_id is not None:
            self.spin_off_requested.emit(self.ticket_id)

    async def open_and_wait(self, ticket_id: int) -> None:
        """Show a ticket and return once every section is loaded (``--open-ticket``)."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def loaded(tid: int) -> None:
            if tid == ticket_id and not done.done():
                done.set_result(None)

        def failed(tid: int, message: str) -> None:
            if tid == ticket_id and not done.done():
                done.set_exception(DetailLoadError(message))

        self.all_sections_loaded.connect(loaded)
        self.load_failed.connect(failed)
        try:
            self.show_ticket(ticket_id)
            if self.panel.complete and self.panel.ticket_id == ticket_id:
                return
            await done
        finally:
            self.all_sections_loaded.disconnect(loaded)
            self.load_failed.disconnect(failed)

    async def flush(self) -> None:
        """Write the note draft being typed now and wait for every draft write (at exit)."""
        self.panel.editor.save_now()
        await self.drafts.flush()

    # ------------------------------------------------------------------ internals

    def _sync_actions(self) -> None:
        has_ticket = self.ticket_id is not None
        self.back_action.setEnabled(self.history.can_back())
        self.forward_action.setEnabled(self.history.can_forward())
        self.refresh_action.setEnabled(has_ticket or self.showing_bulk)
        has_url = bool(self.web_url())
        self.open_action.setEnabled(has_url)
        self.copy_link_action.setEnabled(has_url)
        self.copy_number_action.setEnabled(has_ticket)
        self.spin_off_action.setEnabled(has_ticket)
        self.copy_button.setEnabled(has_ticket)

    def _on_panel_sections_loaded(self, ticket_id: int) -> None:
        self._sync_actions()
        self.sections_loaded.emit(ticket_id)

    def _on_panel_open_ticket_requested(self, ticket_id: int) -> None:
        self.show_ticket(ticket_id)
        self.open_ticket_requested.emit(ticket_id)

    def _on_pin_action_triggered(self) -> None:
        self.set_pinned(self.pin_action.isChecked())

    def _on_bulk_running_changed(self, running: bool) -> None:
        self.setWindowTitle(f"{len(self.bulk.ticket_ids)} tickets selected"
                            + (" — working…" if running else ""))

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.panel.editor.save_now()
            self.tasks.cancel_all()
        return False

    @override
    def sizeHint(self) -> QSize:
        # The main window gives a new dock its size hint: room for the header and the tabs.
        hint = super().sizeHint()
        return QSize(max(hint.width(), PREFERRED_WIDTH), hint.height())

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        missed, self._missed_selection = self._missed_selection, None
        if missed is not None:
            ids, rows = missed
            self.follow_selection(ids, rows.values())

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        self.panel.editor.save_now()
        super().closeEvent(event)
