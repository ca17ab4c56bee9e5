"""Several tickets selected: change status by name, assign/unassign a member, add one note.

Each action is a ``psa.bulk.BulkJob``: progress per ticket in the list, failures listed with
their reason, and "Retry failed" runs the action again on the failures only — a ticket the
action went through for is never sent it twice. A ``Ledger`` per selection extends that to new
jobs: clicking "Add note" again skips the tickets that have the note, a ticket already in the
chosen status is reported Unchanged (no PATCH), and a note whose POST failed in transit is looked
for on the ticket before it is sent again. The selection's current rows are read when it
is shown, so statuses are offered (by name, only those on every selected ticket's board) for
the boards the tickets are on now.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from psa.bulk import (
    Action,
    BulkJob,
    Ledger,
    LedgerKey,
    Outcome,
    Step,
    Unchanged,
    add_note_once,
    common_status_names,
    fetch_rows,
    note_key,
    status_id_by_name,
    status_key,
)
from psa.connectwise.errors import ConnectWiseError, InvalidObject, NotFound
from psa.detail_cache import DetailCache
from psa.models import BoardStatusOption, TicketRow
from ui.async_tools import WidgetTasks
from ui.detail.backend import DetailBackend, warning_about
from ui.detail.look import Tone, style_message
from ui.detail.member_picker import MemberPicker
from ui.detail.note_editor import KINDS

COLUMNS = ("#", "Summary", "Board", "Status", "Result")
RESULT = 4
_STEP_TEXT = {Step.PENDING: "", Step.RUNNING: "Working…", Step.DONE: "Done",
              Step.UNCHANGED: "Unchanged", Step.FAILED: "Failed"}
_STEP_COLOUR = {Step.DONE: "#2e8540", Step.UNCHANGED: "#6b6b6b", Step.FAILED: "#c42b1c"}


class BulkPanel(QWidget):
    """The dock's page for a multi-row selection."""

    ticket_updated = Signal(object)     # TicketRow
    running_changed = Signal(bool)
    job_finished = Signal()

    def __init__(self, service: DetailBackend, *, cache: DetailCache, tasks: WidgetTasks,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._cache = cache
        self._tasks = tasks
        self._prepare = tasks.latest("bulk-prepare")
        self.ticket_ids: list[int] = []
        self.rows: dict[int, TicketRow] = {}
        self._missing: set[int] = set()
        self._statuses: dict[int, tuple[BoardStatusOption, ...]] = {}
        self.job: BulkJob | None = None
        self.ledger = Ledger()
        self.running = False
        self.ready = False
        self._build()

    def _build(self) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        column.addWidget(self.title)
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Selected tickets")
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        column.addWidget(self.table, 1)
        column.addWidget(self._status_box())
        column.addWidget(self._assign_box())
        column.addWidget(self._note_box())
        progress = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.retry_button = QPushButton("Retry failed", self)
        self.retry_button.hide()
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.retry_button)
        column.addLayout(progress)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.hide()
        column.addWidget(self.summary)

    def _status_box(self) -> QGroupBox:
        box = QGroupBox("Change status", self)
        row = QHBoxLayout(box)
        self.status_combo = QComboBox(box)
        self.status_combo.setAccessibleName("Status to apply")
        self.status_combo.setMinimumContentsLength(14)
        # No status is preselected: applying one to many tickets is a deliberate choice.
        self.status_combo.currentIndexChanged.connect(self._sync_enabled)
        self.status_button = QPushButton("Apply", box)
        self.status_button.clicked.connect(self._on_status_button_clicked)
        row.addWidget(self.status_combo, 1)
        row.addWidget(self.status_button)
        return box

    def _assign_box(self) -> QGroupBox:
        box = QGroupBox("Assignment", self)
        row = QHBoxLayout(box)
        self.member_picker = MemberPicker(box)
        self.member_picker.set_accessible_name("Member to assign or unassign")
        self.assign_button = QPushButton("Assign", box)
        self.unassign_button = QPushButton("Unassign", box)
        self.assign_button.clicked.connect(self._on_assign_button_clicked)
        self.unassign_button.clicked.connect(self._on_unassign_button_clicked)
        row.addWidget(self.member_picker, 1)
        row.addWidget(self.assign_button)
        row.addWidget(self.unassign_button)
        return box

    def _note_box(self) -> QGroupBox:
        box = QGroupBox("Add the same note to each", self)
        col = QVBoxLayout(box)
        self.note_kind = QComboBox(box)
        self.note_kind.setAccessibleName("Note type")
        for kind, label in KINDS:
            self.note_kind.addItem(label, kind)
        self.note_text = QPlainTextEdit(box)
        self.note_text.setPlaceholderText("Note text")
        self.note_text.setAccessibleName("Note text")
        self.note_text.setMaximumHeight(90)
        self.note_button = QPushButton("Add note", box)
        self.note_button.clicked.connect(self._on_note_button_clicked)
        line = QHBoxLayout()
        line.addWidget(self.note_kind)
        line.addStretch(1)
        line.addWidget(self.note_button)
        col.addWidget(self.note_text)
        col.addLayout(line)
        return box

    # ------------------------------------------------------------------ selection

    def show_selection(self, ticket_ids: Sequence[int],
                       rows: Mapping[int, TicketRow] | None = None) -> None:
        """Show these tickets; their current rows and boards' statuses load in the background."""
        self.ticket_ids = list(dict.fromkeys(int(i) for i in ticket_ids))
        self.rows = {i: r for i, r in (rows or {}).items() if i in self.ticket_ids}
        self._missing = set()
        self.job = None
        self.ledger = Ledger()  # what each action reached, for this selection
        self.ready = False
        count = len(self.ticket_ids)
        self.title.setText(f"{count} tickets selected")
        self.note_button.setText(f"Add note to {count} tickets")
        self.progress.hide()
        self.retry_button.hide()
        self._show_summary("")
        self.status_combo.clear()
        self.status_combo.setPlaceholderText("Loading statuses…")
        self._fill_table()
        self._sync_enabled()
        self._prepare.start(self._prepare_selection(list(self.ticket_ids)))

    async def _prepare_selection(self, ids: list[int]) -> None:
        try:
            fresh = await fetch_rows(self._service.client, ids)
        except ConnectWiseError as exc:
            self._show_summary(f"Could not read the selected tickets: {exc.message}", Tone.ERROR)
            fresh = {}
        else:
            self.rows.update(fresh)
            self._missing = {i for i in ids if i not in fresh}
        self._fill_table()
        boards = list(dict.fromkeys(r.board_id for r in self.rows.values()
                                    if r.board_id is not None))
        await self._load_statuses(boards)
        try:
            members = await self._service.members()
        except ConnectWiseError:
            members = ()
        self.member_picker.set_members(members)
        if not members and (warning := warning_about(self._service, "members")):
            self.member_picker.set_placeholder("Member list not readable")
            self.member_picker.setToolTip(warning.message)
        self.ready = True
        self._sync_enabled()

    async def _load_statuses(self, boards: list[int]) -> None:
        for board in boards:
            if board not in self._statuses:
                try:
                    self._statuses[board] = await self._service.statuses(board)
                except ConnectWiseError:
                    self._statuses[board] = ()
        names = common_status_names(self._statuses, boards)
        self.status_combo.clear()
        self.status_combo.addItems(names)
        self.status_combo.setCurrentIndex(-1)
        if names:
            self.status_combo.setPlaceholderText("Choose a status…")
            return
        warning = warning_about(self._service, "statuses")
        self.status_combo.setPlaceholderText(
            "Statuses not readable" if warning else "No status common to these boards")
        if warning is not None:
            self.status_combo.setToolTip(warning.message)

    def _fill_table(self) -> None:
        self.table.clear()
        for tid in self.ticket_ids:
            row = self.rows.get(tid)
            values = [f"#{tid}", row.summary if row else "", row.board_name if row else "",
                      row.status_name if row else "", ""]
            if tid in self._missing:
                values[1] = "(not found)"
            item = QTreeWidgetItem(values)
            item.setData(0, Qt.ItemDataRole.UserRole, tid)
            self.table.addTopLevelItem(item)

    def _item(self, ticket_id: int) -> QTreeWidgetItem | None:
        for n in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(n)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == ticket_id:
                return item
        return None

    # ------------------------------------------------------------------ actions

    def apply_status(self, name: str) -> None:
        """Give each ticket its board's status called ``name`` (none already in it)."""
        key = status_key(name)

        async def action(tid: int) -> TicketRow | None:
            row = self._known_row(tid)
            statuses = await self._board_statuses(row.board_id)
            status_id = status_id_by_name(statuses, name)
            if status_id is None:
                raise InvalidObject(f"Board {row.board_name or row.board_id} has no status "
                                    f"{name}.", code="StatusNotOnBoard")
            if row.status_id == status_id:
                self.ledger.mark(key, tid)
                raise Unchanged(f"Already {row.status_name or name}.")
            updated = await self._service.update_status(tid, status_id)
            self.ledger.mark(key, tid)
            return updated

        self._start(self._job(key, action, f"Status → {name}", "Already in that status."))

    def assign(self, member_id: int, *, assign: bool = True) -> None:
        async def action(tid: int) -> TicketRow | None:
            self._known_row(tid)
            if assign:
                await self._service.add_resource(tid, member_id)
            else:
                await self._service.remove_resource(tid, member_id)
            return None

        self._start(BulkJob(self.ticket_ids, action, label="Assign" if assign else "Unassign"))

    def add_note(self, text: str, kind: str) -> None:
        """The note on each ticket that does not have it from this selection yet."""
        async def action(tid: int) -> TicketRow | None:
            self._known_row(tid)
            await add_note_once(
                self._service, self.ledger, tid, text, "internal" if kind == "internal" else
                "resolution" if kind == "resolution" else "discussion")
            return None

        self._start(self._job(note_key(text), action, "Note", "The note was already added."))

    def _job(self, key: LedgerKey, action: Action, label: str, already: str) -> BulkJob:
        """A job over the selection; tickets the action already reached are left out."""
        job = BulkJob(self.ticket_ids, action, label=label)
        for tid in self.ledger.reached(key) & set(job.ticket_ids):
            job.skip(tid, already)
        return job

    async def _board_statuses(self, board: int | None) -> tuple[BoardStatusOption, ...]:
        """A board's statuses; read when a ticket turned out to be on a board not seen yet."""
        if board is None:
            return ()
        if board not in self._statuses:
            self._statuses[board] = await self._service.statuses(board)
        return self._statuses[board]

    def _known_row(self, ticket_id: int) -> TicketRow:
        row = self.rows.get(ticket_id)
        if row is None or ticket_id in self._missing:
            raise NotFound(f"Ticket #{ticket_id} was not found: it may have been deleted, or "
                           "this API member cannot see it.", status=404)
        return row

    def _start(self, job: BulkJob) -> None:
        if self.running or not self.ticket_ids:
            return
        self.job = job
        self._run(job)
        for outcome in job.unchanged:
            self._on_progress(outcome)

    def _run(self, job: BulkJob, *, reread: Sequence[int] = ()) -> None:
        self.running = True
        self.running_changed.emit(True)
        self._sync_enabled()
        self.retry_button.hide()
        self.progress.setRange(0, len(job.ticket_ids))
        self.progress.setValue(sum(1 for o in job.outcomes.values() if o.step is not Step.FAILED
                                   and o.step is not Step.PENDING))
        self.progress.setFormat(f"{job.label}: %v of %m")
        self.progress.show()
        self._show_summary("")
        self._tasks.spawn(self._execute(job, list(reread)), name="bulk-job")

    async def _execute(self, job: BulkJob, reread: list[int]) -> None:
        try:
            if reread:  # a retry works on the tickets as they are now (board, existence)
                with contextlib.suppress(ConnectWiseError):
                    fresh = await fetch_rows(self._service.client, reread)
                    self.rows.update(fresh)
                    self._missing = (self._missing | set(reread)) - set(fresh)
            await job.run(self._on_progress)
            await self._sync_rows(job)
        finally:
            self.running = False
            self._sync_enabled()
            self._report(job)
            self.running_changed.emit(False)
            self.job_finished.emit()

    async def _sync_rows(self, job: BulkJob) -> None:
        """Send the list every row the job touched, as the server has it now."""
        rows = {o.ticket_id: o.row for o in job.outcomes.values() if o.row is not None}
        stale = [o.ticket_id for o in job.succeeded if o.ticket_id not in rows]
        if stale:
            # On failure the list's own refresh catches up; the job itself went through.
            with contextlib.suppress(ConnectWiseError):
                rows.update(await fetch_rows(self._service.client, stale))
        for tid, row in rows.items():
            self.rows[tid] = row
            self._cache.invalidate(tid)
            item = self._item(tid)
            if item is not None:
                item.setText(3, row.status_name)
                item.setText(2, row.board_name)
            self.ticket_updated.emit(row)

    def _on_progress(self, outcome: Outcome) -> None:
        item = self._item(outcome.ticket_id)
        if item is not None:
            # The column stays narrow; the reasons are listed under the actions.
            item.setText(RESULT, _STEP_TEXT[outcome.step])
            item.setToolTip(RESULT, outcome.message)
            colour = _STEP_COLOUR.get(outcome.step)
            if colour:
                item.setForeground(RESULT, QColor(colour))
        if self.job is not None:
            done = sum(1 for o in self.job.outcomes.values()
                       if o.step in (Step.DONE, Step.UNCHANGED, Step.FAILED))
            self.progress.setValue(done)

    def _report(self, job: BulkJob) -> None:
        failed = job.failed
        done = len(job.succeeded)
        if not failed and job.label == "Note":
            self.note_text.clear()  # sent everywhere: a second click must not send it again
        unchanged = len(job.unchanged)
        same = f" ({unchanged} unchanged: already so)" if unchanged else ""
        if not failed:
            self._show_summary(f"{job.label}: done for all {done} tickets{same}.", Tone.INFO)
            return
        lines = [f"{job.label}: {done} done{same}, {len(failed)} failed:"]
        lines += [f"#{o.ticket_id}: {o.message}" for o in failed]
        self._show_summary("\n".join(lines), Tone.ERROR)
        self.retry_button.setText(f"Retry {len(failed)} failed")
        self.retry_button.show()

    def _show_summary(self, text: str, tone: Tone = Tone.INFO) -> None:
        self.summary.setText(text)
        style_message(self.summary, tone)
        self.summary.setVisible(bool(text))

    def _sync_enabled(self) -> None:
        idle = not self.running and bool(self.ticket_ids)
        self.status_button.setEnabled(idle and self.status_combo.currentIndex() >= 0)
        has_members = self.member_picker.count() > 0
        self.member_picker.setEnabled(idle and has_members)
        self.assign_button.setEnabled(idle and has_members)
        self.unassign_button.setEnabled(idle and has_members)
        self.note_button.setEnabled(idle)
        self.retry_button.setEnabled(idle)

    # ------------------------------------------------------------------ slots

    def _on_status_button_clicked(self) -> None:
        name = self.status_combo.currentText()
        if name:
            self.apply_status(name)

    def _on_assign_button_clicked(self) -> None:
        member = self.member_picker.member_id()
        if member is not None:
            self.assign(member)

    def _on_unassign_button_clicked(self) -> None:
        member = self.member_picker.member_id()
        if member is not None:
            self.assign(member, assign=False)

    def _on_note_button_clicked(self) -> None:
        text = self.note_text.toPlainText()
        if not text.strip():
            self._show_summary("Type the note first.", Tone.WARNING)
            return
        self.add_note(text, str(self.note_kind.currentData()))

    def _on_retry_button_clicked(self) -> None:
        if self.job is not None and not self.running and self.job.failed:
            self._run(self.job, reread=[o.ticket_id for o in self.job.failed])
