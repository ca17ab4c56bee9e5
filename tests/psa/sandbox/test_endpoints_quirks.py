"""ConnectWise's quirks (API-NOTES.md, "Quirks observed in the field"), each seen through HTTP."""

from __future__ import annotations

from typing import Any

import httpx2

from psa.sandbox import Sandbox


def _open_ticket(c: httpx2.Client, extra: str = "") -> dict[str, Any]:
    conditions = "closedFlag = false and parentTicketId = null" + extra
    rows = c.get("/service/tickets", params={"conditions": conditions, "pageSize": 1}).json()
    assert rows
    first: dict[str, Any] = rows[0]
    return first


def _statuses(c: httpx2.Client, board: int) -> list[dict[str, Any]]:
    statuses: list[dict[str, Any]] = c.get(
        f"/service/boards/{board}/statuses", params={"pageSize": 1000}
    ).json()
    return statuses


def _advance(sb: Sandbox, seconds: int = 600) -> str:
    r = httpx2.post(sb.url + "/_sandbox/clock/advance", json={"seconds": seconds})
    return str(r.json()["serverTime"])


def test_patching_resources_is_ignored(fresh: Sandbox, fresh_client: httpx2.Client) -> None:
    c = fresh_client
    ticket = _open_ticket(c)
    r = c.patch(
        f"/service/tickets/{ticket['id']}",
        json=[{"op": "replace", "path": "resources", "value": "jdoe, nobody"}],
    )
    assert r.status_code == 200
    assert r.json().get("resources") == ticket.get("resources")
    assert c.get(f"/service/tickets/{ticket['id']}").json().get("resources") == ticket.get(
        "resources"
    )


def test_status_from_another_board_is_silently_ignored(fresh_client: httpx2.Client) -> None:
    c = fresh_client
    ticket = _open_ticket(c)
    board = ticket["board"]["id"]
    own = {s["id"] for s in _statuses(c, board)}
    boards = c.get("/service/boards").json()
    foreign = next(
        s["id"]
        for b in boards
        if b["id"] != board
        for s in _statuses(c, b["id"])
        if s["id"] not in own
    )
    r = c.patch(
        f"/service/tickets/{ticket['id']}",
        json=[{"op": "replace", "path": "status", "value": {"id": foreign}}],
    )
    assert r.status_code == 200
    assert r.json()["status"]["id"] == ticket["status"]["id"]


def test_status_on_the_same_board_is_applied(fresh_client: httpx2.Client) -> None:
    c = fresh_client
    ticket = _open_ticket(c)
    other = next(
        s
        for s in _statuses(c, ticket["board"]["id"])
        if s["id"] != ticket["status"]["id"] and not s.get("closedStatus")
    )
    r = c.patch(
        f"/service/tickets/{ticket['id']}",
        json=[{"op": "replace", "path": "status", "value": {"id": other["id"]}}],
    )
    assert r.status_code == 200
    assert r.json()["status"]["id"] == other["id"]
    assert r.json()["_info"]["updatedBy"] == "dispatch"


def test_create_without_summary_and_company_is_400_naming_both(
    fresh_client: httpx2.Client,
) -> None:
    r = fresh_client.post("/service/tickets", json={"board": {"id": 1}})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "InvalidObject"
    fields = {e.get("field") for e in body["errors"]}
    assert {"summary", "company"} <= {f.split("/")[0] for f in fields if f}


def test_create_with_a_long_summary_is_400_naming_summary(fresh_client: httpx2.Client) -> None:
    company = fresh_client.get("/company/companies").json()[0]["id"]
    r = fresh_client.post(
        "/service/tickets", json={"summary": "x" * 101, "company": {"id": company}}
    )
    assert r.status_code == 400
    assert [e["field"] for e in r.json()["errors"]] == ["summary"]
    ok = fresh_client.post(
        "/service/tickets", json={"summary": "x" * 100, "company": {"id": company}}
    )
    assert ok.status_code == 201


