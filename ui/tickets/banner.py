"""An inline banner above the table: permission errors, connection loss, limited lookups."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.tickets.problems import Problem, ProblemKind

# (background, border) per kind; readable on light and dark palettes alike (text is dark).
_COLOURS: dict[ProblemKind, tuple[str, str]] = {
    ProblemKind.PERMISSION: ("#fff4ce", "#e0b100"),
    ProblemKind.LIMITED: ("#eef4fb", "#8ab4e8"),
    ProblemKind.CONNECTION: ("#fde7e9", "#d13438"),
    ProblemKind.AUTH: ("#fde7e9", "#d13438"),
    ProblemKind.ERROR: ("#fde7e9", "#d13438"),
}
_TITLES: dict[ProblemKind, str] = {
    ProblemKind.PERMISSION: "Permission needed",
    ProblemKind.LIMITED: "Limited access",
    ProblemKind.CONNECTION: "Connection lost",
    ProblemKind.AUTH: "Sign-in refused",
    ProblemKind.ERROR: "Could not load tickets",
}


class Banner(QFrame):
    """Shows one Problem with a Retry and a Dismiss button; hidden when there is none."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._problem: Problem | None = None
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
        self.dismiss = QPushButton("Dismiss", self)
        self.dismiss.setAccessibleName("Dismiss this message")
        self.dismiss.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
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
        background, border = _COLOURS[problem.kind]
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#1b1b1b"))
        self.setPalette(palette)
        self.setStyleSheet(f"#banner {{ border: 1px solid {border}; border-radius: 4px; }}")
        self.title.setText(_TITLES[problem.kind])
        self.text.setText(problem.message)
        self.retry.setVisible(problem.kind is not ProblemKind.LIMITED)
        self.setAccessibleName(_TITLES[problem.kind])
        self.setAccessibleDescription(problem.message)
        self.show()

    def clear(self) -> None:
        """Hide the banner."""
        self._problem = None
        self.hide()
