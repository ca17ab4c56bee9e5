"""Lookups for pickers and filters: boards, statuses, types, priorities, companies, contacts,
members.

Reference data is cached per service and refreshed on request (``refresh=True``). Missing
security-role permissions degrade instead of failing: members and a board's types and subtypes
give an empty list; boards, statuses and priorities those seen on tickets so far; each with a
``PermissionWarning`` recorded on the service.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from psa.connectwise.conditions import Cond, F, TextSearch, all_of, text_search
from psa.connectwise.errors import NotFound, PermissionDenied
from psa.context import ServiceContext, SingleFlight
from psa.models import BoardStatusOption, Option, StatusOption, TypeOption

BOARD_FIELDS = ("id", "name", "inactiveFlag")
STATUS_FIELDS = (
    "id", "name", "board/id", "closedStatus", "inactive", "escalationStatus", "sortOrder",
)
TYPE_FIELDS = ("id", "name", "board/id", "inactiveFlag", "defaultFlag", "category")
SUBTYPE_FIELDS = ("id", "name", "board/id", "inactiveFlag", "typeAssociationIds")
PRIORITY_FIELDS = ("id", "name", "color", "sortOrder", "level")
COMPANY_FIELDS = ("id", "identifier", "name")
CONTACT_FIELDS = ("id", "firstName", "lastName", "company/id", "company/name", "inactiveFlag")
MEMBER_FIELDS = ("id", "identifier", "firstName", "lastName", "officeEmail", "inactiveFlag")
SEARCH_LIMIT = 25
SEARCH_SCAN = 200
"""Rows scanned when a name search must be verified client-side (quotes and wildcards)."""


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _empty() -> tuple[Any, ...]:
    return ()


def member_option(data: Mapping[str, Any]) -> Option:
    name = " ".join(p for p in (_str(data, "firstName"), _str(data, "lastName")) if p)
    return Option(
        id=int(data["id"]), name=name or _str(data, "identifier"),
        identifier=_str(data, "identifier"), inactive=data.get("inactiveFlag") is True,
    )


def status_option(data: Mapping[str, Any], board_id: int) -> BoardStatusOption:
    board = data.get("board")
    if isinstance(board, Mapping) and isinstance(board.get("id"), int):
        board_id = board["id"]
    return BoardStatusOption(
        id=int(data["id"]), name=_str(data, "name"), board_id=board_id,
        closed=data.get("closedStatus") is True, inactive=data.get("inactive") is True,
        escalation=_str(data, "escalationStatus") not in ("", "NoEscalation"),
        sort_order=_int(data, "sortOrder"),
    )


def type_option(data: Mapping[str, Any], board_id: int) -> TypeOption:
    """A type or subtype record (lenient: a missing ``typeAssociationIds`` means any type)."""
    board = data.get("board")
    if isinstance(board, Mapping) and isinstance(board.get("id"), int):
        board_id = board["id"]
    raw = data.get("typeAssociationIds")
    type_ids = (tuple(i for i in raw if isinstance(i, int) and not isinstance(i, bool))
                if isinstance(raw, list) else None)
    return TypeOption(
        id=int(data["id"]), name=_str(data, "name") or f"#{data['id']}", board_id=board_id,
        inactive=data.get("inactiveFlag") is True, default=data.get("defaultFlag") is True,
        category=_str(data, "category"), type_ids=type_ids,
    )


def union_statuses(per_board: Sequence[Sequence[BoardStatusOption]]) -> tuple[StatusOption, ...]:
    """Statuses of all boards deduplicated by name (case-insensitive), first spelling kept."""
    by_name: dict[str, list[BoardStatusOption]] = {}
    for statuses in per_board:
        for status in statuses:
            if not status.inactive:
                by_name.setdefault(status.name.casefold(), []).append(status)
    options = [
        StatusOption(
            name=group[0].name,
            ids=tuple((s.board_id, s.id) for s in group),
            closed=all(s.closed for s in group),
        )
        for group in by_name.values()
    ]
    return tuple(sorted(options, key=lambda o: (o.closed, o.name.casefold())))


class Lookups:
    """Cached reference data of one site, with permission-aware degradation."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._cache = SingleFlight()

    def invalidate(self) -> None:
        """Forget everything cached (the next call of each lookup asks the server)."""
        self._cache.clear()

    async def boards(self, *, refresh: bool = False) -> tuple[Option, ...]:
        """Active service boards; on a 403, the boards of the tickets seen so far."""
        async def fetch() -> tuple[Option, ...]:
            rows = await self._ctx.client.list_all(
                "/service/boards", fields=BOARD_FIELDS, conditions=F("inactiveFlag") == False,  # noqa: E712
                order_by="name asc",
            )
            return tuple(Option(id=int(r["id"]), name=_str(r, "name")) for r in rows)

        def seen() -> tuple[Option, ...]:
            items = sorted(self._ctx.seen_boards.items(), key=lambda kv: kv[1].casefold())
            return tuple(Option(id=bid, name=name) for bid, name in items)

        value, _ = await self._ctx.degrade(
            "boards", lambda: self._cache.get("boards", fetch, refresh), seen
        )
        return value

    async def statuses(
        self, board_id: int, *, refresh: bool = False
    ) -> tuple[BoardStatusOption, ...]:
        """The statuses of one board in board order; on a 403 (and a warning) the board's
        statuses seen on tickets so far, by name."""
        async def fetch() -> tuple[BoardStatusOption, ...]:
            rows = await self._ctx.client.list_all(
                f"/service/boards/{int(board_id)}/statuses", fields=STATUS_FIELDS,
                order_by="sortOrder asc",
            )
            return tuple(status_option(r, board_id) for r in rows)

        def seen() -> tuple[BoardStatusOption, ...]:
            mine = [BoardStatusOption(id=sid, name=name, board_id=bid, closed=closed)
                    for (bid, sid), (name, closed) in self._ctx.seen_statuses.items()
                    if bid == board_id]
            return tuple(sorted(mine, key=lambda s: s.name.casefold()))

        value, _ = await self._ctx.degrade(
            "statuses", lambda: self._cache.get(("statuses", board_id), fetch, refresh), seen
        )
        return value

    async def types(self, board_id: int, *, refresh: bool = False) -> tuple[TypeOption, ...]:
        """A board's ticket types by name (inactive ones flagged); empty (and a warning) on a
        403. A board with no types gives an empty tuple and no warning."""
        return await self._classification("types", TYPE_FIELDS, board_id, refresh)

    async def subtypes(self, board_id: int, *, refresh: bool = False
                       ) -> tuple[TypeOption, ...]:
        """A board's subtypes by name, each with the types it goes with (``fits``)."""
        return await self._classification("subtypes", SUBTYPE_FIELDS, board_id, refresh)

    async def _classification(self, kind: str, fields: Sequence[str], board_id: int,
                              refresh: bool) -> tuple[TypeOption, ...]:
        async def fetch() -> tuple[TypeOption, ...]:
            rows = await self._ctx.client.list_all(
                f"/service/boards/{int(board_id)}/{kind}", fields=fields, order_by="name asc",
            )
            return tuple(type_option(r, board_id) for r in rows)

        value, _ = await self._ctx.degrade(
            "types", lambda: self._cache.get((kind, board_id), fetch, refresh), _empty
        )
        return value

    def cached_status_name(self, status_id: int) -> str | None:
        """A status's name if some board's statuses are already cached (no request)."""
        for key, value in self._cache.cached():
            if isinstance(key, tuple) and key[0] == "statuses" and isinstance(value, tuple):
                for status in value:
                    if isinstance(status, BoardStatusOption) and status.id == status_id:
                        return status.name
        return None

    async def all_statuses(self, *, refresh: bool = False) -> tuple[StatusOption, ...]:
        """Every board's statuses deduplicated by name (the status filter with no board)."""
        boards = await self.boards(refresh=refresh)
        per_board = await asyncio.gather(
            *(self.statuses(b.id, refresh=refresh) for b in boards)
        )
        return union_statuses(per_board)

    async def priorities(self, *, refresh: bool = False) -> tuple[Option, ...]:
        """Priorities by sort order; on a 403 those seen on tickets so far."""
        async def fetch() -> tuple[Option, ...]:
            rows = await self._ctx.client.list_all(
                "/service/priorities", fields=PRIORITY_FIELDS, order_by="sortOrder asc"
            )
            return tuple(
                Option(id=int(r["id"]), name=_str(r, "name"), color=_str(r, "color"),
                       sort_order=_int(r, "sortOrder"))
                for r in rows
            )

        def seen() -> tuple[Option, ...]:
            items = sorted(self._ctx.seen_priorities.items(), key=lambda kv: kv[1].casefold())
            return tuple(Option(id=pid, name=name) for pid, name in items)

        value, _ = await self._ctx.degrade(
            "priorities", lambda: self._cache.get("priorities", fetch, refresh), seen
        )
        return value

    async def members(self, *, refresh: bool = False) -> tuple[Option, ...]:
        """Active members by name; empty (and a warning) when the role may not list them."""
        async def fetch() -> tuple[Option, ...]:
            rows = await self._ctx.client.list_all(
                "/system/members", fields=MEMBER_FIELDS,
                conditions=F("inactiveFlag") == False,  # noqa: E712
                order_by="firstName asc, lastName asc",
            )
            return tuple(member_option(r) for r in rows)

        value, _ = await self._ctx.degrade(
            "members", lambda: self._cache.get("members", fetch, refresh), _empty
        )
        return value

    async def member_identifier(self, member_id: int) -> str | None:
        """The identifier of a member id from the cached member list (None if unknown)."""
        for member in await self.members():
            if member.id == member_id:
                return member.identifier
        return None

    async def companies(self, text: str, *, limit: int = SEARCH_LIMIT) -> tuple[Option, ...]:
        """Companies whose name or identifier contains ``text`` (search as you type)."""
        search = text_search(("name", "identifier"), text) if text else None
        rows = await self._search(
            "/company/companies", search=search,
            base=F("deletedFlag") == False,  # noqa: E712
            fields=COMPANY_FIELDS, order_by="name asc", limit=limit,
            values=lambda r: [_str(r, "name"), _str(r, "identifier")],
        )
        return tuple(
            Option(id=int(r["id"]), name=_str(r, "name"), identifier=_str(r, "identifier"))
            for r in rows
        )

    async def company(self, company_id: int) -> Option | None:
        """One company by id (a link's ``company=3`` named); None when it is gone or the role
        may not read companies. Cached per id."""
        async def fetch() -> Option | None:
            try:
                r = await self._ctx.client.get_json(
                    f"/company/companies/{int(company_id)}",
                    params={"fields": ",".join(COMPANY_FIELDS)},
                )
            except (NotFound, PermissionDenied):
                return None
            if not isinstance(r, Mapping) or not isinstance(r.get("id"), int):
                return None
            return Option(id=int(r["id"]), name=_str(r, "name"),
                          identifier=_str(r, "identifier"))

        return await self._cache.get(("company", company_id), fetch, False)

    async def contacts(
        self, text: str, *, company_id: int | None = None, limit: int = SEARCH_LIMIT
    ) -> tuple[Option, ...]:
        """Active contacts (of one company, if given) whose first or last name contains ``text``."""
        search = text_search(("firstName", "lastName"), text) if text else None
        base = all_of([
            F("inactiveFlag") == False,  # noqa: E712
            F("company/id") == company_id if company_id is not None else None,
        ])
        rows = await self._search(
            "/company/contacts", search=search, base=base, fields=CONTACT_FIELDS,
            order_by="lastName asc, firstName asc", limit=limit,
            values=lambda r: [_str(r, "firstName"), _str(r, "lastName")],
        )
        return tuple(
            Option(
                id=int(r["id"]),
                name=" ".join(p for p in (_str(r, "firstName"), _str(r, "lastName")) if p),
                detail=_str(r["company"], "name") if isinstance(r.get("company"), Mapping)
                else "",
            )
            for r in rows
        )

    async def _search(
        self, path: str, *, search: TextSearch | None, base: Cond | None,
        fields: Sequence[str], order_by: str, limit: int,
        values: Callable[[Mapping[str, Any]], Sequence[str | None]],
    ) -> list[dict[str, Any]]:
        if search is not None and search.impossible:
            return []
        conditions = all_of([base, search.condition if search else None])
        verify = search is not None and search.needs_verification
        rows = await self._ctx.client.list(
            path, conditions=conditions, fields=fields, order_by=order_by,
            page_size=SEARCH_SCAN if verify else limit,
        )
        if verify and search is not None:
            rows = [r for r in rows if search.matches(values(r))]
        return rows[:limit]
