"""The connection dialog: site, company, keys and client id; test, save or try the demo."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import SecretStr, ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from psa.connectwise.credentials import Credentials
from ui.async_tools import WidgetTasks
from ui.connection.messages import describe_error

Tester = Callable[[Credentials], Awaitable[str]]
"""Connects with the credentials and returns a line such as "ConnectWise v2025.1"."""
Saver = Callable[[Credentials], Awaitable[None]]
"""Stores the connection (the private key in the secret store only)."""


# Windows 11's error and success text colours, for light and dark backgrounds.
_LIGHT_STATUS = {False: "#c42b1c", True: "#0f7b0f"}
_DARK_STATUS = {False: "#ff99a4", True: "#6ccb5f"}


@dataclass(frozen=True)
class ConnectionFields:
    """What the dialog opens with; the private key only when editing a stored connection."""

    site: str = ""
    company_id: str = ""
    public_key: str = ""
    client_id: str = ""
    member_identifier: str | None = None
    private_key: SecretStr | None = None


class ConnectionDialog(QDialog):
    """First-run and edit dialog. Emits ``saved`` after the saver succeeded, then accepts;
    ``demo_requested`` when the user picks "Try the demo" (the dialog then rejects)."""

    saved = Signal(object)
    demo_requested = Signal()

    def __init__(
        self,
        *,
        tester: Tester,
        saver: Saver,
        initial: ConnectionFields | None = None,
        default_client_id: str = "",
        allow_demo: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tester = tester
        self._saver = saver
        self._tasks = WidgetTasks(self, on_error=self._on_task_error)
        self._test = self._tasks.latest("connection-test")
        self._save = self._tasks.latest("connection-save")
        self._saving = False
        editing = initial is not None and bool(initial.site)
        self.setWindowTitle("Edit connection" if editing else "Connect to ConnectWise")
        self.setModal(True)
        self._build(initial or ConnectionFields(client_id=default_client_id), allow_demo)
        self._update_buttons()

    # ------------------------------------------------------------------ layout

    def _build(self, initial: ConnectionFields, allow_demo: bool) -> None:
        intro = QLabel(
            "Enter the site and Company ID you log in to ConnectWise with, and an API "
            "member's key pair. The private key is kept in the system credential store."
        )
        intro.setWordWrap(True)
        self.site = self._line(initial.site, "na.myconnectwise.net", "Site")
        self.company_id = self._line(initial.company_id, "Company ID at login", "Company ID")
        self.public_key = self._line(initial.public_key, "", "Public key")
        secret = initial.private_key.get_secret_value() if initial.private_key else ""
        self.private_key = self._line(secret, "", "Private key")
        self.private_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_id = self._line(initial.client_id, "Integration client id (GUID)", "Client id")
        self._member = initial.member_identifier

        form = QFormLayout()
        form.addRow("&Site:", self.site)
        form.addRow("C&ompany ID:", self.company_id)
        form.addRow("&Public key:", self.public_key)
        form.addRow("Pri&vate key:", self.private_key)
        form.addRow("&Client id:", self.client_id)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName("Connection status")

        self.buttons = QDialogButtonBox()
        self.test_button = QPushButton("&Test connection")
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.demo_button = QPushButton("Try the &demo")
        self.demo_button.setAccessibleDescription("Open a local demo ConnectWise, no key needed")
        if allow_demo:
            self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.test_button.clicked.connect(self._on_test_clicked)
        self.demo_button.clicked.connect(self._on_demo_clicked)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 84)

    def _line(self, text: str, placeholder: str, name: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(name)
        edit.textChanged.connect(self._on_field_changed)
        return edit

    # ------------------------------------------------------------------ state

    def credentials(self) -> Credentials:
        """The typed credentials; raises ValidationError naming the missing fields."""
        return Credentials(
            site=self.site.text(),
            company_id=self.company_id.text(),
            public_key=self.public_key.text(),
            private_key=SecretStr(self.private_key.text()),
            client_id=self.client_id.text(),
            member_identifier=self._member,
        )

    def _complete(self) -> bool:
        fields = (self.site, self.company_id, self.public_key, self.private_key, self.client_id)
        return all(f.text().strip() for f in fields)

    def _busy(self) -> bool:
        return self._saving

    def _update_buttons(self) -> None:
        ready = self._complete() and not self._busy()
        self.test_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.demo_button.setEnabled(not self._busy())

    def show_problem(self, text: str) -> None:
        """Say why the dialog is shown again (e.g. the saved connection could not be opened)."""
        self._show_status(text, ok=False)

    def _show_status(self, text: str, *, ok: bool | None = None) -> None:
        self.status.setText(text)
        dark = self.palette().color(self.backgroundRole()).lightness() < 128
        colours = _DARK_STATUS if dark else _LIGHT_STATUS
        colour = None if ok is None else colours[ok]
        # Colour only adds to the words ("Could not connect", "Connected"); it never replaces them.
        self.status.setStyleSheet(f"color: {colour};" if colour else "")

    # ------------------------------------------------------------------ slots

    def _on_field_changed(self) -> None:
        # A result for other field values would mislead: drop it and any test in flight.
        self._test.cancel()
        self._show_status("")
        self._update_buttons()

    def _on_test_clicked(self) -> None:
        creds = self._validated()
        if creds is not None:
            self._show_status("Testing the connection…")
            self._test.start(self._run_test(creds))

    def _on_save_clicked(self) -> None:
        creds = self._validated()
        if creds is not None:
            self._test.cancel()
            self._show_status("Saving…")
            self._saving = True
            self._update_buttons()
            self._save.start(self._run_save(creds))

    def _on_demo_clicked(self) -> None:
        self.demo_requested.emit()
        self.reject()

    def _on_task_error(self, exc: BaseException) -> None:
        self._saving = False
        self._show_status(describe_error(exc), ok=False)
        self._update_buttons()

    # ------------------------------------------------------------------ work

    def _validated(self) -> Credentials | None:
        try:
            return self.credentials()
        except ValidationError as exc:
            self._show_status(describe_error(exc), ok=False)
            return None

    async def _run_test(self, creds: Credentials) -> None:
        try:
            version = await self._tester(creds)
        except Exception as exc:
            self._show_status(f"Could not connect. {describe_error(exc)}", ok=False)
            return
        self._show_status(f"Connected: {version}", ok=True)

    async def _run_save(self, creds: Credentials) -> None:
        try:
            await self._saver(creds)
        except Exception as exc:
            self._show_status(f"Not saved. {describe_error(exc)}", ok=False)
            return
        finally:
            self._saving = False
            self._update_buttons()
        self.saved.emit(creds)
        self.accept()