def test_create_with_parent_ticket_id_links_the_child_in_one_request(
    fresh_client: httpx2.Client,
) -> None:
    c = fresh_client
    parent = _open_ticket(c, " and hasChildTicket = false")
    r = c.post("/service/tickets", json={"summary": "Follow-up", "company": parent["company"],
                                         "parentTicketId": parent["id"]})
    assert r.status_code == 201, r.text
    child = r.json()
    assert child["parentTicketId"] == parent["id"]
    assert c.get(f"/service/tickets/{parent['id']}").json()["hasChildTicket"] is True
    children = c.get(
        "/service/tickets", params={"conditions": f"parentTicketId = {parent['id']}"}
    ).json()
    assert [t["id"] for t in children] == [child["id"]]


def test_create_under_a_missing_parent_is_400_naming_parent_ticket_id(
    fresh_client: httpx2.Client,
) -> None:
    c = fresh_client
    company = c.get("/company/companies").json()[0]["id"]
    before = c.get("/service/tickets/count").json()["count"]
    r = c.post("/service/tickets", json={"summary": "Follow-up", "company": {"id": company},
                                         "parentTicketId": 999_999})
    assert r.status_code == 400
    assert [e["field"] for e in r.json()["errors"]] == ["parentTicketId"]
    assert "999999" in r.json()["errors"][0]["message"]
    assert c.get("/service/tickets/count").json()["count"] == before


def test_note_bumps_last_updated(fresh: Sandbox, fresh_client: httpx2.Client) -> None:
    c = fresh_client
    ticket = _open_ticket(c)
    now = _advance(fresh)
    r = c.post(f"/service/tickets/{ticket['id']}/notes", json={"text": "Left a voicemail."})
    assert r.status_code == 201
    after = c.get(f"/service/tickets/{ticket['id']}").json()
    assert after["_info"]["lastUpdated"] == now
    changed = c.get(
        "/service/tickets", params={"conditions": f"lastUpdated >= [{now}]", "fields": "id"}
    ).json()
    assert {"id": ticket["id"]} in changed


def test_a_literal_newline_in_note_json_is_refused_an_escaped_one_kept(
    fresh: Sandbox, fresh_client: httpx2.Client
) -> None:
    c = fresh_client
    ticket = _open_ticket(c)
    path = f"/service/tickets/{ticket['id']}/notes"
    before = len(c.get(path).json())
    raw = c.post(path, content=b'{"text": "line one\nline two"}',
                 headers={"Content-Type": "application/json"})
    assert raw.status_code == 400 and raw.json()["code"] == "InvalidObject"
    assert "control character" in raw.json()["message"]
    assert len(c.get(path).json()) == before
    escaped = c.post(path, json={"text": "line one\nline two"})
    assert escaped.status_code == 201 and escaped.json()["text"] == "line one\nline two"


def test_system_info_has_no_cloud_region_on_premises(fresh_client: httpx2.Client) -> None:
    info = fresh_client.get("/system/info").json()
    assert info["isCloud"] is False and "cloudRegion" not in info


def test_schedule_entry_is_a_resource_and_bumps_last_updated(
    fresh: Sandbox, fresh_client: httpx2.Client
) -> None:
    c = fresh_client
    ticket = _open_ticket(c)
    members = c.get("/system/members", params={"conditions": "inactiveFlag = false"}).json()
    owner = (ticket.get("owner") or {}).get("identifier")
    member = next(m for m in members if m["identifier"] not in (owner, "dispatch"))
    now = _advance(fresh)
    r = c.post(
        "/schedule/entries",
        json={"objectId": ticket["id"], "member": {"id": member["id"]}, "type": {"id": 4}},
    )
    assert r.status_code == 201
    entry = r.json()
    after = c.get(f"/service/tickets/{ticket['id']}").json()
    assert after["_info"]["lastUpdated"] == now
    assert member["identifier"] in (after.get("resources") or "")
    listed = c.get(
        "/schedule/entries", params={"conditions": f"type/id=4 and objectId={ticket['id']}"}
    ).json()
    assert entry["id"] in [e["id"] for e in listed]

    later = _advance(fresh)
    assert c.delete(f"/schedule/entries/{entry['id']}").status_code == 204
    gone = c.get(f"/service/tickets/{ticket['id']}").json()
    assert gone["_info"]["lastUpdated"] == later
    assert member["identifier"] not in (gone.get("resources") or "")
    assert c.get(f"/schedule/entries/{entry['id']}").status_code == 404


