"""The detail LRU cache and the helpers the detail pane uses with it."""

from __future__ import annotations

from psa.detail_cache import (
    DetailCache,
    as_row,
    merge_row,
    reuse_configuration_details,
)
from psa.models import ConfigurationItem, Section, TicketDetail, TicketRow, TicketView


def detail(ticket_id: int, configs: tuple[ConfigurationItem, ...] = ()) -> TicketDetail:
    return TicketDetail(
        ticket=TicketView(id=ticket_id, summary=f"t{ticket_id}", status_id=1, status_name="New",
                          contact_email="a@b.c"),
        notes=Section(value=()), configurations=Section(value=configs),
        related=Section(), resources=Section(value=()),
    )


def test_least_recently_used_is_dropped() -> None:
    cache = DetailCache(capacity=2)
    cache.put(detail(1))
    cache.put(detail(2))
    assert cache.get(1) is not None  # 1 is now the most recent
    cache.put(detail(3))
    assert cache.ids() == [1, 3]
    assert cache.get(2) is None


def test_update_row_changes_the_cached_ticket_only() -> None:
    cache = DetailCache()
    cache.put(detail(1))
    cache.update_row(TicketRow(id=1, summary="t1", status_id=5, status_name="Closed"))
    cache.update_row(TicketRow(id=2, status_id=5))
    cached = cache.get(1)
    assert cached is not None
    assert (cached.ticket.status_id, cached.ticket.status_name) == (5, "Closed")
    assert cached.ticket.contact_email == "a@b.c"
    assert 2 not in cache


def test_as_row_and_merge_row_round_trip() -> None:
    view = TicketView(id=3, summary="s", status_id=1, contact_phone="123")
    row = as_row(view)
    assert type(row) is TicketRow and row.summary == "s"
    merged = merge_row(view, row.model_copy(update={"status_id": 9}))
    assert merged.status_id == 9 and merged.contact_phone == "123"


def test_configuration_details_are_reused_only_for_the_same_references() -> None:
    full = (ConfigurationItem(id=1, detailed=True, name="PC-1"),)
    refs = (ConfigurationItem(id=1),)
    reused = reuse_configuration_details(detail(1, refs), detail(1, full))
    assert reused.configurations.value == full
    other = (ConfigurationItem(id=2),)
    assert reuse_configuration_details(detail(1, other), detail(1, full)).configurations.value \
        == other
    assert reuse_configuration_details(detail(1, refs), detail(2, full)).configurations.value \
        == refs
