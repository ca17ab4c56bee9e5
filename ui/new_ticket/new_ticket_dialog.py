"""The New Ticket dialog: Quick Create (AI) and Full Form tabs, drafts kept, spin-offs linked.

Open it with ``open()`` or ``show()`` (never ``exec()`` inside a coroutine). Everything typed is
kept as a draft until the ticket is created or the draft discarded, across restarts. A
spin-off captures the ticket id it was opened for: whatever the dispatcher selects meanwhile,
the new ticket becomes a child of that ticket.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from psa.connectwise.errors import ConnectWiseError
from psa.form_drafts import NEW_TICKET_KEY, FormDraft, FormDraftStore, spin_off_key
from psa.intake.catalog import IntakeCatalog
from psa.intake.service import DraftResult, IntakeService
from psa.models import NewTicket, TicketView
from ui.async_tools import LatestTask, WidgetTasks
from ui.detail.look import Tone
from ui.new_ticket.backend import NewTicketBackend
from ui.new_ticket.catalog_cache import CatalogCache
from ui.new_ticket.create_flow import (
    create_ticket,
    describe_failure,
    link_to_parent,
    unlinked_parent,
)
from ui.new_ticket.form_fields import quiet
from ui.new_ticket.full_form import FullForm
from ui.new_ticket.intake_fill import filled_message, form_values, parser_name
from ui.new_ticket.quick_create import PARSE_TIMEOUT, QuickCreate
from ui.new_ticket.spin_off import SpinOffDrafter

SAVE_DEBOUNCE_MS = 400
QUICK_TAB, FORM_TAB = 0, 1


class NewTicketDialog(QDialog):
    """``ticket_created(TicketView)`` once ConnectWise has the ticket (the dialog then closes).

    ``open_link_requested(str)`` asks the main window to show a ``dispatch-desk://`` list link
    (the search offered when a create's outcome is unknown).
    """

    ticket_created = Signal(object)
    open_link_requested = Signal(str)

    def __init__(self, service: NewTicketBackend, intake: IntakeService, *,
                 drafts: FormDraftStore, parent: QWidget | None = None,
                 catalogs: CatalogCache | None = None, draft_key: str = NEW_TICKET_KEY,
                 parse_timeout: float = PARSE_TIMEOUT, demo: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("newTicketDialog")
        self.setWindowTitle("New ticket")
        self.setModal(False)
        self.service = service
        self.intake = intake
        self.drafts = drafts
        self.draft_key = draft_key
        self.catalogs = catalogs or CatalogCache.for_service(service)
        self.tasks = WidgetTasks(self)
        # Not owned by the dialog's scope: a create must never be cut off half-way by a close.
        self._create: LatestTask[None] = LatestTask(name="create-ticket")
        self.created: TicketView | None = None
        self.filled_by = ""
        self._loading_draft = True
        self._build(parse_timeout, demo)
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DEBOUNCE_MS)
        self._save_timer.timeout.connect(self.save_draft)
        self._connect()
        self.resize(900, 760)
        self.form.start()
        self.quick.text.setFocus()  # the tab it opens on: ready for the paste
        self._restore_task = self.tasks.spawn(self._restore(), name="restore-draft")

    @classmethod
    def for_spin_off(cls, service: NewTicketBackend, intake: IntakeService, ticket_id: int, *,
                     drafts: FormDraftStore, parent: QWidget | None = None,
                     catalogs: CatalogCache | None = None, demo: bool = False,
                     ) -> NewTicketDialog:
        """A dialog pre-filled from ``ticket_id`` (captured now) whose ticket becomes its child."""
        dialog = cls(service, intake, drafts=drafts, parent=parent, catalogs=catalogs,
                     draft_key=spin_off_key(ticket_id), demo=demo)
        dialog.start_spin_off(int(ticket_id))
        return dialog

    def set_intake(self, intake: IntakeService) -> None:
        """Use another intake engine from now on (the Claude key or model changed)."""
        self.intake = intake
        self.quick.set_intake(intake)

    # ------------------------------------------------------------------ construction

    def _build(self, parse_timeout: float, demo: bool) -> None:
        self.tabs = QTabWidget(self)
        self.quick = QuickCreate(self.intake, self.catalogs, tasks=self.tasks,
                                 timeout=parse_timeout, demo=demo, parent=self.tabs)
        self.form = FullForm(self.service, tasks=self.tasks, parent=self.tabs)
        self.tabs.addTab(self.quick, "Quick Create (AI)")
        self.tabs.addTab(self.form, "Full Form")
        self.spin_off: SpinOffDrafter | None = None
        self.discard_button = QPushButton("Discard draft", self)
        self.discard_button.setToolTip("Clear the form and forget the saved draft")
        self.draft_label = QLabel(self)
        self.draft_label.setObjectName("draftLabel")
        quiet(self.draft_label)
        self.close_button = QPushButton("Close", self)
        self.close_button.setToolTip("Close; the draft is kept until you create or discard it")
        footer = QHBoxLayout()
        footer.addWidget(self.discard_button)
        footer.addWidget(self.draft_label, 1)
        footer.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(self.tabs, 1)
        column.addLayout(footer)
        # No button answers a plain Enter: it would act on a half-typed search (the company
        # box still showing the last choice) — Ctrl+Enter creates, Ctrl+Enter parses.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

    def _connect(self) -> None:
        self.form.changed.connect(self._on_edited)
        self.quick.changed.connect(self._on_edited)
        self.form.create_requested.connect(self.submit)
        self.form.message.link_activated.connect(self.open_link_requested)
        self.quick.draft_ready.connect(self._on_quick_draft_ready)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.discard_button.clicked.connect(self.discard_draft)
        self.close_button.clicked.connect(self.close)
        self.finished.connect(self._on_finished)

    # ------------------------------------------------------------------ drafts

    def current_draft(self) -> FormDraft:
        return self.form.values(self.draft_key).model_copy(update={
            "quick_text": self.quick.text.toPlainText(), "filled_by": self.filled_by,
        })

    def save_draft(self) -> None:
        """Keep what is in the dialog now (the store writes it in the background)."""
        self._save_timer.stop()
        if self.created is None and not self._loading_draft:
            self.drafts.save(self.current_draft())
            self.draft_label.setText("Draft saved — kept until you create or discard it.")

    def discard_draft(self) -> None:
        previous = self.current_draft()
        self._save_timer.stop()
        self.drafts.discard(self.draft_key)
        self._apply(FormDraft(key=self.draft_key,
                              parent_ticket_id=self.spin_off.ticket_id if self.spin_off else None))
        self.filled_by = ""
        self.draft_label.setText("")
        self.form.message.show_message("Draft discarded.", Tone.MUTED,
                                       action=("Undo", lambda: self._undo_discard(previous)))

    def _undo_discard(self, previous: FormDraft) -> None:
        self._apply(previous)
        self.filled_by = previous.filled_by
        self.form.message.clear()
        self.save_draft()

    def _apply(self, draft: FormDraft) -> None:
        self.form.apply(draft)
        self.quick.text.blockSignals(True)
        self.quick.set_text(draft.quick_text)
        self.quick.text.blockSignals(False)

    async def _restore(self) -> None:
        try:
            draft = await self.drafts.load(self.draft_key)
        finally:
            self._loading_draft = False
        if draft is None:
            return
        self._apply(draft)
        self.filled_by = draft.filled_by
        when = draft.saved_at.astimezone().strftime("%d %b %H:%M")
        filled = f" It was filled by {draft.filled_by}; check the highlighted fields." if (
            draft.filled_by and draft.flags) else ""
        self.form.message.show_message(
            f"Restored the ticket you started on {when}.{filled} Create it, or Discard draft "
            "to start over.", Tone.INFO)
        self.draft_label.setText("Draft restored.")
        if any((draft.summary, draft.description, draft.company_id, draft.board_id)):
            self.tabs.setCurrentIndex(FORM_TAB)

    def _on_tabs_current_changed(self, index: int) -> None:
        if index == QUICK_TAB:
            self.quick.text.setFocus()

    def _on_edited(self) -> None:
        if not self._loading_draft:
            self._save_timer.start()

    # ------------------------------------------------------------------ Quick Create, spin-off

    def _on_quick_draft_ready(self, result: DraftResult, catalog: IntakeCatalog) -> None:
        self.fill_from(result, catalog)

    def fill_from(self, result: DraftResult, catalog: IntakeCatalog) -> None:
        """Fill the Full Form from an intake draft and say which parser filled it."""
        base = self.form.values(self.draft_key)
        self.form.apply(form_values(result.draft, catalog, base))
        self.filled_by = parser_name(result)
        text, warn = filled_message(result)
        self.form.message.show_message(text, Tone.WARNING if warn else Tone.INFO)
        self.tabs.setCurrentIndex(FORM_TAB)
        if not self.form.focus_first_flagged():
            self.form.summary.setFocus()
        self.save_draft()

    def show_quick_tab(self) -> None:
        self.tabs.setCurrentIndex(QUICK_TAB)

    def start_spin_off(self, ticket_id: int) -> None:
        self.setWindowTitle(f"New ticket — spin-off of #{ticket_id}")
        self.spin_off = SpinOffDrafter(self, ticket_id)
        self.form.set_parent_ticket(ticket_id)
        self.tabs.setCurrentIndex(FORM_TAB)
        self.tasks.spawn(self.spin_off.run(self._restore_task), name="spin-off")

    # ------------------------------------------------------------------ create

    @property
    def creating(self) -> bool:
        return self._create.is_running()

    def submit(self) -> None:
        """Validate, then create (Ctrl+Enter, the Create button); invalid input sends nothing."""
        if self.creating or self.created is not None:
            return
        self.tabs.setCurrentIndex(FORM_TAB)
        ticket = self.form.validate()
        if ticket is None:
            return
        self._create.start(self._run_create(ticket))

    async def _run_create(self, ticket: NewTicket) -> None:
        self.form.set_creating(True)
        self.form.message.show_message("Creating the ticket…", Tone.MUTED)
        try:
            created = await create_ticket(self.service, ticket)
        except ConnectWiseError as exc:
            self.form.set_creating(False)
            self._show_failure(exc, ticket)
            return
        except BaseException:
            self.form.set_creating(False)
            raise
        self.created = created
        self._save_timer.stop()
        self.drafts.discard(self.draft_key)
        # The create named the parent; link afterwards only if the server ignored it.
        parent_id = unlinked_parent(ticket, created)
        problem = await link_to_parent(self.service, created, parent_id) if parent_id else None
        if parent_id and problem is None:
            created = created.model_copy(update={"parent_ticket_id": parent_id})
        self.ticket_created.emit(created)
        if problem is None:
            self.accept()
            return
        self.form.create_button.setEnabled(False)
        self.form.create_button.setText(f"Created #{created.id}")
        self.form.message.show_message(
            f"Ticket #{created.id} was created, but linking it under ticket #{parent_id} "
            f"failed: {problem} Link it in ConnectWise.", Tone.WARNING)

    def _show_failure(self, exc: ConnectWiseError, ticket: NewTicket) -> None:
        failure = describe_failure(exc, ticket)
        if failure.field_errors:
            self.form.show_errors(failure.field_errors, lead=failure.message.rstrip(".")
                                  + ". Fix the marked fields")
            return
        link = ("Search the ticket list", failure.search_link) if failure.search_link else None
        self.form.message.show_message(failure.message, Tone.ERROR, link=link)

    # ------------------------------------------------------------------ closing

    @override
    def reject(self) -> None:
        if self.creating:
            self.form.message.show_message("The ticket is being created; wait for ConnectWise's "
                                           "answer before closing.", Tone.WARNING)
            return
        self.save_draft()
        super().reject()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.creating:
            event.ignore()
            self.reject()
            return
        self.save_draft()
        super().closeEvent(event)

    def _on_finished(self, _result: int) -> None:
        self._save_timer.stop()
        self.quick.stop()

    def pending(self) -> Any:
        """How many background tasks run (tests and the screenshot wait for zero)."""
        return self.tasks.pending() + (1 if self.creating else 0)
