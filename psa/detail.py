"""Ticket detail: the ticket, notes, configurations, related tickets and resources, concurrently.

Round trips from a ticket id: the ticket, its notes, its configuration references, its related
tickets and its schedule entries are requested at once (one round trip). The related query is
``id = parent or parentTicketId = id or mergedParentTicket/id = id``; the parent id comes from
the list rows the service has seen (the list asks for ``parentTicketId``), so it is known before
the ticket arrives. When it is not known, or was wrong, the parent row is fetched in the second
round trip, with the row of the ticket this one was merged into (``mergedParentTicket``).

The full configuration records (``company/configurations`` with ``id in (...)``, batched to
keep URLs short — one request for any realistic ticket) are requested the moment the
references arrive, not after the slowest first-round request. Without ``configuration_details``
the detail returns with the references only, and — unless ``prefetch`` is off — the records
are read in the background for the caller's next ``configuration_details(items)``, which joins
that read (``psa.prefetch``). The prefetch is skipped when this loader read the same ticket's
records for the same references recently: a caller that keeps details (the dock's cache) reuses
them instead of asking. Likewise the ticket's board statuses are requested (through the cached
lookup) as soon as the ticket arrives, for the status dropdown. Errors stay per section: a read
in the background reports its failure to whoever claims it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, TypeVar

from psa.connectwise.conditions import Cond, F, batched_in
from psa.connectwise.errors import ConnectWiseError, NotFound, PermissionDenied, ServerError
from psa.context import ServiceContext
from psa.lookups import Lookups
from psa.models import (
    LIST_FIELDS,
    ConfigurationItem,
    NoteItem,
    PermissionWarning,
    RelatedTickets,
    Resource,
    Section,
    TicketDetail,
    TicketRow,
    TicketView,
)
from psa.prefetch import Prefetches

T = TypeVar("T")
Records = dict[int, dict[str, Any]]

RELATED_FIELDS = (*LIST_FIELDS, "mergedParentTicket/id")
RELATED_LIMIT = 200
NOTES_LIMIT = 1000
SCHEDULE_FIELDS = ("id", "objectId", "member/id", "member/identifier", "member/name", "type/id")
CONFIG_FIELDS = (
    "id", "name", "deviceIdentifier", "type/name", "status/name", "serialNumber", "modelNumber",
    "ipAddress", "macAddress", "site/name", "contact/name", "activeFlag",
)
SERVICE_SCHEDULE_TYPE = 4
"""Schedule entry type of a service ticket (identifier ``S``): a co-assignee."""
RECENT_RECORDS = 40
"""Tickets whose configuration records the loader remembers reading (the dock caches 40)."""


def related_condition(ticket_id: int, parent_id: int | None) -> Cond:
    base = (F("parentTicketId") == ticket_id) | (F("mergedParentTicket/id") == ticket_id)
    return (F("id") == parent_id) | base if parent_id is not None else base


def split_related(
    ticket_id: int, parent_id: int | None, rows: Sequence[TicketRow],
    merged_into_id: int | None = None,
) -> RelatedTickets:
    """Group the related rows; ``merged_into_id`` is the ticket this one was merged into."""
    def row_of(wanted: int | None) -> TicketRow | None:
        return next((r for r in rows if wanted is not None and r.id == wanted), None)

    children = tuple(r for r in rows if r.parent_ticket_id == ticket_id and r.id != ticket_id)
    merged = tuple(r for r in rows if r.merged_parent_id == ticket_id and r.id != ticket_id)
    return RelatedTickets(parent_id=parent_id, parent=row_of(parent_id), children=children,
                          merged=merged, merged_into_id=merged_into_id,
                          merged_into=row_of(merged_into_id))


def resources_of(owner: Mapping[str, Any] | None, entries: Sequence[Mapping[str, Any]]
                 ) -> tuple[Resource, ...]:
    """Owner first, then each co-assigned member once (entries grouped by member)."""
    found: dict[int, Resource] = {}
    if owner and isinstance(owner.get("id"), int):
        found[owner["id"]] = Resource(
            member_id=owner["id"], identifier=str(owner.get("identifier") or ""),
            name=str(owner.get("name") or ""), is_owner=True,
        )
    for entry in entries:
        member = entry.get("member")
        if not isinstance(member, Mapping) or not isinstance(member.get("id"), int):
            continue
        mid = member["id"]
        current = found.get(mid) or Resource(
            member_id=mid, identifier=str(member.get("identifier") or ""),
            name=str(member.get("name") or ""),
        )
        found[mid] = current.model_copy(
            update={"schedule_entry_ids": (*current.schedule_entry_ids, int(entry["id"]))}
        )
    return tuple(found.values())


def schedule_condition(ticket_id: int, member_id: int | None = None) -> Cond:
    cond = (F("type/id") == SERVICE_SCHEDULE_TYPE) & (F("objectId") == ticket_id)
    return cond & (F("member/id") == member_id) if member_id is not None else cond


SectionResult = tuple[T | None, str | None, PermissionWarning | None]


async def _section(ctx: ServiceContext, area: str, work: Awaitable[T]) -> SectionResult[T]:
    try:
        return await work, None, None
    except PermissionDenied as exc:
        return None, None, ctx.warn(area, exc)
    except ConnectWiseError as exc:
        return None, exc.message, None


class DetailLoader:
    """Loads one ticket's detail with the fewest round trips."""

    def __init__(self, ctx: ServiceContext, lookups: Lookups | None = None) -> None:
        self._ctx = ctx
        self._lookups = lookups
        self._records = Prefetches[Records]()
        # Ticket id → the configuration ids whose records were read for it lately.
        self._recent: OrderedDict[int, tuple[int, ...]] = OrderedDict()
        self._background: set[asyncio.Task[Any]] = set()

    async def _notes(self, ticket_id: int) -> tuple[NoteItem, ...]:
        client = self._ctx.client
        try:
            rows = await client.list(f"/service/tickets/{ticket_id}/allNotes",
                                     page_size=NOTES_LIMIT)
        except NotFound:
            # Older servers lack allNotes; the ticket's own notes are the next best thing.
            rows = await client.list(f"/service/tickets/{ticket_id}/notes",
                                     page_size=NOTES_LIMIT)
        notes = [NoteItem.from_wire(r) for r in rows]
        notes.sort(key=lambda n: (n.created is not None, n.created, n.id), reverse=True)
        return tuple(notes)

    async def _config_refs(self, ticket_id: int) -> tuple[ConfigurationItem, ...]:
        rows = await self._ctx.client.list(f"/service/tickets/{ticket_id}/configurations",
                                           page_size=1000)
        return tuple(
            ConfigurationItem(id=int(r["id"]), device_identifier=str(r.get("deviceIdentifier")
                                                                     or ""))
            for r in rows if isinstance(r.get("id"), int)
        )

    async def _related(self, ticket_id: int, parent_id: int | None) -> list[TicketRow]:
        rows = await self._ctx.client.list(
            "/service/tickets", conditions=related_condition(ticket_id, parent_id),
            fields=RELATED_FIELDS, order_by="id asc", page_size=RELATED_LIMIT,
        )
        return [TicketRow.from_wire(r) for r in rows]

    async def _entries(self, ticket_id: int) -> list[dict[str, Any]]:
        return await self._ctx.client.list(
            "/schedule/entries", conditions=schedule_condition(ticket_id),
            fields=SCHEDULE_FIELDS, page_size=1000,
        )

    async def configuration_details(
        self, items: Sequence[ConfigurationItem]
    ) -> tuple[ConfigurationItem, ...]:
        """Full records for configuration references (one request per ~250 ids); joins the
        read a detail load started for the same references, if any."""
        if not items:
            return ()
        key = _key(items)
        records = await self._records.claim(key, lambda: self._read_records(key))
        return tuple(i.with_record(records[i.id]) if i.id in records else i for i in items)

    async def _read_records(self, ids: Sequence[int]) -> Records:
        pages = await asyncio.gather(*(
            self._ctx.client.list("/company/configurations", conditions=cond,
                                  fields=CONFIG_FIELDS, page_size=1000)
            for cond in batched_in("id", ids)
        ))
        return {int(r["id"]): r for page in pages for r in page if isinstance(r.get("id"), int)}

    def _prefetch_records(self, ticket_id: int, items: Sequence[ConfigurationItem]
                          ) -> tuple[int, ...] | None:
        """Start reading the records ahead; the key, or None when they were read lately."""
        key = _key(items)
        if self._recent.get(ticket_id) == key:
            return None  # the caller still has them (or will ask, and wait one round trip)
        task = self._records.start(key, self._read_records(key))
        task.add_done_callback(lambda done: self._remember(ticket_id, key, done))
        return key

    def _remember(self, ticket_id: int, key: tuple[int, ...], done: asyncio.Task[Any]) -> None:
        if not done.cancelled() and done.exception() is None:
            self._mark_read(ticket_id, key)

    def _mark_read(self, ticket_id: int, key: tuple[int, ...]) -> None:
        self._recent[ticket_id] = key
        self._recent.move_to_end(ticket_id)
        while len(self._recent) > RECENT_RECORDS:
            self._recent.popitem(last=False)

    async def stop_background(self) -> None:
        """Cancel the reads started ahead and wait for them (the service is closing)."""
        tasks = [*self._records.clear(), *self._background]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _prefetch_statuses(self, board_id: int | None) -> None:
        """The board's statuses into the lookup cache (a later ``statuses()`` joins them)."""
        if self._lookups is None or board_id is None:
            return
        task = asyncio.ensure_future(self._lookups.statuses(board_id))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(_retrieve)

    async def load(self, ticket_id: int, *, configuration_details: bool = True,
                   prefetch: bool = True) -> TicketDetail:
        """The detail of ``ticket_id``; a failure on the ticket itself (403, 404...) is raised."""
        ctx = self._ctx
        ticket_id = int(ticket_id)
        guess = ctx.seen_parents.get(ticket_id)
        ahead: list[tuple[int, ...]] = []  # records read ahead by this load
        ticket_task = asyncio.ensure_future(ctx.client.get_json(f"/service/tickets/{ticket_id}"))
        notes_t = asyncio.ensure_future(_section(ctx, "notes", self._notes(ticket_id)))
        configs_t = asyncio.ensure_future(self._configurations(
            ticket_id, details=configuration_details, ahead=ahead if prefetch else None))
        related_t = asyncio.ensure_future(
            _section(ctx, "related", self._related(ticket_id, guess))
        )
        entries_t = asyncio.ensure_future(_section(ctx, "resources", self._entries(ticket_id)))
        sections: list[asyncio.Future[Any]] = [notes_t, configs_t, related_t, entries_t]
        try:
            raw = await ticket_task
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
                raise ServerError(f"ConnectWise answered ticket {ticket_id} without a ticket.",
                                  endpoint="/service/tickets/{id}", code="MalformedResponse")
            view = TicketView.from_wire(raw)
            if prefetch:
                self._prefetch_statuses(view.board_id)
            notes, configs_section, related, entries = await asyncio.gather(*sections)
        except BaseException:
            for task in sections:
                task.cancel()
            await asyncio.gather(*sections, return_exceptions=True)
            for key in ahead:  # no detail, no caller for them
                self._records.discard(key)
            raise
        ctx.note_rows([view])
        return TicketDetail(
            ticket=view,
            notes=_as_section(notes),
            configurations=configs_section,
            related=await self._related_section(view, guess, related),
            resources=self._resources(raw, entries),
        )

    async def _configurations(
        self, ticket_id: int, *, details: bool, ahead: list[tuple[int, ...]] | None
    ) -> Section[tuple[ConfigurationItem, ...]]:
        """References, then at once their records (read ahead into ``ahead``, or nothing)."""
        items, error, warning = await _section(
            self._ctx, "configurations", self._config_refs(ticket_id))
        if items is None or not items:
            return Section(value=items, error=error, warning=warning)
        if not details:
            if ahead is not None and (key := self._prefetch_records(ticket_id, items)):
                ahead.append(key)
            return Section(value=items, error=error, warning=warning)
        full, error, warning = await _section(
            self._ctx, "configurations", self.configuration_details(items)
        )
        if full is not None:
            self._mark_read(ticket_id, _key(items))
        # Without Configurations (Inquire) the references are still worth showing.
        return Section(value=full if full is not None else items, error=error, warning=warning)

    async def _related_section(
        self, view: TicketView, guess: int | None, related: SectionResult[list[TicketRow]]
    ) -> Section[RelatedTickets]:
        rows, error, warning = related
        if rows is None:
            return Section(error=error, warning=warning)
        # Remembered as seen: a child clicked in Related then knows its parent, and its own
        # load asks for that row in its first round trip, not a second.
        self._ctx.note_rows(rows)
        actual, into = view.parent_ticket_id, view.merged_parent_id
        # The ticket says which it was merged into; that row (and a parent the list did not
        # know) comes in the second round trip, together.
        missing = sorted({i for i in (actual if actual != guess else None, into)
                          if i is not None and i != view.id})
        if missing:
            extra, error, warning = await _section(
                self._ctx, "related",
                self._ctx.client.list("/service/tickets", conditions=F("id").in_(missing),
                                      fields=RELATED_FIELDS, page_size=len(missing)),
            )
            rows = [*rows, *(TicketRow.from_wire(r) for r in extra or [])]
        return Section(value=split_related(view.id, actual, rows, into), error=error,
                       warning=warning)

    def _resources(
        self, raw: Mapping[str, Any], entries: SectionResult[list[dict[str, Any]]]
    ) -> Section[tuple[Resource, ...]]:
        rows, error, warning = entries
        owner = raw.get("owner") if isinstance(raw.get("owner"), Mapping) else None
        # The owner comes with the ticket, so it is shown even when schedule entries 403.
        return Section(value=resources_of(owner, rows or []), error=error, warning=warning)


def _key(items: Sequence[ConfigurationItem]) -> tuple[int, ...]:
    return tuple(sorted({i.id for i in items}))


def _retrieve(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()


def _as_section(result: SectionResult[T]) -> Section[T]:
    value, error, warning = result
    return Section(value=value, error=error, warning=warning)
