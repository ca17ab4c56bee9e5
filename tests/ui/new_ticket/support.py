"""Helpers for the New Ticket dialog tests: sandbox data, the service, filling the form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx2
from pydantic import SecretStr

from psa import Credentials, TicketService, open_service
from psa.connectwise.retry import RetryPolicy
from psa.intake.service import IntakeService
from psa.sandbox import Sandbox, SandboxConfig
from psa.sandbox.clock import FixedClock
from tests.psa.intake.conftest import FakeClaude
from tests.psa.intake.conftest import settings as claude_settings
from tests.ui.qt_harness import wait_for
from ui.new_ticket.new_ticket_dialog import NewTicketDialog

__all__ = ["wait_for"]

CLIENT_ID = "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"
START = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
CONTOSO = 4
CONTOSO_LABEL = "Contoso Dental Group (ContosoDental)"
AISHA = 203
HELP_DESK = 1
NEW_STATUS = 21


async def _no_sleep(_: float) -> None:
    return None


NO_WAIT = RetryPolicy(sleep=_no_sleep, max_attempts=2)


def config(**overrides: Any) -> SandboxConfig:
    values: dict[str, Any] = {"seed": 1, "tickets": 300, "clock": FixedClock(START)}
    values.update(overrides)
    return SandboxConfig(**values)


def creds(sb: Sandbox) -> Credentials:
    return Credentials(site=sb.url, company_id="sandbox", public_key="sandbox-public",
                       private_key=SecretStr("sandbox-private"), client_id=CLIENT_ID)


@asynccontextmanager
async def service(sb: Sandbox, *, transport: httpx2.AsyncBaseTransport | None = None,
                  timeout: httpx2.Timeout | None = None) -> AsyncIterator[TicketService]:
    kwargs: dict[str, Any] = {"retry": NO_WAIT}
    if transport is not None:
        kwargs["transport"] = transport
    if timeout is not None:
        kwargs["timeout"] = timeout
    async with open_service(creds(sb), **kwargs) as svc:
        yield svc


def claude_intake(fake: FakeClaude, **overrides: Any) -> IntakeService:
    """An IntakeService with a key whose requests go to ``fake``."""
    return IntakeService(claude_settings(**overrides), http_client=fake.client())


# ---------------------------------------------------------------------- sandbox data


def tickets(sb: Sandbox) -> list[dict[str, Any]]:
    with sb.store.lock:
        return [dict(t) for t in sb.store.records("tickets")]


def with_summary(sb: Sandbox, summary: str) -> list[dict[str, Any]]:
    return [t for t in tickets(sb) if t.get("summary") == summary]


def ticket(sb: Sandbox, ticket_id: int) -> dict[str, Any]:
    with sb.store.lock:
        return dict(sb.store.ticket(ticket_id))


def contact(sb: Sandbox, contact_id: int) -> dict[str, Any]:
    with sb.store.lock:
        return next(dict(c) for c in sb.store.records("contacts") if c["id"] == contact_id)


def open_ticket_with_contact(sb: Sandbox, *, skip: int = 0) -> int:
    found = [t["id"] for t in tickets(sb) if t.get("contact") and not t.get("closedFlag")
             and not t.get("mergedParentTicket") and t["board"]["id"] == HELP_DESK]
    return int(found[skip])


# ---------------------------------------------------------------------- the dialog


async def ready(dialog: NewTicketDialog) -> None:
    """Wait until the dialog's lists, draft and drafting are all in."""
    await wait_for(lambda: dialog.pending() == 0)


def choose_company(dialog: NewTicketDialog, company_id: int, label: str) -> None:
    """What picking a company from the search popup does."""
    picker = dialog.form.company
    picker.set_current_value(company_id, label)
    picker.value_chosen.emit(company_id)


def choose(combo: Any, value: Any) -> None:
    """Pick the entry holding ``value`` as the dispatcher would (index + activated)."""
    index = combo.findData(value)
    assert index >= 0, f"{value!r} is not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


async def fill_valid(dialog: NewTicketDialog, summary: str) -> None:
    """Company, board (its statuses loaded) and a summary: the minimum Create accepts."""
    await ready(dialog)
    choose_company(dialog, CONTOSO, CONTOSO_LABEL)
    choose(dialog.form.board, HELP_DESK)
    await ready(dialog)
    dialog.form.summary.setText(summary)
