"""Wire models: real-shaped payloads, absent vs null, lenient timestamps, frozen rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from psa.connectwise.models import (
    Board,
    BoardStatus,
    Company,
    Contact,
    Member,
    Note,
    PatchOp,
    Priority,
    ScheduleEntry,
    Ticket,
)

FIXTURES = json.loads(
    (Path(__file__).parents[2] / "data" / "fixtures" / "django-connectwise-1.25.3.json")
    .read_text(encoding="utf-8")
)


def first(key: str) -> dict[str, Any]:
    value = FIXTURES[key]
    return value[0] if isinstance(value, list) else value


def test_fixture_ticket_parses_with_info_dates_lifted() -> None:
    ticket = Ticket.model_validate(first("API_SERVICE_TICKET"))
    assert ticket.id == 69 and ticket.summary == "Schedule and Execute Conversion"
    assert ticket.board is not None and ticket.board.name == "Service A"
    assert ticket.last_updated == datetime(2016, 3, 8, 21, 59, 20, tzinfo=UTC)
    assert ticket.date_entered is not None and ticket.date_entered.tzinfo is not None
    assert ticket.sla_fields().id == 69


@pytest.mark.parametrize(
    ("key", "model"),
    [("API_BOARD", Board), ("API_BOARD_STATUS_LIST", BoardStatus),
     ("API_SERVICE_PRIORITY", Priority), ("API_SERVICE_PRIORITY_LIMITED", Priority),
     ("API_COMPANY", Company), ("API_COMPANY_CONTACT_LIST", Contact), ("API_MEMBER", Member),
     ("API_SERVICE_NOTE_LIST", Note), ("API_SCHEDULE_ENTRY_FOR_TICKET", ScheduleEntry)],
)
def test_every_fixture_record_parses(key: str, model: type[Any]) -> None:
    values = FIXTURES[key] if isinstance(FIXTURES[key], list) else [FIXTURES[key]]
    for value in values:
        assert model.model_validate(value).id == value["id"]


def test_absent_and_null_are_treated_alike() -> None:
    absent = Ticket.model_validate({"id": 1})
    nulls = Ticket.model_validate({
        "id": 1, "summary": None, "closedFlag": None, "owner": None, "_info": None,
        "board": None, "customerUpdatedFlag": None, "dateResplan": None,
    })
    assert absent == nulls
    assert absent.closed_flag is False and absent.owner is None and absent.last_updated is None


def test_only_id_is_required() -> None:
    with pytest.raises(ValidationError):
        Ticket.model_validate({"summary": "x"})
    assert Priority.model_validate({"id": 5, "name": "P1"}).color is None


def test_unknown_fields_are_ignored_and_rows_are_frozen() -> None:
    ticket = Ticket.model_validate({"id": 1, "brandNewField": {"x": 1}})
    with pytest.raises(ValidationError):
        ticket.summary = "changed"  # type: ignore[misc]
    assert hash(Board.model_validate({"id": 1})) == hash(Board.model_validate({"id": 1}))


def test_timestamps_are_aware_and_malformed_ones_become_none() -> None:
    ticket = Ticket.model_validate({
        "id": 1, "_info": {"lastUpdated": "2026-11-27T09:00:00Z", "dateEntered": "garbage"},
        "dateResponded": "2026-11-27T09:00:00", "requiredDate": 12,
    })
    assert ticket.last_updated == datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert ticket.date_entered is None and ticket.required_date is None
    assert ticket.date_responded is not None and ticket.date_responded.tzinfo == UTC


def test_python_names_and_camel_case_aliases_both_populate() -> None:
    by_alias = Ticket.model_validate({"id": 1, "closedFlag": True, "subType": {"id": 2}})
    by_name = Ticket(id=1, closed_flag=True, sub_type={"id": 2})  # type: ignore[arg-type]
    assert by_alias == by_name
    assert by_alias.model_dump(by_alias=True)["closedFlag"] is True


def test_contact_emails_and_phones_come_from_communication_items() -> None:
    contact = Contact.model_validate({
        "id": 1, "firstName": "Ann", "lastName": "Lee", "defaultPhoneNbr": "555",
        "communicationItems": [
            {"communicationType": "Email", "value": "b@x.com", "defaultFlag": False},
            {"communicationType": "Email", "value": "a@x.com", "defaultFlag": True},
            {"communicationType": "Phone", "value": "777"}, None,
        ],
    })
    assert contact.name == "Ann Lee"
    assert contact.emails == ["a@x.com", "b@x.com"] and contact.email == "a@x.com"
    assert contact.phones == ["555", "777"]


def test_member_and_note_helpers() -> None:
    member = Member.model_validate({"id": 3, "identifier": "jdoe", "officeEmail": "j@x"})
    assert member.name == "jdoe" and member.email == "j@x"
    internal = Note.model_validate({"id": 1, "internalAnalysisFlag": True,
                                    "member": {"identifier": "jdoe"}})
    resolution = Note.model_validate({"id": 2, "resolutionFlag": True, "createdBy": "x"})
    discussion = Note.model_validate({"id": 3, "detailDescriptionFlag": True})
    assert (internal.kind, resolution.kind, discussion.kind) == (
        "internal", "resolution", "discussion")
    assert internal.author == "jdoe" and resolution.author == "x"


def test_priority_level_tolerates_numbers() -> None:
    assert Priority.model_validate({"id": 1, "level": 2}).level == "2"


def test_patch_ops_render_json_patch() -> None:
    assert PatchOp(op="replace", path="status", value={"id": 5}).wire() == {
        "op": "replace", "path": "status", "value": {"id": 5}}
    assert PatchOp(op="remove", path="owner").wire() == {"op": "remove", "path": "owner"}
    with pytest.raises(ValidationError):
        PatchOp(op="move", path="x")  # type: ignore[arg-type]
