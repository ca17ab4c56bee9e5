"""The demo's sandbox child: started, announced, stopped — and a start cut short or failing."""

from __future__ import annotations

import asyncio
import sys

import httpx2
import pytest

from app import demo
from app.demo import DemoSandbox


def test_the_child_announces_its_url_serves_and_stops() -> None:
    async def scenario() -> None:
        sandbox = DemoSandbox()
        try:
            url = await sandbox.start()
            assert url == f"http://127.0.0.1:{sandbox.port}"
            async with httpx2.AsyncClient() as client:
                reply = await client.get(f"{url}/login/companyinfo/sandbox")
            assert reply.status_code == 200
            process = sandbox._process
            assert process is not None
        finally:
            await sandbox.stop()
        assert process.poll() is not None  # the child is gone
        assert sandbox.stopped

    asyncio.run(scenario())


def test_a_child_that_says_something_else_fails_naming_what_it_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo, "sandbox_command",
                        lambda _args: [sys.executable, "-c", "print('port in use')"])

    async def scenario() -> None:
        sandbox = DemoSandbox()
        try:
            with pytest.raises(RuntimeError, match="port in use"):
                await sandbox.start()
            assert not sandbox.stopped  # a real failure, not a quit
        finally:
            await sandbox.stop()

    asyncio.run(scenario())


def test_stopping_while_it_starts_ends_the_start_and_says_it_was_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A child that never announces itself, as a slow one would not have yet.
    monkeypatch.setattr(demo, "sandbox_command",
                        lambda _args: [sys.executable, "-c", "import time; time.sleep(60)"])

    async def scenario() -> None:
        sandbox = DemoSandbox()
        starting = asyncio.create_task(sandbox.start())
        await asyncio.sleep(0.2)
        await sandbox.stop()
        with pytest.raises(RuntimeError):
            await asyncio.wait_for(starting, 10)
        assert sandbox.stopped

    asyncio.run(scenario())
