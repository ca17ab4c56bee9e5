"""Cycles are collected on the GUI thread only, by the collector's timer."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ui.main_thread_gc import MainThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.obj = QObject()
        self.me = self


def test_a_cycle_dropped_on_a_worker_thread_is_collected_on_the_gui_thread(
    qtbot: QtBot,
) -> None:
    gc.enable()  # as Python starts: collection on whichever thread allocates
    collector = MainThreadCollector(interval_ms=10)
    collector.start()
    collected_on: list[str] = []
    junk: list[list[int]] = []
    try:
        cycle = _Cycle()
        cycle.obj.destroyed.connect(lambda: collected_on.append(threading.current_thread().name))
        alive = weakref.ref(cycle)

        def worker() -> None:
            nonlocal cycle
            del cycle
            # Allocation enough for CPython to collect on this thread many times over.
            junk.extend([i] for i in range(200_000))

        thread = threading.Thread(target=worker, name="worker")
        thread.start()
        thread.join()
        assert alive() is not None  # nothing was collected on the worker
        qtbot.waitUntil(lambda: alive() is None, timeout=5000)
        assert collected_on == [threading.main_thread().name]
    finally:
        collector.stop()
        gc.disable()  # back to the suite's own collector


def test_stop_gives_collection_back_and_check_follows_the_thresholds(qtbot: QtBot) -> None:
    assert gc.isenabled() is False  # the suite's own collector (tests/ui/qt_harness.py)
    old = gc.get_threshold()
    gc.set_threshold(50, 2, 2)
    try:
        collector = MainThreadCollector()
        gc.collect()
        assert collector.check() is None  # under the first threshold: nothing to do
        keep = [[] for _ in range(200)]
        assert collector.check() == 0
        del keep
    finally:
        gc.set_threshold(*old)
