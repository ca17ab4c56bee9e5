"""The dispatcher's home screen: filters, saved views, the ticket table and the status bar."""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QWidget

if not TYPE_CHECKING:  # typing.override is 3.12+; typing_extensions costs ~6 ms before the frame

    def override(method: Any) -> Any:
        return method

else:
    from typing_extensions import override

# Only Qt at import: the window's first state (title, menus, a placeholder) paints before the
# ticket page's modules and psa load; `attach` then fills it. The detail dock loads after that.
if TYPE_CHECKING:
    from psa.drafts import DraftStore
    from psa.list_cache import ListCache
    from psa.models import TicketRow, TicketView
    from ui.detail.backend import DetailBackend
    from ui.detail.detail_dock import DetailDock
    from ui.new_ticket.launcher import NewTicketLauncher
    from ui.tickets.backend import TicketsBackend
    from ui.tickets.shortcut_sheet import ShortcutSheet
    from ui.tickets.tickets_page import TicketsPage

    class WindowBackend(TicketsBackend, DetailBackend, Protocol):
        """The service calls of the list and the detail dock (psa.TicketService satisfies it)."""

GEOMETRY_KEY = "main/geometry"
STATE_KEY = "main/state"
REFRESH_CHOICES = ((0, "Off"), (30, "Every 30 seconds"), (60, "Every minute"),
                   (120, "Every 2 minutes"), (300, "Every 5 minutes"))

CREATED_MESSAGE_MS = 10_000
DOCK_AT_THE_LATEST_MS = 400
"""The detail dock is built after the first page, or this long after the first paint."""
DOCK_MAX_SHARE = 0.4
"""The dock's first width is at most this share of the window's."""


