"""Memory with 10,000 tickets loaded, beside a bare PySide6 table window holding the same rows.

Run: ``.venv/bin/python bench/ui_memory.py [--tickets 10000]``

Each figure comes from a fresh interpreter, measured as resident memory (VmRSS) once the
window is shown with every row in its model:

- bare: a QMainWindow with a QTableView over a QStandardItemModel holding the same 10 columns
  of text per row (what a plain PySide6 table would hold), no network stack;
- bare, lean: the same window over a minimal Python table model of string tuples (the
  smallest a PySide6 table can be);
- ours: the Dispatch Desk main window against a sandbox child process (not counted), every
  ticket loaded through the real service, with lookups, view counts and SLA figures.

Also reported: ours with the window open but no rows, so the rows' own cost shows. Target
(issue 4): ours ≤ 2.5× the bare window.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rss_mib() -> float:
    """This process's resident memory, in MiB (Linux; ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _texts(r: int) -> tuple[str, ...]:
    return (str(20000 + r), f"Printer on floor {r % 9} offline - Xerox VersaLink {r}",
            f"Alpine Ski House {r % 97}", "Help Desk", "In Progress", "Priority 3 - Normal",
            "jdoe, asmith", "3d 4h", "12m ago", "Respond by Mon 11/30 10:00 AM")


def bare(tickets: int, lean: bool) -> float:
    """RSS of a bare PySide6 table window holding `tickets` rows of 10 text columns."""
    from typing import Any

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    from typing_extensions import override
    from ui_support import run_qt

    class TupleModel(QAbstractTableModel):
        def __init__(self, rows: list[tuple[str, ...]]) -> None:
            super().__init__()
            self.rows = rows

        @override
        def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
            return 0 if parent.isValid() else len(self.rows)

        @override
        def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()
                        ) -> int:
            return 0 if parent.isValid() else 10

        @override
        def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.rows[index.row()][index.column()]
            return None

    async def build() -> float:
        model: QAbstractTableModel | QStandardItemModel
        if lean:
            model = TupleModel([_texts(r) for r in range(tickets)])
        else:
            model = QStandardItemModel(tickets, 10)
            for r in range(tickets):
                for c, text in enumerate(_texts(r)):
                    model.setItem(r, c, QStandardItem(text))
        window = QMainWindow()
        view = QTableView(window)
        view.setModel(model)
        window.setCentralWidget(view)
        window.resize(1440, 900)
        window.show()
        QApplication.processEvents()
        view.scrollToBottom()
        QApplication.processEvents()
        return rss_mib()

    return run_qt(build)


def ours(tickets: int, load_rows: bool) -> float:
    """RSS of the main window with every ticket loaded (or none, for the baseline)."""
    import asyncio

    from ui_support import run_qt, sandbox_service, temp_settings, until

    from psa import TicketFilters
    from ui.main_window import MainWindow
    from ui.tickets import tickets_controller

    tickets_controller.PAGE_SIZE = 500  # load faster; memory does not depend on it

    async def build() -> float:
        async with sandbox_service(latency_ms=0, tickets=tickets) as svc:
            window = MainWindow(svc, temp_settings())
            window.resize(1440, 900)
            window.show()
            page = window.page
            await until(lambda: page.model.rowCount() > 0)
            if load_rows:
                page.show_filters(TicketFilters(include_closed=True))
                await until(lambda: not page.controller.loading and page.model.rowCount() > 0)
                while page.model.rowCount() < page.model.total:
                    page.table.scrollToBottom()
                    await asyncio.sleep(0.01)
            await asyncio.sleep(1.0)  # SLA figures, counts and lookups arrive
            figure = rss_mib()
            window.close()
            return figure

    return run_qt(build)


def measure(mode: str, tickets: int) -> float:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--tickets", str(tickets)],
                         check=True, capture_output=True, text=True, cwd=HERE)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["rss_mib"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--child", choices=["bare", "bare-lean", "ours", "ours-empty"])
    args = parser.parse_args()
    if args.child:
        figure = {"bare": lambda: bare(args.tickets, False),
                  "bare-lean": lambda: bare(args.tickets, True),
                  "ours": lambda: ours(args.tickets, True),
                  "ours-empty": lambda: ours(args.tickets, False)}[args.child]()
        print(json.dumps({"rss_mib": figure}))
        return
    from ui_support import conditions

    bare_mib = measure("bare", args.tickets)
    lean_mib = measure("bare-lean", args.tickets)
    ours_mib = measure("ours", args.tickets)
    empty_mib = measure("ours-empty", args.tickets)
    print(f"memory with {args.tickets:,} rows loaded (RSS, fresh process each); {conditions()}")
    print(f"  bare PySide6 table window     {bare_mib:7.1f} MiB")
    print(f"  bare PySide6 table, lean model {lean_mib:6.1f} MiB")
    print(f"  Dispatch Desk main window     {ours_mib:7.1f} MiB = {ours_mib / bare_mib:.2f}× bare, "
          f"{ours_mib / lean_mib:.2f}× the lean one")
    print(f"    of which the window at start {empty_mib:6.1f} MiB (no rows loaded); "
          f"rows add {ours_mib - empty_mib:.1f} MiB "
          f"({(ours_mib - empty_mib) * 1024 * 1024 / args.tickets:,.0f} bytes per ticket)")


if __name__ == "__main__":
    main()
