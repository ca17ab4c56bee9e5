"""UI test configuration: offscreen Qt, a per-test qasync loop, isolated settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.qt_harness import (
    loop_errors,
    main_thread_gc,
    mark_qt_items,
    qloop,
    run_async,
    settings,
)
from ui.pyside_refcount_fix import keep_singletons_alive

# PySide6 6.12 on Python 3.11 drops a reference to None/True on every void call and emit; the
# suite makes enough of them to abort the interpreter (see the module).
keep_singletons_alive()

__all__ = ["loop_errors", "main_thread_gc", "qloop", "run_async", "settings"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Fail UI tests on Qt warnings."""
    mark_qt_items(items, Path(__file__).parent)
