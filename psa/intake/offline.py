"""The built-in parser: a ticket draft from local matching and keywords, no network."""

from __future__ import annotations

import re

from psa.intake.catalog import IntakeCatalog, MemberEntry
from psa.intake.draft import DraftField, FieldFlag, TicketDraft
from psa.intake.match import STRONG, Candidates, Match, narrow
from psa.intake.redact import Redacted, redact
from psa.intake.signals import board_for, board_kind, priority_for, type_for, urgency
from psa.intake.summary import split_message


def parse_offline(
    text: str, catalog: IntakeCatalog, *, redacted: Redacted | None = None,
    candidates: Candidates | None = None,
) -> TicketDraft:
    """Fill what the text supports; flag what the dispatcher should check or pick."""
    redacted = redacted or redact(text)
    candidates = candidates or narrow(redacted.match_text, catalog, sender=redacted.sender_text)
    flags: dict[DraftField, FieldFlag] = {}
    company_id = _company(candidates, flags)
    contact_id = _contact(candidates, catalog, company_id, flags)
    kind = board_kind(redacted.text)
    board = board_for(kind.value, catalog)
    if board is None:
        flags["board"] = FieldFlag(reason="No active board fits; pick one.")
    level = urgency(redacted.text)
    priority = priority_for(level.value, catalog)
    if priority is not None and not level.found:
        flags["priority"] = FieldFlag(reason="No urgency words in the text; normal priority was "
                                             "assumed. Check it.")
    board_id = board.id if board else None
    ticket_type = type_for(redacted.text, board_id, catalog)
    if ticket_type is not None:
        flags["type"] = FieldFlag(reason="Guessed from everyday words in the text; check.")
    parts = split_message(redacted.text)
    if not parts.summary:
        flags["summary"] = FieldFlag(reason="No sentence to use as a summary; write one.")
    assignee = _assignee(candidates, catalog, redacted.text)
    if assignee is not None:
        flags["assignee"] = FieldFlag(reason="Named in the text; confirm the assignment.")
    return TicketDraft(
        company_id=company_id,
        contact_id=contact_id,
        board_id=board_id,
        priority_id=priority.id if priority else None,
        type_id=ticket_type.id if ticket_type else None,
        summary=parts.summary,
        description=parts.description,
        assignee_id=assignee.id if assignee else None,
        flags=flags,
        source="offline",
    )


def _company(candidates: Candidates, flags: dict[DraftField, FieldFlag]) -> int | None:
    best = candidates.best_company()
    if best is None:
        top = candidates.companies[0] if candidates.companies else None
        reason = (
            "Several customers match equally; pick one." if top is not None
            and len(candidates.companies) > 1 and candidates.companies[1].score >= top.score - 0.05
            else "No customer could be matched from the text; pick one."
        )
        flags["company"] = FieldFlag(reason=reason, suggested_id=top.id if top else None)
        return None
    if best.score < STRONG:
        flags["company"] = FieldFlag(reason=f"Weak match ({best.reason}); check the customer.")
    return best.id


def _contact(candidates: Candidates, catalog: IntakeCatalog, company_id: int | None,
             flags: dict[DraftField, FieldFlag]) -> int | None:
    if company_id is None:
        return None
    best = candidates.best_contact(company_id, catalog)
    if best is None:
        options = [m for m in candidates.contacts
                   if (c := catalog.contact(m.id)) and c.company_id == company_id]
        flags["contact"] = FieldFlag(
            reason="No contact of this customer could be matched; pick one.",
            suggested_id=options[0].id if options else None,
        )
        return None
    if best.score < STRONG:
        flags["contact"] = FieldFlag(reason=f"Weak match ({best.reason}); check the contact.")
    return best.id


def _assignee(candidates: Candidates, catalog: IntakeCatalog, text: str) -> MemberEntry | None:
    """A member the text asks to handle the ticket ("assign to Tara", "have Miguel …")."""
    for match in candidates.members:
        member = catalog.member(match.id)
        if member is None or match.score < STRONG:
            continue
        if _asked_to_handle(member, text, match):
            return member
    return None


def _asked_to_handle(member: MemberEntry, text: str, match: Match) -> bool:
    names = [re.escape(part) for part in (member.name, member.name.split(" ")[0],
                                          member.identifier) if part]
    cue = (r"\b(?:assign(?:ed)?(?: (?:it|this|the ticket))? to|have|ask|let|get|send|"
           r"dispatch|for)\s+@?(?:" + "|".join(names) + r")\b")
    return re.search(cue, text, re.IGNORECASE) is not None
