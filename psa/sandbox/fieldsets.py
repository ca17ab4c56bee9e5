"""The field paths each entity accepts in ``conditions``, ``orderBy`` and ``fields``.

A path is valid when any record of the entity could carry it: the paths seen in a sample of
records (every record for the small entities) plus, for optional fields that a sample may
miss, a synthetic record listing them. ``_info`` paths come with ConnectWise's aliases
``lastUpdated``, ``dateEntered``, ``enteredBy`` and ``updatedBy``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from psa.sandbox.query import INFO_ALIASES, FieldSet

if TYPE_CHECKING:
    from psa.sandbox.store import Store

_REF = {"id": 0, "name": "", "_info": {}}
_MEMBER = {"id": 0, "identifier": "", "name": "", "_info": {}}
_INFO = {"lastUpdated": "", "updatedBy": "", "dateEntered": "", "enteredBy": ""}

# Optional fields a sample might not contain.
_EXTRA: dict[str, dict[str, Any]] = {
    "tickets": {
        "owner": _MEMBER, "contact": _REF, "team": _REF, "type": _REF, "subType": _REF,
        "item": _REF, "source": _REF, "site": _REF, "contactName": "",
        "contactPhoneNumber": "", "contactPhoneExtension": "", "contactEmailAddress": "",
        "parentTicketId": 0, "mergedParentTicket": {"id": 0, "summary": "", "_info": {}},
        "closedDate": "", "closedBy": "", "dateResponded": "", "dateResplan": "",
        "dateResolved": "", "respondedBy": "", "resplanBy": "", "resolvedBy": "",
        "requiredDate": "", "budgetHours": 0, "actualHours": 0, "externalXRef": "",
        "resources": "", "addressLine2": "", "poNumber": "", "agreement": _REF,
        "estimatedStartDate": "", "_info": _INFO,
    },
    "notes": {
        "id": 0, "ticketId": 0, "text": "", "detailDescriptionFlag": False,
        "internalAnalysisFlag": False, "resolutionFlag": False, "issueFlag": False,
        "member": _MEMBER, "contact": _REF, "customerUpdatedFlag": False,
        "processNotifications": False, "dateCreated": "", "createdBy": "",
        "internalFlag": False, "externalFlag": False, "noteType": "",
        "ticket": {"id": 0, "summary": "", "_info": {}}, "isMarkdownFlag": False,
        "timeStart": "", "timeEnd": "", "bundledFlag": False, "mergedFlag": False,
        "originalAuthor": "", "createdByParentFlag": False, "_info": _INFO,
    },
    "scheduleEntries": {
        "closeDate": "", "reminder": _REF, "span": {"id": 0, "identifier": "", "_info": {}},
        "acknowledgedDate": "", "_info": _INFO,
    },
    "members": {"inactiveDate": "", "mobilePhone": "", "middleInitial": "",
                "officeExtension": "", "_info": _INFO},
    "contacts": {"defaultPhoneExtension": "", "_info": _INFO},
    "companies": {"addressLine2": "", "defaultContact": _REF, "_info": _INFO},
    "configurations": {"contact": _REF, "osType": "", "ram": "", "lastLoginName": "",
                       "_info": _INFO},
    "boards": {"_info": _INFO},
    "priorities": {"_info": _INFO},
    "boardStatuses": {"_info": _INFO},
    "boardTypes": {"_info": _INFO},
    "boardSubTypes": {"typeAssociationIds": [0], "_info": _INFO},
    "boardItems": {"_info": _INFO},
}
_CLASSIFICATION = {"boardTypes": "types", "boardSubTypes": "subtypes", "boardItems": "items"}
_SAMPLE = 2000


def field_set(store: Store, entity: str) -> FieldSet:
    """The FieldSet for ``entity`` (a Store entity, ``boardStatuses`` or ``notes``)."""
    records: list[Mapping[str, Any]] = list(_sample(store, entity))
    records.append(_EXTRA.get(entity, {"_info": _INFO}))
    return FieldSet.from_records(records, dict(INFO_ALIASES))


def _sample(store: Store, entity: str) -> Iterable[Mapping[str, Any]]:
    if entity == "boardStatuses":
        for board in store.ref.board_by_id.values():
            yield from board.statuses
        return
    if entity in _CLASSIFICATION:
        for board in store.ref.board_by_id.values():
            yield from getattr(board, _CLASSIFICATION[entity])
        return
    if entity == "notes":
        # A few tickets' notes are enough: every note has the same keys (plus the extras).
        for ticket in store.tickets[:20]:
            yield from store.notes(ticket["id"], all_notes=True)
            yield from store.notes(ticket["id"])
        return
    records = store.records(entity)
    step = max(1, len(records) // _SAMPLE)
    yield from records[::step]
