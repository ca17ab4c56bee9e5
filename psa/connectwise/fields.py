"""The ConnectWise field paths code may use in conditions, and what their columns can hold."""

from __future__ import annotations

_REFS = ("id", "name", "identifier")


def _ref(prefix: str, subs: tuple[str, ...] = _REFS) -> set[str]:
    return {f"{prefix}/{sub}" for sub in subs}


_TICKET = {
    "id", "summary", "recordType", "closedFlag", "customerUpdatedFlag", "parentTicketId",
    "hasChildTicket", "hasMergedChildTicketFlag", "resources", "severity", "impact",
    "externalXRef", "contactName", "contactEmailAddress", "contactPhoneNumber", "closedDate",
    "closedBy", "requiredDate", "dateResolved", "dateResplan", "dateResponded", "isInSla",
    "slaStatus", "escalationLevel", "minutesWaiting", "respondMinutes", "resPlanMinutes",
    "resolveMinutes", "approved", "siteName", "ticketId", "objectId",
    "lastUpdated", "dateEntered", "enteredBy", "updatedBy",
    "_info/lastUpdated", "_info/dateEntered", "_info/enteredBy", "_info/updatedBy",
    *_ref("board"), *_ref("status"), *_ref("priority"), *_ref("company"), *_ref("contact"),
    *_ref("owner"), *_ref("team"), *_ref("type"), *_ref("subType"), *_ref("item"),
    *_ref("source"), *_ref("location"), *_ref("department"), *_ref("sla"),
    *_ref("serviceLocation"), *_ref("agreement"), *_ref("mergedParentTicket"),
}
_COMPANY = {
    "name", "identifier", "deletedFlag", "phoneNumber", "website", "city", "state", "zip",
    "leadFlag", "dateAcquired", *_ref("status"), *_ref("types"), *_ref("territory"),
    *_ref("site"), *_ref("defaultContact"),
}
_CONTACT = {
    "firstName", "lastName", "title", "inactiveFlag", "defaultFlag", "defaultPhoneNbr",
    "communicationItems/value", "communicationItems/communicationType",
    "communicationItems/type/name", *_ref("company"), *_ref("site"),
}
_MEMBER = {
    "identifier", "firstName", "lastName", "inactiveFlag", "officeEmail", "primaryEmail",
    "defaultEmail", "licenseClass", "adminFlag", "disableOnlineFlag", "title",
}
_BOARD = {"inactiveFlag", "projectFlag", *_ref("location"), *_ref("department")}
_STATUS = {
    "sortOrder", "inactive", "closedStatus", "timeEntryNotAllowed", "escalationStatus",
    "defaultFlag", "displayOnBoard", "boardId", *_ref("board"),
}
_PRIORITY = {"color", "level", "defaultFlag", "urgencySortOrder"}
_CONFIGURATION = {
    "deviceIdentifier", "serialNumber", "modelNumber", "tagNumber", "ipAddress", "macAddress",
    "activeFlag", *_ref("type"), *_ref("status"), *_ref("contact"), *_ref("site"),
}
_SCHEDULE = {
    "objectId", "dateStart", "dateEnd", "doneFlag", "ownerFlag", "acknowledgedFlag",
    *_ref("member"), *_ref("type"), *_ref("status"),
}
_NOTE = {
    "text", "ticketId", "detailDescriptionFlag", "internalAnalysisFlag", "resolutionFlag",
    "issueFlag", "internalFlag", "externalFlag", "dateCreated", "createdBy",
    *_ref("member"), *_ref("contact"),
}

KNOWN_FIELDS: frozenset[str] = frozenset(
    _TICKET | _COMPANY | _CONTACT | _MEMBER | _BOARD | _STATUS | _PRIORITY | _CONFIGURATION
    | _SCHEDULE | _NOTE
)
"""Every path the client lets code put in ``conditions``; anything else is refused."""

NUMERIC_FIELDS: frozenset[str] = frozenset(
    p for p in KNOWN_FIELDS if p == "id" or p.endswith("/id") or p in {
        "parentTicketId", "ticketId", "objectId", "boardId", "escalationLevel",
        "minutesWaiting", "respondMinutes", "resPlanMinutes", "resolveMinutes", "sortOrder",
    }
)
"""Fields holding integers: free text matches them only as a whole number."""

FIELD_MAX_LENGTHS: dict[str, int] = {
    "summary": 100,
    "company/name": 50,
    "company/identifier": 25,
    "name": 50,
    "identifier": 25,
    "firstName": 30,
    "lastName": 30,
    "contact/name": 62,
    "contactName": 62,
    "owner/identifier": 15,
    "member/identifier": 15,
    "externalXRef": 100,
    "deviceIdentifier": 100,
}
"""Longest value ConnectWise stores per text field (its schema's limits, in characters).

A free-text search longer than every searched field's limit cannot match and is not sent.
``name``/``identifier`` here are the company's (companies endpoint).
"""
