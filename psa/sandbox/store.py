"""The sandbox's state: the seeded dataset, every read and every mutation, thread-safe.

Reads return full-shape wire dicts (the server applies queries, paging, projection and shapes).
Records are copy-on-write: a change builds a new dict and swaps it in, so a dict handed out is
never changed afterwards and may be serialised outside the lock. Nested references are shared
between records and must never be changed in place.

Behaviour where ConnectWise is not documented ([I] in API-NOTES), beyond ``sla.py``,
``data_notes.py`` and ``ticket_edit.py``:

- ``_info.lastUpdated`` (to the clock's now) and ``_info.updatedBy`` (the acting member) move on
  every real change of a ticket, including a note added, a schedule entry added or deleted, a
  child attached or a merge. Notes are an [I] in API-NOTES, so ``notes_bump_last_updated``
  (default True; ``SandboxConfig``, ``/_sandbox/config``, ``--notes-bump-last-updated``) can
  turn it off: a note (the API's, a customer's from the activity generator, a create's initial
  notes after the create itself) then leaves ``_info`` alone, though the ticket's other effects
  (``customerUpdatedFlag``, the SLA's response) still apply — a client watching only
  ``lastUpdated`` misses it. A PATCH that changes nothing (e.g. only ``resources``, or a status
  from another board) leaves them alone.
- List records carry SLA fields as of the ticket's last save; ``ticket(id)`` and
  ``calculate_sla`` compute them as of now (API-NOTES: "fresh only from GET by id or
  calculateSla").
- Schedule entries are not deduplicated: a member can hold several on one ticket; ``resources``
  (owner first, then type-4 entry members in creation order, ", "-joined) lists each once.
  Entries of other types never count.
- ``member_by_identifier`` matches case-insensitively but exactly (``jdoe`` is not ``jdoe2``).
"""

from __future__ import annotations

import gc
import random
import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from psa.sandbox.activity import ActivityGenerator
from psa.sandbox.clock import Clock
from psa.sandbox.data import DISPATCHER, Hrefs, Reference, build_reference
from psa.sandbox.data_notes import (
    NOTE_BASE,
    NOTES_PER_TICKET,
    all_notes_view,
    seeded_notes,
)
from psa.sandbox.data_tickets import FIRST_TICKET_ID, generate_tickets
from psa.sandbox.errors import ApiError, not_found
from psa.sandbox.fieldsets import field_set
from psa.sandbox.query import FieldSet
from psa.sandbox.sla import SLA_FIELD_NAMES, STANDARD_CALENDAR, SlaClock, cw_ts, epoch, sla_fields
from psa.sandbox.ticket_edit import TicketEditor
from psa.sandbox.ticket_links import LinkEditor

ENTITIES = ("tickets", "companies", "contacts", "members", "boards", "priorities",
            "configurations", "scheduleEntries")
VERSION = "v2025.8.0.12345"


