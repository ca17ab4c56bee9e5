"""Opens New Ticket dialogs for a window: one plain dialog, one per spin-off ticket.

The main window and the detail dock only call ``open_new`` / ``open_spin_off`` and listen to
``ticket_created``; the launcher owns the intake engine, the draft store and the catalog cache
(one per service, so the dialog never reloads every company on each opening).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from psa.form_drafts import NEW_TICKET_KEY, FormDraftStore, spin_off_key
from psa.intake.service import IntakeService
from ui.new_ticket.backend import NewTicketBackend
from ui.new_ticket.catalog_cache import CatalogCache
from ui.new_ticket.new_ticket_dialog import NewTicketDialog


class NewTicketLauncher(QObject):
    """``ticket_created(TicketView)`` and ``open_link_requested(str)`` from any of its dialogs."""

    ticket_created = Signal(object)
    open_link_requested = Signal(str)

    def __init__(self, service: NewTicketBackend, intake: IntakeService, *,
                 drafts: FormDraftStore, parent: QObject | None = None,
                 catalogs: CatalogCache | None = None, demo: bool = False) -> None:
        super().__init__(parent)
        self.service = service
        self.intake = intake
        self.demo = demo
        self.drafts = drafts
        self.catalogs = catalogs or CatalogCache.for_service(service)
        self.dialogs: dict[str, NewTicketDialog] = {}

    def set_intake(self, intake: IntakeService) -> None:
        """Use another intake engine (the Claude key or model changed), open dialogs included."""
        self.intake = intake
        for dialog in self.dialogs.values():
            dialog.set_intake(intake)

    def open_new(self, parent: QWidget | None = None) -> NewTicketDialog:
        """Show the New Ticket dialog (the open one, raised, if there is one)."""
        return self._show(NEW_TICKET_KEY, lambda: NewTicketDialog(
            self.service, self.intake, drafts=self.drafts,
            parent=parent or _window_of(self.parent()), catalogs=self.catalogs, demo=self.demo))

    def open_spin_off(self, ticket_id: int, parent: QWidget | None = None) -> NewTicketDialog:
        """Show the spin-off dialog of ``ticket_id`` (captured now, whatever is selected later)."""
        ticket_id = int(ticket_id)
        return self._show(spin_off_key(ticket_id), lambda: NewTicketDialog.for_spin_off(
            self.service, self.intake, ticket_id, drafts=self.drafts,
            parent=parent or _window_of(self.parent()), catalogs=self.catalogs, demo=self.demo))

    def _show(self, key: str, make: Callable[[], NewTicketDialog]) -> NewTicketDialog:
        dialog = self.dialogs.get(key)
        if dialog is None:
            dialog = make()
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.ticket_created.connect(self.ticket_created)
            dialog.open_link_requested.connect(self.open_link_requested)
            dialog.finished.connect(lambda _r, k=key, d=dialog: self._forget(k, d))
            self.dialogs[key] = dialog
            dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _forget(self, key: str, dialog: NewTicketDialog) -> None:
        if self.dialogs.get(key) is dialog:
            del self.dialogs[key]

    def close_all(self) -> None:
        """Close every dialog (drafts are saved as they close)."""
        for dialog in list(self.dialogs.values()):
            dialog.close()

    async def flush(self) -> None:
        """Save the open dialogs' drafts and wait until every draft is on disk (before exit)."""
        for dialog in self.dialogs.values():
            dialog.save_draft()
        await self.drafts.flush()


def _window_of(owner: QObject | None) -> QWidget | None:
    return owner.window() if isinstance(owner, QWidget) else None
