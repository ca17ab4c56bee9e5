"""Python's garbage collector runs on the GUI thread only.

CPython collects cycles on whichever thread happens to allocate past a threshold — in this app
often a worker (``asyncio.to_thread`` for keyring, SQLite and disk; the thread that loads the
Claude SDK). A widget or model caught in a collected cycle is then destroyed on that thread: Qt
warns ("Timers cannot be stopped from another thread") at best and crashes at worst. So automatic
collection is switched off and this collector runs the same generational policy from a timer on
the GUI thread (the pattern pyqtgraph ships as ``GarbageCollector``).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

__all__ = ["MainThreadCollector"]

INTERVAL_MS = 500


class MainThreadCollector(QObject):
    """While alive and started: no automatic collection; thresholds checked every interval."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        """Switch automatic collection off; collect from the timer instead."""
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect once more here, and give collection back to Python."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def check(self) -> int | None:
        """Collect the generation Python would have collected by now; the generation, if any."""
        count0, count1, count2 = gc.get_count()
        limit0, limit1, limit2 = self._thresholds
        if count0 <= limit0:
            return None
        generation = 0
        if count1 > limit1:
            generation = 2 if count2 > limit2 else 1
        gc.collect(generation)
        return generation
