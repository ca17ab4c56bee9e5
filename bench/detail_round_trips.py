"""Ticket detail dock: selection to sections loaded, in round trips; cached revisit, in ms.

Conditions: a sandbox child process (``python -m psa.sandbox --latency-ms 100``, defaults
otherwise) and the real service and dock, offscreen. The app's state when a dispatcher clicks
a row is reproduced first: the site is discovered and the list's first page is loaded (which
tells the service each ticket's parent). "Statuses warm" also loads every board's statuses, as
the list's filter toolbar does; "statuses cold" does not, so the clicked ticket's board
statuses are fetched by the dock itself (started at once from the list row's board).

Figures: time from ``follow_selection`` (a row selected) to ``sections_loaded`` (header,
notes, configuration references, related, resources painted) and to ``all_sections_loaded``
(configuration records and the status dropdown too), divided by the latency: round trips.
Beside the timings, the requests are counted in "waves" (requests sent together share one;
a request sent after an answer arrived starts the next): the round trips on the critical path,
independent of the machine's speed. Counting makes each request yield to the loop a few times
before it leaves, which costs time of its own, so waves are counted in a separate pass over
other tickets and the timed pass sends requests straight through.
Cached revisit: time from ``show_ticket`` of a ticket viewed a moment ago until its content is
painted from the cache (a synchronous ``repaint()`` included). Targets (issue 5): ≤ 1.3 and
≤ 2.3 round trips, < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx2
import qasync
from pydantic import SecretStr
from PySide6.QtWidgets import QApplication

from psa import Credentials, TicketFilters, TicketService, open_service
from psa.drafts import DraftStore
from psa.models import TicketRow
from psa.sandbox import spawn_sandbox
from ui.detail.detail_dock import DetailDock
from ui.pyside_refcount_fix import keep_singletons_alive

CLIENT_ID = "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"
OFF_PATH = "/system/members"
"""The member picker's list, read once beside the first ticket: never waited for by a section."""


class WaveTransport(httpx2.AsyncBaseTransport):
    """Counts the waves of requests: how many round trips one user action waited for."""

    def __init__(self) -> None:
        self._inner = httpx2.AsyncHTTPTransport()
        self.counting = True
        """Off for timed passes: requests go straight through, uncounted."""
        self.wave = 0
        self._open = False
        self.sent: list[tuple[int, str]] = []

    def reset(self) -> None:
        self.wave, self._open, self.sent = 0, False, []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path.split("/apis/3.0", 1)[-1]
        if not self.counting or path.startswith(OFF_PATH):
            return await self._inner.handle_async_request(request)
        if not self._open:
            self.wave += 1
            self._open = True
        self.sent.append((self.wave, path))
        for _ in range(10):  # let requests issued together leave together
            await asyncio.sleep(0)
        self._open = False
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _until(flag: list[float]) -> float:
    while not flag:
        await asyncio.sleep(0.001)
    return flag[0]


Result = tuple[float, float, bool, int, int]


async def select(dock: DetailDock, row: TicketRow, waves: WaveTransport) -> Result:
    """Seconds to sections_loaded and to all_sections_loaded; whether it had configurations;
    the waves of requests before each."""
    first: list[float] = []
    done: list[float] = []
    first_waves: list[int] = []

    def on_first(tid: int) -> None:
        if tid == row.id and not first:
            first.append(time.perf_counter())
            first_waves.append(waves.wave)

    def on_done(tid: int) -> None:
        if tid == row.id and not done:
            done.append(time.perf_counter())

    dock.sections_loaded.connect(on_first)
    dock.all_sections_loaded.connect(on_done)
    waves.reset()
    start = time.perf_counter()
    dock.follow_selection([row.id], [row])
    t_first, t_done = await _until(first), await _until(done)
    dock.sections_loaded.disconnect(on_first)
    dock.all_sections_loaded.disconnect(on_done)
    configs = dock.panel.configurations.items
    return t_first - start, t_done - start, bool(configs), first_waves[0], waves.wave


