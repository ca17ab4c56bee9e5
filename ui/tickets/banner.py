"""An inline banner above the table: permission errors, connection loss, limited lookups."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget
from typing_extensions import override

from ui.tickets.problems import Problem, ProblemKind

# (background, border) per kind, for a light and a dark window; the text colour goes with them.
# Both are set in the banner's style sheet: a palette alone loses to it (white on pale yellow).
_LIGHT: dict[ProblemKind, tuple[str, str]] = {
    ProblemKind.PERMISSION: ("#fff4ce", "#e0b100"),
    ProblemKind.LIMITED: ("#eef4fb", "#8ab4e8"),
    ProblemKind.CONNECTION: ("#fde7e9", "#d13438"),
    ProblemKind.AUTH: ("#fde7e9", "#d13438"),
    ProblemKind.ERROR: ("#fde7e9", "#d13438"),
}
_DARK: dict[ProblemKind, tuple[str, str]] = {
    ProblemKind.PERMISSION: ("#433519", "#c29c00"),
    ProblemKind.LIMITED: ("#1e2b3a", "#4f7cb3"),
    ProblemKind.CONNECTION: ("#442726", "#d13438"),
    ProblemKind.AUTH: ("#442726", "#d13438"),
    ProblemKind.ERROR: ("#442726", "#d13438"),
}
_TEXT_LIGHT = "#1b1b1b"
_TEXT_DARK = "#f3f3f3"
_TITLES: dict[ProblemKind, str] = {
    ProblemKind.PERMISSION: "Permission needed",
    ProblemKind.LIMITED: "Limited access",
    ProblemKind.CONNECTION: "Connection lost",
    ProblemKind.AUTH: "Sign-in refused",
    ProblemKind.ERROR: "Could not load tickets",
}


class Banner(QFrame):
    """Shows one Problem with a Retry and a Dismiss button; hidden when there is none.

    A refused sign-in also offers "Edit connection…" once the app says it can open that
    dialog (`offer_edit_connection`); the click is `edit_connection_requested`.
    """

    retry_requested = Signal()
    edit_connection_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._problem: Problem | None = None
        self._dark: bool | None = None  # the backdrop the current colours were chosen for
        self._watched: QWidget | None = None
        self._watch_parent()
        self.title = QLabel(self)
        self.title.setObjectName("bannerTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.text.setObjectName("bannerText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.retry = QPushButton("Retry", self)
        self.retry.setAccessibleName("Retry loading tickets")
        self.retry.clicked.connect(self.retry_requested.emit)
        self.edit_connection = QPushButton("Edit connection…", self)
        self.edit_connection.setAccessibleName("Edit this connection's site and keys")
        self.edit_connection.clicked.connect(self.edit_connection_requested.emit)
        self.edit_connection.hide()
        self._edit_offered = False
        self.dismiss = QPushButton("Dismiss", self)
        self.dismiss.setAccessibleName("Dismiss this message")
        self.dismiss.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.edit_connection, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    @property
    def problem(self) -> Problem | None:
        """The problem shown, if any."""
        return self._problem

    def show_problem(self, problem: Problem) -> None:
        """Show (or replace) the message."""
        self._problem = problem
        self._apply_colours()
        self.title.setText(_TITLES[problem.kind])
        self.text.setText(problem.message)
        # The technical words (endpoint, exception) stay out of the text, one hover away.
        self.text.setToolTip(problem.detail or "")
        self.retry.setVisible(problem.kind is not ProblemKind.LIMITED)
        self._sync_edit_connection()
        self.setAccessibleName(_TITLES[problem.kind])
        self.setAccessibleDescription(problem.message)
        self.show()

    def offer_edit_connection(self, offered: bool = True) -> None:
        """Whether a refused sign-in offers "Edit connection…" (the demo has none to edit)."""
        self._edit_offered = offered
        self._sync_edit_connection()

    def _sync_edit_connection(self) -> None:
        auth = self._problem is not None and self._problem.kind is ProblemKind.AUTH
        self.edit_connection.setVisible(self._edit_offered and auth)

    @override
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            self._watch_parent()
        return super().event(event)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The system flipped light/dark. The window's palette change does not reach the banner
        # itself (its style sheet holds its palette), so it watches the widget it sits on.
        if watched is self._watched and event.type() == QEvent.Type.PaletteChange \
                and self._problem is not None and self._backdrop_is_dark() != self._dark:
            self._apply_colours()
        return super().eventFilter(watched, event)

    def _watch_parent(self) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
        self._watched = self.parentWidget()
        if self._watched is not None:
            self._watched.installEventFilter(self)

    def _backdrop_is_dark(self) -> bool:
        # The window around the banner, not the banner itself (its style sheet paints it).
        parent = self.parentWidget()
        palette = parent.palette() if parent is not None else QApplication.palette()
        return palette.color(QPalette.ColorRole.Window).lightness() < 128

    def _apply_colours(self) -> None:
        assert self._problem is not None
        self._dark = self._backdrop_is_dark()
        background, border = (_DARK if self._dark else _LIGHT)[self._problem.kind]
        text = _TEXT_DARK if self._dark else _TEXT_LIGHT
        self.setStyleSheet(
            f"#banner {{ background-color: {background}; border: 1px solid {border};"
            f" border-radius: 4px; }}"
            f" #banner QLabel {{ color: {text}; background: transparent; }}"
        )

    def clear(self) -> None:
        """Hide the banner."""
        self._problem = None
        self.hide()
