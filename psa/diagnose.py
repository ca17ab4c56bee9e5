"""Probe every endpoint the app reads and say which security-role permissions are missing.

Only reads are probed (Inquire); Add/Edit/Delete would change data. A 403 means the role lacks
the permission (MISSING); any other failure is an ERROR with its message. Endpoints under one
ticket or board use an id found by the first probes; when none is found they use id 1, where a
404 still proves the permission (ConnectWise checks the role before looking the record up).

Service Desk > Close Service Tickets (Inquire) is listed as UNCHECKED ("not checkable from
here"): no read answers differently without it that a probe could see (a list of closed tickets
answers the same with or without it), so claiming OK would be a guess. UNCHECKED does not fail
the diagnosis.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from psa.connectwise.client import ConnectWiseClient
from psa.connectwise.conditions import F
from psa.connectwise.credentials import Credentials
from psa.connectwise.errors import ConnectWiseError, NotFound, PermissionDenied

Outcome = Literal["OK", "MISSING", "ERROR", "UNCHECKED"]
NOT_CHECKABLE = ("not checkable from here: no read shows whether the role has it; check the "
                 "security role in ConnectWise")


@dataclass(frozen=True)
class ProbeResult:
    """One probed endpoint: which permission it shows, and whether the key has it."""

    module: str
    action: str
    endpoint: str
    outcome: Outcome
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Probe:
    module: str
    action: str
    endpoint: str
    call: Callable[[ConnectWiseClient], Awaitable[Any]] | None
    not_found_ok: bool = False


async def _run(probe: Probe, client: ConnectWiseClient) -> ProbeResult:
    def result(outcome: Outcome, detail: str = "") -> ProbeResult:
        return ProbeResult(probe.module, probe.action, probe.endpoint, outcome, detail)

    if probe.call is None:
        return result("UNCHECKED", NOT_CHECKABLE)
    try:
        await probe.call(client)
    except PermissionDenied as exc:
        return result("MISSING", exc.message)
    except NotFound as exc:
        return result("OK") if probe.not_found_ok else result("ERROR", exc.message)
    except ConnectWiseError as exc:
        return result("ERROR", exc.message)
    return result("OK")


def _list(path: str, **kw: Any) -> Callable[[ConnectWiseClient], Awaitable[Any]]:
    return lambda client: client.list(path, page_size=1, fields=["id"], **kw)


def _first_probes() -> list[Probe]:
    sd, sys_, co = "Service Desk", "System", "Companies"
    return [
        Probe(sd, "Service Tickets (Inquire)", "GET /service/tickets",
              _list("/service/tickets")),
        Probe(sd, "Service Tickets (Inquire)", "GET /service/tickets/count",
              lambda c: c.count("/service/tickets")),
        Probe(sd, "Close Service Tickets (Inquire)", "(no probe)", None),
        Probe(sd, "Resource Scheduling (Inquire)", "GET /schedule/entries",
              _list("/schedule/entries")),
        Probe(sys_, "Table Setup (Inquire)", "GET /service/boards", _list("/service/boards")),
        Probe(sys_, "Table Setup (Inquire)", "GET /service/priorities",
              _list("/service/priorities")),
        Probe(sys_, "Member Maintenance (Inquire)", "GET /system/members",
              _list("/system/members")),
        Probe(sys_, "Member Maintenance (Inquire)", "GET /system/myAccount",
              lambda c: c.get_json("/system/myAccount")),
        Probe(co, "Company Maintenance (Inquire)", "GET /company/companies",
              _list("/company/companies")),
        Probe(co, "Contacts (Inquire)", "GET /company/contacts", _list("/company/contacts")),
        Probe(co, "Configurations (Inquire)", "GET /company/configurations",
              _list("/company/configurations")),
    ]


def _ticket_probes(ticket_id: int, board_id: int) -> list[Probe]:
    sd = "Service Desk"
    t = f"/service/tickets/{ticket_id}"
    return [
        Probe(sd, "Service Tickets (Inquire)", "GET /service/tickets/{id}",
              lambda c: c.get_json(t), not_found_ok=True),
        Probe(sd, "Service Tickets (Inquire)", "GET /service/tickets/{id}/allNotes",
              _list(f"{t}/allNotes"), not_found_ok=True),
        Probe(sd, "Service Tickets (Inquire)", "GET /service/tickets/calculateSla",
              _list("/service/tickets/calculateSla", conditions=F("id") == ticket_id)),
        Probe("Companies", "Configurations (Inquire)",
              "GET /service/tickets/{id}/configurations", _list(f"{t}/configurations"),
              not_found_ok=True),
        Probe("System", "Table Setup (Inquire)", "GET /service/boards/{id}/statuses",
              _list(f"/service/boards/{board_id}/statuses"), not_found_ok=True),
        Probe("System", "Table Setup (Inquire)", "GET /service/boards/{id}/types",
              _list(f"/service/boards/{board_id}/types"), not_found_ok=True),
    ]


async def _some_ids(client: ConnectWiseClient) -> tuple[int, int]:
    """A ticket id and a board id to probe the per-record endpoints with (1 when unknown)."""
    try:
        rows = await client.list("/service/tickets", page_size=1, fields=["id", "board/id"])
    except ConnectWiseError:
        return 1, 1
    if not rows:
        return 1, 1
    board = rows[0].get("board")
    board_id = board.get("id") if isinstance(board, dict) else None
    return int(rows[0]["id"]), board_id if isinstance(board_id, int) else 1


async def probe_all(creds: Credentials) -> list[ProbeResult]:
    """Probe every endpoint; raises only when the site or the credentials fail outright."""
    async with ConnectWiseClient(creds) as client:
        await client.get_json("/system/info")  # AuthFailed / Unreachable: nothing else works
        firsts = await asyncio.gather(*(_run(p, client) for p in _first_probes()))
        ticket_id, board_id = await _some_ids(client)
        seconds = await asyncio.gather(
            *(_run(p, client) for p in _ticket_probes(ticket_id, board_id))
        )
    order = {"Service Desk": 0, "System": 1, "Companies": 2}
    return sorted([*firsts, *seconds], key=lambda r: (order.get(r.module, 9), r.action))
