"""TicketFilters: what the ticket list shows, as a frozen value that maps to ConnectWise conditions.

Assignment ("me" or a member) means owner **or** co-assignee, matched exactly. The server's
``resources`` field is the comma-joined identifiers of the owner and the type-4 schedule entries
("jdoe, asmith"), so ``resources contains "jdoe"`` would also match ``jdoe2``. Instead the member
is matched by id as owner, and by identifier at each position of the joined list with anchored
``like`` patterns — alone (``= "jdoe"``), first (``like "jdoe,%"``), last (``like "%, jdoe"``,
``like "%,jdoe"``), middle (``like "%, jdoe,%"``, ``like "%,jdoe,%"``). The separator is matched
with and without its space. That is one condition, so one round trip, with no prior lookup of
schedule entries.

Which characters ``like`` treats as wildcards differs by server (API-NOTES: ``%`` and ``*`` are
both reported), so every pattern is sent twice, ORed: once with ``%`` and the identifier's own
wildcard characters bracketed (``j_doe`` → ``j[_]doe``: exact on SQL Server's LIKE), once with
``*`` and the identifier as it is (exact on a glob-style server, where only ``*`` is special).
On any server one of the two spellings matches exactly what is wanted; the other can only add
a match where a ``resources`` item is literally ``%``/``*``-shaped text, i.e. never for real
identifiers. An identifier that itself holds a wildcard character (``%``, ``_``, ``[``, ``*``)
can be widened by the spelling its server does not read as intended (``j_doe`` read by SQL
Server in the ``*`` spelling also matches ``jxdoe``), so such a filter is not exact on the
server: ``assignment_check`` then returns a test the caller applies to each candidate row
(owner id/identifier, ``resources`` item by item), as it does for free text that needs
verification.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from psa.connectwise.conditions import Comparison, Cond, F, TextSearch, all_of, text_search
from psa.connectwise.conditions import Or as _Or

Assigned = Literal["all", "me", "unassigned"] | Annotated[int, Field(gt=0)]
"""All tickets, mine, nobody's, or one member's (by member id)."""

QUERY_FIELDS: tuple[str, ...] = ("id", "summary", "company/name")
"""Free text searches the ticket number, the summary and the company name."""

SORT_FIELDS: frozenset[str] = frozenset({
    "id", "summary", "board/name", "status/name", "priority/name", "priority/sort", "company/name",
    "owner/identifier", "contactName", "_info/dateEntered", "_info/lastUpdated", "slaStatus",
})
"""Fields a list may be ordered by; anything else is refused (orderBy is sent verbatim)."""

DEFAULT_ORDER = "id desc"
_ORDER = re.compile(r"^(?P<field>[A-Za-z_/]+)(?: (?P<dir>asc|desc))?$")
_LIKE_SPECIALS = "%_[*"


class MemberKey(BaseModel):
    """A member as conditions need it: id for the owner, identifier for ``resources``.

    ``id`` may be unknown (an identity configured by identifier on a key that may not read
    members); the owner is then matched by identifier, which is just as exact.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)
    id: int | None = Field(default=None, gt=0)
    identifier: str = Field(min_length=1)


