"""Named saved views: a side list with live ticket counts; create, rename, delete, reorder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)
from typing_extensions import override

from psa.filters import TicketFilters

AnyIndex = QModelIndex | QPersistentModelIndex
SETTINGS_KEY = "tickets/saved_views"
CountRole = Qt.ItemDataRole.UserRole + 1
ViewRole = Qt.ItemDataRole.UserRole + 2


class SavedView(BaseModel):
    """A named filter state (plus the names the filter ids stood for when it was saved)."""

    model_config = ConfigDict(frozen=True)
    name: str = Field(min_length=1, max_length=80)
    filters: TicketFilters
    labels: dict[str, str] = Field(default_factory=dict)


def default_views() -> list[SavedView]:
    """What a first start offers: the dispatcher's everyday queues."""
    return [
        SavedView(name="My open", filters=TicketFilters(assigned="me")),
        SavedView(name="Unassigned", filters=TicketFilters(assigned="unassigned")),
        SavedView(name="All open", filters=TicketFilters()),
        SavedView(name="Waiting on customer",
                  filters=TicketFilters(status_name="Waiting on Customer")),
    ]


@dataclass(frozen=True)
class StoredViews:
    """What settings hold: the views that parse, and the raw JSON of entries that do not.

    Unreadable entries (from another version, or damaged by hand) are kept exactly as they
    were and written back after the readable views on every save, so no save erases them.
    """

    views: list[SavedView]
    unreadable: tuple[Any, ...] = ()

    def unreadable_note(self) -> str:
        """What to tell the dispatcher about the unreadable entries ("" when there are none)."""
        n = len(self.unreadable)
        if n == 0:
            return ""
        names = [str(item["name"]) for item in self.unreadable
                 if isinstance(item, dict) and isinstance(item.get("name"), str)]
        named = f" ({', '.join(names)})" if names else ""
        if n == 1:
            return f"1 saved view could not be read and is kept as it was{named}."
        return f"{n} saved views could not be read and are kept as they were{named}."


def load_views(settings: QSettings) -> StoredViews:
    """The saved views from settings (defaults on first start; unreadable entries kept aside)."""
    raw = settings.value(SETTINGS_KEY)
    if raw is None:
        return StoredViews(default_views())
    try:
        items = json.loads(str(raw))
    except ValueError:
        items = None
    if not isinstance(items, list):
        # Nothing in it can be read: offer the defaults, and keep the text for a later version.
        return StoredViews(default_views(), (str(raw),))
    views: list[SavedView] = []
    unreadable: list[Any] = []
    for item in items:
        try:
            views.append(SavedView.model_validate(item))
        except ValidationError:
            unreadable.append(item)  # one damaged view must not cost the others
    return StoredViews(views, tuple(unreadable))


def save_views(settings: QSettings, views: Sequence[SavedView],
               unreadable: Sequence[Any] = ()) -> None:
    """Store the views (JSON in one settings value keeps their order), then the unreadable
    entries exactly as they were read."""
    items = [v.model_dump(mode="json") for v in views]
    settings.setValue(SETTINGS_KEY, json.dumps([*items, *unreadable]))


