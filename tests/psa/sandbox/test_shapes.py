"""Response shapes: full as stored, lean without optional data, nulls with explicit nulls."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from psa.sandbox.clock import FixedClock
from psa.sandbox.shapes import apply_shape
from psa.sandbox.store import Store


@pytest.fixture(scope="module")
def store() -> Store:
    clock = FixedClock(datetime(2026, 11, 27, 14, 0, tzinfo=UTC))
    return Store(seed=1, tickets=120, clock=clock, api_base="http://h/v4_6_release/apis/3.0")


def test_full_is_the_record_itself(store: Store) -> None:
    ticket = store.tickets[0]
    assert apply_shape("tickets", ticket, "full") is ticket


@pytest.mark.parametrize("mode", ["lean", "nulls"])
def test_shapes_never_change_the_stored_record(store: Store, mode: str) -> None:
    for entity in ("tickets", "members", "priorities", "scheduleEntries", "companies"):
        record = store.records(entity)[0]
        before = copy.deepcopy(record)
        shaped = apply_shape(entity, record, mode)  # type: ignore[arg-type]
        assert shaped is not record
        assert record == before


def test_lean_ticket_drops_optional_detail(store: Store) -> None:
    ticket = next(t for t in store.tickets if "contact" in t and "owner" in t)
    lean = apply_shape("tickets", ticket, "lean")
    for gone in ("contactPhoneNumber", "contactEmailAddress", "severity", "impact",
                 "respondMinutes", "minutesWaiting", "site", "sla"):
        assert gone not in lean
    for kept in ("id", "summary", "board", "status", "company", "priority", "owner",
                 "contact", "slaStatus"):
        assert kept in lean
    assert set(lean["_info"]) <= {"lastUpdated", "dateEntered"}
    assert "_info" not in lean["board"] and lean["board"]["id"] == ticket["board"]["id"]
    assert False not in lean.values()


def test_lean_priorities_are_id_and_name_only(store: Store) -> None:
    lean = [apply_shape("priorities", p, "lean") for p in store.records("priorities")]
    assert all(set(p) == {"id", "name"} for p in lean)


def test_lean_members_miss_spec_required_fields(store: Store) -> None:
    member = apply_shape("members", store.records("members")[0], "lean")
    assert "officePhone" not in member and "licenseClass" not in member
    assert {"id", "identifier", "firstName", "lastName"} <= set(member)


def test_lean_statuses_keep_true_closed_flags_only(store: Store) -> None:
    statuses = [apply_shape("boardStatuses", s, "lean") for s in store.board_statuses(1)]
    closed = [s for s in statuses if s.get("closedStatus")]
    assert closed and all("escalationStatus" not in s for s in statuses)
    assert all("closedStatus" not in s for s in statuses if s not in closed)


def test_nulls_fill_absent_optional_fields(store: Store) -> None:
    ticket = next(t for t in store.tickets if "owner" not in t and "contact" not in t)
    nulls = apply_shape("tickets", ticket, "nulls")
    for name in ("owner", "contact", "team", "parentTicketId", "mergedParentTicket",
                 "closedDate", "externalXRef"):
        if name not in ticket:
            assert name in nulls and nulls[name] is None
    assert {k: v for k, v in nulls.items() if v is not None} == ticket


def test_nulls_for_notes_and_members(store: Store) -> None:
    note = next(n for t in store.tickets for n in store.notes(t["id"]) if "member" in n)
    shaped = apply_shape("notes", note, "nulls")
    assert "contact" not in note and shaped["contact"] is None
    assert shaped["member"] == note["member"]
    member = apply_shape("members", store.member_by_identifier("jdoe"), "nulls")
    assert member["middleInitial"] is None


def test_unknown_entities_pass_through(store: Store) -> None:
    record = {"id": 1, "name": "x"}
    assert apply_shape("somethingElse", record, "nulls") == record
    assert apply_shape("somethingElse", record, "lean") == record
