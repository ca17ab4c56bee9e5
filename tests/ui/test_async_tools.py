"""LatestTask and WidgetTasks: pre-emption, strong references, error routing, close-cancel."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.qt_harness import wait_for
from ui.async_tools import LatestTask, WidgetTasks


def test_starting_a_new_task_cancels_the_previous(run_async: Callable[..., Any]) -> None:
    async def scenario() -> None:
        latest: LatestTask[str] = LatestTask(name="search")
        first_cancelled = asyncio.Event()

        async def slow() -> str:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                first_cancelled.set()
                raise
            return "slow"

        async def fast() -> str:
            return "fast"

        first = latest.start(slow())
        await asyncio.sleep(0)
        second = latest.start(fast())
        assert await second == "fast"
        await asyncio.wait_for(first_cancelled.wait(), 2)
        assert first.cancelled()
        assert latest.generation == 2

    run_async(scenario())


def test_latest_task_keeps_a_strong_reference(run_async: Callable[..., Any]) -> None:
    async def scenario() -> None:
        latest: LatestTask[int] = LatestTask()
        done = asyncio.Event()

        async def work() -> int:
            await asyncio.sleep(0.05)
            done.set()
            return 1

        latest.start(work())
        gc.collect()  # the loop holds tasks weakly: without our reference this could vanish
        await asyncio.wait_for(done.wait(), 2)
        assert latest.task is None or latest.task.done()

    run_async(scenario())


def test_cancelled_error_is_swallowed_and_other_errors_reach_the_loop_handler(
    run_async: Callable[..., Any], loop_errors: list[dict[str, Any]]
) -> None:
    async def scenario() -> None:
        latest: LatestTask[None] = LatestTask(name="detail")

        async def forever() -> None:
            await asyncio.sleep(10)

        async def broken() -> None:
            raise ValueError("boom")

        latest.start(forever())
        await asyncio.sleep(0)
        latest.cancel()
        await asyncio.sleep(0.01)
        assert loop_errors == []
        latest.start(broken())
        await asyncio.sleep(0.01)

    run_async(scenario())
    assert len(loop_errors) == 1
    assert isinstance(loop_errors[0]["exception"], ValueError)
    loop_errors.clear()


def test_explicit_error_sink_receives_exceptions(run_async: Callable[..., Any]) -> None:
    seen: list[BaseException] = []

    async def scenario() -> None:
        latest: LatestTask[None] = LatestTask(on_error=seen.append)

        async def broken() -> None:
            raise KeyError("x")

        latest.start(broken())
        await asyncio.sleep(0.01)

    run_async(scenario())
    assert len(seen) == 1
    assert isinstance(seen[0], KeyError)


def test_wait_returns_none_for_a_superseded_task(run_async: Callable[..., Any]) -> None:
    async def scenario() -> None:
        latest: LatestTask[int] = LatestTask()

        async def value(v: int, delay: float) -> int:
            await asyncio.sleep(delay)
            return v

        latest.start(value(1, 10))
        waiter = asyncio.ensure_future(latest.wait())
        await asyncio.sleep(0)
        latest.start(value(2, 0))
        assert await waiter is None
        assert await latest.wait() in (2, None)

    run_async(scenario())


def test_closing_a_widget_cancels_its_tasks(qtbot: QtBot, run_async: Callable[..., Any]) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    scope = WidgetTasks(widget)

    async def scenario() -> None:
        widget.show()
        spawned = scope.spawn(asyncio.sleep(10))
        latest = scope.latest("page")
        owned = latest.start(asyncio.sleep(10))
        await asyncio.sleep(0)
        assert scope.pending() == 2
        widget.close()
        await asyncio.sleep(0.01)
        assert spawned.cancelled()
        assert owned.cancelled()
        assert scope.pending() == 0

    run_async(scenario())


def test_finishing_a_dialog_cancels_its_tasks(qtbot: QtBot, run_async: Callable[..., Any]) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    scope = WidgetTasks(dialog)

    async def scenario() -> None:
        dialog.open()
        task = scope.spawn(asyncio.sleep(10))
        await asyncio.sleep(0)
        dialog.reject()
        await asyncio.sleep(0.01)
        assert task.cancelled()

    run_async(scenario())


def test_destroying_a_widget_cancels_its_tasks(run_async: Callable[..., Any]) -> None:
    async def scenario() -> None:
        widget = QWidget()
        scope = WidgetTasks(widget, cancel_on_close=False)
        task = scope.spawn(asyncio.sleep(10))
        await asyncio.sleep(0)
        widget.deleteLater()
        del widget, scope
        await wait_for(task.done)
        assert task.cancelled()

    run_async(scenario())


def test_tray_window_keeps_tasks_on_close_when_asked(
    qtbot: QtBot, run_async: Callable[..., Any]
) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    scope = WidgetTasks(widget, cancel_on_close=False)

    async def scenario() -> None:
        widget.show()
        task = scope.spawn(asyncio.sleep(10))
        widget.close()
        await asyncio.sleep(0.01)
        assert not task.done()
        scope.cancel_all()
        await asyncio.sleep(0)
        assert task.cancelled()

    run_async(scenario())


def test_starting_without_a_running_loop_raises_and_closes_the_coroutine() -> None:
    async def work() -> None:
        return None

    coro = work()
    with pytest.raises(RuntimeError):
        LatestTask[None](name="no-loop").start(coro)
    assert coro.cr_frame is None  # closed: no "never awaited" warning later