class MainWindow(QMainWindow):
    """The main window. `first_page_loaded` fires once the first rows are in and painted.

    `file_menu` is left for the app to fill (connections, New ticket, exit). The ticket detail
    dock (`detail_dock`) sits in the right dock area and follows the list's selection; it is
    built right after the window's first paint (or when first asked for), so the window shows
    without waiting for the dock's code.
    """

    first_page_loaded = Signal()
    load_failed = Signal(str)
    first_page_failed = Signal(str)   # the same event, under the name app's screenshot reads
    ticket_activated = Signal(int)
    new_tickets_wanted = Signal()  # Spin off was asked for before the New Ticket launcher loaded

    def __init__(
        self,
        service: WindowBackend | None,
        settings: QSettings,
        *,
        cache: ListCache | None = None,
        demo: bool = False,
        drafts: DraftStore | None = None,
        starting: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """The whole window; with ``service=None`` only its first state (see `attach`)."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Dispatch Desk — Demo (sandbox)" if demo else "Dispatch Desk")
        self._settings = settings
        self._first_done = False
        self._painted_wait = False
        self._select_when_listed: tuple[int, str] | None = None
        """A ticket to select once fresh rows arrive, and what to say if they lack it."""
        self._size_dock_on_show = False
        self._saved_state: QByteArray | None = None
        self.new_ticket_action: QAction | None = None
        self._dock: DetailDock | None = None
        self._launcher: NewTicketLauncher | None = None
        self._pending_spin_off: int | None = None
        self._dock_scheduled = False
        # A member, stopped on close: a window collected later on another thread (a worker's
        # garbage collection) must not hold a running timer.
        self._dock_timer = QTimer(self, singleShot=True, interval=DOCK_AT_THE_LATEST_MS)
        self._dock_timer.timeout.connect(self._build_dock)
        self._sheet: ShortcutSheet | None = None
        self._attached = False
        menus = self.menuBar()
        self.file_menu = menus.addMenu("&File")
        self._view_menu = menus.addMenu("&View")
        self._views_menu = menus.addMenu("&Views")
        placeholder = QLabel(starting, self)  # the table's place until the page is built
        placeholder.setObjectName("startingPlaceholder")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setAccessibleName("Starting")
        placeholder.setEnabled(False)  # drawn in the muted text colour
        self.setCentralWidget(placeholder)
        if starting:
            self.statusBar().showMessage(starting)
        self._restore_geometry()
        if service is not None:
            self.attach(service, cache=cache, drafts=drafts)

    @property
    def attached(self) -> bool:
        """Whether the ticket page is in (False: the first state shown at start-up)."""
        return self._attached

    def attach(
        self,
        service: WindowBackend,
        *,
        cache: ListCache | None = None,
        drafts: DraftStore | None = None,
    ) -> None:
        """Fill the window with the ticket page, toolbar and status bar, and start loading.

        Called once: by the constructor when given a service, or by the app on the window it
        showed at start-up. A shown window is filled in one repaint.
        """
        from ui.tickets.tickets_page import TicketsPage

        assert not self._attached, "attach() runs once"
        self._attached = True
        self.setUpdatesEnabled(False)  # one repaint with everything in: no half-built frames
        try:
            self.statusBar().clearMessage()
            self.page: TicketsPage = TicketsPage(service, self._settings, cache=cache, parent=self)
            self.setCentralWidget(self.page)
            self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.page.toolbar)
            self.page.toolbar.setVisible(True)  # added to a shown window: not shown by itself
            self._service = service
            self._drafts = drafts
            self._build_status_bar()
            self._build_menus()
            self._connect()
            self._restore_state()
            self.page.table.setFocus()
        finally:
            self.setUpdatesEnabled(True)
        self.page.start()

    # -- construction -------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Loading tickets")
        self.progress.hide()
        self.cached_label = QLabel(self)
        self.cached_label.setObjectName("cachedLabel")
        self.cached_label.hide()
        self.range_label = QLabel(self)
        self.range_label.setObjectName("rangeLabel")
        self.range_label.setAccessibleName("Tickets shown")
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cached_label)
        bar.addPermanentWidget(self.range_label)

    def _build_menus(self) -> None:
        view = self._view_menu
        self.refresh_action = self._action(view, "&Refresh", self.page.refresh,
                                           QKeySequence(Qt.Key.Key_F5))
        self.search_action = self._action(view, "&Search tickets", self.page.toolbar.focus_search,
                                          QKeySequence(QKeySequence.StandardKey.Find))
        refresh = view.addMenu("&Auto-refresh")
        group = QActionGroup(self)
        current = self.page.auto_refresh_seconds()
        for seconds, label in REFRESH_CHOICES:
            action = refresh.addAction(label)
            action.setCheckable(True)
            action.setChecked(seconds == current)
            action.triggered.connect(lambda _c=False, s=seconds: self.page.set_auto_refresh(s))
            group.addAction(action)
        columns = view.addMenu("&Columns")
        columns.aboutToShow.connect(lambda: self._fill_columns_menu(columns))
        self._dock_toggle_before = view.addSeparator()  # the dock's "Ticket" toggle goes here
        shortcuts = self._action(view, "Keyboard &shortcuts", self.show_shortcuts,
                                 QKeySequence("?"))
        # "?" is Shift+/ on most layouts; some report the key with Shift held.
        shortcuts.setShortcuts([QKeySequence("?"), QKeySequence("Shift+?"),
                                QKeySequence(Qt.Key.Key_F1)])

        views = self._views_menu
        self._action(views, "&Save current filters as view…", self.page.save_current_as_view,
                     QKeySequence("Ctrl+Shift+S"))
        self._action(views, "&Copy link to this view", self.copy_link,
                     QKeySequence("Ctrl+Shift+C"))
        views.addSeparator()
        self._view_actions = [
            self._action(views, f"View {n}", lambda _c=False, r=n - 1: self.page.open_view_at(r),
                         QKeySequence(f"Ctrl+{n}"))
            for n in range(1, 10)
        ]
        views.aboutToShow.connect(self._name_view_actions)
        self._name_view_actions()

    def _action(self, menu: Any, text: str, slot: Any, shortcut: QKeySequence) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work even while the menu bar is hidden
        return action

    def _fill_columns_menu(self, menu: Any) -> None:
        menu.clear()
        for action in self.page.table.column_actions():
            action.setParent(menu)
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Reset columns", self.page.table.apply_default_columns)

    def _name_view_actions(self) -> None:
        views = self.page.views.views()
        for row, action in enumerate(self._view_actions):
            view = views[row] if row < len(views) else None
            action.setText(f"&{row + 1}  {view.name}" if view else f"{row + 1}  (no view)")
            action.setEnabled(view is not None)

    def _connect(self) -> None:
        c = self.page.controller
        c.loading_changed.connect(self._on_controller_loading_changed)
        c.first_page_loaded.connect(self._on_controller_first_page_loaded)
        c.cached_shown.connect(self._on_controller_cached_shown)
        c.rows_applied.connect(self._on_controller_rows_applied)
        c.problem.connect(self._on_controller_problem)
        c.problem_cleared.connect(self._on_controller_problem_cleared)
        self.page.status_message.connect(self._on_page_status_message)
        self.page.ticket_activated.connect(self.ticket_activated)
        self.page.views.views_changed.connect(self._name_view_actions)

    def _restore_geometry(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY)
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)

    def _restore_state(self) -> None:
        state = self._settings.value(STATE_KEY)
        # Kept: the dock, built after the first paint, is put back with a second restoreState().
        if state and self.restoreState(state):
            self._saved_state = state
        else:
            # First run: the dock's width is only honoured once the window is laid out.
            self._size_dock_on_show = True

    @property
    def detail_dock(self) -> DetailDock:
        """The ticket detail dock, built now if the first paint has not built it yet."""
        if self._dock is None:
            assert self._attached, "the dock needs the ticket page"
            from ui.detail.binding import attach_detail_dock

            dock = attach_detail_dock(self, self.page, self._service, drafts=self._drafts)
            self._dock = dock
            dock.spin_off_requested.connect(self._on_detail_dock_spin_off_requested)
            self._view_menu.insertAction(self._dock_toggle_before, dock.toggleViewAction())
            if self._saved_state is not None:
                # Again, now with the dock: its place, width and visibility as the user left them.
                self.restoreState(self._saved_state)
            elif self.isVisible():
                dock.show()  # first run: a dock added to a shown window starts hidden
                self._size_dock()
                # The dock's width only holds once the new layout has run: set it again then.
                QTimer.singleShot(0, self._size_dock)
        return self._dock

    def _size_dock(self) -> None:
        from ui.detail.detail_dock import PREFERRED_WIDTH

        self._size_dock_on_show = False
        # On a small window (a laptop at 150–200 % scaling) the list keeps most of the width.
        width = min(PREFERRED_WIDTH, round(self.width() * DOCK_MAX_SHARE))
        self.resizeDocks([self.detail_dock], [width], Qt.Orientation.Horizontal)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._size_dock_on_show and self._dock is not None:
            self._size_dock()

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._attached and not self._dock_scheduled:
            # The window is on screen. The dock comes once the first page has settled: built
            # now, its tens of milliseconds (more with its imports) would run while the first
            # request is still being put on the wire and delay the rows by as much. A first
            # page that takes long gets the dock meanwhile; a click builds it at once.
            self._dock_scheduled = True
            self._dock_timer.start()

    def _build_dock_soon(self) -> None:
        QTimer.singleShot(0, self, self._build_dock)

    def _build_dock(self) -> None:
        self._dock_timer.stop()
        if self._dock is None and self._attached and self.isVisible():
            self.detail_dock  # noqa: B018 (builds it)

    # -- commands -----------------------------------------------------------------------------
    def copy_link(self) -> None:
        """Put a link to the current filters on the clipboard."""
        from ui.tickets.view_link import build_link

        link = build_link(self.page.controller.filters)
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(link)
        self.statusBar().showMessage(f"Link copied: {link}", 6000)

    def open_link(self, link: str) -> bool:
        """Show what a `dispatch-desk://tickets?…` link names; False (and a message) if bad."""
        from ui.tickets.view_link import LinkError, parse_link

        try:
            target = parse_link(link)
        except LinkError as exc:
            self.statusBar().showMessage(str(exc), 10000)
            return False
        if target.view_name is not None:
            return self.open_view(target.view_name)
        self.page.show_filters(target.filters)
        return True

    def open_view(self, name: str) -> bool:
        """Show the saved view with this name (case-insensitive): `--view NAME`."""
        for row, view in enumerate(self.page.views.views()):
            if view.name.casefold() == name.strip().casefold():
                self.page.open_view_at(row)
                return True
        self.statusBar().showMessage(f"No saved view is called {name!r}.", 10000)
        return False

    def install_new_ticket(self, launcher: NewTicketLauncher) -> None:
        """File > New ticket… (Ctrl+N) and the dock's Spin off open ``launcher``'s dialogs; a
        created ticket is shown in the dock and selected in the list once the list has it."""
        action = QAction("&New ticket…", self)
        action.setObjectName("newTicketAction")
        action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        action.triggered.connect(lambda: launcher.open_new(self))
        actions = self.file_menu.actions()
        if actions:
            self.file_menu.insertAction(actions[0], action)
            self.file_menu.insertSeparator(actions[0])
        else:
            self.file_menu.addAction(action)
        self.addAction(action)  # Ctrl+N works while the menu bar is hidden
        self.new_ticket_action = action
        launcher.ticket_created.connect(self._on_launcher_ticket_created)
        launcher.open_link_requested.connect(self.open_link)
        self._launcher = launcher
        pending, self._pending_spin_off = self._pending_spin_off, None
        if pending is not None:
            launcher.open_spin_off(pending, self)

    def _on_detail_dock_spin_off_requested(self, ticket_id: int) -> None:
        if self._launcher is not None:
            self._launcher.open_spin_off(ticket_id, self)
        else:  # the launcher loads after the first rows: open the dialog once it is here
            self._pending_spin_off = ticket_id
            self.new_tickets_wanted.emit()

    def _on_launcher_ticket_created(self, ticket: TicketView) -> None:
        from ui.detail.binding import reveal_ticket

        self.statusBar().showMessage(f"Ticket #{ticket.id} created.", CREATED_MESSAGE_MS)
        if ticket.parent_ticket_id is not None:
            # The parent's cached "Related" section no longer lists all its children.
            self.detail_dock.cache.invalidate(ticket.parent_ticket_id)
        reveal_ticket(self.detail_dock, ticket.id, ticket)
        self._select_when_listed = (
            ticket.id, f"Ticket #{ticket.id} created; the current filters do not show it.")
        self.page.controller.refresh()

    def open_ticket(self, ticket_id: int) -> None:
        """Show a ticket in the dock, and select it in the list if the next rows have it."""
        from ui.detail.binding import reveal_ticket

        reveal_ticket(self.detail_dock, ticket_id, self._listed_row(ticket_id))
        self._select_when_listed = (ticket_id, "")
        if self.page.model.row_of(ticket_id) is not None:
            self._select_listed_ticket()

    def _listed_row(self, ticket_id: int) -> TicketRow | None:
        position = self.page.model.row_of(ticket_id)
        return self.page.model.row_at(position) if position is not None else None

    def _select_listed_ticket(self) -> None:
        # One try, on the rows the request brought: a ticket outside the current filters must
        # not grab the selection when the dispatcher later changes them.
        pending, self._select_when_listed = self._select_when_listed, None
        if pending is None:
            return
        ticket_id, missing = pending
        row = self.page.model.row_of(ticket_id)
        if row is None:
            if missing:
                self.statusBar().showMessage(missing, CREATED_MESSAGE_MS)
            return
        # Explicitly this row alone: select_row() follows the keyboard's modifiers, and Ctrl may
        # still be held from the Ctrl+Enter that created the ticket (Ctrl adds to a selection).
        table = self.page.table
        index = self.page.model.index(row, max(table.currentIndex().column(), 0))
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        table.selectionModel().setCurrentIndex(index, flags)
        table.scrollTo(index)

    def show_shortcuts(self) -> None:
        """`?`: the shortcut sheet, non-modal."""
        if self._sheet is None:
            from ui.tickets.shortcut_sheet import ShortcutSheet

            self._sheet = ShortcutSheet(self)
        self._sheet.show()
        self._sheet.raise_()

    # -- status -------------------------------------------------------------------------------
    def range_text(self) -> str:
        """`1–50 of 1,284`, or what is happening instead."""
        model = self.page.model
        if model.rowCount() == 0:
            if self.page.controller.loading:
                return "Loading…"
            problem = self.page.controller.current_problem
            if problem is None:
                return "No tickets match"
            # The banner says what went wrong; "No tickets match" would contradict it.
            from ui.tickets.problems import ProblemKind

            forbidden = problem.kind is ProblemKind.PERMISSION
            return "Tickets can't be read with this key" if forbidden else ""
        first, last = self.page.visible_rows()
        first, last = max(first, 0), max(last, first)
        text = f"{first + 1:,}–{last + 1:,} of {model.total:,}"
        fresh_at = self.page.controller.fresh_at
        if fresh_at is not None and not self.page.controller.showing_cached:
            text += f"  ·  updated {time.strftime('%H:%M', time.localtime(fresh_at))}"
        return text

    def _on_page_status_message(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, 10000)
        self.range_label.setText(self.range_text())

    def _on_controller_loading_changed(self, loading: bool) -> None:
        self.progress.setVisible(loading)
        self.range_label.setText(self.range_text())

    def _on_controller_cached_shown(self, saved_at: float) -> None:
        age = time.strftime("%H:%M", time.localtime(saved_at))
        self.cached_label.setText(f"Cached list from {age} — refreshing…")
        self.cached_label.show()
        self.range_label.setText(self.range_text())

    def _on_controller_rows_applied(self) -> None:
        if not self.page.controller.showing_cached:
            self.cached_label.hide()
        self.range_label.setText(self.range_text())
        self._select_listed_ticket()

    def _on_controller_problem(self, problem: Any) -> None:
        if not self._first_done:
            self.load_failed.emit(problem.message)
            self.first_page_failed.emit(problem.message)
            self._build_dock_soon()

    def _on_controller_problem_cleared(self) -> None:
        self.statusBar().showMessage("Connected again — the list is up to date.", 6000)

    def _on_controller_first_page_loaded(self) -> None:
        if self._first_done or self._painted_wait:
            return
        self.page.refresh_counts()
        if not self.isVisible():
            self._emit_first_page_loaded()
            return
        # Wait for the table to paint the rows: the screenshot must show them.
        self._painted_wait = True
        self.page.table.viewport().installEventFilter(self)
        self.page.table.viewport().update()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._painted_wait and event.type() == QEvent.Type.Paint:
            self._painted_wait = False
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._emit_first_page_loaded)
        return False

    def _emit_first_page_loaded(self) -> None:
        if not self._first_done:
            self._first_done = True
            _freeze_start_up_objects()
            self.first_page_loaded.emit()
            self._build_dock_soon()

    # -- closing ------------------------------------------------------------------------------
    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        if self._attached:  # the first state has no toolbar or dock: keep the saved one
            self._settings.setValue(STATE_KEY, self.saveState())
        super().closeEvent(event)
        # Not when the app hides the window to the tray instead.
        if event.isAccepted():
            self._dock_timer.stop()
        if event.isAccepted() and self._attached:
            self.page.shutdown()
            if self._dock is not None:  # its loads must not outlive the window (and the client)
                self._dock.tasks.cancel_all()


def _freeze_start_up_objects() -> None:
    """Move everything alive after start-up out of the garbage collector's reach (once).

    Qt, pydantic and httpx leave ~70,000 long-lived objects; a full collection walks them all
    and stalls the event loop for tens of milliseconds while rows stream in. Frozen, they are
    never scanned again; what is created later is collected as usual.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
