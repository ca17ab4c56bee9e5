"""Wire models for ConnectWise records: pydantic v2, frozen, lenient about what servers omit.

Every field but ``id`` has a default: ConnectWise leaves out null properties (and field reports
show records lacking fields its schema calls required), some servers send explicit nulls, and
``fields=`` projections return only what was asked for. Absent and null are treated alike; an
unparseable timestamp becomes None instead of failing the record. ``_info`` timestamps are lifted
to ``last_updated``/``date_entered`` (aware UTC datetimes) on every record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel


def _lenient_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


CwDatetime = Annotated[datetime | None, BeforeValidator(_lenient_datetime)]
"""A ConnectWise timestamp as an aware UTC datetime; None when absent, null or malformed."""


class CWModel(BaseModel):
    """Base: frozen, camelCase aliases, unknown fields ignored, nulls treated as absent."""

    # defer_build: a model's validator is built at its first use, not at import (start-up).
    model_config = ConfigDict(
        frozen=True, extra="ignore", populate_by_name=True, alias_generator=to_camel,
        defer_build=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        # Explicit nulls fall back to the field's default, exactly like an absent property;
        # a null inside a list (seen in the field) is skipped rather than failing the record.
        if isinstance(data, dict):
            return {
                key: [item for item in value if item is not None]
                if isinstance(value, list) else value
                for key, value in data.items() if value is not None
            }
        return data


class Ref(CWModel):
    """A nested reference ``{id, name|identifier, _info}``."""

    id: int | None = None
    name: str | None = None
    identifier: str | None = None
    summary: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.identifier or self.summary or (
            f"#{self.id}" if self.id is not None else ""
        )


class Info(CWModel):
    """The ``_info`` block: audit timestamps and hrefs (hrefs are ignored)."""

    last_updated: CwDatetime = None
    date_entered: CwDatetime = None
    entered_by: str | None = None
    updated_by: str | None = None


class Record(CWModel):
    """A top-level record: ``id`` plus the ``_info`` audit fields lifted to the top."""

    id: int
    info: Info | None = Field(default=None, alias="_info")
    last_updated: CwDatetime = None
    date_entered: CwDatetime = None
    entered_by: str | None = None
    updated_by: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _lift_info(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("_info"), dict):
            info = data["_info"]
            data = dict(data)
            for key in ("lastUpdated", "dateEntered", "enteredBy", "updatedBy"):
                if data.get(key) is None and info.get(key) is not None:
                    data[key] = info[key]
        return data


class SlaFields(Record):
    """SLA fields of a ticket (from a ticket or ``/service/tickets/calculateSla``)."""

    sla: Ref | None = None
    sla_status: str | None = None
    is_in_sla: bool | None = None
    date_responded: CwDatetime = None
    date_resplan: CwDatetime = None
    date_resolved: CwDatetime = None
    respond_minutes: int | None = None
    res_plan_minutes: int | None = None
    resolve_minutes: int | None = None
    minutes_waiting: int | None = None
    minutes_before_waiting: int | None = None
    escalation_level: int | None = None
    escalation_start_date_utc: CwDatetime = Field(
        default=None, alias="escalationStartDateUTC"
    )


class Ticket(SlaFields):
    """A service ticket (``/service/tickets``)."""

    summary: str | None = None
    record_type: str | None = None
    board: Ref | None = None
    status: Ref | None = None
    priority: Ref | None = None
    company: Ref | None = None
    contact: Ref | None = None
    owner: Ref | None = None
    team: Ref | None = None
    type: Ref | None = None
    sub_type: Ref | None = None
    item: Ref | None = None
    source: Ref | None = None
    location: Ref | None = None
    department: Ref | None = None
    contact_name: str | None = None
    contact_phone_number: str | None = None
    contact_phone_extension: str | None = None
    contact_email_address: str | None = None
    site_name: str | None = None
    resources: str | None = None
    closed_flag: bool = False
    closed_date: CwDatetime = None
    closed_by: str | None = None
    customer_updated_flag: bool = False
    parent_ticket_id: int | None = None
    has_child_ticket: bool = False
    has_merged_child_ticket_flag: bool = False
    merged_parent_ticket: Ref | None = None
    severity: str | None = None
    impact: str | None = None
    external_x_ref: str | None = None
    required_date: CwDatetime = None
    budget_hours: float | None = None
    actual_hours: float | None = None

    def sla_fields(self) -> SlaFields:
        """Just the SLA part (for merging a ``calculateSla`` answer into a row)."""
        return SlaFields.model_validate(
            {name: getattr(self, name) for name in SlaFields.model_fields}
        )


class Board(Record):
    name: str | None = None
    inactive_flag: bool = False
    project_flag: bool = False
    location: Ref | None = None
    department: Ref | None = None


class BoardStatus(Record):
    name: str | None = None
    board: Ref | None = None
    sort_order: int | None = None
    inactive: bool = False
    closed_status: bool = False
    escalation_status: str | None = None
    default_flag: bool = False
    time_entry_not_allowed: bool = False
    display_on_board: bool | None = None


class Priority(Record):
    """Some servers return only ``{id, name}``: everything else is optional."""

    name: str | None = None
    color: str | None = None
    sort_order: int | None = None
    level: str | None = None
    default_flag: bool = False

    @model_validator(mode="before")
    @classmethod
    def _level_as_text(cls, data: Any) -> Any:
        # The schema says string; a server sending a number must not fail the record.
        if isinstance(data, dict) and isinstance(data.get("level"), int | float):
            data = {**data, "level": str(data["level"])}
        return data


class Company(Record):
    name: str | None = None
    identifier: str | None = None
    status: Ref | None = None
    types: tuple[Ref, ...] = ()
    phone_number: str | None = None
    website: str | None = None
    city: str | None = None
    state: str | None = None
    site: Ref | None = None
    default_contact: Ref | None = None
    deleted_flag: bool = False


class CommunicationItem(CWModel):
    """One phone number or e-mail address of a contact."""

    id: int | None = None
    type: Ref | None = None
    value: str | None = None
    extension: str | None = None
    default_flag: bool = False
    communication_type: str | None = None
    """``Phone``, ``Email`` or ``Fax``."""


class Contact(Record):
    first_name: str | None = None
    last_name: str | None = None
    company: Ref | None = None
    site: Ref | None = None
    title: str | None = None
    inactive_flag: bool = False
    default_flag: bool = False
    default_phone_type: str | None = None
    default_phone_nbr: str | None = None
    default_phone_extension: str | None = None
    communication_items: tuple[CommunicationItem, ...] = ()

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def _values(self, kind: str) -> list[str]:
        items = [
            item for item in self.communication_items
            if (item.communication_type or "").casefold() == kind and item.value
        ]
        items.sort(key=lambda item: not item.default_flag)  # defaults first, order kept
        return [item.value for item in items if item.value]

    @property
    def emails(self) -> list[str]:
        return self._values("email")

    @property
    def phones(self) -> list[str]:
        found = self._values("phone")
        if self.default_phone_nbr and self.default_phone_nbr not in found:
            found.insert(0, self.default_phone_nbr)
        return found

    @property
    def email(self) -> str | None:
        return next(iter(self.emails), None)

    @property
    def phone(self) -> str | None:
        return next(iter(self.phones), None)


class Member(Record):
    identifier: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    inactive_flag: bool = False
    admin_flag: bool = False
    license_class: str | None = None
    office_email: str | None = None
    primary_email: str | None = None
    office_phone: str | None = None
    mobile_phone: str | None = None

    @property
    def name(self) -> str:
        full = " ".join(part for part in (self.first_name, self.last_name) if part)
        return full or self.identifier or f"#{self.id}"

    @property
    def email(self) -> str | None:
        return self.primary_email or self.office_email


NoteKind = Literal["discussion", "internal", "resolution"]


class Note(Record):
    """A ticket note; ``kind`` says which of CW's three note boxes it belongs to."""

    ticket_id: int | None = None
    text: str | None = None
    detail_description_flag: bool = False
    internal_analysis_flag: bool = False
    resolution_flag: bool = False
    issue_flag: bool = False
    internal_flag: bool = False
    external_flag: bool = False
    customer_updated_flag: bool = False
    member: Ref | None = None
    contact: Ref | None = None
    date_created: CwDatetime = None
    created_by: str | None = None

    @property
    def kind(self) -> NoteKind:
        if self.resolution_flag:
            return "resolution"
        if self.internal_analysis_flag and not self.detail_description_flag:
            return "internal"
        return "discussion"

    @property
    def author(self) -> str:
        for ref in (self.member, self.contact):
            if ref is not None and ref.label:
                return ref.label
        return self.created_by or ""


