"""Resources: the owner and co-assignees, removed with one click, added from a member picker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from psa.models import Option, PermissionWarning, Resource
from ui.detail.look import Tone, muted, style_message
from ui.detail.member_picker import MemberPicker
from ui.detail.section_view import SectionView


def resource_label(resource: Resource) -> str:
    name = resource.name or resource.identifier or f"Member #{resource.member_id}"
    if resource.identifier and resource.identifier != name:
        return f"{name} ({resource.identifier})"
    return name


class ResourcesView(SectionView):
    """Lists resources; the panel does the work behind ``add_requested``/``remove_requested``."""

    add_requested = Signal(int)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Loading resources…", parent)
        self._resources: tuple[Resource, ...] = ()
        self._busy = False
        self.remove_buttons: dict[int, QToolButton] = {}
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self._rows = QVBoxLayout()
        self._rows.setSpacing(2)
        column.addLayout(self._rows)
        add_row = QHBoxLayout()
        self.picker = MemberPicker(body)
        self.picker.set_accessible_name("Member to add")
        self.add_button = QPushButton("Add", body)
        self.add_button.setAccessibleName("Add member")
        self.add_button.setToolTip("Make this member the owner when there is none, else a "
                                   "co-assignee")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.picker.editor().returnPressed.connect(self._on_add_button_clicked)
        add_row.addWidget(self.picker, 1)
        add_row.addWidget(self.add_button)
        column.addSpacing(6)
        column.addLayout(add_row)
        self.action_message = QLabel(body)
        self.action_message.setWordWrap(True)
        self.action_message.setTextFormat(Qt.TextFormat.PlainText)
        self.action_message.hide()
        column.addWidget(self.action_message)
        column.addStretch(1)
        self.set_content(body)

    @property
    def resources(self) -> tuple[Resource, ...]:
        return self._resources

    def count(self) -> int | None:
        return len(self._resources) if self.has_value else None

    def set_members(self, members: Sequence[Option], warning: PermissionWarning | None) -> None:
        """The picker's members; without them, say why instead of showing an empty list."""
        self.picker.set_members(members)
        if members:
            self.picker.set_placeholder("Find a member to add…")
        elif warning is not None:
            self.picker.set_placeholder("Member list not readable")
            self.picker.setToolTip(warning.message)
        else:
            self.picker.set_placeholder("No members found")
        self._sync_enabled()

    def set_busy(self, text: str) -> None:
        """An add or remove is on its way ("" when done)."""
        self._busy = bool(text)
        if text:
            self.show_action_message(text, Tone.MUTED)
        self._sync_enabled()

    def show_action_message(self, text: str, tone: Tone = Tone.ERROR) -> None:
        self.action_message.setText(text)
        style_message(self.action_message, tone)
        self.action_message.setVisible(bool(text))

    def _render(self, value: Any) -> None:
        resources: Sequence[Resource] = value
        self._resources = tuple(resources)
        self._clear_rows()
        if not resources:
            none = QLabel("Nobody is assigned.", self)
            none.setStyleSheet(f"color: {muted(none.palette()).name()};")
            self._rows.addWidget(none)
        for resource in resources:
            self._rows.addWidget(self._row(resource))
        self._sync_enabled()

    def _row(self, resource: Resource) -> QWidget:
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        name = QLabel(resource_label(resource), row)
        role = QLabel("Owner" if resource.is_owner else "Co-assignee", row)
        role.setStyleSheet(f"color: {muted(role.palette()).name()};")
        remove = QToolButton(row)
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setToolTip(f"Remove {resource.identifier or resource.name} from this ticket")
        remove.setAccessibleName(f"Remove {resource_label(resource)}")
        remove.clicked.connect(lambda: self.remove_requested.emit(resource.member_id))
        self.remove_buttons[resource.member_id] = remove
        line.addWidget(name, 1)
        line.addWidget(role)
        line.addWidget(remove)
        return row

    def _clear_rows(self) -> None:
        self.remove_buttons.clear()
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _clear(self) -> None:
        self._resources = ()
        self._clear_rows()
        self.show_action_message("")
        self.picker.reset()

    def _sync_enabled(self) -> None:
        enabled = not self._busy
        for button in self.remove_buttons.values():
            button.setEnabled(enabled)
        self.add_button.setEnabled(enabled and self.picker.count() > 0)
        self.picker.setEnabled(enabled and self.picker.count() > 0)

    def _on_add_button_clicked(self) -> None:
        member = self.picker.member_id()
        if member is None:
            if self.picker.currentText().strip():
                self.show_action_message("Pick a member from the list.", Tone.WARNING)
            return
        if any(r.member_id == member for r in self._resources):
            self.show_action_message("Already on this ticket.", Tone.INFO)
            return
        self.add_requested.emit(member)
