"""The dock's header: the SLA line reads in the colours of the table, light or dark."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from app.look import dark_palette
from psa.models import SlaState, TicketView
from ui.detail.header_view import HeaderView
from ui.tickets.cells import SlaLevel
from ui.tickets.columns import SLA_COLOURS, SLA_COLOURS_DARK

BREACHED = TicketView(id=7, summary="Printer offline", status_name="New",
                      sla=SlaState(ticket_id=7, respond_minutes=600, responded_hours=2.0))


def colour_of(header: HeaderView) -> str:
    return header.values["SLA"].styleSheet()


def test_a_breached_sla_is_red_for_the_palette_it_is_drawn_on(qtbot: QtBot) -> None:
    light = HeaderView()
    qtbot.addWidget(light)
    light.show_view(BREACHED)
    assert light.values["SLA"].text().startswith("Breached")
    assert SLA_COLOURS[SlaLevel.BREACHED].name() in colour_of(light)

    dark = HeaderView()
    qtbot.addWidget(dark)
    dark.setPalette(dark_palette())
    assert dark.palette().color(QPalette.ColorRole.Window).lightness() < 128
    dark.show_view(BREACHED)
    assert SLA_COLOURS_DARK[SlaLevel.BREACHED].name() in colour_of(dark)
