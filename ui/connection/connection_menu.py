"""File-menu actions for the connection: edit, switch, new and forget (with a confirmation)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget


@dataclass(frozen=True)
class ConnectionChoice:
    """A saved connection as the menu shows it."""

    key: str
    label: str


class ConnectionMenu(QObject):
    """The actions; app connects the signals and says which connections exist."""

    edit_requested = Signal()
    new_requested = Signal()
    switch_requested = Signal(str)
    forget_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.edit_action = QAction("&Edit connection…", self)
        self.switch_menu = QMenu("S&witch connection", parent)
        self.new_action = QAction("&New connection…", self)
        self.demo_action = QAction("Open the &demo", self)
        self.forget_action = QAction("&Forget this connection…", self)
        self.edit_action.triggered.connect(self.edit_requested)
        self.new_action.triggered.connect(self.new_requested)
        self.demo_action.triggered.connect(self.demo_requested)
        self.forget_action.triggered.connect(self._on_forget_triggered)
        self._confirm: QMessageBox | None = None
        self._current_label = ""
        self.set_connections([], current=None, demo=False)

    def install(self, menu: QMenu, before: QAction | None = None) -> None:
        """Put the actions into ``menu`` (the File menu), above ``before`` if given."""
        items = [self.edit_action, self.switch_menu.menuAction(), self.forget_action]
        if before is None:
            menu.addActions(items)
            menu.addSeparator()
        else:
            menu.insertActions(before, items)
            menu.insertSeparator(before)

    def set_connections(
        self, choices: list[ConnectionChoice], *, current: str | None, demo: bool
    ) -> None:
        """Rebuild the switch menu; edit and forget apply to a saved current connection only."""
        self.switch_menu.clear()
        for choice in choices:
            action = self.switch_menu.addAction(choice.label)
            action.setCheckable(True)
            action.setChecked(choice.key == current and not demo)
            action.triggered.connect(lambda _checked=False, key=choice.key: self._switch(key))
        if choices:
            self.switch_menu.addSeparator()
        self.switch_menu.addAction(self.new_action)
        if not demo:
            self.switch_menu.addAction(self.demo_action)
        real = current is not None and not demo
        self.edit_action.setEnabled(real)
        self.forget_action.setEnabled(real)
        self._current_label = next((c.label for c in choices if c.key == current), "")

    def _switch(self, key: str) -> None:
        self.switch_requested.emit(key)

    def _on_forget_triggered(self) -> None:
        # open() + finished, never exec(): a nested loop inside qasync breaks running tasks.
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Forget connection",
            f"Forget the connection {self._current_label or ''} and remove its stored private key?"
            "\n\nYou will need the key again to reconnect.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._parent,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda result: self._on_confirm_finished(box, result))
        self._confirm = box
        box.open()

    def _on_confirm_finished(self, box: QMessageBox, result: int) -> None:
        self._confirm = None
        box.deleteLater()
        if result == QMessageBox.StandardButton.Yes.value:
            self.forget_requested.emit()
