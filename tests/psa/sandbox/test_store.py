"""Store reads and ticket creation, with ConnectWise's validation errors."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from psa.sandbox.clock import FixedClock, cw_time
from psa.sandbox.errors import ApiError
from psa.sandbox.query import QueryError, compile_conditions
from psa.sandbox.store import Store

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
BASE = "http://127.0.0.1:8000/v4_6_release/apis/3.0"


def new_store(tickets: int = 120) -> tuple[Store, FixedClock]:
    clock = FixedClock(NOW)
    return Store(seed=1, tickets=tickets, clock=clock, api_base=BASE), clock


@pytest.fixture
def store() -> Store:
    return new_store()[0]


def errors_of(exc: pytest.ExceptionInfo[ApiError]) -> dict[str, str]:
    assert exc.value.status == 400 and exc.value.code == "InvalidObject"
    assert exc.value.errors is not None
    return {e["field"]: e["code"] for e in exc.value.errors}


def customer(store: Store) -> dict[str, Any]:
    return store.records("companies")[1]


# --- reads -----------------------------------------------------------------------------


def test_lock_is_reentrant(store: Store) -> None:
    assert isinstance(store.lock, type(threading.RLock()))
    with store.lock:
        assert store.records("tickets")


def test_unknown_ticket_is_404(store: Store) -> None:
    with pytest.raises(ApiError) as exc:
        store.ticket(1)
    assert exc.value.status == 404
    with pytest.raises(ApiError):
        store.notes(999_999)


def test_unknown_board_statuses_is_404(store: Store) -> None:
    with pytest.raises(ApiError) as exc:
        store.board_statuses(999)
    assert exc.value.status == 404


def test_member_lookup_is_exact_and_case_insensitive(store: Store) -> None:
    assert store.member_by_identifier("JDOE")["identifier"] == "jdoe"
    assert store.member_by_identifier("jdoe2")["identifier"] == "jdoe2"
    with pytest.raises(ApiError):
        store.member_by_identifier("jdo")


def test_company_info_only_for_sandbox(store: Store) -> None:
    info = store.company_info("Sandbox")
    assert info is not None and info["Codebase"] == "v4_6_release/"
    assert info["SiteUrl"] == "127.0.0.1:8000"
    assert store.company_info("other") is None


def test_ticket_configurations_are_references_only(store: Store) -> None:
    ticket = next(t for t in store.tickets if store.ticket_configurations(t["id"]))
    refs = store.ticket_configurations(ticket["id"])
    assert all(set(r) == {"id", "deviceIdentifier", "_info"} for r in refs)
    full = {c["id"]: c for c in store.records("configurations")}
    assert all(full[r["id"]]["deviceIdentifier"] == r["deviceIdentifier"] for r in refs)
    assert full[refs[0]["id"]]["company"]["id"] == ticket["company"]["id"]


@pytest.mark.parametrize("entity", ["tickets", "companies", "contacts", "members", "boards",
                                    "priorities", "configurations", "scheduleEntries",
                                    "boardStatuses", "notes"])
def test_field_sets_know_ids_and_info_aliases(store: Store, entity: str) -> None:
    fields = store.fields(entity)
    assert fields.resolve("id") == "id"
    assert fields.resolve("lastUpdated") == "_info/lastUpdated"
    with pytest.raises(QueryError):
        fields.resolve("noSuchField")


def test_ticket_fields_cover_what_the_app_filters_on(store: Store) -> None:
    fields = store.fields("tickets")
    for path in ("board/id", "status/name", "owner/identifier", "parentTicketId",
                 "mergedParentTicket/id", "type/id", "priority/name", "company/identifier",
                 "contact/name", "closedFlag", "customerUpdatedFlag", "resources", "team/id",
                 "dateEntered", "_info/enteredBy", "summary", "isInSla", "slaStatus"):
        assert fields.resolve(path)
    assert store.fields("scheduleEntries").resolve("type/id") == "type/id"
    assert store.fields("scheduleEntries").resolve("objectId") == "objectId"


def test_conditions_run_over_store_records(store: Store) -> None:
    match = compile_conditions('board/name = "Help Desk" and closedFlag = false',
                               store.fields("tickets"))
    found = [t for t in store.records("tickets") if match(t)]
    assert found and all(t["board"]["name"] == "Help Desk" for t in found)


def test_get_ticket_has_current_sla_but_list_is_as_of_last_save() -> None:
    store, clock = new_store()
    ticket = next(t for t in store.tickets if not t["closedFlag"] and "dateResponded" not in t
                  and t["slaStatus"].startswith("Respond"))
    clock.advance(timedelta(days=3))
    fresh = store.ticket(ticket["id"])
    assert fresh["respondMinutes"] > ticket["respondMinutes"]
    assert store.records("tickets")[ticket["id"] - store.tickets[0]["id"]] is ticket
    assert store.calculate_sla([ticket])[0]["respondMinutes"] == fresh["respondMinutes"]


# --- create ----------------------------------------------------------------------------


def test_create_defaults_board_status_priority(store: Store) -> None:
    company = customer(store)
    ticket = store.create_ticket({"summary": "Printer offline", "company": {"id": company["id"]}},
                                 member="dispatch")
    assert ticket["board"]["name"] == "Help Desk"
    assert ticket["status"]["name"] == "New"
    assert ticket["priority"]["name"] == "Priority 3 - Normal Response"
    assert ticket["company"]["identifier"] == company["identifier"]
    assert ticket["recordType"] == "ServiceTicket"
    assert ticket["closedFlag"] is False
    assert ticket["_info"]["dateEntered"] == cw_time(NOW)
    assert ticket["_info"]["enteredBy"] == "dispatch"
    assert ticket["_info"]["notes_href"].endswith(f"/service/tickets/{ticket['id']}/notes")
    assert ticket["slaStatus"].startswith("Respond by ")
    assert ticket["id"] == store.tickets[-2]["id"] + 1
    assert store.ticket(ticket["id"])["summary"] == "Printer offline"
    assert "initialDescription" not in ticket


def test_create_with_every_reference(store: Store) -> None:
    company = customer(store)
    contact = next(c for c in store.records("contacts") if c["company"]["id"] == company["id"])
    alerts = next(b for b in store.records("boards") if b["name"] == "Alerts")
    ticket = store.create_ticket({
        "summary": "Disk space low", "company": {"identifier": company["identifier"]},
        "board": {"id": alerts["id"]}, "status": {"name": "Acknowledged"},
        "priority": {"id": 8}, "contact": {"id": contact["id"]}, "owner": {"identifier": "bchen"},
        "type": {"name": "Alert"}, "source": {"name": "Monitoring"}, "externalXRef": "RMM-1",
        "severity": "High", "impact": "Low",
    }, member="APIRestricted")
    assert ticket["status"]["name"] == "Acknowledged"
    assert ticket["contactName"] == f"{contact['firstName']} {contact['lastName']}"
    assert ticket["contactEmailAddress"].endswith(company["website"].removeprefix("www."))
    assert ticket["owner"]["identifier"] == "bchen" and ticket["resources"] == "bchen"
    assert ticket["type"]["name"] == "Alert" and ticket["externalXRef"] == "RMM-1"
    assert "dateResponded" in ticket  # Acknowledged is a "Responded" status


def test_create_initial_notes_become_the_first_notes(store: Store) -> None:
    ticket = store.create_ticket({
        "summary": "VPN down", "company": {"id": customer(store)["id"]},
        "initialDescription": "Cannot connect from home.",
        "initialInternalAnalysis": "Check the firewall.",
    }, member="jdoe")
    notes = store.notes(ticket["id"])
    assert [n["text"] for n in notes] == ["Cannot connect from home.", "Check the firewall."]
    assert notes[0]["detailDescriptionFlag"] and notes[1]["internalAnalysisFlag"]
    assert notes[0]["member"]["identifier"] == "jdoe"


@pytest.mark.parametrize(("body", "expected"), [
    ({}, {"summary": "NullValue", "company": "NullValue"}),
    ({"summary": "", "company": {"id": 4}}, {"summary": "NullValue"}),
    ({"summary": "x" * 101, "company": {"id": 4}}, {"summary": "MaxLength"}),
    ({"summary": 5, "company": {"id": 4}}, {"summary": "InvalidValue"}),
    ({"summary": "ok", "company": {"id": 99999}}, {"company": "InvalidValue"}),
    ({"summary": "ok", "company": "Contoso"}, {"company": "InvalidValue"}),
    ({"summary": "ok", "company": {"id": 4}, "board": {"id": 999}}, {"board": "InvalidValue"}),
    ({"summary": "ok", "company": {"id": 4}, "status": {"name": "Alert Received"}},
     {"status": "InvalidValue"}),
    ({"summary": "ok", "company": {"id": 4}, "priority": {"id": 1}},
     {"priority": "InvalidValue"}),
    ({"summary": "ok", "company": {"id": 4}, "owner": {"identifier": "sharris"}},
     {"owner": "InvalidValue"}),
    ({"summary": "ok", "company": {"id": 4}, "owner": {"identifier": "nobody"}},
     {"owner": "InvalidValue"}),
    ({"summary": "ok", "company": {"id": 4}, "contact": {"id": 1}}, {"contact": "InvalidValue"}),
    ({"summary": "ok", "company": {"id": 4}, "severity": "Huge"}, {"severity": "InvalidValue"}),
    ({"summary": "ok", "company": {"id": 4}, "externalXRef": "x" * 101},
     {"externalXRef": "MaxLength"}),
    ({"summary": "ok", "company": {"id": 4}, "parentTicketId": 5},
     {"parentTicketId": "InvalidValue"}),
])
def test_create_rejects_bad_fields(store: Store, body: dict[str, Any],
                                   expected: dict[str, str]) -> None:
    count = len(store.records("tickets"))
    with pytest.raises(ApiError) as exc:
        store.create_ticket(body, member="dispatch")
    assert errors_of(exc) == expected
    assert exc.value.errors is not None
    assert all(e["resource"] == "ticket" and e["message"] for e in exc.value.errors)
    assert len(store.records("tickets")) == count


def test_create_with_a_contact_of_another_company_is_rejected(store: Store) -> None:
    other = store.records("contacts")[-1]
    with pytest.raises(ApiError) as exc:
        store.create_ticket({"summary": "x", "company": {"id": customer(store)["id"]},
                             "contact": {"id": other["id"]}}, member="dispatch")
    assert errors_of(exc) == {"contact": "InvalidValue"}


def test_create_child_ticket_marks_the_parent(store: Store) -> None:
    parent = store.tickets[5]
    child = store.create_ticket({"summary": "Follow-up", "company": parent["company"],
                                 "parentTicketId": parent["id"]}, member="dispatch")
    assert child["parentTicketId"] == parent["id"]
    assert store.ticket(parent["id"])["hasChildTicket"] is True


def test_concurrent_creates_get_distinct_ids(store: Store) -> None:
    made: list[int] = []

    def create() -> None:
        for _ in range(20):
            made.append(store.create_ticket({"summary": "t", "company": {"id": 4}},
                                            member="dispatch")["id"])

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == 80
    ids = [t["id"] for t in store.records("tickets")]
    assert ids == sorted(ids) and len(ids) == len(set(ids))


def test_calculate_sla_accepts_projected_records(store: Store) -> None:
    ticket = store.tickets[4]
    [fresh] = store.calculate_sla([{"id": ticket["id"]}])
    assert fresh["summary"] == ticket["summary"] and "slaStatus" in fresh
    assert store.calculate_sla([{"name": "x"}]) == [{"name": "x"}]
