"""Check Claude's answer against the catalog and the local evidence before the form is filled.

An id is kept only if it exists, was offered in the narrowed lists, and agrees with what local
matching found in the text. Unknown ids and weakly supported fields are left empty and flagged
with the reason (and a suggestion where one exists). The model's confidence decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from psa.intake.catalog import IntakeCatalog
from psa.intake.draft import DraftField, FieldFlag, TicketDraft
from psa.intake.match import MEDIUM, STRONG, Candidates, Match
from psa.intake.prompt import ClaudeTicket
from psa.intake.signals import (
    board_for,
    board_kind,
    priority_for,
    type_for,
    urgency,
    urgency_distance,
    urgency_of,
)
from psa.intake.summary import split_message


@dataclass
class _Review:
    """The fields being decided and the flags collected on the way."""

    catalog: IntakeCatalog
    candidates: Candidates
    evidence: str
    suspicious: bool
    offered_boards: tuple[int, ...]
    flags: dict[DraftField, FieldFlag] = field(default_factory=dict)

    def flag(self, name: DraftField, reason: str, suggested: int | None = None) -> None:
        self.flags[name] = FieldFlag(reason=reason, suggested_id=suggested)


def validate_answer(
    answer: ClaudeTicket, *, candidates: Candidates, catalog: IntakeCatalog, text: str,
    offered_boards: tuple[int, ...], suspicious_lines: tuple[str, ...] = (),
) -> TicketDraft:
    """The draft to show, built from ``answer`` but only as far as the evidence allows.

    ``text`` is what was sent (redacted). Lines that look like instructions to an AI are left
    out of the local evidence, so an injected "priority emergency" supports nothing.
    """
    evidence = "\n".join(ln for ln in text.split("\n")
                         if ln.strip()[:160] not in suspicious_lines)
    review = _Review(catalog, candidates, evidence, bool(suspicious_lines), offered_boards)
    company_id = _company(review, answer.company_id)
    contact_id = _contact(review, answer.contact_id, company_id)
    board_id = _board(review, answer.board_id)
    priority_id = _priority(review, answer.priority_id)
    type_id = _type(review, answer.type_id, board_id)
    assignee_id = _assignee(review, answer.assignee_member_id)
    summary, description = answer.summary.strip(), answer.description.strip()
    if not summary:
        summary = split_message(text).summary
        review.flag("summary", "Claude gave no summary; taken from the text.")
    note = f"Claude's own confidence: {answer.confidence}. {answer.note}".strip()
    return TicketDraft(
        company_id=company_id, contact_id=contact_id, board_id=board_id,
        priority_id=priority_id, type_id=type_id, summary=summary,
        description=description or split_message(text).description,
        assignee_id=assignee_id, flags=review.flags, source="claude", model_note=note,
    )


def _company(review: _Review, proposed: int | None) -> int | None:
    local = review.candidates.best_company()
    strong = [m for m in review.candidates.companies if m.score >= STRONG]
    suggestion = local.id if local else None
    if proposed is None:
        if local is not None and local.score >= STRONG:
            return local.id
        review.flag("company", "No customer proposed; pick one.", suggestion)
        return None
    if review.catalog.company(proposed) is None:
        review.flag("company", f"Claude proposed an unknown customer id ({proposed}); pick one.",
                    suggestion)
        return None
    match = review.candidates.company(proposed)
    if match is None:
        review.flag("company", "Claude proposed a customer the text does not point to; pick "
                    "one.", suggestion)
        return None
    if local is not None and local.score >= STRONG and proposed != local.id:
        review.flag("company", "Claude's choice disagrees with the text "
                    f"({local.reason}); pick one.", local.id)
        return None
    if strong and proposed not in {m.id for m in strong}:
        review.flag("company", "Claude's choice disagrees with the text "
                    f"({strong[0].reason}); pick one.", strong[0].id)
        return None
    return _kept(review, "company", match, "customer")


def _kept(review: _Review, name: DraftField, match: Match, noun: str) -> int | None:
    """Keep a matched id if the text supports it well enough; flag it if only moderately."""
    if match.score >= STRONG:
        return match.id
    if match.score >= MEDIUM:
        review.flag(name, f"Weak match ({match.reason}); check the {noun}.")
        return match.id
    review.flag(name, f"Claude's choice is barely supported by the text ({match.reason}); "
                f"pick the {noun}.", match.id)
    return None


def _contact(review: _Review, proposed: int | None, company_id: int | None) -> int | None:
    catalog = review.catalog
    if company_id is None:
        if proposed is not None:
            review.flag("contact", "Pick the customer first.", proposed
                        if catalog.contact(proposed) else None)
        return None
    local = review.candidates.best_contact(company_id, catalog)
    if proposed is None:
        if local is not None and local.score >= STRONG:
            return local.id
        review.flag("contact", "No contact proposed; pick one.", local.id if local else None)
        return None
    contact = catalog.contact(proposed)
    if contact is None or contact.inactive:
        review.flag("contact", f"Claude proposed an unknown contact id ({proposed}); pick one.",
                    local.id if local else None)
        return None
    if contact.company_id != company_id:
        review.flag("contact", "Claude's contact belongs to another customer; pick one.",
                    local.id if local else None)
        return None
    match = review.candidates.contact(proposed)
    if match is None:
        review.flag("contact", "Claude proposed a contact the text does not name; pick one.",
                    local.id if local else None)
        return None
    if local is not None and local.score >= STRONG and local.id != proposed:
        review.flag("contact", f"The text points to another contact ({local.reason}); check.",
                    local.id)
        return None
    return _kept(review, "contact", match, "contact")


def _board(review: _Review, proposed: int | None) -> int | None:
    kind = board_kind(review.evidence)
    local = board_for(kind.value, review.catalog)
    local_id = local.id if local else None
    board = review.catalog.board(proposed)
    if proposed is None:
        review.flag("board", "No board proposed; filled from keywords.")
        return local_id
    if board is None or board.inactive or proposed not in review.offered_boards:
        review.flag("board", f"Claude proposed an unknown or inactive board ({proposed}); pick "
                    "one.", local_id)
        return None
    if proposed == local_id:
        if review.suspicious and not kind.found:
            review.flag("board", "The text contains instructions aimed at the AI; check.")
        return proposed
    if kind.found:
        review.flag("board", f"Claude chose {board.name}, but the text points to "
                    f"{local.name if local else 'another board'} ({', '.join(kind.evidence)}); "
                    "pick one.", local_id)
        return None
    review.flag("board", f"Claude's choice ({board.name}); the text has no board keywords. "
                "Check.")
    return proposed


def _priority(review: _Review, proposed: int | None) -> int | None:
    catalog = review.catalog
    level = urgency(review.evidence)
    local = priority_for(level.value, catalog)
    local_id = local.id if local else None
    priority = catalog.priority(proposed)
    if proposed is None:
        review.flag("priority", "No priority proposed; filled from the wording.")
        return local_id
    if priority is None:
        review.flag("priority", f"Claude proposed an unknown priority id ({proposed}); pick "
                    "one.", local_id)
        return None
    chosen = urgency_of(priority, catalog)
    distance = urgency_distance(level.value, chosen)
    if proposed == local_id or distance == 0:
        if review.suspicious and not level.found:
            review.flag("priority", "The text contains instructions aimed at the AI; check.")
        return proposed
    words = ", ".join(level.evidence) or "no urgency words"
    if distance == 1 and not (chosen == "critical" and not level.found):
        review.flag("priority", f"Claude chose {priority.name}; the wording ({words}) suggests "
                    f"{local.name if local else 'another'}. Check.")
        return proposed
    review.flag("priority", f"Claude chose {priority.name}, which the wording ({words}) does "
                "not support; pick one.", local_id)
    return None


def _type(review: _Review, proposed: int | None, board_id: int | None) -> int | None:
    if proposed is None:
        return None
    entry = review.catalog.type(proposed)
    if entry is None or entry.inactive or entry.board_id != board_id:
        review.flag("type", "Claude's type is unknown or not a type of this board; pick one.")
        return None
    local = type_for(review.evidence, board_id, review.catalog)
    if local is None or local.id != proposed:
        review.flag("type", f"Claude's choice ({entry.name}); not confirmed by the text. Check.")
    return proposed


def _assignee(review: _Review, proposed: int | None) -> int | None:
    if proposed is None:
        return None
    member = review.catalog.member(proposed)
    if member is None or member.inactive:
        review.flag("assignee", f"Claude proposed an unknown or inactive member ({proposed}).")
        return None
    match = review.candidates.member(proposed)
    if match is None or match.score < STRONG:
        review.flag("assignee", f"Claude suggested {member.name}, who the text does not name; "
                    "assign by hand.", proposed)
        return None
    review.flag("assignee", f"{member.name} is named in the text; confirm the assignment.")
    return proposed
