"""Every endpoint with the full key, the restricted key, the no-ticket key and wrong credentials."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest

from psa.sandbox import Sandbox
from tests.psa.sandbox.conftest import FULL, NOACCESS, RESTRICTED, auth_headers, make_client


@dataclass(frozen=True)
class Call:
    """One endpoint call; ``{name}`` placeholders are filled from discovered ids."""

    method: str
    path: str
    needs: str  # "ticket" (Service Tickets), "table", "member", "schedule", "config", "" (none)
    body: Any = None
    ok: int = 200
    writes: bool = False


CALLS = (
    Call("GET", "/system/info", ""),
    Call("GET", "/system/myAccount", ""),
    Call("GET", "/system/members", "member"),
    Call("GET", "/system/members/count", "member"),
    Call("GET", "/system/members/{member}", "member"),
    Call("GET", "/company/companies", ""),
    Call("GET", "/company/companies/count", ""),
    Call("GET", "/company/companies/{company}", ""),
    Call("GET", "/company/contacts", ""),
    Call("GET", "/company/contacts/count", ""),
    Call("GET", "/company/contacts/{contact}", ""),
    Call("GET", "/company/configurations", "config"),
    Call("GET", "/company/configurations/count", "config"),
    Call("GET", "/company/configurations/{configuration}", "config"),
    Call("GET", "/service/boards", "table"),
    Call("GET", "/service/boards/count", "table"),
    Call("GET", "/service/boards/{board}", "table"),
    Call("GET", "/service/boards/{board}/statuses", "table"),
    Call("GET", "/service/boards/{board}/statuses/count", "table"),
    Call("GET", "/service/boards/{board}/statuses/{status}", "table"),
    Call("GET", "/service/boards/{board}/types", "table"),
    Call("GET", "/service/boards/{board}/types/count", "table"),
    Call("GET", "/service/boards/{board}/types/{type}", "table"),
    Call("GET", "/service/boards/{board}/subtypes", "table"),
    Call("GET", "/service/boards/{board}/subtypes/count", "table"),
    Call("GET", "/service/boards/{board}/subtypes/{subtype}", "table"),
    Call("GET", "/service/boards/{board}/items", "table"),
    Call("GET", "/service/boards/{board}/items/count", "table"),
    Call("GET", "/service/boards/{board}/items/{item}", "table"),
    Call("GET", "/service/priorities", "table"),
    Call("GET", "/service/priorities/count", "table"),
    Call("GET", "/service/priorities/{priority}", "table"),
    Call("GET", "/service/tickets", "ticket"),
    Call("GET", "/service/tickets/count", "ticket"),
    Call("POST", "/service/tickets/search", "ticket", {"conditions": "closedFlag = false"}),
    Call("GET", "/service/tickets/calculateSla?conditions=id={ticket}", "ticket"),
    Call("GET", "/service/tickets/{ticket}", "ticket"),
    Call("GET", "/service/tickets/{ticket}/notes", "ticket"),
    Call("GET", "/service/tickets/{ticket}/notes/count", "ticket"),
    Call("GET", "/service/tickets/{ticket}/notes/{note}", "ticket"),
    Call("GET", "/service/tickets/{ticket}/allNotes", "ticket"),
    Call("GET", "/service/tickets/{ticket}/configurations", "ticket+config"),
    Call("GET", "/service/tickets/{ticket}/configurations/count", "ticket+config"),
    Call("GET", "/schedule/entries", "schedule"),
    Call("GET", "/schedule/entries/count", "schedule"),
    Call("GET", "/schedule/entries/{entry}", "schedule"),
    Call(
        "POST",
        "/service/tickets",
        "ticket",
        {"summary": "Outlook keeps asking for a password", "company": {"id": "{company}"}},
        201,
        True,
    ),
    Call(
        "PATCH",
        "/service/tickets/{ticket}",
        "ticket",
        [{"op": "replace", "path": "summary", "value": "VPN drops every 10 minutes"}],
        200,
        True,
    ),
    Call(
        "POST",
        "/service/tickets/{ticket}/notes",
        "ticket",
        {"text": "Called the user back, rebooted the router.", "detailDescriptionFlag": True},
        201,
        True,
    ),
    Call(
        "POST",
        "/service/tickets/{ticket}/attachChildren",
        "ticket",
        {"childTicketIds": ["{other}"]},
        200,
        True,
    ),
    Call(
        "POST",
        "/service/tickets/{ticket}/merge",
        "ticket",
        {"mergeTicketIds": ["{other}"], "status": {"id": "{status}"}},
        200,
        True,
    ),
    Call(
        "POST",
        "/schedule/entries",
        "schedule",
        {"objectId": "{ticket}", "member": {"id": "{member}"}, "type": {"id": 4}},
        201,
        True,
    ),
    Call("DELETE", "/schedule/entries/{entry}", "schedule", None, 204, True),
)

DENIED = {
    RESTRICTED: {"member", "table", "schedule", "config", "ticket+config"},
    NOACCESS: {"ticket", "ticket+config"},
    FULL: set(),
}


def discover(sandbox: Sandbox) -> dict[str, Any]:
    """Ids of real records to put in the paths (a ticket with notes, its board, ...)."""
    with make_client(sandbox) as c:
        entries = c.get(
            "/schedule/entries", params={"conditions": "type/id = 4", "pageSize": 1000}
        ).json()
        for entry in entries:  # a ticket with a co-assignee, notes and configurations
            ticket_id = entry["objectId"]
            notes = c.get(f"/service/tickets/{ticket_id}/notes").json()
            if notes and c.get(f"/service/tickets/{ticket_id}/configurations").json():
                break
        else:
            raise AssertionError("no ticket with entries, notes and configurations")
        ticket = c.get(f"/service/tickets/{ticket_id}").json()
        board = ticket["board"]["id"]
        others = c.get(
            "/service/tickets",
            params={
                "conditions": f"board/id = {board} and id != {ticket_id} and closedFlag = false"
                " and parentTicketId = null and mergedParentTicket/id = null",
            },
        ).json()
        kinds = {k: c.get(f"/service/boards/{board}/{k}s").json()[0]["id"]
                 for k in ("type", "subtype", "item")}
        return {
            **kinds,
            "ticket": ticket["id"],
            "other": others[0]["id"],
            "board": board,
            "status": ticket["status"]["id"],
            "note": notes[0]["id"],
            "entry": entry["id"],
            "member": c.get("/system/members").json()[0]["id"],
            "company": c.get("/company/companies").json()[0]["id"],
            "contact": c.get("/company/contacts").json()[0]["id"],
            "configuration": c.get("/company/configurations").json()[0]["id"],
            "priority": c.get("/service/priorities").json()[0]["id"],
        }


def fill(value: Any, ids: dict[str, Any]) -> Any:
    """Fill ``{name}`` placeholders; a whole-string placeholder becomes the int id."""
    if isinstance(value, str):
        for name, number in ids.items():
            if value == f"{{{name}}}":
                return number
            value = value.replace(f"{{{name}}}", str(number))
        return value
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def ids(sandbox: Sandbox) -> dict[str, Any]:
    return discover(sandbox)


@pytest.fixture
def target(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Sandbox]:
    """The shared sandbox for reads; a fresh one (same seed, same ids) for writes."""
    call: Call = request.param
    if not call.writes:
        yield sandbox
        return
    fresh: Sandbox = request.getfixturevalue("fresh_same")
    yield fresh


@pytest.fixture
def fresh_same() -> Iterator[Sandbox]:
    from tests.psa.sandbox.conftest import config

    with Sandbox(config()) as sb:  # same seed and size as the module sandbox: same ids
        yield sb


def _send(sb: Sandbox, call: Call, ids: dict[str, Any], headers: dict[str, str]) -> httpx2.Response:
    with httpx2.Client(base_url=sb.api_url, headers=headers, timeout=30) as c:
        body = fill(call.body, ids)
        return c.request(call.method, fill(call.path, ids), json=body)


def _id(call: Call) -> str:
    return f"{call.method} {call.path}"


@pytest.mark.parametrize("target", CALLS, ids=_id, indirect=True)
@pytest.mark.parametrize("key", [FULL, RESTRICTED, NOACCESS], ids=lambda k: k[0])
def test_endpoint_by_key(
    target: Sandbox, request: pytest.FixtureRequest, ids: dict[str, Any], key: tuple[str, str]
) -> None:
    call: Call = request.node.callspec.params["target"]
    r = _send(target, call, ids, auth_headers(key))
    assert r.headers["api-current-version"] == "2025.8"
    if call.needs in DENIED[key]:
        assert r.status_code == 403, r.text
        body = r.json()
        assert body["code"] == "Security"
        assert "security permission" in body["message"]
        assert body["errors"] is None
        return
    assert r.status_code == call.ok, r.text
    if call.ok == 204:
        assert r.content == b""
        return
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    body = r.json()
    kind = expected_kind(call)
    if kind == "count":
        assert isinstance(body["count"], int) and body["count"] >= 0
    elif kind == "list":
        assert isinstance(body, list) and body, call.path
        assert all(isinstance(item.get("id"), int) for item in body)
    else:
        assert isinstance(body, dict)


def expected_kind(call: Call) -> str:
    """ "count", "list" or "object": what the body of a successful call is."""
    path = call.path.split("?")[0]
    if path.endswith("/count"):
        return "count"
    if path.endswith(("/search", "/calculateSla")):
        return "list"
    last = path.rsplit("/", 1)[1]
    singles = ("info", "myAccount", "attachChildren", "merge")
    if call.method == "GET" and not last.startswith("{") and last not in singles:
        return "list"
    return "object"


@pytest.mark.parametrize("call", [c for c in CALLS if not c.writes], ids=_id)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        auth_headers((FULL[0], "wrong-private")),
        auth_headers(("nobody-public", "nobody-private")),
        auth_headers(FULL, company="othercompany"),
        {"Authorization": auth_headers()["Authorization"]},  # no clientId
    ],
    ids=["none", "wrong-private", "unknown-public", "wrong-company", "no-clientId"],
)
def test_endpoint_with_wrong_credentials_is_401(
    sandbox: Sandbox, ids: dict[str, Any], call: Call, headers: dict[str, str]
) -> None:
    r = _send(sandbox, call, ids, headers)
    assert r.status_code == 401
    body = r.json()
    assert body["code"] == "Unauthorized"
    assert body["message"]
    assert body["errors"] is None


@pytest.mark.parametrize("call", [c for c in CALLS if c.writes], ids=_id)
def test_write_with_wrong_credentials_changes_nothing(fresh: Sandbox, call: Call) -> None:
    ids = discover(fresh)
    with make_client(fresh) as c:
        snapshot = c.get("/service/tickets", params={"pageSize": 1000}).json()
        entries = c.get("/schedule/entries/count").json()
    r = _send(fresh, call, ids, auth_headers((FULL[0], "nope")))
    assert r.status_code == 401
    with make_client(fresh) as c:
        assert c.get("/service/tickets", params={"pageSize": 1000}).json() == snapshot
        assert c.get("/schedule/entries/count").json() == entries
