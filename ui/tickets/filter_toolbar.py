"""The filter toolbar: search, board, status, priority, company, assignment, include closed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QToolBar, QWidget

from psa.connectwise.errors import ConnectWiseError
from psa.filters import Assigned, TicketFilters
from psa.models import BoardStatusOption, Option, StatusOption
from ui.async_tools import WidgetTasks
from ui.tickets.backend import TicketsBackend
from ui.tickets.picker_combo import Choice, PickerCombo

SEARCH_DEBOUNCE_MS = 250
CLEAR_SHORTCUT = "Ctrl+Shift+L"
ANY_OPEN_STATUS = "Any open status"
ANY_STATUS = "Any status"
_TICKET_NUMBER = re.compile(r"^#?\s*(\d{1,9})$")
_ANY = None
# Status combo values: "name:<name>" across boards, "id:<id>" on one board (strings, because
# QComboBox.findData compares plain values only).
StatusValue = str | None


def ticket_number(text: str) -> int | None:
    """`#1234` or `1234` → 1234; anything else → None."""
    match = _TICKET_NUMBER.match(text.strip())
    return int(match[1]) if match and int(match[1]) > 0 else None


class FilterToolbar(QToolBar):
    """Edits a TicketFilters value; emits `filters_changed(filters, debounce_ms)` on each edit.

    The toolbar keeps the whole value (sort order included, which the table header sets
    through `set_filters`), so what it emits is always complete. `labels()` holds the names
    shown for a chosen company and member, which filters alone (ids) cannot restore.
    """

    filters_changed = Signal(object, int)
    ticket_requested = Signal(int)
    lookups_loaded = Signal()

    def __init__(self, backend: TicketsBackend, parent: QWidget | None = None) -> None:
        super().__init__("Filters", parent)
        self.setObjectName("filterToolbar")
        self.setMovable(False)
        self.setFloatable(False)
        self._backend = backend
        self._filters = TicketFilters()
        self._labels: dict[str, str] = {}
        self._statuses: dict[StatusValue, bool] = {}  # value → is a closed status
        self._priority_colours: dict[int, str] = {}
        self._members_available = True
        self._member_labels: dict[int, str] = {}
        self._tasks = WidgetTasks(self)
        self._status_load = self._tasks.latest("board-statuses")
        self._company_name = self._tasks.latest("company-name")
        self._build()

    # -- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("ticketSearch")
        self.search.setPlaceholderText("Search summary, company or #number   (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search tickets")
        self.search.setMinimumWidth(260)
        icon = QIcon.fromTheme("edit-find")
        if not icon.isNull():
            self.search.addAction(icon, QLineEdit.ActionPosition.LeadingPosition)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.search.textEdited.connect(self._on_search_text_edited)
        self.search.returnPressed.connect(self._on_search_return_pressed)

        self.board = self._combo("Board", "All boards")
        self.board.activated.connect(self._on_board_activated)
        self.status = self._combo("Status", ANY_OPEN_STATUS)
        self.status.activated.connect(self._on_status_activated)
        self.priority = self._combo("Priority", "Any priority")
        self.priority.activated.connect(self._on_priority_activated)
        self.company = PickerCombo(accessible_name="Company", searcher=self._search_companies,
                                   parent=self)
        self.company.set_choices([("All companies", _ANY)])
        self.company.setMinimumContentsLength(16)
        self.company.value_chosen.connect(self._on_company_value_chosen)
        self.assigned = PickerCombo(accessible_name="Assigned to", parent=self)
        self.assigned.setMinimumContentsLength(14)
        self.assigned.set_choices(self._assigned_choices(()))
        self.assigned.value_chosen.connect(self._on_assigned_value_chosen)
        self.closed = QCheckBox("Include closed", self)
        self.closed.setAccessibleName("Include closed tickets")
        self.closed.toggled.connect(self._on_closed_toggled)

        for widget in (self.search, self.board, self.status, self.priority, self.company,
                       self.assigned, self.closed):
            widget.setToolTip(widget.accessibleName())
            self.addWidget(widget)
        self.clear_action = self.addAction("Clear filters")
        self.clear_action.setShortcut(QKeySequence(CLEAR_SHORTCUT))
        self.clear_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.clear_action.setToolTip(
            f"Show all open tickets (keeps the sort order)  ({CLEAR_SHORTCUT})")
        self.clear_action.triggered.connect(self._on_clear_triggered)
        # Tool buttons take no focus by default: this one must be reachable with Tab too.
        button = self.widgetForAction(self.clear_action)
        assert button is not None
        self.clear_button = button
        button.setObjectName("clearFilters")
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setAccessibleName("Clear filters")

    def _combo(self, name: str, everything: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        combo.addItem(everything, _ANY)
        return combo

    @staticmethod
    def _assigned_choices(members: Sequence[Option]) -> list[Choice]:
        choices: list[Choice] = [("Anyone", "all"), ("Mine", "me"), ("Unassigned", "unassigned")]
        choices += [(_member_label(m), m.id) for m in members if not m.inactive]
        return choices

    # -- the value ----------------------------------------------------------------------------
    def filters(self) -> TicketFilters:
        """The filters the toolbar shows."""
        return self._filters

    def labels(self) -> dict[str, str]:
        """Display names for the chosen company and member ("company", "member")."""
        return dict(self._labels)

    def priority_colours(self) -> dict[int, str]:
        """Priority id → colour, from the priorities lookup."""
        return dict(self._priority_colours)

    @property
    def members_available(self) -> bool:
        """False when the key may not list members (no member picker then)."""
        return self._members_available

    def set_filters(self, filters: TicketFilters, labels: Mapping[str, str] | None = None) -> None:
        """Show a filter state (a saved view, a link, a restart) without emitting a change."""
        board_changed = filters.board_id != self._filters.board_id
        self._filters = filters
        if labels is not None:
            self._labels = dict(labels)
        if self.search.text() != filters.query:
            self.search.setText(filters.query)
        _select(self.board, filters.board_id, f"Board #{filters.board_id}")
        _select(self.priority, filters.priority_id, f"Priority #{filters.priority_id}")
        self.company.set_current_value(
            filters.company_id, self._labels.get("company", f"Company #{filters.company_id}")
        )
        self.assigned.set_current_value(
            filters.assigned, self._labels.get("member", f"Member #{filters.assigned}")
        )
        self.closed.blockSignals(True)
        self.closed.setChecked(filters.include_closed)
        self.closed.blockSignals(False)
        self._name_any_status()
        if board_changed:
            self._start_status_load()
        else:
            _select(self.status, self._status_value(filters), _status_label(filters))
        self._name_member()
        if filters.company_id is not None and "company" not in self._labels:
            # A link or an old view gives the id alone: show the company's name once known.
            self._company_name.start(self._name_company(filters.company_id))

    def cancel_tasks(self) -> None:
        """Stop lookups and searches in flight (the window is closing)."""
        self._search_timer.stop()
        self._tasks.cancel_all()
        self.company.cancel_tasks()
        self.assigned.cancel_tasks()

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box with its text selected."""
        self.search.setFocus()
        self.search.selectAll()

    def _change(self, delay_ms: int = 0, **update: Any) -> None:
        filters = self._filters.model_copy(update=update)
        self._filters = TicketFilters.model_validate(filters.model_dump())
        self.filters_changed.emit(self._filters, delay_ms)

    @staticmethod
    def _status_value(filters: TicketFilters) -> StatusValue:
        if filters.status_id is not None:
            return f"id:{filters.status_id}"
        if filters.status_name is not None:
            return f"name:{filters.status_name}"
        return None

    # -- lookups ------------------------------------------------------------------------------
    async def load_lookups(self, *, refresh: bool = False) -> None:
        """Fill boards, statuses, priorities and members (degraded lists when not permitted)."""
        backend = self._backend
        boards = await backend.boards(refresh=refresh)
        priorities = await backend.priorities(refresh=refresh)
        members = await backend.members(refresh=refresh)
        _fill(self.board, "All boards", [(b.name, b.id) for b in boards if not b.inactive],
              self._filters.board_id)
        ordered = sorted(priorities, key=lambda p: (p.sort_order is None, p.sort_order or 0))
        _fill(self.priority, "Any priority", [(p.name, p.id) for p in ordered],
              self._filters.priority_id)
        self._priority_colours = {p.id: p.color for p in priorities if p.color}
        warned = {w.area for w in backend.warnings}
        self._members_available = bool(members) or "members" not in warned
        self._member_labels = {m.id: _member_label(m) for m in members}
        self.assigned.set_choices(self._assigned_choices(members))
        self._name_member()
        self.assigned.setToolTip(
            "Assigned to" if self._members_available
            else "Assigned to — the member list is not available to this API key"
        )
        await self._load_statuses(refresh=refresh)
        self.lookups_loaded.emit()

    def _start_status_load(self) -> None:
        self._status_load.start(self._load_statuses())

    async def _load_statuses(self, *, refresh: bool = False) -> None:
        board_id = self._filters.board_id
        choices: list[tuple[str, StatusValue, bool]]
        if board_id is None:
            every: Sequence[StatusOption] = await self._backend.all_statuses(refresh=refresh)
            choices = [(s.name, f"name:{s.name}", s.closed) for s in every]
        else:
            mine: Sequence[BoardStatusOption] = await self._backend.statuses(
                board_id, refresh=refresh
            )
            active = sorted((s for s in mine if not s.inactive),
                            key=lambda s: (s.sort_order is None, s.sort_order or 0))
            choices = [(s.name, f"id:{s.id}", s.closed) for s in active]
        self._statuses = {value: closed for _, value, closed in choices}
        _fill(self.status, self._any_status(), [(label, value) for label, value, _ in choices],
              self._status_value(self._filters), _status_label(self._filters))

    def _any_status(self) -> str:
        # "Any status" only says the truth while closed tickets are included.
        return ANY_STATUS if self._filters.include_closed else ANY_OPEN_STATUS

    def _name_any_status(self) -> None:
        self.status.setItemText(0, self._any_status())

    def _name_member(self) -> None:
        """Give a member chosen by id alone (a link, an old view) its name from the list."""
        member = self._filters.assigned
        if isinstance(member, int) and "member" not in self._labels:
            label = self._member_labels.get(member)
            if label is not None:
                self._labels["member"] = label
                _relabel(self.assigned, member, label)
                self.assigned.set_current_value(member)

    async def _name_company(self, company_id: int) -> None:
        try:
            company = await self._backend.company(company_id)
        except ConnectWiseError:
            return  # "Company #3" stays; the filter itself works by id
        if (company is None or self._filters.company_id != company_id
                or "company" in self._labels):
            return
        label = _company_label(company)
        self._labels["company"] = label
        _relabel(self.company, company_id, label)
        self.company.set_current_value(company_id)

    async def _search_companies(self, text: str) -> Sequence[Choice]:
        found = await self._backend.companies(text)
        return [(_company_label(c), c.id) for c in found]

    # -- slots --------------------------------------------------------------------------------
    def _on_search_text_edited(self, text: str) -> None:
        if text.lstrip().startswith("#"):
            # "#20…" is a ticket number on its way to Enter, not words to search for.
            self._search_timer.stop()
        else:
            self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        text = self.search.text()
        if text != self._filters.query:
            self._change(0, query=text)

    def _on_search_return_pressed(self) -> None:
        self._search_timer.stop()
        number = ticket_number(self.search.text())
        if number is not None:
            # Enter on a number opens that ticket; the list keeps the query it shows.
            self.ticket_requested.emit(number)
            self.search.selectAll()
            return
        if self.search.text() != self._filters.query:
            self._change(0, query=self.search.text())

    def _on_board_activated(self, index: int) -> None:
        board_id = self.board.itemData(index)
        if board_id == self._filters.board_id:
            return
        # A status id belongs to one board; a status name still means something on the next.
        update: dict[str, Any] = {"board_id": board_id, "status_id": None}
        if self._filters.status_id is not None:
            update["status_name"] = self.status.currentText()
        self._change(0, **update)
        self._start_status_load()

    def _on_status_activated(self, index: int) -> None:
        value: StatusValue = self.status.itemData(index)
        update: dict[str, Any] = {"status_id": None, "status_name": None}
        if value is not None:
            kind, _, key = value.partition(":")
            update["status_id" if kind == "id" else "status_name"] = (
                int(key) if kind == "id" else key
            )
            if self._statuses.get(value):
                # Choosing a closed status means wanting closed tickets.
                update["include_closed"] = True
                self.closed.blockSignals(True)
                self.closed.setChecked(True)
                self.closed.blockSignals(False)
        self._change(0, **update)
        self._name_any_status()

    def _on_priority_activated(self, index: int) -> None:
        self._change(0, priority_id=self.priority.itemData(index))

    def _on_company_value_chosen(self, company_id: object) -> None:
        if company_id is None:
            self._labels.pop("company", None)
        else:
            self._labels["company"] = self.company.currentText()
        self._change(0, company_id=company_id)

    def _on_assigned_value_chosen(self, assigned: object) -> None:
        value: Assigned = "all"
        if isinstance(assigned, int) or assigned in ("me", "unassigned"):
            value = assigned
        if isinstance(value, int):
            self._labels["member"] = self.assigned.currentText()
        else:
            self._labels.pop("member", None)
        self._change(0, assigned=value)

    def _on_closed_toggled(self, checked: bool) -> None:
        self._change(0, include_closed=checked)
        self._name_any_status()

    def _on_clear_triggered(self) -> None:
        cleared = TicketFilters(order_by=self._filters.order_by)
        if cleared != self._filters:
            self.set_filters(cleared, {})
            self.filters_changed.emit(cleared, 0)


