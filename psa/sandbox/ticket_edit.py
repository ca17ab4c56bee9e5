"""Ticket creation and JSON-Patch updates, with ConnectWise's validation and quirks.

Reproduced quirks ([V] unless marked): ``resources`` is read-only — patching it answers 200 and
changes nothing; a status that is not on the ticket's board is silently ignored (200, status
unchanged); [I] a board change without a status valid on the new board is 400 ``InvalidObject``
naming ``status``. Other choices ([I]):

- References are given as ``{"id": N}``; ``{"name": ...}`` (boards, statuses, priorities,
  types, teams, sources) and ``{"identifier": ...}`` (members, companies) also resolve. Paths may
  start with ``/`` and may address a sub-field (``status/id`` with value ``N``); field names are
  case-insensitive. Ops are ``add``, ``replace`` (the same thing here) and ``remove``.
- Read-only fields (``id``, ``_info``, ``recordType``, SLA fields, ``closedDate``, ``closedBy``,
  ``hasChildTicket``, ``mergedParentTicket``...) are ignored like ``resources``; an unknown field
  is 400 ``InvalidObject`` naming it. A whole patch is validated before anything changes.
- An inactive status (on the right board) is 400, unlike a status from another board.
- Moving to a closed status sets ``closedFlag``, ``closedDate`` and ``closedBy``; leaving one
  clears them. Patching ``closedFlag`` true moves an open ticket to its board's "Closed" status;
  false moves a closed ticket to the board's default status.
- A board change drops ``type``/``subType``/``item``/``team`` that do not exist on the new board.
- A company change copies the company's site and address and drops a contact of another company;
  a contact must belong to the ticket's company. Setting a contact copies its name, phone and
  email into ``contactName``/``contactPhoneNumber``/``contactEmailAddress``.
- Owners and co-assignees must be active members.
- POST: ``board`` defaults to Help Desk, ``status`` to the board's default, ``priority`` to the
  default priority, ``severity``/``impact`` to Medium; a contact is not defaulted.
  ``initialDescription``/``initialInternalAnalysis``/``initialResolution`` become the first
  notes, by the acting member, and are not echoed back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psa.sandbox.clock import parse_cw_time
from psa.sandbox.data import Board
from psa.sandbox.data_tickets import FIRST_TICKET_ID
from psa.sandbox.errors import ApiError, invalid_object
from psa.sandbox.sla import SlaClock, cw_ts
from psa.sandbox.ticket_fields import (
    LENGTHS,
    READ_ONLY,
    SCALAR_BOOLS,
    SCALAR_ENUMS,
    FieldError,
    Resolver,
)

if TYPE_CHECKING:
    from psa.sandbox.store import Store

_REFERENCES = ("board", "status", "company", "contact", "owner", "priority", "type", "subType",
               "item", "team", "source", "serviceLocation")
_CANONICAL = {name.casefold(): name for name in (
    *_REFERENCES, *READ_ONLY, *SCALAR_BOOLS, *SCALAR_ENUMS, *LENGTHS, "parentTicketId",
    "budgetHours", "requiredDate", "estimatedStartDate", "site",
)}
_REQUIRED = {"summary", "company", "board", "status", "priority"}
_CONTACT_FIELDS = ("contact", "contactName", "contactPhoneNumber", "contactPhoneExtension",
                   "contactEmailAddress")


class TicketEditor:
    """Create and patch tickets on a Store (called with the store's lock held)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.resolve = Resolver(store)

    # --- POST ------------------------------------------------------------------------------

    def create(self, body: dict[str, Any], member: str) -> dict[str, Any]:
        store, errors = self.store, []
        summary = body.get("summary")
        try:
            summary = _text("summary", summary, required=True)
        except FieldError as exc:
            errors.append(exc.error)
        company = self._try(errors, "company", lambda: self.resolve.company(body.get("company")))
        board = self._try(errors, "board", lambda: self.resolve.board(
            body.get("board"), default=store.ref.boards["desk"]))
        values: dict[str, Any] = {}
        if board is not None:
            values = self._create_refs(body, board, company, errors)
        for name in ("externalXRef", "poNumber", "contactName", "contactPhoneNumber",
                     "contactPhoneExtension", "contactEmailAddress"):
            if body.get(name) is not None:
                self._try(errors, name, lambda n=name: values.__setitem__(
                    n, _text(n, body[n])))
        self._try(errors, "parentTicketId", lambda: self._parent(values, body, None))
        if errors:
            raise invalid_object("The ticket could not be saved.", errors)
        assert board is not None and company is not None and isinstance(summary, str)
        return self._insert(body, summary, board, company=company, values=values, member=member)

    def _create_refs(
        self, body: dict[str, Any], board: Board, company: dict[str, Any] | None,
        errors: list[dict[str, Any]],
    ) -> dict[str, Any]:
        r, values = self.resolve, {}
        values["status"] = self._try(errors, "status", lambda: r.status(
            board, body.get("status"), default=True, strict=True))
        values["priority"] = self._try(errors, "priority", lambda: r.priority(
            body.get("priority"), default=True))
        for name in ("owner", "type", "subType", "item", "team", "source", "serviceLocation"):
            if body.get(name) is not None:
                values[name] = self._try(errors, name, lambda n=name: r.by_name(
                    n, board, body[n]))
        if body.get("contact") is not None and company is not None:
            values["contact"] = self._try(errors, "contact", lambda: r.contact(
                body["contact"], company["id"]))
        for name in ("severity", "impact"):
            values[name] = self._try(errors, name, lambda n=name: _enum(
                n, body.get(n, "Medium")))
        return {k: v for k, v in values.items() if v is not None}

    def _insert(
        self, body: dict[str, Any], summary: str, board: Board, *, company: dict[str, Any],
        values: dict[str, Any], member: str,
    ) -> dict[str, Any]:
        store = self.store
        now = store.now()
        tid = FIRST_TICKET_ID + len(store.tickets)
        status_ref, status = values.pop("status")
        ticket: dict[str, Any] = {
            "id": tid, "summary": summary, "recordType": "ServiceTicket", "board": board.ref,
            "status": status_ref,
        }
        _set_company(ticket, company, store.ref.company_refs[company["id"]])
        if "contact" in values:
            _set_contact(ticket, values.pop("contact"), store)
        ticket.update(values)
        ticket.update({
            "allowAllClientsPortalView": False, "customerUpdatedFlag": False,
            "automaticEmailContactFlag": False, "automaticEmailResourceFlag": False,
            "automaticEmailCcFlag": False, "closedFlag": False, "approved": True,
            "billTime": "NoDefault", "billExpenses": "Billable", "billProducts": "Billable",
            "hasChildTicket": False, "hasMergedChildTicketFlag": False,
            "location": store.ref.shared["location"],
            "department": store.ref.shared["department"], "sla": store.ref.shared["sla"],
            "requestForChangeFlag": False,
        })
        base = f"{store.api_base}/service/tickets/{tid}"
        ticket["_info"] = {
            "lastUpdated": cw_ts(now), "updatedBy": member, "dateEntered": cw_ts(now),
            "enteredBy": member, **{f"{k}_href": f"{base}/{k}" for k in (
                "activities", "scheduleentries", "documents", "configurations", "tasks",
                "notes", "products", "timeentries")},
        }
        store.clocks[tid] = SlaClock.start(store.cal, now)
        apply_status(store, ticket, None, status, member=member, now=now)
        if ticket.get("owner"):
            ticket["resources"] = ticket["owner"]["identifier"]
        if "parentTicketId" in ticket:
            self._link_parent(ticket["parentTicketId"], tid, member)
        store.tickets.append(store.with_sla(ticket, now))
        store.notes_of[tid], store.time_of[tid] = [], []
        self._initial_notes(tid, body, member)
        return store.tickets[-1]

    def _initial_notes(self, tid: int, body: dict[str, Any], member: str) -> None:
        flags = (("initialDescription", {"detail": True, "issue": True}),
                 ("initialInternalAnalysis", {"internal": True}),
                 ("initialResolution", {"resolution": True}))
        found = self.store.members_by_ident.get(member.casefold())
        # the author as a reference, like every nested member (not the full member record)
        author = self.store.ref.member_refs[found["identifier"]] if found else None
        for key, flag in flags:
            text = body.get(key)
            if isinstance(text, str) and text:
                self.store.links.store_note(tid, text, member, author, None, **flag)

    # --- PATCH -----------------------------------------------------------------------------

    def patch(self, ticket_id: int, ops: list[dict[str, Any]], member: str) -> dict[str, Any]:
        store = self.store
        old = store.get(ticket_id)
        store.ensure_notes(ticket_id)
        if not isinstance(ops, list):
            raise ApiError(400, "InvalidObject", "The request body must be a JSON Patch array.")
        wanted, errors = self._collect(ops)
        new = dict(old)
        board = self._try(errors, "board", lambda: self.resolve.board(
            wanted.pop("board", old["board"]), default=None))
        status = self._patch_status(old, new, board, wanted, errors)
        for name, value in wanted.items():
            self._try(errors, name, lambda n=name, v=value: self._patch_field(new, n, v, board))
        if board is not None and board.ref["id"] != old["board"]["id"]:
            _fit_board(new, board)
        if errors:
            raise invalid_object("The ticket could not be saved.", errors)
        assert board is not None
        now = store.now()
        if status is not None:
            apply_status(store, new, old["status"], status, member=member, now=now)
        if new.get("owner") != old.get("owner"):
            _set_optional(new, "resources", store.resources_of(new))
        if new.get("parentTicketId") != old.get("parentTicketId"):
            self.relink(old.get("parentTicketId"), new.get("parentTicketId"), ticket_id,
                         member)
        return store.commit(old, new, member)

    def _collect(self, ops: list[Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Validate ops; the last op for a field wins. Returns (field -> value, errors)."""
        wanted: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for op in ops:
            if not isinstance(op, dict) or not isinstance(op.get("path"), str):
                errors.append(_error("InvalidValue", "Each operation needs an op and a path.",
                                     "path"))
                continue
            kind = str(op.get("op", "")).casefold()
            segments = op["path"].strip("/").split("/")
            name = _CANONICAL.get(segments[0].casefold())
            if kind not in ("add", "replace", "remove"):
                errors.append(_error("InvalidValue", f"Unsupported op '{op.get('op')}'.", "op"))
            elif name is None:
                errors.append(_error("InvalidField", f"Unknown field '{segments[0]}'.",
                                     segments[0]))
            elif name in READ_ONLY:
                continue
            elif len(segments) > 2 or (len(segments) == 2 and name not in _REFERENCES):
                errors.append(_error("InvalidValue", f"Cannot patch '{op['path']}'.", name))
            else:
                value = None if kind == "remove" else op.get("value")
                wanted[name] = {segments[1]: value} if len(segments) == 2 else value
        return wanted, errors

    def _patch_status(
        self, old: dict[str, Any], new: dict[str, Any], board: Board | None,
        wanted: dict[str, Any], errors: list[dict[str, Any]],
    ) -> dict[str, Any] | None:
        """The status to move to (or None), applying the board quirks."""
        if board is None:
            return None
        moved = board.ref["id"] != old["board"]["id"]
        asked = "status" in wanted
        requested = wanted.pop("status", None)
        closed_flag = wanted.pop("closedFlag", None)
        if closed_flag is not None and not isinstance(closed_flag, bool):
            errors.append(_error("InvalidValue", "closedFlag must be true or false.",
                                 "closedFlag"))
            return None
        found = None
        if asked:
            found = self._try(errors, "status", lambda: self.resolve.status(
                board, requested, default=False, strict=moved))
        elif moved:
            errors.append(_error("InvalidValue", "The status is not valid on the new board.",
                                 "status"))
        if found is None and closed_flag is not None and not moved:
            found = self.resolve.close_or_open(board, old["status"]["id"], closed_flag)
        if found is None:
            return None
        new["board"] = board.ref
        new["status"] = found[0]
        status: dict[str, Any] = found[1]
        return status

    def _patch_field(self, new: dict[str, Any], name: str, value: Any, board: Board | None) -> None:
        store, r = self.store, self.resolve
        if value is None and name in _REQUIRED:
            raise FieldError(_error("NullValue", f"{name} is required.", name))
        if name == "company":
            company = r.company(value)
            assert company is not None
            _set_company(new, company, store.ref.company_refs[company["id"]])
            contact = new.get("contact")
            if contact and store.contacts_by_id[contact["id"]]["company"]["id"] != company["id"]:
                for key in _CONTACT_FIELDS:
                    new.pop(key, None)
        elif name == "contact":
            if value is None:
                for key in _CONTACT_FIELDS:
                    new.pop(key, None)
            else:
                _set_contact(new, r.contact(value, new["company"]["id"]), store)
        elif name == "priority":
            new["priority"] = r.priority(value, default=False)
        elif name in _REFERENCES:
            _set_optional(new, name, None if value is None else r.by_name(name, board, value))
        elif name == "parentTicketId":
            self._parent(new, {"parentTicketId": value}, new["id"])
            if value is None:
                new.pop("parentTicketId", None)
        elif name in ("requiredDate", "estimatedStartDate"):
            _set_optional(new, name, None if value is None else _date(name, value))
        elif name == "budgetHours":
            _set_optional(new, name, None if value is None else _number(name, value))
        elif name in SCALAR_BOOLS:
            if not isinstance(value, bool):
                raise FieldError(_error("InvalidValue", f"{name} must be true or false.", name))
            new[name] = value
        elif name in SCALAR_ENUMS:
            _set_optional(new, name, None if value is None else _enum(name, value))
        else:
            _set_optional(new, name, None if value is None else _text(name, value,
                                                                      required=name == "summary"))

    def _parent(self, target: dict[str, Any], body: dict[str, Any], self_id: int | None) -> None:
        value = body.get("parentTicketId")
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(_error("InvalidValue", "parentTicketId must be a ticket id.",
                                    "parentTicketId"))
        try:
            self.store.get(value)
        except ApiError:
            raise FieldError(_error("InvalidValue", f"Ticket {value} does not exist.",
                                    "parentTicketId")) from None
        if self_id is not None and self.creates_cycle(self_id, value):
            raise FieldError(_error("InvalidValue", "A ticket cannot be its own ancestor.",
                                    "parentTicketId"))
        target["parentTicketId"] = value

    def creates_cycle(self, ticket_id: int, candidate: int) -> bool:
        """Would making ``candidate`` the parent of ``ticket_id`` create a cycle?"""
        seen = set()
        current: int | None = candidate
        while current is not None and current not in seen:
            if current == ticket_id:
                return True
            seen.add(current)
            parent: int | None = self.store.get(current).get("parentTicketId")
            current = parent
        return False

    def relink(self, old_parent: int | None, new_parent: int | None, child: int,
                member: str) -> None:
        """Move ``child`` between parents, keeping both parents' ``hasChildTicket`` right."""
        store = self.store
        if old_parent is not None:
            children = store.children_of.get(old_parent, set())
            children.discard(child)
            parent = store.get(old_parent)
            if not children and parent.get("hasChildTicket"):
                store.commit(parent, {**parent, "hasChildTicket": False}, member)
        if new_parent is not None:
            self._link_parent(new_parent, child, member)

    def _link_parent(self, parent_id: int, child: int, member: str) -> None:
        store = self.store
        store.children_of.setdefault(parent_id, set()).add(child)
        parent = store.get(parent_id)
        store.commit(parent, {**parent, "hasChildTicket": True}, member)

    @staticmethod
    def _try(errors: list[dict[str, Any]], name: str, action: Any) -> Any:
        """Run ``action``; a FieldError becomes an ``errors[]`` item (``name`` documents it)."""
        try:
            return action()
        except FieldError as exc:
            errors.append(exc.error)
            return None


def apply_status(
    store: Store, ticket: dict[str, Any], old_status: dict[str, Any] | None,
    status: dict[str, Any], *, member: str, now: int,
) -> None:
    """Closed fields and SLA stage for a move into ``status`` (a BoardStatus record)."""
    if old_status is not None and old_status["id"] == status["id"]:
        return
    if status["closedStatus"]:
        if not ticket.get("closedFlag"):
            ticket["closedFlag"] = True
            ticket["closedDate"] = cw_ts(now)
            ticket["closedBy"] = member
    else:
        ticket["closedFlag"] = False
        ticket.pop("closedDate", None)
        ticket.pop("closedBy", None)
    store.clocks[ticket["id"]].on_status(store.cal, status["escalationStatus"], now, member)


def _fit_board(ticket: dict[str, Any], board: Board) -> None:
    """Drop classification and team that do not exist on ``board``."""
    for name, known in (("type", board.type_refs), ("subType", board.subtype_refs),
                        ("item", board.item_refs)):
        if name in ticket and ticket[name]["id"] not in known:
            del ticket[name]
    if "team" in ticket and ticket["team"] not in board.teams:
        del ticket["team"]


def _set_company(ticket: dict[str, Any], company: dict[str, Any], ref: dict[str, Any]) -> None:
    ticket["company"] = ref
    ticket["site"] = company["site"]
    ticket["siteName"] = "Main"
    for key, source in (("addressLine1", "addressLine1"), ("addressLine2", "addressLine2"),
                        ("city", "city"), ("stateIdentifier", "state"), ("zip", "zip"),
                        ("country", "country")):
        _set_optional(ticket, key, company.get(source))


def _set_contact(ticket: dict[str, Any], contact: dict[str, Any], store: Store) -> None:
    ticket["contact"] = store.ref.contact_refs[contact["id"]]
    ticket["contactName"] = ticket["contact"]["name"]
    ticket["contactPhoneNumber"] = contact["defaultPhoneNbr"]
    _set_optional(ticket, "contactPhoneExtension", contact.get("defaultPhoneExtension"))
    ticket["contactEmailAddress"] = contact["communicationItems"][1]["value"]


def _set_optional(ticket: dict[str, Any], name: str, value: Any) -> None:
    """Set, or leave out when None (null-valued properties are omitted)."""
    if value is None:
        ticket.pop(name, None)
    else:
        ticket[name] = value


def _error(code: str, message: str, field: str) -> dict[str, Any]:
    return {"code": code, "message": message, "resource": "ticket", "field": field}


def _text(name: str, value: Any, *, required: bool = False) -> str:
    if value is None or (required and value == ""):
        raise FieldError(_error("NullValue", f"{name} is required.", name))
    if not isinstance(value, str):
        raise FieldError(_error("InvalidValue", f"{name} must be a string.", name))
    limit = LENGTHS.get(name)
    if limit is not None and len(value) > limit:
        raise FieldError(_error("MaxLength", f"{name} is longer than {limit} characters.",
                                name))
    return value


def _enum(name: str, value: Any) -> str:
    if value not in SCALAR_ENUMS[name]:
        raise FieldError(_error("InvalidValue", f"{name} must be one of "
                                f"{', '.join(SCALAR_ENUMS[name])}.", name))
    return str(value)


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise FieldError(_error("InvalidValue", f"{name} must be a non-negative number.", name))
    return float(value)


def _date(name: str, value: Any) -> str:
    try:
        return cw_ts(int(parse_cw_time(str(value)).timestamp()))
    except ValueError:
        raise FieldError(_error("InvalidValue", f"{name} must be a date-time.", name)) from None
