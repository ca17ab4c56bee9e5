"""Creating the ticket: send it (a spin-off with its parent), and say what went wrong (no Qt).

The service never creates a ticket twice (it looks a failed create up before retrying), so a
failure here is one of: refused with field errors (mapped onto the form's fields — a parent
that does not exist comes back as an error on ``parentTicketId``), an outcome the service could
not establish (``CreateOutcomeUnknown``: say honestly that it may exist), or not created at all.
A spin-off names its parent in the create itself (``parentTicketId``): one request. Only when
the created ticket comes back without that parent (a server that ignored the field) is it
linked afterwards with ``attachChildren``, which is idempotent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from psa.connectwise.errors import ConnectWiseError, InvalidObject
from psa.errors import CreateOutcomeUnknown
from psa.filters import TicketFilters
from psa.models import NewTicket, TicketView
from ui.new_ticket.backend import NewTicketBackend
from ui.tickets.view_link import build_link

# ConnectWise's (and NewTicket's) field names → the form's rows.
FIELD_ROWS: dict[str, str] = {
    "summary": "summary", "company": "company", "company_id": "company", "board": "board",
    "board_id": "board", "contact": "contact", "contact_id": "contact", "status": "status",
    "status_id": "status", "priority": "priority", "priority_id": "priority", "type": "type",
    "type_id": "type", "subtype": "subtype", "subtype_id": "subtype", "owner": "assignee",
    "owner_id": "assignee",
    "initialdescription": "description", "initial_description": "description",
    "initialinternalanalysis": "internal_note", "initial_internal_analysis": "internal_note",
    "parentticketid": "parent", "parent_ticket_id": "parent",
}
QUERY_CHARS = 60


@dataclass(frozen=True)
class CreateFailure:
    """Why the ticket was not (certainly) created, in words and per form field."""

    message: str
    field_errors: Mapping[str, str] = field(default_factory=dict)
    maybe_created: bool = False
    search_link: str = ""


def row_for(wire_field: str | None) -> str | None:
    """The form row a ConnectWise field error belongs to (``company/id`` → company)."""
    if not wire_field:
        return None
    head = wire_field.split("/", 1)[0].split(".", 1)[0].strip()
    return FIELD_ROWS.get(head.casefold()) or FIELD_ROWS.get(head)


def describe_failure(exc: ConnectWiseError, ticket: NewTicket) -> CreateFailure:
    """The dispatcher-facing account of a failed create."""
    if isinstance(exc, CreateOutcomeUnknown):
        filters = TicketFilters(company_id=ticket.company_id,
                                query=ticket.summary[:QUERY_CHARS].strip())
        return CreateFailure(
            message=(
                "The ticket may have been created: the connection failed after it was sent, "
                + ("and it was not found yet. ConnectWise may still be saving it. "
                   if exc.looked_up else "and checking for it failed too. ")
                + "Check the ticket list before creating it again — your text is kept here."),
            maybe_created=True, search_link=build_link(filters),
        )
    if isinstance(exc, InvalidObject):
        errors: dict[str, str] = {}
        unplaced: list[str] = []
        for item in exc.field_errors:
            row = row_for(item.field)
            text = item.message or exc.message
            if row is None:
                unplaced.append(f"{item.field}: {text}" if item.field else text)
            elif row not in errors:
                errors[row] = text
        lead = "ConnectWise refused the ticket; nothing was created."
        if unplaced or not errors:
            lead += " " + ("; ".join(unplaced) if unplaced else exc.message)
        return CreateFailure(message=lead, field_errors=errors)
    return CreateFailure(message=f"The ticket was not created: {exc.message} Your text is "
                                 "kept; try again.")


async def create_ticket(backend: NewTicketBackend, ticket: NewTicket) -> TicketView:
    """Create the ticket (the service makes it duplicate-safe)."""
    return await backend.create_ticket(ticket)


def unlinked_parent(ticket: NewTicket, created: TicketView) -> int | None:
    """The parent asked for when the created ticket does not carry it (else None)."""
    parent = ticket.parent_ticket_id
    return parent if parent is not None and created.parent_ticket_id != parent else None


async def link_to_parent(backend: NewTicketBackend, child: TicketView,
                         parent_id: int) -> str | None:
    """Make ``child`` a child of ``parent_id``; the failure message, or None when linked."""
    try:
        await backend.client.post_json(f"/service/tickets/{int(parent_id)}/attachChildren",
                                       {"childTicketIds": [child.id]})
    except ConnectWiseError as exc:
        return exc.message
    return None
