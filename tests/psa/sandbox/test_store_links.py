"""Notes, schedule entries and resources, child tickets, merges and the activity generator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from psa.sandbox.clock import FixedClock, cw_time
from psa.sandbox.errors import ApiError
from psa.sandbox.store import Store

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=30)


def new_store(seed: int = 1) -> Store:
    clock = FixedClock(NOW)
    store = Store(seed=seed, tickets=150, clock=clock, api_base="http://h/v4_6_release/apis/3.0")
    clock.advance(LATER - NOW)
    return store


@pytest.fixture
def store() -> Store:
    return new_store()


def open_ticket(store: Store, **want: Any) -> dict[str, Any]:
    return next(t for t in store.tickets if not t["closedFlag"] and "contact" in t
                and "mergedParentTicket" not in t
                and all((k in t) == v for k, v in want.items()))


def contact_of(store: Store, ticket: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in store.records("contacts") if c["id"] == ticket["contact"]["id"])


def invalid_fields(exc: pytest.ExceptionInfo[ApiError]) -> list[str]:
    assert exc.value.status == 400 and exc.value.code == "InvalidObject"
    assert exc.value.errors
    return [e["field"] for e in exc.value.errors]


# --- notes -----------------------------------------------------------------------------


def test_member_note_defaults_to_discussion_and_bumps_the_ticket(store: Store) -> None:
    ticket = open_ticket(store)
    note = store.add_note(ticket["id"], {"text": "Rebooted the switch."}, member="jdoe")
    assert note["detailDescriptionFlag"] is True and note["internalAnalysisFlag"] is False
    assert note["member"]["identifier"] == "jdoe" and "contact" not in note
    assert note["ticketId"] == ticket["id"] and note["dateCreated"] == cw_time(LATER)
    assert store.notes(ticket["id"])[-1] == note
    after = store.ticket(ticket["id"])
    assert after["_info"]["lastUpdated"] == cw_time(LATER)
    assert after["_info"]["updatedBy"] == "jdoe"


def test_notes_can_leave_last_updated_alone(store: Store) -> None:
    store.notes_bump_last_updated = False
    ticket = open_ticket(store)
    before = store.ticket(ticket["id"])["_info"]
    store.add_note(ticket["id"], {"text": "Rebooted the switch."}, member="jdoe")
    store.links.store_note(ticket["id"], "Still down.", "Email", None, contact_of(store, ticket),
                           detail=True)
    after = store.ticket(ticket["id"])
    assert after["_info"] == before
    assert after["customerUpdatedFlag"] is True  # the note's other effects still apply
    assert any(
        n["text"] == "Still down." for n in store.notes(ticket["id"]))


def test_contact_note_sets_customer_updated_and_member_reply_clears_it(store: Store) -> None:
    ticket = open_ticket(store)
    store.add_note(ticket["id"], {"text": "Still broken!", "contact": ticket["contact"]},
                   member="APIRestricted")
    assert store.ticket(ticket["id"])["customerUpdatedFlag"] is True
    store.add_note(ticket["id"], {"text": "Looking", "internalAnalysisFlag": True},
                   member="jdoe")
    assert store.ticket(ticket["id"])["customerUpdatedFlag"] is True
    store.add_note(ticket["id"], {"text": "Fixed now."}, member="jdoe")
    assert store.ticket(ticket["id"])["customerUpdatedFlag"] is False


def test_flags_are_kept_as_sent(store: Store) -> None:
    ticket = open_ticket(store)
    note = store.add_note(ticket["id"], {"text": "Root cause: DNS.", "resolutionFlag": True,
                                         "internalAnalysisFlag": True}, member="jdoe")
    assert note["resolutionFlag"] and note["internalAnalysisFlag"]
    assert not note["detailDescriptionFlag"] and note["internalFlag"]


def test_first_member_discussion_note_marks_responded(store: Store) -> None:
    ticket = open_ticket(store, dateResponded=False)
    store.add_note(ticket["id"], {"text": "On it."}, member="kpatel")
    after = store.ticket(ticket["id"])
    assert after["dateResponded"] == cw_time(LATER) and after["respondedBy"] == "kpatel"


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "  "}, {"text": 5},
                                  {"text": "x", "detailDescriptionFlag": "yes"},
                                  {"text": "x", "contact": {"id": 1}},
                                  {"text": "x", "member": {"identifier": "sharris"}}])
def test_bad_notes_are_400(store: Store, body: dict[str, Any]) -> None:
    ticket = open_ticket(store)
    before = list(store.notes(ticket["id"]))
    with pytest.raises(ApiError) as exc:
        store.add_note(ticket["id"], body, member="jdoe")
    assert invalid_fields(exc)
    assert list(store.notes(ticket["id"])) == before


def test_all_notes_adds_time_entries_in_time_order(store: Store) -> None:
    ticket = next(t for t in store.tickets if "actualHours" in t and "owner" in t)
    every = store.notes(ticket["id"], all_notes=True)
    kinds = {n["noteType"] for n in every}
    assert kinds == {"TicketNote", "TimeEntryNote"}
    assert [n["timeStart"] for n in every] == sorted(n["timeStart"] for n in every)
    assert len([n for n in every if n["noteType"] == "TicketNote"]) == len(
        store.notes(ticket["id"]))


# --- schedule entries and resources ----------------------------------------------------


def entry_body(ticket: dict[str, Any], member: str, **extra: Any) -> dict[str, Any]:
    return {"objectId": ticket["id"], "member": {"identifier": member}, "type": {"id": 4},
            **extra}


def test_schedule_entry_adds_a_resource_and_bumps_last_updated(store: Store) -> None:
    ticket = open_ticket(store, owner=True)
    entry = store.create_schedule_entry(entry_body(ticket, "mgarcia"), member="dispatch")
    assert entry["type"]["identifier"] == "S" and entry["objectId"] == ticket["id"]
    assert entry["member"]["identifier"] == "mgarcia"
    after = store.ticket(ticket["id"])
    assert after["resources"].split(", ")[0] == ticket["owner"]["identifier"]
    assert "mgarcia" in after["resources"].split(", ")
    assert after["_info"]["lastUpdated"] == cw_time(LATER)
    assert entry in store.records("scheduleEntries")


def test_identifier_s_is_a_service_entry(store: Store) -> None:
    ticket = open_ticket(store)
    entry = store.create_schedule_entry(
        {**entry_body(ticket, "bchen"), "type": {"identifier": "S"}}, member="dispatch")
    assert entry["type"]["id"] == 4
    assert "bchen" in store.ticket(ticket["id"])["resources"]


def test_entries_are_not_deduplicated_but_resources_are(store: Store) -> None:
    ticket = open_ticket(store, owner=True)
    owner = ticket["owner"]["identifier"]
    first = store.create_schedule_entry(entry_body(ticket, "rnguyen"), member="dispatch")
    second = store.create_schedule_entry(entry_body(ticket, "rnguyen"), member="dispatch")
    store.create_schedule_entry(entry_body(ticket, owner), member="dispatch")
    assert first["id"] != second["id"]
    names = store.ticket(ticket["id"])["resources"].split(", ")
    assert names.count("rnguyen") == 1 and names.count(owner) == 1 and names[0] == owner


def test_other_entry_types_do_not_make_resources(store: Store) -> None:
    ticket = open_ticket(store)
    before = store.ticket(ticket["id"]).get("resources")
    entry = store.create_schedule_entry(
        {**entry_body(ticket, "ljohnson"), "type": {"identifier": "C"}}, member="dispatch")
    assert entry["type"]["identifier"] == "C"
    assert store.ticket(ticket["id"]).get("resources") == before


def test_deleting_an_entry_removes_the_resource(store: Store) -> None:
    ticket = open_ticket(store, owner=False)
    entry = store.create_schedule_entry(entry_body(ticket, "twilliams"), member="dispatch")
    assert store.ticket(ticket["id"])["resources"] == "twilliams"
    store.delete_schedule_entry(entry["id"], member="dispatch")
    assert "resources" not in store.ticket(ticket["id"])
    assert entry not in store.records("scheduleEntries")
    with pytest.raises(ApiError) as exc:
        store.delete_schedule_entry(entry["id"], member="dispatch")
    assert exc.value.status == 404


@pytest.mark.parametrize(("change", "field"), [
    ({"objectId": 5}, "objectId"),
    ({"objectId": None}, "objectId"),
    ({"member": {"identifier": "nobody"}}, "member"),
    ({"member": {"identifier": "sharris"}}, "member"),
    ({"member": None}, "member"),
    ({"type": None}, "type"),
    ({"type": {"id": 99}}, "type"),
    ({"dateStart": "soon"}, "dateStart"),
])
def test_bad_entries_are_400(store: Store, change: dict[str, Any], field: str) -> None:
    ticket = open_ticket(store)
    count = len(store.records("scheduleEntries"))
    with pytest.raises(ApiError) as exc:
        store.create_schedule_entry({**entry_body(ticket, "jdoe"), **change}, member="dispatch")
    assert field in invalid_fields(exc)
    assert len(store.records("scheduleEntries")) == count


def test_resources_patch_cannot_undo_an_entry(store: Store) -> None:
    ticket = open_ticket(store)
    store.create_schedule_entry(entry_body(ticket, "ekowalski"), member="dispatch")
    store.patch_ticket(ticket["id"], [{"op": "replace", "path": "resources", "value": ""}],
                       member="dispatch")
    assert "ekowalski" in store.ticket(ticket["id"])["resources"]


# --- children and merges ---------------------------------------------------------------


def test_attach_children(store: Store) -> None:
    parent, a, b = (t["id"] for t in store.tickets[10:13])
    result = store.attach_children(parent, {"childTicketIds": [a, b]}, member="dispatch")
    assert result["success"] is True and isinstance(result["message"], str)
    assert store.ticket(a)["parentTicketId"] == parent
    assert store.ticket(b)["parentTicketId"] == parent
    assert store.ticket(parent)["hasChildTicket"] is True
    assert store.ticket(a)["_info"]["lastUpdated"] == cw_time(LATER)


@pytest.mark.parametrize("body", [{}, {"childTicketIds": []}, {"childTicketIds": ["x"]},
                                  {"childTicketIds": [5]}])
def test_attach_children_rejects_bad_lists(store: Store, body: dict[str, Any]) -> None:
    with pytest.raises(ApiError) as exc:
        store.attach_children(store.tickets[0]["id"], body, member="dispatch")
    assert invalid_fields(exc) == ["childTicketIds"]


def test_attach_children_refuses_cycles(store: Store) -> None:
    a, b = store.tickets[20]["id"], store.tickets[21]["id"]
    store.attach_children(a, {"childTicketIds": [b]}, member="dispatch")
    with pytest.raises(ApiError):
        store.attach_children(b, {"childTicketIds": [a]}, member="dispatch")
    with pytest.raises(ApiError):
        store.attach_children(a, {"childTicketIds": [a]}, member="dispatch")


def test_merge_closes_merged_tickets_and_flags_the_parent(store: Store) -> None:
    parent = open_ticket(store)
    merged = next(t for t in store.tickets if t["board"]["name"] == "Help Desk"
                  and not t["closedFlag"] and t["id"] != parent["id"])
    result = store.merge(parent["id"], {"mergeTicketIds": [merged["id"]],
                                        "status": {"name": "Closed"}}, member="dispatch")
    assert result["success"] is True
    after = store.ticket(merged["id"])
    assert after["mergedParentTicket"]["id"] == parent["id"]
    assert after["mergedParentTicket"]["summary"] == parent["summary"]
    assert after["status"]["name"] == "Closed" and after["closedFlag"] is True
    assert store.ticket(parent["id"])["hasMergedChildTicketFlag"] is True
    with pytest.raises(ApiError):  # already merged
        store.merge(parent["id"], {"mergeTicketIds": [merged["id"]],
                                   "status": {"name": "Closed"}}, member="dispatch")


def test_merge_status_must_be_on_the_merged_tickets_board(store: Store) -> None:
    parent = open_ticket(store)
    merged = next(t for t in store.tickets if t["board"]["name"] == "Help Desk"
                  and t["id"] != parent["id"] and "mergedParentTicket" not in t)
    with pytest.raises(ApiError) as exc:
        store.merge(parent["id"], {"mergeTicketIds": [merged["id"]],
                                   "status": {"name": "Alert Received"}}, member="dispatch")
    assert invalid_fields(exc) == ["status"]
    with pytest.raises(ApiError) as exc:
        store.merge(parent["id"], {"mergeTicketIds": [merged["id"]]}, member="dispatch")
    assert invalid_fields(exc) == ["status"]
    assert "mergedParentTicket" not in store.ticket(merged["id"])


# --- activity --------------------------------------------------------------------------


def test_activity_is_deterministic_and_describes_itself() -> None:
    runs = []
    for _ in range(2):
        store = new_store(seed=5)
        runs.append([line for _ in range(12) for line in store.activity_step()])
    assert runs[0] == runs[1]
    assert all(isinstance(line, str) and line for line in runs[0])


def test_activity_changes_tickets_and_assigns_the_dispatcher() -> None:
    store = new_store(seed=5)
    count = len(store.records("tickets"))
    lines = [line for _ in range(80) for line in store.activity_step()]
    assert any(line.startswith("New ticket") for line in lines)
    assert any("updated ticket" in line for line in lines)
    assert any(" moved ticket " in line for line in lines)
    assert any(line.endswith("to dispatch") for line in lines)
    assert len(store.records("tickets")) > count
    new = store.records("tickets")[-1]
    assert new["_info"]["enteredBy"] == "EmailConnector"
    assert store.notes(new["id"])[0]["contact"]["id"] == new["contact"]["id"]
    changed = [t for t in store.records("tickets")
               if t["_info"]["lastUpdated"] == cw_time(LATER)]
    assert len(changed) >= 20
