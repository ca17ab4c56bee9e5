"""App test configuration: offscreen Qt, a per-test qasync loop, tmp profile, in-memory secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.profile import Profile, profile_at
from app.secrets import InMemoryStore
from tests.ui.qt_harness import (
    collect_qt_garbage,
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

__all__ = ["collect_qt_garbage", "loop_errors", "main_thread_gc", "qloop", "run_async", "settings"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Fail app tests on Qt warnings."""
    mark_qt_items(items, Path(__file__).parent)


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    """A profile in the test's tmp dir (never the user's)."""
    return profile_at(tmp_path / "profile").ensure()


@pytest.fixture
def secrets() -> InMemoryStore:
    """An in-memory secret store (never the keychain)."""
    return InMemoryStore()
