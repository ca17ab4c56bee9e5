"""Shared Qt test harness: offscreen env, a per-test qasync loop, isolated settings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Set before any QApplication exists (pytest-qt imports Qt early but creates the app lazily).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "0")
# Nothing a test does may reach the user's real config, cache or keychain.
_SANDBOX_HOME = Path(tempfile.mkdtemp(prefix="dispatch-desk-tests-"))
for _var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(_SANDBOX_HOME / _var.lower())
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import asyncio  # noqa: E402
import gc  # noqa: E402
from collections.abc import Callable, Coroutine, Iterator  # noqa: E402
from typing import Any, TypeVar  # noqa: E402

import pytest  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.main_thread_gc import MainThreadCollector  # noqa: E402

T = TypeVar("T")

# Offscreen-platform chatter that is not a defect of ours.
BENIGN_QT_WARNINGS = (
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",  # a completer's popup opening
    r"QFont::setPointSizeF: Point size <= 0",
)


def mark_qt_items(items: list[pytest.Item], folder: Path) -> None:
    """Fail the tests under ``folder`` on Qt warnings, minus known offscreen chatter."""
    for item in items:
        if folder in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*BENIGN_QT_WARNINGS))


@pytest.fixture
def collect_qt_garbage() -> Iterator[None]:
    """Collect each test's dead QObjects (closed loops' timers included) on the main thread."""
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def main_thread_gc(qapp: QApplication) -> Iterator[None]:
    """As in the app: cycles are collected on the GUI thread, never by a worker thread."""
    collector = MainThreadCollector()
    collector.start()
    yield
    collector.stop()
    collector.deleteLater()


@pytest.fixture
def loop_errors() -> list[dict[str, Any]]:
    """Contexts the loop's exception handler received; a test that expects some clears them."""
    return []


@pytest.fixture
def qloop(qapp: QApplication, loop_errors: list[dict[str, Any]]) -> Iterator[qasync.QEventLoop]:
    """A fresh qasync loop per test; unexpected task errors fail the test at teardown."""
    # Closing a test's only window must not quit the app and stop the loop mid-scenario.
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(lambda _loop, context: loop_errors.append(context))
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)
        # Collect the closed loop's QObjects now, on this thread: a collection triggered later
        # in a worker thread would destroy them there and Qt warns about cross-thread timers.
        del loop
        gc.collect()
    assert not loop_errors, f"unhandled errors in tasks: {loop_errors}"


@pytest.fixture
def run_async(qloop: qasync.QEventLoop) -> Callable[..., Any]:
    """Drive a scenario coroutine on the test's qasync loop, with a safety timeout."""

    def run(coro: Coroutine[Any, Any, T], timeout: float = 20.0) -> T:
        try:
            result: T = qloop.run_until_complete(asyncio.wait_for(coro, timeout))
        finally:
            qloop.run_until_complete(_settle())
        return result

    return run


async def _settle(grace: float = 2.0) -> None:
    """Let what a scenario left behind finish while the loop still runs.

    Closing a window cancels its loads; their unwinding (and anyio's cancel-scope retries, which
    re-schedule themselves with ``call_soon`` until every task in the scope is done) must happen
    on a *running* loop. Left for teardown, pytest-qt's event processing would fire those
    callbacks outside ``run_until_complete`` and they would fail with "no running event loop".
    Tasks still alive after ``grace`` seconds are cancelled; their errors still reach the loop's
    exception handler and fail the test.
    """
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    deadline = loop.time() + grace
    while True:
        pending = [t for t in asyncio.all_tasks() if t is not me and not t.done()]
        if not pending:
            break
        if loop.time() > deadline:
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            break
        await asyncio.sleep(0.005)
    for _ in range(5):  # drain callbacks already scheduled (cancellation retries, done-callbacks)
        await asyncio.sleep(0)


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[QSettings]:
    """An isolated INI QSettings file in the test's tmp dir."""
    qs = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield qs
    qs.sync()


async def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``predicate`` on the running loop (never qtbot.waitUntil inside a coroutine)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
