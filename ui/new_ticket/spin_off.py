"""Spin-off drafting for the New Ticket dialog: read the ticket, draft, fill the form.

The ticket id is captured when the dialog opens and is the only ticket this drafter ever
reads or links to: the dispatcher may select other tickets while the draft is prepared (the
race the web app lost), and the new ticket still becomes a child of the one it was opened for.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from psa.connectwise.errors import ConnectWiseError
from psa.form_drafts import FormDraft
from psa.intake.catalog import IntakeCatalog, PriorityEntry
from psa.intake.errors import IntakeError
from psa.intake.service import DraftResult
from psa.models import TicketView
from ui.detail.look import Tone
from ui.new_ticket.intake_fill import check_phrase, notes_of

if TYPE_CHECKING:
    from ui.new_ticket.new_ticket_dialog import NewTicketDialog

# A label travels with its id: it is kept or replaced with it.
_NAME_OF = {"company_name": "company_id", "contact_name": "contact_id"}
# Draft flag → the form value it is about.
_FLAG_FIELDS = {"company": "company_id", "contact": "contact_id", "board": "board_id",
                "priority": "priority_id", "summary": "summary", "description": "description"}


def _company_label(ticket: TicketView) -> str:
    name, identifier = ticket.company_name, ticket.company_identifier
    if identifier and identifier != name:
        return f"{name} ({identifier})"
    return name or f"Company #{ticket.company_id}"


class SpinOffDrafter:
    """Drafts the spin-off of ``ticket_id`` into ``dialog`` unless a saved draft came back."""

    def __init__(self, dialog: NewTicketDialog, ticket_id: int) -> None:
        self.dialog = dialog
        self.ticket_id = int(ticket_id)
        self.done = False
        self._prefilled: FormDraft | None = None

    async def run(self, restored: asyncio.Task[Any]) -> None:
        dialog = self.dialog
        await asyncio.wait([restored])  # the saved draft, if any, wins over a new draft
        if dialog.drafts.peek(dialog.draft_key)[1] is not None:
            self.done = True
            return
        dialog.form.message.show_message(
            f"Drafting a follow-up of ticket #{self.ticket_id}…", Tone.MUTED)
        try:
            # Only the ticket and its notes are drafted from: nothing to read ahead.
            detail = await dialog.service.ticket_detail(
                self.ticket_id, configuration_details=False, prefetch=False)
        except ConnectWiseError as exc:
            dialog.form.message.show_message(
                f"Could not read ticket #{self.ticket_id} to draft the spin-off: {exc.message} "
                f"Fill the form by hand; it stays linked to #{self.ticket_id}.", Tone.ERROR)
            self.done = True
            return
        ticket = detail.ticket
        self._prefill(ticket)
        catalog = dialog.catalogs.cached or await self._small_catalog()
        try:
            result = await dialog.intake.spin_off(ticket, detail.notes.value or (), catalog,
                                                  fallback=True)
        except IntakeError as exc:
            dialog.form.message.show_message(exc.message, Tone.ERROR)
            self.done = True
            return
        self._fill(ticket, result, catalog)
        self.done = True

    async def _small_catalog(self) -> IntakeCatalog:
        """Priorities only: all a spin-off needs (its company and contact come from the ticket)."""
        try:
            priorities = await self.dialog.service.priorities()
        except ConnectWiseError:
            priorities = ()
        return IntakeCatalog(priorities=tuple(
            PriorityEntry(id=p.id, name=p.name, sort_order=p.sort_order) for p in priorities))

    def _prefill(self, ticket: TicketView) -> None:
        """Company, contact and board at once; the wording follows when drafted."""
        form = self.dialog.form
        form.apply(form.values(self.dialog.draft_key).model_copy(update=self._ids(ticket)))
        self._prefilled = form.values(self.dialog.draft_key)

    def _ids(self, ticket: TicketView) -> dict[str, Any]:
        return {
            "company_id": ticket.company_id, "company_name": _company_label(ticket),
            "contact_id": ticket.contact_id, "contact_name": ticket.contact_name,
            "board_id": ticket.board_id, "parent_ticket_id": self.ticket_id,
        }

    def _fill(self, ticket: TicketView, result: DraftResult, catalog: IntakeCatalog) -> None:
        dialog, form = self.dialog, self.dialog.form
        typed = form.values(dialog.draft_key)
        draft = result.draft
        update = self._unchanged(typed, {**self._ids(ticket), "priority_id": draft.priority_id})
        # What the dispatcher typed while the draft was prepared is kept.
        if not typed.summary.strip():
            update["summary"] = draft.summary
        if not typed.description.strip():
            update["description"] = draft.description
        update["flags"] = {k: v.reason for k, v in draft.flags.items()
                           if _FLAG_FIELDS.get(k, k) in update}
        form.apply(typed.model_copy(update=update))
        dialog.filled_by = "Claude (AI)" if result.parser_used == "claude" else "offline copy"
        how = ("Claude drafted the wording" if result.parser_used == "claude"
               else "copied and trimmed from it; nothing was sent")
        action = None
        if result.sent_text is not None:
            dialog.quick.show_sent(result.sent_text, result.redactions,
                                   title=f"Sent to Claude for the spin-off of #{self.ticket_id}")
            action = ("Show what was sent", dialog.show_quick_tab)
        dialog.form.message.show_message(
            f"Spin-off of ticket #{self.ticket_id} ({how}): {check_phrase(result)}, then press "
            f"Create. The new ticket will be a child of #{self.ticket_id}.{notes_of(result)}",
            Tone.WARNING if result.fallback_reason else Tone.INFO, action=action)
        dialog.save_draft()

    def _unchanged(self, typed: FormDraft, proposed: dict[str, Any]) -> dict[str, Any]:
        """``proposed`` minus the fields the dispatcher changed since the prefill.

        Claude may answer long after the dialog opened; a board or priority chosen meanwhile
        is the dispatcher's decision and stays.
        """
        before = self._prefilled
        kept = {}
        for name, value in proposed.items():
            owner = _NAME_OF.get(name, name)
            if before is None or getattr(typed, owner) == getattr(before, owner):
                kept[name] = value
        return kept
