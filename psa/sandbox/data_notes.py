"""Seeded ticket notes and time-entry notes, built lazily per ticket from the seed and its id.

Building notes for 100,000 tickets up front would be slow and mostly wasted, so a seeded ticket's
notes are made the first time anything reads or changes that ticket's notes or the ticket itself
(the store materialises them before any mutation, so they always describe the ticket as it was
generated). They come from ``random.Random(seed * 1_000_003 + ticket id)`` and the ticket's own
fields, so they agree with it:

- the initial description (``detailDescriptionFlag`` + ``issueFlag``) at ``dateEntered``, from the
  contact when the ticket came in by email or portal, else from the member who entered it;
- a member's reply at ``dateResponded`` (when responded);
- sometimes an internal-analysis note (``internalAnalysisFlag``, ``internalFlag``);
- a contact's follow-up at ``lastUpdated`` when ``customerUpdatedFlag`` is set;
- a resolution note (``resolutionFlag``) at ``closedDate`` for closed tickets;
- one or two time entries (``allNotes`` only) for tickets with ``actualHours``.

``internalFlag`` is true for internal analysis; ``externalFlag`` for the others. A note written by
a contact carries ``customerUpdatedFlag: true``. Ids are ``1,000,000 + 16 × ticket index + n``
(time entries ``3,000,000 + 4 × index + n``), so they do not depend on reading order.
"""

from __future__ import annotations

import random
from typing import Any

from psa.sandbox.clock import parse_cw_time
from psa.sandbox.data import Reference
from psa.sandbox.data_text import CUSTOMER_FOLLOW_UPS, INTERNAL, REPLIES, RESOLUTIONS, TIME_NOTES
from psa.sandbox.sla import cw_ts

NOTE_BASE = 1_000_000
TIME_BASE = 3_000_000
NOTES_PER_TICKET = 16
_CONTACT_SOURCES = {"Email Connector": "EmailConnector", "Email": "EmailConnector",
                    "Portal": "Portal"}


def note_record(
    note_id: int, ticket_id: int, text: str, at: str, *, member: dict[str, Any] | None = None,
    contact: dict[str, Any] | None = None, created_by: str, detail: bool = False,
    internal: bool = False, resolution: bool = False, issue: bool = False,
) -> dict[str, Any]:
    """A ServiceNote in ConnectWise's full shape."""
    note: dict[str, Any] = {
        "id": note_id, "ticketId": ticket_id, "text": text, "detailDescriptionFlag": detail,
        "internalAnalysisFlag": internal, "resolutionFlag": resolution, "issueFlag": issue,
    }
    if member is not None:
        note["member"] = member
    if contact is not None:
        note["contact"] = contact
    note.update({
        "customerUpdatedFlag": contact is not None, "dateCreated": at, "createdBy": created_by,
        "internalFlag": internal, "externalFlag": not internal,
        "_info": {"lastUpdated": at, "updatedBy": created_by},
    })
    return note


