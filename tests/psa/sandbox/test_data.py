"""The seeded dataset: deterministic, realistic, consistent, and fast at 100,000 tickets."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from psa.sandbox.clock import FixedClock, parse_cw_time
from psa.sandbox.data import DISPATCHER, NOACCESS_MEMBER, RESTRICTED_MEMBER
from psa.sandbox.store import Store

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
BASE = "http://127.0.0.1:8000/v4_6_release/apis/3.0"


def new_store(seed: int = 1, tickets: int = 300, now: datetime = NOW) -> Store:
    return Store(seed=seed, tickets=tickets, clock=FixedClock(now), api_base=BASE)


@pytest.fixture(scope="module")
def store() -> Store:
    return new_store()


def dump(store: Store) -> str:
    everything: dict[str, Any] = {e: list(store.records(e)) for e in (
        "tickets", "companies", "contacts", "members", "boards", "priorities",
        "configurations", "scheduleEntries")}
    everything["notes"] = [store.notes(t["id"], all_notes=True) for t in store.tickets[:50]]
    return json.dumps(everything, sort_keys=True)


def test_same_seed_gives_identical_data(store: Store) -> None:
    assert dump(new_store()) == dump(store)


def test_another_seed_gives_other_data(store: Store) -> None:
    other = new_store(seed=2)
    assert [t["summary"] for t in other.tickets] != [t["summary"] for t in store.tickets]
    # Ids are laid out the same way: tickets count up from the same first id.
    assert other.tickets[0]["id"] == store.tickets[0]["id"]


def test_timestamps_are_relative_to_the_clock() -> None:
    # Two weeks later: same weekdays, so entry times move by exactly two weeks.
    early, late = new_store(now=NOW), new_store(now=NOW + timedelta(days=14))
    for index in (0, 7, 99):
        a, b = early.tickets[index]["_info"], late.tickets[index]["_info"]
        gap = parse_cw_time(b["dateEntered"]) - parse_cw_time(a["dateEntered"])
        assert gap == timedelta(days=14)


def test_ticket_count_follows_the_argument() -> None:
    assert len(new_store(tickets=17).records("tickets")) == 17


def test_realistic_reference_counts(store: Store) -> None:
    companies = store.records("companies")
    assert len(companies) >= 41
    assert len(store.records("members")) >= 12
    assert len(store.records("contacts")) >= 40
    kinds = {c["type"]["name"] for c in store.records("configurations")}
    assert {"Workstation", "Laptop", "Server", "Firewall", "Switch", "Printer"} <= kinds
    for company in companies[1:]:
        contacts = [c for c in store.records("contacts") if c["company"]["id"] == company["id"]]
        assert 1 <= len(contacts) <= 6
        domain = company["website"].removeprefix("www.")
        emails = [i["value"] for c in contacts for i in c["communicationItems"]
                  if i["communicationType"] == "Email"]
        assert all(e.endswith("@" + domain) for e in emails)
    assert all(re.fullmatch(r"[A-Za-z0-9]+", c["identifier"]) for c in companies)


def test_configurations_have_serials_ips_and_hostnames(store: Store) -> None:
    for config in store.records("configurations"):
        assert config["serialNumber"] and config["deviceIdentifier"].startswith("RMM-")
        assert re.fullmatch(r"10\.\d+\.\d+\.\d+", config["ipAddress"])
        assert re.fullmatch(r"[A-Z0-9]+-[A-Z]+\d\d", config["name"])


def test_members_include_dispatcher_lookalikes_and_inactive(store: Store) -> None:
    members = {m["identifier"]: m for m in store.records("members")}
    assert {DISPATCHER, RESTRICTED_MEMBER, NOACCESS_MEMBER, "jdoe", "jdoe2"} <= set(members)
    assert members[RESTRICTED_MEMBER]["licenseClass"] == "A"
    assert sum(m["inactiveFlag"] for m in members.values()) >= 2
    for member in members.values():
        for field in ("firstName", "lastName", "licenseClass", "hireDate", "defaultEmail",
                      "defaultPhone", "officeEmail", "officePhone"):
            assert member[field], (member["identifier"], field)


def test_boards_have_shared_and_own_statuses(store: Store) -> None:
    boards = {b["name"]: b["id"] for b in store.records("boards")}
    assert {"Help Desk", "Projects / Onsite", "Alerts"} <= set(boards)
    names = {name: {s["name"] for s in store.board_statuses(i)} for name, i in boards.items()}
    assert "Alert Received" in names["Alerts"] and "Alert Received" not in names["Help Desk"]
    assert "Waiting on Parts" in names["Projects / Onsite"]
    assert "Waiting on Parts" not in names["Help Desk"]
    assert "In Progress" in names["Help Desk"] and "In Progress" in names["Alerts"]
    ids = [s["id"] for b in boards.values() for s in store.board_statuses(b)]
    assert len(ids) == len(set(ids))  # unique across boards, as on ConnectWise
    for board in boards.values():
        statuses = store.board_statuses(board)
        assert sum(s["defaultFlag"] for s in statuses) == 1
        assert any(s["closedStatus"] for s in statuses)


def test_priorities_have_colours_levels_and_one_default(store: Store) -> None:
    priorities = store.records("priorities")
    assert 4 <= len(priorities) <= 5
    assert all(p["color"] and p["level"] for p in priorities)
    assert sum(p["defaultFlag"] for p in priorities) == 1
    assert priorities[0]["name"].startswith("Priority 1")


def test_tickets_look_like_a_real_queue(store: Store) -> None:
    tickets = store.records("tickets")
    closed = [t for t in tickets if t["closedFlag"]]
    assert 0.25 < len(closed) / len(tickets) < 0.6
    assert all("closedDate" in t and "closedBy" in t for t in closed)
    assert any("owner" not in t for t in tickets if not t["closedFlag"])
    assert any(t.get("owner", {}).get("identifier") == DISPATCHER for t in tickets)
    assert any(t["customerUpdatedFlag"] for t in tickets)
    assert any("parentTicketId" in t for t in tickets)
    assert any(t["hasChildTicket"] for t in tickets)
    assert any("mergedParentTicket" in t for t in tickets)
    assert any(t["hasMergedChildTicketFlag"] for t in tickets)
    assert len({t["summary"] for t in tickets}) > 100
    assert all(len(t["summary"]) <= 100 for t in tickets)
    assert any(store.ticket_configurations(t["id"]) for t in tickets)


def test_ticket_references_agree_with_their_records(store: Store) -> None:
    boards = {b["id"]: b for b in store.records("boards")}
    for ticket in store.records("tickets"):
        statuses = {s["id"] for s in store.board_statuses(ticket["board"]["id"])}
        assert ticket["status"]["id"] in statuses
        assert ticket["board"]["name"] == boards[ticket["board"]["id"]]["name"]
        if "contact" in ticket:
            contact = next(c for c in store.records("contacts")
                           if c["id"] == ticket["contact"]["id"])
            assert contact["company"]["id"] == ticket["company"]["id"]
        info = ticket["_info"]
        assert info["dateEntered"] <= info["lastUpdated"] <= "2026-11-27T14:00:00Z"
        assert ticket["board"]["_info"]["board_href"].startswith(BASE + "/service/boards/")


def test_dates_spread_over_recent_weeks(store: Store) -> None:
    entered = [parse_cw_time(t["_info"]["dateEntered"]) for t in store.records("tickets")]
    assert min(entered) > NOW - timedelta(days=43)
    assert max(entered) - min(entered) > timedelta(days=20)


def test_resources_come_from_owner_and_service_entries(store: Store) -> None:
    for ticket in store.records("tickets"):
        names = [ticket["owner"]["identifier"]] if "owner" in ticket else []
        for entry in store.records("scheduleEntries"):
            ident = entry["member"]["identifier"]
            if entry["type"]["id"] == 4 and entry["objectId"] == ticket["id"] and (
                    ident not in names):
                names.append(ident)
        assert ticket.get("resources") == (", ".join(names) or None)


def test_some_entries_share_an_object_id_without_being_resources(store: Store) -> None:
    others = [e for e in store.records("scheduleEntries") if e["type"]["id"] != 4]
    assert others and all(e["type"]["identifier"] == "C" for e in others)


def test_seeded_notes_agree_with_the_ticket(store: Store) -> None:
    for ticket in store.records("tickets")[:120]:
        notes = store.notes(ticket["id"])
        assert notes[0]["detailDescriptionFlag"] and notes[0]["issueFlag"]
        assert notes[0]["dateCreated"] == ticket["_info"]["dateEntered"]
        assert all(n["dateCreated"] <= ticket["_info"]["lastUpdated"] for n in notes)
        if ticket["customerUpdatedFlag"] and "contact" in ticket:
            assert notes[-1].get("contact") or any(n.get("contact") for n in notes)
        if ticket["closedFlag"] and "owner" in ticket:
            assert any(n["resolutionFlag"] for n in notes)


def test_notes_are_the_same_whatever_order_they_are_read_in() -> None:
    first, second = new_store(), new_store()
    ids = [t["id"] for t in first.tickets[:30]]
    forward = [first.notes(i) for i in ids]
    backward = [second.notes(i) for i in reversed(ids)][::-1]
    assert forward == backward


def test_one_hundred_thousand_tickets_build() -> None:
    big = new_store(tickets=100_000)
    tickets = big.records("tickets")
    assert len(tickets) == 100_000
    assert tickets[-1]["id"] == tickets[0]["id"] + 99_999
    assert big.ticket(tickets[-1]["id"])["id"] == tickets[-1]["id"]
    assert big.notes(tickets[-1]["id"])
