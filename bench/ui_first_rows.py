"""Window shown → first rows, in round trips, with the sandbox at injected latency.

Run: ``.venv/bin/python bench/ui_first_rows.py [--latency-ms 100] [--runs 5]``

Three cases, each timed to the moment the rows are in the table model, from the window's
first paint (when the user sees it) and, in brackets, from just before it is built:

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
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget
from typing_extensions import override
from ui_support import conditions, run_qt, sandbox_service, temp_settings, until

from psa.list_cache import ListCache
from psa.service import TicketService
from ui.main_window import MainWindow


class _FirstPaint(QObject):
    """Notes when the window is first painted (the moment the user sees it)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.at: float | None = None
        window.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False


@dataclass
class Run:
    """One window's figures, in seconds."""

    fresh: float           # painted → fresh rows
    fresh_built: float     # built → fresh rows
    cached: float | None   # painted → cached rows
    requests: int          # requests sent until the fresh rows were in


async def one_window(svc: TicketService, cache: ListCache | None) -> Run:
    """Open a window, wait for its fresh first page, close it."""
    before = svc.client.stats.requests
    cached_at: list[float] = []
    fresh_at: list[tuple[float, int]] = []
    started = time.perf_counter()
    window = MainWindow(svc, temp_settings(), cache=cache)
    painted = _FirstPaint(window)
    controller = window.page.controller
    controller.cached_shown.connect(lambda _t: cached_at.append(time.perf_counter()))
    controller.first_page_loaded.connect(
        lambda: fresh_at.append((time.perf_counter(), svc.client.stats.requests - before))
    )
    window.show()
    await until(lambda: bool(fresh_at) and painted.at is not None)
    await asyncio.sleep(0.5)  # let the lookups settle, as they would while the user reads
    window.close()
    window.deleteLater()
    assert painted.at is not None
    fresh, requests = fresh_at[0]
    return Run(fresh=fresh - painted.at, fresh_built=fresh - started,
               cached=cached_at[0] - painted.at if cached_at else None, requests=requests)


async def run(latency_ms: int, runs: int) -> None:
    latency = latency_ms / 1000
    cache = ListCache(Path(tempfile.mkdtemp(prefix="dd-bench-")) / "lists.sqlite3")
    cold: list[Run] = []
    for _ in range(runs):
        async with sandbox_service(latency_ms=latency_ms) as svc:
            cold.append(await one_window(svc, None))
    async with sandbox_service(latency_ms=latency_ms) as svc:
        await one_window(svc, cache)  # connects, caches lookups and fills the list cache
        warm = [await one_window(svc, None) for _ in range(runs)]
        cached = [await one_window(svc, cache) for _ in range(runs)]

    print(f"window shown → first rows; {conditions(latency_ms=latency_ms, runs=runs)}")
    report("cold (new connection)", cold, latency)
    report("warm (lookups cached)", warm, latency)
    report("cached list, fresh rows", cached, latency)
    shown = [r.cached for r in cached if r.cached is not None]
    if shown:
        print(f"  cached list, cached rows    {statistics.mean(shown) * 1000:6.1f} ms "
              f"= {statistics.mean(shown) / latency:.2f} round trips after the first paint "
              f"(read from the local cache, no request)")


def report(name: str, runs: list[Run], latency: float) -> None:
    fresh = statistics.mean(r.fresh for r in runs)
    built = statistics.mean(r.fresh_built for r in runs)
    print(f"  {name:26s} {fresh * 1000:6.1f} ms = {fresh / latency:.2f} round trips after the "
          f"first paint (max {max(r.fresh for r in runs) / latency:.2f}; "
          f"{built / latency:.2f} from building the window); "
          f"{statistics.mean(r.requests for r in runs):.1f} requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run_qt(lambda: run(args.latency_ms, args.runs))


if __name__ == "__main__":
    main()