class SavedViewsModel(QAbstractListModel):
    """The views in their order, with the last known ticket count of each.

    Names are edited in place (F2 / double-click); `views_changed` fires after every change so
    the owner can persist. Counts are keyed by filters, so renaming or moving keeps them.
    """

    views_changed = Signal()

    def __init__(self, views: Sequence[SavedView], parent: QObject | None = None, *,
                 unreadable: Sequence[Any] = ()) -> None:
        super().__init__(parent)
        self._views = list(views)
        self._unreadable = tuple(unreadable)
        self._counts: dict[TicketFilters, int | None] = {}

    @override
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._views)

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._views):
            return None
        view = self._views[index.row()]
        count = self._counts.get(view.filters)
        match role:
            case Qt.ItemDataRole.DisplayRole | Qt.ItemDataRole.EditRole:
                return view.name
            case Qt.ItemDataRole.ToolTipRole:
                shortcut = f"  (Ctrl+{index.row() + 1})" if index.row() < 9 else ""
                return f"{view.name}{shortcut}"
            case Qt.ItemDataRole.AccessibleTextRole:
                return view.name if count is None else f"{view.name}, {count} tickets"
            case _ if role == CountRole:
                return count
            case _ if role == ViewRole:
                return view
        return None

    @override
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
                | Qt.ItemFlag.ItemNeverHasChildren)

    @override
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.rename(index.row(), str(value))

    @override
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    @override
    def moveRows(self, source_parent: AnyIndex, source_row: int, count: int,
                 destination_parent: AnyIndex, destination_child: int) -> bool:
        if count != 1 or source_parent.isValid() or destination_parent.isValid():
            return False
        return self.move(source_row, destination_child)

    # -- named operations ---------------------------------------------------------------------
    def views(self) -> list[SavedView]:
        """The views in display order."""
        return list(self._views)

    def unreadable(self) -> tuple[Any, ...]:
        """Stored entries that could not be read, as they were (saved back untouched)."""
        return self._unreadable

    def view_at(self, row: int) -> SavedView | None:
        """The view at a row, if any."""
        return self._views[row] if 0 <= row < len(self._views) else None

    def unique_name(self, wanted: str) -> str:
        """`wanted`, or `wanted (2)`, … so no two views share a name."""
        taken = {v.name.casefold() for v in self._views}
        name, n = wanted.strip() or "New view", 2
        candidate = name
        while candidate.casefold() in taken:
            candidate, n = f"{name} ({n})", n + 1
        return candidate

    def add(self, view: SavedView, row: int | None = None) -> int:
        """Insert a view at `row` (default: the end; its name made unique); returns its row."""
        view = view.model_copy(update={"name": self.unique_name(view.name)})
        row = len(self._views) if row is None else max(0, min(row, len(self._views)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._views.insert(row, view)
        self.endInsertRows()
        self.views_changed.emit()
        return row

    def rename(self, row: int, name: str) -> bool:
        """Rename a view; refuses blank names and names another view already has."""
        view = self.view_at(row)
        name = name.strip()
        if view is None or not name or len(name) > 80:
            return False
        if any(v.name.casefold() == name.casefold() for i, v in enumerate(self._views)
               if i != row):
            return False
        self._views[row] = view.model_copy(update={"name": name})
        self.dataChanged.emit(self.index(row), self.index(row))
        self.views_changed.emit()
        return True

    def remove(self, row: int) -> SavedView | None:
        """Delete a view; returns it (for undo) or None."""
        view = self.view_at(row)
        if view is None:
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._views[row]
        self.endRemoveRows()
        self.views_changed.emit()
        return view

    def move(self, row: int, destination: int) -> bool:
        """Move a view so it lands before `destination` (Qt's moveRows convention)."""
        if not 0 <= row < len(self._views) or not 0 <= destination <= len(self._views):
            return False
        if destination in (row, row + 1):
            return False
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        view = self._views.pop(row)
        self._views.insert(destination - 1 if destination > row else destination, view)
        self.endMoveRows()
        self.views_changed.emit()
        return True

    def set_counts(self, counts: dict[TicketFilters, int | None]) -> None:
        """Live ticket counts per filter state."""
        self._counts.update(counts)
        if self._views:
            self.dataChanged.emit(self.index(0), self.index(len(self._views) - 1))

    def count_of(self, row: int) -> int | None:
        """The last known count of a view."""
        view = self.view_at(row)
        return None if view is None else self._counts.get(view.filters)

    def row_of(self, filters: TicketFilters) -> int | None:
        """The first view showing exactly these filters."""
        return next((i for i, v in enumerate(self._views) if v.filters == filters), None)
