"""The sandbox's seeded dataset: a small MSP and its customers, generated from one seed.

Everything comes from ``random.Random(seed)`` (never the global generator, never ``hash()``)
and every timestamp is laid out relative to the clock's ``now()`` at construction, so the same
seed, ticket count and clock give the same ids and content.

Who is who (the API keys in ``auth.py`` belong to these members):
- **dispatch** — Dana Whitfield, Service Dispatcher, full member: the ``sandbox-public`` key.
  The activity generator assigns tickets to her.
- **APIRestricted** / **APINoAccess** — API members (licence class ``A``) of the
  ``restricted-public`` and ``noaccess-public`` keys.
- Technicians include **jdoe** *and* **jdoe2** (loose identifier matching shows up) and
  **dobrien** (Dan O'Brien: an apostrophe in a name); **sharris** and **pmartin** are inactive.
- The MSP itself is company **HarborviewIT** ("Harborview IT Services"); 45 customers follow,
  some with awkward names ("O'Malley & Sons Plumbing", "Litware Accounting, LLC").

Boards (ids deliberately not 1..n): **Help Desk** (1), **Projects / Onsite** (7), **Alerts**
(12), **Escalations** (14) and an inactive **Legacy Support** (3). Status ids are unique across
boards, as on ConnectWise; "New", "In Progress", "Waiting on Customer" and "Closed" exist on
several boards with different ids, "Alert Received" only on Alerts and "Waiting on Parts" only
on Projects / Onsite. Priorities carry the colour names of ConnectWise's schema enum ("Red"...),
not hex: the schema declares an enum, the ``#FF0000`` form is not in it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from psa.sandbox.data_text import (
    COMPANIES,
    CONTACT_TITLES,
    FIRST_NAMES,
    LAST_NAMES,
    MEMBERS,
    STREETS,
    TEMPLATES,
)
from psa.sandbox.sla import DAY, Targets, cw_ts

DISPATCHER = "dispatch"
RESTRICTED_MEMBER = "APIRestricted"
NOACCESS_MEMBER = "APINoAccess"
MSP_IDENTIFIER = "HarborviewIT"

# Board keys used by templates -> (id, name, team names). Ids are not 1..n on purpose.
BOARDS: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "desk": (1, "Help Desk", ("Tier 1", "Tier 2")),
    "onsite": (7, "Projects / Onsite", ("Field Services",)),
    "alerts": (12, "Alerts", ("NOC",)),
    "escalations": (14, "Escalations", ("Engineering",)),
    "legacy": (3, "Legacy Support", ()),
}

# Per board: (name, escalationStatus, closed, default, inactive, timeEntryNotAllowed).
_S = tuple[str, str, bool, bool, bool, bool]
STATUSES: dict[str, tuple[_S, ...]] = {
    "desk": (
        ("New", "NotResponded", False, True, False, False),
        ("Assigned", "Responded", False, False, False, False),
        ("In Progress", "Responded", False, False, False, False),
        ("Waiting on Customer", "NoEscalation", False, False, False, False),
        ("Waiting on Vendor", "NoEscalation", False, False, False, False),
        ("Scheduled", "ResolutionPlan", False, False, False, False),
        ("Customer Updated", "Responded", False, False, False, False),
        ("Resolved", "Resolved", True, False, False, False),
        ("Closed", "Resolved", True, False, False, True),
        ("Old - Do Not Use", "NotResponded", False, False, True, False),
    ),
    "onsite": (
        ("New", "NotResponded", False, True, False, False),
        ("Scheduled", "ResolutionPlan", False, False, False, False),
        ("Dispatched", "ResolutionPlan", False, False, False, False),
        ("In Progress", "Responded", False, False, False, False),
        ("Waiting on Parts", "NoEscalation", False, False, False, False),
        ("Waiting on Customer", "NoEscalation", False, False, False, False),
        ("Completed", "Resolved", True, False, False, False),
        ("Closed", "Resolved", True, False, False, True),
    ),
    "alerts": (
        ("Alert Received", "NotResponded", False, True, False, False),
        ("Acknowledged", "Responded", False, False, False, False),
        ("In Progress", "Responded", False, False, False, False),
        ("Auto-Resolved", "Resolved", True, False, False, True),
        ("Closed", "Resolved", True, False, False, True),
    ),
    "escalations": (
        ("New", "NotResponded", False, True, False, False),
        ("Engineer Assigned", "Responded", False, False, False, False),
        ("In Progress", "Responded", False, False, False, False),
        ("Waiting on Customer", "NoEscalation", False, False, False, False),
        ("Waiting on Vendor", "NoEscalation", False, False, False, False),
        ("Resolved", "Resolved", True, False, False, False),
        ("Closed", "Resolved", True, False, False, True),
    ),
    "legacy": (
        ("New", "NotResponded", False, True, False, False),
        ("Closed", "Resolved", True, False, False, True),
    ),
}

# (id, name, color, level, default, respond h, plan h, resolve h)
PRIORITIES: tuple[tuple[int, str, str, str, bool, float, float, float], ...] = (
    (8, "Priority 1 - Emergency Response", "Red", "Critical", False, 0.5, 2, 4),
    (5, "Priority 2 - Quick Response", "Orange", "High", False, 1, 4, 8),
    (4, "Priority 3 - Normal Response", "Blue", "Medium", True, 4, 8, 24),
    (7, "Priority 4 - Scheduled Maintenance", "Green", "Low", False, 8, 24, 40),
    (15, "Priority 5 - Project", "Purple", "Low", False, 24, 48, 120),
)

SOURCES = ((2, "Phone"), (3, "Email"), (5, "Portal"), (6, "Email Connector"), (9, "Monitoring"))
CONFIG_TYPES = (
    (1, "Workstation"), (2, "Laptop"), (3, "Server"), (4, "Firewall"), (5, "Switch"),
    (6, "Printer"), (7, "Wireless Access Point"), (8, "NAS"),
)
CONFIG_STATUSES = ((1, "Active"), (2, "Inactive"), (3, "Retired"))


class Hrefs:
    """Builds ConnectWise ``_info`` hrefs under the API base URL."""

    def __init__(self, api_base: str) -> None:
        self.base = api_base.rstrip("/")

    def ref(self, kind: str, path: str, **fields: Any) -> dict[str, Any]:
        """A reference ``{fields..., _info: {kind_href: base/path}}``."""
        return {**fields, "_info": {f"{kind}_href": f"{self.base}/{path}"}}


@dataclass
class Board:
    """A board and everything tickets need from it (internal)."""

    key: str
    record: dict[str, Any]
    ref: dict[str, Any]
    statuses: list[dict[str, Any]]
    status_refs: dict[int, dict[str, Any]]
    default_status: int
    teams: list[dict[str, Any]]
    # Template index -> (type ref, subtype ref, item ref).
    classification: dict[int, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]
    type_refs: dict[int, dict[str, Any]] = field(default_factory=dict)
    subtype_refs: dict[int, dict[str, Any]] = field(default_factory=dict)
    item_refs: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Full records for /service/boards/{id}/types, /subtypes and /items, in id order.
    types: list[dict[str, Any]] = field(default_factory=list)
    subtypes: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)

    def statuses_named(self, *names: str) -> list[int]:
        return [s["id"] for s in self.statuses if s["name"] in names]


@dataclass
class Reference:
    """Everything except tickets: companies, people, boards, priorities (internal)."""

    now: int
    hrefs: Hrefs
    companies: list[dict[str, Any]] = field(default_factory=list)
    company_refs: dict[int, dict[str, Any]] = field(default_factory=dict)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    contacts_of: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    contact_refs: dict[int, dict[str, Any]] = field(default_factory=dict)
    configurations: list[dict[str, Any]] = field(default_factory=list)
    configs_of: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=list)
    member_refs: dict[str, dict[str, Any]] = field(default_factory=dict)
    boards: dict[str, Board] = field(default_factory=dict)
    board_by_id: dict[int, Board] = field(default_factory=dict)
    priorities: list[dict[str, Any]] = field(default_factory=list)
    priority_refs: dict[int, dict[str, Any]] = field(default_factory=dict)
    targets: dict[int, Targets] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    shared: dict[str, dict[str, Any]] = field(default_factory=dict)


def build_reference(rng: random.Random, now: int, hrefs: Hrefs) -> Reference:
    """The non-ticket data, deterministic from ``rng``."""
    ref = Reference(now=now, hrefs=hrefs)
    _shared_refs(ref)
    _members(ref, rng)
    _companies(ref, rng)
    _boards(ref)
    _priorities(ref)
    return ref


def info_stamp(now: int, days_ago: int, by: str) -> dict[str, str]:
    """A record's ``_info``: last updated some days before ``now``."""
    return {"lastUpdated": cw_ts(now - days_ago * DAY), "updatedBy": by}


