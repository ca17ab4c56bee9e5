"""``python -m psa.sandbox`` as a child process: one line, serves, stops cleanly, reproducible."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx2
import pytest

from psa.sandbox import spawn_sandbox
from psa.sandbox.__main__ import parse_args
from tests.psa.sandbox.conftest import auth_headers


def test_cli_prints_exactly_one_line_serves_and_exits_cleanly() -> None:
    proc = spawn_sandbox(["--seed", "3", "--tickets", "40", "--shapes", "lean"])
    with proc:
        assert re.fullmatch(r"listening on http://127\.0\.0\.1:\d+\n", proc.line)
        company = httpx2.get(proc.url + "/login/companyinfo/sandbox").json()
        api = f"{proc.url}/{company['Codebase']}apis/3.0"
        assert api == proc.api_url
        r = httpx2.get(api + "/service/tickets/count", headers=auth_headers())
        assert r.json() == {"count": 40}
    assert proc.process.returncode == 0
    assert proc.process.stdout is not None and proc.process.stdout.closed


def test_cli_sigint_also_exits_cleanly() -> None:
    import signal

    if sys.platform == "win32":
        pytest.skip("SIGINT cannot be sent to a child on Windows")
    proc = spawn_sandbox(["--tickets", "10"])
    proc.process.send_signal(signal.SIGINT)
    assert proc.process.wait(30) == 0
    assert proc.process.stdout is not None
    assert proc.process.stdout.read() == ""  # nothing after the listening line
    proc.close()


FIELDS = (
    "id,summary,board/name,status/name,company/name,contact/name,owner/identifier,"
    "priority/name,resources,closedFlag,parentTicketId"
)


def test_same_flags_give_same_ids_and_content() -> None:
    bodies = []
    for _ in range(2):
        with spawn_sandbox(["--seed", "9", "--tickets", "30"]) as proc:
            r = httpx2.get(
                proc.api_url + "/service/tickets",
                # hrefs carry the port and timestamps the start time: compare the rest
                params={"pageSize": 1000, "fields": FIELDS},
                headers=auth_headers(),
            )
            bodies.append(r.json())
    assert bodies[0] == bodies[1]
    assert len(bodies[0]) == 30


def test_cli_flags_map_to_the_config() -> None:
    cfg = parse_args(
        [
            "--port", "0", "--seed", "2", "--tickets", "5", "--latency-ms", "40",
            "--rate-limit", "7", "--faults", "500=0.1,seed=2", "--activity",
            "--activity-interval", "1.5", "--shapes", "nulls", "--like-wildcards", "percent",
            "--notes-bump-last-updated", "false",
        ]
    )  # fmt: skip
    assert cfg.like_wildcards == "percent" and cfg.notes_bump_last_updated is False
    assert parse_args([]).like_wildcards == "both"
    assert parse_args([]).notes_bump_last_updated is True
    assert (cfg.seed, cfg.tickets, cfg.latency_ms, cfg.rate_limit) == (2, 5, 40, 7)
    assert (cfg.faults, cfg.activity, cfg.activity_interval, cfg.shapes) == (
        "500=0.1,seed=2",
        True,
        1.5,
        "nulls",
    )


@pytest.mark.parametrize(
    "args",
    [["--faults", "teapot=1"], ["--shapes", "huge"], ["--tickets", "-1"],
     ["--like-wildcards", "question"]],
)
def test_cli_rejects_bad_flags(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "psa.sandbox", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "usage" in done.stderr


def test_port_in_use_fails_with_a_message() -> None:
    with spawn_sandbox(["--tickets", "5"]) as first:
        port = first.url.rsplit(":", 1)[1]
        done = subprocess.run(
            [sys.executable, "-m", "psa.sandbox", "--port", port, "--tickets", "5"],
            capture_output=True,
            check=False,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "psa.sandbox" in done.stderr


def test_same_config_and_fixed_clock_give_identical_bodies_but_for_the_port() -> None:
    from psa.sandbox import Sandbox
    from tests.psa.sandbox.conftest import config, make_client

    bodies = []
    for _ in range(2):
        with Sandbox(config(tickets=40)) as sb, make_client(sb) as c:
            text = c.get("/service/tickets", params={"pageSize": 1000}).text
            notes = c.get("/service/tickets/20001/allNotes").text
            bodies.append((text + notes).replace(sb.url, "http://host"))
    assert bodies[0] == bodies[1]
