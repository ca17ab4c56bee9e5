"""Header arrows for server sorts, including a sort field saved by an earlier version."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.tickets.columns import Column
from ui.tickets.tickets_page import column_for, order_for


def test_a_header_click_and_its_arrow_round_trip() -> None:
    for column in (Column.ID, Column.PRIORITY, Column.AGE, Column.UPDATED):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            order_by = order_for(column, order)
            assert order_by is not None
            assert column_for(order_by) == (column, order)
    assert order_for(Column.SLA, Qt.SortOrder.AscendingOrder) is None  # local only


def test_a_priority_sort_saved_by_name_shows_on_the_priority_column() -> None:
    assert order_for(Column.PRIORITY, Qt.SortOrder.AscendingOrder) == "priority/sort asc"
    assert column_for("priority/name desc, id desc") == (Column.PRIORITY,
                                                          Qt.SortOrder.DescendingOrder)
