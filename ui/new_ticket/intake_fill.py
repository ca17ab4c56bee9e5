"""From an intake draft to the form's values and the words that say how it was filled (no Qt)."""

from __future__ import annotations

from psa.form_drafts import FormDraft
from psa.intake.catalog import IntakeCatalog
from psa.intake.draft import DraftField, FieldFlag, TicketDraft
from psa.intake.redact import Redaction
from psa.intake.service import DraftResult

# Draft field → form row; the other rows keep what the dispatcher had.
FORM_FIELD: dict[DraftField, str] = {
    "company": "company", "contact": "contact", "board": "board", "priority": "priority",
    "type": "type", "summary": "summary", "description": "description", "assignee": "assignee",
}
REDACTION_LABELS = {
    "password": "a password", "api_key": "an API key", "token": "an access token",
    "card_number": "a card number", "card_code": "a card security code",
    "license_key": "a licence key",
    "private_key": "a private key", "quoted_reply": "the quoted earlier messages",
    "disclaimer": "a mail disclaimer", "signature": "the signature",
}


def _suggestion(name: DraftField, flag: FieldFlag, catalog: IntakeCatalog) -> str:
    if flag.suggested_id is None:
        return flag.reason
    found = {
        "company": catalog.company(flag.suggested_id),
        "contact": catalog.contact(flag.suggested_id),
        "board": catalog.board(flag.suggested_id),
        "priority": catalog.priority(flag.suggested_id),
        "type": catalog.type(flag.suggested_id),
        "assignee": catalog.member(flag.suggested_id),
    }.get(name)
    label = getattr(found, "name", "") if found is not None else ""
    return f"{flag.reason} (suggested: {label})" if label else flag.reason


def form_values(draft: TicketDraft, catalog: IntakeCatalog, base: FormDraft) -> FormDraft:
    """``base`` with the draft's fields filled in and its flags as the rows' reasons.

    The internal note and the quick text stay as they were; a spin-off's parent ticket comes
    from the draft (the ticket it was opened for).
    """
    company = catalog.company(draft.company_id)
    contact = catalog.contact(draft.contact_id)
    member = catalog.member(draft.assignee_id)
    flags = {FORM_FIELD[name]: _suggestion(name, flag, catalog)
             for name, flag in draft.flags.items() if name in FORM_FIELD}
    return base.model_copy(update={
        "company_id": draft.company_id,
        "company_name": _company_label(company.name, company.identifier) if company else "",
        "contact_id": draft.contact_id, "contact_name": contact.name if contact else "",
        "board_id": draft.board_id, "status_id": None, "priority_id": draft.priority_id,
        "type_id": draft.type_id, "assignee_id": draft.assignee_id,
        # Intake proposes no subtype: one already chosen stays only with the same type.
        "subtype_id": base.subtype_id if draft.type_id == base.type_id else None,
        "assignee_name": _member_label(member.name, member.identifier) if member else "",
        "summary": draft.summary, "description": draft.description, "flags": flags,
        "parent_ticket_id": draft.parent_ticket_id or base.parent_ticket_id,
    })


def _company_label(name: str, identifier: str) -> str:
    # The same label the company search shows, so the picker text matches its entries.
    return f"{name} ({identifier})" if identifier and identifier != name else name


def _member_label(name: str, identifier: str) -> str:
    return f"{name} ({identifier})" if identifier and identifier != name else name or identifier


def parser_name(result: DraftResult) -> str:
    return "Claude (AI)" if result.parser_used == "claude" else "the offline parser"


def check_phrase(result: DraftResult) -> str:
    """``check the 2 highlighted fields`` (or ``review every field``)."""
    flagged = len(result.draft.flags)
    if not flagged:
        return "review every field"
    return f"check the {flagged} highlighted field{'s' if flagged != 1 else ''}"


def notes_of(result: DraftResult) -> str:
    """The fallback reason, Claude's advisory note and warnings, one per line."""
    lines = [result.fallback_reason] if result.fallback_reason else []
    if result.draft.model_note and result.parser_used == "claude":
        lines.append(f"Advisory only: {result.draft.model_note}")
    lines += result.warnings
    return "".join(f"\n{line}" for line in lines)


def filled_message(result: DraftResult) -> tuple[str, bool]:
    """What the banner says after a draft filled the form; True when it is a warning."""
    where = "" if result.parser_used == "claude" else " (nothing left this computer)"
    text = (f"Filled by {parser_name(result)}{where}: {check_phrase(result)}, then press "
            f"Create.{notes_of(result)}")
    return text, bool(result.fallback_reason or result.warnings)


def describe_removed(removed: tuple[Redaction, ...]) -> str:
    """``Removed before sending: a password, the signature.`` (or that nothing was)."""
    if not removed:
        return "Nothing was removed: the text is sent as shown."
    seen: dict[str, int] = {}
    for item in removed:
        seen[item.kind] = seen.get(item.kind, 0) + 1
    parts = [REDACTION_LABELS.get(kind, kind) + (f" (×{count})" if count > 1 else "")
             for kind, count in seen.items()]
    return "Removed before sending: " + ", ".join(parts) + "."
