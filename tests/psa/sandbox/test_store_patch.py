"""PATCH /service/tickets/{id}: JSON Patch semantics and ConnectWise's quirks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from psa.sandbox.clock import FixedClock, cw_time
from psa.sandbox.errors import ApiError
from psa.sandbox.store import Store

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=30)


@pytest.fixture
def store() -> Store:
    clock = FixedClock(NOW)
    store = Store(seed=1, tickets=150, clock=clock, api_base="http://h/v4_6_release/apis/3.0")
    clock.advance(LATER - NOW)
    return store


def board_named(store: Store, name: str) -> dict[str, Any]:
    return next(b for b in store.records("boards") if b["name"] == name)


def status(store: Store, board: str, name: str) -> int:
    board_id = board_named(store, board)["id"]
    return int(next(s["id"] for s in store.board_statuses(board_id) if s["name"] == name))


def open_desk_ticket(store: Store) -> dict[str, Any]:
    return next(t for t in store.tickets if t["board"]["name"] == "Help Desk"
                and not t["closedFlag"] and "owner" in t and t["status"]["name"] != "New"
                and "mergedParentTicket" not in t)


def replace(path: str, value: Any) -> list[dict[str, Any]]:
    return [{"op": "replace", "path": path, "value": value}]


def fields_of(exc: pytest.ExceptionInfo[ApiError]) -> list[str]:
    assert exc.value.status == 400 and exc.value.code == "InvalidObject"
    assert exc.value.errors
    return [e["field"] for e in exc.value.errors]


def test_status_change_bumps_last_updated_and_updated_by(store: Store) -> None:
    ticket = open_desk_ticket(store)
    target = status(store, "Help Desk", "New")
    patched = store.patch_ticket(ticket["id"], replace("status", {"id": target}), member="jdoe")
    assert patched["status"]["id"] == target and patched["status"]["name"] == "New"
    assert patched["_info"]["lastUpdated"] == cw_time(LATER)
    assert patched["_info"]["updatedBy"] == "jdoe"
    assert patched["_info"]["dateEntered"] == ticket["_info"]["dateEntered"]
    assert store.ticket(ticket["id"])["status"]["id"] == target
    assert ticket["status"]["name"] != "New"  # the old dict was not changed (copy-on-write)


@pytest.mark.parametrize("path", ["status", "/status", "Status"])
def test_path_forms_are_accepted(store: Store, path: str) -> None:
    ticket = open_desk_ticket(store)
    target = status(store, "Help Desk", "Scheduled")
    patched = store.patch_ticket(ticket["id"], replace(path, {"id": target}), member="jdoe")
    assert patched["status"]["id"] == target


def test_sub_field_path_sets_a_reference(store: Store) -> None:
    ticket = open_desk_ticket(store)
    target = status(store, "Help Desk", "Scheduled")
    patched = store.patch_ticket(ticket["id"], replace("status/id", target), member="jdoe")
    assert patched["status"]["id"] == target


def test_status_from_another_board_is_silently_ignored(store: Store) -> None:
    ticket = open_desk_ticket(store)
    foreign = status(store, "Alerts", "Acknowledged")
    patched = store.patch_ticket(ticket["id"], replace("status", {"id": foreign}), member="jdoe")
    assert patched["status"] == ticket["status"]
    assert patched["_info"]["lastUpdated"] == ticket["_info"]["lastUpdated"]


def test_resources_is_read_only(store: Store) -> None:
    ticket = open_desk_ticket(store)
    patched = store.patch_ticket(ticket["id"], replace("resources", "jdoe, asmith, bchen"),
                                 member="jdoe")
    assert patched.get("resources") == ticket.get("resources")
    assert patched["_info"]["lastUpdated"] == ticket["_info"]["lastUpdated"]


def test_board_change_without_a_valid_status_names_status(store: Store) -> None:
    ticket = open_desk_ticket(store)
    alerts = board_named(store, "Alerts")["id"]
    with pytest.raises(ApiError) as exc:
        store.patch_ticket(ticket["id"], replace("board", {"id": alerts}), member="jdoe")
    assert fields_of(exc) == ["status"]
    with pytest.raises(ApiError) as exc:
        store.patch_ticket(ticket["id"], [
            *replace("board", {"id": alerts}),
            *replace("status", {"id": status(store, "Help Desk", "New")})], member="jdoe")
    assert fields_of(exc) == ["status"]
    assert store.ticket(ticket["id"])["board"]["name"] == "Help Desk"


def test_board_change_with_a_status_of_the_new_board(store: Store) -> None:
    ticket = open_desk_ticket(store)
    patched = store.patch_ticket(ticket["id"], [
        *replace("board", {"name": "Escalations"}),
        *replace("status", {"name": "Engineer Assigned"})], member="dobrien")
    assert patched["board"]["name"] == "Escalations"
    assert patched["status"]["name"] == "Engineer Assigned"
    escalations = board_named(store, "Escalations")["id"]
    # Types are per board: the Help Desk type does not exist on Escalations, so it goes.
    assert ticket["type"]["id"] not in store.ref.board_by_id[escalations].type_refs
    assert "type" not in patched and "subType" not in patched and "team" not in patched
    assert patched["status"]["_info"]["status_href"].endswith(
        f"/service/boards/{escalations}/statuses/{patched['status']['id']}")


def test_closing_sets_closed_fields_and_reopening_clears_them(store: Store) -> None:
    ticket = open_desk_ticket(store)
    closed = store.patch_ticket(ticket["id"], replace("status", {"name": "Closed"}),
                                member="asmith")
    assert closed["closedFlag"] is True
    assert closed["closedDate"] == cw_time(LATER) and closed["closedBy"] == "asmith"
    assert closed["slaStatus"] == "Resolved" and "dateResolved" in closed
    reopened = store.patch_ticket(ticket["id"], replace("status", {"name": "In Progress"}),
                                  member="asmith")
    assert reopened["closedFlag"] is False
    assert "closedDate" not in reopened and "closedBy" not in reopened
    assert "dateResolved" not in reopened


def test_closed_flag_moves_the_status(store: Store) -> None:
    ticket = open_desk_ticket(store)
    closed = store.patch_ticket(ticket["id"], replace("closedFlag", True), member="jdoe")
    assert closed["status"]["name"] == "Closed" and closed["closedFlag"] is True
    opened = store.patch_ticket(ticket["id"], replace("closedFlag", False), member="jdoe")
    assert opened["status"]["name"] == "New" and opened["closedFlag"] is False


def test_owner_change_updates_resources(store: Store) -> None:
    ticket = open_desk_ticket(store)
    patched = store.patch_ticket(ticket["id"], replace("owner", {"identifier": "dispatch"}),
                                 member="dispatch")
    assert patched["owner"]["identifier"] == "dispatch"
    assert patched["resources"].split(", ")[0] == "dispatch"
    removed = store.patch_ticket(ticket["id"], [{"op": "remove", "path": "owner"}],
                                 member="dispatch")
    assert "owner" not in removed
    assert "dispatch" not in (removed.get("resources") or "")


def test_summary_and_scalars(store: Store) -> None:
    ticket = open_desk_ticket(store)
    patched = store.patch_ticket(ticket["id"], [
        *replace("summary", "Printer fixed?"), *replace("customerUpdatedFlag", True),
        *replace("externalXRef", "PSA-42"), *replace("severity", "High"),
        {"op": "add", "path": "budgetHours", "value": 2}], member="jdoe")
    assert patched["summary"] == "Printer fixed?"
    assert patched["customerUpdatedFlag"] is True
    assert patched["externalXRef"] == "PSA-42" and patched["severity"] == "High"
    assert patched["budgetHours"] == 2.0


def test_contact_and_company_changes(store: Store) -> None:
    ticket = open_desk_ticket(store)
    company = next(c for c in store.records("companies")[1:]
                   if c["id"] != ticket["company"]["id"])
    moved = store.patch_ticket(ticket["id"], replace("company", {"id": company["id"]}),
                               member="jdoe")
    assert moved["company"]["id"] == company["id"]
    assert moved["city"] == company["city"]
    assert "contact" not in moved and "contactName" not in moved
    contact = next(c for c in store.records("contacts") if c["company"]["id"] == company["id"])
    with_contact = store.patch_ticket(ticket["id"], replace("contact", {"id": contact["id"]}),
                                      member="jdoe")
    assert with_contact["contactPhoneNumber"] == contact["defaultPhoneNbr"]


def test_parent_ticket_id_links_and_unlinks(store: Store) -> None:
    ticket, parent = open_desk_ticket(store), store.tickets[3]
    child = store.patch_ticket(ticket["id"], replace("parentTicketId", parent["id"]),
                               member="jdoe")
    assert child["parentTicketId"] == parent["id"]
    assert store.ticket(parent["id"])["hasChildTicket"] is True
    with pytest.raises(ApiError) as exc:  # no cycles
        store.patch_ticket(parent["id"], replace("parentTicketId", ticket["id"]), member="jdoe")
    assert fields_of(exc) == ["parentTicketId"]
    store.patch_ticket(ticket["id"], [{"op": "remove", "path": "parentTicketId"}],
                       member="jdoe")
    assert "parentTicketId" not in store.ticket(ticket["id"])


@pytest.mark.parametrize(("ops", "field"), [
    (replace("summary", "x" * 101), "summary"),
    (replace("summary", ""), "summary"),
    ([{"op": "remove", "path": "summary"}], "summary"),
    ([{"op": "remove", "path": "status"}], "status"),
    (replace("priority", {"id": 12345}), "priority"),
    (replace("owner", {"identifier": "pmartin"}), "owner"),
    (replace("owner", "jdoe"), "owner"),
    (replace("company", {"id": 1}), "company"),
    (replace("contact", {"id": 1}), "contact"),
    (replace("closedFlag", "yes"), "closedFlag"),
    (replace("severity", "Extreme"), "severity"),
    (replace("noSuchField", 1), "noSuchField"),
    (replace("status", {"id": 10_000}), None),  # unknown id on the same board: ignored
    ([{"op": "move", "path": "summary", "from": "x"}], "op"),
    ([{"op": "replace"}], "path"),
    (replace("status", {"name": "Old - Do Not Use"}), "status"),
    (replace("summary/id", 5), "summary"),
    (replace("requiredDate", "tomorrow"), "requiredDate"),
])
def test_bad_patches_are_400_and_change_nothing(
    store: Store, ops: list[dict[str, Any]], field: str | None
) -> None:
    ticket = open_desk_ticket(store)
    if field is None:
        assert store.patch_ticket(ticket["id"], ops, member="jdoe") is ticket
        return
    with pytest.raises(ApiError) as exc:
        store.patch_ticket(ticket["id"], [*replace("summary", "changed"), *ops], member="jdoe")
    assert field in fields_of(exc)
    assert store.records("tickets")[ticket["id"] - store.tickets[0]["id"]] is ticket


def test_patch_of_unknown_ticket_is_404(store: Store) -> None:
    with pytest.raises(ApiError) as exc:
        store.patch_ticket(12, replace("summary", "x"), member="jdoe")
    assert exc.value.status == 404


def test_a_patch_that_changes_nothing_keeps_last_updated(store: Store) -> None:
    ticket = open_desk_ticket(store)
    same = store.patch_ticket(ticket["id"], replace("summary", ticket["summary"]), member="jdoe")
    assert same["_info"] == ticket["_info"]


def test_priority_change_recomputes_sla(store: Store) -> None:
    ticket = next(t for t in store.tickets if not t["closedFlag"]
                  and t["priority"]["name"].startswith("Priority 3"))
    urgent = store.patch_ticket(ticket["id"], replace("priority", {"id": 8}), member="jdoe")
    assert urgent["priority"]["level"] == "Critical"
    assert urgent["respondedHours"] == 0.5 and urgent["resolutionHours"] == 4
