"""Ticket field rules and reference lookups shared by ticket creation and patching."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psa.sandbox.data import Board

if TYPE_CHECKING:
    from psa.sandbox.store import Store

# Fields a client may send but the server derives: ignored on PATCH (200, unchanged).
READ_ONLY = frozenset({
    "id", "_info", "recordType", "resources", "closedDate", "closedBy", "hasChildTicket",
    "hasMergedChildTicketFlag", "mergedParentTicket", "dateResolved", "dateResplan",
    "dateResponded", "resolveMinutes", "resPlanMinutes", "respondMinutes", "isInSla",
    "slaStatus", "escalationLevel", "minutesBeforeWaiting", "minutesWaiting",
    "respondedSkippedMinutes", "resplanSkippedMinutes", "respondedHours", "respondedBy",
    "resplanHours", "resplanBy", "resolutionHours", "resolvedBy", "actualHours", "sla",
    "mobileGuid", "location", "department", "initialDescription", "initialInternalAnalysis",
    "initialResolution", "processNotifications", "skipCallback", "customFields",
    "enteredBy", "dateEntered", "lastUpdated", "updatedBy",
})
SCALAR_BOOLS = frozenset({
    "closedFlag", "customerUpdatedFlag", "approved", "automaticEmailContactFlag",
    "automaticEmailResourceFlag", "automaticEmailCcFlag", "allowAllClientsPortalView",
    "requestForChangeFlag",
})
SCALAR_ENUMS: dict[str, tuple[str, ...]] = {
    "severity": ("Low", "Medium", "High"),
    "impact": ("Low", "Medium", "High"),
    "billTime": ("Billable", "DoNotBill", "NoCharge", "NoDefault"),
    "billExpenses": ("Billable", "DoNotBill", "NoCharge", "NoDefault"),
    "billProducts": ("Billable", "DoNotBill", "NoCharge", "NoDefault"),
}
# Max lengths from ConnectWise's schema descriptions.
LENGTHS = {
    "summary": 100, "externalXRef": 100, "poNumber": 50, "siteName": 50, "addressLine1": 50,
    "addressLine2": 50, "city": 50, "stateIdentifier": 50, "zip": 12, "contactName": 62,
    "contactPhoneNumber": 20, "contactPhoneExtension": 15, "contactEmailAddress": 250,
    "automaticEmailCc": 1000,
}
_SERVICE_LOCATIONS = ("serviceLocation", "remoteLocation")


class FieldError(Exception):
    """One invalid field: carries ConnectWise's ``errors[]`` item."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error["message"])
        self.error = error


def _error(code: str, message: str, field: str) -> FieldError:
    return FieldError({"code": code, "message": message, "resource": "ticket", "field": field})


def _key(value: Any, field: str) -> tuple[str, Any]:
    """Which key a reference value identifies by: ``("id", 5)``, ``("name", "New")``..."""
    if isinstance(value, dict):
        for key in ("id", "identifier", "name"):
            if value.get(key) is not None:
                return key, value[key]
    elif isinstance(value, int) and not isinstance(value, bool):
        return "id", value
    raise _error("InvalidValue", f"{field} must be a reference like {{\"id\": 1}}.", field)


def _match(record: dict[str, Any], key: str, value: Any) -> bool:
    found = record.get(key)
    if isinstance(found, str) and isinstance(value, str):
        return found.casefold() == value.casefold()
    return bool(found == value) and not isinstance(value, bool)