class TicketFilters(BaseModel):
    """The ticket list's filters; frozen, hashable and JSON-serialisable (saved views)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    board_id: int | None = Field(default=None, gt=0)
    status_id: int | None = Field(default=None, gt=0)
    """A status of ``board_id``'s board (status ids are per board)."""
    status_name: str | None = None
    """Matches that status name on every board (for "Waiting on Customer" everywhere)."""
    priority_id: int | None = Field(default=None, gt=0)
    company_id: int | None = Field(default=None, gt=0)
    """A customer company's numeric id (not the Company ID of the credentials)."""
    assigned: Assigned = "all"
    include_closed: bool = False
    query: str = ""
    order_by: str = DEFAULT_ORDER

    @field_validator("status_name")
    @classmethod
    def _blank_name_is_none(cls, value: str | None) -> str | None:
        return value if value and value.strip() else None

    @field_validator("order_by")
    @classmethod
    def _known_order(cls, value: str) -> str:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        for part in parts:
            match = _ORDER.match(part)
            if not match or match["field"] not in SORT_FIELDS:
                raise ValueError(f"cannot order tickets by {part!r}")
        return ", ".join(parts) or DEFAULT_ORDER

    @model_validator(mode="after")
    def _one_status(self) -> TicketFilters:
        if self.status_id is not None and self.status_name is not None:
            raise ValueError("give status_id or status_name, not both")
        return self

    def member_id(self, me: MemberKey | None) -> int | None:
        """The member whose tickets are wanted, or None (all/unassigned)."""
        if self.assigned == "me":
            return me.id if me is not None else None
        return self.assigned if isinstance(self.assigned, int) else None

    def text_search(self) -> TextSearch | None:
        """The free-text part (None without a query); see ``TextSearch`` for verification."""
        return text_search(QUERY_FIELDS, self.query) if self.query else None

    def to_conditions(
        self, *, member: MemberKey | None = None, include_text: bool = True
    ) -> Cond | None:
        """The ``conditions`` for these filters.

        ``member`` is who "me" or the member id stands for (the caller resolves it, since the
        identifier needs a lookup); it is required when ``assigned`` is "me" or an id, and a
        ValueError otherwise. ``include_text=False`` leaves the free text out (the caller then
        searches it itself). An impossible text search is the caller's to short-circuit.
        """
        parts: list[Cond | None] = [
            F("board/id") == self.board_id if self.board_id is not None else None,
            F("status/id") == self.status_id if self.status_id is not None else None,
            F("status/name") == self.status_name if self.status_name is not None else None,
            F("priority/id") == self.priority_id if self.priority_id is not None else None,
            F("company/id") == self.company_id if self.company_id is not None else None,
            None if self.include_closed else F("closedFlag") == False,  # noqa: E712
            self._assignment(member),
        ]
        if include_text and (search := self.text_search()) is not None:
            parts.append(search.condition)
        return all_of(parts)

    def _assignment(self, member: MemberKey | None) -> Cond | None:
        if self.assigned == "all":
            return None
        if self.assigned == "unassigned":
            return F("owner/id").is_null() & _Or.of(
                F("resources").is_null(), F("resources") == ""
            )
        if member is None or (isinstance(self.assigned, int) and member.id != self.assigned):
            raise ValueError("assigned needs the member's id and identifier")
        return assigned_to(member)

    def assignment_check(
        self, member: MemberKey | None
    ) -> Callable[[Mapping[str, Any]], bool] | None:
        """The client-side test ``to_conditions`` needs for ``member`` (None: exact already)."""
        if self.assigned in ("all", "unassigned") or member is None:
            return None
        return assignment_check(member)


def like_literal(text: str) -> str:
    """``text`` for a SQL Server ``like`` pattern: each wildcard character bracketed."""
    return "".join(f"[{ch}]" if ch in _LIKE_SPECIALS else ch for ch in text)


def _positions(ident: str, any_run: str) -> tuple[str, ...]:
    w = any_run
    return (f"{ident},{w}", f"{w}, {ident}", f"{w},{ident}", f"{w}, {ident},{w}",
            f"{w},{ident},{w}")


def assigned_to(member: MemberKey) -> Cond:
    """Owner is ``member`` or its identifier is one whole item of ``resources``.

    Exact on servers reading ``%``, ``*`` or both as ``like`` wildcards, unless the identifier
    holds a wildcard character itself (then ``assignment_check`` gives the client-side test).
    """
    ident = member.identifier
    patterns = (*_positions(like_literal(ident), "%"), *_positions(ident, "*"))
    owner = (F("owner/id") == member.id if member.id is not None
             else F("owner/identifier") == member.identifier)
    return _Or.of(
        owner,
        F("resources") == member.identifier,
        *(Comparison("resources", "like", p) for p in patterns),
    )


ASSIGNMENT_FIELDS: tuple[str, ...] = ("owner/id", "owner/identifier", "resources")
"""The fields ``assignment_check`` reads from a row."""


def assignment_check(member: MemberKey) -> Callable[[Mapping[str, Any]], bool] | None:
    """None when ``assigned_to(member)`` is exact on every server; else the test for a row.

    The row is a ticket as ConnectWise sends it, with at least ``ASSIGNMENT_FIELDS``.
    """
    if not any(ch in _LIKE_SPECIALS for ch in member.identifier):
        return None
    wanted = member.identifier.casefold()

    def check(row: Mapping[str, Any]) -> bool:
        owner = row.get("owner") if isinstance(row.get("owner"), Mapping) else None
        if owner is not None:
            if member.id is not None and owner.get("id") == member.id:
                return True
            if member.id is None and str(owner.get("identifier") or "").casefold() == wanted:
                return True
        resources = row.get("resources")
        return isinstance(resources, str) and resources_contains(resources, member.identifier)

    return check


def resources_contains(resources: str, identifier: str) -> bool:
    """Whether ``identifier`` is one whole item of a ``resources`` string (case-insensitive)."""
    wanted = identifier.strip().casefold()
    return any(item.strip().casefold() == wanted for item in resources.split(","))
