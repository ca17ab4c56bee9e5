"""Helpers for the detail-dock tests: sandbox data lookups, a service wrapper, polling."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr

from psa import Credentials, TicketService, open_service
from psa.connectwise.retry import RetryPolicy
from psa.sandbox import Sandbox, SandboxConfig
from psa.sandbox.clock import FixedClock
from tests.ui.qt_harness import wait_for
from ui.detail.detail_dock import DetailDock

__all__ = ["wait_for"]

CLIENT_ID = "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"
START = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
MISSING_TICKET = 99_999


async def _no_sleep(_: float) -> None:
    return None


NO_WAIT = RetryPolicy(sleep=_no_sleep, max_attempts=2)


def config(**overrides: Any) -> SandboxConfig:
    values: dict[str, Any] = {"seed": 1, "tickets": 300, "clock": FixedClock(START)}
    values.update(overrides)
    return SandboxConfig(**values)


def creds(sb: Sandbox, kind: str = "sandbox") -> Credentials:
    return Credentials(site=sb.url, company_id="sandbox", public_key=f"{kind}-public",
                       private_key=SecretStr(f"{kind}-private"), client_id=CLIENT_ID)


@asynccontextmanager
async def service(sb: Sandbox, kind: str = "sandbox") -> AsyncIterator[TicketService]:
    async with open_service(creds(sb, kind), retry=NO_WAIT) as svc:
        yield svc


# ---------------------------------------------------------------------- store lookups


def tickets(sb: Sandbox) -> list[dict[str, Any]]:
    with sb.store.lock:
        return [dict(t) for t in sb.store.records("tickets")]


def ticket(sb: Sandbox, ticket_id: int) -> dict[str, Any]:
    with sb.store.lock:
        return dict(sb.store.ticket(ticket_id))


def notes(sb: Sandbox, ticket_id: int) -> list[dict[str, Any]]:
    with sb.store.lock:
        return [dict(n) for n in sb.store.notes(ticket_id, all_notes=True)]


def configuration_ids(sb: Sandbox, ticket_id: int) -> set[int]:
    with sb.store.lock:
        return {int(c["id"]) for c in sb.store.ticket_configurations(ticket_id)}


def pick(sb: Sandbox, want: Callable[[dict[str, Any]], bool], *, skip: int = 0) -> int:
    found = [t["id"] for t in tickets(sb) if want(t)]
    assert len(found) > skip, "the sandbox has no such ticket"
    return int(found[skip])


def open_on_board(sb: Sandbox, board: int, *, skip: int = 0, owner: bool | None = None) -> int:
    def want(t: dict[str, Any]) -> bool:
        if t.get("closedFlag") or t["board"]["id"] != board or t.get("mergedParentTicket"):
            return False
        return owner is None or bool(t.get("owner")) == owner

    return pick(sb, want, skip=skip)


def with_configurations(sb: Sandbox, *, skip: int = 0) -> int:
    return pick(sb, lambda t: bool(configuration_ids(sb, t["id"])) and len(
        notes(sb, t["id"])) >= 2, skip=skip)


def child_and_parent(sb: Sandbox) -> tuple[int, int]:
    child = pick(sb, lambda t: bool(t.get("parentTicketId")))
    return child, int(ticket(sb, child)["parentTicketId"])


def status_id(sb: Sandbox, board: int, name: str) -> int:
    with sb.store.lock:
        return next(int(s["id"]) for s in sb.store.board_statuses(board) if s["name"] == name)


def entries_for(sb: Sandbox, ticket_id: int) -> list[dict[str, Any]]:
    with sb.store.lock:
        return [dict(e) for e in sb.store.records("scheduleEntries")
                if e.get("objectId") == ticket_id and e["type"]["id"] == 4]


def member_id(sb: Sandbox, identifier: str) -> int:
    with sb.store.lock:
        return int(sb.store.member_by_identifier(identifier)["id"])


def touch(sb: Sandbox, ticket_id: int, summary: str) -> None:
    """Someone else changes the ticket on the server (a minute later)."""
    sb.control.advance_clock(60)
    sb.store.patch_ticket(ticket_id, [{"op": "replace", "path": "summary", "value": summary}],
                          member="jdoe")


# ---------------------------------------------------------------------- the UI side


class CountingService:
    """The real service, counting the mutations it is asked for per ticket (a fake's ledger)."""

    def __init__(self, inner: TicketService) -> None:
        self._inner = inner
        self.calls: Counter[tuple[str, int]] = Counter()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def update_status(self, ticket_id: int, status_id: int, **kw: Any) -> Any:
        self.calls["update_status", ticket_id] += 1
        return await self._inner.update_status(ticket_id, status_id, **kw)

    async def add_note(self, ticket_id: int, *args: Any, **kw: Any) -> Any:
        self.calls["add_note", ticket_id] += 1
        return await self._inner.add_note(ticket_id, *args, **kw)

    async def add_resource(self, ticket_id: int, member: int, **kw: Any) -> Any:
        self.calls["add_resource", ticket_id] += 1
        return await self._inner.add_resource(ticket_id, member, **kw)

    async def remove_resource(self, ticket_id: int, member: int, **kw: Any) -> Any:
        self.calls["remove_resource", ticket_id] += 1
        return await self._inner.remove_resource(ticket_id, member, **kw)


async def loaded(dock: DetailDock, ticket_id: int) -> None:
    """Show a ticket and wait until every section is in."""
    await asyncio.wait_for(dock.open_and_wait(ticket_id), 15)


async def settle(dock: DetailDock) -> None:
    """Wait for every task the dock started (loads, changes) and every draft write."""
    await wait_for(lambda: dock.tasks.pending() == 0)
    await dock.drafts.flush()


def consistent(dock: DetailDock) -> bool:
    """Every part of the panel shows the same ticket (or a placeholder of it)."""
    return len(dock.panel.shown_ticket_ids() - {None}) <= 1
