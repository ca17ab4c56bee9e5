"""Add a note: type, an optional status change in the same action, Ctrl+Enter sends.

What is typed is a draft kept per ticket (``psa.drafts``): saved shortly after each change and
when the editor switches tickets or hides, so it survives a failed send, closing the dock,
switching tickets and restarting the app. It is dropped only when the note is sent or the user
discards it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from psa.drafts import DraftStore, NoteDraft
from psa.models import BoardStatusOption, NoteKind
from ui.async_tools import WidgetTasks
from ui.detail.look import Tone, style_message
from ui.detail.status_combo import StatusCombo

KINDS: tuple[tuple[NoteKind, str], ...] = (
    ("discussion", "Discussion"),
    ("internal", "Internal"),
    ("resolution", "Resolution"),
)
SAVE_DELAY_MS = 400
KEEP_STATUS = "Keep status"


class NoteEditor(QWidget):
    """The note box of the ticket shown; the panel sends what ``send_requested`` carries."""

    send_requested = Signal(object)  # NoteDraft

    def __init__(self, drafts: DraftStore, tasks: WidgetTasks,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._drafts = drafts
        self._tasks = tasks
        self.ticket_id: int | None = None
        self._touched = False
        self._dirty = False
        self._sending = False
        self._wanted_status: int | None = None
        self._offered: tuple[BoardStatusOption, ...] = ()
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._on_save_timer_timeout)
        self._build()

    def _build(self) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 4, 6, 6)
        column.setSpacing(4)
        choices = QHBoxLayout()
        self.kind_combo = QComboBox(self)
        for kind, label in KINDS:
            self.kind_combo.addItem(label, kind)
        self.kind_combo.setAccessibleName("Note type")
        self.kind_combo.setToolTip("Discussion notes can reach the customer; internal ones "
                                   "never do")
        # Only a pick from the open popup sets it: scrolling past must not queue a status change.
        self.status_combo = StatusCombo(self)
        self.status_combo.setToolTip("Change the ticket's status together with the note")
        self.status_combo.setAccessibleName("Status change with the note")
        self.status_combo.setMinimumContentsLength(12)
        self.status_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        choices.addWidget(self.kind_combo)
        choices.addWidget(QLabel("then", self))
        choices.addWidget(self.status_combo, 1)
        column.addLayout(choices)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText("Add a note…  (Ctrl+Enter sends)")
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("Note text")
        column.addWidget(self.text, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        column.addWidget(self.message)
        buttons = QHBoxLayout()
        self.draft_state = QLabel(self)
        self.discard_button = QPushButton("Discard", self)
        self.discard_button.setToolTip("Throw this draft away")
        self.send_button = QPushButton("Add note", self)
        self.send_button.setToolTip("Add the note (Ctrl+Enter)")
        buttons.addWidget(self.draft_state, 1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.send_button)
        column.addLayout(buttons)
        self.text.textChanged.connect(self._on_user_changed)
        self.kind_combo.activated.connect(self._on_user_changed)
        self.status_combo.activated.connect(self._on_status_combo_activated)
        self.send_button.clicked.connect(self.request_send)
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.text)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.request_send)
        self._fill_statuses(())

    # ------------------------------------------------------------------ ticket and draft

    def set_ticket(self, ticket_id: int | None, *, sending: bool = False) -> None:
        """Show ``ticket_id``'s draft (saving the current one first)."""
        if ticket_id == self.ticket_id:
            self.set_sending(sending)
            return
        self.save_now()
        self.ticket_id = ticket_id
        self._touched = False
        self._fill_statuses(())
        self.show_message("")
        known, draft = (True, None) if ticket_id is None else self._drafts.peek(ticket_id)
        self._apply(draft)
        self.set_sending(sending)
        if ticket_id is not None and not known:
            self._tasks.spawn(self._load_draft(ticket_id), name="note-draft-load")

    async def _load_draft(self, ticket_id: int) -> None:
        draft = await self._drafts.load(ticket_id)
        # Typing before the file was read wins over the file.
        if ticket_id == self.ticket_id and not self._touched:
            self._apply(draft)

    def _apply(self, draft: NoteDraft | None) -> None:
        for widget in (self.text, self.kind_combo):
            widget.blockSignals(True)
        self.text.setPlainText(draft.text if draft else "")
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(
            draft.kind if draft else "discussion")))
        for widget in (self.text, self.kind_combo):
            widget.blockSignals(False)
        self._wanted_status = draft.status_id if draft else None
        self._fill_statuses(self._offered)
        self._dirty = False
        self.draft_state.setText("Draft restored" if draft else "")

    def draft(self) -> NoteDraft | None:
        """What the editor holds for its ticket."""
        if self.ticket_id is None:
            return None
        kind = self.kind_combo.currentData()
        return NoteDraft(ticket_id=self.ticket_id, text=self.text.toPlainText(),
                         kind=kind if kind in ("discussion", "internal", "resolution")
                         else "discussion",
                         status_id=self._wanted_status)

    def save_now(self) -> None:
        """Write a changed draft at once (ticket switch, hide, shutdown)."""
        self._save_timer.stop()
        draft = self.draft()
        if draft is None or not self._dirty:
            return
        self._dirty = False
        self._drafts.save(draft)  # the store owns the write: closing cannot cancel it

    # ------------------------------------------------------------------ statuses

    def set_statuses(self, ticket_id: int, statuses: Sequence[BoardStatusOption]) -> None:
        if ticket_id == self.ticket_id:
            self._fill_statuses(statuses)

    def _fill_statuses(self, statuses: Sequence[BoardStatusOption]) -> None:
        self._offered = tuple(statuses)
        combo = self.status_combo
        combo.clear()
        combo.addItem(KEEP_STATUS, None)
        ordered = sorted((s for s in statuses if not s.inactive),
                         key=lambda s: (s.sort_order is None, s.sort_order or 0))
        for status in ordered:
            combo.addItem(f"Set status: {status.name}", status.id)
        self._select_status()
        combo.setEnabled(combo.count() > 1 and not self._sending)

    def _select_status(self) -> None:
        """Show the status the note would set: what is shown is what ``draft()`` sends."""
        combo = self.status_combo
        wanted = self._wanted_status
        index = combo.findData(wanted) if wanted is not None else 0
        if index < 0:  # a draft's status the board's list does not offer (yet)
            combo.addItem(f"Set status: #{wanted}", wanted)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    # ------------------------------------------------------------------ sending

    def request_send(self) -> None:
        draft = self.draft()
        if draft is None or self._sending:
            return
        if draft.empty:
            self.show_message("Type a note first.", Tone.WARNING)
            return
        self._dirty = True
        self.save_now()  # on disk before it goes out: a crash mid-send loses nothing
        self.send_requested.emit(draft)

    def set_sending(self, sending: bool) -> None:
        self._sending = sending
        self.text.setReadOnly(sending)
        for widget in (self.kind_combo, self.send_button, self.discard_button):
            widget.setEnabled(not sending)
        self.status_combo.setEnabled(not sending and self.status_combo.count() > 1)
        if sending:
            self.show_message("Sending…", Tone.MUTED)

    def send_failed(self, ticket_id: int, message: str) -> None:
        """The note did not go out: keep the text, say why."""
        if ticket_id == self.ticket_id:
            self.set_sending(False)
            self.show_message(f"{message} Your note is kept as a draft.", Tone.ERROR)

    def sent(self, ticket_id: int, notice: str = "") -> None:
        """The note went out: clear the box (its draft is discarded by the panel)."""
        if ticket_id != self.ticket_id:
            return
        self._save_timer.stop()
        self._apply(None)
        self.set_sending(False)
        self.show_message(notice, Tone.WARNING if notice else Tone.MUTED)
        if not notice:
            self.draft_state.setText("Note added")

    def show_message(self, text: str, tone: Tone = Tone.MUTED) -> None:
        self.message.setText(text)
        style_message(self.message, tone)
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ events

    def _on_user_changed(self) -> None:
        self._touched = True
        self._dirty = True
        self.draft_state.setText("")
        self._save_timer.start()

    def _on_status_combo_activated(self, index: int) -> None:
        value = self.status_combo.itemData(index)
        self._wanted_status = value if isinstance(value, int) else None
        self._on_user_changed()

    def _on_save_timer_timeout(self) -> None:
        self.save_now()
        if self.ticket_id is not None and self.text.toPlainText().strip():
            self.draft_state.setText("Draft saved")

    def _on_discard_button_clicked(self) -> None:
        if self.ticket_id is None:
            return
        ticket_id = self.ticket_id
        self._save_timer.stop()
        self._apply(None)
        self.show_message("")
        self._drafts.discard(ticket_id)

    @override
    def hideEvent(self, event: QHideEvent) -> None:
        self.save_now()
        super().hideEvent(event)