class Store:
    """All sandbox data and operations; see CONTRACT.md for the interface."""

    def __init__(self, *, seed: int = 1, tickets: int = 300, clock: Clock, api_base: str) -> None:
        self.lock = threading.RLock()
        self.notes_bump_last_updated = True
        self.seed = seed
        self.clock = clock
        self.cal = STANDARD_CALENDAR
        self.hrefs = Hrefs(api_base)
        self.api_base = self.hrefs.base
        rng = random.Random(seed)
        collecting = gc.isenabled()
        gc.disable()  # building 100k tickets triggers many useless full collections
        try:
            self.ref: Reference = build_reference(rng, epoch(clock.now()), self.hrefs)
            seeded = generate_tickets(self.ref, rng, tickets)
        finally:
            if collecting:
                gc.enable()
        self.tickets: list[dict[str, Any]] = seeded.tickets
        self.clocks: dict[int, SlaClock] = seeded.clocks
        self.entries: list[dict[str, Any]] = seeded.entries
        self.ticket_configs = seeded.configs
        self._descriptions = seeded.descriptions
        self._seeded_count = len(self.tickets)
        self.notes_of: dict[int, list[dict[str, Any]]] = {}
        self.time_of: dict[int, list[dict[str, Any]]] = {}
        self.next_note_id = NOTE_BASE + NOTES_PER_TICKET * (self._seeded_count + 1)
        self.next_entry_id = max((e["id"] for e in self.entries), default=700000) + 1
        self.entries_of: dict[int, list[dict[str, Any]]] = {}
        for entry in self.entries:
            if entry["type"]["id"] == 4:
                self.entries_of.setdefault(entry["objectId"], []).append(entry)
        self.children_of: dict[int, set[int]] = {}
        for ticket in self.tickets:
            if "parentTicketId" in ticket:
                self.children_of.setdefault(ticket["parentTicketId"], set()).add(ticket["id"])
        self.members_by_id = {m["id"]: m for m in self.ref.members}
        self.members_by_ident = {m["identifier"].casefold(): m for m in self.ref.members}
        self.companies_by_id = {c["id"]: c for c in self.ref.companies}
        self.contacts_by_id = {c["id"]: c for c in self.ref.contacts}
        self._fields: dict[str, FieldSet] = {}
        self.editor = TicketEditor(self)
        self.links = LinkEditor(self)
        self.activity = ActivityGenerator(self, seed)

    # --- reads -----------------------------------------------------------------------------

    def records(self, entity: str) -> Sequence[dict[str, Any]]:
        """Every record of an entity, full shape, ordered by id."""
        with self.lock:
            ref = self.ref
            lists: dict[str, Sequence[dict[str, Any]]] = {
                "tickets": self.tickets, "companies": ref.companies, "contacts": ref.contacts,
                "members": ref.members,
                "boards": [b.record for b in sorted(ref.board_by_id.values(),
                                                    key=lambda b: b.ref["id"])],
                "priorities": ref.priorities, "configurations": ref.configurations,
                "scheduleEntries": self.entries,
            }
            if entity not in lists:
                raise not_found(f"Entity '{entity}'")
            return lists[entity]

    def board_statuses(self, board_id: int) -> Sequence[dict[str, Any]]:
        with self.lock:
            board = self.ref.board_by_id.get(board_id)
            if board is None:
                raise not_found(f"Board {board_id}")
            return board.statuses

    def board_classification(self, board_id: int, kind: str) -> Sequence[dict[str, Any]]:
        """A board's ``types``, ``subtypes`` or ``items`` records (404 for an unknown board)."""
        with self.lock:
            board = self.ref.board_by_id.get(board_id)
            if board is None:
                raise not_found(f"Board {board_id}")
            found: Sequence[dict[str, Any]] = getattr(board, kind)
            return found

    def fields(self, entity: str) -> FieldSet:
        """The paths conditions/orderBy/fields accept for an entity (computed once)."""
        with self.lock:
            found = self._fields.get(entity)
            if found is None:
                found = self._fields[entity] = field_set(self, entity)
            return found

    def ticket(self, ticket_id: int) -> dict[str, Any]:
        """One ticket with its SLA fields computed as of now."""
        with self.lock:
            return self.fresh_sla(self.get(ticket_id))

    def notes(self, ticket_id: int, *, all_notes: bool = False) -> Sequence[dict[str, Any]]:
        with self.lock:
            ticket = self.get(ticket_id)
            notes = self.ensure_notes(ticket_id)
            if not all_notes:
                return list(notes)
            href = f"{self.api_base}/service/tickets/{ticket_id}"
            return all_notes_view(ticket, notes, self.time_of[ticket_id], href)

    def ticket_configurations(self, ticket_id: int) -> Sequence[dict[str, Any]]:
        with self.lock:
            self.get(ticket_id)
            out = []
            for config_id in self.ticket_configs.get(ticket_id, ()):
                config = next(c for c in self.ref.configurations if c["id"] == config_id)
                out.append({"id": config_id, "deviceIdentifier": config["deviceIdentifier"],
                            "_info": {"configuration_href":
                                      f"{self.api_base}/company/configurations/{config_id}"}})
            return out

    def member_by_identifier(self, identifier: str) -> dict[str, Any]:
        with self.lock:
            member = self.members_by_ident.get(identifier.casefold())
            if member is None:
                raise not_found(f"Member '{identifier}'")
            return member

    def system_info(self) -> dict[str, Any]:
        return {
            "version": VERSION, "isCloud": False, "serverTimeZone": "Eastern Standard Time",
            "licenseBits": [{"name": "Service", "activeFlag": True},
                            {"name": "Project", "activeFlag": True}],
        }

    def company_info(self, company_id: str) -> dict[str, Any] | None:
        """``/login/companyinfo/{id}``: only company ``sandbox`` exists (case-insensitive).
        The sandbox presents itself as an on-premises server (``IsCloud`` false)."""
        if company_id.casefold() != "sandbox":
            return None
        return {
            "CompanyName": self.ref.companies[0]["name"], "Codebase": "v4_6_release/",
            "VersionCode": "v2025.8", "VersionNumber": "v4.6.12345", "CompanyID": "sandbox",
            "IsCloud": False, "SiteUrl": urlsplit(self.api_base).netloc,
        }

    # --- mutations (each takes the lock; the editors do the work) -------------------------

    def create_ticket(self, body: dict[str, Any], *, member: str) -> dict[str, Any]:
        with self.lock:
            return self.editor.create(body, member)

    def patch_ticket(
        self, ticket_id: int, ops: list[dict[str, Any]], *, member: str
    ) -> dict[str, Any]:
        with self.lock:
            return self.editor.patch(ticket_id, ops, member)

    def add_note(self, ticket_id: int, body: dict[str, Any], *, member: str) -> dict[str, Any]:
        with self.lock:
            return self.links.add_note(ticket_id, body, member)

    def create_schedule_entry(self, body: dict[str, Any], *, member: str) -> dict[str, Any]:
        with self.lock:
            return self.links.create_entry(body, member)

    def delete_schedule_entry(self, entry_id: int, *, member: str) -> None:
        with self.lock:
            self.links.delete_entry(entry_id, member)

    def attach_children(
        self, parent_id: int, body: dict[str, Any], *, member: str
    ) -> dict[str, Any]:
        with self.lock:
            return self.links.attach_children(parent_id, body, member)

    def merge(self, ticket_id: int, body: dict[str, Any], *, member: str) -> dict[str, Any]:
        with self.lock:
            return self.links.merge(ticket_id, body, member)

    def calculate_sla(self, tickets: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """The given tickets (by id: any projection will do) as stored, with SLA fields as
        of now; a record without a known ticket id is passed through unchanged."""
        with self.lock:
            ids = self._ids()
            return [self.fresh_sla(self.get(t["id"])) if t.get("id") in ids else t
                    for t in tickets]

    def activity_step(self) -> list[str]:
        with self.lock:
            return self.activity.step()

    # --- internals shared with the editors --------------------------------------------------

    def _ids(self) -> range:
        return range(FIRST_TICKET_ID, FIRST_TICKET_ID + len(self.tickets))

    def now(self) -> int:
        return epoch(self.clock.now())

    def get(self, ticket_id: int) -> dict[str, Any]:
        """The stored ticket, or 404 as ConnectWise words it."""
        index = ticket_id - FIRST_TICKET_ID if isinstance(ticket_id, int) else -1
        if not 0 <= index < len(self.tickets):
            raise not_found(f"Ticket {ticket_id}")
        return self.tickets[index]

    def fresh_sla(self, ticket: dict[str, Any]) -> dict[str, Any]:
        """A copy of ``ticket`` with SLA fields as of now."""
        return self.with_sla(ticket, self.now())

    def with_sla(self, ticket: dict[str, Any], as_of: int) -> dict[str, Any]:
        copy = {k: v for k, v in ticket.items() if k not in SLA_FIELD_NAMES}
        priority = ticket["priority"]["id"]
        copy.update(sla_fields(self.clocks[ticket["id"]], self.ref.targets[priority], self.cal,
                               as_of))
        return copy

    def ensure_notes(self, ticket_id: int) -> list[dict[str, Any]]:
        """The ticket's notes, generating a seeded ticket's on first use."""
        notes = self.notes_of.get(ticket_id)
        if notes is None:
            index = ticket_id - FIRST_TICKET_ID
            if index < self._seeded_count:
                notes, entries = seeded_notes(self.tickets[index], self._descriptions[ticket_id],
                                              self.ref, self.seed, index)
            else:
                notes, entries = [], []
            self.notes_of[ticket_id] = notes
            self.time_of[ticket_id] = entries
        return notes

    def commit(
        self, old: dict[str, Any], new: dict[str, Any], member: str, *, force: bool = False,
        bump: bool = True,
    ) -> dict[str, Any]:
        """Store ``new`` in place of ``old`` if anything changed (or ``force``): bump
        ``_info.lastUpdated``/``updatedBy`` (unless ``bump`` is false) and refresh the SLA
        fields as of now."""
        if not force and _same(old, new):
            return old
        now = self.now()
        if bump:
            info = dict(new["_info"])
            info["lastUpdated"] = cw_ts(now)
            info["updatedBy"] = member
            new["_info"] = info
        new = self.with_sla(new, now)
        self.tickets[new["id"] - FIRST_TICKET_ID] = new
        return new

    def resources_of(self, ticket: dict[str, Any]) -> str | None:
        """Owner first, then type-4 schedule entry members; each once."""
        names: list[str] = []
        owner = ticket.get("owner")
        if owner:
            names.append(owner["identifier"])
        for entry in self.entries_of.get(ticket["id"], ()):
            ident = entry["member"]["identifier"]
            if ident not in names:
                names.append(ident)
        return ", ".join(names) or None

    def dispatcher(self) -> dict[str, Any]:
        return self.ref.member_refs[DISPATCHER]


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    keys = (set(old) | set(new)) - {"_info", *SLA_FIELD_NAMES}
    return all(old.get(k) == new.get(k) for k in keys)


__all__ = ["ENTITIES", "ApiError", "Store"]