async def run_series(svc: TicketService, waves: WaveTransport, rows: list[TicketRow],
                     latency: float, label: str) -> list[Result]:
    dock = DetailDock(svc, drafts=DraftStore(Path(tempfile.mkdtemp(prefix="dd-bench-"))))
    dock.resize(520, 860)
    dock.show()
    timed_rows, counted_rows = rows[: len(rows) // 2], rows[len(rows) // 2 :]
    waves.counting = False
    results = [await select(dock, row, waves) for row in timed_rows]
    waves.counting = True
    counted = [await select(dock, row, waves) for row in counted_rows]
    firsts = [r[0] / latency for r in results]
    with_cfg = [r[1] / latency for r in results if r[2]]
    without = [r[1] / latency for r in results if not r[2]]
    print(f"{label}: {len(timed_rows)} tickets selected one after another (none cached), "
          f"timed; then {len(counted_rows)} others, requests counted")
    print(f"  selection → all sections but configuration records: median "
          f"{statistics.median(firsts):.2f} RT, max {max(firsts):.2f} RT (target ≤ 1.3)")
    if with_cfg:
        print(f"  selection → everything, tickets with configurations ({len(with_cfg)}): "
              f"median {statistics.median(with_cfg):.2f} RT, max {max(with_cfg):.2f} RT "
              "(target ≤ 2.3)")
    if without:
        print(f"  selection → everything, tickets without configurations ({len(without)}): "
              f"median {statistics.median(without):.2f} RT, max {max(without):.2f} RT")
    first_waves = sorted({r[3] for r in counted})
    cfg_waves = sorted({r[4] for r in counted if r[2]})
    beside = (" (counting the board statuses' own chain, count then page, which runs beside "
              "the detail and holds up only the dropdown)" if "cold" in label else "")
    print(f"  request waves: sections {first_waves}, everything with configurations "
          f"{cfg_waves}{beside}")
    await cached_revisits(dock, timed_rows)
    await dock.flush()
    dock.close()
    dock.deleteLater()
    return results


async def cached_revisits(dock: DetailDock, rows: list[TicketRow]) -> None:
    timings: list[float] = []
    for row in rows[:-1]:
        start = time.perf_counter()
        dock.show_ticket(row.id)
        dock.repaint()
        timings.append((time.perf_counter() - start) * 1000)
        assert dock.panel.detail is not None and dock.panel.detail.ticket.id == row.id
        while not dock.panel.complete:  # let the background refresh land before the next
            await asyncio.sleep(0.005)
    print(f"  cached revisit → content painted: median {statistics.median(timings):.1f} ms, "
          f"max {max(timings):.1f} ms over {len(timings)} revisits (target < 50 ms)")


async def bench(url: str, latency_ms: int, count: int) -> None:
    creds = Credentials(site=url, company_id="sandbox", public_key="sandbox-public",
                        private_key=SecretStr("sandbox-private"), client_id=CLIENT_ID)
    latency = latency_ms / 1000
    for warm in (True, False):
        waves = WaveTransport()
        async with open_service(creds, transport=waves) as svc:
            await svc.client.api_base()
            page = await svc.search_tickets(TicketFilters(), page_size=100)
            if warm:
                await svc.all_statuses()
            rows = list(page.items)
            # Alternate boards so the cold series meets boards it has not seen.
            rows.sort(key=lambda r: (r.id % 7, r.id))
            label = "statuses warm (list filters loaded)" if warm else "statuses cold"
            await run_series(svc, waves, rows[: 2 * count], latency, label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--tickets", type=int, default=12, help="tickets selected per series")
    args = parser.parse_args()
    keep_singletons_alive()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # closing a series' dock must not stop the loop
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {load:.1f}, Python {platform.python_version()}, "
          f"Qt platform {app.platformName()}")
    with spawn_sandbox(["--latency-ms", str(args.latency_ms)]) as sandbox:
        print(f"sandbox: child process, defaults, --latency-ms {args.latency_ms} "
              f"(1 RT = {args.latency_ms} ms)")
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            loop.run_until_complete(bench(sandbox.url, args.latency_ms, args.tickets))


if __name__ == "__main__":
    main()