def _shared_refs(ref: Reference) -> None:
    h = ref.hrefs
    ref.shared = {
        "location": h.ref("location", "system/locations/2", id=2, name="Tampa Office"),
        "department": h.ref("department", "system/departments/10", id=10,
                            identifier="Services", name="Professional Services"),
        "serviceLocation": h.ref("location", "service/locations/1", id=1, name="On-Site"),
        "remoteLocation": h.ref("location", "service/locations/2", id=2, name="Remote"),
        "sla": h.ref("sla", "service/SLAs/3", id=3, name="Standard SLA"),
        "country": h.ref("country", "company/countries/1", id=1, identifier="US",
                         name="United States"),
        "workRole": h.ref("workRole", "time/workRoles/11", id=11, name="System Engineer"),
        "workType": h.ref("workType", "time/workTypes/4", id=4, name="Remote Support"),
        "timeZone": h.ref("timeZoneSetup", "system/timeZoneSetups/1", id=1, name="US Eastern"),
        "securityRole": h.ref("securityRole", "system/securityRoles/63", id=63, name="Admin"),
        "scheduleType": h.ref("type", "schedule/types/4", id=4, identifier="S"),
        "salesType": h.ref("type", "schedule/types/1", id=1, identifier="C"),
        "scheduleStatus": h.ref("status", "schedule/statuses/2", id=2, name="Firm"),
        "companyStatus": h.ref("status", "company/companies/statuses/1", id=1, name="Active"),
    }
    for source_id, name in SOURCES:
        ref.sources[name] = h.ref("source", f"service/sources/{source_id}", id=source_id,
                                  name=name)


