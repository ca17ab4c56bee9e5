"""Fault specs, fault injection through HTTP (including write-then-fail) and the rate limiter."""

from __future__ import annotations

import json
import time

import httpx2
import pytest

from psa.sandbox import Sandbox
from psa.sandbox.faults import FaultInjector, FaultSpec, FaultSpecError, RateLimiter, truncate_json
from tests.psa.sandbox.conftest import config, make_client

# --- the spec ---------------------------------------------------------------------------------


def test_fault_spec_parses_every_kind_seed_and_slow_ms() -> None:
    spec = FaultSpec.parse("500=0.05, slow=0.02,drop=0.02,malformed=0.01,seed=7,slow_ms=1500")
    assert dict(spec.rates) == {"500": 0.05, "slow": 0.02, "drop": 0.02, "malformed": 0.01}
    assert (spec.seed, spec.slow_ms) == (7, 1500)
    assert FaultSpec.parse(spec.text()) == spec


@pytest.mark.parametrize("text", [None, "", "none", "  NONE "])
def test_fault_spec_none_means_no_faults(text: str | None) -> None:
    assert FaultSpec.parse(text).rates == ()
    assert FaultSpec.parse(text).text() == "none"


@pytest.mark.parametrize(
    "text", ["500", "teapot=0.1", "500=abc", "500=1.5", "500=0.6,drop=0.6", "slow_ms=-1", "seed=x"]
)
def test_fault_spec_rejects_nonsense(text: str) -> None:
    with pytest.raises(FaultSpecError):
        FaultSpec.parse(text)


def test_fault_draws_are_deterministic_for_a_seed() -> None:
    spec = FaultSpec.parse("500=0.2,drop=0.2,slow=0.2,malformed=0.2,seed=11")
    first = [FaultInjector(spec).draw() for _ in range(1)]
    a, b = FaultInjector(spec), FaultInjector(spec)
    draws_a = [a.draw() for _ in range(200)]
    assert draws_a == [b.draw() for _ in range(200)]
    assert first[0] == draws_a[0]
    assert {"500", "drop", "slow", "malformed", None} == set(draws_a)
    other = FaultInjector(FaultSpec.parse("500=0.2,drop=0.2,slow=0.2,malformed=0.2,seed=12"))
    assert [other.draw() for _ in range(200)] != draws_a


def test_fault_rates_are_roughly_honoured() -> None:
    injector = FaultInjector(FaultSpec.parse("500=0.25,seed=3"))
    hits = sum(injector.draw() == "500" for _ in range(4000))
    assert 800 < hits < 1200


def test_truncated_json_never_parses() -> None:
    for body in (b"", b"{}", b'{"a":1}', json.dumps([{"id": i} for i in range(50)]).encode()):
        with pytest.raises(ValueError):
            json.loads(truncate_json(body))


# --- the rate limiter -------------------------------------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_sliding_window_and_retry_after() -> None:
    time = FakeTime()
    limiter = RateLimiter(3, time)
    assert [limiter.admit() for _ in range(3)] == [None, None, None]
    assert limiter.admit() == 1  # the window frees up within a second
    time.now += 0.5
    assert limiter.admit() == 1
    time.now += 0.6  # the first three fell out of the window
    assert [limiter.admit() for _ in range(3)] == [None, None, None]
    assert limiter.admit() == 1


def test_rate_limiter_off_admits_everything() -> None:
    limiter = RateLimiter(None, FakeTime())
    assert all(limiter.admit() is None for _ in range(10_000))
    limiter.set_limit(0)
    assert limiter.admit() is None


# --- through HTTP -----------------------------------------------------------------------------


def _faulty(fresh: Sandbox, kind: str, slow_ms: int = 0) -> None:
    fresh.control.configure(faults=f"{kind}=1,seed=1,slow_ms={slow_ms}")


def test_fault_500_answers_connectwise_error(fresh: Sandbox) -> None:
    _faulty(fresh, "500")
    with make_client(fresh) as c:
        r = c.get("/service/tickets")
    assert r.status_code == 500
    assert r.json()["code"] == "ConnectWiseApi"
    assert r.headers["content-type"].startswith("application/json")


def test_fault_drop_closes_without_answer(fresh: Sandbox) -> None:
    _faulty(fresh, "drop")
    with make_client(fresh) as c, pytest.raises(httpx2.RemoteProtocolError):
        c.get("/system/info")


def test_fault_malformed_sends_truncated_json(fresh: Sandbox) -> None:
    _faulty(fresh, "malformed")
    with make_client(fresh) as c:
        r = c.get("/service/tickets")
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()


def test_fault_slow_outlasts_the_client_timeout(fresh: Sandbox) -> None:
    _faulty(fresh, "slow", slow_ms=20_000)
    with make_client(fresh, timeout=0.5) as c, pytest.raises(httpx2.ReadTimeout):
        c.get("/system/info")


def test_fault_slow_still_answers_when_client_waits(fresh: Sandbox) -> None:
    _faulty(fresh, "slow", slow_ms=50)
    with make_client(fresh) as c:
        assert c.get("/system/info").status_code == 200


