"""The keyboard shortcut sheet (`?`): a small non-modal window listing every shortcut."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", "Search tickets"),
    ("#1234 then Enter", "Open ticket 1234 (in the search box)"),
    ("Ctrl+Shift+L", "Clear filters: show all open tickets"),
    ("Ctrl+N", "New ticket"),
    ("↑ ↓ PgUp PgDn Home End", "Move through the list"),
    ("Type letters", "Jump to a matching row (type-ahead)"),
    ("Enter", "Open the selected ticket"),
    ("F5", "Refresh the list"),
    ("Ctrl+1 … Ctrl+9", "Open saved view 1 … 9"),
    ("Ctrl+Shift+S", "Save the current filters as a view"),
    ("F2 / Del / Alt+↑ ↓", "Rename, delete, move the selected view (in the views list)"),
    ("Ctrl+Z", "Undo deleting a view (in the views list)"),
    ("Ctrl+Shift+C", "Copy a link to this view"),
    ("Alt+← / Alt+→", "Back / forward through the tickets opened in the detail dock"),
    ("Ctrl+Enter", "Add the note typed in the detail dock's note box"),
    ("Ctrl+Shift+N", "Spin off: a new ticket linked as a child of the one in the dock"),
    ("?", "Show this list"),
)


class ShortcutSheet(QDialog):
    """Lists the shortcuts; Esc or Close hides it. Never modal: it may stay open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setModal(False)
        table = QTableWidget(len(SHORTCUTS), 2, self)
        table.setAccessibleName("Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        for row, (keys, does) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(does))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(520, 380)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
