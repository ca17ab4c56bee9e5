"""Configurations on the ticket: name, type, status, serial, IP or host, where present."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from psa.models import ConfigurationItem
from ui.detail.section_view import SectionView

COLUMNS = ("Name", "Type", "Status", "Serial", "IP / host")
PENDING = "…"


def host_text(item: ConfigurationItem) -> str:
    """The IP address; else the device identifier when it says more than the name."""
    if item.ip_address:
        return item.ip_address
    if item.device_identifier and item.device_identifier != item.name:
        return item.device_identifier
    return ""


def row_values(item: ConfigurationItem) -> tuple[str, ...]:
    if not item.detailed:
        name = item.device_identifier or f"Configuration #{item.id}"
        return (name, PENDING, PENDING, PENDING, PENDING)
    name = item.name or item.device_identifier or f"Configuration #{item.id}"
    return (name, item.type_name, item.status_name, item.serial_number, host_text(item))


class ConfigurationsView(SectionView):
    """A read-only table of the ticket's configurations (details arrive after the references)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Loading configurations…", parent)
        self._items: tuple[ConfigurationItem, ...] = ()
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Configurations")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.set_content(self.tree)

    @property
    def items(self) -> tuple[ConfigurationItem, ...]:
        return self._items

    def count(self) -> int | None:
        return len(self._items) if self.has_value else None

    def _render(self, value: Any) -> None:
        items: Sequence[ConfigurationItem] = value
        if tuple(items) == self._items and self.tree.topLevelItemCount() == len(items):
            return
        self._items = tuple(items)
        self.tree.clear()
        if not items:
            empty = QTreeWidgetItem(["No configurations on this ticket."])
            empty.setDisabled(True)
            self.tree.addTopLevelItem(empty)
            return
        for item in items:
            row = QTreeWidgetItem(list(row_values(item)))
            if item.detailed and item.active is False:
                row.setToolTip(0, "Inactive configuration")
            if item.model_number:
                row.setToolTip(1, f"Model {item.model_number}")
            self.tree.addTopLevelItem(row)

    def _clear(self) -> None:
        self._items = ()
        self.tree.clear()