def test_board_change_without_valid_status_is_400_naming_status(
    fresh_client: httpx2.Client,
) -> None:
    c = fresh_client
    ticket = _open_ticket(c)
    board = next(b for b in c.get("/service/boards").json() if b["id"] != ticket["board"]["id"])
    r = c.patch(
        f"/service/tickets/{ticket['id']}",
        json=[{"op": "replace", "path": "board", "value": {"id": board["id"]}}],
    )
    names = {s["name"] for s in _statuses(c, board["id"])}
    if ticket["status"]["name"] in names:
        # the status name exists on the new board: ConnectWise maps it; nothing to refuse
        assert r.status_code == 200
        return
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "InvalidObject"
    assert any("status" in (e.get("field") or "") for e in body["errors"])
    assert c.get(f"/service/tickets/{ticket['id']}").json()["board"]["id"] == ticket["board"]["id"]


def test_board_change_with_a_status_of_the_new_board_works(fresh_client: httpx2.Client) -> None:
    c = fresh_client
    ticket = _open_ticket(c)
    board = next(b for b in c.get("/service/boards").json() if b["id"] != ticket["board"]["id"])
    status = _statuses(c, board["id"])[0]
    r = c.patch(
        f"/service/tickets/{ticket['id']}",
        json=[
            {"op": "replace", "path": "board", "value": {"id": board["id"]}},
            {"op": "replace", "path": "status", "value": {"id": status["id"]}},
        ],
    )
    assert r.status_code == 200, r.text
    assert (r.json()["board"]["id"], r.json()["status"]["id"]) == (board["id"], status["id"])


def test_attach_children_sets_parent(fresh_client: httpx2.Client) -> None:
    c = fresh_client
    rows = c.get(
        "/service/tickets",
        params={
            "conditions": "closedFlag = false and parentTicketId = null and hasChildTicket = false",
            "pageSize": 3,
        },
    ).json()
    parent, child = rows[0], rows[1]
    r = c.post(
        f"/service/tickets/{parent['id']}/attachChildren", json={"childTicketIds": [child["id"]]}
    )
    assert r.status_code == 200, r.text
    assert c.get(f"/service/tickets/{child['id']}").json()["parentTicketId"] == parent["id"]
    assert c.get(f"/service/tickets/{parent['id']}").json()["hasChildTicket"] is True
    children = c.get(
        "/service/tickets", params={"conditions": f"parentTicketId = {parent['id']}"}
    ).json()
    assert [t["id"] for t in children] == [child["id"]]


def test_merge_folds_a_ticket_into_another(fresh_client: httpx2.Client) -> None:
    c = fresh_client
    ticket = _open_ticket(c)
    other = _open_ticket(c, f" and board/id = {ticket['board']['id']} and id != {ticket['id']}")
    closed = next(s for s in _statuses(c, ticket["board"]["id"]) if s.get("closedStatus"))
    r = c.post(
        f"/service/tickets/{ticket['id']}/merge",
        json={"mergeTicketIds": [other["id"]], "status": {"id": closed["id"]}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["success"] is True
    merged = c.get(f"/service/tickets/{other['id']}").json()
    assert merged["mergedParentTicket"]["id"] == ticket["id"]
    assert (merged["status"]["id"], merged["closedFlag"]) == (closed["id"], True)
    assert c.get(f"/service/tickets/{ticket['id']}").json()["hasMergedChildTicketFlag"] is True


def test_calculate_sla_returns_the_selected_tickets(client: httpx2.Client) -> None:
    rows = client.get(
        "/service/tickets", params={"conditions": "closedFlag = false", "pageSize": 5}
    ).json()
    ids = ",".join(str(t["id"]) for t in rows)
    sla = client.get(
        "/service/tickets/calculateSla", params={"conditions": f"id in ({ids})"}
    ).json()
    assert sorted(t["id"] for t in sla) == sorted(t["id"] for t in rows)
    assert all("respondMinutes" in t or "slaStatus" in t for t in sla)
