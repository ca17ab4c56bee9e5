"""``python -m psa``: tickets and diagnose, against a sandbox (a few real subprocess runs)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from psa.cli import main
from psa.sandbox import Sandbox


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "psa", *args], capture_output=True, text=True,
                          timeout=120, check=False)


def test_tickets_json_from_a_sandbox() -> None:
    done = run_cli("tickets", "--sandbox", "--json", "--board-id", "1", "--page-size", "7")
    assert done.returncode == 0, done.stderr
    page = json.loads(done.stdout)
    assert len(page["items"]) == 7 and page["total"] >= 7
    assert all(item["board_id"] == 1 and not item["closed"] for item in page["items"])


def test_diagnose_with_the_restricted_key_lists_missing_permissions_and_fails() -> None:
    done = run_cli("diagnose", "--sandbox", "--restricted")
    assert done.returncode == 1, done.stderr
    missing = {line.split("  ")[0] + " > " + line.split("MISSING")[0].split("  ", 1)[1].strip()
               for line in done.stdout.splitlines() if " MISSING " in line}
    assert missing == {
        "Service Desk > Resource Scheduling (Inquire)", "System > Table Setup (Inquire)",
        "System > Member Maintenance (Inquire)", "Companies > Configurations (Inquire)",
    }
    assert "Service Tickets (Inquire)" in done.stdout and " ERROR " not in done.stdout


def test_diagnose_with_the_full_key_passes(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    monkeypatch.setenv("CW_PRIVATE_KEY", "sandbox-private")
    out = io.StringIO()
    code = main(["diagnose", "--site", sandbox.url, "--company-id", "sandbox",
                 "--public-key", "sandbox-public",
                 "--client-id", "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b", "--json"], out)
    assert code == 0
    results = json.loads(out.getvalue())
    assert {r["outcome"] for r in results} == {"OK", "UNCHECKED"}
    unchecked = [r for r in results if r["outcome"] == "UNCHECKED"]
    assert [r["action"] for r in unchecked] == ["Close Service Tickets (Inquire)"]
    assert unchecked[0]["detail"].startswith("not checkable from here")


def test_site_options_come_from_the_environment(sandbox: Sandbox,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"CW_SITE": sandbox.url, "CW_COMPANY_ID": "sandbox",
                        "CW_PUBLIC_KEY": "sandbox-public", "CW_PRIVATE_KEY": "sandbox-private",
                        "CW_CLIENT_ID": "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"}.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    assert main(["tickets", "--assigned", "me", "--page-size", "3"], out) == 0
    assert "tickets" in out.getvalue().splitlines()[-1]


def test_private_key_is_never_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["tickets", "--site", "x", "--private-key", "secret"])
    assert info.value.code == 2
    assert "unrecognized arguments: --private-key" in capsys.readouterr().err


def test_missing_site_options_are_a_usage_error(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("CW_SITE", "CW_COMPANY_ID", "CW_PUBLIC_KEY", "CW_CLIENT_ID", "CW_PRIVATE_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["tickets", "--site", "na.myconnectwise.net"]) == 2
    assert "missing --company-id, --public-key, --client-id" in capsys.readouterr().err
