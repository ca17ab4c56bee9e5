"""A searchable member picker: type any part of a name or identifier, pick from the matches."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from psa.models import Option


def member_label(member: Option) -> str:
    if member.identifier and member.identifier != member.name:
        return f"{member.name} ({member.identifier})"
    return member.name or member.identifier or f"Member #{member.id}"


class MemberPicker(QComboBox):
    """An editable combo of active members; ``member_id()`` is the exact match typed or picked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.setMinimumContentsLength(14)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        completer = QCompleter(self.model(), self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self.set_placeholder("Find a member…")

    def set_members(self, members: Sequence[Option]) -> None:
        """Fill with the active members, by name."""
        self.blockSignals(True)
        self.clear()
        for member in sorted((m for m in members if not m.inactive),
                             key=lambda m: member_label(m).casefold()):
            self.addItem(member_label(member), member.id)
        self.setCurrentIndex(-1)
        self.clearEditText()
        self.blockSignals(False)

    def set_accessible_name(self, name: str) -> None:
        """Name the picker and its text box (each takes keyboard focus)."""
        self.setAccessibleName(name)
        self.editor().setAccessibleName(name)

    def set_placeholder(self, text: str) -> None:
        edit = self.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(text)

    def member_id(self) -> int | None:
        """The member whose label is typed (case-insensitive), or None."""
        text = self.currentText().strip().casefold()
        if not text:
            return None
        for row in range(self.count()):
            if self.itemText(row).casefold() == text:
                value = self.itemData(row)
                return value if isinstance(value, int) else None
        return None

    def choose(self, member_id: int) -> bool:
        """Select a member by id (keyboard users, tests); False when not listed."""
        row = self.findData(member_id)
        if row < 0:
            return False
        self.setCurrentIndex(row)
        return True

    def editor(self) -> QLineEdit:
        """The line edit (always present: the combo is editable)."""
        edit = self.lineEdit()
        assert edit is not None
        return edit

    def reset(self) -> None:
        self.setCurrentIndex(-1)
        self.clearEditText()
