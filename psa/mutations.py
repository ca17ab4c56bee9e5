"""Ticket mutations: create (never duplicated), verified status change, notes, stale detection.

Create: every new ticket carries a client-generated token in ``externalXRef`` (a field
customers never see). When the POST fails after it may have reached the server — a timeout, a
dropped connection, a 5xx or a garbled answer — the write may have happened or may still be
committing, so the service looks the token up a few times (``SETTLE_DELAYS``) and returns the
ticket it finds; when it finds none (or the lookup fails) it raises ``CreateOutcomeUnknown`` and
**never sends the POST again**: a server that commits after the last lookup would otherwise hold
two tickets. Only a failure that proves the request never reached the server (the connection
could not be opened: ``NOT_SENT_CODES``) is sent again, once.

Stale detection: mutations take ``expected_last_updated`` (the ``_info.lastUpdated`` the caller
loaded). Before writing, the ticket's current value is read; if it moved, nothing is written
and ``TicketChanged`` carries the server's current row for the UI to show. ConnectWise has no
conditional write, so a change landing between that read and the write is not caught.
API-NOTES warns that a note may not move ``lastUpdated``, so the service remembers, per ticket,
how many ticket notes its last loaded detail held (``remember_loaded``, called by
``TicketService.ticket_detail``) and, when the caller's ``expected_last_updated`` is that
detail's, reads ``/notes/count`` beside the ticket (same round trip): a different count is a
change too. Our own note or status change updates the remembered count. Resource changes
(``psa.resources``) check ``lastUpdated`` only.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from psa.connectwise.conditions import F
from psa.connectwise.errors import (
    ConnectWiseError,
    FieldError,
    InvalidObject,
    ServerError,
    Unreachable,
)
from psa.connectwise.models import PatchOp
from psa.context import ServiceContext
from psa.errors import CreateOutcomeUnknown, StatusNotOnBoard, TicketChanged
from psa.lookups import Lookups
from psa.models import (
    LIST_FIELDS,
    NewTicket,
    NoteItem,
    NoteKind,
    NoteOutcome,
    TicketDetail,
    TicketRow,
    TicketView,
)

CREATE_ATTEMPTS = 2
NOT_SENT_CODES = frozenset({"ConnectError", "ConnectTimeout", "PoolTimeout"})
"""Transport failures before any byte of the request left: the create can be sent again."""
SETTLE_DELAYS: tuple[float, ...] = (0.0, 1.0, 3.0)
"""Seconds to wait before each lookup of a create that failed in transit."""
TOKEN_PREFIX = "dispatch-desk:"
LOADED_KEPT = 200
"""Tickets whose loaded notes count is remembered for stale detection."""
_CONTROL = {*range(0, 9), 11, 12, *range(14, 32), 127}


def normalise_note_text(text: str) -> str:
    """Line breaks as ``\\n`` only (CRLF, CR and Unicode separators), other controls removed.

    ConnectWise stores what it is sent; a stray ``\\r`` shows as a blank line in its web UI and
    C0 control characters (NUL, form feed...) break its HTML rendering and e-mail templates.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return "".join(ch for ch in text if ord(ch) not in _CONTROL)


def _same_instant(a: datetime | None, b: datetime) -> bool:
    if a is None:
        return False
    aware = b if b.tzinfo is not None else b.replace(tzinfo=UTC)
    return a.astimezone(UTC).replace(microsecond=0) == aware.astimezone(UTC).replace(
        microsecond=0
    )


def new_ticket_body(new: NewTicket, token: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "summary": new.summary,
        "company": {"id": new.company_id},
        "board": {"id": new.board_id},
        "externalXRef": token,
    }
    refs = {"contact": new.contact_id, "priority": new.priority_id, "status": new.status_id,
            "type": new.type_id, "subType": new.subtype_id, "owner": new.owner_id}
    body.update({key: {"id": value} for key, value in refs.items() if value is not None})
    if new.parent_ticket_id is not None:
        body["parentTicketId"] = new.parent_ticket_id
    if new.initial_description:
        body["initialDescription"] = normalise_note_text(new.initial_description)
    if new.initial_internal_analysis:
        body["initialInternalAnalysis"] = normalise_note_text(new.initial_internal_analysis)
    return body


def validated(ticket: NewTicket | Mapping[str, Any]) -> NewTicket:
    """A NewTicket, or InvalidObject naming each refused field (nothing is sent)."""
    if isinstance(ticket, NewTicket):
        return ticket
    try:
        return NewTicket.model_validate(dict(ticket))
    except ValidationError as exc:
        errors = [
            FieldError(field=".".join(str(p) for p in err["loc"]) or None, code=err["type"],
                       message=err["msg"])
            for err in exc.errors()
        ]
        details = "; ".join(f"{fe.field}: {fe.message}" for fe in errors)
        raise InvalidObject(f"The ticket was not sent: {details}.", field_errors=errors,
                            status=None, code="Validation") from None


