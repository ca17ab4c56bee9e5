"""Service-level result models: ticket pages and rows, detail sections, resources, identity, SLA."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

T = TypeVar("T")

NoteKind = Literal["discussion", "internal", "resolution"]
SUMMARY_MAX = 100

# defer_build: a model's validator is built at its first use, not at import (start-up).
_FROZEN = ConfigDict(frozen=True, extra="ignore", defer_build=True)


def _ref(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _opt_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _opt_hours(value: Any) -> float | None:
    """A non-negative number of hours (ints and doubles alike); anything else reads as unknown."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return float(value)


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def parse_cw_datetime(value: Any) -> datetime | None:
    """ConnectWise's `2026-11-27T09:00:00Z` (or None / junk, which reads as unknown)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class PermissionWarning(BaseModel):
    """Something the key's security role may not read; the UI shows it instead of an error."""

    model_config = _FROZEN
    area: str                 # "members", "statuses", "resources", "boards", ...
    permission: str           # e.g. "System > Member Maintenance (Inquire)"
    endpoint: str | None = None
    message: str


class Section(BaseModel, Generic[T]):
    """One independently-loaded part of a result: a value, or why it is missing.

    A 403 on one section (say resources) must not blank the others (say notes).
    """

    model_config = _FROZEN
    value: T | None = None
    error: str | None = None
    warning: PermissionWarning | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.warning is None


class TicketRow(BaseModel):
    """One row of the ticket list: only what the table shows, flat and natively sortable."""

    model_config = _FROZEN
    id: int
    summary: str = ""
    board_id: int | None = None
    board_name: str = ""
    status_id: int | None = None
    status_name: str = ""
    priority_id: int | None = None
    priority_name: str = ""
    company_id: int | None = None
    company_identifier: str = ""
    company_name: str = ""
    contact_name: str = ""
    owner_id: int | None = None
    owner_identifier: str = ""
    resources: str = ""
    closed: bool = False
    customer_updated: bool = False
    parent_ticket_id: int | None = None
    has_child_ticket: bool = False
    merged_parent_id: int | None = None
    is_in_sla: bool | None = None
    sla_status: str = ""
    date_entered: datetime | None = None
    last_updated: datetime | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> TicketRow:
        board, status = _ref(data, "board"), _ref(data, "status")
        priority, company = _ref(data, "priority"), _ref(data, "company")
        owner, info = _ref(data, "owner"), _ref(data, "_info")
        contact = _ref(data, "contact")
        return cls(
            id=int(data["id"]),
            summary=_opt_str(data.get("summary")) or "",
            board_id=_opt_int(board.get("id")),
            board_name=_opt_str(board.get("name")) or "",
            status_id=_opt_int(status.get("id")),
            status_name=_opt_str(status.get("name")) or "",
            priority_id=_opt_int(priority.get("id")),
            priority_name=_opt_str(priority.get("name")) or "",
            company_id=_opt_int(company.get("id")),
            company_identifier=_opt_str(company.get("identifier")) or "",
            company_name=_opt_str(company.get("name")) or "",
            contact_name=_opt_str(contact.get("name")) or _opt_str(data.get("contactName")) or "",
            owner_id=_opt_int(owner.get("id")),
            owner_identifier=_opt_str(owner.get("identifier")) or "",
            resources=_opt_str(data.get("resources")) or "",
            closed=data.get("closedFlag") is True,
            customer_updated=data.get("customerUpdatedFlag") is True,
            parent_ticket_id=_opt_int(data.get("parentTicketId")),
            has_child_ticket=data.get("hasChildTicket") is True,
            merged_parent_id=_opt_int(_ref(data, "mergedParentTicket").get("id")),
            is_in_sla=data.get("isInSla") if isinstance(data.get("isInSla"), bool) else None,
            sla_status=_opt_str(data.get("slaStatus")) or "",
            date_entered=parse_cw_datetime(info.get("dateEntered")),
            last_updated=parse_cw_datetime(info.get("lastUpdated")),
        )


