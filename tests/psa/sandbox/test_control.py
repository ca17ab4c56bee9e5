"""The ``/_sandbox/`` control API and its Python handle: stats, config, activity, revoke..."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx2

from psa.sandbox import Sandbox
from psa.sandbox.clock import FixedClock
from tests.psa.sandbox.conftest import START, make_client


def test_health_answers_without_cw_auth(sandbox: Sandbox) -> None:
    r = httpx2.get(sandbox.url + "/_sandbox/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["tickets"] >= 300


def test_control_api_is_not_under_the_connectwise_prefix(sandbox: Sandbox) -> None:
    with make_client(sandbox) as c:
        assert c.get("/_sandbox/health").status_code == 404


def test_unknown_control_endpoint_and_wrong_method(sandbox: Sandbox) -> None:
    assert httpx2.get(sandbox.url + "/_sandbox/nope").status_code == 404
    r = httpx2.get(sandbox.url + "/_sandbox/revoke")
    assert r.status_code == 405
    assert r.headers["Allow"] == "POST"


def test_stats_count_requests_and_bytes_per_endpoint_template(fresh: Sandbox) -> None:
    with make_client(fresh) as c:
        ids = [t["id"] for t in c.get("/service/tickets", params={"pageSize": 3}).json()]
        for ticket_id in ids:
            c.get(f"/service/tickets/{ticket_id}")
        c.get("/service/tickets")
    stats = httpx2.get(fresh.url + "/_sandbox/stats").json()
    one = stats["endpoints"]["GET /service/tickets/{id}"]
    assert one["requests"] == 3
    assert one["statuses"] == {"200": 3}
    assert one["bytes_out"] > 0 and one["bytes_in"] > 0
    assert stats["endpoints"]["GET /service/tickets"]["requests"] == 2
    assert stats["totals"]["requests"] == 5
    assert stats["totals"]["bytes_out"] == sum(e["bytes_out"] for e in stats["endpoints"].values())
    assert not any(key.startswith("GET /_sandbox") for key in stats["endpoints"])


def test_reset_stats_starts_over(fresh: Sandbox) -> None:
    with make_client(fresh) as c:
        c.get("/system/info")
    assert fresh.control.stats()["totals"]["requests"] == 1
    r = httpx2.post(fresh.url + "/_sandbox/reset-stats")
    assert r.json()["totals"]["requests"] == 0
    assert fresh.control.stats()["endpoints"] == {}


def test_runtime_config_round_trips_over_http(fresh: Sandbox) -> None:
    body = {"latency_ms": 5, "faults": "500=0.1,seed=3", "shapes": "lean", "rate_limit": 50,
            "like_wildcards": "star", "notes_bump_last_updated": False}
    r = httpx2.post(fresh.url + "/_sandbox/config", json=body)
    assert r.status_code == 200
    got = httpx2.get(fresh.url + "/_sandbox/config").json()
    assert got["like_wildcards"] == "star"
    assert got["notes_bump_last_updated"] is False and not fresh.store.notes_bump_last_updated
    with make_client(fresh) as c:
        count = c.get("/service/tickets/count", params={"conditions": "summary like '%'"})
        assert count.json() == {"count": 0}  # % is an ordinary character now
    assert got["latency_ms"] == 5
    assert got["shapes"] == "lean"
    assert got["rate_limit"] == 50
    assert got["faults"].startswith("500=0.1,seed=3")
    assert fresh.control.config() == got


def test_runtime_config_rejects_bad_values(fresh: Sandbox) -> None:
    for bad in ({"shapes": "fat"}, {"faults": "teapot=1"}, {"latency_ms": -1}, {"colour": 1},
                {"like_wildcards": "question-mark"}, {"notes_bump_last_updated": "no"}):
        r = httpx2.post(fresh.url + "/_sandbox/config", json=bad)
        assert r.status_code == 400, bad
    assert httpx2.post(fresh.url + "/_sandbox/config", content=b"not json").status_code == 400
    assert fresh.control.config()["shapes"] == "full"


def test_latency_is_added_to_api_responses(fresh: Sandbox) -> None:
    fresh.control.configure(latency_ms=300)
    with make_client(fresh) as c:
        started = time.monotonic()
        c.get("/system/info")
        assert time.monotonic() - started >= 0.3


def test_latency_does_not_block_other_connections(fresh: Sandbox) -> None:
    fresh.control.configure(latency_ms=60_000)
    with ThreadPoolExecutor(1) as pool, make_client(fresh, timeout=120.0) as c:
        slow = pool.submit(c.get, "/system/info")
        in_flight = 0
        deadline = time.monotonic() + 30
        while in_flight == 0 and time.monotonic() < deadline:
            # served by the same event loop while the API request waits out its latency
            in_flight = httpx2.get(fresh.url + "/_sandbox/health").json()["inFlight"]
        assert in_flight == 1
        assert not slow.done()
        fresh.stop()  # cuts the waiting connection
        assert isinstance(slow.exception(timeout=30), httpx2.HTTPError)


def test_activity_step_changes_data_and_says_what_it_did(fresh: Sandbox) -> None:
    with make_client(fresh) as c:
        before = c.get("/service/tickets", params={"pageSize": 1000}).json()
        r = httpx2.post(fresh.url + "/_sandbox/activity/step", json={"steps": 5})
        assert r.status_code == 200
        actions = r.json()["actions"]
        after = c.get("/service/tickets", params={"pageSize": 1000}).json()
    assert actions and all(isinstance(a, str) for a in actions)
    assert before != after


def test_activity_steps_are_deterministic() -> None:
    from tests.psa.sandbox.conftest import config

    runs = []
    for _ in range(2):
        with Sandbox(config(tickets=60)) as sb:
            runs.append(sb.control.step_activity(8))
    assert runs[0] == runs[1]


def test_background_activity_runs_on_its_own() -> None:
    from tests.psa.sandbox.conftest import config

    with Sandbox(config(tickets=60, activity=True, activity_interval=0.05)) as sb:
        deadline = time.monotonic() + 30
        changed = threading.Event()
        with make_client(sb) as c:
            first = c.get("/service/tickets/count").json()
            first_page = c.get("/service/tickets", params={"orderBy": "id desc"}).json()
            while time.monotonic() < deadline and not changed.is_set():
                now_page = c.get("/service/tickets", params={"orderBy": "id desc"}).json()
                if now_page != first_page or c.get("/service/tickets/count").json() != first:
                    changed.set()
                time.sleep(0.05)
    assert changed.is_set()


def test_revoke_gives_401_mid_session_and_restore_undoes_it(fresh: Sandbox) -> None:
    with make_client(fresh) as c:
        assert c.get("/system/info").status_code == 200
        r = httpx2.post(fresh.url + "/_sandbox/revoke", json={"public_key": "sandbox-public"})
        assert r.json()["revoked"] == ["sandbox-public"]
        refused = c.get("/system/info")
        assert refused.status_code == 401
        assert refused.json()["code"] == "Unauthorized"
        httpx2.post(fresh.url + "/_sandbox/restore", json={"public_key": "sandbox-public"})
        assert c.get("/system/info").status_code == 200
    bad = httpx2.post(fresh.url + "/_sandbox/revoke", json={"public_key": "who"})
    assert bad.status_code == 404


def test_shapes_setting_changes_bodies(fresh: Sandbox) -> None:
    with make_client(fresh) as c:
        full = c.get("/service/tickets", params={"pageSize": 50}).json()
        fresh.control.configure(shapes="lean")
        lean = c.get("/service/tickets", params={"pageSize": 50}).json()
        fresh.control.configure(shapes="nulls")
        nulls = c.get("/service/tickets", params={"pageSize": 50}).json()
    assert [t["id"] for t in full] == [t["id"] for t in lean] == [t["id"] for t in nulls]
    assert sum(map(len, lean)) < sum(map(len, full))
    assert any(v is None for t in nulls for v in t.values())
    assert not any(v is None for t in full for v in t.values())


def test_clock_advance_moves_a_fixed_clock(fresh: Sandbox) -> None:
    r = httpx2.post(fresh.url + "/_sandbox/clock/advance", json={"seconds": 3600})
    assert r.status_code == 200
    assert r.json()["serverTime"] == "2026-11-27T15:00:00Z"
    assert isinstance(fresh.clock, FixedClock)
    assert fresh.clock.now() == START + timedelta(hours=1)