def _member_label(member: Option) -> str:
    if member.identifier and member.identifier != member.name:
        return f"{member.name} ({member.identifier})"
    return member.name


def _company_label(company: Option) -> str:
    return f"{company.name} ({company.identifier})" if company.identifier else company.name


def _status_label(filters: TicketFilters) -> str:
    if filters.status_name is not None:
        return filters.status_name
    return f"Status #{filters.status_id}"


def _fill(combo: QComboBox, everything: str, choices: Sequence[tuple[str, Any]],
          current: Any, missing_label: str = "") -> None:
    """Replace a combo's entries after its "all" entry and re-select `current`."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, _ANY)
    for label, value in choices:
        combo.addItem(label, value)
    combo.blockSignals(False)
    _select(combo, current, missing_label or str(current))


def _relabel(combo: QComboBox, value: Any, label: str) -> None:
    """Rename the entry holding `value` (a stand-in like "Company #3" now named)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setItemText(index, label)


def _select(combo: QComboBox, value: Any, missing_label: str) -> None:
    """Select the entry holding `value`, adding it when the lookup did not offer it."""
    index = 0 if value is None else combo.findData(value)
    if index < 0:
        combo.addItem(missing_label, value)
        index = combo.count() - 1
    combo.blockSignals(True)
    combo.setCurrentIndex(index)
    combo.blockSignals(False)