# The `fields=` projection the list asks for: what TicketRow reads, nothing else.
LIST_FIELDS: tuple[str, ...] = (
    "id", "summary", "board/id", "board/name", "status/id", "status/name",
    "priority/id", "priority/name", "company/id", "company/identifier", "company/name",
    "contact/id", "contact/name", "contactName", "owner/id", "owner/identifier", "resources",
    "closedFlag", "customerUpdatedFlag", "parentTicketId", "hasChildTicket", "isInSla",
    "slaStatus", "_info/dateEntered", "_info/lastUpdated",
)


class TicketPage(BaseModel):
    """One page of a ticket search and the total number of matching tickets."""

    model_config = _FROZEN
    items: tuple[TicketRow, ...]
    total: int
    page: int
    page_size: int
    total_exact: bool = True
    """False only when a free-text search had to be verified client-side over more candidates
    than the service scans; ``total`` is then a lower bound (the verified matches found)."""
    warnings: tuple[PermissionWarning, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class Option(BaseModel):
    """An id + name pair for pickers (boards, priorities, companies, contacts, members)."""

    model_config = _FROZEN
    id: int
    name: str
    identifier: str = ""
    detail: str = ""
    """Secondary text for the picker (a contact's company name)."""
    inactive: bool = False
    sort_order: int | None = None
    color: str = ""


class BoardStatusOption(BaseModel):
    """A status of one board, with the flags the UI needs."""

    model_config = _FROZEN
    id: int
    name: str
    board_id: int
    closed: bool = False
    inactive: bool = False
    escalation: bool = False
    sort_order: int | None = None


class TypeOption(BaseModel):
    """A ticket type or subtype of one board (``/service/boards/{id}/types`` / ``subtypes``)."""

    model_config = _FROZEN
    id: int
    name: str
    board_id: int
    inactive: bool = False
    default: bool = False
    category: str = ""
    """Types: ``Reactive`` or ``Proactive`` (empty when the server leaves it out)."""
    type_ids: tuple[int, ...] | None = None
    """Subtypes: the types it goes with (``typeAssociationIds``); None when the server did not
    say, which reads as "any type"."""

    def fits(self, type_id: int | None) -> bool:
        """Whether this subtype may be chosen with ``type_id`` (no type: none fits)."""
        if type_id is None:
            return False
        return self.type_ids is None or type_id in self.type_ids


class StatusOption(BaseModel):
    """A status name across boards: the name plus each board's id for it (board_id, status_id)."""

    model_config = _FROZEN
    name: str
    ids: tuple[tuple[int, int], ...]
    closed: bool = False

    def id_on(self, board_id: int) -> int | None:
        return next((sid for bid, sid in self.ids if bid == board_id), None)


class Resource(BaseModel):
    """A member working a ticket: its owner and/or co-assignee (schedule entries of type 4)."""

    model_config = _FROZEN
    member_id: int
    identifier: str = ""
    name: str = ""
    is_owner: bool = False
    schedule_entry_ids: tuple[int, ...] = ()


class Identity(BaseModel):
    """Who the key acts as; `mapped` false means unknown, and nothing was guessed."""

    model_config = _FROZEN
    mapped: bool
    source: Literal["myAccount", "configured", "email", "none"]
    member_id: int | None = None
    identifier: str = ""
    name: str = ""
    email: str = ""
    detail: str = ""


class SlaState(BaseModel):
    """A ticket's SLA as of now (from calculateSla), not as of its last save."""

    model_config = _FROZEN
    ticket_id: int
    is_in_sla: bool | None = None
    sla_status: str = ""
    respond_minutes: int | None = None
    res_plan_minutes: int | None = None
    resolve_minutes: int | None = None
    minutes_waiting: int | None = None
    escalation_level: int | None = None
    date_responded: datetime | None = None
    date_resplan: datetime | None = None
    date_resolved: datetime | None = None
    responded_hours: float | None = None
    """The stage targets in business hours (``respondedHours``…); None when the server omits
    them, and the UI then shows the server's own status text instead of time left."""
    resplan_hours: float | None = None
    resolution_hours: float | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> SlaState:
        in_sla = data.get("isInSla")
        return cls(
            ticket_id=int(data["id"]),
            is_in_sla=in_sla if isinstance(in_sla, bool) else None,
            sla_status=_opt_str(data.get("slaStatus")) or "",
            respond_minutes=_opt_int(data.get("respondMinutes")),
            res_plan_minutes=_opt_int(data.get("resPlanMinutes")),
            resolve_minutes=_opt_int(data.get("resolveMinutes")),
            minutes_waiting=_opt_int(data.get("minutesWaiting")),
            escalation_level=_opt_int(data.get("escalationLevel")),
            date_responded=parse_cw_datetime(data.get("dateResponded")),
            date_resplan=parse_cw_datetime(data.get("dateResplan")),
            date_resolved=parse_cw_datetime(data.get("dateResolved")),
            responded_hours=_opt_hours(data.get("respondedHours")),
            resplan_hours=_opt_hours(data.get("resplanHours")),
            resolution_hours=_opt_hours(data.get("resolutionHours")),
        )


SLA_FIELDS: tuple[str, ...] = (
    "id", "isInSla", "slaStatus", "respondMinutes", "resPlanMinutes", "resolveMinutes",
    "minutesWaiting", "escalationLevel", "dateResponded", "dateResplan", "dateResolved",
    "respondedHours", "resplanHours", "resolutionHours",
)


class NewTicket(BaseModel):
    """What a dispatcher fills in to open a ticket; validated before anything is sent."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX)
    company_id: int = Field(gt=0)
    board_id: int = Field(gt=0)
    contact_id: int | None = None
    priority_id: int | None = None
    status_id: int | None = None
    type_id: int | None = None
    subtype_id: int | None = None
    owner_id: int | None = None
    parent_ticket_id: int | None = Field(default=None, gt=0)
    """Makes the new ticket a child of this one in the create itself (``parentTicketId``)."""
    initial_description: str = ""
    initial_internal_analysis: str = ""

    @field_validator("summary")
    @classmethod
    def _summary_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("summary must not be blank")
        return value


class TicketView(TicketRow):
    """The ticket as the detail pane shows it: the row plus what only one ticket's GET has."""

    contact_id: int | None = None
    contact_phone: str = ""
    contact_email: str = ""
    type_name: str = ""
    subtype_name: str = ""
    item_name: str = ""
    team_name: str = ""
    severity: str = ""
    impact: str = ""
    source_name: str = ""
    site_name: str = ""
    required_date: datetime | None = None
    closed_date: datetime | None = None
    closed_by: str = ""
    entered_by: str = ""
    updated_by: str = ""
    merged_parent_summary: str = ""
    sla: SlaState | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> TicketView:
        row = TicketRow.from_wire(data).model_dump()
        info = _ref(data, "_info")

        def name(key: str) -> str:
            return _opt_str(_ref(data, key).get("name")) or ""

        return cls(
            **row,
            contact_id=_opt_int(_ref(data, "contact").get("id")),
            contact_phone=_opt_str(data.get("contactPhoneNumber")) or "",
            contact_email=_opt_str(data.get("contactEmailAddress")) or "",
            type_name=name("type"), subtype_name=name("subType"), item_name=name("item"),
            team_name=name("team"), source_name=name("source"), site_name=name("site"),
            severity=_opt_str(data.get("severity")) or "",
            impact=_opt_str(data.get("impact")) or "",
            required_date=parse_cw_datetime(data.get("requiredDate")),
            closed_date=parse_cw_datetime(data.get("closedDate")),
            closed_by=_opt_str(data.get("closedBy")) or "",
            entered_by=_opt_str(info.get("enteredBy")) or _opt_str(data.get("enteredBy")) or "",
            updated_by=_opt_str(info.get("updatedBy")) or "",
            merged_parent_summary=_opt_str(_ref(data, "mergedParentTicket").get("summary")) or "",
            sla=SlaState.from_wire(data),
        )


class NoteItem(BaseModel):
    """One note of a ticket (a ticket note, or a time entry's or meeting's note from allNotes)."""

    model_config = _FROZEN
    id: int
    text: str = ""
    discussion: bool = False
    internal: bool = False
    resolution: bool = False
    note_type: str = "TicketNote"
    author: str = ""
    from_customer: bool = False
    created: datetime | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> NoteItem:
        member, contact, info = _ref(data, "member"), _ref(data, "contact"), _ref(data, "_info")
        author = (
            _opt_str(member.get("name")) or _opt_str(contact.get("name"))
            or _opt_str(data.get("originalAuthor")) or _opt_str(data.get("createdBy"))
            or _opt_str(member.get("identifier")) or ""
        )
        created = next(
            (parsed for raw in (data.get("dateCreated"), info.get("dateCreated"),
                                data.get("timeStart"), info.get("lastUpdated"))
             if (parsed := parse_cw_datetime(raw)) is not None),
            None,
        )
        return cls(
            id=int(data["id"]),
            text=_opt_str(data.get("text")) or "",
            discussion=data.get("detailDescriptionFlag") is True,
            internal=data.get("internalAnalysisFlag") is True,
            resolution=data.get("resolutionFlag") is True,
            note_type=_opt_str(data.get("noteType")) or "TicketNote",
            author=author,
            from_customer=bool(contact) and not member,
            created=created,
        )


class ConfigurationItem(BaseModel):
    """A configuration on a ticket; ``detailed`` once its full record has been read."""

    model_config = _FROZEN
    id: int
    device_identifier: str = ""
    detailed: bool = False
    name: str = ""
    type_name: str = ""
    status_name: str = ""
    serial_number: str = ""
    model_number: str = ""
    ip_address: str = ""
    mac_address: str = ""
    site_name: str = ""
    contact_name: str = ""
    active: bool | None = None

    def with_record(self, data: Mapping[str, Any]) -> ConfigurationItem:
        active = data.get("activeFlag")
        return self.model_copy(update={
            "detailed": True,
            "name": _opt_str(data.get("name")) or "",
            "device_identifier": _opt_str(data.get("deviceIdentifier")) or self.device_identifier,
            "type_name": _opt_str(_ref(data, "type").get("name")) or "",
            "status_name": _opt_str(_ref(data, "status").get("name")) or "",
            "serial_number": _opt_str(data.get("serialNumber")) or "",
            "model_number": _opt_str(data.get("modelNumber")) or "",
            "ip_address": _opt_str(data.get("ipAddress")) or "",
            "mac_address": _opt_str(data.get("macAddress")) or "",
            "site_name": _opt_str(_ref(data, "site").get("name")) or "",
            "contact_name": _opt_str(_ref(data, "contact").get("name")) or "",
            "active": active if isinstance(active, bool) else None,
        })


class RelatedTickets(BaseModel):
    """Parent, children, tickets merged into this one, and the one this was merged into."""

    model_config = _FROZEN
    parent_id: int | None = None
    parent: TicketRow | None = None
    children: tuple[TicketRow, ...] = ()
    merged: tuple[TicketRow, ...] = ()
    merged_into_id: int | None = None
    merged_into: TicketRow | None = None


class TicketDetail(BaseModel):
    """Everything the detail pane shows; each section loads (or fails) on its own."""

    model_config = _FROZEN
    ticket: TicketView
    notes: Section[tuple[NoteItem, ...]]
    configurations: Section[tuple[ConfigurationItem, ...]]
    related: Section[RelatedTickets]
    resources: Section[tuple[Resource, ...]]
    web_url: str = ""

    @property
    def warnings(self) -> tuple[PermissionWarning, ...]:
        sections = (self.notes, self.configurations, self.related, self.resources)
        return tuple(s.warning for s in sections if s.warning is not None)

    @property
    def ticket_notes_count(self) -> int | None:
        """How many ticket notes (not time-entry notes) were loaded; None if notes failed."""
        if not self.notes.ok or self.notes.value is None:
            return None
        return sum(1 for note in self.notes.value if note.note_type == "TicketNote")


class NoteOutcome(BaseModel):
    """What adding a note did: the note, and the status change when one was asked for."""

    model_config = _FROZEN
    note: NoteItem
    ticket: TicketRow | None = None
    status_error: str | None = None
