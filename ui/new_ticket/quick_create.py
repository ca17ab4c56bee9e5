"""The Quick Create (AI) tab: paste text, see what would be sent, Parse into the Full Form.

Nothing is sent before Parse is pressed: typing only runs the local redaction, to show what
Claude would receive and what was removed. Parse uses Claude when a key is configured (and
chosen), the offline parser otherwise. When Claude cannot be reached (no connection, no answer
in time, 529, 5xx) the offline parser fills the form at once and says why; every other failure
leaves the tab usable and offers the offline parser. The result only fills the form — the
dispatcher reviews it and presses Create.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from psa.connectwise.errors import ConnectWiseError
from psa.intake.catalog import IntakeCatalog
from psa.intake.errors import IntakeError, NoApiKey, unreachable_reason
from psa.intake.redact import Redaction
from psa.intake.service import DraftResult, IntakeService
from ui.async_tools import WidgetTasks
from ui.detail.look import Tone
from ui.new_ticket.catalog_cache import CatalogCache
from ui.new_ticket.form_fields import quiet
from ui.new_ticket.intake_fill import describe_removed
from ui.new_ticket.message_bar import MessageBar

PREVIEW_DEBOUNCE_MS = 300
PREVIEW_TITLE = "What will be sent to Claude"
DEMO_NOTE = ("The demo has no Claude key and no Claude settings: Quick Create uses the offline "
             "parser, and nothing leaves this computer.")
PARSE_TIMEOUT = 60.0
"""Seconds before Parse gives up (Claude's own timeout is shorter; this bounds the lookups too)."""


class QuickCreate(QWidget):
    """``draft_ready(DraftResult, IntakeCatalog)`` once a parse succeeded."""

    draft_ready = Signal(object, object)
    changed = Signal()

    def __init__(self, intake: IntakeService, catalogs: CatalogCache, *, tasks: WidgetTasks,
                 timeout: float = PARSE_TIMEOUT, demo: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickCreate")
        self._intake = intake
        self._demo = demo
        self._catalogs = catalogs
        self._timeout = timeout
        self._parse = tasks.latest("quick-parse")
        self._preview = tasks.latest("quick-preview")
        self.parsing_with: str | None = None
        self._build()
        self._debounce = QTimer(self, singleShot=True, interval=PREVIEW_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self._connect()
        self._sync_parser()

    def _build(self) -> None:
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("quickText")
        self.text.setAccessibleName("Text to parse")
        self.text.setPlaceholderText(
            "Paste an e-mail or type a call summary, then press Parse.\n\nExample: “Hi, this is "
            "Dana at Contoso Dental — the front desk printer is offline again and we open at 8. "
            "Urgent please.”")
        self.text.setTabChangesFocus(True)
        self.claude_radio = QRadioButton("Claude (AI)", self)
        self.offline_radio = QRadioButton("Offline parser", self)
        self.parse_button = QPushButton("Parse", self)
        self.parse_button.setObjectName("parseButton")
        self.parse_button.setToolTip("Draft the ticket from the text (Ctrl+Enter). Nothing is "
                                     "created: you review the Full Form first.")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setEnabled(False)
        self.key_note = QLabel(self)
        self.key_note.setWordWrap(True)
        quiet(self.key_note)
        self.message = MessageBar(self, name="quickMessage")
        self.local_note = QLabel("The offline parser reads the text on this computer; nothing "
                                 "is sent anywhere.", self)
        self.local_note.setObjectName("quickLocalNote")
        self.local_note.setWordWrap(True)
        self.preview_box = QGroupBox(PREVIEW_TITLE, self)
        self.preview = QPlainTextEdit(self.preview_box)
        self.preview.setObjectName("quickPreview")
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Text that will be sent")
        self.removed = QLabel(self.preview_box)
        self.removed.setObjectName("quickRemoved")
        self.removed.setWordWrap(True)
        inner = QVBoxLayout(self.preview_box)
        inner.addWidget(self.removed)
        inner.addWidget(self.preview, 1)
        parser_row = QHBoxLayout()
        parser_row.addWidget(QLabel("Parser:", self))
        parser_row.addWidget(self.claude_radio)
        parser_row.addWidget(self.offline_radio)
        parser_row.addStretch(1)
        parser_row.addWidget(self.cancel_button)
        parser_row.addWidget(self.parse_button)
        column = QVBoxLayout(self)
        column.addWidget(self.text, 3)
        column.addLayout(parser_row)
        column.addWidget(self.key_note)
        column.addWidget(self.local_note)
        column.addWidget(self.message)
        column.addWidget(self.preview_box, 2)

    def _connect(self) -> None:
        self.text.textChanged.connect(self._on_text_text_changed)
        self.claude_radio.toggled.connect(lambda _on: self._sync_parser())
        self.parse_button.clicked.connect(self._on_parse_button_clicked)
        self.cancel_button.clicked.connect(self.cancel)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._on_parse_button_clicked)

    # ------------------------------------------------------------------ state

    @property
    def uses_claude(self) -> bool:
        """Whether Parse would ask Claude (a key is set and Claude is chosen)."""
        return self._intake.claude_available and self.claude_radio.isChecked()

    def set_text(self, text: str) -> None:
        self.text.setPlainText(text)

    def busy(self) -> bool:
        return self._parse.is_running()

    def set_intake(self, intake: IntakeService) -> None:
        """Parse with another engine from now on (the Claude key or model changed).

        A parse already running finishes with the engine it started with. Claude becoming
        available is offered at once (chosen, as on a new dialog).
        """
        was_available = self._intake.claude_available
        self._intake = intake
        if intake.claude_available and not was_available:
            self.claude_radio.setEnabled(True)
            self.claude_radio.setChecked(True)
        self._sync_parser()

    def _sync_parser(self) -> None:
        available = self._intake.claude_available
        self.claude_radio.setEnabled(available)
        if not available:
            self.offline_radio.setChecked(True)
            note = DEMO_NOTE if self._demo else NoApiKey().message
            self.claude_radio.setToolTip(note)
            self.key_note.setText(note)
        elif not self.claude_radio.isChecked() and not self.offline_radio.isChecked():
            self.claude_radio.setChecked(True)
        self.key_note.setVisible(not available)
        self.preview_box.setVisible(self.uses_claude)
        self.local_note.setVisible(not self.uses_claude)
        self._debounce.start()

    # ------------------------------------------------------------------ preview (local only)

    def _on_text_text_changed(self) -> None:
        self._debounce.start()
        self.changed.emit()

    def _on_debounce_timeout(self) -> None:
        if self.window().isVisible():
            self._preview.start(self._show_preview(self.text.toPlainText()))

    def stop(self) -> None:
        """The dialog is closing: no preview or parse may start or finish after this."""
        self._debounce.stop()
        self._parse.cancel()
        self._preview.cancel()

    async def _show_preview(self, text: str) -> None:
        if not self.uses_claude:
            self.preview_box.hide()
            self.local_note.show()
            return
        self.local_note.hide()
        self.preview_box.setTitle(PREVIEW_TITLE)
        self.preview_box.show()
        if not text.strip():
            self.preview.setPlainText("")
            self.removed.setText("Paste text above to see exactly what Claude would receive.")
            return
        redacted = await asyncio.to_thread(self._intake.preview, text)
        self.preview.setPlainText(redacted.text)
        self.removed.setText(describe_removed(redacted.removed))

    def show_sent(self, text: str, removed: tuple[Redaction, ...], *, title: str) -> None:
        """Show text that was already sent (a spin-off's notes) in place of the preview."""
        self._debounce.stop()
        self._preview.cancel()
        self.local_note.hide()
        self.preview_box.setTitle(title)
        self.preview_box.show()
        self.preview.setPlainText(text)
        self.removed.setText(describe_removed(removed))

    # ------------------------------------------------------------------ parsing

    def _on_parse_button_clicked(self) -> None:
        self.parse()

    def parse(self, *, offline: bool = False) -> None:
        """Start parsing (``offline`` forces the local parser, e.g. after a Claude failure)."""
        text = self.text.toPlainText()
        if not text.strip():
            self.message.show_message("Paste or type the text to parse first.", Tone.WARNING)
            return
        use_claude = self.uses_claude and not offline
        self._parse.start(self._run(text, use_claude))

    def cancel(self) -> None:
        if self._parse.is_running():
            self._parse.cancel()
            self._set_busy(None)
            self.message.show_message("Parsing was cancelled; the form was not changed.",
                                      Tone.MUTED)

    async def _run(self, text: str, use_claude: bool) -> None:
        self._set_busy("Claude" if use_claude else "offline")
        deadline = asyncio.get_running_loop().time() + self._timeout
        try:
            async with asyncio.timeout_at(deadline):
                catalog = await self._catalogs.get()
            result = await self._draft(text, catalog, use_claude, deadline)
        except IntakeError as exc:
            self._failed(exc.message)
            return
        except TimeoutError:
            self._failed(f"Parsing took longer than {self._timeout:g} s and was stopped. Try "
                         "again, or use the offline parser.")
            return
        except ConnectWiseError as exc:
            self._set_busy(None)
            self.message.show_message("Could not load the companies and contacts to match "
                                      f"against: {exc.message}", Tone.ERROR)
            return
        except Exception:
            # A defect: say so here, and let the global error hook report it.
            self._failed("Parsing failed unexpectedly. Fill the form by hand, or try the "
                         "offline parser.")
            raise
        self._set_busy(None)
        if result.fallback_reason:
            self.message.show_message(f"{result.fallback_reason} The Full Form is filled in "
                                      "for your review.", Tone.WARNING)
        else:
            parser = "Claude" if result.parser_used == "claude" else "the offline parser"
            self.message.show_message(f"Parsed with {parser}; the Full Form is filled in for "
                                      "your review.", Tone.INFO)
        self.draft_ready.emit(result, catalog)

    async def _draft(self, text: str, catalog: IntakeCatalog, use_claude: bool,
                     deadline: float) -> DraftResult:
        """Claude's draft, or the offline parser's when Claude cannot be reached.

        Other Claude errors (a bad key, a refusal, …) are raised: they are for the dispatcher,
        who may still choose "Parse offline instead".
        """
        if not use_claude:
            async with asyncio.timeout_at(deadline):
                return await self._intake.parse(text, catalog, use_claude=False)
        try:
            async with asyncio.timeout_at(deadline):
                return await self._intake.parse(text, catalog, use_claude=True)
        except TimeoutError:
            why = f"no answer within {self._timeout:g} s"
        except IntakeError as exc:
            reason = unreachable_reason(exc)
            if reason is None:
                raise
            why = reason
        self._set_busy("offline")
        result = await self._intake.parse(text, catalog, use_claude=False)
        return result.model_copy(update={
            "fallback_reason": f"Claude unreachable ({why}) — parsed offline."})

    def _failed(self, message: str) -> None:
        self._set_busy(None)
        self.message.show_message(message, Tone.ERROR,
                                  action=("Parse offline instead",
                                          lambda: self.parse(offline=True)))

    def _set_busy(self, parser: str | None) -> None:
        self.parsing_with = parser
        self.parse_button.setEnabled(parser is None)
        self.cancel_button.setEnabled(parser is not None)
        if parser == "Claude":
            self.message.show_message("Asking Claude… (Cancel stops it)", Tone.MUTED)
        elif parser is not None:
            self.message.show_message("Parsing on this computer…", Tone.MUTED)
