"""Bulk actions on several tickets: status by name, assign/unassign, the same note; once each.

Statuses are per board, so a bulk status change is chosen by *name*: only names every selected
ticket's board has are offered, and each ticket gets its own board's status of that name. A
``BulkJob`` runs one action over its tickets (at most ``CONCURRENCY`` at a time, as
ConnectWise asks) and records an outcome per ticket. Running it again only retries the
tickets that failed: a ticket whose action succeeded (or was not needed) is never sent the
action twice — which matters for notes, where a second POST is a second note. A ``Ledger``
carries that across jobs of one selection: a note (by text) or status a ticket already got is
not sent to it again by a new job either, and a note whose POST failed in transit (it may have
been stored) is looked for on the ticket before it is sent again (API-NOTES: never blindly
retry a POST).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from psa.connectwise.conditions import batched_in
from psa.connectwise.errors import ConnectWiseError, ServerError, Unreachable
from psa.connectwise.paging import MAX_PAGE_SIZE
from psa.models import LIST_FIELDS, BoardStatusOption, NoteKind, TicketRow
from psa.mutations import normalise_note_text

CONCURRENCY = 4
"""Tickets worked on at once (API-NOTES: keep concurrency at or below 4)."""


class Step(Enum):
    """Where one ticket of a bulk job is."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    UNCHANGED = "unchanged"   # nothing to do (already in that status, already assigned...)
    FAILED = "failed"


FINISHED = frozenset({Step.DONE, Step.UNCHANGED})


@dataclass
class Outcome:
    """One ticket's result in a bulk job."""

    ticket_id: int
    step: Step = Step.PENDING
    message: str = ""
    row: TicketRow | None = None
    """The ticket as the server returned it, when the action returned one."""


class Unchanged(Exception):  # noqa: N818 - a signal, not an error
    """Raised by an action when the ticket already is as asked (recorded as UNCHANGED)."""


Action = Callable[[int], Awaitable[TicketRow | None]]
Progress = Callable[[Outcome], None]


@dataclass
class BulkJob:
    """One bulk action over some tickets; ``run()`` again retries only the failures."""

    ticket_ids: Sequence[int]
    action: Action
    label: str = ""
    concurrency: int = CONCURRENCY
    outcomes: dict[int, Outcome] = field(init=False)

    def __post_init__(self) -> None:
        ids = list(dict.fromkeys(int(i) for i in self.ticket_ids))
        self.ticket_ids = ids
        self.outcomes = {i: Outcome(i) for i in ids}
        self._lock = asyncio.Lock()

    def fail(self, ticket_id: int, message: str) -> None:
        """Mark a ticket failed before running (e.g. its board has no such status)."""
        self.outcomes[int(ticket_id)] = Outcome(int(ticket_id), Step.FAILED, message)

    def skip(self, ticket_id: int, message: str) -> None:
        """Mark a ticket unchanged before running (it already got this action)."""
        self.outcomes[int(ticket_id)] = Outcome(int(ticket_id), Step.UNCHANGED, message)

    @property
    def unchanged(self) -> list[Outcome]:
        return [o for o in self.outcomes.values() if o.step is Step.UNCHANGED]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes.values() if o.step is Step.FAILED]

    @property
    def succeeded(self) -> list[Outcome]:
        return [o for o in self.outcomes.values() if o.step in FINISHED]

    @property
    def finished(self) -> bool:
        return all(o.step in FINISHED or o.step is Step.FAILED for o in self.outcomes.values())

    def todo(self) -> list[int]:
        """Tickets the next run works on: never one whose action already went through."""
        return [i for i, o in self.outcomes.items() if o.step in (Step.PENDING, Step.FAILED)]

    async def run(self, on_progress: Progress | None = None,
                  *, retry_failed: bool = True) -> list[Outcome]:
        """Apply the action to each pending (and failed) ticket; the outcomes in ticket order.

        Concurrent ``run()`` calls are serialised, so a double click cannot send twice.
        """
        async with self._lock:
            wanted = [i for i in self.todo()
                      if retry_failed or self.outcomes[i].step is Step.PENDING]
            gate = asyncio.Semaphore(max(1, self.concurrency))
            await asyncio.gather(*(self._one(i, gate, on_progress) for i in wanted))
        return [self.outcomes[i] for i in self.ticket_ids]

    async def _one(self, ticket_id: int, gate: asyncio.Semaphore,
                   on_progress: Progress | None) -> None:
        async with gate:
            self._set(Outcome(ticket_id, Step.RUNNING), on_progress)
            try:
                row = await self.action(ticket_id)
            except Unchanged as exc:
                outcome = Outcome(ticket_id, Step.UNCHANGED, str(exc))
            except ConnectWiseError as exc:
                outcome = Outcome(ticket_id, Step.FAILED, exc.message,
                                  row=getattr(exc, "ticket", None))
            else:
                outcome = Outcome(ticket_id, Step.DONE, "", row=row)
            self._set(outcome, on_progress)

    def _set(self, outcome: Outcome, on_progress: Progress | None) -> None:
        self.outcomes[outcome.ticket_id] = outcome
        if on_progress is not None:
            on_progress(outcome)


