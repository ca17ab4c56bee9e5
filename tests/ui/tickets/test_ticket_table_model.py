"""The ticket table model: paging, id-keyed merging, roles and local sorting."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from psa.models import SlaState, TicketRow
from ui.tickets.cells import SlaLevel
from ui.tickets.ticket_table_model import (
    ChangedRole,
    Column,
    RowRole,
    SlaLevelRole,
    SortRole,
    TicketTableModel,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def row(tid: int, **kw: object) -> TicketRow:
    data: dict[str, object] = {
        "id": tid,
        "summary": f"Ticket {tid}",
        "company_name": f"Co {tid % 7}",
        "last_updated": NOW - timedelta(minutes=tid),
        "date_entered": NOW - timedelta(hours=tid),
    }
    data.update(kw)
    return TicketRow.model_validate(data)


def sla(tid: int, **kw: object) -> SlaState:
    return SlaState.model_validate({"ticket_id": tid, "responded_hours": 2.0, **kw})


def ids(model: TicketTableModel) -> list[int]:
    return [r.id for r in model.rows()]


def make_model() -> TicketTableModel:
    return TicketTableModel(clock=lambda: NOW)


def test_model_passes_the_model_tester_through_paging(qtmodeltester: ModelTester) -> None:
    model = make_model()
    qtmodeltester.check(model)
    model.reset_rows([row(i) for i in range(1, 11)], total=25)
    model.append_page([row(i) for i in range(11, 21)], total=25)
    model.merge_window(0, [row(0), *[row(i) for i in range(1, 10)]], total=26)
    model.set_sla({3: sla(3, respond_minutes=30)})
    model.sort_locally(Column.SLA, Qt.SortOrder.AscendingOrder)
    model.tick()
    qtmodeltester.check(model)


def test_fetch_more_asks_once_until_the_page_arrives(qtbot: QtBot) -> None:
    model = make_model()
    model.reset_rows([row(i) for i in range(1, 51)], total=120)
    asked: list[bool] = []
    model.more_requested.connect(lambda: asked.append(True))
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # a second scroll step while the page is on its way
    assert asked == [True]
    assert not model.canFetchMore(QModelIndex())

    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    assert model.append_page([row(i) for i in range(51, 101)], total=120) == 50
    assert inserted == [(50, 99)]  # inclusive last
    assert model.canFetchMore(QModelIndex())


def test_failed_fetch_releases_the_guard() -> None:
    model = make_model()
    model.reset_rows([row(1)], total=5)
    model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex())
    model.fetch_failed()
    assert model.canFetchMore(QModelIndex())


def test_shifted_page_updates_repeated_tickets_instead_of_duplicating() -> None:
    model = make_model()
    model.reset_rows([row(i) for i in range(1, 6)], total=10)
    # A new ticket on top pushed ticket 5 onto the next page, now with a new summary.
    added = model.append_page([row(5, summary="moved"), *[row(i) for i in range(6, 10)]], 11)
    assert added == 4
    assert ids(model) == list(range(1, 10))
    assert model.rows()[4].summary == "moved"
    assert len(set(ids(model))) == len(ids(model))


def test_empty_page_ends_paging_even_if_total_said_more() -> None:
    model = make_model()
    model.reset_rows([row(1), row(2)], total=5)
    model.append_page([], total=5)
    assert model.total == 2
    assert not model.canFetchMore(QModelIndex())


def test_merge_window_inserts_removes_and_moves_by_id(qtmodeltester: ModelTester) -> None:
    model = make_model()
    qtmodeltester.check(model)
    model.reset_rows([row(i) for i in range(1, 9)], total=8)
    # Ticket 9 is new on top, 3 left the view, 7 moved up from further down; 5 was pushed
    # out of the refreshed range, which is settled only for its first four rows.
    model.merge_window(0, [row(9), row(1), row(2), row(7), row(4)], total=8, settled=4)
    assert ids(model) == [9, 1, 2, 7, 4, 5, 6, 8]
    # Fully settled, a missing ticket has left the view.
    model.merge_window(0, [row(9), row(1), row(2), row(7), row(4), row(6)], total=7)
    assert ids(model) == [9, 1, 2, 7, 4, 6, 8]


def test_merge_window_at_the_end_drops_rows_the_server_no_longer_has() -> None:
    model = make_model()
    model.reset_rows([row(i) for i in range(1, 9)], total=8)
    model.merge_window(4, [row(5), row(6)], total=6)
    assert ids(model) == [1, 2, 3, 4, 5, 6]
    assert model.total == 6


def test_merge_window_keeps_selection_on_the_same_ticket() -> None:
    model = make_model()
    model.reset_rows([row(i) for i in range(1, 6)], total=5)
    selected = QPersistentModelIndex(model.index(2, 0))  # ticket 3
    model.merge_window(0, [row(10), row(1), row(2), row(3, summary="edited"), row(4)], total=6)
    assert model.data(model.index(selected.row(), 0), RowRole).id == 3
    assert model.rows()[selected.row()].summary == "edited"


def test_random_merges_never_duplicate_and_match_the_server(
    qtmodeltester: ModelTester,
) -> None:
    rnd = random.Random(7)
    model = make_model()
    qtmodeltester.check(model)
    model.reset_rows([row(i) for i in range(30)], total=30)
    for _ in range(60):
        start = rnd.randrange(0, max(1, len(model.rows())))
        universe = list(range(60))
        rnd.shuffle(universe)
        fresh = [row(i) for i in universe[: rnd.randrange(0, 12)]]
        before = ids(model)
        settled = rnd.randrange(0, len(fresh) + 1)
        protected = set(before[:start] + before[start + settled :]) - {r.id for r in fresh}
        total = start + len(fresh) + rnd.randrange(0, 20)
        begin = model.merge_window(start, fresh, total=total, settled=settled)
        got = ids(model)
        assert len(set(got)) == len(got)
        assert got[begin : begin + len(fresh)] == [r.id for r in fresh]
        assert model.total >= len(got)
        if fresh and total > begin + len(fresh):  # not the end: only settled rows may go
            assert protected <= set(got)


def test_customer_updated_rows_are_bold_and_changed_rows_marked() -> None:
    model = make_model()
    model.reset_rows([row(1, customer_updated=True), row(2)], total=2)
    font = model.data(model.index(0, Column.SUMMARY), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert model.data(model.index(1, Column.SUMMARY), Qt.ItemDataRole.FontRole) is None
    assert model.data(model.index(1, 0), ChangedRole) is False
    model.update_row(row(2, last_updated=NOW))
    assert model.data(model.index(1, 0), ChangedRole) is True
    assert "changed" in model.data(model.index(1, 0), Qt.ItemDataRole.AccessibleDescriptionRole)
    model.mark_changed([2], changed=False)
    assert model.data(model.index(1, 0), ChangedRole) is False


def test_sla_cells_colour_by_time_left() -> None:
    model = make_model()
    model.reset_rows([row(1), row(2), row(3), row(4)], total=4)
    # Targets of 10 h / 2 h; elapsed business minutes from the server decide what is left.
    model.set_sla({
        1: sla(1, responded_hours=10.0, respond_minutes=60),
        2: sla(2, respond_minutes=10),
        3: sla(3, respond_minutes=100),
        4: sla(4, respond_minutes=125, is_in_sla=False),
    })
    levels = [model.data(model.index(r, Column.SLA), SlaLevelRole) for r in range(4)]
    assert levels == [SlaLevel.OK, SlaLevel.SOON, SlaLevel.URGENT, SlaLevel.BREACHED]
    assert model.data(model.index(2, Column.SLA)) == "Respond · 20m"
    assert model.data(model.index(3, Column.SLA)) == "Breached 5m"
    assert "Respond target breached 5m ago" in model.data(
        model.index(3, Column.SLA), Qt.ItemDataRole.ToolTipRole)


def test_sla_cell_shows_waiting_resolved_and_untimed_states() -> None:
    model = make_model()
    model.reset_rows([row(1), row(2), row(3), row(4, closed=True)], total=4)
    model.set_sla({
        1: SlaState(ticket_id=1, sla_status="Waiting", minutes_waiting=30),
        2: SlaState(ticket_id=2, sla_status="Respond by Mon 11/30 10:00 AM UTC-05",
                    is_in_sla=False),
        3: sla(3, date_responded=NOW, resplan_hours=4.0, res_plan_minutes=30),
        4: SlaState(ticket_id=4, sla_status="Resolved", is_in_sla=True),
    })
    texts = [model.data(model.index(r, Column.SLA)) for r in range(4)]
    assert texts == [
        "Paused", "Breached", "Plan · 3h 30m", "Met",
    ]
    levels = [model.data(model.index(r, Column.SLA), SlaLevelRole) for r in range(4)]
    assert levels == [SlaLevel.WAITING, SlaLevel.BREACHED, SlaLevel.SOON, SlaLevel.DONE]


def test_local_sort_orders_by_native_values_and_keeps_selection() -> None:
    model = make_model()
    model.reset_rows([row(3), row(1), row(2)], total=3)
    selected = QPersistentModelIndex(model.index(0, 0))  # ticket 3
    model.sort_locally(Column.ID, Qt.SortOrder.AscendingOrder)
    assert ids(model) == [1, 2, 3]
    assert selected.row() == 2
    model.sort_locally(Column.UPDATED, Qt.SortOrder.DescendingOrder)
    assert ids(model) == [1, 2, 3]  # ticket 1 was updated most recently
    assert model.data(model.index(0, Column.ID), SortRole) == 1


def test_rows_moved_by_a_merge_are_marked_when_they_changed() -> None:
    model = make_model()
    model.reset_rows([row(1), row(2), row(3)], total=3)
    # Ticket 3 was updated and (sorted by last update) jumps to the top.
    model.merge_window(0, [row(3, last_updated=NOW), row(1), row(2)], total=3)
    assert ids(model) == [3, 1, 2]
    assert model.is_changed(3)
    assert not model.is_changed(1)


def test_priority_shows_its_number_with_the_whole_name_in_the_tooltip() -> None:
    model = make_model()
    model.reset_rows([row(1, priority_name="Priority 2 - Quick Response"),
                      row(2, priority_name="Critical")], 2)
    cell = model.index(0, Column.PRIORITY)
    assert cell.data() == "P2"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "Priority 2 - Quick Response"
    assert model.index(1, Column.PRIORITY).data() == "Critical"
