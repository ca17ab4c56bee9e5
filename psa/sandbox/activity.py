"""Live activity: what a busy MSP's ConnectWise sees happen, one deterministic step at a time.

Each ``step()`` does one or two of: a customer emails in a new ticket (Help Desk, no owner, an
initial description from the contact, entered by ``EmailConnector``); a customer adds a note to
an open ticket (``customerUpdatedFlag`` becomes true); a technician moves an open ticket to
another status of its board; an open ticket gets an owner — about a third of the time the
``dispatch`` member (the ``sandbox-public`` key), so the app's "my tickets" view changes too.
It draws from its own ``random.Random`` seeded from the store's seed, acts at the clock's now
through the same code paths as the API (so ``lastUpdated`` moves) and returns one
human-readable line per action.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from psa.sandbox.data import DISPATCHER
from psa.sandbox.data_text import CUSTOMER_FOLLOW_UPS, TEMPLATES
from psa.sandbox.data_tickets import TECHS

if TYPE_CHECKING:
    from psa.sandbox.store import Store

_RECENT = 3000   # pick tickets among the most recent ones: that is where the action is
_CONNECTOR = "EmailConnector"


class ActivityGenerator:
    """Steps of live activity over a Store (called with the store's lock held)."""

    def __init__(self, store: Store, seed: int) -> None:
        self.store = store
        self.rng = random.Random(seed * 7_919 + 17)
        self.desk_templates = [i for i, t in enumerate(TEMPLATES) if t.board == "desk"]

    def step(self) -> list[str]:
        actions = (self._new_ticket, self._customer_note, self._status_change,
                   self._owner_change)
        done: list[str] = []
        for _ in range(1 + (self.rng.random() < 0.3)):
            action = actions[int(self.rng.random() * len(actions))]
            line = action()
            if line:
                done.append(line)
        return done

    def _open_ticket(self, want: Any = None) -> dict[str, Any] | None:
        tickets = self.store.tickets
        start = max(0, len(tickets) - _RECENT)
        for _ in range(60):
            ticket = tickets[start + int(self.rng.random() * (len(tickets) - start))]
            if not ticket["closedFlag"] and "mergedParentTicket" not in ticket and (
                    want is None or want(ticket)):
                return ticket
        return None

    def _new_ticket(self) -> str:
        rng, store = self.rng, self.store
        company = store.ref.companies[1 + int(rng.random() * (len(store.ref.companies) - 1))]
        contacts = store.ref.contacts_of[company["id"]]
        contact = contacts[int(rng.random() * len(contacts))]
        template = TEMPLATES[self.desk_templates[int(rng.random() * len(self.desk_templates))]]
        person = f"{contact['firstName']} {contact['lastName']}"
        values = {"floor": "2nd", "printer": "HP LaserJet M404", "person": person,
                  "weekday": "Monday", "role": "office assistant",
                  "device": f"{company['identifier'][:6].upper()}-WS01"}
        summary = template.summary.format(**values)[:100]
        body = {"summary": summary, "company": {"id": company["id"]},
                "contact": {"id": contact["id"]}, "source": {"name": "Email Connector"}}
        ticket = store.editor.create(body, _CONNECTOR)
        text = template.description.format(**values) + f"\n\nThanks,\n{contact['firstName']}"
        store.links.store_note(ticket["id"], text, _CONNECTOR, None,
                               store.ref.contact_refs[contact["id"]], detail=True, issue=True,
                               flag_customer=False)
        return f"New ticket #{ticket['id']} from {person} at {company['name']}: {summary}"

    def _customer_note(self) -> str | None:
        ticket = self._open_ticket(lambda t: "contact" in t)
        if ticket is None:
            return None
        text = CUSTOMER_FOLLOW_UPS[int(self.rng.random() * len(CUSTOMER_FOLLOW_UPS))]
        self.store.links.store_note(ticket["id"], text, _CONNECTOR, None, ticket["contact"],
                                    detail=True)
        return f"Customer {ticket['contact']['name']} updated ticket #{ticket['id']}: {text}"

    def _status_change(self) -> str | None:
        ticket = self._open_ticket()
        if ticket is None:
            return None
        board = self.store.ref.board_by_id[ticket["board"]["id"]]
        choices = [s for s in board.statuses
                   if not s["inactive"] and s["id"] != ticket["status"]["id"]]
        status = choices[int(self.rng.random() * len(choices))]
        actor = ticket["owner"]["identifier"] if "owner" in ticket else TECHS[0]
        self.store.editor.patch(ticket["id"], [
            {"op": "replace", "path": "status", "value": {"id": status["id"]}}], actor)
        return (f"{actor} moved ticket #{ticket['id']} from {ticket['status']['name']} "
                f"to {status['name']}")

    def _owner_change(self) -> str | None:
        ticket = self._open_ticket(lambda t: t.get("owner", {}).get("identifier") != DISPATCHER)
        if ticket is None:
            return None
        rng = self.rng
        owner = DISPATCHER if rng.random() < 0.35 else TECHS[int(rng.random() * len(TECHS))]
        if ticket.get("owner", {}).get("identifier") == owner:
            owner = DISPATCHER
        self.store.editor.patch(ticket["id"], [
            {"op": "replace", "path": "owner", "value": {"identifier": owner}}], DISPATCHER)
        return f"dispatch assigned ticket #{ticket['id']} to {owner}"
