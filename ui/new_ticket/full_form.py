"""The Full Form tab: every field of a new ticket, validated inline before anything is sent.

Values arrive from three places — the dispatcher, a restored draft and Quick Create — and the
pick lists load asynchronously, so a value whose list has not arrived yet is held as pending
and reported by ``values()`` as it is: closing the dialog before the lists load loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from psa.connectwise.errors import ConnectWiseError
from psa.form_drafts import FormDraft
from psa.models import SUMMARY_MAX, NewTicket, Option
from ui.async_tools import WidgetTasks
from ui.detail.look import Tone
from ui.new_ticket.backend import NewTicketBackend
from ui.new_ticket.form_choices import FormChoices
from ui.new_ticket.form_fields import ERROR_COLOUR, FORM_STYLE, FieldRow, quiet
from ui.new_ticket.message_bar import MessageBar
from ui.tickets.picker_combo import Choice, PickerCombo

# The fields in reading order (the grid's rows left to right, then the wide fields): the Tab
# order and "the first field to fix" both follow it.
FIELD_ORDER = ("company", "contact", "board", "status", "type", "subtype", "priority",
               "assignee", "parent", "summary", "description", "internal_note")
REQUIRED_MESSAGES = {
    "company": "Choose the company this ticket is for.",
    "board": "Choose a board.",
    "summary": "Write a one-line summary.",
}


def company_label(option: Option) -> str:
    if option.identifier and option.identifier != option.name:
        return f"{option.name} ({option.identifier})"
    return option.name


class FullForm(QWidget):
    """The ticket's fields; ``create_requested`` on the Create button or Ctrl+Enter."""

    changed = Signal()            # the dispatcher typed or chose something
    create_requested = Signal()

    def __init__(self, backend: NewTicketBackend, *, tasks: WidgetTasks,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fullForm")
        self.setStyleSheet(FORM_STYLE)
        self._backend = backend
        self._applying = False
        self.message = MessageBar(self, name="formMessage")
        self._build_inputs()
        self.rows = self._build_rows()
        self.choices = FormChoices(self, backend, tasks=tasks)
        self._layout()
        self._connect()
        self._update_counter()

    # ------------------------------------------------------------------ construction

    def _build_inputs(self) -> None:
        self.company = PickerCombo(accessible_name="Company", searcher=self._search_companies,
                                   parent=self)
        self.company.set_choices([("Type to search companies…", None)])
        self.contact = PickerCombo(accessible_name="Contact", parent=self)
        self.board = QComboBox(self)
        self.status = QComboBox(self)
        self.priority = QComboBox(self)
        self.type = QComboBox(self)
        self.subtype = QComboBox(self)
        self.assignee = PickerCombo(accessible_name="Assignee", parent=self)
        self.parent_ticket = QLineEdit(self)
        self.parent_ticket.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.parent_ticket.setPlaceholderText("Ticket number (optional)")
        self.summary = QLineEdit(self)
        self.summary.setPlaceholderText("What is wrong, in one line")
        self.counter = QLabel(self)
        self.counter.setObjectName("summaryCounter")
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText("Details the customer can see")
        self.internal_note = QPlainTextEdit(self)
        self.internal_note.setPlaceholderText("Internal analysis (not shown to the customer)")
        for edit in (self.description, self.internal_note):
            edit.setTabChangesFocus(True)
        self.create_button = QPushButton("Create ticket", self)
        self.create_button.setObjectName("createButton")
        # Plain Enter finishes a field (a search, a number); only Ctrl+Enter creates.
        self.create_button.setAutoDefault(False)
        self.create_button.setToolTip("Create the ticket in ConnectWise (Ctrl+Enter)")

    def _build_rows(self) -> dict[str, FieldRow]:
        specs: tuple[tuple[str, str, QWidget, bool], ...] = (
            ("company", "Company", self.company, True),
            ("contact", "Contact", self.contact, False),
            ("board", "Board", self.board, True),
            ("status", "Status", self.status, False),
            ("priority", "Priority", self.priority, False),
            ("type", "Type", self.type, False),
            ("subtype", "Subtype", self.subtype, False),
            ("assignee", "Assignee", self.assignee, False),
            ("parent", "Parent ticket", self.parent_ticket, False),
            ("summary", "Summary", self.summary, True),
            ("description", "Description", self.description, False),
            ("internal_note", "Internal note", self.internal_note, False),
        )
        return {name: FieldRow(name, caption, widget, self, required=required)
                for name, caption, widget, required in specs}

    def _layout(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnMinimumWidth(2, 70)
        pairs = (("company", "contact"), ("board", "status"), ("type", "subtype"),
                 ("priority", "assignee"), ("parent", ""))
        for index, pair in enumerate(pairs):
            for side, name in enumerate(pair):
                if not name:
                    continue
                row = self.rows[name]
                grid.addWidget(row.label, index * 2, side * 2)
                grid.addWidget(row.widget, index * 2, side * 2 + 1)
                grid.addWidget(row.line, index * 2 + 1, side * 2 + 1)
        top = len(pairs) * 2
        summary = self.rows["summary"]
        grid.addWidget(summary.label, top, 0)
        line = QHBoxLayout()
        line.addWidget(self.summary, 1)
        line.addWidget(self.counter)
        grid.addLayout(line, top, 1, 1, 3)
        grid.addWidget(summary.line, top + 1, 1, 1, 3)
        for offset, name in enumerate(("description", "internal_note")):
            row = self.rows[name]
            at = top + 2 + offset * 2
            grid.addWidget(row.label, at, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.widget, at, 1, 1, 3)
            grid.addWidget(row.line, at + 1, 1, 1, 3)
        grid.setRowStretch(top + 2, 3)
        grid.setRowStretch(top + 4, 1)
        buttons = QHBoxLayout()
        hint = quiet(QLabel("* required  ·  Ctrl+Enter creates", self))
        buttons.addWidget(hint)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addLayout(grid, 1)
        column.addLayout(buttons)
        chain = [self.rows[name].widget for name in FIELD_ORDER] + [self.create_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.company.value_chosen.connect(self._on_company_value_chosen)
        self.contact.value_chosen.connect(self._on_contact_value_chosen)
        self.assignee.value_chosen.connect(lambda _v: self._edited("assignee"))
        self.board.activated.connect(self._on_board_activated)
        self.status.activated.connect(lambda _i: self._edited("status"))
        self.priority.activated.connect(lambda _i: self._edited("priority"))
        self.type.activated.connect(self._on_type_activated)
        self.subtype.activated.connect(lambda _i: self._edited("subtype"))
        self.parent_ticket.textEdited.connect(lambda _t: self._edited("parent"))
        self.summary.textChanged.connect(self._on_summary_text_changed)
        self.description.textChanged.connect(lambda: self._edited("description"))
        self.internal_note.textChanged.connect(lambda: self._edited("internal_note"))
        self.create_button.clicked.connect(self.create_requested)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.create_requested)

    def start(self) -> None:
        """Load the pick lists (boards, priorities, members)."""
        self.choices.start()

    # ------------------------------------------------------------------ reading and filling

    def values(self, key: str) -> FormDraft:
        """The form as a draft (pending values included)."""
        c = self.choices
        return FormDraft(
            key=key,
            company_id=self.company.current_value(),
            # The entry's label, not the edit text (which may be a search being typed).
            company_name=(self.company.itemText(self.company.currentIndex())
                          if self.company.current_value() else ""),
            contact_id=c.value("contact"),
            contact_name=c.label("contact"),
            board_id=c.value("board"), status_id=c.value("status"),
            priority_id=c.value("priority"), type_id=c.value("type"),
            subtype_id=c.value("subtype"),
            assignee_id=c.value("assignee"), assignee_name=c.label("assignee"),
            parent_ticket_id=_int_or_none(self.parent_ticket.text()),
            summary=self.summary.text(), description=self.description.toPlainText(),
            internal_note=self.internal_note.toPlainText(),
            flags={n: r.flag for n, r in self.rows.items() if r.flag},
        )

    def apply(self, draft: FormDraft) -> None:
        """Fill every field from ``draft`` (a restored draft, Quick Create, a spin-off)."""
        self._applying = True
        try:
            if draft.company_id is not None:
                name = draft.company_name or f"Company #{draft.company_id}"
                self.company.set_current_value(draft.company_id, name)
            else:
                self.company.set_current_value(None)
            self.choices.set_company(draft.company_id, contact=draft.contact_id,
                                     contact_name=draft.contact_name)
            self.choices.set_board(draft.board_id, status=draft.status_id, type_id=draft.type_id,
                                   subtype_id=draft.subtype_id)
            self.choices.set_value("priority", draft.priority_id)
            self.choices.set_value("assignee", draft.assignee_id, draft.assignee_name)
            self.parent_ticket.setText(str(draft.parent_ticket_id or ""))
            self.summary.setText(draft.summary)
            self.description.setPlainText(draft.description)
            self.internal_note.setPlainText(draft.internal_note)
            for name, row in self.rows.items():
                row.set_error("")
                row.set_flag(draft.flags.get(name, ""))
        finally:
            self._applying = False

    def set_parent_ticket(self, ticket_id: int | None) -> None:
        self.parent_ticket.setText(str(ticket_id or ""))

    # ------------------------------------------------------------------ validation

    def validate(self) -> NewTicket | None:
        """The ticket to send, or None after marking what to fix (nothing is sent)."""
        draft = self.values("new")
        errors: dict[str, str] = {}
        if draft.company_id is None:
            errors["company"] = REQUIRED_MESSAGES["company"]
        if draft.board_id is None:
            errors["board"] = REQUIRED_MESSAGES["board"]
        summary = draft.summary.strip()
        if not summary:
            errors["summary"] = REQUIRED_MESSAGES["summary"]
        elif len(summary) > SUMMARY_MAX:
            errors["summary"] = (f"The summary has {len(summary)} characters; ConnectWise "
                                 f"allows {SUMMARY_MAX}. Shorten it and put the rest in the "
                                 "description.")
        if self.parent_ticket.text().strip() and draft.parent_ticket_id is None:
            errors["parent"] = "Enter a ticket number, or leave it empty."
        if errors:
            self.show_errors(errors)
            return None
        assert draft.company_id is not None and draft.board_id is not None
        self.clear_errors()
        return NewTicket(
            summary=summary, company_id=draft.company_id, board_id=draft.board_id,
            contact_id=draft.contact_id, priority_id=draft.priority_id,
            status_id=draft.status_id, type_id=draft.type_id, subtype_id=draft.subtype_id,
            owner_id=draft.assignee_id,
            parent_ticket_id=draft.parent_ticket_id,
            initial_description=draft.description.strip(),
            initial_internal_analysis=draft.internal_note.strip(),
        )

    def show_errors(self, errors: Mapping[str, str], *, lead: str | None = None) -> None:
        """Mark fields with what to fix, focus the first, and sum up above the form."""
        for name, row in self.rows.items():
            row.set_error(errors.get(name, ""))
        marked = [self.rows[name] for name in FIELD_ORDER if name in errors]
        if marked:
            marked[0].widget.setFocus()
        names = ", ".join(row.caption.lower() for row in marked)
        text = lead or "Nothing was sent. Fix the marked fields"
        self.message.show_message(f"{text}: {names}." if names else text, Tone.ERROR)

    def focus_first_flagged(self) -> bool:
        """Put the cursor in the first field Quick Create asks to check (False: none is)."""
        flagged = [self.rows[name] for name in FIELD_ORDER if self.rows[name].flag]
        if flagged:
            flagged[0].widget.setFocus()
        return bool(flagged)

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.set_error("")

    def errors(self) -> dict[str, str]:
        return {name: row.error for name, row in self.rows.items() if row.error}

    def flags(self) -> dict[str, str]:
        return {name: row.flag for name, row in self.rows.items() if row.flag}

    def set_creating(self, creating: bool) -> None:
        self.create_button.setEnabled(not creating)
        self.create_button.setText("Creating…" if creating else "Create ticket")

    # ------------------------------------------------------------------ slots

    async def _search_companies(self, text: str) -> list[Choice]:
        try:
            found = await self._backend.companies(text)
        except ConnectWiseError as exc:
            self.rows["company"].set_error(f"Company search failed: {exc.message}")
            return []
        self.rows["company"].set_error("")
        return [(company_label(o), o.id) for o in found if not o.inactive]

    def _on_company_value_chosen(self, value: Any) -> None:
        company = value if isinstance(value, int) else None
        if company != self.choices.company:
            self.choices.set_company(company)
            self._edited("contact")
        self._edited("company")

    def _on_contact_value_chosen(self, _value: Any) -> None:
        self._edited("contact")
        self.choices.show_contact_reach()

    def _on_board_activated(self, _index: int) -> None:
        value = self.board.currentData()
        self.choices.set_board(value if isinstance(value, int) else None)
        self._edited("board")
        self._edited("status")
        self._edited("type")
        self._edited("subtype")

    def _on_type_activated(self, _index: int) -> None:
        self.choices.fill_subtypes()
        self._edited("type")
        self._edited("subtype")

    def _on_summary_text_changed(self, _text: str) -> None:
        self._update_counter()
        self._edited("summary")

    def _update_counter(self) -> None:
        length = len(self.summary.text())
        self.counter.setText(f"{length}/{SUMMARY_MAX}")
        over = length > SUMMARY_MAX
        self.counter.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;" if over else "")
        self.counter.setToolTip("ConnectWise cuts summaries at 100 characters" if over else "")

    def _edited(self, name: str) -> None:
        """A field changed: by the dispatcher, its flag and error are answered."""
        if self._applying:
            return
        row = self.rows[name]
        row.set_error("")
        row.set_flag("")
        self.changed.emit()


def _int_or_none(text: str) -> int | None:
    text = text.strip().lstrip("#")
    return int(text) if text.isdigit() and int(text) > 0 else None
