"""What the ticket list needs from the psa ticket service (psa.TicketService satisfies it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from psa.filters import TicketFilters
from psa.models import (
    BoardStatusOption,
    Option,
    PermissionWarning,
    SlaState,
    StatusOption,
    TicketPage,
)


class TicketsBackend(Protocol):
    """The service calls the list screen makes; a structural type, so tests can wrap it."""

    @property
    def warnings(self) -> tuple[PermissionWarning, ...]: ...

    async def search_tickets(
        self, filters: TicketFilters, page: int = 1, page_size: int = 50
    ) -> TicketPage: ...

    async def ticket_id_at(self, filters: TicketFilters, position: int) -> int | None: ...

    async def boards(self, *, refresh: bool = False) -> tuple[Option, ...]: ...

    async def statuses(
        self, board_id: int, *, refresh: bool = False
    ) -> tuple[BoardStatusOption, ...]: ...

    async def all_statuses(self, *, refresh: bool = False) -> tuple[StatusOption, ...]: ...

    async def priorities(self, *, refresh: bool = False) -> tuple[Option, ...]: ...

    async def members(self, *, refresh: bool = False) -> tuple[Option, ...]: ...

    async def companies(self, text: str, *, limit: int = 25) -> tuple[Option, ...]: ...

    async def company(self, company_id: int) -> Option | None: ...

    async def sla_now(self, ticket_ids: Iterable[int]) -> dict[int, SlaState]: ...