def _members(ref: Reference, rng: random.Random) -> None:
    h, now = ref.hrefs, ref.now
    for index, (ident, first, last, title, licence, inactive) in enumerate(MEMBERS):
        member_id = 140 + index * 3
        member_ref = h.ref("member", f"system/members/{member_id}", id=member_id,
                           identifier=ident, name=f"{first} {last}")
        ref.member_refs[ident] = member_ref
        email = f"{first[0]}{last}".lower().replace("'", "") + "@harborviewit.com"
        record: dict[str, Any] = {
            "id": member_id, "identifier": ident, "firstName": first, "lastName": last,
            "title": title, "licenseClass": licence, "inactiveFlag": inactive,
            "officeEmail": email, "primaryEmail": email, "defaultEmail": "Office",
            "officePhone": f"813-555-{2100 + index:04d}", "defaultPhone": "Office",
            "hireDate": cw_ts(now - (400 + rng.randrange(2500)) * DAY),
            "timeZone": ref.shared["timeZone"], "securityRole": ref.shared["securityRole"],
            "defaultLocation": ref.shared["location"],
            "defaultDepartment": ref.shared["department"], "workRole": ref.shared["workRole"],
            "dailyCapacity": 8.0, "adminFlag": ident == DISPATCHER,
            "enableMobileFlag": licence == "F", "disableOnlineFlag": False,
            "_info": info_stamp(now, 3 + rng.randrange(200), "dispatch"),
        }
        if licence == "F":
            record["mobilePhone"] = f"727-555-{3000 + rng.randrange(6999):04d}"
        if inactive:
            record["inactiveDate"] = cw_ts(now - (60 + rng.randrange(200)) * DAY)
        ref.members.append(record)
    approver = ref.member_refs["ljohnson"]
    for record in ref.members:
        record["timeApprover"] = record["expenseApprover"] = approver