class ScheduleEntry(Record):
    object_id: int | None = None
    name: str | None = None
    member: Ref | None = None
    type: Ref | None = None
    status: Ref | None = None
    date_start: CwDatetime = None
    date_end: CwDatetime = None
    done_flag: bool = False
    owner_flag: bool = False
    hours: float | None = None


class ConfigurationRef(Record):
    """What ``/service/tickets/{id}/configurations`` returns: a reference only."""

    device_identifier: str | None = None
    name: str | None = None


class Configuration(Record):
    """A full configuration record from ``/company/configurations``."""

    name: str | None = None
    type: Ref | None = None
    status: Ref | None = None
    company: Ref | None = None
    contact: Ref | None = None
    site: Ref | None = None
    manufacturer: Ref | None = None
    device_identifier: str | None = None
    serial_number: str | None = None
    model_number: str | None = None
    tag_number: str | None = None
    ip_address: str | None = None
    mac_address: str | None = None
    os_type: str | None = None
    last_login_name: str | None = None
    active_flag: bool | None = None
    installation_date: CwDatetime = None
    warranty_expiration_date: CwDatetime = None
    notes: str | None = None


class SystemInfo(CWModel):
    """``/system/info``: the cheap connectivity and auth probe."""

    version: str | None = None
    is_cloud: bool | None = None
    server_time_zone: str | None = None
    cloud_region: str | None = None


class PatchOp(BaseModel):
    """One JSON Patch operation as ConnectWise takes it (``add`` / ``replace`` / ``remove``)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    op: Literal["add", "replace", "remove"]
    path: str
    value: Any = None

    def wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.op != "remove":
            body["value"] = self.value
        return body
