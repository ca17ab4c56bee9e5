"""Ticket-list links: every filter state round-trips; bad links are refused plainly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from psa.filters import TicketFilters
from ui.tickets.view_link import LinkError, build_link, build_view_link, parse_link


def test_default_filters_give_the_bare_link() -> None:
    assert build_link(TicketFilters()) == "dispatch-desk://tickets"
    assert parse_link("dispatch-desk://tickets").filters == TicketFilters()


def test_link_lists_only_what_differs_from_defaults() -> None:
    filters = TicketFilters(board_id=3, status_name="Waiting on Customer", assigned="me")
    link = build_link(filters)
    assert link == "dispatch-desk://tickets?board=3&status_name=Waiting%20on%20Customer&assigned=me"
    assert parse_link(link).filters == filters


def test_hand_written_link_with_board_and_status_ids() -> None:
    parsed = parse_link("dispatch-desk://tickets?board=1&status=5&closed=1&assigned=42")
    assert parsed.filters == TicketFilters(board_id=1, status_id=5, include_closed=True,
                                           assigned=42)


def test_view_links_name_a_saved_view() -> None:
    link = build_view_link("Unassigned on Help Desk & co")
    assert parse_link(link).view_name == "Unassigned on Help Desk & co"


@pytest.mark.parametrize(
    "link",
    [
        "https://tickets?board=1",
        "dispatch-desk://settings",
        "dispatch-desk://tickets?board=abc",
        "dispatch-desk://tickets?closed=maybe",
        "dispatch-desk://tickets?assigned=somebody",
        "dispatch-desk://tickets?status=1&status_name=New",
        "dispatch-desk://tickets?sort=password%20desc",
    ],
)
def test_bad_links_are_refused_with_a_link_error(link: str) -> None:
    with pytest.raises(LinkError):
        parse_link(link)


@pytest.mark.parametrize(
    ("link", "names"),
    [
        ("dispatch-desk://nope", ["Dispatch Desk ticket-list link"]),
        ("dispatch-desk://tickets?board=abc", ["board", "“abc”"]),
        ("dispatch-desk://tickets?board=0", ["board", "“0”"]),
        ("dispatch-desk://tickets?closed=maybe", ["closed", "“maybe”"]),
        ("dispatch-desk://tickets?assigned=bob", ["assigned", "“bob”", "all, me, unassigned"]),
        ("dispatch-desk://tickets?sort=hack", ["sort", "“hack”"]),
        ("dispatch-desk://tickets?status=3&status_name=New", ["status", "“3”", "“New”"]),
    ],
)
def test_bad_links_are_explained_in_plain_words(link: str, names: list[str]) -> None:
    with pytest.raises(LinkError) as caught:
        parse_link(link)
    message = str(caught.value)
    assert message.startswith("This link can't be opened: ")
    for name in names:
        assert name in message
    for jargon in ("literal", "constrained", "Input should", "validation", "type=", "int_"):
        assert jargon not in message


filters_strategy = st.builds(
    TicketFilters,
    board_id=st.none() | st.integers(1, 10**6),
    status_name=st.none() | st.text(min_size=1, max_size=40).filter(str.strip),
    priority_id=st.none() | st.integers(1, 10**6),
    company_id=st.none() | st.integers(1, 10**6),
    assigned=st.sampled_from(["all", "me", "unassigned"]) | st.integers(1, 10**6),
    include_closed=st.booleans(),
    query=st.text(max_size=60),
    order_by=st.sampled_from(["id desc", "summary asc", "_info/lastUpdated desc"]),
)


@given(filters_strategy)
def test_any_filter_state_round_trips(filters: TicketFilters) -> None:
    assert parse_link(build_link(filters)).filters == filters
