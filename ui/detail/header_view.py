"""The ticket's header: number, summary, company, contact, board, type, priority, SLA, status."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from psa.models import BoardStatusOption, PermissionWarning, TicketRow, TicketView
from ui.detail.look import field_label, is_dark, muted
from ui.detail.status_combo import StatusCombo
from ui.tickets import cells
from ui.tickets.cells import SlaLevel
from ui.tickets.columns import SLA_COLOURS, SLA_COLOURS_DARK

FIELDS = ("Company", "Contact", "Board", "Type", "Priority", "SLA", "Age", "Owner")
# Grid cells (row, column, column span) of each field: two columns of pairs, long ones wide.
_PLACES = {
    "Company": (0, 0, 3), "Contact": (1, 0, 3),
    "Board": (2, 0, 1), "Type": (2, 2, 1),
    "Priority": (3, 0, 1), "SLA": (3, 2, 1),
    "Age": (4, 0, 1), "Owner": (4, 2, 1),
}


def _utcnow() -> datetime:
    return datetime.now(UTC)


def contact_html(view: TicketView, link_colour: str) -> str:
    """Contact name with phone and e-mail links (tel:/mailto:), every value escaped."""
    name = html.escape(view.contact_name or "—")
    style = f' style="color:{link_colour}; text-decoration:none"'
    ways: list[str] = []
    if view.contact_phone:
        phone = html.escape(view.contact_phone, quote=True)
        ways.append(f'<a href="tel:{phone}"{style}>☎&nbsp;{phone}</a>')
    if view.contact_email:
        mail = html.escape(view.contact_email, quote=True)
        ways.append(f'<a href="mailto:{mail}"{style}>✉&nbsp;{mail}</a>')
    # A breakable gap: a long address wraps under the phone instead of widening the dock.
    return name + ("<br>" + "&nbsp;&nbsp; ".join(ways) if ways else "")


def contact_spoken(view: TicketView) -> str:
    """The contact line as a screen reader should say it (the links' symbols left out)."""
    parts = [f"Contact: {view.contact_name or 'none'}"]
    if view.contact_phone:
        parts.append(f"phone {view.contact_phone}")
    if view.contact_email:
        parts.append(f"e-mail {view.contact_email}")
    return ", ".join(parts)


def type_text(view: TicketView) -> str:
    return " › ".join(p for p in (view.type_name, view.subtype_name, view.item_name) if p)


class HeaderView(QWidget):
    """Shows one ticket's header; the status combo emits ``status_chosen`` on a user's pick."""

    status_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ticket_id: int | None = None
        self._row: TicketRow | None = None
        self._statuses: tuple[BoardStatusOption, ...] = ()
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        column.setSpacing(4)
        self.number = QLabel(self)
        self.number.setStyleSheet(f"color: {muted(self.number.palette()).name()};")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.summary.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.summary.setFont(font)
        column.addWidget(self.number)
        column.addWidget(self.summary)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.values: dict[str, QLabel] = {}
        for name in FIELDS:
            row, col, span = _PLACES[name]
            grid.addWidget(field_label(name, self), row, col, Qt.AlignmentFlag.AlignTop)
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.RichText if name == "Contact"
                                else Qt.TextFormat.PlainText)
            # Only the contact has links to reach by keyboard; the other values are no tab stop.
            value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextBrowserInteraction if name == "Contact"
                else Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setOpenExternalLinks(name == "Contact")
            grid.addWidget(value, row, col + 1, 1, span, Qt.AlignmentFlag.AlignTop)
            self.values[name] = value
        column.addLayout(grid)
        column.addLayout(self._status_row())

    def _status_row(self) -> QHBoxLayout:
        status_row = QHBoxLayout()
        status_label = field_label("Status", self)
        status_row.addWidget(status_label)
        # Changes only by a pick from the open popup: arrows and wheel never save a status.
        self.status_combo = StatusCombo(self)
        self.status_combo.setAccessibleName("Status")
        status_label.setBuddy(self.status_combo)
        self.status_combo.setMinimumContentsLength(16)
        self.status_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status_combo.activated.connect(self._on_status_combo_activated)
        self.status_note = QLabel(self)
        self.status_note.setWordWrap(True)
        self.status_note.setStyleSheet(f"color: {muted(self.status_note.palette()).name()};")
        status_row.addWidget(self.status_combo)
        status_row.addWidget(self.status_note, 1)
        return status_row

    # ------------------------------------------------------------------ showing

    def show_loading(self, ticket_id: int, hint: TicketRow | None = None) -> None:
        """The ticket's number at once; what the list row knew, or dashes, until it loads."""
        self.ticket_id = ticket_id
        self._statuses = ()
        if hint is not None and hint.id == ticket_id:
            self.show_row(hint)
            self.values["Contact"].setText("…")
            self.values["Type"].setText("…")
        else:
            self._row = None
            self.number.setText(f"#{ticket_id}")
            self.summary.setText("Loading…")
            for value in self.values.values():
                value.setText("…")
            self._fill_status_combo(None)
        self.status_note.setText("")

    def show_row(self, row: TicketRow, *, now: datetime | None = None) -> None:
        """The fields a list row has (used before the full ticket arrives)."""
        self.ticket_id = row.id
        self._row = row
        now = now or _utcnow()
        closed = "  ·  closed" if row.closed else ""
        self.number.setText(f"#{row.id}{closed}")
        self.summary.setText(row.summary or "(no summary)")
        self.values["Company"].setText(row.company_name or "—")
        self.values["Board"].setText(row.board_name or "—")
        self.values["Priority"].setText(row.priority_name or "—")
        self.values["Age"].setText(cells.age_text(row.date_entered, now) or "—")
        self._show_owner(row)
        self._fill_status_combo(row)

    def _show_owner(self, row: TicketRow) -> None:
        label = self.values["Owner"]
        names = [n.strip() for n in row.resources.split(",") if n.strip()]
        owner = row.owner_identifier
        others = [n for n in names if n.casefold() != owner.casefold()]
        text = owner or "Unassigned"
        if others:
            text += f"  +{len(others)}" if owner else f"  (resources: {', '.join(others)})"
        label.setText(text)
        label.setToolTip(f"Resources: {', '.join(names)}" if names else "")

    def show_view(self, view: TicketView, *, now: datetime | None = None) -> None:
        """Everything the full ticket has."""
        self.show_row(view, now=now)
        link = self.palette().link().color().name()
        self.values["Contact"].setText(contact_html(view, link))
        self.values["Contact"].setAccessibleName(contact_spoken(view))
        self.values["Type"].setText(type_text(view) or "—")
        self._show_sla(view)

    def _show_sla(self, view: TicketView) -> None:
        cell = cells.sla_cell(view.sla, view)
        label = self.values["SLA"]
        label.setText(cell.text or "—")
        label.setToolTip(cell.tooltip)
        colours = SLA_COLOURS_DARK if is_dark(self.palette()) else SLA_COLOURS
        colour = colours.get(cell.level) if cell.level is not SlaLevel.NONE else None
        label.setStyleSheet(f"color: {colour.name()}; font-weight: bold;" if colour else "")

    def set_statuses(self, ticket_id: int, statuses: Sequence[BoardStatusOption],
                     warning: PermissionWarning | None = None) -> None:
        """The board's statuses for the dropdown (ignored unless for the ticket shown)."""
        if ticket_id != self.ticket_id:
            return
        self._statuses = tuple(sorted(
            statuses, key=lambda s: (s.sort_order is None, s.sort_order or 0, s.name.casefold())))
        self._fill_status_combo(self._row)
        if warning is not None:
            # Without Table Setup the board's statuses come from tickets seen, if any.
            self.status_note.setText("Only statuses seen on tickets" if statuses
                                     else "Statuses not readable")
            self.status_note.setToolTip(warning.message)

    def set_status_note(self, text: str) -> None:
        """A short state beside the dropdown ("Saving…"); "" clears it."""
        self.status_note.setText(text)
        self.status_note.setToolTip("")

    def set_status_enabled(self, enabled: bool) -> None:
        self.status_combo.setEnabled(enabled and len(self._statuses) > 0)

    @property
    def statuses(self) -> tuple[BoardStatusOption, ...]:
        return self._statuses

    def status_name(self, status_id: int) -> str | None:
        return next((s.name for s in self._statuses if s.id == status_id), None)

    def _fill_status_combo(self, row: TicketRow | None) -> None:
        combo = self.status_combo
        combo.blockSignals(True)
        combo.clear()
        current = row.status_id if row is not None else None
        listed = [s for s in self._statuses if not s.inactive or s.id == current]
        if row is not None and current not in {s.id for s in listed}:
            combo.addItem(row.status_name or f"Status #{current}", current)
        for status in listed:
            closed = status.closed and "close" not in status.name.casefold()
            combo.addItem(status.name + ("  (closes)" if closed else ""), status.id)
        combo.setCurrentIndex(max(0, combo.findData(current)) if combo.count() else -1)
        combo.setEnabled(bool(self._statuses) and row is not None)
        combo.blockSignals(False)

    def _on_status_combo_activated(self, index: int) -> None:
        chosen = self.status_combo.itemData(index)
        current = self._row.status_id if self._row is not None else None
        if isinstance(chosen, int) and chosen != current:
            self.status_chosen.emit(chosen)
