"""A stand-in main window until ui.main_window.MainWindow lands (same constructor and signals)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QMainWindow, QTableWidget, QTableWidgetItem, QWidget

from ui.async_tools import WidgetTasks


class PlaceholderMainWindow(QMainWindow):
    """Lists the first page of tickets; emits ``first_page_loaded`` or ``first_page_failed``."""

    first_page_loaded = Signal()
    first_page_failed = Signal(str)

    def __init__(
        self,
        service: Any,
        settings: QSettings,
        *,
        cache: Any = None,
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        del settings, cache
        self._service = service
        self.setWindowTitle("Dispatch Desk — demo" if demo else "Dispatch Desk")
        self.file_menu = self.menuBar().addMenu("&File")
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["#", "Summary", "Company", "Status"])
        self.setCentralWidget(self.table)
        self.statusBar().showMessage("Loading tickets…")
        self._tasks = WidgetTasks(self)
        self._tasks.spawn(self._load(), name="first-page")

    async def _load(self) -> None:
        from psa.filters import TicketFilters

        try:
            page = await self._service.search_tickets(TicketFilters(), page=1, page_size=50)
        except Exception as exc:
            self.statusBar().showMessage(str(exc))
            self.first_page_failed.emit(str(exc))
            return
        self.table.setRowCount(len(page.items))
        for row, ticket in enumerate(page.items):
            values = (str(ticket.id), ticket.summary, ticket.company_name, ticket.status_name)
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.statusBar().showMessage(f"{page.total} tickets")
        self.first_page_loaded.emit()
