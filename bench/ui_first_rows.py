"""Window shown → first rows, in round trips, with the sandbox at injected latency.

Run: ``.venv/bin/python bench/ui_first_rows.py [--latency-ms 100] [--runs 5]``

Three cases, each timed from just before the window is built (it is shown at once) to the
moment the rows are in the table model:

- cold: a new service (site discovery on the critical path), no cache;
- warm: the service already connected and its lookups cached (a second window, or the app
  after the connection check), no cache;
- cached: as warm, plus the list cache of the last run: cached rows are shown first (no round
  trip), fresh ones replace them.

Round trips = wall time / latency (concurrent requests overlap); requests are counted with the
client's stats. Target (issue 4): first fresh rows within 1.2 round trips with lookups cached,
cached rows at once.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from ui_support import conditions, run_qt, sandbox_service, temp_settings, until

from psa.list_cache import ListCache
from psa.service import TicketService
from ui.main_window import MainWindow


async def one_window(svc: TicketService, cache: ListCache | None) -> tuple[float, float | None,
                                                                          int]:
    """(seconds to fresh rows, seconds to cached rows or None, requests until fresh rows)."""
    before = svc.client.stats.requests
    cached_at: list[float] = []
    fresh_at: list[float] = []
    started = time.perf_counter()
    window = MainWindow(svc, temp_settings(), cache=cache)
    controller = window.page.controller
    controller.cached_shown.connect(lambda _t: cached_at.append(time.perf_counter()))
    controller.first_page_loaded.connect(lambda: fresh_at.append(time.perf_counter()))
    window.show()
    await until(lambda: bool(fresh_at))
    requests = svc.client.stats.requests - before
    window.close()
    window.deleteLater()
    cached = cached_at[0] - started if cached_at else None
    return fresh_at[0] - started, cached, requests


async def run(latency_ms: int, runs: int) -> None:
    latency = latency_ms / 1000
    cache = ListCache(Path(tempfile.mkdtemp(prefix="dd-bench-")) / "lists.sqlite3")
    cold: list[tuple[float, int]] = []
    for _ in range(runs):
        async with sandbox_service(latency_ms=latency_ms) as svc:
            fresh, _cached, requests = await one_window(svc, None)
            cold.append((fresh, requests))
    async with sandbox_service(latency_ms=latency_ms) as svc:
        await one_window(svc, cache)  # connects, caches lookups and fills the list cache
        warm = [await one_window(svc, None) for _ in range(runs)]
        cached = [await one_window(svc, cache) for _ in range(runs)]

    print(f"window shown → first rows; {conditions(latency_ms=latency_ms, runs=runs)}")
    report("cold (new connection)", [f for f, _ in cold], [r for _, r in cold], latency)
    report("warm (lookups cached)", [f for f, _, _ in warm], [r for _, _, r in warm], latency)
    report("cached list, fresh rows", [f for f, _, _ in cached], [r for _, _, r in cached],
           latency)
    shown = [c for _, c, _ in cached if c is not None]
    if shown:
        print(f"  cached list, cached rows shown: {statistics.mean(shown) * 1000:6.1f} ms "
              f"= {statistics.mean(shown) / latency:.2f} round trips (from the local cache)")


def report(name: str, walls: list[float], requests: list[int], latency: float) -> None:
    wall = statistics.mean(walls)
    print(f"  {name:26s} {wall * 1000:6.1f} ms = {wall / latency:.2f} round trips "
          f"(max {max(walls) / latency:.2f}); {statistics.mean(requests):.1f} requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run_qt(lambda: run(args.latency_ms, args.runs))


if __name__ == "__main__":
    main()
