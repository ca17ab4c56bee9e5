"""The SLA cell: short texts from the service's stage targets, fitting the column's width."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from psa.models import SlaState, TicketRow
from ui.tickets.cells import SlaLevel, priority_text, sla_cell
from ui.tickets.columns import Column
from ui.tickets.ticket_table_view import DEFAULT_SAMPLES

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ROW = TicketRow(id=1)
TARGETS = {"responded_hours": 2.0, "resplan_hours": 4.0, "resolution_hours": 72.0}


def state(**kw: object) -> SlaState:
    return SlaState.model_validate({"ticket_id": 1, **kw})


def test_the_pending_stage_shows_business_time_left_against_its_target() -> None:
    respond = sla_cell(state(**TARGETS, respond_minutes=50), ROW)
    assert (respond.text, respond.level) == ("Respond · 1h 10m", SlaLevel.SOON)
    assert respond.sort_key == 70
    plan = sla_cell(state(**TARGETS, date_responded=NOW, res_plan_minutes=10), ROW)
    assert plan.text == "Plan · 3h 50m"
    resolve = sla_cell(state(**TARGETS, date_responded=NOW, date_resplan=NOW,
                             resolve_minutes=60), ROW)
    assert (resolve.text, resolve.level) == ("Resolve · 2d 23h", SlaLevel.OK)


def test_a_missed_target_reads_breached_with_the_stage_in_the_tooltip() -> None:
    cell = sla_cell(state(**TARGETS, respond_minutes=250, sla_status="Respond by Mon"), ROW)
    assert (cell.text, cell.level, cell.sort_key) == ("Breached 2h 10m", SlaLevel.BREACHED, -130)
    assert cell.tooltip == "Respond by Mon\nRespond target breached 2h 10m ago (business time)"


def test_without_targets_the_server_status_is_shortened_to_stage_and_day() -> None:
    status = "Resolution Plan by Tue 11/17 3:00 PM UTC-05"
    cell = sla_cell(state(sla_status=status, res_plan_minutes=30, is_in_sla=True), ROW)
    assert (cell.text, cell.level, cell.tooltip) == ("Plan by Tue", SlaLevel.OK, status)
    out = sla_cell(state(sla_status=status, is_in_sla=False), ROW)
    assert (out.text, out.level) == ("Breached", SlaLevel.BREACHED)
    odd = sla_cell(state(sla_status="Escalated"), ROW)
    assert odd.text == "Escalated"


def test_paused_and_done_states() -> None:
    paused = sla_cell(state(**TARGETS, sla_status="Waiting", minutes_waiting=90), ROW)
    assert (paused.text, paused.level) == ("Paused", SlaLevel.WAITING)
    assert "1h 30m so far" in paused.tooltip
    assert sla_cell(state(**TARGETS, sla_status="Resolved"), ROW).text == "Met"
    assert sla_cell(state(is_in_sla=False), TicketRow(id=1, closed=True)).text == "Missed"


def test_every_sla_text_fits_the_columns_default_width(qapp: QApplication) -> None:
    bold = QFont(qapp.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    width = metrics.horizontalAdvance(DEFAULT_SAMPLES[Column.SLA])
    minutes = [59, 23 * 60 + 59, 6 * 24 * 60 + 23 * 60, 99 * 24 * 60 + 23 * 60]
    texts = {"Paused", "Met", "Missed", "Breached", "Respond by Wed", "Plan by Wed",
             "Resolve by Wed"}
    for elapsed in minutes:
        for extra in (
            {"respond_minutes": 0, "responded_hours": elapsed / 60},
            {"respond_minutes": elapsed + 120, "responded_hours": 2.0},
            {"date_responded": NOW, "res_plan_minutes": 0, "resplan_hours": elapsed / 60},
            {"date_responded": NOW, "date_resplan": NOW, "resolve_minutes": 0,
             "resolution_hours": elapsed / 60},
        ):
            texts.add(sla_cell(state(**extra), ROW).text)
    too_wide = {t for t in texts if metrics.horizontalAdvance(t) > width}
    assert not too_wide


def test_numbered_priorities_read_as_their_number_and_other_names_as_they_are() -> None:
    assert priority_text("Priority 2 - Quick Response") == "P2"
    assert priority_text("priority 10 – Low") == "P10"
    assert priority_text("Priority 1") == "P1"
    assert priority_text("Critical") == "Critical"
    assert priority_text("Prioritised 2") == "Prioritised 2"  # not "Priority N"
    assert priority_text("") == ""
