"""Notes, schedule entries (resources), child tickets and merges.

Choices where ConnectWise is not documented ([I]):

- A note needs non-empty ``text``. With no flag set it is a discussion note
  (``detailDescriptionFlag``). It is written by the acting member unless the body names a
  ``contact`` (then it is the customer's) or another ``member``.
- ``customerUpdatedFlag`` on the ticket: a contact's note sets it; a member's discussion or
  resolution note clears it (the technician has answered); a member's internal-analysis note
  leaves it alone.
- The first discussion note by a member marks the ticket responded (SLA ``dateResponded``).
- Schedule entries: ``type`` is required (``{"id": 4}`` or ``{"identifier": "S"}`` for a ticket
  resource; ``C``/1 and ``M``/7 are accepted and never count as resources); for ``S`` the
  ``objectId`` must be an existing ticket; ``member`` must exist and be active. Entries are not
  deduplicated. ``dateStart`` defaults to now, ``dateEnd`` to an hour later.
- ``attachChildren`` and ``merge`` answer ``{"success": true, "message": ...}``
  (ConnectWise's SuccessResponse schema). Merged tickets get ``mergedParentTicket`` and move to
  the given status, which must be a status of each merged ticket's board (400 naming ``status``
  otherwise); the parent gets ``hasMergedChildTicketFlag``. A ticket cannot be merged into
  itself, and an already merged ticket cannot be merged again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psa.sandbox.data_notes import note_record
from psa.sandbox.errors import ApiError, invalid_object, not_found
from psa.sandbox.sla import cw_ts, parse_ts
from psa.sandbox.ticket_edit import apply_status
from psa.sandbox.ticket_fields import FieldError, Resolver

if TYPE_CHECKING:
    from psa.sandbox.store import Store

SCHEDULE_TYPES = {4: "S", 1: "C", 7: "M"}
_TYPE_NAMES = {"S": "Service", "C": "Sales", "M": "Miscellaneous"}


def _error(code: str, message: str, field: str, resource: str) -> dict[str, Any]:
    return {"code": code, "message": message, "resource": resource, "field": field}


class LinkEditor:
    """Mutations that hang off a ticket (called with the store's lock held)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.resolve = Resolver(store)

    # --- notes -----------------------------------------------------------------------------

    def add_note(self, ticket_id: int, body: dict[str, Any], member: str) -> dict[str, Any]:
        store = self.store
        store.get(ticket_id)
        store.ensure_notes(ticket_id)
        errors: list[dict[str, Any]] = []
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            code = "NullValue" if text in (None, "") else "InvalidValue"
            errors.append(_error(code, "text is required.", "text", "ticketNote"))
        flags = {}
        for name in ("detailDescriptionFlag", "internalAnalysisFlag", "resolutionFlag"):
            value = body.get(name, False)
            if not isinstance(value, bool):
                errors.append(_error("InvalidValue", f"{name} must be true or false.", name,
                                     "ticketNote"))
            flags[name] = value is True
        contact = author = None
        try:
            if body.get("contact") is not None:
                contact = self._contact(body["contact"])
            elif body.get("member") is not None:
                author = self.resolve.member(body["member"], "member")
        except FieldError as exc:
            errors.append({**exc.error, "resource": "ticketNote"})
        if errors:
            raise invalid_object("The note could not be saved.", errors)
        if contact is None and author is None:
            found = store.members_by_ident.get(member.casefold())
            author = store.ref.member_refs[found["identifier"]] if found else None
        if not any(flags.values()):
            flags["detailDescriptionFlag"] = True
        note = self.store_note(ticket_id, str(text), member, author, contact,
                               detail=flags["detailDescriptionFlag"],
                               internal=flags["internalAnalysisFlag"],
                               resolution=flags["resolutionFlag"])
        if isinstance(body.get("processNotifications"), bool):
            note["processNotifications"] = body["processNotifications"]
        return note

    def _contact(self, value: Any) -> dict[str, Any]:
        wanted = value.get("id") if isinstance(value, dict) else None
        contact = self.store.contacts_by_id.get(wanted) if isinstance(wanted, int) else None
        if contact is None:
            raise FieldError(_error("InvalidValue", f"Contact {wanted} does not exist.",
                                    "contact", "ticketNote"))
        return self.store.ref.contact_refs[contact["id"]]

    def store_note(
        self, ticket_id: int, text: str, member: str, author: dict[str, Any] | None,
        contact: dict[str, Any] | None, *, detail: bool = False, internal: bool = False,
        resolution: bool = False, issue: bool = False, flag_customer: bool = True,
    ) -> dict[str, Any]:
        """Append a note and apply its effects on the ticket (``flag_customer`` false: a
        contact's note that opens a ticket does not mark it customer-updated)."""
        store = self.store
        now = store.now()
        store.next_note_id += 1
        note = note_record(store.next_note_id, ticket_id, text, cw_ts(now), member=author,
                           contact=contact, created_by=member, detail=detail,
                           internal=internal, resolution=resolution, issue=issue)
        store.ensure_notes(ticket_id).append(note)
        old = store.get(ticket_id)
        new = dict(old)
        if contact is not None:
            new["customerUpdatedFlag"] = flag_customer
        elif detail or resolution:
            new["customerUpdatedFlag"] = False
        if author is not None and detail:
            store.clocks[ticket_id].reach(store.cal, 0, now, author["identifier"])
        store.commit(old, new, member, force=True, bump=store.notes_bump_last_updated)
        return note

    # --- schedule entries ------------------------------------------------------------------

    def create_entry(self, body: dict[str, Any], member: str) -> dict[str, Any]:
        store = self.store
        errors: list[dict[str, Any]] = []
        kind = self._entry_type(body.get("type"), errors)
        object_id = body.get("objectId")
        ticket = None
        if kind == "S" or object_id is not None:
            if isinstance(object_id, bool) or not isinstance(object_id, int):
                errors.append(_error("NullValue" if object_id is None else "InvalidValue",
                                     "objectId must be a ticket id.", "objectId",
                                     "scheduleEntry"))
            elif kind == "S":
                try:
                    ticket = store.get(object_id)
                except ApiError:
                    errors.append(_error("InvalidValue", f"Ticket {object_id} does not exist.",
                                         "objectId", "scheduleEntry"))
        resource = None
        try:
            if body.get("member") is None:
                raise FieldError(_error("NullValue", "member is required.", "member",
                                        "scheduleEntry"))
            resource = self.resolve.member(body["member"], "member")
        except FieldError as exc:
            errors.append({**exc.error, "resource": "scheduleEntry"})
        start, end = self._span(body, errors)
        if errors:
            raise invalid_object("The schedule entry could not be saved.", errors)
        assert kind is not None and resource is not None
        return self._insert_entry(body, kind, object_id=object_id, ticket=ticket,
                                  resource=resource, span=(start, end), member=member)

    def _entry_type(self, value: Any, errors: list[dict[str, Any]]) -> str | None:
        if value is None:
            errors.append(_error("NullValue", "type is required.", "type", "scheduleEntry"))
            return None
        if isinstance(value, dict):
            if value.get("id") in SCHEDULE_TYPES:
                return SCHEDULE_TYPES[value["id"]]
            if str(value.get("identifier", "")).upper() in _TYPE_NAMES:
                return str(value["identifier"]).upper()
        errors.append(_error("InvalidValue", "Unknown schedule type.", "type", "scheduleEntry"))
        return None

    def _span(self, body: dict[str, Any], errors: list[dict[str, Any]]) -> tuple[int, int]:
        now = self.store.now()
        try:
            start = parse_ts(body["dateStart"]) if body.get("dateStart") else now
            end = parse_ts(body["dateEnd"]) if body.get("dateEnd") else start + 3600
        except (TypeError, ValueError):
            errors.append(_error("InvalidValue", "dateStart/dateEnd must be date-times.",
                                 "dateStart", "scheduleEntry"))
            return now, now + 3600
        if end < start:
            errors.append(_error("InvalidValue", "dateEnd is before dateStart.", "dateEnd",
                                 "scheduleEntry"))
        return start, end

    def _insert_entry(
        self, body: dict[str, Any], kind: str, *, object_id: Any,
        ticket: dict[str, Any] | None, resource: dict[str, Any], span: tuple[int, int],
        member: str,
    ) -> dict[str, Any]:
        start, end = span
        store = self.store
        shared = store.ref.shared
        type_id = next(i for i, k in SCHEDULE_TYPES.items() if k == kind)
        type_ref = shared["scheduleType"] if kind == "S" else store.hrefs.ref(
            "type", f"schedule/types/{type_id}", id=type_id, identifier=kind)
        name = body.get("name")
        if not isinstance(name, str) or not name:
            name = (f"{ticket['company']['name']} / {ticket['summary']}" if ticket
                    else _TYPE_NAMES[kind])
        entry: dict[str, Any] = {"id": store.next_entry_id}
        if object_id is not None:
            entry["objectId"] = object_id
        entry.update({
            "name": name[:250], "member": resource,
            "where": ticket["serviceLocation"] if ticket and "serviceLocation" in ticket
            else shared["remoteLocation"],
            "dateStart": cw_ts(start), "dateEnd": cw_ts(end), "status": shared["scheduleStatus"],
            "type": type_ref, "doneFlag": False, "acknowledgedFlag": False, "ownerFlag": False,
            "meetingFlag": False, "allowScheduleConflictsFlag": True,
            "addMemberToProjectFlag": False, "hours": round((end - start) / 3600, 2),
            "_info": {"lastUpdated": cw_ts(store.now()), "updatedBy": member},
        })
        store.next_entry_id += 1
        store.entries = [*store.entries, entry]
        if kind == "S" and ticket is not None:
            store.entries_of.setdefault(ticket["id"], []).append(entry)
            self._refresh_resources(ticket["id"], member)
        return entry

    def delete_entry(self, entry_id: int, member: str) -> None:
        store = self.store
        entry = next((e for e in store.entries if e["id"] == entry_id), None)
        if entry is None:
            raise not_found(f"Schedule entry {entry_id}")
        store.entries = [e for e in store.entries if e["id"] != entry_id]
        ticket_entries = store.entries_of.get(entry.get("objectId", -1), [])
        if entry in ticket_entries:
            ticket_entries.remove(entry)
            self._refresh_resources(entry["objectId"], member)

    def _refresh_resources(self, ticket_id: int, member: str) -> None:
        store = self.store
        store.ensure_notes(ticket_id)
        old = store.get(ticket_id)
        new = dict(old)
        resources = store.resources_of(new)
        if resources is None:
            new.pop("resources", None)
        else:
            new["resources"] = resources
        store.commit(old, new, member, force=True)

    # --- related tickets -------------------------------------------------------------------

    def attach_children(self, parent_id: int, body: dict[str, Any], member: str) -> dict[str, Any]:
        store = self.store
        store.get(parent_id)
        ids = _ids(body.get("childTicketIds"), "childTicketIds")
        for child in ids:
            self._known(child, "childTicketIds")
            if child == parent_id or store.editor.creates_cycle(child, parent_id):
                raise invalid_object("The tickets could not be attached.", [_error(
                    "InvalidValue", f"Ticket {child} cannot be a child of {parent_id}.",
                    "childTicketIds", "ticket")])
        for child in ids:
            store.ensure_notes(child)
            old = store.get(child)
            if old.get("parentTicketId") == parent_id:
                continue
            store.editor.relink(old.get("parentTicketId"), parent_id, child, member)
            store.commit(old, {**old, "parentTicketId": parent_id}, member)
        return {"success": True, "message": f"Attached {len(ids)} child ticket(s) to {parent_id}."}

    def merge(self, ticket_id: int, body: dict[str, Any], member: str) -> dict[str, Any]:
        store = self.store
        parent = store.get(ticket_id)
        ids = _ids(body.get("mergeTicketIds"), "mergeTicketIds")
        if body.get("status") is None:
            raise invalid_object("The tickets could not be merged.", [_error(
                "NullValue", "status is required.", "status", "ticket")])
        plans = []
        for merged_id in ids:
            merged = self._known(merged_id, "mergeTicketIds")
            if merged_id == ticket_id or "mergedParentTicket" in merged:
                raise invalid_object("The tickets could not be merged.", [_error(
                    "InvalidValue", f"Ticket {merged_id} cannot be merged into {ticket_id}.",
                    "mergeTicketIds", "ticket")])
            board = store.ref.board_by_id[merged["board"]["id"]]
            try:
                found = self.resolve.status(board, body["status"], default=False, strict=True)
            except FieldError as exc:
                raise invalid_object("The tickets could not be merged.", [exc.error]) from None
            assert found is not None
            plans.append((merged_id, found))
        for merged_id, (status_ref, status) in plans:
            store.ensure_notes(merged_id)
            old = store.get(merged_id)
            new = {**old, "status": status_ref, "mergedParentTicket": {
                "id": ticket_id, "summary": parent["summary"],
                "_info": {"ticket_href": f"{store.api_base}/service/tickets/{ticket_id}"}}}
            apply_status(store, new, old["status"], status, member=member, now=store.now())
            store.commit(old, new, member)
        store.ensure_notes(ticket_id)
        parent = store.get(ticket_id)
        store.commit(parent, {**parent, "hasMergedChildTicketFlag": True}, member, force=True)
        return {"success": True, "message": f"Merged {len(ids)} ticket(s) into {ticket_id}."}

    def _known(self, ticket_id: int, field: str) -> dict[str, Any]:
        try:
            return self.store.get(ticket_id)
        except ApiError:
            raise invalid_object("Unknown ticket.", [_error(
                "InvalidValue", f"Ticket {ticket_id} does not exist.", field, "ticket")]) from None


def _ids(value: Any, field: str) -> list[int]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise invalid_object("Invalid ticket list.", [_error(
            "InvalidValue", f"{field} must be a non-empty list of ticket ids.", field, "ticket")])
    return list(dict.fromkeys(value))