class Resolver:
    """Looks references up on a Store, raising FieldError with ConnectWise's error item."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def company(self, value: Any) -> dict[str, Any] | None:
        if value is None:
            raise _error("NullValue", "company is required.", "company")
        key, wanted = _key(value, "company")
        for company in self.store.ref.companies:
            if _match(company, key, wanted):
                return company
        raise _error("InvalidValue", f"Company {wanted} does not exist.", "company")

    def board(self, value: Any, *, default: Board | None) -> Board:
        if value is None:
            if default is None:
                raise _error("NullValue", "board is required.", "board")
            return default
        key, wanted = _key(value, "board")
        for board in self.store.ref.board_by_id.values():
            if _match(board.ref, key, wanted):
                return board
        raise _error("InvalidValue", f"Board {wanted} does not exist.", "board")

    def status(
        self, board: Board, value: Any, *, default: bool, strict: bool
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(reference, record) of a status on ``board``. Not on the board: 400 when
        ``strict``, else None (the caller ignores it, as ConnectWise does on PATCH)."""
        if value is None:
            if not default:
                raise _error("NullValue", "status is required.", "status")
            value = {"id": board.default_status}
        key, wanted = _key(value, "status")
        for status in board.statuses:
            if _match(status, key, wanted):
                if status["inactive"]:
                    raise _error("InvalidValue", f"Status {status['name']} is inactive.",
                                 "status")
                return board.status_refs[status["id"]], status
        if strict:
            raise _error("InvalidValue", f"Status {wanted} is not valid on board "
                         f"{board.ref['name']}.", "status")
        return None

    def close_or_open(
        self, board: Board, current: int, closed: bool
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The status ``closedFlag`` implies: the board's Closed one, or its default."""
        now = next(s for s in board.statuses if s["id"] == current)
        if now["closedStatus"] == closed:
            return None
        if closed:
            target = next((s for s in board.statuses if s["closedStatus"] and not s["inactive"]
                           and s["name"] == "Closed"),
                          next(s for s in board.statuses if s["closedStatus"]))
        else:
            target = next(s for s in board.statuses if s["id"] == board.default_status)
        return board.status_refs[target["id"]], target

    def priority(self, value: Any, *, default: bool) -> dict[str, Any]:
        ref = self.store.ref
        if value is None:
            if not default:
                raise _error("NullValue", "priority is required.", "priority")
            return ref.priority_refs[next(p["id"] for p in ref.priorities if p["defaultFlag"])]
        key, wanted = _key(value, "priority")
        for priority in ref.priorities:
            if _match(priority, key, wanted):
                return ref.priority_refs[priority["id"]]
        raise _error("InvalidValue", f"Priority {wanted} does not exist.", "priority")

    def contact(self, value: Any, company_id: int) -> dict[str, Any]:
        key, wanted = _key(value, "contact")
        if key != "id":
            raise _error("InvalidValue", "contact must be given by id.", "contact")
        contact = self.store.contacts_by_id.get(wanted)
        if contact is None:
            raise _error("InvalidValue", f"Contact {wanted} does not exist.", "contact")
        if contact["company"]["id"] != company_id:
            raise _error("InvalidValue", f"Contact {wanted} does not belong to the ticket's "
                         "company.", "contact")
        return contact

    def member(self, value: Any, field: str) -> dict[str, Any]:
        """An active member's reference."""
        key, wanted = _key(value, field)
        store = self.store
        if key == "id":
            member = store.members_by_id.get(wanted)
        else:
            member = store.members_by_ident.get(str(wanted).casefold())
        if member is None:
            raise _error("InvalidValue", f"Member {wanted} does not exist.", field)
        if member["inactiveFlag"]:
            raise _error("InvalidValue", f"Member {member['identifier']} is inactive.", field)
        return store.ref.member_refs[member["identifier"]]

    def by_name(self, field: str, board: Board | None, value: Any) -> dict[str, Any]:
        """Owner, type, subType, item, team, source or serviceLocation."""
        if field == "owner":
            return self.member(value, field)
        ref = self.store.ref
        candidates: list[dict[str, Any]]
        if field == "source":
            candidates = list(ref.sources.values())
        elif field == "serviceLocation":
            candidates = [ref.shared[name] for name in _SERVICE_LOCATIONS]
        elif board is None:
            candidates = []
        elif field == "team":
            candidates = board.teams
        else:
            known = {"type": board.type_refs, "subType": board.subtype_refs,
                     "item": board.item_refs}[field]
            candidates = list(known.values())
        key, wanted = _key(value, field)
        for candidate in candidates:
            if _match(candidate, key, wanted):
                return candidate
        raise _error("InvalidValue", f"{field} {wanted} is not valid on this board.", field)
