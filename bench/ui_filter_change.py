"""Filter change → new rows, in round trips after the debounce, with the sandbox at latency.

Run: ``.venv/bin/python bench/ui_filter_change.py [--latency-ms 100] [--runs 3]``

The window is open with its lookups loaded. Each change goes through the filter toolbar as a
user's would (a board, a status, a priority, the free text, include closed, back to all);
the clock starts when the debounce ends (the controller applies the filters) and stops when
the new rows are in the table model. Round trips = wall time / latency. Target (issue 4):
≤ 1.2 round trips after the debounce.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable

from ui_support import conditions, run_qt, sandbox_service, temp_settings, until

from ui.main_window import MainWindow
from ui.tickets.filter_toolbar import FilterToolbar


def choose(combo: object, index: int) -> None:
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def changes(tb: FilterToolbar) -> list[tuple[str, Callable[[], None]]]:
    """The edits, in order; each leaves filters different from the last."""
    return [
        ("board", lambda: choose(tb.board, 1)),
        ("status of that board", lambda: choose(tb.status, 1)),
        ("priority", lambda: choose(tb.priority, 1)),
        ("all boards", lambda: choose(tb.board, 0)),
        ("free text 'printer'", lambda: (tb.search.setText("printer"),
                                         tb.search.textEdited.emit("printer"))),
        ("include closed", lambda: tb.closed.setChecked(True)),
        ("clear filters", tb.clear_action.trigger),
    ]


async def run(latency_ms: int, runs: int) -> None:
    latency = latency_ms / 1000
    figures: dict[str, list[tuple[float, int]]] = {}
    async with sandbox_service(latency_ms=latency_ms) as svc:
        window = MainWindow(svc, temp_settings())
        window.show()
        page, controller = window.page, window.page.controller
        await until(lambda: page.model.rowCount() > 0 and page.toolbar.status.count() > 1)
        await asyncio.sleep(1.0)  # lookups and view counts settle
        applied: list[float] = []
        arrived: list[float] = []
        controller.filters_applied.connect(lambda _f: applied.append(time.perf_counter()))
        controller.first_page_loaded.connect(lambda: arrived.append(time.perf_counter()))
        for _ in range(runs):
            for name, change in changes(page.toolbar):
                applied.clear()
                arrived.clear()
                before = svc.client.stats.requests
                change()
                await until(lambda: bool(arrived))
                requests = svc.client.stats.requests - before
                figures.setdefault(name, []).append((arrived[0] - applied[0], requests))
                await asyncio.sleep(0.4)  # the SLA and counts that follow are not timed
        window.close()

    print(f"filter change → new rows (after the debounce); "
          f"{conditions(latency_ms=latency_ms, runs=runs)}")
    every: list[float] = []
    for name, values in figures.items():
        walls = [w for w, _ in values]
        every += walls
        print(f"  {name:22s} {statistics.mean(walls) * 1000:6.1f} ms = "
              f"{statistics.mean(walls) / latency:.2f} round trips "
              f"(max {max(walls) / latency:.2f}); {statistics.mean(r for _, r in values):.1f} "
              f"requests")
    print(f"  {'all changes':22s} {statistics.mean(every) * 1000:6.1f} ms = "
          f"{statistics.mean(every) / latency:.2f} round trips (max {max(every) / latency:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    run_qt(lambda: run(args.latency_ms, args.runs))


if __name__ == "__main__":
    main()
