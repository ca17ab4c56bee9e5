"""The conditions builder: known fields only, typed values, safe literals, batching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from psa.connectwise.conditions import (
    MAX_PIECES,
    And,
    Comparison,
    F,
    InList,
    Or,
    all_of,
    batched_in,
    id_in,
    min_source_length,
    quote_literal,
    render_datetime,
    split_pieces,
    text_search,
)
from psa.connectwise.fields import KNOWN_FIELDS
from psa.sandbox.query import Comparison as SandboxComparison
from psa.sandbox.query import FieldSet, parse_conditions

FIELDS = FieldSet(frozenset(KNOWN_FIELDS))


def test_operators_render_the_connectwise_grammar() -> None:
    when = datetime(2026, 11, 27, 10, 0, 5, 999, tzinfo=timezone(timedelta(hours=1)))
    cond = (
        (F("board/id") == 3) & (F("status/name") != "Closed") & (F("id") > 10)
        & (F("id") <= 20) & (F("lastUpdated") >= when) & (F("closedFlag") == False)  # noqa: E712
        & F("owner/id").is_not_null() & F("parentTicketId").is_null()
    )
    assert cond.render() == (
        'board/id = 3 and status/name != "Closed" and id > 10 and id <= 20 and '
        "lastUpdated >= [2026-11-27T09:00:05Z] and closedFlag = false and owner/id != null "
        "and parentTicketId = null"
    )
    assert parse_conditions(cond.render(), FIELDS) is not None


def test_or_is_parenthesised_as_a_unit_and_not_wraps_its_operand() -> None:
    cond = (F("board/id") == 1) & ((F("owner/id") == 5) | (F("summary").contains("vpn")))
    assert cond.render() == 'board/id = 1 and (owner/id = 5 or summary contains "vpn")'
    assert (~(F("closedFlag") == True)).render() == "not (closedFlag = true)"  # noqa: E712
    assert ((F("id") == 1) | (F("id") == 2)).render() == "(id = 1 or id = 2)"
    nested = ((F("id") == 1) & (F("id") == 2)) | (F("id") == 3)
    assert nested.render() == "((id = 1 and id = 2) or id = 3)"


def test_and_or_flatten() -> None:
    a, b, c = F("id") == 1, F("id") == 2, F("id") == 3
    assert a & b & c == And((a, b, c))
    assert a | b | c == Or((a, b, c))
    assert all_of([None, a, None, b]) == And((a, b))
    assert all_of([None]) is None


@pytest.mark.parametrize("path", ["Summary", "summary; drop", "summary contains", "foo", "",
                                  "board/id = 1 or id", "summary)"])
def test_only_known_field_paths_are_accepted(path: str) -> None:
    with pytest.raises(ValueError, match="not a known"):
        F(path)


def test_operators_come_only_from_code() -> None:
    with pytest.raises(ValueError, match="operator"):
        Comparison("id", "= 1 or id =", 2)


def test_string_literals_take_the_quote_kind_they_lack() -> None:
    assert quote_literal("plain") == '"plain"'
    assert quote_literal('say "hi"') == "'say \"hi\"'"
    assert quote_literal("it's") == '"it\'s"'
    with pytest.raises(ValueError, match="both quote kinds"):
        quote_literal("it's \"x\"")
    with pytest.raises(ValueError, match="both quote kinds"):
        F("status/name") == "a'b\"c"  # noqa: B015


def test_ids_are_ints_and_bools_are_refused() -> None:
    assert id_in("id", [3, 1, 3, 2]).render() == "id in (3,1,2)"
    with pytest.raises(TypeError):
        id_in("id", [True])
    with pytest.raises(TypeError):
        id_in("id", ["1 or 1=1"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="at least one"):
        F("id").in_([])
    for bad in (True, "5", 5.0):
        with pytest.raises(TypeError):
            F("board/id") == bad  # noqa: B015
    with pytest.raises(TypeError):
        F("company/id").in_(["5"])
    assert (F("owner/id") == None).render() == "owner/id = null"  # noqa: E711
    assert F("status/name").in_(["New", "it's"]).render() == 'status/name in ("New","it\'s")'
    assert F("id").not_in([1]).render() == "id not in (1)"


def test_datetimes_must_be_aware_and_render_in_utc_seconds() -> None:
    assert render_datetime(datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)) == (
        "[2026-01-02T03:04:05Z]"
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        F("lastUpdated") > datetime(2026, 1, 1)  # noqa: B015


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object()])
def test_unrenderable_values_are_refused(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        Comparison("id", "=", value)  # type: ignore[arg-type]


def test_contains_refuses_wildcards_for_code_supplied_text() -> None:
    with pytest.raises(ValueError, match="text_search"):
        F("summary").contains("50%")


def test_batched_in_keeps_every_batch_under_the_limit_and_every_id_once() -> None:
    ids = [*range(100_000, 101_000), 100_005]
    batches = batched_in("id", ids, max_len=300)
    assert all(len(b.render()) <= 300 for b in batches)
    seen = [v for b in batches if isinstance(b, InList) for v in b.values]
    assert seen == list(range(100_000, 101_000))
    assert batched_in("id", []) == []
    with pytest.raises(ValueError, match="cannot hold"):
        batched_in("id", [123456789], max_len=10)


def test_text_search_over_ticket_fields_matches_number_only_when_all_digits() -> None:
    digits = text_search(["summary", "id"], "1234")
    assert digits.condition is not None
    assert digits.condition.render() == '(summary contains "1234" or id = 1234)'
    assert digits.matches(["no", "1234"]) and digits.matches(["x 1234 y", None])
    assert not digits.matches(["123", "12345"])
    words = text_search(["summary", "id"], "12a")
    assert words.condition is not None and words.condition.render() == 'summary contains "12a"'
    only_id = text_search(["id"], "printer")
    assert only_id.impossible and only_id.condition is None and not only_id.matches(["1"])


def test_text_with_both_quotes_becomes_an_and_of_pieces_verified_client_side() -> None:
    search = text_search(["summary"], "it's \"down\"")
    assert search.pieces == ("it", 's "down"')  # cut at the rarer quote kind
    assert search.needs_verification
    assert search.condition is not None
    assert search.condition.render() == 'summary contains "it" and summary contains \'s "down"\''
    assert search.matches(["Printer: it's \"down\" again"])
    assert not search.matches(["it's down"])


def test_wildcards_are_cut_out_and_verified() -> None:
    search = text_search(["summary"], "50% off")
    assert search.pieces == ("50", " off")
    assert search.needs_verification
    assert search.matches(["Get 50% off"]) and not search.matches(["50 or more off"])
    only_wild = text_search(["summary", "company/name"], "%_")
    assert only_wild.condition is None and only_wild.needs_verification
    assert not only_wild.impossible
    assert only_wild.matches(["100%_x", None]) and not only_wild.matches(["%", "_"])


def test_over_long_text_is_impossible_and_needs_no_request() -> None:
    assert text_search(["summary"], "x" * 101).impossible
    assert not text_search(["summary"], "x" * 100).impossible
    long_company = text_search(["summary", "company/name"], "y" * 60)
    assert not long_company.impossible
    assert long_company.searchable_fields == ("summary",)
    # One character can casefold to several: "ß" * 60 (60 chars) holds "ss" * 60 (120 chars).
    assert min_source_length("ss" * 60) == 60
    assert not text_search(["summary"], "ss" * 60).impossible


def test_control_characters_stay_in_the_literal() -> None:
    search = text_search(["summary"], "a\nb\x00c\td")
    assert search.pieces == ("a\nb\x00c\td",)
    assert not search.needs_verification
    assert search.condition is not None
    assert parse_conditions(search.condition.render(), FIELDS) == SandboxComparison(
        "summary", "contains", "a\nb\x00c\td"
    )


def test_many_pieces_are_capped_to_the_longest() -> None:
    text = "%".join(f"p{i:02d}" + "x" * (i % 5) for i in range(20))
    pieces, cut = split_pieces(text)
    assert cut and len(pieces) == MAX_PIECES
    assert all(len(p) >= 6 for p in pieces)


def test_text_search_needs_fields_and_text() -> None:
    with pytest.raises(ValueError, match="at least one field"):
        text_search([], "x")
    with pytest.raises(ValueError, match="not a known"):
        text_search(["summary; drop"], "x")
    with pytest.raises(TypeError):
        text_search(["summary"], 5)  # type: ignore[arg-type]
