"""Settings for AI Quick Create: the Claude API key (masked, never shown back) and the model.

The dialog never touches a credential store: it hands what was entered to the ``saver`` the
app provides (which keeps the key in the OS keychain). An empty key field keeps the stored
key; "Remove the stored key" deletes it. Open it with ``open()``, never ``exec()``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import SecretStr
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from psa.intake.defaults import DEFAULT_MODEL
from ui.async_tools import WidgetTasks
from ui.detail.look import Tone
from ui.new_ticket.form_fields import quiet
from ui.new_ticket.message_bar import MessageBar


@dataclass(frozen=True)
class ClaudeChoice:
    """What the dispatcher chose: ``api_key`` None keeps the stored key, "" removes it."""

    api_key: SecretStr | None
    model: str

    def __repr__(self) -> str:
        key = "unchanged" if self.api_key is None else (
            "remove" if not self.api_key.get_secret_value() else "new")
        return f"ClaudeChoice(model={self.model!r}, api_key={key})"


Saver = Callable[[ClaudeChoice], Awaitable[None]]


class ClaudeSettingsDialog(QDialog):
    """``saved(ClaudeChoice)`` after the saver succeeded; the dialog then closes."""

    saved = Signal(object)

    def __init__(self, *, model: str, has_key: bool, saver: Saver,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claudeSettingsDialog")
        self.setWindowTitle("Claude for Quick Create")
        self._saver = saver
        self._has_key = has_key
        self._save = WidgetTasks(self).latest("save-claude-settings")
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("Claude API key")
        self.key.setPlaceholderText("A key is stored — type a new one to replace it"
                                    if has_key else "sk-ant-…")
        self.remove = QCheckBox("Remove the stored key (Quick Create then parses offline)", self)
        self.remove.setVisible(has_key)
        self.model = QLineEdit(model or DEFAULT_MODEL, self)
        self.model.setAccessibleName("Claude model")
        self.model.setPlaceholderText(DEFAULT_MODEL)
        explain = QLabel(
            "The key is kept in the system's credential store, never in the settings file. "
            f"The default model ({DEFAULT_MODEL}) is fast and cheap. Without a key, Quick "
            "Create uses the offline parser.", self)
        explain.setWordWrap(True)
        quiet(explain)
        self.message = MessageBar(self, name="claudeMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        form = QFormLayout()
        form.addRow("API key", self.key)
        form.addRow("", self.remove)
        form.addRow("Model", self.model)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(explain)
        column.addWidget(self.message)
        column.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.remove.toggled.connect(self.key.setDisabled)
        self.resize(520, self.sizeHint().height())

    def choice(self) -> ClaudeChoice:
        typed = self.key.text().strip()
        if self.remove.isChecked():
            key: SecretStr | None = SecretStr("")
        else:
            key = SecretStr(typed) if typed else None
        return ClaudeChoice(api_key=key, model=self.model.text().strip() or DEFAULT_MODEL)

    def submit(self) -> None:
        choice = self.choice()
        if any(c.isspace() for c in self.model.text().strip()):
            self.message.show_message("A model name has no spaces (for example "
                                      f"{DEFAULT_MODEL}).", Tone.ERROR)
            return
        if choice.api_key is not None and choice.api_key.get_secret_value() and not (
                choice.api_key.get_secret_value().startswith("sk-")):
            self.message.show_message("That does not look like a Claude API key (they start "
                                      "with “sk-ant-”).", Tone.ERROR)
            return
        self._save.start(self._run(choice))

    async def _run(self, choice: ClaudeChoice) -> None:
        self.buttons.setEnabled(False)
        self.message.show_message("Saving…", Tone.MUTED)
        try:
            await self._saver(choice)
        except Exception as exc:  # the app's store errors carry a safe message, no secret
            self.buttons.setEnabled(True)
            self.message.show_message(f"Could not save: {exc}", Tone.ERROR)
            return
        self.key.clear()
        self.saved.emit(choice)
        self.accept()
