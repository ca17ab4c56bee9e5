"""The notes feed: newest or oldest first, badges, customer notes highlighted, long notes folded."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QToolButton, QVBoxLayout, QWidget
from typing_extensions import override

from psa.models import NoteItem
from ui.detail.look import muted, note_colours
from ui.detail.note_html import MORE_SCHEME, notes_html
from ui.detail.section_view import SectionView

UrlOpener = Callable[[QUrl], Any]


class NotesView(SectionView):
    """The ticket's notes as rich text built only from escaped note text."""

    order_changed = Signal(bool)

    def __init__(self, open_url: UrlOpener, parent: QWidget | None = None) -> None:
        super().__init__("Loading notes…", parent)
        self._open_url = open_url
        self._notes: tuple[NoteItem, ...] = ()
        self._expanded: set[int] = set()
        self._newest_first = True
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        bar = QHBoxLayout()
        self._summary = QLabel(body)
        self._summary.setStyleSheet(f"color: {muted(self._summary.palette()).name()};")
        self.order_button = QToolButton(body)
        self.order_button.setAutoRaise(True)
        self.order_button.clicked.connect(self._on_order_button_clicked)
        bar.addWidget(self._summary, 1)
        bar.addWidget(self.order_button)
        column.addLayout(bar)
        self.browser = QTextBrowser(body)
        self.browser.setAccessibleName("Notes")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        column.addWidget(self.browser, 1)
        self.set_content(body)
        self._update_order_button()

    @property
    def notes(self) -> tuple[NoteItem, ...]:
        """The notes shown, in display order."""
        return self._ordered()

    @property
    def newest_first(self) -> bool:
        return self._newest_first

    def set_newest_first(self, newest: bool) -> None:
        if newest == self._newest_first:
            return
        self._newest_first = newest
        self._update_order_button()
        self._rebuild(keep_scroll=False)
        self.order_changed.emit(newest)

    def count(self) -> int | None:
        return len(self._notes) if self.has_value else None

    def show_loading(self, ticket_id: int) -> None:
        if ticket_id != self.ticket_id:
            self._expanded.clear()
        super().show_loading(ticket_id)

    def _render(self, value: Any) -> None:
        notes: Sequence[NoteItem] = value
        same = tuple(notes) == self._notes and self.browser.toPlainText()
        self._notes = tuple(notes)
        if same:
            return  # a background refresh with nothing new keeps the reader's place
        self._expanded &= {n.id for n in self._notes}
        self._rebuild(keep_scroll=True)

    def _clear(self) -> None:
        self._notes = ()
        self.browser.clear()
        self._summary.clear()

    def _ordered(self) -> tuple[NoteItem, ...]:
        # The service sends newest first; notes without a time go last either way.
        return self._notes if self._newest_first else tuple(reversed(self._notes))

    def _rebuild(self, *, keep_scroll: bool) -> None:
        bar = self.browser.verticalScrollBar()
        position = bar.value() if keep_scroll else 0
        notes = self._ordered()
        colours = note_colours(self.browser.palette())
        if notes:
            self.browser.setHtml(notes_html(notes, colours, expanded=self._expanded))
        else:
            self.browser.setHtml(f'<p style="color:{colours.muted}">No notes yet.</p>')
        bar.setValue(position)
        count = len(self._notes)
        self._summary.setText(f"{count} note{'s' if count != 1 else ''}")

    @override
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._notes:
            self._rebuild(keep_scroll=True)  # the cards' colours follow light/dark mode

    def _update_order_button(self) -> None:
        self.order_button.setText("Newest first ↓" if self._newest_first else "Oldest first ↑")
        self.order_button.setToolTip("Click to show the oldest notes first"
                                     if self._newest_first else
                                     "Click to show the newest notes first")

    def _on_order_button_clicked(self) -> None:
        self.set_newest_first(not self._newest_first)

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == MORE_SCHEME:
            action, _, number = url.path().partition("/")
            if number.isdigit():
                if action == "more":
                    self._expanded.add(int(number))
                else:
                    self._expanded.discard(int(number))
                self._rebuild(keep_scroll=True)
        elif scheme in ("http", "https"):
            self._open_url(url)
