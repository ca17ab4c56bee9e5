"""What the service's parts share: the client, permission warnings, things seen in lists."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from psa.connectwise.client import ConnectWiseClient
from psa.connectwise.credentials import Credentials
from psa.connectwise.errors import PermissionDenied
from psa.models import PermissionWarning, TicketRow

T = TypeVar("T")

# What each degradable area needs when the 403 itself did not name it.
AREA_PERMISSIONS: dict[str, str] = {
    "members": "System > Member Maintenance (Inquire)",
    "boards": "System > Table Setup (Inquire)",
    "statuses": "System > Table Setup (Inquire)",
    "priorities": "System > Table Setup (Inquire)",
    "types": "System > Table Setup (Inquire)",
    "resources": "Service Desk > Resource Scheduling (Inquire)",
    "configurations": "Companies > Configurations (Inquire)",
    "companies": "Companies > Company Maintenance (Inquire)",
    "contacts": "Companies > Contacts (Inquire)",
    "identity": "System > Member Maintenance (Inquire)",
}

_CONSEQUENCES: dict[str, str] = {
    "members": "the member list is empty",
    "boards": "boards are taken from the tickets seen so far",
    "statuses": "statuses are taken from the tickets seen so far",
    "priorities": "priorities are taken from the tickets seen so far",
    "types": "ticket types and subtypes are not listed (tickets are created without them)",
    "resources": "co-assigned resources are not shown",
    "configurations": "configuration details are not shown",
    "companies": "companies cannot be searched",
    "contacts": "contacts cannot be searched",
    "identity": "the member list could not be read to find who you are",
}

SEEN_LIMIT = 5000


def warning_for(area: str, exc: PermissionDenied) -> PermissionWarning:
    """A permission warning the UI can show for a 403 in ``area``."""
    permission = exc.permission or AREA_PERMISSIONS.get(area, "a security-role permission")
    consequence = _CONSEQUENCES.get(area, f"{area} are not shown")
    return PermissionWarning(
        area=area,
        permission=permission,
        endpoint=exc.endpoint,
        message=f"The API member's security role lacks {permission}: {consequence}.",
    )


@dataclass
class ServiceContext:
    """Shared state of one open service (one client, one site)."""

    client: ConnectWiseClient
    creds: Credentials
    warnings: dict[str, PermissionWarning] = field(default_factory=dict)
    seen_boards: dict[int, str] = field(default_factory=dict)
    seen_priorities: dict[int, str] = field(default_factory=dict)
    seen_statuses: dict[tuple[int, int], tuple[str, bool]] = field(default_factory=dict)
    """(board id, status id) → (name, closed) of statuses seen on tickets."""
    seen_parents: dict[int, int | None] = field(default_factory=dict)

    def warn(self, area: str, exc: PermissionDenied) -> PermissionWarning:
        warning = warning_for(area, exc)
        self.warnings[area] = warning
        return warning

    def clear_warning(self, area: str) -> None:
        self.warnings.pop(area, None)

    async def degrade(
        self, area: str, fetch: Callable[[], Awaitable[T]], fallback: Callable[[], T]
    ) -> tuple[T, PermissionWarning | None]:
        """``fetch()``, or ``fallback()`` plus a recorded warning when the role lacks access."""
        try:
            value = await fetch()
        except PermissionDenied as exc:
            return fallback(), self.warn(area, exc)
        self.clear_warning(area)
        return value, None

    def note_rows(self, rows: tuple[TicketRow, ...] | list[TicketRow]) -> None:
        """Remember boards, statuses, priorities and parents of tickets seen (degradation and
        detail)."""
        if len(self.seen_parents) > SEEN_LIMIT:
            self.seen_parents.clear()
        for row in rows:
            if row.board_id is not None and row.board_name:
                self.seen_boards[row.board_id] = row.board_name
            if row.board_id is not None and row.status_id is not None and row.status_name:
                self.seen_statuses[(row.board_id, row.status_id)] = (row.status_name, row.closed)
            if row.priority_id is not None and row.priority_name:
                self.seen_priorities[row.priority_id] = row.priority_name
            self.seen_parents[row.id] = row.parent_ticket_id


class SingleFlight:
    """Concurrent callers of the same key share one fetch; results are cached until refreshed."""

    def __init__(self) -> None:
        self._values: dict[object, object] = {}
        self._locks: dict[object, asyncio.Lock] = {}

    async def get(self, key: object, fetch: Callable[[], Awaitable[T]], refresh: bool) -> T:
        lock = self._locks.setdefault(key, asyncio.Lock())
        if refresh:
            self._values.pop(key, None)
        async with lock:
            if key in self._values:
                return self._values[key]  # type: ignore[return-value]
            value = await fetch()
            self._values[key] = value
            return value

    def cached(self) -> list[tuple[object, object]]:
        """What is cached now, without fetching anything."""
        return list(self._values.items())

    def forget(self, key: object) -> None:
        self._values.pop(key, None)

    def clear(self) -> None:
        self._values.clear()