def _companies(ref: Reference, rng: random.Random) -> None:
    from psa.sandbox.data_configs import add_configurations  # it builds on this module

    msp = ("Harborview IT Services", MSP_IDENTIFIER, "harborviewit.com", "Tampa", "FL", "33602",
           "813")
    contact_id = 200
    config_id = 5000
    for index, row in enumerate((msp, *COMPANIES)):
        company_id = 2 + index * 2 if index else 2
        company = _company(ref, rng, company_id, row, msp=index == 0)
        ref.companies.append(company)
        ref.contacts_of[company_id] = []
        ref.configs_of[company_id] = []
        if index == 0:
            continue
        for _ in range(rng.randint(1, 6)):
            contact_id += 1 + rng.randrange(3)
            ref.contacts_of[company_id].append(_contact(ref, rng, contact_id, company, row[2]))
        company["defaultContact"] = ref.contact_refs[ref.contacts_of[company_id][0]["id"]]
        config_id = add_configurations(ref, rng, company, config_id)


def _company(
    ref: Reference, rng: random.Random, company_id: int, row: tuple[str, ...], *, msp: bool
) -> dict[str, Any]:
    name, ident, domain, city, state, zipcode, area = row
    h = ref.hrefs
    ref.company_refs[company_id] = h.ref("company", f"company/companies/{company_id}",
                                         id=company_id, identifier=ident, name=name)
    site = h.ref("site", f"company/companies/{company_id}/sites/{company_id * 10}",
                 id=company_id * 10, name="Main")
    phone = f"{area}555{rng.randrange(1000, 9999)}"
    record: dict[str, Any] = {
        "id": company_id, "identifier": ident, "name": name,
        "status": ref.shared["companyStatus"],
        "types": [{"id": 5 if msp else 1, "name": "Owner" if msp else "Client"}],
        "addressLine1": f"{rng.randrange(100, 9900)} {rng.choice(STREETS)}",
        "city": city, "state": state, "zip": zipcode, "country": ref.shared["country"],
        "phoneNumber": phone, "website": f"www.{domain}", "site": site,
        "territory": {"id": 1, "name": "Tampa Bay"}, "leadFlag": False,
        "unsubscribeFlag": False, "deletedFlag": False,
        "numberOfEmployees": rng.randrange(5, 250),
        "dateAcquired": cw_ts(ref.now - (200 + rng.randrange(3000)) * DAY),
        "timeZoneSetup": ref.shared["timeZone"],
        "mobileGuid": guid(rng),
        "_info": {
            **info_stamp(ref.now, rng.randrange(300), "dispatch"),
            "contacts_href": f"{h.base}/company/contacts?conditions=company/id={company_id}",
            "sites_href": f"{h.base}/company/companies/{company_id}/sites",
        },
        # Internal: the ticket generator copies the site address onto tickets.
    }
    if rng.random() < 0.4:
        record["addressLine2"] = f"Suite {rng.randrange(100, 500)}"
    return record


def _contact(
    ref: Reference, rng: random.Random, contact_id: int, company: dict[str, Any], domain: str
) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{first}.{last}@{domain}".lower().replace("'", "")
    area = company["phoneNumber"][:3]
    phone = f"{area}555{rng.randrange(1000, 9999)}"
    ext = str(rng.randrange(100, 400)) if rng.random() < 0.4 else None
    phone_item: dict[str, Any] = {
        "id": contact_id * 10 + 1, "type": {"id": 2, "name": "Direct"}, "value": phone,
        "defaultFlag": True, "communicationType": "Phone",
    }
    if ext:
        phone_item["extension"] = ext
    record: dict[str, Any] = {
        "id": contact_id, "firstName": first, "lastName": last,
        "company": ref.company_refs[company["id"]], "site": company["site"],
        "inactiveFlag": False, "title": rng.choice(CONTACT_TITLES),
        "defaultPhoneType": "Direct", "defaultPhoneNbr": phone, "defaultBillingFlag": False,
        "defaultFlag": not ref.contacts_of[company["id"]],
        "communicationItems": [
            phone_item,
            {"id": contact_id * 10 + 2, "type": {"id": 1, "name": "Email"}, "value": email,
             "defaultFlag": True, "communicationType": "Email", "domain": f"@{domain}"},
        ],
        "types": [],
        "mobileGuid": guid(rng),
        "_info": info_stamp(ref.now, rng.randrange(400), "dispatch"),
    }
    if ext:
        record["defaultPhoneExtension"] = ext
    ref.contacts.append(record)
    ref.contact_refs[contact_id] = ref.hrefs.ref(
        "contact", f"company/contacts/{contact_id}", id=contact_id, name=f"{first} {last}"
    )
    return record


