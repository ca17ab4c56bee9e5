"""Fetching every one of 5,000 tickets: our client vs pyconnectwise, same sandbox, same latency.

Run: ``.venv/bin/python bench/psa_fetch_all.py [--tickets 5000] [--latency-ms 100]``

Ours: ``ConnectWiseClient.list_all`` — ``/count`` and page 1 together, then the remaining pages
with bounded parallelism (4), pages of 1,000. pyconnectwise (a benchmark-only dependency:
``pip install pyconnectwise``; never a project dependency) pages sequentially through its
``paginated(...).all()``; its URL method is overridden to point at the sandbox, and the
codebase is passed in because its discovery hard-codes https. Both fetch complete records;
ours is also shown with the list's ``fields=`` projection. Target (issue 3): ≥ 4× faster.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import time
from collections.abc import Callable
from typing import Any

import httpx2
from pydantic import SecretStr

from psa import Credentials
from psa.connectwise.client import ConnectWiseClient
from psa.models import LIST_FIELDS
from psa.sandbox import spawn_sandbox

CLIENT_ID = "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"
PAGE = 1000


async def ours(url: str, fields: tuple[str, ...] | None) -> tuple[float, int, int]:
    creds = Credentials(site=url, company_id="sandbox", public_key="sandbox-public",
                        private_key=SecretStr("sandbox-private"), client_id=CLIENT_ID)
    async with ConnectWiseClient(creds, timeout=httpx2.Timeout(120.0)) as client:
        await client.api_base()  # discovery is once per session, not part of the fetch
        before = client.stats.requests
        started = time.perf_counter()
        rows = await client.list_all("/service/tickets", fields=fields, page_size=PAGE,
                                     parallel=4)
        wall = time.perf_counter() - started
        return wall, len(rows), client.stats.requests - before


def theirs(api_url: str) -> tuple[float, int, int]:
    """pyconnectwise, pointed at the sandbox; None if it is not installed."""
    from pyconnectwise import ConnectWiseManageAPIClient

    class SandboxManageClient(ConnectWiseManageAPIClient):  # type: ignore[misc,unused-ignore]
        def _get_url(self) -> str:
            return api_url

    client = SandboxManageClient("sandbox", "unused", CLIENT_ID, "sandbox-public",
                                 "sandbox-private", codebase="v4_6_release/")
    started = time.perf_counter()
    pages = client.service.tickets.paginated(1, PAGE)
    count, requests = 0, 1
    while pages.has_data:
        count += len(pages.data)
        pages.get_next_page()
        requests += 1
    return time.perf_counter() - started, count, requests


def median_run(runs: int, fetch: Callable[[], tuple[float, int, int]]) -> tuple[float, int, int]:
    results = sorted((fetch() for _ in range(runs)), key=lambda r: r[0])
    return results[len(results) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: list[tuple[str, Any]] = []
    with spawn_sandbox(["--tickets", str(args.tickets), "--latency-ms",
                        str(args.latency_ms)]) as box:
        # The sandbox computes some things on first use: warm it so neither client pays it.
        asyncio.run(ours(box.url, None))
        results.append(("psa ConnectWiseClient.list_all (full records)",
                        median_run(args.runs, lambda: asyncio.run(ours(box.url, None)))))
        results.append(("psa ConnectWiseClient.list_all (fields= of the list)",
                        median_run(args.runs, lambda: asyncio.run(ours(box.url, LIST_FIELDS)))))
        try:
            results.append(("pyconnectwise paginated().all() (full records)",
                            median_run(args.runs, lambda: theirs(box.api_url))))
        except ImportError:
            results.append(("pyconnectwise: not installed (pip install pyconnectwise)", None))
    print(f"Conditions: sandbox child process on loopback (warmed), {args.tickets} tickets, "
          f"{args.latency_ms} ms injected latency per response, pages of {PAGE}, median of "
          f"{args.runs} runs, Python {platform.python_version()} on {platform.machine()}")
    print(f"{'client':56} {'wall s':>7} {'tickets':>8} {'requests':>9}")
    for name, result in results:
        if result is None:
            print(name)
            continue
        wall, count, requests = result
        print(f"{name:56} {wall:7.2f} {count:8d} {requests:9d}")
    if results[-1][1] is not None:
        print(f"speed-up, full records: {results[-1][1][0] / results[0][1][0]:.1f}x")


if __name__ == "__main__":
    main()