def seeded_notes(
    ticket: dict[str, Any], description: str, ref: Reference, seed: int, index: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The generated ticket's notes and time entries (see the module docstring)."""
    rng = random.Random(seed * 1_000_003 + ticket["id"])
    tid = ticket["id"]
    info = ticket["_info"]
    first_id = NOTE_BASE + NOTES_PER_TICKET * index
    ids = iter(range(first_id, first_id + NOTES_PER_TICKET))
    contact = ticket.get("contact")
    first = contact["name"].split()[0] if contact else "there"
    members = ref.member_refs
    notes: list[dict[str, Any]] = []
    by_contact = _CONTACT_SOURCES.get(ticket.get("source", {}).get("name", ""))
    if contact and by_contact:
        notes.append(note_record(next(ids), tid, description, info["dateEntered"],
                                 contact=contact, created_by=by_contact, detail=True, issue=True))
    else:
        author = members.get(info["enteredBy"], members["dispatch"])
        notes.append(note_record(next(ids), tid, description, info["dateEntered"], member=author,
                                 created_by=author["identifier"], detail=True, issue=True))
    responder = members.get(ticket.get("respondedBy", ""))
    if "dateResponded" in ticket and responder is not None:
        text = REPLIES[int(rng.random() * len(REPLIES))].format(first=first)
        notes.append(note_record(next(ids), tid, text, ticket["dateResponded"], member=responder,
                                 created_by=responder["identifier"], detail=True))
    worker = ticket.get("owner") or responder
    if worker is not None and rng.random() < 0.5:
        start = parse_cw_time(ticket.get("dateResponded", info["dateEntered"]))
        end = parse_cw_time(info["lastUpdated"])
        at = cw_ts(int((start + (end - start) * rng.random()).timestamp()))
        notes.append(note_record(next(ids), tid, INTERNAL[int(rng.random() * len(INTERNAL))], at,
                                 member=worker, created_by=worker["identifier"], internal=True))
    if ticket.get("customerUpdatedFlag") and contact:
        text = CUSTOMER_FOLLOW_UPS[int(rng.random() * len(CUSTOMER_FOLLOW_UPS))]
        notes.append(note_record(next(ids), tid, text, info["lastUpdated"], contact=contact,
                                 created_by="EmailConnector", detail=True))
    closer = members.get(ticket.get("closedBy", ""))
    if ticket.get("closedFlag") and closer is not None and "closedDate" in ticket:
        text = RESOLUTIONS[int(rng.random() * len(RESOLUTIONS))]
        notes.append(note_record(next(ids), tid, text, ticket["closedDate"], member=closer,
                                 created_by=closer["identifier"], resolution=True))
    notes.sort(key=lambda n: (n["dateCreated"], n["id"]))
    return notes, _time_entries(ticket, rng, index, worker)


def _time_entries(
    ticket: dict[str, Any], rng: random.Random, index: int, worker: dict[str, Any] | None
) -> list[dict[str, Any]]:
    hours = ticket.get("actualHours")
    if not hours or worker is None:
        return []
    start = parse_cw_time(ticket.get("dateResponded", ticket["_info"]["dateEntered"]))
    entries: list[dict[str, Any]] = []
    count = 1 if hours <= 1 else 2
    for n in range(count):
        begin = int(start.timestamp()) + n * 3 * 3600
        end = begin + int(hours / count * 3600)
        entries.append({
            "id": TIME_BASE + 4 * index + n, "noteType": "TimeEntryNote",
            "text": TIME_NOTES[int(rng.random() * len(TIME_NOTES))],
            "detailDescriptionFlag": True, "internalAnalysisFlag": False,
            "resolutionFlag": False, "timeStart": cw_ts(begin), "timeEnd": cw_ts(end),
            "member": worker,
            "_info": {"lastUpdated": cw_ts(end), "updatedBy": worker["identifier"]},
        })
    return entries


def all_notes_view(
    ticket: dict[str, Any], notes: list[dict[str, Any]], entries: list[dict[str, Any]],
    ticket_href: str,
) -> list[dict[str, Any]]:
    """``/allNotes``: ticket notes and time-entry notes as ServiceTicketNote, oldest first."""
    reference = {"id": ticket["id"], "summary": ticket["summary"],
                 "_info": {"ticket_href": ticket_href}}
    out: list[dict[str, Any]] = []
    for note in notes:
        view: dict[str, Any] = {
            "id": note["id"], "noteType": "TicketNote", "ticket": reference, "text": note["text"],
            "isMarkdownFlag": False, "detailDescriptionFlag": note["detailDescriptionFlag"],
            "internalAnalysisFlag": note["internalAnalysisFlag"],
            "resolutionFlag": note["resolutionFlag"], "timeStart": note["dateCreated"],
            "bundledFlag": False, "mergedFlag": False, "issueFlag": note["issueFlag"],
            "originalAuthor": note["createdBy"], "createdByParentFlag": False,
        }
        for key in ("member", "contact"):
            if key in note:
                view[key] = note[key]
        view["_info"] = {**note["_info"], "dateEntered": note["dateCreated"]}
        out.append(view)
    for entry in entries:
        view = {**entry, "ticket": reference, "isMarkdownFlag": False, "bundledFlag": False,
                "mergedFlag": False, "issueFlag": False,
                "originalAuthor": entry["member"]["identifier"], "createdByParentFlag": False}
        out.append(view)
    out.sort(key=lambda n: (n["timeStart"], n["id"]))
    return out
