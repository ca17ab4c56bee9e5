"""The global exception hook: logs with traceback, shows plain words, never exits, scrubs."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.errors import (
    ErrorHook,
    RollingFile,
    Scrubber,
    close_logging,
    plain_message,
    setup_logging,
)
from psa.connectwise.errors import AuthFailed

SECRET = "hunter2-private-key"


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[tuple[ErrorHook, Path, list[tuple[str, str]]]]:
    log_path = tmp_path / "logs" / "dispatch-desk.log"
    scrubber = Scrubber()
    scrubber.add_basic_auth("acme+pub", SECRET)
    setup_logging(log_path, scrubber)
    hook = ErrorHook(scrubber, log_path=log_path)
    shown: list[tuple[str, str]] = []
    hook.set_presenter(lambda title, text: shown.append((title, text)))
    hook.install()
    try:
        yield hook, log_path, shown
    finally:
        hook.uninstall()
        close_logging()


def _raise_and_hook(exc: BaseException) -> None:
    try:
        raise exc
    except BaseException:
        sys.excepthook(*sys.exc_info())


def test_uncaught_error_is_logged_with_traceback_and_shown_without_secrets(
    logged: tuple[ErrorHook, Path, list[tuple[str, str]]],
) -> None:
    _hook, log_path, shown = logged
    _raise_and_hook(ValueError(f"bad value, auth was {SECRET}"))
    text = log_path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "ValueError" in text
    assert SECRET not in text
    assert "[redacted]" in text
    assert len(shown) == 1
    message = shown[0][1]
    assert "Traceback" not in message
    assert SECRET not in message
    assert str(log_path) in message


def test_authorization_headers_are_scrubbed_even_for_unknown_secrets(
    logged: tuple[ErrorHook, Path, list[tuple[str, str]]],
) -> None:
    _hook, log_path, _shown = logged
    logging.getLogger("test").error("request headers {'Authorization': 'Basic QWxhZGRpbjpvcGVu'}")
    text = log_path.read_text(encoding="utf-8")
    assert "QWxhZGRpbjpvcGVu" not in text


def test_connectwise_errors_are_shown_in_their_own_words(
    logged: tuple[ErrorHook, Path, list[tuple[str, str]]],
) -> None:
    _hook, _log_path, shown = logged
    _raise_and_hook(AuthFailed("ConnectWise refused the API keys (401). Check them."))
    assert shown[0][1].startswith("ConnectWise refused the API keys (401). Check them.")


def test_task_errors_reach_the_hook_through_the_loop_handler(
    logged: tuple[ErrorHook, Path, list[tuple[str, str]]],
    qloop: asyncio.AbstractEventLoop,
) -> None:
    hook, log_path, shown = logged
    hook.attach(qloop)

    async def broken() -> None:
        raise RuntimeError("task went wrong")

    async def scenario() -> None:
        task = asyncio.get_running_loop().create_task(broken())
        await asyncio.sleep(0.01)
        task.get_loop().call_exception_handler({"message": "boom", "exception": task.exception()})
        cancelled = asyncio.CancelledError()
        qloop.call_exception_handler({"message": "cancel", "exception": cancelled})

    qloop.run_until_complete(scenario())
    assert len(shown) == 1
    assert "RuntimeError" in shown[0][1]
    assert "task went wrong" in log_path.read_text(encoding="utf-8")


def test_a_failing_presenter_is_logged_and_does_not_recurse(
    logged: tuple[ErrorHook, Path, list[tuple[str, str]]],
) -> None:
    hook, log_path, _shown = logged
    calls: list[str] = []

    def broken_presenter(_title: str, text: str) -> None:
        calls.append(text)
        raise RuntimeError("presenter broke")

    hook.set_presenter(broken_presenter)
    _raise_and_hook(KeyError("k"))
    assert len(calls) == 1
    assert "The error presenter failed" in log_path.read_text(encoding="utf-8")


def test_hook_never_exits_the_process(
    logged: tuple[ErrorHook, Path, list[tuple[str, str]]],
) -> None:
    _raise_and_hook(SystemError("serious"))  # returning here is the point
    _raise_and_hook(KeyboardInterrupt())


def test_plain_message_has_no_traceback_for_unknown_errors() -> None:
    text = plain_message(ZeroDivisionError("division by zero"), None)
    assert "ZeroDivisionError" in text
    assert "Traceback" not in text


def test_qt_slot_errors_go_to_the_hook(
    logged: tuple[ErrorHook, Path, list[tuple[str, str]]], run_async: Callable[..., Any]
) -> None:
    from PySide6.QtCore import QTimer

    _hook, _log_path, shown = logged

    def slot() -> None:
        raise LookupError("in a slot")

    async def scenario() -> None:
        QTimer.singleShot(0, slot)
        await asyncio.sleep(0.05)

    run_async(scenario())
    assert any("LookupError" in text for _t, text in shown)


def test_the_log_rolls_over_past_its_size_keeping_the_newest_backups(tmp_path: Path) -> None:
    path = tmp_path / "dispatch-desk.log"
    handler = RollingFile(path, max_bytes=1_000, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("test.rolling")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for n in range(60):
            logger.warning("record %03d %s", n, "x" * 80)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["dispatch-desk.log", "dispatch-desk.log.1", "dispatch-desk.log.2"]
    backup = (tmp_path / "dispatch-desk.log.1").read_text(encoding="utf-8")
    assert 1_000 <= len(backup.encode()) < 1_100  # rolled right after passing the size

    def numbers(name: str) -> list[int]:
        return [int(line.split()[1]) for line in
                (tmp_path / name).read_text(encoding="utf-8").splitlines()]

    kept = numbers("dispatch-desk.log.2") + numbers("dispatch-desk.log.1") + numbers(
        "dispatch-desk.log")
    assert kept == list(range(kept[0], 60)) and kept[0] > 0  # the newest, in order, no gap