# ---------------------------------------------------------------------- the ledger

LedgerKey = tuple[str, str]
IN_TRANSIT = (ServerError, Unreachable)
"""Failures after which a write may have been stored (5xx, timeout, dropped connection)."""


def note_key(text: str) -> LedgerKey:
    return ("note", normalise_note_text(text).strip())


def status_key(name: str) -> LedgerKey:
    return ("status", name.casefold())


class Ledger:
    """Which tickets each action (a note by its text, a status by name) already reached."""

    def __init__(self) -> None:
        self._reached: dict[LedgerKey, set[int]] = {}
        self._in_doubt: dict[LedgerKey, set[int]] = {}

    def reached(self, key: LedgerKey) -> frozenset[int]:
        return frozenset(self._reached.get(key, ()))

    def mark(self, key: LedgerKey, ticket_id: int) -> None:
        """``key`` reached the ticket; a status replaces any other status it was given."""
        tid = int(ticket_id)
        if key[0] == "status":
            for other, tickets in self._reached.items():
                if other[0] == "status":
                    tickets.discard(tid)
        self._reached.setdefault(key, set()).add(tid)
        self._in_doubt.get(key, set()).discard(tid)

    def doubt(self, key: LedgerKey, ticket_id: int) -> None:
        """The write failed in transit: it may be on the server."""
        self._in_doubt.setdefault(key, set()).add(int(ticket_id))

    def in_doubt(self, key: LedgerKey, ticket_id: int) -> bool:
        return int(ticket_id) in self._in_doubt.get(key, ())


async def note_present(client: Any, ticket_id: int, text: str) -> bool:
    """Whether the ticket has a note of this text (the newest 1,000 are looked at)."""
    wanted = note_key(text)[1]
    rows = await client.list(f"/service/tickets/{int(ticket_id)}/notes", fields=("id", "text"),
                             order_by="id desc", page_size=MAX_PAGE_SIZE)
    return any(isinstance(r.get("text"), str) and note_key(r["text"])[1] == wanted
               for r in rows)


async def add_note_once(service: Any, ledger: Ledger, ticket_id: int, text: str,
                        kind: NoteKind) -> None:
    """Add the note unless the ticket has it from an earlier attempt of this selection.

    After a failure in transit the ticket's notes are read first: a note that was stored in
    spite of the error counts as added rather than being posted a second time.
    """
    key = note_key(text)
    if ticket_id in ledger.reached(key):
        raise Unchanged("The note was already added.")
    if ledger.in_doubt(key, ticket_id) and await note_present(service.client, ticket_id, text):
        ledger.mark(key, ticket_id)
        return
    try:
        await service.add_note(ticket_id, text, kind)
    except IN_TRANSIT:
        ledger.doubt(key, ticket_id)
        raise
    ledger.mark(key, ticket_id)


# ---------------------------------------------------------------------- status by name


def common_status_names(
    statuses_by_board: Mapping[int, Sequence[BoardStatusOption]], board_ids: Iterable[int]
) -> list[str]:
    """Status names (active) present on every one of ``board_ids``, in the first board's order.

    Names match case-insensitively (ConnectWise's collation); the first board's spelling is kept.
    """
    boards = list(dict.fromkeys(board_ids))
    if not boards:
        return []
    per_board = [
        {s.name.casefold() for s in statuses_by_board.get(b, ()) if not s.inactive}
        for b in boards
    ]
    shared = set.intersection(*per_board)
    first = sorted(
        (s for s in statuses_by_board.get(boards[0], ()) if not s.inactive),
        key=lambda s: (s.sort_order is None, s.sort_order or 0),
    )
    names: list[str] = []
    for status in first:
        if status.name.casefold() in shared and status.name not in names:
            names.append(status.name)
    return names


def status_id_by_name(statuses: Sequence[BoardStatusOption], name: str) -> int | None:
    """This board's (active) status called ``name``, case-insensitively."""
    wanted = name.casefold()
    return next((s.id for s in statuses if s.name.casefold() == wanted and not s.inactive), None)


async def fetch_rows(client: Any, ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
    """Current list rows of these tickets (one request per URL-sized batch); missing ids absent.

    ``client`` is the service's ``ConnectWiseClient`` (``TicketService.client``).
    """
    ids = list(dict.fromkeys(int(i) for i in ticket_ids))
    if not ids:
        return {}
    pages = await asyncio.gather(*(
        client.list("/service/tickets", conditions=cond, fields=LIST_FIELDS,
                    page_size=MAX_PAGE_SIZE)
        for cond in batched_in("id", ids)
    ))
    rows = (TicketRow.from_wire(r) for page in pages for r in page)
    return {row.id: row for row in rows}

