"""A combo box you can type into to find an entry: local lists or a search as you type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget
from typing_extensions import override

from ui.async_tools import WidgetTasks

Choice = tuple[str, Any]
"""A label and the value it stands for (None for "all")."""
Searcher = Callable[[str], Awaitable[Sequence[Choice]]]

SEARCH_DEBOUNCE_MS = 250
_VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


class PickerCombo(QComboBox):
    """An editable combo whose typed text only finds entries, never invents one.

    With a `searcher`, typing asks it for matches (debounced) and offers them in the completer
    popup; otherwise the combo's own entries are matched anywhere in their label. Leaving the
    box with text that matches nothing restores the current entry. `value_chosen` fires only on
    a real choice by the user. The entry whose value is None ("All companies") shows as the
    box's placeholder, so typing starts from an empty box.
    """

    value_chosen = Signal(object)

    def __init__(
        self,
        *,
        accessible_name: str,
        searcher: Searcher | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self._line = QLineEdit(self)
        self.setLineEdit(self._line)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setAccessibleName(accessible_name)
        self._searcher = searcher
        self._chose_this_turn = False
        self._tasks = WidgetTasks(self)
        self._search = self._tasks.latest("picker-search")
        self._found = QStandardItemModel(self)
        completer = self._completer = QCompleter(self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        if searcher is None:
            completer.setModel(self.model())
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        else:
            completer.setModel(self._found)
            completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        # Labels are unique (searchers add the identifier), so the text names the entry.
        completer.activated.connect(self._on_completer_activated)
        self.setCompleter(completer)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.activated.connect(self._on_activated)
        self._line.textEdited.connect(self._on_text_edited)
        self._line.returnPressed.connect(self._on_return_pressed)

    def cancel_tasks(self) -> None:
        """Stop a search in flight (the window is closing)."""
        self._debounce.stop()
        self._tasks.cancel_all()

    # -- entries ------------------------------------------------------------------------------
    def set_choices(self, choices: Sequence[Choice]) -> None:
        """Replace the entries, keeping the current value when it is still offered."""
        current = self.current_value()
        self.blockSignals(True)
        self.clear()
        for label, value in choices:
            self.addItem(label, value)
        self.blockSignals(False)
        self.set_current_value(current)

    def current_value(self) -> Any:
        """The value of the current entry (None when it is the "all" entry or there is none)."""
        return self.currentData() if self.currentIndex() >= 0 else None

    def set_current_value(self, value: Any, label: str | None = None) -> None:
        """Select the entry holding `value`; add it (with `label`) when it is not offered."""
        index = self.findData(value) if value is not None else 0
        if index < 0:
            if label is None:
                index = 0
            else:
                self.addItem(label, value)
                index = self.count() - 1
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)
        self._show_text(index)

    def _show_text(self, index: int) -> None:
        none_entry = index < 0 or self.itemData(index) is None
        self._line.setPlaceholderText(self.itemText(max(self.findData(None), 0)))
        self.setEditText("" if none_entry else self.itemText(index))

    # -- slots --------------------------------------------------------------------------------
    def _on_activated(self, index: int) -> None:
        self._show_text(index)
        self._choose(self.itemData(index))

    def _choose(self, value: Any) -> None:
        """Emit one choice per key press: an editable combo's Enter reaches the line edit
        (returnPressed), the combo (activated) and an open completer, each of which chooses."""
        if self._chose_this_turn:
            return
        self._chose_this_turn = True
        QTimer.singleShot(0, self._next_turn)
        self.value_chosen.emit(value)

    def _next_turn(self) -> None:
        self._chose_this_turn = False

    def _on_completer_activated(self, label: str) -> None:
        if self._searcher is not None:
            found = self._found.findItems(label, Qt.MatchFlag.MatchExactly)
            if not found:
                return
            value = found[0].data(_VALUE_ROLE)
        else:
            index = self.findText(label, Qt.MatchFlag.MatchExactly)
            if index < 0:
                return
            value = self.itemData(index)
        self.set_current_value(value, label)
        self._choose(value)

    def _on_text_edited(self, text: str) -> None:
        if self._searcher is not None and text.strip():
            self._debounce.start()

    def _on_debounce_timeout(self) -> None:
        if self._searcher is not None:
            self._search.start(self._run_search(self._line.text().strip()))

    async def _run_search(self, text: str) -> None:
        assert self._searcher is not None
        choices = await self._searcher(text)
        if self._line.text().strip() != text:
            return  # the user typed on; a newer search is coming
        self._found.clear()
        for label, value in choices:
            item = QStandardItem(label)
            item.setData(value, _VALUE_ROLE)
            self._found.appendRow(item)
        self._completer.setCompletionPrefix("")
        if choices:
            self._completer.complete()

    def _on_return_pressed(self) -> None:
        text = self._line.text().strip()
        if not text:
            self.set_current_value(None)
            self._choose(None)
            return
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self._on_activated(index)
        elif self._searcher is not None:
            # Typed faster than the search: search now and offer the matches; what was typed
            # stays (leaving the box without a pick restores the current entry).
            self._debounce.stop()
            self._on_debounce_timeout()
        else:
            self._restore_text()

    @override
    def keyPressEvent(self, e: QKeyEvent) -> None:
        super().keyPressEvent(e)
        plain = not e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter finishes the search here; a dialog's default button must not see it too.
            e.accept()

    @override
    def focusOutEvent(self, e: QFocusEvent) -> None:
        popup = self._completer.popup()
        if popup is None or not popup.isVisible():
            self._restore_text()
        super().focusOutEvent(e)

    @override
    def focusInEvent(self, e: QFocusEvent) -> None:
        super().focusInEvent(e)
        # Typing replaces the shown entry instead of appending to it.
        QTimer.singleShot(0, self._line.selectAll)

    def _restore_text(self) -> None:
        self._show_text(self.currentIndex())

