"""Seeded tickets, their schedule entries and attached configurations (fast enough for 100k).

Per-ticket work is kept small: shared reference dicts are built once (tickets share them, so
they must never be changed in place), choices use precomputed 100-slot tables, and timestamps are
epoch seconds formatted by a cached formatter. Notes are not built here: ``data_notes`` derives
them lazily from the ticket (see there).

Layout (all relative to the clock's ``now`` at construction): tickets were entered over the last
six weeks, mostly in business hours (alerts around the clock); about 40 % are closed; open ones
skew recent. Ticket ids count up from 20001 in entry order. Some tickets have no owner (the
dispatch queue), some co-assignees through type-4 (``S``) schedule entries (a few of those name
the owner again: ``resources`` dedupes), a few are children of an earlier ticket of the same
company or were merged into one (closed, ``mergedParentTicket`` set).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Any

from psa.sandbox.data import Board, Reference, guid
from psa.sandbox.data_text import (
    FIREWALL_MODELS,
    FIRST_NAMES,
    FLOORS,
    LAST_NAMES,
    PRINTERS,
    ROLES,
    TEMPLATES,
    WEEKDAY_NAMES,
)
from psa.sandbox.sla import DAY, STANDARD_CALENDAR, SlaClock, cw_ts, sla_fields

FIRST_TICKET_ID = 20001
FIRST_ENTRY_ID = 700001
TECHS = ("jdoe", "jdoe2", "asmith", "mgarcia", "kpatel", "twilliams", "rnguyen", "ljohnson",
         "bchen", "ekowalski", "dobrien")
FORMER = ("sharris", "pmartin")

# Board weights (percent) and per-board status weights by name.
_BOARD_WEIGHTS = {"desk": 55, "onsite": 12, "alerts": 25, "escalations": 8}
_STATUS_WEIGHTS: dict[str, dict[str, int]] = {
    "desk": {"New": 12, "Assigned": 8, "In Progress": 14, "Waiting on Customer": 8,
             "Waiting on Vendor": 3, "Scheduled": 5, "Customer Updated": 4, "Resolved": 10,
             "Closed": 36},
    "onsite": {"New": 8, "Scheduled": 14, "Dispatched": 6, "In Progress": 8,
               "Waiting on Parts": 6, "Waiting on Customer": 4, "Completed": 14, "Closed": 40},
    "alerts": {"Alert Received": 18, "Acknowledged": 8, "In Progress": 8, "Auto-Resolved": 26,
               "Closed": 40},
    "escalations": {"New": 8, "Engineer Assigned": 10, "In Progress": 16,
                    "Waiting on Customer": 8, "Waiting on Vendor": 8, "Resolved": 10,
                    "Closed": 40},
}
# Priority ids by board, as 100-slot weights.
_PRIORITY_WEIGHTS = {
    "desk": {8: 3, 5: 17, 4: 62, 7: 15, 15: 3},
    "onsite": {5: 10, 4: 40, 7: 25, 15: 25},
    "alerts": {8: 15, 5: 35, 4: 45, 7: 5},
    "escalations": {8: 15, 5: 45, 4: 40},
}
_STAGE = {"NotResponded": 0, "Responded": 1, "ResolutionPlan": 2, "Resolved": 3,
          "NoEscalation": 1}
_LEVELS = ("Low", "Medium", "Medium", "Medium", "High")


def _table(weights: dict[Any, int]) -> list[Any]:
    """A 100-slot lookup table: ``table[int(random() * 100)]`` draws by weight."""
    table: list[Any] = []
    for value, weight in weights.items():
        table += [value] * weight
    scale = 100 / len(table)
    return [table[int(i / scale)] for i in range(100)]


@dataclass
class Seeded:
    """The generated tickets and what hangs off them (internal)."""

    tickets: list[dict[str, Any]] = field(default_factory=list)
    clocks: dict[int, SlaClock] = field(default_factory=dict)
    entries: list[dict[str, Any]] = field(default_factory=list)
    configs: dict[int, tuple[int, ...]] = field(default_factory=dict)
    descriptions: dict[int, str] = field(default_factory=dict)


@dataclass
class _Prepared:
    """Per-board lookups shared by every ticket."""

    board: Board
    statuses: list[tuple[dict[str, Any], dict[str, Any]]]   # 100 slots: (status, ref)
    priorities: list[int]
    templates: list[int]
    closed_ref: dict[str, Any]


def generate_tickets(ref: Reference, rng: random.Random, count: int) -> Seeded:
    """``count`` tickets over the reference data."""
    gen = _Generator(ref, rng)
    for index in range(count):
        gen.ticket(FIRST_TICKET_ID + index)
    gen.odd_schedule_entries()
    return gen.out


class _Generator:
    def __init__(self, ref: Reference, rng: random.Random) -> None:
        self.ref, self.rng, self.out = ref, rng, Seeded()
        self.cal = STANDARD_CALENDAR
        self.base = ref.hrefs.base + "/service/tickets/"
        self.boards = _table(_BOARD_WEIGHTS)
        self.prepared = {key: self._prepare(key) for key in _BOARD_WEIGHTS}
        self.customers = ref.companies[1:]
        self.last_of_company: dict[int, int] = {}
        self.by_id: dict[int, dict[str, Any]] = {}
        self.next_entry = FIRST_ENTRY_ID
        self.techs = [ref.member_refs[t] for t in TECHS]
        self.former = [ref.member_refs[t] for t in FORMER]
        self.dispatcher = ref.member_refs["dispatch"]
        shared = ref.shared
        self.constants = {
            "allowAllClientsPortalView": False, "customerUpdatedFlag": False,
            "automaticEmailContactFlag": False, "automaticEmailResourceFlag": False,
            "automaticEmailCcFlag": False,
        }
        self.constants2 = {
            "approved": True, "billTime": "NoDefault", "billExpenses": "Billable",
            "billProducts": "Billable", "hasChildTicket": False,
            "hasMergedChildTicketFlag": False, "location": shared["location"],
            "department": shared["department"],
        }
        self.constants3 = {"sla": shared["sla"], "requestForChangeFlag": False}
        self.configs_by_kind: dict[tuple[int, str], list[int]] = {}
        for config in ref.configurations:
            key = (config["company"]["id"], config["type"]["name"])
            self.configs_by_kind.setdefault(key, []).append(config["id"])
        self.fields_of = [_placeholders(t.summary + t.description) for t in TEMPLATES]

    def _prepare(self, key: str) -> _Prepared:
        board = self.ref.boards[key]
        by_name = {s["name"]: s for s in board.statuses}
        slots = _table(_STATUS_WEIGHTS[key])
        statuses = [(by_name[n], board.status_refs[by_name[n]["id"]]) for n in slots]
        closed = by_name["Closed"]
        return _Prepared(board, statuses, _table(_PRIORITY_WEIGHTS[key]),
                         sorted(board.classification), board.status_refs[closed["id"]])

    def ticket(self, tid: int) -> None:
        rng, ref = self.rng, self.ref
        prep = self.prepared[self.boards[int(rng.random() * 100)]]
        board = prep.board
        status, status_ref = prep.statuses[int(rng.random() * 100)]
        closed = status["closedStatus"]
        company = self.customers[int(rng.random() * len(self.customers))]
        cid = company["id"]
        template_index = prep.templates[int(rng.random() * len(prep.templates))]
        template = TEMPLATES[template_index]
        type_ref, subtype_ref, item_ref = board.classification[template_index]
        priority_id = prep.priorities[int(rng.random() * 100)]
        entered = self._entered(board.key, closed, status["escalationStatus"])
        contacts = ref.contacts_of[cid]
        alert = board.key == "alerts"
        contact = None if alert and rng.random() < 0.7 else contacts[
            int(rng.random() * len(contacts))]
        summary, description = self._texts(template_index, company, contact)
        t: dict[str, Any] = {
            "id": tid, "summary": summary, "recordType": "ServiceTicket",
            "board": board.ref, "status": status_ref, "company": ref.company_refs[cid],
            "site": company["site"], "siteName": "Main",
            "addressLine1": company["addressLine1"], "city": company["city"],
            "stateIdentifier": company["state"], "zip": company["zip"],
            "country": company["country"],
        }
        if "addressLine2" in company:
            t["addressLine2"] = company["addressLine2"]
        if contact is not None:
            t["contact"] = ref.contact_refs[contact["id"]]
            t["contactName"] = t["contact"]["name"]
            t["contactPhoneNumber"] = contact["defaultPhoneNbr"]
            if "defaultPhoneExtension" in contact:
                t["contactPhoneExtension"] = contact["defaultPhoneExtension"]
            t["contactEmailAddress"] = contact["communicationItems"][1]["value"]
        t["type"], t["subType"], t["item"] = type_ref, subtype_ref, item_ref
        if board.teams:
            t["team"] = board.teams[int(rng.random() * len(board.teams))]
        owner = self._owner(closed)
        if owner is not None:
            t["owner"] = owner
        t["priority"] = ref.priority_refs[priority_id]
        t["serviceLocation"] = ref.shared["serviceLocation" if board.key == "onsite"
                                          else "remoteLocation"]
        source = "Monitoring" if alert else ("Email Connector", "Phone", "Portal", "Email")[
            int(rng.random() * 4)]
        t["source"] = ref.sources[source]
        self._details(t, board.key, closed, entered)
        self.out.descriptions[tid] = description
        actor = owner["identifier"] if owner else "dispatch"
        last = self._timeline(t, status, entered, actor, priority_id)
        self._finish(t, entered, last, source, actor)
        if owner is not None or rng.random() < 0.05:
            self._co_assign(t, owner, last)
        self._relate(t, company, status)
        self._attach_configs(t, template.config, cid)
        self.out.tickets.append(t)
        self.by_id[tid] = t

    def _entered(self, board_key: str, closed: bool, escalation: str) -> int:
        rng, now = self.rng, self.ref.now
        # Open tickets skew recent (untouched new ones very much so); closed ones spread over
        # six weeks.
        if escalation == "NotResponded" and not closed:
            days = rng.random() ** 3 * 8
        else:
            days = rng.random() ** (1.6 if not closed else 0.8) * 42
        ts = now - int(days * DAY)
        if board_key != "alerts" and rng.random() < 0.85:
            # Move into business hours (08:00-17:00 at UTC-5) on a weekday.
            midnight = ts - (ts - 5 * 3600) % DAY
            ts = midnight + 8 * 3600 + int(rng.random() * 9 * 3600)
            weekday = ((ts - 5 * 3600) // DAY + 3) % 7   # 0 = Monday
            if weekday >= 5:
                ts -= (weekday - 4) * DAY
            while ts > now:
                ts -= DAY
        return ts

    def _texts(
        self, index: int, company: dict[str, Any], contact: dict[str, Any] | None
    ) -> tuple[str, str]:
        rng = self.rng
        template = TEMPLATES[index]
        configs = self.ref.configs_of[company["id"]]
        values: dict[str, Any] = {}
        # Only the placeholders this template uses are drawn (keeps 100k tickets fast).
        for name in self.fields_of[index]:
            if name == "person":
                first = FIRST_NAMES[int(rng.random() * 50)]
                values[name] = f"{first} {LAST_NAMES[int(rng.random() * 50)]}"
            elif name == "device":
                values[name] = configs[int(rng.random() * len(configs))]["name"]
            elif name == "company":
                values[name] = company["identifier"]
            elif name == "domain":
                values[name] = company["website"].removeprefix("www.")
            else:
                low, span = _NUMBERS.get(name, (0, 0))
                choices = _WORDS.get(name)
                values[name] = (choices[int(rng.random() * len(choices))] if choices
                                else low + int(rng.random() * span))
        summary = template.summary.format(**values)[:100]
        description = template.description.format(**values)
        if contact is not None:
            description += f"\n\nThanks,\n{contact['firstName']}"
        return summary, description

    def _owner(self, closed: bool) -> dict[str, Any] | None:
        roll = self.rng.random()
        if not closed and roll < 0.22:
            return None
        if roll < 0.25:
            return self.dispatcher
        if closed and roll > 0.95:
            return self.former[int(self.rng.random() * len(self.former))]
        return self.techs[int(self.rng.random() * len(self.techs))]

    def _details(self, t: dict[str, Any], board_key: str, closed: bool, entered: int) -> None:
        rng = self.rng
        if board_key == "onsite" and rng.random() < 0.7:
            t["requiredDate"] = _date(entered + int((2 + rng.random() * 20) * DAY))
            t["budgetHours"] = float(1 + int(rng.random() * 8))
        t["severity"] = _LEVELS[int(rng.random() * 5)]
        t["impact"] = _LEVELS[int(rng.random() * 5)]
        if board_key == "alerts":
            t["externalXRef"] = f"RMM-ALERT-{int(rng.random() * 900000) + 100000}"
        t.update(self.constants)
        t["closedFlag"] = closed
        if closed or rng.random() < 0.4:
            t["actualHours"] = 0.25 * (1 + int(rng.random() * 12))
        t.update(self.constants2)
        t["mobileGuid"] = guid(rng)
        t.update(self.constants3)

    def _timeline(
        self, t: dict[str, Any], status: dict[str, Any], entered: int, actor: str,
        priority_id: int,
    ) -> int:
        """SLA history consistent with the status; returns the last event time.

        Stages land after a business-time delay drawn against the priority's target: about
        four in five within target, the rest late (a realistic mix of in and out of SLA)."""
        rng, now, cal = self.rng, self.ref.now, self.cal
        escalation = status["escalationStatus"]
        stage = _STAGE[escalation]
        clock = SlaClock.start(cal, entered)
        targets = self.ref.targets[priority_id]
        last = entered
        base = clock.base
        limit = cal.seconds_at(now) - base
        delays: list[int] = []
        for index in range(min(stage, 3)):
            late = rng.random() < 0.08
            share = 1 + rng.random() * 2.5 if late else 0.05 + rng.random() * 0.9
            gap = 300 + int(rng.random() * 1800) if delays else 0
            delays.append(max(delays[-1] + gap if delays else 0,
                              int(targets.seconds(index) * share)))
        if delays and delays[-1] > limit * 0.95:
            # Not enough business time since entry: squeeze the history into what there was.
            scale = limit * (0.3 + 0.6 * rng.random()) / delays[-1]
            delays = [int(d * scale) for d in delays]
        for index, delay in enumerate(delays):
            last = max(last, min(cal.time_at(base + delay) if delay else entered, now))
            clock.reached[index] = last
            clock.reached_by[index] = actor
            clock.taken[index] = delay
        if escalation == "NoEscalation":
            waiting = last + int(rng.random() * (now - last) * 0.6)
            clock.waiting_since = waiting
            clock.waiting_base = cal.seconds_at(waiting)
            clock.before_waiting = max(0, clock.waiting_base - base)
            last = waiting
        if status["closedStatus"]:
            t["closedDate"] = t["_closed"] = last
            t["closedBy"] = actor
        self.out.clocks[t["id"]] = clock
        t["_priority"] = priority_id
        return last

    def _finish(self, t: dict[str, Any], entered: int, last: int, source: str, actor: str) -> None:
        rng, now, tid = self.rng, self.ref.now, t["id"]
        open_ticket = not t["closedFlag"]
        if open_ticket:
            last += int(rng.random() * (now - last) * 0.5)
            if "contact" in t and t["status"]["name"] != "New" and rng.random() < 0.15:
                t["customerUpdatedFlag"] = True
        if t["status"]["name"] == "Customer Updated" and "contact" in t:
            t["customerUpdatedFlag"] = True
        closed_at = t.pop("_closed", None)
        if closed_at is not None:
            t["closedDate"] = _cw(closed_at)
        clock = self.out.clocks[tid]
        t.update(sla_fields(clock, self.ref.targets[t.pop("_priority")], self.cal, last))
        entered_by = _ENTERED_BY.get(source, actor)
        base = self.base + str(tid)
        t["_info"] = {
            "lastUpdated": _cw(last), "updatedBy": actor if last > entered else entered_by,
            "dateEntered": _cw(entered), "enteredBy": entered_by,
            "activities_href": base + "/activities",
            "scheduleentries_href": base + "/scheduleentries",
            "documents_href": base + "/documents",
            "configurations_href": base + "/configurations",
            "tasks_href": base + "/tasks", "notes_href": base + "/notes",
            "products_href": base + "/products", "timeentries_href": base + "/timeentries",
        }

    def _co_assign(self, t: dict[str, Any], owner: dict[str, Any] | None, last: int) -> None:
        rng = self.rng
        roll = rng.random()
        members: list[dict[str, Any]] = []
        if roll < 0.12 or owner is None:
            members = [self.techs[int(rng.random() * len(self.techs))]
                       for _ in range(1 + int(rng.random() * 2))]
        elif roll < 0.14:
            members = [owner]   # CW does not dedupe entries; ``resources`` does
        names = [owner["identifier"]] if owner else []
        for member in members:
            self.out.entries.append(self._entry(t, member, last))
            if member["identifier"] not in names:
                names.append(member["identifier"])
        if names:
            t["resources"] = ", ".join(names)

    def _entry(
        self, t: dict[str, Any], member: dict[str, Any], last: int, *, kind: str = "S"
    ) -> dict[str, Any]:
        rng, shared = self.rng, self.ref.shared
        self.next_entry += 1
        start = last + int((rng.random() * 3 - 1) * DAY)
        start -= start % 900
        hours = 0.5 * (1 + int(rng.random() * 6))
        entry: dict[str, Any] = {
            "id": self.next_entry, "objectId": t["id"],
            "name": f"{t['company']['name']} / {t['summary']}"[:250],
            "member": member, "where": t["serviceLocation"],
            "dateStart": _cw(start), "dateEnd": _cw(start + int(hours * 3600)),
            "status": shared["scheduleStatus"],
            "type": shared["scheduleType"] if kind == "S" else shared["salesType"],
            "doneFlag": bool(t["closedFlag"]), "acknowledgedFlag": False, "ownerFlag": False,
            "meetingFlag": False, "allowScheduleConflictsFlag": True,
            "addMemberToProjectFlag": False, "mobileGuid": guid(rng), "hours": hours,
            "_info": {"lastUpdated": _cw(min(last, self.ref.now)), "updatedBy": "dispatch"},
        }
        if t["closedFlag"]:
            entry["closeDate"] = t["closedDate"]
        return entry

    def odd_schedule_entries(self) -> None:
        """A few sales-activity entries whose objectId happens to equal a ticket id: clients
        that forget ``type/id = 4`` pick up members who are not resources."""
        tickets = self.out.tickets
        for index in range(min(len(tickets), 2000) // 100):
            t = tickets[(index * 97) % len(tickets)]
            member = self.techs[index % len(self.techs)]
            self.out.entries.append(self._entry(t, member, self.ref.now - DAY, kind="C"))

    def _relate(self, t: dict[str, Any], company: dict[str, Any], status: dict[str, Any]) -> None:
        rng, cid = self.rng, company["id"]
        previous = self.last_of_company.get(cid)
        self.last_of_company[cid] = t["id"]
        if previous is None:
            return
        roll = rng.random()
        parent = self.by_id[previous]
        if roll < 0.02:
            t["parentTicketId"] = previous
            parent["hasChildTicket"] = True
        elif roll < 0.06 and status["closedStatus"] and not parent.get("mergedParentTicket"):
            t["mergedParentTicket"] = {
                "id": previous, "summary": parent["summary"],
                "_info": {"ticket_href": self.base + str(previous)},
            }
            t["status"] = self.prepared[self.ref.board_by_id[t["board"]["id"]].key].closed_ref
            parent["hasMergedChildTicketFlag"] = True

    def _attach_configs(self, t: dict[str, Any], kind: str | None, cid: int) -> None:
        if kind is None or self.rng.random() > 0.65:
            return
        matching = self.configs_by_kind.get((cid, kind), ())
        if matching:
            self.out.configs[t["id"]] = (matching[int(self.rng.random() * len(matching))],)


_cw = cw_ts
_ENTERED_BY = {"Email Connector": "EmailConnector", "Portal": "Portal",
               "Monitoring": "RMMIntegration"}
_WORDS: dict[str, tuple[str, ...]] = {
    "floor": FLOORS, "printer": PRINTERS, "weekday": WEEKDAY_NAMES, "role": ROLES,
    "model": FIREWALL_MODELS,
}
_NUMBERS = {"count": (2, 10), "suite": (100, 400), "percent": (90, 10)}


def _placeholders(text: str) -> tuple[str, ...]:
    """The distinct ``{name}`` placeholders of a template, in order."""
    names = [name for _, name, _, _ in string.Formatter().parse(text) if name]
    return tuple(dict.fromkeys(names))


def _date(ts: int) -> str:
    """A date-only ConnectWise timestamp (midnight UTC), as ``requiredDate`` carries."""
    return _cw(ts - ts % DAY)


