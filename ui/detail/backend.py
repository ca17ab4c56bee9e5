"""What the detail dock needs from the psa ticket service (psa.TicketService satisfies it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from psa.models import (
    BoardStatusOption,
    ConfigurationItem,
    NoteKind,
    NoteOutcome,
    Option,
    PermissionWarning,
    Resource,
    TicketDetail,
    TicketRow,
)


class DetailBackend(Protocol):
    """The service calls the dock makes; structural, so tests can wrap the real service."""

    @property
    def client(self) -> Any: ...

    @property
    def warnings(self) -> tuple[PermissionWarning, ...]: ...

    async def ticket_detail(self, ticket_id: int, *, configuration_details: bool = True
                            ) -> TicketDetail: ...

    async def configuration_details(self, items: Sequence[ConfigurationItem]
                                    ) -> tuple[ConfigurationItem, ...]: ...

    async def statuses(self, board_id: int, *, refresh: bool = False
                       ) -> tuple[BoardStatusOption, ...]: ...

    async def members(self, *, refresh: bool = False) -> tuple[Option, ...]: ...

    async def update_status(self, ticket_id: int, status_id: int, *,
                            expected_last_updated: datetime | None = None) -> TicketRow: ...

    async def add_note(self, ticket_id: int, text: str, kind: NoteKind = "discussion", *,
                       status_id: int | None = None,
                       expected_last_updated: datetime | None = None) -> NoteOutcome: ...

    async def add_resource(self, ticket_id: int, member_id: int, *,
                           expected_last_updated: datetime | None = None
                           ) -> tuple[Resource, ...]: ...

    async def remove_resource(self, ticket_id: int, member_id: int, *,
                              expected_last_updated: datetime | None = None
                              ) -> tuple[Resource, ...]: ...


def warning_about(backend: DetailBackend, area: str) -> PermissionWarning | None:
    """The service's latest permission warning for ``area`` ("statuses", "members"...)."""
    return next((w for w in backend.warnings if w.area == area), None)
