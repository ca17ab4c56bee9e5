"""The full form's pick lists: loaded in the background, with values held until they arrive.

Boards, priorities and members load when the form starts; a company's contacts when the company
is chosen; a board's statuses (its default selected), types and subtypes when the board is
chosen, and the subtypes offered follow the chosen type (ConnectWise's type associations). A
value set before its list is in — a restored draft, Quick Create — waits as *pending*, and
``value()`` reports it, so nothing the dispatcher had is lost while lists load. A list that
cannot be read says so on its row and the form stays usable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox

from psa.connectwise.errors import ConnectWiseError
from psa.models import Option
from ui.async_tools import WidgetTasks
from ui.detail.member_picker import member_label
from ui.new_ticket.backend import BoardChoices, ContactInfo, FormLookups, NewTicketBackend
from ui.tickets.picker_combo import PickerCombo

if TYPE_CHECKING:
    from ui.new_ticket.full_form import FullForm

Names = ("board", "status", "priority", "type", "subtype", "assignee", "contact")
TYPES_UNAVAILABLE = ("This server did not let Dispatch Desk read the board's ticket types, so "
                     "the ticket is created without one; set it in ConnectWise if needed.")
SUBTYPES_UNAVAILABLE = ("This server did not let Dispatch Desk read the board's subtypes, so "
                        "the ticket is created without one; set it in ConnectWise if needed.")


class FormChoices:
    """Loads and fills the form's lists; knows each list's value, pending or chosen."""

    def __init__(self, form: FullForm, backend: NewTicketBackend, *,
                 tasks: WidgetTasks) -> None:
        self._form = form
        self._backend = backend
        self._lookups = FormLookups(backend)
        self._tasks = tasks
        self._board_load = tasks.latest("board-choices")
        self._contact_load = tasks.latest("contacts")
        self.loaded: set[str] = set()
        self._pending: dict[str, tuple[Any, str]] = {}
        self.contacts: dict[int, ContactInfo] = {}
        self._company: int | None = None
        self._board: BoardChoices | None = None
        self._idle_board()
        self.set_company(None)

    def _combo(self, name: str) -> QComboBox:
        combo: QComboBox = getattr(self._form, name)
        return combo

    # ------------------------------------------------------------------ loading

    def start(self) -> None:
        self._tasks.spawn(self._load_boards(), name="boards")
        self._tasks.spawn(self._load_priorities(), name="priorities")
        self._tasks.spawn(self._load_members(), name="members")

    @property
    def company(self) -> int | None:
        """The company whose contacts are listed (or loading)."""
        return self._company

    def busy(self) -> bool:
        """True while any list is still loading (tests and the screenshot wait on this)."""
        return self._tasks.pending() > 0

    async def _load_boards(self) -> None:
        boards: Sequence[Option] = await self._guarded("board", self._backend.boards())
        board, _ = self._pending.pop("board", (None, ""))
        self._fill("board", [("Choose a board…", None), *((b.name, b.id) for b in boards)],
                   selected=board)
        if board is not None and self._combo("board").currentData() == board:
            self._board_load.start(self._load_board(board))

    async def _load_priorities(self) -> None:
        options = await self._guarded("priority", self._backend.priorities())
        self._fill("priority", [("Default priority", None), *((p.name, p.id) for p in options)])

    async def _load_members(self) -> None:
        members = await self._guarded("assignee", self._backend.members())
        active = sorted((m for m in members if not m.inactive),
                        key=lambda m: member_label(m).casefold())
        self._fill("assignee", [("Unassigned", None), *((member_label(m), m.id) for m in active)])
        if not active:
            self._form.rows["assignee"].set_note(
                "Members could not be listed (the API member's role may not read them); the "
                "ticket is created unassigned.")

    async def _guarded(self, name: str, call: Any) -> Sequence[Any]:
        try:
            result: Sequence[Any] = await call
        except ConnectWiseError as exc:
            self._form.rows[name].set_note(f"Could not load the list: {exc.message}")
            return ()
        return result

    # ------------------------------------------------------------------ company → contacts

    def set_company(self, company_id: int | None, *, contact: int | None = None,
                    contact_name: str = "") -> None:
        """Another company: its contacts load; ``contact`` is selected once they are in."""
        picker = self._form.contact
        if company_id == self._company and "contact" in self.loaded:
            self._select("contact", contact, contact_name)
            self.show_contact_reach()
            return
        self._company = company_id
        self.loaded.discard("contact")
        self.contacts = {}
        self._pending.pop("contact", None)
        choices: list[tuple[str, Any]] = [("No contact", None)]
        if contact is not None:
            choices.append((contact_name or f"Contact #{contact}", contact))
            self._pending["contact"] = (contact, contact_name)
        picker.set_choices(choices)
        picker.set_current_value(contact)
        picker.setEnabled(company_id is not None)
        self._form.rows["contact"].set_note("" if company_id else "Choose a company first.")
        if company_id is None:
            self._contact_load.cancel()
        else:
            self._contact_load.start(self._load_contacts(company_id))

    async def _load_contacts(self, company_id: int) -> None:
        row = self._form.rows["contact"]
        try:
            found = await self._lookups.contacts_of(company_id)
        except ConnectWiseError as exc:
            row.set_note(f"Could not load the company's contacts: {exc.message}")
            return
        self.contacts = {c.id: c for c in found}
        picker = self._form.contact
        wanted = self.value("contact")
        picker.set_choices([("No contact", None), *((c.name, c.id) for c in found)])
        self.loaded.add("contact")
        label = self._pending.pop("contact", (None, ""))[1]
        # A restored contact that is no longer listed stays, so ConnectWise can say why.
        picker.set_current_value(wanted, label or f"Contact #{wanted}" if wanted else None)
        self.show_contact_reach()

    def show_contact_reach(self) -> None:
        info = self.contacts.get(self.value("contact") or 0)
        self._form.rows["contact"].set_note(info.reach if info else "")

    # ------------------------------------------------------------------ board → status, type

    def set_board(self, board_id: int | None, *, status: int | None = None,
                  type_id: int | None = None, subtype_id: int | None = None) -> None:
        """Select a board (or hold it until boards load) and load its statuses and types."""
        for name, value in (("status", status), ("type", type_id), ("subtype", subtype_id)):
            self._pending.pop(name, None)
            if value is not None:
                self._pending[name] = (value, "")
        if "board" not in self.loaded:
            self._pending["board"] = (board_id, "")
            return
        self._select("board", board_id)
        if board_id is None or self._combo("board").currentData() != board_id:
            self._board_load.cancel()
            self._idle_board()
            return
        self._board_load.start(self._load_board(board_id))

    def _idle_board(self) -> None:
        self._board = None
        for name in ("status", "type", "subtype"):
            text = "Choose a board first"
            self.loaded.discard(name)
            combo = self._combo(name)
            combo.clear()
            combo.addItem(text, None)
            combo.setEnabled(False)

    async def _load_board(self, board_id: int) -> None:
        try:
            choices = await self._lookups.board_choices(board_id)
        except ConnectWiseError as exc:
            self._form.rows["status"].set_note(f"Could not load the board's statuses: "
                                               f"{exc.message}")
            return
        self._board = choices
        self._fill_statuses(choices)
        self._fill_types(choices)
        self.fill_subtypes()

    def _fill_statuses(self, choices: BoardChoices) -> None:
        usable = [s for s in choices.statuses if not s.inactive and not s.closed]
        default = choices.default_status_id
        items: list[tuple[str, Any]] = [] if default is not None else [("Board default", None)]
        items += [(f"{s.name} (default)" if s.id == default else s.name, s.id) for s in usable]
        status, _ = self._pending.pop("status", (default, ""))
        self._fill("status", items, selected=status)
        self._combo("status").setEnabled(True)

    def _fill_types(self, choices: BoardChoices) -> None:
        combo = self._combo("type")
        wanted, _ = self._pending.pop("type", (None, ""))
        if not choices.types:
            # Shown, not hidden: the dispatcher sees why there is no type to pick.
            self._fill("type", [("Not available" if choices.types is None
                                 else "This board has no types", None)])
            combo.setEnabled(False)
            self._form.rows["type"].set_tooltip(TYPES_UNAVAILABLE if choices.types is None
                                                else "")
            return
        self._form.rows["type"].set_tooltip("")
        self._fill("type", [("No type", None), *((t.name, t.id) for t in choices.types)],
                   selected=wanted)
        combo.setEnabled(True)

    def fill_subtypes(self) -> None:
        """Offer the subtypes that go with the chosen type (after a board or type change)."""
        choices = self._board
        if choices is None:
            return
        combo, row = self._combo("subtype"), self._form.rows["subtype"]
        pending = self._pending.pop("subtype", None)
        fitting = choices.subtypes_for(self.value("type"))
        wanted = pending[0] if pending else self.value("subtype")
        if pending is None and wanted not in {s.id for s in fitting}:
            wanted = None  # the type changed: its subtypes are a new choice
        row.set_tooltip(SUBTYPES_UNAVAILABLE if choices.types and choices.subtypes is None
                        else "")
        if not fitting:
            if not choices.types or choices.subtypes is None:
                text = "Not available" if choices.subtypes is None else "No subtypes"
            elif not choices.subtypes:
                text = "This board has no subtypes"
            elif self.value("type") is None:
                text = "Choose a type first"
            else:
                text = "No subtypes for this type"
            self._fill("subtype", [(text, None)])
            combo.setEnabled(False)
            if wanted is not None:
                row.set_note("The draft's subtype is no longer offered; choose again.")
            return
        self._fill("subtype", [("No subtype", None), *((s.name, s.id) for s in fitting)],
                   selected=wanted)
        combo.setEnabled(True)

    # ------------------------------------------------------------------ values

    def set_value(self, name: str, value: Any, label: str = "") -> None:
        """Select ``value`` in a loaded list, or hold it until the list arrives."""
        if name not in self.loaded:
            self._pending[name] = (value, label)
            return
        self._select(name, value, label)

    def value(self, name: str) -> Any:
        if name in self._pending:
            return self._pending[name][0]
        combo = self._combo(name)
        return combo.currentData() if combo.currentIndex() >= 0 else None

    def label(self, name: str) -> str:
        if name in self._pending:
            return self._pending[name][1]
        combo = self._combo(name)
        # The entry's label, not an editable combo's edit text (a search being typed).
        return combo.itemText(combo.currentIndex()) if self.value(name) is not None else ""

    def _fill(self, name: str, items: Sequence[tuple[str, Any]], *,
              selected: Any = None) -> None:
        combo = self._combo(name)
        if isinstance(combo, PickerCombo):
            combo.set_choices(items)
        else:
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
        self.loaded.add(name)
        value, label = self._pending.pop(name, (selected, ""))
        self._select(name, value, label)

    def _select(self, name: str, value: Any, label: str = "") -> None:
        combo = self._combo(name)
        if isinstance(combo, PickerCombo):
            combo.set_current_value(value, label or None)
            return
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))
        if value is not None and index < 0:
            self._form.rows[name].set_note(f"The draft's {name} is no longer offered; choose "
                                           "again.")