def _boards(ref: Reference) -> None:
    h, now = ref.hrefs, ref.now
    status_id = 20
    class_id = 100
    for key, (board_id, name, team_names) in BOARDS.items():
        board_ref = h.ref("board", f"service/boards/{board_id}", id=board_id, name=name)
        statuses: list[dict[str, Any]] = []
        status_refs: dict[int, dict[str, Any]] = {}
        default = 0
        for sort, (sname, escalation, closed, is_default, inactive, no_time) in enumerate(
            STATUSES[key]
        ):
            status_id += 1 + sort % 2
            statuses.append({
                "id": status_id, "name": sname, "board": board_ref, "sortOrder": sort,
                "displayOnBoard": not inactive, "inactive": inactive, "closedStatus": closed,
                "timeEntryNotAllowed": no_time, "roundRobinCatchall": False,
                "defaultFlag": is_default, "escalationStatus": escalation,
                "customerPortalFlag": not inactive, "saveTimeAsNote": False,
                "_info": info_stamp(now, 500 + sort, "dispatch"),
            })
            status_refs[status_id] = h.ref(
                "status", f"service/boards/{board_id}/statuses/{status_id}", id=status_id,
                name=sname, sort=sort)
            if is_default:
                default = status_id
        teams = [
            h.ref("team", f"service/boards/{board_id}/teams/{board_id * 10 + i}",
                  id=board_id * 10 + i, name=team)
            for i, team in enumerate(team_names)
        ]
        board = Board(key, _board_record(ref, board_id, name, key, status_refs[default]),
                      board_ref, statuses, status_refs, default, teams, {})
        class_id = _classify(ref, board, class_id)
        ref.boards[key] = board
        ref.board_by_id[board_id] = board


def _board_record(
    ref: Reference, board_id: int, name: str, key: str, close: dict[str, Any]
) -> dict[str, Any]:
    flags = (
        "sendToContactFlag", "sendToResourceFlag", "projectFlag", "billTicketsAfterClosedFlag",
        "billTicketSeparatelyFlag", "billUnapprovedTimeExpenseFlag", "overrideBillingSetupFlag",
        "autoAssignNewTicketsFlag", "autoAssignNewECTicketsFlag", "autoAssignNewPortalTicketsFlag",
        "discussionsLockedFlag", "timeEntryLockedFlag", "closedLoopDiscussionsFlag",
        "closedLoopResolutionFlag", "closedLoopInternalAnalysisFlag", "timeEntryDiscussionFlag",
        "timeEntryResolutionFlag", "timeEntryInternalAnalysisFlag",
        "emailConnectorAllowReopenClosedFlag", "useMemberDisplayNameFlag", "sendToCCFlag",
        "autoAssignTicketOwnerFlag", "autoAssignLimitFlag", "closedLoopAllFlag",
        "markFirstNoteIssueFlag", "restrictBoardByDefaultFlag", "sendToBundledFlag",
    )
    record: dict[str, Any] = {
        "id": board_id, "name": name, "location": ref.shared["location"],
        "department": ref.shared["department"], "inactiveFlag": key == "legacy",
    }
    record.update(dict.fromkeys(flags, False))
    record.update({
        "sendToContactFlag": True, "sendToResourceFlag": True,
        "markFirstNoteIssueFlag": True,
        "dispatchMember": ref.member_refs[DISPATCHER],
        "serviceManagerMember": ref.member_refs["ljohnson"],
        "workRole": ref.shared["workRole"], "workType": ref.shared["workType"],
        "billTime": "NoDefault", "billExpense": "Billable", "billProduct": "Billable",
        "autoCloseStatus": close, "notifyEmailFrom": "help@harborviewit.com",
        "notifyEmailFromName": "Harborview IT Help Desk", "problemSort": "Ascending",
        "resolutionSort": "Ascending", "internalAnalysisSort": "Ascending",
        "allSort": "Ascending", "percentageCalculation": "ActualHours",
        "_info": info_stamp(ref.now, 700, "dispatch"),
    })
    return record


