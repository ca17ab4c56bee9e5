"""Ticket-list test fixtures: the sandbox on loopback, the real psa service, a recording wrapper.

Also guards against PySide6 6.12 dropping references to None and True (see
ui.pyside_refcount_fix): model tests emit thousands of signals.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from psa import Credentials, TicketFilters, open_service
from psa.models import TicketPage
from psa.sandbox import Sandbox, SandboxConfig
from psa.sandbox.clock import FixedClock
from psa.service import TicketService
from ui.pyside_refcount_fix import keep_singletons_alive

keep_singletons_alive()

CLIENT_ID = "3f2b7c9e-1d4a-4e8b-9c6f-2a5d8e7b1c30"
START = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # a Friday afternoon, in business hours


def sandbox_config(tickets: int = 300) -> SandboxConfig:
    return SandboxConfig(seed=1, tickets=tickets, clock=FixedClock(START))


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One shared sandbox; tests using it must not change its data or settings."""
    with Sandbox(sandbox_config()) as sb:
        yield sb


@pytest.fixture
def fresh_sandbox() -> Iterator[Sandbox]:
    """A sandbox of the test's own, for tests that change tickets."""
    with Sandbox(sandbox_config(tickets=120)) as sb:
        yield sb


def credentials(sb: Sandbox, key: str = "sandbox") -> Credentials:
    return Credentials(site=sb.url, company_id="sandbox", public_key=f"{key}-public",
                       private_key=f"{key}-private", client_id=CLIENT_ID)


@asynccontextmanager
async def service_for(sb: Sandbox, key: str = "sandbox") -> AsyncIterator[TicketService]:
    """The real ticket service on the sandbox, opened on the running (test) loop."""
    async with open_service(credentials(sb, key)) as svc:
        yield svc


@dataclass
class Recording:
    """A TicketsBackend that forwards to the real service and records every search.

    `hold` makes searches matching a predicate wait until released: a slow reply on demand.
    """

    service: TicketService
    searches: list[tuple[TicketFilters, int, int]] = field(default_factory=list)
    holds: list[tuple[Callable[[TicketFilters, int], bool], asyncio.Event]] = field(
        default_factory=list
    )
    fail_with: BaseException | None = None

    @property
    def warnings(self) -> Any:
        return self.service.warnings

    def hold(self, when: Callable[[TicketFilters, int], bool]) -> asyncio.Event:
        release = asyncio.Event()
        self.holds.append((when, release))
        return release

    async def search_tickets(self, filters: TicketFilters, page: int = 1,
                             page_size: int = 50) -> TicketPage:
        self.searches.append((filters, page, page_size))
        for when, release in list(self.holds):
            if when(filters, page):
                await release.wait()
        if self.fail_with is not None:
            raise self.fail_with
        return await self.service.search_tickets(filters, page=page, page_size=page_size)

    def list_searches(self, page_size: int | None = None) -> list[tuple[TicketFilters, int]]:
        """Searches of the list itself (view counts ask for one row: page_size 1)."""
        return [(f, p) for f, p, s in self.searches if s != 1 and (page_size in (None, s))]

    async def sla_now(self, ticket_ids: Iterable[int]) -> Any:
        return await self.service.sla_now(ticket_ids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.service, name)