class Mutations:
    """Writes to tickets, each verified against what ConnectWise answered."""

    def __init__(self, ctx: ServiceContext, lookups: Lookups, *,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 settle_delays: Sequence[float] = SETTLE_DELAYS) -> None:
        self._ctx = ctx
        self._lookups = lookups
        self._sleep = sleep
        self._settle = tuple(settle_delays)
        # Ticket id → (lastUpdated, ticket notes count) of the detail loaded last.
        self._loaded: OrderedDict[int, tuple[datetime, int]] = OrderedDict()

    def remember_loaded(self, detail: TicketDetail) -> None:
        """Record what a loaded detail showed, for ``ensure_unchanged``'s notes check."""
        from psa.detail import NOTES_LIMIT  # psa.detail is heavier; only the limit is needed

        tid, when, count = detail.ticket.id, detail.ticket.last_updated, detail.ticket_notes_count
        notes = detail.notes.value or ()
        self._loaded.pop(tid, None)
        if when is not None and count is not None and len(notes) < NOTES_LIMIT:
            self._loaded[tid] = (when, count)
            while len(self._loaded) > LOADED_KEPT:
                self._loaded.popitem(last=False)

    def _loaded_notes(self, ticket_id: int, expected: datetime) -> int | None:
        known = self._loaded.get(ticket_id)
        return known[1] if known is not None and _same_instant(known[0], expected) else None

    def _moved_on(self, ticket_id: int, when: datetime | None, notes_delta: int) -> None:
        """Our own write: the remembered detail now has ``when`` and the notes changed by us."""
        known = self._loaded.pop(ticket_id, None)
        if known is not None and when is not None:
            self._loaded[ticket_id] = (when, known[1] + notes_delta)

    # ------------------------------------------------------------------ create

    async def create_ticket(self, ticket: NewTicket | Mapping[str, Any]) -> TicketView:
        new = validated(ticket)
        token = TOKEN_PREFIX + uuid.uuid4().hex
        body = new_ticket_body(new, token)
        failure: ConnectWiseError | None = None
        for _ in range(CREATE_ATTEMPTS):
            try:
                created = await self._ctx.client.post_json("/service/tickets", body)
            except Unreachable as exc:
                if exc.code in NOT_SENT_CODES:
                    failure = exc  # it never left: sending it again cannot duplicate it
                    continue
                return await self._settle_unknown(token, exc)
            except ServerError as exc:
                return await self._settle_unknown(token, exc)
            if not isinstance(created, dict) or not isinstance(created.get("id"), int):
                # A 2xx without the ticket: it exists, so find it rather than post again.
                found = await self._find_created(token, None)
                if found is None:
                    raise ServerError("ConnectWise accepted the ticket but did not return it.",
                                      endpoint="/service/tickets", code="MalformedResponse")
                return found
            return TicketView.from_wire(created)
        assert failure is not None
        raise failure

    async def _settle_unknown(self, token: str, cause: ConnectWiseError) -> TicketView:
        """The ticket a failed create made, or CreateOutcomeUnknown: never sent again."""
        found = await self._find_created(token, cause)
        if found is not None:
            return found
        waited = sum(self._settle)
        raise CreateOutcomeUnknown(
            f"Creating the ticket failed after it was sent ({cause.message}) and it was not "
            f"found within {waited:g} s. ConnectWise may still create it: refresh the list "
            "before creating it again.", token=token, endpoint="/service/tickets",
        ) from cause

    async def _find_created(self, token: str, cause: ConnectWiseError | None
                            ) -> TicketView | None:
        for delay in self._settle:
            if delay:
                await self._sleep(delay)
            try:
                rows = await self._ctx.client.list(
                    "/service/tickets", conditions=F("externalXRef") == token, page_size=2
                )
            except ConnectWiseError as exc:
                why = cause.message if cause else "the answer was incomplete"
                raise CreateOutcomeUnknown(
                    f"Creating the ticket failed ({why}) and checking whether it was created "
                    f"failed too ({exc.message}). It may exist: refresh the list before "
                    "creating it again.", token=token, endpoint="/service/tickets",
                    looked_up=False,
                ) from exc
            if rows:
                return TicketView.from_wire(rows[0])
        return None

    # ------------------------------------------------------------------ status and notes

    async def ensure_unchanged(self, ticket_id: int, expected: datetime | None) -> None:
        """Raise TicketChanged when the ticket's lastUpdated is no longer ``expected``, or its
        notes count is not the one loaded with it (when that detail was loaded here)."""
        if expected is None:
            return
        ticket_id = int(ticket_id)
        client = self._ctx.client
        read = client.get_json(f"/service/tickets/{ticket_id}", {"fields": ",".join(LIST_FIELDS)})
        loaded_notes = self._loaded_notes(ticket_id, expected)
        if loaded_notes is None:
            self.check_row(await read, expected)
            return
        data, notes = await asyncio.gather(
            read, client.count(f"/service/tickets/{ticket_id}/notes")
        )
        self.check_row(data, expected, notes_count=notes, expected_notes=loaded_notes)

    def check_row(self, data: Mapping[str, Any], expected: datetime, *,
                  notes_count: int | None = None, expected_notes: int | None = None) -> None:
        """Raise TicketChanged when ``data`` (a ticket read just now) moved past ``expected``,
        or when ``notes_count`` (read with it) is not ``expected_notes``."""
        row = TicketRow.from_wire(data)
        if not _same_instant(row.last_updated, expected):
            who = f" ({row.last_updated:%Y-%m-%d %H:%M} UTC)" if row.last_updated else ""
            raise TicketChanged(
                f"Ticket #{row.id} changed on the server since it was loaded{who}; nothing "
                "was saved. Review the current ticket and try again.",
                current=row, expected=expected, endpoint="/service/tickets/{id}",
            )
        if notes_count is not None and expected_notes is not None and notes_count != expected_notes:
            what = ("a note was added" if notes_count > expected_notes
                    else "its notes changed")
            raise TicketChanged(
                f"Ticket #{row.id} changed on the server since it was loaded ({what}); "
                "nothing was saved. Review the current ticket and try again.",
                current=row, expected=expected, endpoint="/service/tickets/{id}/notes",
            )

    async def update_status(self, ticket_id: int, status_id: int, *,
                            expected_last_updated: datetime | None = None) -> TicketRow:
        """Set the status and check ConnectWise kept it (it silently ignores other boards')."""
        await self.ensure_unchanged(ticket_id, expected_last_updated)
        row = await self._patch_status(ticket_id, status_id)
        self._moved_on(ticket_id, row.last_updated, 0)
        return row

    async def _patch_status(self, ticket_id: int, status_id: int) -> TicketRow:
        data = await self._ctx.client.patch_json(
            f"/service/tickets/{int(ticket_id)}",
            [PatchOp(op="replace", path="status", value={"id": int(status_id)})],
        )
        row = TicketRow.from_wire(data)
        if row.status_id != status_id:
            status = self._lookups.cached_status_name(status_id) or f"#{status_id}"
            board = row.board_name or f"#{row.board_id}"
            raise StatusNotOnBoard(
                f"Status {status} is not valid on board {board}: ticket #{row.id} keeps "
                f"status {row.status_name or '#' + str(row.status_id)}.",
                ticket=row, status_id=status_id, endpoint="/service/tickets/{id}",
            )
        return row

    async def add_note(self, ticket_id: int, text: str, kind: NoteKind = "discussion", *,
                       status_id: int | None = None,
                       expected_last_updated: datetime | None = None) -> NoteOutcome:
        """Add a note, then (optionally) change the status; the note stands if that fails."""
        clean = normalise_note_text(text)
        if not clean.strip():
            raise InvalidObject("The note is empty; nothing was sent.", status=None,
                                code="Validation",
                                field_errors=[FieldError("text", "Required", "empty note")])
        await self.ensure_unchanged(ticket_id, expected_last_updated)
        body = {
            "text": clean,
            "detailDescriptionFlag": kind == "discussion",
            "internalAnalysisFlag": kind == "internal",
            "resolutionFlag": kind == "resolution",
        }
        data = await self._ctx.client.post_json(f"/service/tickets/{int(ticket_id)}/notes", body)
        note = NoteItem.from_wire(data)
        # The server's lastUpdated after the note is unknown here (it may or may not move): the
        # remembered detail keeps the caller's, with our note counted.
        if expected_last_updated is not None:
            self._moved_on(int(ticket_id), expected_last_updated, 1)
        if status_id is None:
            return NoteOutcome(note=note)
        try:
            row = await self._patch_status(ticket_id, status_id)
        except ConnectWiseError as exc:
            return NoteOutcome(note=note, status_error=exc.message)
        self._moved_on(int(ticket_id), row.last_updated, 0)
        return NoteOutcome(note=note, ticket=row)
