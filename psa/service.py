"""TicketService: every ticket operation the screens use, over one ConnectWise client.

Searching costs one round trip: the page and ``/count`` are requested together, with only the
list's fields. Free text goes through ``text_search``; when it had to be cut into pieces (a
query holding both quote kinds or wildcard characters) the server's answer is a superset, so
the service fetches the candidates' ids and searched fields (up to ``VERIFY_LIMIT``), keeps the
ones holding the full text, reports their number as ``total`` and fetches the rows of the
requested page by id — two round trips, and a total that counts only true matches. Above the
limit ``total_exact`` is false and ``total`` is the lower bound found. A query longer than any
searched field can hold matches nothing and sends nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import httpx2

from psa.connectwise.client import ConnectWiseClient
from psa.connectwise.conditions import Cond, F, TextSearch, all_of, batched_in, id_in
from psa.connectwise.credentials import Credentials
from psa.connectwise.paging import MAX_PAGE_SIZE, pages_for
from psa.connectwise.retry import RetryPolicy
from psa.connectwise.site import ticket_web_url
from psa.context import ServiceContext
from psa.detail import DetailLoader
from psa.errors import IdentityNotMapped
from psa.filters import ASSIGNMENT_FIELDS, QUERY_FIELDS, MemberKey, TicketFilters
from psa.identity import IdentityResolver
from psa.lookups import Lookups
from psa.models import (
    LIST_FIELDS,
    SLA_FIELDS,
    BoardStatusOption,
    ConfigurationItem,
    Identity,
    NewTicket,
    NoteKind,
    NoteOutcome,
    Option,
    PermissionWarning,
    Resource,
    SlaState,
    StatusOption,
    TicketDetail,
    TicketPage,
    TicketRow,
    TicketView,
    TypeOption,
)
from psa.mutations import SETTLE_DELAYS, Mutations
from psa.resources import ResourceOps

VERIFY_LIMIT = 5000
"""Candidates scanned client-side when a free-text search must be verified."""
_VERIFY_FIELDS = ("id", "summary", "company/name")
RowCheck = Callable[[Mapping[str, Any]], bool]


class TicketService:
    """The Qt-free ticket service: search, lookups, detail, SLA, mutations, identity."""

    def __init__(
        self, client: ConnectWiseClient, creds: Credentials, *, user_email: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        settle_delays: Sequence[float] = SETTLE_DELAYS,
    ) -> None:
        self.client = client
        self._ctx = ServiceContext(client, creds)
        self.lookups = Lookups(self._ctx)
        self._detail = DetailLoader(self._ctx, self.lookups)
        self._identity = IdentityResolver(self._ctx, user_email=user_email)
        self._mutations = Mutations(self._ctx, self.lookups, sleep=sleep,
                                    settle_delays=settle_delays)
        self._resources = ResourceOps(self._ctx, self._mutations)

    @property
    def warnings(self) -> tuple[PermissionWarning, ...]:
        """Permission warnings recorded so far (one per area, the latest)."""
        return tuple(self._ctx.warnings.values())

    # ------------------------------------------------------------------ search

    async def search_tickets(
        self, filters: TicketFilters, page: int = 1, page_size: int = 50
    ) -> TicketPage:
        """One page of tickets matching ``filters`` and the total number of matches."""
        if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page must be >= 1 and page_size in 1..{MAX_PAGE_SIZE}")
        base, warnings, check = await self._base_conditions(filters)
        search = filters.text_search()
        if search is not None and search.impossible:
            return TicketPage(items=(), total=0, page=page, page_size=page_size,
                              warnings=warnings)
        if (search is not None and search.needs_verification) or check is not None:
            return await self._verified_search(filters, base, search, page=page,
                                               page_size=page_size, warnings=warnings,
                                               check=check)
        conditions = all_of([base, search.condition if search else None])
        client = self.client
        total, rows = await asyncio.gather(
            client.count("/service/tickets", conditions=conditions),
            client.list("/service/tickets", conditions=conditions, fields=LIST_FIELDS,
                        order_by=filters.order_by, page=page, page_size=page_size),
        )
        items = tuple(TicketRow.from_wire(r) for r in rows)
        self._ctx.note_rows(items)
        return TicketPage(items=items, total=total, page=page, page_size=page_size,
                          warnings=warnings)

    async def ticket_id_at(self, filters: TicketFilters, position: int) -> int | None:
        """The id of the ticket now at 1-based ``position`` of ``filters``' list, or None.

        One row with only its id: a cheap look at where a page boundary is now, sent beside the
        next page. Lists that are matched client-side (verified text search) are read as a
        one-row page, which gives the same answer at the same cost as their pages.
        """
        if position < 1:
            raise ValueError("position must be >= 1")
        search = filters.text_search()
        base, _warnings, check = await self._base_conditions(filters)
        if check is not None or (search is not None
                                 and (search.impossible or search.needs_verification)):
            page = await self.search_tickets(filters, page=position, page_size=1)
            return page.items[0].id if page.items else None
        conditions = all_of([base, search.condition if search else None])
        rows = await self.client.list("/service/tickets", conditions=conditions, fields=["id"],
                                      order_by=filters.order_by, page=position, page_size=1)
        return int(rows[0]["id"]) if rows else None

    async def _base_conditions(
        self, filters: TicketFilters
    ) -> tuple[Cond | None, tuple[PermissionWarning, ...], RowCheck | None]:
        """Conditions without the free text; resolves "me" / a member id to its identifier.

        The third item is the client-side test the assignment needs (an identifier holding a
        wildcard character, see ``psa.filters``), or None.
        """
        if filters.assigned == "me":
            me = await self.whoami()
            if not me.mapped:
                raise IdentityNotMapped(f"\"My tickets\" needs to know who you are. {me.detail}")
            member = MemberKey(id=me.member_id, identifier=me.identifier)
            return (filters.to_conditions(member=member, include_text=False), (),
                    filters.assignment_check(member))
        if isinstance(filters.assigned, int):
            identifier = await self.lookups.member_identifier(filters.assigned)
            if identifier is None:
                # Without the identifier only ownership can be matched exactly: say so.
                anyone = filters.model_copy(update={"assigned": "all"})
                owner = F("owner/id") == filters.assigned
                warning = self._ctx.warnings.get("members")
                return all_of([anyone.to_conditions(include_text=False), owner]), (
                    (warning,) if warning else ()
                ), None
            member = MemberKey(id=filters.assigned, identifier=identifier)
            return (filters.to_conditions(member=member, include_text=False), (),
                    filters.assignment_check(member))
        return filters.to_conditions(include_text=False), (), None

    async def _verified_search(
        self, filters: TicketFilters, base: Cond | None, search: TextSearch | None, *,
        page: int, page_size: int, warnings: tuple[PermissionWarning, ...],
        check: RowCheck | None = None,
    ) -> TicketPage:
        conditions = all_of([base, search.condition if search else None])
        extra = ASSIGNMENT_FIELDS if check is not None else ()
        candidates, exact = await self._candidates(conditions, filters.order_by, extra)
        matched = [
            int(r["id"]) for r in candidates
            if (search is None or not search.needs_verification
                or search.matches([r.get(path) if path == "id" else _path(r, path)
                                   for path in QUERY_FIELDS]))
            and (check is None or check(r))
        ]
        wanted = matched[(page - 1) * page_size: page * page_size]
        items: tuple[TicketRow, ...] = ()
        if wanted:
            rows = await self.client.list(
                "/service/tickets", conditions=id_in("id", wanted), fields=LIST_FIELDS,
                page_size=len(wanted),
            )
            by_id = {int(r["id"]): TicketRow.from_wire(r) for r in rows}
            items = tuple(by_id[i] for i in wanted if i in by_id)
            self._ctx.note_rows(items)
        return TicketPage(items=items, total=len(matched), page=page, page_size=page_size,
                          total_exact=exact, warnings=warnings)

    async def _candidates(
        self, conditions: Cond | None, order_by: str, extra_fields: Sequence[str] = ()
    ) -> tuple[list[dict[str, Any]], bool]:
        client, size = self.client, min(MAX_PAGE_SIZE, VERIFY_LIMIT)
        kw: dict[str, Any] = {"conditions": conditions,
                              "fields": (*_VERIFY_FIELDS, *extra_fields),
                              "order_by": order_by, "page_size": size}
        total, first = await asyncio.gather(
            client.count("/service/tickets", conditions=conditions),
            client.list("/service/tickets", page=1, **kw),
        )
        last = min(pages_for(total, size), VERIFY_LIMIT // size)
        rest = await asyncio.gather(*(
            client.list("/service/tickets", page=n, **kw) for n in range(2, last + 1)
        ))
        # Rows can shift between pages while paging; keep each ticket once.
        unique = {int(r["id"]): r for chunk in (first, *rest) for r in chunk}
        return list(unique.values()), total <= VERIFY_LIMIT

    # ------------------------------------------------------------------ lookups

    async def boards(self, *, refresh: bool = False) -> tuple[Option, ...]:
        return await self.lookups.boards(refresh=refresh)

    async def statuses(self, board_id: int, *, refresh: bool = False
                       ) -> tuple[BoardStatusOption, ...]:
        return await self.lookups.statuses(board_id, refresh=refresh)

    async def all_statuses(self, *, refresh: bool = False) -> tuple[StatusOption, ...]:
        return await self.lookups.all_statuses(refresh=refresh)

    async def types(self, board_id: int, *, refresh: bool = False) -> tuple[TypeOption, ...]:
        return await self.lookups.types(board_id, refresh=refresh)

    async def subtypes(self, board_id: int, *, refresh: bool = False
                       ) -> tuple[TypeOption, ...]:
        return await self.lookups.subtypes(board_id, refresh=refresh)

    async def priorities(self, *, refresh: bool = False) -> tuple[Option, ...]:
        return await self.lookups.priorities(refresh=refresh)

    async def members(self, *, refresh: bool = False) -> tuple[Option, ...]:
        return await self.lookups.members(refresh=refresh)

    async def companies(self, text: str, *, limit: int = 25) -> tuple[Option, ...]:
        return await self.lookups.companies(text, limit=limit)

    async def company(self, company_id: int) -> Option | None:
        """One company by id (cached); None when it is missing or not readable."""
        return await self.lookups.company(company_id)

    async def contacts(self, text: str, *, company_id: int | None = None,
                       limit: int = 25) -> tuple[Option, ...]:
        return await self.lookups.contacts(text, company_id=company_id, limit=limit)

    # ------------------------------------------------------------------ detail and SLA

    async def ticket_detail(self, ticket_id: int, *, configuration_details: bool = True,
                            prefetch: bool = True) -> TicketDetail:
        """Everything about one ticket; see ``psa.detail`` for the round trips.

        Without ``configuration_details`` (paint first, records next) the records and the
        board's statuses are still requested early unless ``prefetch`` is off, so the
        following ``configuration_details()`` / ``statuses()`` calls join them.
        """
        detail = await self._detail.load(ticket_id, configuration_details=configuration_details,
                                         prefetch=prefetch)
        self._mutations.remember_loaded(detail)
        return detail.model_copy(update={"web_url": await self.ticket_url(ticket_id)})

    async def stop_background(self) -> None:
        """Cancel reads started ahead of their callers (``open_service`` does it on exit)."""
        await self._detail.stop_background()

    async def configuration_details(self, items: Sequence[ConfigurationItem]
                                    ) -> tuple[ConfigurationItem, ...]:
        """Full records for configuration references (when detail was loaded without them)."""
        return await self._detail.configuration_details(items)

    async def sla_now(self, ticket_ids: Iterable[int]) -> dict[int, SlaState]:
        """Current SLA state of these tickets through ``calculateSla`` (batched by URL size)."""
        ids = list(dict.fromkeys(int(i) for i in ticket_ids))
        if not ids:
            return {}
        pages = await asyncio.gather(*(
            self.client.list("/service/tickets/calculateSla", conditions=cond,
                             fields=SLA_FIELDS, page_size=MAX_PAGE_SIZE)
            for cond in batched_in("id", ids)
        ))
        states = (SlaState.from_wire(r) for page in pages for r in page if "id" in r)
        return {s.ticket_id: s for s in states}

    async def ticket_url(self, ticket_id: int) -> str:
        """The ticket's page in the ConnectWise web UI."""
        await self.client.api_base()
        info = self.client.company_info
        codebase = info.codebase if info is not None else "v4_6_release/"
        return ticket_web_url(self.client.site, codebase, int(ticket_id),
                              self._ctx.creds.company_id)

    # ------------------------------------------------------------------ mutations

    async def create_ticket(self, ticket: NewTicket | Mapping[str, Any]) -> TicketView:
        """Validate, create and return the ticket; never creates it twice."""
        return await self._mutations.create_ticket(ticket)

    async def update_status(self, ticket_id: int, status_id: int, *,
                            expected_last_updated: datetime | None = None) -> TicketRow:
        """Change the status, verified; StatusNotOnBoard / TicketChanged otherwise."""
        return await self._mutations.update_status(
            ticket_id, status_id, expected_last_updated=expected_last_updated
        )

    async def add_note(self, ticket_id: int, text: str, kind: NoteKind = "discussion", *,
                       status_id: int | None = None,
                       expected_last_updated: datetime | None = None) -> NoteOutcome:
        """Add a discussion / internal / resolution note, optionally changing the status."""
        return await self._mutations.add_note(
            ticket_id, text, kind, status_id=status_id,
            expected_last_updated=expected_last_updated,
        )

    async def resources(self, ticket_id: int) -> tuple[Resource, ...]:
        return await self._resources.list(ticket_id)

    async def add_resource(self, ticket_id: int, member_id: int, *,
                           expected_last_updated: datetime | None = None
                           ) -> tuple[Resource, ...]:
        return await self._resources.add(ticket_id, member_id,
                                         expected_last_updated=expected_last_updated)

    async def remove_resource(self, ticket_id: int, member_id: int, *,
                              expected_last_updated: datetime | None = None
                              ) -> tuple[Resource, ...]:
        return await self._resources.remove(ticket_id, member_id,
                                            expected_last_updated=expected_last_updated)

    # ------------------------------------------------------------------ identity

    async def whoami(self, *, refresh: bool = False) -> Identity:
        """The member this key acts as, or ``mapped=False`` with the reasons."""
        return await self._identity.whoami(refresh=refresh)


def _path(record: Mapping[str, Any], path: str) -> str | None:
    value: Any = record
    for part in path.split("/"):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else None


@asynccontextmanager
async def open_service(
    creds: Credentials, *, transport: httpx2.AsyncBaseTransport | None = None,
    timeout: httpx2.Timeout | None = None, max_in_flight: int = 6,
    retry: RetryPolicy | None = None, user_email: str | None = None,
) -> AsyncIterator[TicketService]:
    """A ticket service over a fresh client, closed on exit."""
    async with ConnectWiseClient(creds, transport=transport, timeout=timeout,
                                 max_in_flight=max_in_flight, retry=retry) as client:
        service = TicketService(client, creds, user_email=user_email)
        try:
            yield service
        finally:
            await service.stop_background()