def _classify(ref: Reference, board: Board, next_id: int) -> int:
    """Types, subtypes and items of a board, from its templates (ids unique system-wide)."""
    board_id = board.ref["id"]
    by_name: dict[tuple[str, str], dict[str, Any]] = {}

    def named(kind: str, name: str) -> dict[str, Any]:
        nonlocal next_id
        found = by_name.get((kind, name))
        if found is None:
            next_id += 1
            path = {"type": "types", "subType": "subtypes", "item": "items"}[kind]
            found = by_name[(kind, name)] = ref.hrefs.ref(
                kind, f"service/boards/{board_id}/{path}/{next_id}", id=next_id, name=name)
            target = {"type": board.type_refs, "subType": board.subtype_refs,
                      "item": board.item_refs}[kind]
            target[next_id] = found
        return found

    for index, template in enumerate(TEMPLATES):
        if template.board == board.key:
            board.classification[index] = (
                named("type", template.type), named("subType", template.subtype),
                named("item", template.item),
            )
    _classification_records(ref, board)
    return next_id


PROACTIVE_TYPES = frozenset({"Maintenance", "Project"})
RETIRED_TYPE = (191, "Telecom (retired)")
"""An inactive type on the Help Desk: listed by /types (inactiveFlag), refused by a create."""


def _classification_records(ref: Reference, board: Board) -> None:
    """The records behind a board's type, subtype and item references (BoardType & co.)."""
    common = {"board": board.ref, "_info": info_stamp(ref.now, 600, "dispatch")}
    associations: dict[int, set[int]] = {}
    for type_ref, subtype_ref, _item in board.classification.values():
        associations.setdefault(subtype_ref["id"], set()).add(type_ref["id"])
    first = min(board.type_refs, default=None)
    board.types = [{
        "id": tid, "name": t["name"],
        "category": "Proactive" if t["name"] in PROACTIVE_TYPES else "Reactive",
        "defaultFlag": tid == first, "inactiveFlag": False, "requestForChangeFlag": False,
        "location": ref.shared["location"], "department": ref.shared["department"], **common,
    } for tid, t in sorted(board.type_refs.items())]
    if board.key == "desk":
        tid, name = RETIRED_TYPE
        board.types.append({
            "id": tid, "name": name, "category": "Reactive", "defaultFlag": False,
            "inactiveFlag": True, "requestForChangeFlag": False,
            "location": ref.shared["location"], "department": ref.shared["department"],
            **common,
        })
    board.subtypes = [{
        "id": sid, "name": st["name"], "inactiveFlag": False,
        "typeAssociationIds": sorted(associations.get(sid, ())), **common,
    } for sid, st in sorted(board.subtype_refs.items())]
    board.items = [{"id": iid, "name": it["name"], "inactiveFlag": False, **common}
                   for iid, it in sorted(board.item_refs.items())]


def _priorities(ref: Reference) -> None:
    h, now = ref.hrefs, ref.now
    for sort, (pid, name, color, level, default, respond, plan, resolve) in enumerate(PRIORITIES):
        image = f"{h.base}/service/priorities/{pid}/image?lm=2019-04-11T15:21:33Z"
        ref.priorities.append({
            "id": pid, "name": name, "color": color, "sortOrder": sort * 2 + 1,
            "defaultFlag": default, "imageLink": image, "urgencySortOrder": str(sort + 1),
            "level": level,
            "_info": {**info_stamp(now, 900, "dispatch"),
                      "priority_href": f"{h.base}/service/priorities/{pid}",
                      "image_href": image},
        })
        ref.priority_refs[pid] = {
            "id": pid, "name": name, "sort": sort * 2 + 1, "level": level,
            "_info": {"priority_href": f"{h.base}/service/priorities/{pid}",
                      "image_href": image},
        }
        ref.targets[pid] = Targets(respond, plan, resolve)


def guid(rng: random.Random) -> str:
    """A version-4 style GUID from ``rng`` (uuid4() would use the OS's randomness)."""
    text = f"{rng.getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-a{text[17:20]}-{text[20:32]}"
