"""The runner: waits for quit, shuts down in a fixed order, survives external quits and failures."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.runner import AppRunner, Phase

# Each AppRunner makes and closes its own qasync loop: collect it here, on the main thread.
pytestmark = pytest.mark.usefixtures("collect_qt_garbage")


def _runner(qapp: QApplication) -> AppRunner:
    qapp.setQuitOnLastWindowClosed(False)
    return AppRunner(qapp)


def test_shutdown_runs_tray_windows_http_sandbox_in_that_order(qapp: QApplication) -> None:
    runner = _runner(qapp)
    order: list[str] = []

    async def close_http() -> None:
        await asyncio.sleep(0.01)  # the loop is still running during the shutdown
        order.append("http")

    runner.shutdown.add(Phase.SANDBOX, "sandbox", lambda: order.append("sandbox"))
    runner.shutdown.add(Phase.HTTP, "http", close_http)
    runner.shutdown.add(Phase.WINDOWS, "windows", lambda: order.append("windows"))
    runner.shutdown.add(Phase.TRAY, "tray", lambda: order.append("tray"))

    async def start(r: AppRunner) -> None:
        QTimer.singleShot(10, lambda: r.request_quit(3))

    assert runner.run(start) == 3
    assert order == ["tray", "windows", "http", "sandbox"]


def test_a_failing_step_does_not_stop_the_others(qapp: QApplication) -> None:
    runner = _runner(qapp)
    order: list[str] = []

    def broken() -> None:
        raise RuntimeError("tray broke")

    runner.shutdown.add(Phase.TRAY, "tray", broken)
    runner.shutdown.add(Phase.HTTP, "http", lambda: order.append("http"))

    async def start(r: AppRunner) -> None:
        r.request_quit(0)

    assert runner.run(start) == 0
    assert order == ["http"]


def test_an_external_quit_still_runs_the_async_shutdown(qapp: QApplication) -> None:
    runner = _runner(qapp)
    order: list[str] = []

    async def close_http() -> None:
        await asyncio.sleep(0.01)
        order.append("http")

    runner.shutdown.add(Phase.HTTP, "http", close_http)

    async def start(_r: AppRunner) -> None:
        QTimer.singleShot(10, qapp.quit)  # e.g. the OS ending the session

    assert runner.run(start) == 0
    assert order == ["http"]


def test_an_exit_that_bypasses_quit_still_runs_the_async_shutdown(qapp: QApplication) -> None:
    runner = _runner(qapp)
    order: list[str] = []

    async def close_http() -> None:
        await asyncio.sleep(0.01)
        order.append("http")

    runner.shutdown.add(Phase.HTTP, "http", close_http)

    async def start(_r: AppRunner) -> None:
        QTimer.singleShot(10, lambda: qapp.exit(0))  # leaves Qt's loop without a Quit event

    assert runner.run(start) == 0
    assert order == ["http"]


def test_a_start_up_failure_exits_1_after_the_shutdown(qapp: QApplication) -> None:
    runner = _runner(qapp)
    order: list[str] = []
    runner.shutdown.add(Phase.WINDOWS, "windows", lambda: order.append("windows"))

    async def start(_r: AppRunner) -> None:
        raise RuntimeError("could not build the window")

    assert runner.run(start) == 1
    assert order == ["windows"]


def test_the_first_quit_request_decides_the_exit_code(qapp: QApplication) -> None:
    runner = _runner(qapp)

    async def start(r: AppRunner) -> None:
        r.request_quit(2)
        r.request_quit(0)

    assert runner.run(start) == 2
