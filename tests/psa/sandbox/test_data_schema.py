"""The whole seeded dataset, and what mutations produce, against ConnectWise's own schemas."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from psa.sandbox.clock import FixedClock
from psa.sandbox.store import Store

SPEC_URI = "urn:connectwise:openapi-subset"
SPEC = json.loads((Path(__file__).parents[2] / "data" / "openapi-subset.json").read_text())
REGISTRY: Registry[Any] = Registry().with_resource(
    SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT4)
)
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def violations(schema: str, bodies: list[Any]) -> list[str]:
    check = OAS30Validator({"$ref": f"{SPEC_URI}#/components/schemas/{schema}"},
                           registry=REGISTRY, format_checker=oas30_format_checker)
    return [f"{schema} {body.get('id')}: {error.json_path}: {error.message}"
            for body in bodies for error in check.iter_errors(body)]


@pytest.fixture(scope="module")
def store() -> Store:
    clock = FixedClock(NOW)
    return Store(seed=3, tickets=600, clock=clock, api_base="http://127.0.0.1:9/v4_6_release/apis/3.0")


def test_every_ticket_matches_the_ticket_schema(store: Store) -> None:
    tickets = list(store.records("tickets"))
    fresh = [store.ticket(t["id"]) for t in tickets[:100]]
    assert violations("Ticket", tickets + fresh + store.calculate_sla(tickets)) == []


def test_boards_statuses_and_priorities_match(store: Store) -> None:
    boards = list(store.records("boards"))
    statuses = [s for b in boards for s in store.board_statuses(b["id"])]
    assert violations("Board", boards) == []
    assert violations("BoardStatus", statuses) == []
    assert violations("Priority", list(store.records("priorities"))) == []


def test_every_note_matches_its_schema(store: Store) -> None:
    ids = [t["id"] for t in store.records("tickets")]
    notes = [n for i in ids for n in store.notes(i)]
    every = [n for i in ids for n in store.notes(i, all_notes=True)]
    assert any(n["noteType"] == "TimeEntryNote" for n in every)
    assert violations("ServiceNote", notes) == []
    assert violations("ServiceTicketNote", every) == []


def test_schedule_entries_and_configuration_references_match(store: Store) -> None:
    assert violations("ScheduleEntry", list(store.records("scheduleEntries"))) == []
    refs = [r for t in store.records("tickets") for r in store.ticket_configurations(t["id"])]
    assert refs
    assert violations("ConfigurationReference", refs) == []


def test_references_inside_records_match_reference_schemas(store: Store) -> None:
    companies = [t["company"] for t in store.records("tickets")]
    members = [m for t in store.records("tickets") for m in (t.get("owner"),) if m]
    contacts = [t["contact"] for t in store.records("tickets") if "contact" in t]
    assert violations("CompanyReference", companies) == []
    assert violations("MemberReference", members) == []
    assert violations("ContactReference", contacts) == []


def test_system_info_and_counts_match(store: Store) -> None:
    assert violations("Info", [store.system_info()]) == []
    assert violations("Count", [{"count": len(store.records("tickets"))}]) == []


def test_written_records_match() -> None:
    clock = FixedClock(NOW)
    store = Store(seed=4, tickets=50, clock=clock, api_base="http://h/v4_6_release/apis/3.0")
    ticket = store.create_ticket({"summary": "Schema", "company": {"id": 4},
                                  "initialDescription": "Printer jammed."}, member="dispatch")
    clock.advance(timedelta(minutes=5))
    note = store.add_note(ticket["id"], {"text": "On it."}, member="jdoe")
    entry = store.create_schedule_entry(
        {"objectId": ticket["id"], "member": {"identifier": "asmith"}, "type": {"id": 4}},
        member="dispatch")
    patched = store.patch_ticket(ticket["id"], [{"op": "replace", "path": "status",
                                                 "value": {"name": "Closed"}}], member="jdoe")
    merged = store.merge(patched["id"], {"mergeTicketIds": [store.tickets[0]["id"]],
                                         "status": {"name": "Closed"}}, member="jdoe")
    assert violations("Ticket", [ticket, patched, *store.records("tickets")]) == []
    assert violations("ServiceNote", [note, *store.notes(ticket["id"])]) == []
    assert violations("ScheduleEntry", [entry]) == []
    assert violations("SuccessResponse", [merged]) == []
