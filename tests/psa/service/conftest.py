"""Fixtures for the ticket service: in-process sandboxes, credentials and recording transports."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx2
import pytest
from pydantic import SecretStr

from psa import Credentials, TicketService, open_service
from psa.connectwise.retry import RetryPolicy
from psa.sandbox import Sandbox, SandboxConfig
from psa.sandbox.clock import FixedClock

T = TypeVar("T")
CLIENT_ID = "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"
START = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def creds(sb: Sandbox, kind: str = "sandbox", **extra: Any) -> Credentials:
    return Credentials(site=sb.url, company_id="sandbox", public_key=f"{kind}-public",
                       private_key=SecretStr(f"{kind}-private"), client_id=CLIENT_ID, **extra)


def config(**overrides: Any) -> SandboxConfig:
    values: dict[str, Any] = {"seed": 1, "tickets": 300, "clock": FixedClock(START)}
    values.update(overrides)
    return SandboxConfig(**values)


async def _no_sleep(_: float) -> None:
    return None


NO_WAIT = RetryPolicy(sleep=_no_sleep)


@dataclass
class Sent:
    method: str
    path: str
    params: dict[str, str]
    wave: int


@dataclass
class Recorder(httpx2.AsyncBaseTransport):
    """Forwards to the sandbox and records each request with its round trip ("wave").

    Before sending, a request yields to the event loop a few times so every request issued
    concurrently with it is sent too; a request's wave is then one more than the number of
    earlier waves completed when it left. Requests sent together share a wave, so the number of
    distinct waves is the number of round trips on the critical path — with no timing involved.
    """

    inner: httpx2.AsyncBaseTransport = field(default_factory=httpx2.AsyncHTTPTransport)
    sent: list[Sent] = field(default_factory=list)
    hooks: list[Callable[[httpx2.Request, httpx2.Response], None]] = field(default_factory=list)
    blocked: dict[str, int] = field(default_factory=dict)
    _in_flight: int = 0
    _wave: int = 0
    _wave_open: bool = False

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if not self._wave_open:
            self._wave += 1
            self._wave_open = True
        wave = self._wave
        self._in_flight += 1
        path = request.url.path.split("/apis/3.0", 1)[-1]
        self.sent.append(Sent(request.method, path, dict(request.url.params), wave))
        for _ in range(10):
            await asyncio.sleep(0)
        self._wave_open = False
        try:
            for prefix, status in self.blocked.items():
                if path.lower().startswith(prefix.lower()):
                    body = b'{"code": "Forbidden", "message": "blocked by the test"}'
                    return httpx2.Response(status, content=body, request=request)
            response = await self.inner.handle_async_request(request)
            await response.aread()
            for hook in self.hooks:
                hook(request, response)
            return response
        finally:
            self._in_flight -= 1

    def reset(self) -> None:
        self.sent.clear()
        self._wave = 0
        self._wave_open = False

    @property
    def waves(self) -> int:
        return len({s.wave for s in self.sent})

    def api(self) -> list[Sent]:
        return [s for s in self.sent if "/login/" not in s.path]

    async def aclose(self) -> None:
        await self.inner.aclose()


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def with_service(credentials: Credentials, body: Callable[[TicketService], Awaitable[T]],
                       transport: httpx2.AsyncBaseTransport | None = None, **kw: Any) -> T:
    async with open_service(credentials, transport=transport, retry=NO_WAIT, **kw) as svc:
        return await body(svc)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """A shared sandbox; tests using it only read, or write to tickets no other test reads."""
    with Sandbox(config()) as sb:
        yield sb


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    """A sandbox of its own, for tests that change data or settings."""
    with Sandbox(config(tickets=120)) as sb:
        yield sb
