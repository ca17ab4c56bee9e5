"""Retries, timeouts, connection errors and the in-flight bound of the ConnectWise client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpcore2
import pytest
import respx

from psa.connectwise.client import ConnectWiseClient
from psa.connectwise.errors import (
    RateLimited,
    ServerError,
    Timeout,
    Unreachable,
)
from psa.connectwise.retry import RetryPolicy
from tests.psa.connectwise.conftest import BASE, INFO_URL, FakeTime

MakeClient = Callable[..., ConnectWiseClient]
T = TypeVar("T")
TICKETS = f"{BASE}/service/tickets"


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@pytest.fixture(autouse=True)
def _discovery(httpx2_mock: respx.Router) -> None:
    httpx2_mock.get(INFO_URL).mock(
        return_value=respx.MockResponse(200, json={"Codebase": "v4_6_release/"})
    )


def ok() -> respx.MockResponse:
    return respx.MockResponse(200, json=[{"id": 1}])


async def list_tickets(cw: ConnectWiseClient) -> Any:
    async with cw:
        return await cw.list("/service/tickets")


def test_429_is_retried_after_the_servers_retry_after(
    httpx2_mock: respx.Router, make_client: MakeClient, fake_time: FakeTime
) -> None:
    route = httpx2_mock.get(TICKETS)
    route.side_effect = [
        respx.MockResponse(429, json={"code": "TooMany", "message": "slow down"},
                           headers={"Retry-After": "7"}),
        ok(),
    ]
    assert run(list_tickets(make_client())) == [{"id": 1}]
    assert route.call_count == 2
    assert fake_time.sleeps == [7.0]


def test_a_retry_after_longer_than_the_policy_allows_raises_rate_limited_at_once(
    httpx2_mock: respx.Router, make_client: MakeClient, fake_time: FakeTime
) -> None:
    route = httpx2_mock.get(TICKETS).mock(
        return_value=respx.MockResponse(429, headers={"Retry-After": "3600"})
    )
    with pytest.raises(RateLimited) as info:
        run(list_tickets(make_client()))
    assert info.value.retry_after == 3600.0
    assert "3600" in str(info.value)
    assert route.call_count == 1 and fake_time.sleeps == []


def test_429_without_retry_after_backs_off_exponentially_then_gives_up(
    httpx2_mock: respx.Router, make_client: MakeClient, fake_time: FakeTime
) -> None:
    route = httpx2_mock.get(TICKETS).mock(return_value=respx.MockResponse(429))
    with pytest.raises(RateLimited) as info:
        run(list_tickets(make_client()))
    assert info.value.retry_after is None
    assert route.call_count == 4  # max_attempts
    # equal jitter with random() = 0.5: 3/4 of 0.25, 0.5, 1.0
    assert fake_time.sleeps == [0.1875, 0.375, 0.75]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried(
    httpx2_mock: respx.Router, make_client: MakeClient, status: int
) -> None:
    route = httpx2_mock.get(TICKETS)
    route.side_effect = [respx.MockResponse(status), respx.MockResponse(status), ok()]
    assert run(list_tickets(make_client())) == [{"id": 1}]
    assert route.call_count == 3


def test_a_500_is_not_retried(httpx2_mock: respx.Router, make_client: MakeClient) -> None:
    route = httpx2_mock.get(TICKETS).mock(return_value=respx.MockResponse(500))
    with pytest.raises(ServerError):
        run(list_tickets(make_client()))
    assert route.call_count == 1


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpcore2.ReadTimeout("read timed out"), Timeout),
        (httpcore2.ConnectTimeout("connect timed out"), Timeout),
        (httpcore2.ConnectError("connection refused"), Unreachable),
        (httpcore2.ReadError("connection reset"), Unreachable),
        (httpcore2.RemoteProtocolError("Server disconnected without sending a response"),
         Unreachable),
    ],
)
def test_timeouts_and_connection_errors_are_retried_then_mapped(
    httpx2_mock: respx.Router, make_client: MakeClient, exc: Exception,
    kind: type[Exception],
) -> None:
    route = httpx2_mock.get(TICKETS)
    route.side_effect = [exc, ok()]
    assert run(list_tickets(make_client())) == [{"id": 1}]
    route.side_effect = exc
    with pytest.raises(kind) as info:
        run(list_tickets(make_client()))
    assert type(info.value) is kind
    assert "/service/tickets" in str(info.value)
    assert route.call_count == 2 + 4


def test_retries_stop_when_the_total_time_budget_is_spent(
    httpx2_mock: respx.Router, make_client: MakeClient, fake_time: FakeTime
) -> None:
    policy = RetryPolicy(max_attempts=100, base_delay=1.0, max_delay=4.0, max_total=10.0,
                         sleep=fake_time.sleep, clock=fake_time.clock, random=lambda: 1.0)
    route = httpx2_mock.get(TICKETS).mock(return_value=respx.MockResponse(503))
    with pytest.raises(ServerError):
        run(list_tickets(make_client(retry=policy)))
    assert sum(fake_time.sleeps) <= 10.0
    assert fake_time.sleeps == [1.0, 2.0, 4.0]
    assert route.call_count == 4


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("POST", lambda cw: cw.post_json("/service/tickets", {"summary": "x"})),
        ("PATCH", lambda cw: cw.patch_json("/service/tickets/5", [])),
        ("DELETE", lambda cw: cw.delete("/schedule/entries/5")),
    ],
)
@pytest.mark.parametrize(
    "failure",
    [
        respx.MockResponse(503),
        respx.MockResponse(429, headers={"Retry-After": "1"}),
        respx.MockResponse(502),
        httpcore2.ReadTimeout("timed out"),
        httpcore2.RemoteProtocolError("dropped"),
        respx.MockResponse(201, content=b'{"id": 5, "summ'),
    ],
)
def test_writes_are_never_retried_blindly(
    httpx2_mock: respx.Router, make_client: MakeClient, fake_time: FakeTime, *, method: str,
    call: Callable[[ConnectWiseClient], Coroutine[Any, Any, Any]], failure: Any,
) -> None:
    route = httpx2_mock.route(method=method, url__startswith=BASE)
    route.side_effect = [failure, respx.MockResponse(200, json={"id": 5})]

    async def scenario() -> None:
        async with make_client() as cw:
            await call(cw)

    with pytest.raises((ServerError, RateLimited, Unreachable)):
        run(scenario())
    assert route.call_count == 1
    assert fake_time.sleeps == []


def test_read_only_search_post_is_retried_like_a_get(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    route = httpx2_mock.post(f"{BASE}/service/tickets/search")
    route.side_effect = [respx.MockResponse(503), ok()]

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.search_json("/service/tickets/search", {"conditions": "id = 1"})

    assert run(scenario()) == [{"id": 1}]
    assert route.call_count == 2


def test_no_more_than_six_requests_are_in_flight(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    in_flight = 0
    peak = 0

    async def handler(request: Any) -> respx.MockResponse:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        for _ in range(5):  # yield so that others could start if the bound let them
            await asyncio.sleep(0)
        in_flight -= 1
        return ok()

    httpx2_mock.get(TICKETS).mock(side_effect=handler)

    async def scenario() -> ConnectWiseClient:
        async with make_client() as cw:
            await asyncio.gather(*(cw.list("/service/tickets") for _ in range(40)))
            return cw

    cw = run(scenario())
    assert peak == 6
    assert cw.stats.peak_in_flight == 6
    assert cw.stats.by_method["GET"] == 41


def test_a_smaller_bound_is_honoured_and_more_than_six_is_refused(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    httpx2_mock.get(TICKETS).mock(return_value=ok())

    async def scenario() -> int:
        async with make_client(max_in_flight=2) as cw:
            await asyncio.gather(*(cw.list("/service/tickets") for _ in range(10)))
            return cw.stats.peak_in_flight

    assert run(scenario()) <= 2
    with pytest.raises(ValueError, match="max_in_flight"):
        make_client(max_in_flight=7)