@pytest.mark.parametrize("kind", ["500", "drop", "malformed"])
def test_fault_on_create_strikes_after_the_ticket_is_stored(fresh: Sandbox, kind: str) -> None:
    with make_client(fresh) as c:
        before = c.get("/service/tickets/count").json()["count"]
        company = c.get("/company/companies", params={"pageSize": 1}).json()[0]["id"]
        summary = f"Printer jammed again ({kind})"
        _faulty(fresh, kind)
        try:
            r = c.post("/service/tickets", json={"summary": summary, "company": {"id": company}})
            assert r.status_code == 500 if kind == "500" else r.status_code == 201
            if kind == "malformed":
                with pytest.raises(ValueError):
                    r.json()
        except httpx2.RemoteProtocolError:
            assert kind == "drop"
        fresh.control.configure(faults="none")
        after = c.get("/service/tickets/count").json()["count"]
        found = c.get("/service/tickets", params={"conditions": f'summary = "{summary}"'}).json()
    assert after == before + 1
    assert len(found) == 1


@pytest.mark.parametrize("write", ["late", "never"])
def test_fault_on_create_can_store_late_or_never(fresh: Sandbox, write: str) -> None:
    with make_client(fresh) as c:
        company = c.get("/company/companies", params={"pageSize": 1}).json()[0]["id"]
        summary = f"Docking station dead ({write})"
        # The delay leaves a slow machine ample time to look before a late write lands.
        fresh.control.configure(faults=f"500=1,write={write},write_delay_ms=1000")
        r = c.post("/service/tickets", json={"summary": summary, "company": {"id": company}})
        fresh.control.configure(faults="none")
        assert r.status_code == 500
        query = {"conditions": f'summary = "{summary}"'}
        assert c.get("/service/tickets", params=query).json() == []  # not yet (or never)
        if write == "late":
            deadline = time.monotonic() + 30
            while not (found := c.get("/service/tickets", params=query).json()):
                assert time.monotonic() < deadline, "the late write never landed"
                time.sleep(0.05)
        else:
            time.sleep(1.5)  # well past the delay: a late write would have landed
            found = c.get("/service/tickets", params=query).json()
    assert len(found) == (1 if write == "late" else 0)
    spec = FaultSpec.parse("drop=1,write=late,write_delay_ms=50")
    assert (spec.write, spec.write_delay_ms) == ("late", 50)
    assert FaultSpec.parse(spec.text()) == spec
    with pytest.raises(FaultSpecError):
        FaultSpec.parse("drop=1,write=sometimes")


def test_fault_on_patch_strikes_after_the_change(fresh: Sandbox) -> None:
    with make_client(fresh) as c:
        ticket = c.get("/service/tickets", params={"pageSize": 1}).json()[0]
        _faulty(fresh, "500")
        r = c.patch(
            f"/service/tickets/{ticket['id']}",
            json=[{"op": "replace", "path": "summary", "value": "Changed despite the 500"}],
        )
        assert r.status_code == 500
        fresh.control.configure(faults="none")
        assert c.get(f"/service/tickets/{ticket['id']}").json()["summary"] == (
            "Changed despite the 500"
        )


def test_faults_spare_login_and_control(fresh: Sandbox) -> None:
    _faulty(fresh, "500")
    assert httpx2.get(fresh.url + "/login/companyinfo/sandbox").status_code == 200
    assert httpx2.get(fresh.url + "/_sandbox/health").status_code == 200


def test_same_seed_gives_same_fault_sequence() -> None:
    outcomes = []
    for _ in range(2):
        with Sandbox(config(tickets=30, faults="500=0.5,seed=5")) as sb, make_client(sb) as c:
            outcomes.append([c.get("/system/info").status_code for _ in range(20)])
    assert outcomes[0] == outcomes[1]
    assert set(outcomes[0]) == {200, 500}


def test_rate_limit_answers_429_with_retry_after() -> None:
    time = FakeTime()
    with Sandbox(config(tickets=30, rate_limit=3, monotonic=time)) as sb, make_client(sb) as c:
        codes = [c.get("/system/info").status_code for _ in range(3)]
        refused = c.get("/system/info")
        login = httpx2.get(sb.url + "/login/companyinfo/sandbox")
        control = httpx2.get(sb.url + "/_sandbox/health")
        time.now += 1.5
        again = c.get("/system/info")
    assert codes == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.json()["code"] == "TooManyRequests"
    assert (login.status_code, control.status_code) == (200, 200)
    assert again.status_code == 200


def test_rate_limit_can_be_set_and_lifted_at_run_time(fresh: Sandbox) -> None:
    fresh.control.configure(rate_limit=1)
    with make_client(fresh) as c:
        statuses = {c.get("/system/info").status_code for _ in range(5)}
        assert 429 in statuses
        r = httpx2.post(fresh.url + "/_sandbox/config", json={"rate_limit": None})
        assert r.json()["rate_limit"] is None
        assert {c.get("/system/info").status_code for _ in range(5)} == {200}
