"""What the dispatcher changes on the ticket shown: status (optimistic), notes, resources.

Every change names the ticket it was made for and finishes even if the dock moved on to
another ticket: the list row and the cache are updated either way, the panel only when that
ticket is still shown. Changes pass the ``lastUpdated`` the dock loaded, so when someone else
changed the ticket meanwhile nothing is overwritten: the dock says so and shows the newer
state. After a change of our own that moves ``lastUpdated`` without telling us the new value
(a note, a resource), the ticket is reloaded; until then the stamp is not checked, so our own
change is never mistaken for someone else's.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from psa.connectwise.errors import ConnectWiseError, PermissionDenied
from psa.detail_cache import as_row
from psa.drafts import NoteDraft
from psa.errors import StatusNotOnBoard, TicketChanged
from psa.models import (
    NoteItem,
    NoteOutcome,
    Resource,
    Section,
    TicketDetail,
    TicketRow,
    TicketView,
)
from ui.detail.look import Tone

if TYPE_CHECKING:
    from ui.detail.ticket_panel import TicketPanel

RESOURCE_PERMISSION = "Service Desk > Resource Scheduling"


def changed_message(ticket_id: int, what: str) -> str:
    return (f"Ticket #{ticket_id} changed on the server since it was loaded, so {what}. "
            "Showing the current ticket: review it and try again.")


class TicketActions(QObject):
    """The panel's mutations and their bookkeeping (pending, sending, busy, unsettled)."""

    def __init__(self, panel: TicketPanel) -> None:
        super().__init__(panel)
        self._panel = panel
        self._pending_status: dict[int, tuple[int, str]] = {}
        self._sending: set[int] = set()
        self._resource_busy: set[int] = set()
        self._unsettled: set[int] = set()
        panel.header.status_chosen.connect(self.change_status)
        panel.editor.send_requested.connect(self.send_note)
        panel.resources.add_requested.connect(self.add_resource)
        panel.resources.remove_requested.connect(self.remove_resource)

    # ------------------------------------------------------------------ state

    def is_sending(self, ticket_id: int) -> bool:
        return ticket_id in self._sending

    def busy(self) -> bool:
        """Any change still on its way (tests and shutdown)."""
        return bool(self._pending_status or self._sending or self._resource_busy)

    def overlay(self, detail: TicketDetail) -> TicketDetail:
        """``detail`` with the status being saved painted over the server's."""
        pending = self._pending_status.get(detail.ticket.id)
        if pending is None:
            return detail
        status_id, name = pending
        ticket = detail.ticket.model_copy(update={"status_id": status_id, "status_name": name})
        return detail.model_copy(update={"ticket": ticket})

    def fresh_loaded(self, ticket_id: int) -> None:
        self._unsettled.discard(ticket_id)

    def sync_busy(self) -> None:
        """The panel's controls for the ticket shown."""
        panel = self._panel
        tid = panel.ticket_id
        pending = tid in self._pending_status
        panel.header.set_status_note("Saving…" if pending else "")
        panel.header.set_status_enabled(not pending)
        if tid in self._resource_busy:
            panel.resources.set_busy("Saving…")
        else:
            panel.resources.set_busy("")

    def _expected(self, ticket: TicketView | None) -> datetime | None:
        if ticket is None or ticket.id in self._unsettled:
            return None
        return ticket.last_updated

    def _ticket(self, ticket_id: int) -> TicketView | None:
        detail = self._panel.known_detail(ticket_id)
        return detail.ticket if detail is not None else None

    # ------------------------------------------------------------------ status

    def change_status(self, status_id: int) -> None:
        """Set the shown ticket's status: painted at once, rolled back if refused."""
        panel = self._panel
        detail = panel.detail
        if detail is None or detail.ticket.id in self._pending_status:
            return
        before = detail.ticket
        if status_id == before.status_id:
            return
        name = panel.header.status_name(status_id) or f"Status #{status_id}"
        expected = self._expected(before)
        self._pending_status[before.id] = (status_id, name)
        optimistic = before.model_copy(update={"status_id": status_id, "status_name": name})
        panel.repaint_ticket_row(as_row(optimistic))
        self.sync_busy()
        panel.tasks.spawn(self._save_status(before, status_id, expected), name="status-change")

    async def _save_status(self, before: TicketView, status_id: int,
                           expected: datetime | None) -> None:
        tid = before.id
        try:
            row = await self._panel.service.update_status(
                tid, status_id, expected_last_updated=expected)
        except TicketChanged as exc:
            self._pending_status.pop(tid, None)
            self._revert(exc.current, changed_message(tid, "its status was not changed"),
                         Tone.WARNING)
            self._panel.refresh_if_shown(tid)
        except StatusNotOnBoard as exc:
            self._pending_status.pop(tid, None)
            self._revert(exc.ticket, exc.message, Tone.ERROR)
        except ConnectWiseError as exc:
            self._pending_status.pop(tid, None)
            self._revert(as_row(before), f"The status was not changed: {exc.message}",
                         Tone.ERROR)
        else:
            self._pending_status.pop(tid, None)
            self._panel.repaint_ticket_row(row)
            self._panel.reload_if_loading(tid)
        finally:
            self._pending_status.pop(tid, None)
            if tid == self._panel.ticket_id:
                self.sync_busy()

    def _revert(self, row: TicketRow, reason: str, tone: Tone) -> None:
        panel = self._panel
        panel.repaint_ticket_row(row)
        panel.ticket_reverted.emit(row, reason)
        if row.id == panel.ticket_id:
            panel.notice.show_notice(reason, tone)

    # ------------------------------------------------------------------ notes

    def send_note(self, draft: NoteDraft) -> None:
        tid = draft.ticket_id
        if tid in self._sending:
            return
        self._sending.add(tid)
        self._panel.editor.set_sending(True)
        expected = self._expected(self._ticket(tid))
        self._panel.tasks.spawn(self._send(draft, expected), name="note-send")

    async def _send(self, draft: NoteDraft, expected: datetime | None) -> None:
        panel, tid = self._panel, draft.ticket_id
        try:
            outcome = await panel.service.add_note(
                tid, draft.text, draft.kind, status_id=draft.status_id,
                expected_last_updated=expected)
        except TicketChanged as exc:
            self._sending.discard(tid)
            panel.editor.send_failed(tid, changed_message(tid, "the note was not added"))
            panel.repaint_ticket_row(exc.current)
            panel.refresh_if_shown(tid)
            return
        except ConnectWiseError as exc:
            self._sending.discard(tid)
            panel.editor.send_failed(tid, f"The note was not added: {exc.message}")
            if tid != panel.ticket_id:
                panel.notice.show_notice(
                    f"The note for #{tid} was not added: {exc.message} It is kept as a draft.",
                    Tone.ERROR)
            return
        self._sending.discard(tid)
        panel.drafts.discard(tid)
        self._note_added(tid, outcome)

    def _note_added(self, tid: int, outcome: NoteOutcome) -> None:
        panel = self._panel
        if outcome.ticket is None:
            self._unsettled.add(tid)
        detail = panel.known_detail(tid)
        if detail is not None:
            notes = detail.notes
            section = Section[tuple[NoteItem, ...]](value=(outcome.note, *(notes.value or ())),
                              warning=notes.warning, error=notes.error)
            panel.repaint_detail(detail.model_copy(update={"notes": section}))
        if outcome.ticket is not None:
            panel.repaint_ticket_row(outcome.ticket)
        notice = ""
        if outcome.status_error:
            notice = f"The note was added, but the status was not changed: " \
                     f"{outcome.status_error}"
        panel.editor.sent(tid, notice)
        panel.refresh_if_shown(tid)

    # ------------------------------------------------------------------ resources

    def add_resource(self, member_id: int) -> None:
        self._change_resources(member_id, add=True)

    def remove_resource(self, member_id: int) -> None:
        self._change_resources(member_id, add=False)

    def _change_resources(self, member_id: int, *, add: bool) -> None:
        tid = self._panel.ticket_id
        if tid is None or tid in self._resource_busy:
            return
        self._resource_busy.add(tid)
        self._panel.resources.set_busy("Adding…" if add else "Removing…")
        expected = self._expected(self._ticket(tid))
        self._panel.tasks.spawn(self._resources(tid, member_id, add, expected),
                                name="resources-change")

    async def _resources(self, tid: int, member_id: int, add: bool,
                         expected: datetime | None) -> None:
        panel = self._panel
        service = panel.service
        verb = "added" if add else "removed"
        message = ""
        try:
            change = service.add_resource if add else service.remove_resource
            resources = await change(tid, member_id, expected_last_updated=expected)
        except TicketChanged as exc:
            message = changed_message(tid, f"the member was not {verb}")
            panel.repaint_ticket_row(exc.current)
            panel.refresh_if_shown(tid)
        except PermissionDenied as exc:
            permission = exc.permission or RESOURCE_PERMISSION
            needed = ", which co-assignees need" if exc.code == "ResourceScheduling" else ""
            message = f"Your security role lacks {permission}{needed}: the member was not {verb}."
        except ConnectWiseError as exc:
            message = f"The member was not {verb}: {exc.message}"
        else:
            self._unsettled.add(tid)
            detail = panel.known_detail(tid)
            if detail is not None:
                section = Section[tuple[Resource, ...]](
                    value=resources, warning=detail.resources.warning)
                panel.repaint_detail(detail.model_copy(update={"resources": section}))
            panel.refresh_if_shown(tid)
        finally:
            self._resource_busy.discard(tid)
        if tid == panel.ticket_id:
            panel.resources.set_busy("")
            panel.resources.show_action_message(message, Tone.ERROR)
            if not message:
                panel.resources.picker.reset()
            panel.update_tabs()
