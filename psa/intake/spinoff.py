"""Spin-off drafts: a follow-up ticket pre-filled from an existing ticket and its latest notes.

Company, contact and board always come from the original ticket (never from a model), and the
draft keeps ``parent_ticket_id`` = the ticket it was opened for, whatever the dispatcher has
selected since. The notes go through the same ``redact`` pass as Quick Create (secrets replaced;
signatures, disclaimers and quoted replies cut) before anything is copied or sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from psa.intake.catalog import IntakeCatalog
from psa.intake.claude import ClaudeClient
from psa.intake.draft import DraftField, FieldFlag, Source, TicketDraft
from psa.intake.prompt import SPIN_OFF_SYSTEM, ClaudeSpinOff, spin_off_prompt
from psa.intake.redact import Redaction, redact, replace_secrets
from psa.intake.signals import priority_for
from psa.intake.text import clip
from psa.models import NoteItem, TicketView

LATEST_NOTES = 3
NOTE_CHARS = 600
_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class SpinOffSource:
    """What a spin-off is drafted from, already redacted (secrets, signatures, quotes)."""

    ticket_id: int
    summary: str
    notes: tuple[str, ...]
    internal_notes: int
    removed: tuple[Redaction, ...]


def latest_notes(notes: Sequence[NoteItem], limit: int = LATEST_NOTES) -> list[NoteItem]:
    """The newest notes with text, newest first (undated ones count as oldest)."""
    with_text = [n for n in notes if n.text.strip()]
    with_text.sort(key=lambda n: (n.created or _EPOCH, n.id), reverse=True)
    return with_text[:limit]


def source_of(ticket: TicketView, notes: Sequence[NoteItem], *,
              include_internal: bool) -> SpinOffSource:
    latest = latest_notes(notes)
    removed: list[Redaction] = []
    lines = []
    for note in latest:
        if note.internal and not include_internal:
            continue
        # The whole note is redacted before it is clipped: a signature cut in half is no
        # longer recognisable as one.
        redacted = redact(note.text)
        removed.extend(redacted.removed)
        text = clip(redacted.text, NOTE_CHARS)
        if not text.strip():
            continue
        label = " (internal)" if note.internal else ""
        lines.append(f"{note.author or 'Note'}{label}: {text}")
    summary, found = replace_secrets(ticket.summary)
    removed.extend(found)
    return SpinOffSource(ticket_id=ticket.id, summary=summary, notes=tuple(lines),
                         internal_notes=sum(1 for n in latest if n.internal),
                         removed=tuple(removed))


def _draft(ticket: TicketView, catalog: IntakeCatalog, *, summary: str, description: str,
           flags: dict[DraftField, FieldFlag], source: Source) -> TicketDraft:
    """Company, contact and board from the ticket; the normal priority; the parent link."""
    normal = priority_for("normal", catalog)
    return TicketDraft(
        company_id=ticket.company_id, contact_id=ticket.contact_id, board_id=ticket.board_id,
        priority_id=normal.id if normal else ticket.priority_id, parent_ticket_id=ticket.id,
        summary=summary, description=description, flags=flags, source=source,
    )


def spin_off_offline(ticket: TicketView, notes: Sequence[NoteItem],
                     catalog: IntakeCatalog) -> tuple[TicketDraft, SpinOffSource]:
    """Copied and trimmed: the summary and the latest customer-visible notes."""
    source = source_of(ticket, notes, include_internal=False)
    flags: dict[DraftField, FieldFlag] = {
        "summary": FieldFlag(reason="Copied from the original ticket; say what the new work is."),
    }
    if source.internal_notes:
        flags["description"] = FieldFlag(
            reason="Internal notes were left out of the description; copy what the customer "
                   "may see.")
    lines = [f"Spun off from ticket #{ticket.id}: {source.summary}"]
    if source.notes:
        lines += ["", "Latest notes:", *(f"- {n}" for n in source.notes)]
    draft = _draft(ticket, catalog, summary=f"Follow-up: {source.summary}",
                   description="\n".join(lines), flags=flags, source="offline")
    return draft, source


async def spin_off_claude(
    ticket: TicketView, notes: Sequence[NoteItem], catalog: IntakeCatalog,
    client: ClaudeClient,
) -> tuple[TicketDraft, SpinOffSource, str]:
    """Claude words the summary and description; returns the draft, its source and the prompt."""
    source = source_of(ticket, notes, include_internal=True)
    prompt = spin_off_prompt(source.summary, source.notes, ticket.company_name)
    answer = await client.ask(system=SPIN_OFF_SYSTEM, prompt=prompt, output=ClaudeSpinOff)
    flags: dict[DraftField, FieldFlag] = {}
    if source.internal_notes:
        flags["description"] = FieldFlag(
            reason="Drafted from notes that include internal ones; check that nothing internal "
                   "is shown to the customer.")
    summary = answer.summary.strip()
    if not summary:
        summary = f"Follow-up: {source.summary}"
        flags["summary"] = FieldFlag(reason="Claude gave no summary; copied from the original.")
    description = answer.description.strip() or f"Spun off from ticket #{ticket.id}."
    if f"#{ticket.id}" not in description:
        description += f"\n\nSpun off from ticket #{ticket.id}: {source.summary}"
    draft = _draft(ticket, catalog, summary=summary, description=description, flags=flags,
                   source="claude")
    return draft, source, prompt
