"""Time a sandbox list page (conditions + orderBy + pageSize 50) over 100,000 tickets."""

from __future__ import annotations

import argparse
import base64
import os
import platform
import statistics
import time

import httpx2

from psa.sandbox import Sandbox, SandboxConfig

CLIENT_ID = "3f2b7c9e-1d4a-4e8b-9c6f-2a5d8e7b1c30"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    with Sandbox(SandboxConfig(seed=1, tickets=args.tickets)) as sb:
        built = time.perf_counter() - started
        token = base64.b64encode(b"sandbox+sandbox-public:sandbox-private").decode()
        headers = {"Authorization": f"Basic {token}", "clientId": CLIENT_ID}
        with httpx2.Client(base_url=sb.api_url, headers=headers, timeout=120) as client:
            board = client.get("/service/tickets", params={"pageSize": 1}).json()[0]["board"]["id"]
            conditions = f'board/id = {board} and closedFlag = false and summary contains "e"'
            order = "priority/id asc, _info/lastUpdated desc"

            def page(n: int, extra: dict[str, str] | None = None) -> float:
                params = {"conditions": conditions, "orderBy": order, "pageSize": "50"}
                params["page"] = str(n)
                params.update(extra or {})
                t0 = time.perf_counter()
                r = client.get("/service/tickets", params=params)
                r.raise_for_status()
                return time.perf_counter() - t0

            cold = page(1)
            warm = [page(n) for n in range(2, 2 + args.repeats)]
            # a new condition each time defeats the server's result cache
            uncached = [
                page(1, {"conditions": conditions + f" and id != {n}"}) for n in range(args.repeats)
            ]
            t0 = time.perf_counter()
            count = client.get("/service/tickets/count", params={"conditions": conditions})
            counted = time.perf_counter() - t0

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"dataset: {args.tickets:,} tickets, seed 1 (built in {built:.1f} s)")
    print(f"request: GET /service/tickets conditions={conditions!r} orderBy={order!r} pageSize=50")
    print(f"  first page (filter + sort, cold):     {cold * 1000:8.1f} ms")
    print(
        f"  uncached filter + sort, median of {args.repeats}:  "
        f"{statistics.median(uncached) * 1000:8.1f} ms"
    )
    print(
        f"  later pages (cached), median of {args.repeats}:    "
        f"{statistics.median(warm) * 1000:8.1f} ms"
    )
    print(f"  count ({count.json()['count']:,} matches):              {counted * 1000:8.1f} ms")
    print("loopback, no added latency, no faults, in-process server thread")


if __name__ == "__main__":
    main()
