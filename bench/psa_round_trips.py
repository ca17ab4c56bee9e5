"""Round trips on the critical path of search_tickets and ticket detail, at injected latency.

Run: ``.venv/bin/python bench/psa_round_trips.py [--latency-ms 100] [--runs 5]``

A sandbox child process adds the latency to every response (concurrent requests overlap), so
wall time / latency is the number of round trips on the critical path; requests are counted
with the client's stats. Targets (issue 3): search and detail 1.0–1.2, detail with
configuration details ≤ 2.2.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx2
from pydantic import SecretStr

from psa import Credentials, TicketFilters, TicketService, open_service
from psa.sandbox import spawn_sandbox

CLIENT_ID = "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"


async def measure(svc: TicketService, runs: int, latency: float,
                  action: Callable[[], Awaitable[Any]]) -> tuple[float, float, float]:
    """Mean wall seconds, mean round trips (wall / latency) and requests per run."""
    walls: list[float] = []
    requests = 0
    for _ in range(runs):
        before = svc.client.stats.requests
        started = time.perf_counter()
        await action()
        walls.append(time.perf_counter() - started)
        requests += svc.client.stats.requests - before
    wall = statistics.mean(walls)
    return wall, (wall / latency if latency else 0.0), requests / runs


async def ids(svc: TicketService) -> tuple[int, int]:
    """A child ticket (for related tickets) and a ticket with configurations."""
    rows = await svc.client.list_all("/service/tickets", conditions="parentTicketId != null",
                                     fields=["id"])
    child = int(rows[0]["id"])
    for page in range(1, 4):
        batch = await svc.search_tickets(TicketFilters(include_closed=True), page=page,
                                         page_size=100)
        for row in batch.items:
            refs = await svc.client.list(f"/service/tickets/{row.id}/configurations")
            if refs:
                return child, row.id
    raise RuntimeError("no ticket with configurations in the sandbox")


async def set_latency(url: str, latency_ms: int) -> None:
    async with httpx2.AsyncClient() as http:
        answer = await http.post(f"{url}/_sandbox/config", json={"latency_ms": latency_ms})
        answer.raise_for_status()


Row = tuple[str, float, float, float, float]


async def bench(url: str, latency_ms: int, runs: int) -> list[Row]:
    creds = Credentials(site=url, company_id="sandbox", public_key="sandbox-public",
                        private_key=SecretStr("sandbox-private"), client_id=CLIENT_ID)
    latency = latency_ms / 1000
    async with open_service(creds, timeout=httpx2.Timeout(30.0)) as svc:
        child, configured = await ids(svc)
        await svc.members()  # lookups and identity are cached for the session in the app too
        await svc.whoami()
        # The list the dispatcher clicked in: it tells the service each row's parent.
        await svc.search_tickets(TicketFilters(include_closed=True), page_size=1000)
        board = TicketFilters(board_id=1)
        text = TicketFilters(query="printer")
        rows: list[Row] = []
        cases: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            ("search_tickets (board filter, page of 50)",
             lambda: svc.search_tickets(board, page=1, page_size=50)),
            ("search_tickets (free text 'printer')",
             lambda: svc.search_tickets(text, page=1, page_size=50)),
            ("search_tickets (assigned = me)",
             lambda: svc.search_tickets(TicketFilters(assigned="me"), page_size=50)),
            ("ticket_detail, no configuration details (child ticket)",
             lambda: svc.ticket_detail(child, configuration_details=False)),
            ("ticket_detail with configuration details",
             lambda: svc.ticket_detail(configured, configuration_details=True)),
        ]
        for name, action in cases:
            await set_latency(url, 0)
            base, _, _ = await measure(svc, runs, latency, action)
            await set_latency(url, latency_ms)
            wall, trips, requests = await measure(svc, runs, latency, action)
            rows.append((name, wall, trips, (wall - base) / latency, requests))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tickets", type=int, default=300)
    args = parser.parse_args()
    with spawn_sandbox(["--tickets", str(args.tickets), "--latency-ms",
                        str(args.latency_ms)]) as box:  # latency is set per case below
        rows = asyncio.run(bench(box.url, args.latency_ms, args.runs))
    print(f"Conditions: sandbox child process on loopback, {args.tickets} tickets, "
          f"{args.latency_ms} ms injected latency per response, {args.runs} runs each, "
          f"warm client (codebase discovered, members cached), Python "
          f"{platform.python_version()} on {platform.machine()}")
    print("round trips = wall / latency; latency-only = (wall - wall at 0 ms) / latency, i.e.")
    print("without the sandbox's own processing time (a pure-Python server on this machine)")
    print(f"{'operation':56} {'wall ms':>8} {'round trips':>12} {'latency-only':>13} "
          f"{'requests':>9}")
    for name, wall, trips, pure, requests in rows:
        print(f"{name:56} {wall * 1000:8.0f} {trips:12.2f} {pure:13.2f} {requests:9.1f}")


if __name__ == "__main__":
    main()
