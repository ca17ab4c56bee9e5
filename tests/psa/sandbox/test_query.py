"""Tests for the sandbox's conditions parser/evaluator, orderBy sorting and fields projection."""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from psa.sandbox.query import (
    MATCH_ALL,
    And,
    Comparison,
    FieldSet,
    InList,
    Node,
    Not,
    Or,
    QueryError,
    compile_conditions,
    evaluate,
    parse_conditions,
    project,
    sort_records,
)
from psa.sandbox.query_parse import MAX_DEPTH

FIELDS = FieldSet(
    frozenset(
        {
            "id",
            "summary",
            "closedFlag",
            "board/id",
            "board/name",
            "status/name",
            "owner/identifier",
            "budgetHours",
            "resources",
            "tags",
            "customFields/caption",
            "_info/lastUpdated",
            "_info/dateEntered",
            "_info/enteredBy",
            "_info/updatedBy",
        }
    )
)


def parse(text: str) -> Node:
    return parse_conditions(text, FIELDS)


def matches(text: str, record: dict[str, Any]) -> bool:
    return compile_conditions(text, FIELDS)(record)


def eq(field: str, value: Any) -> Comparison:
    return Comparison(field, "=", value)


# --- grammar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('summary = "Printer"', eq("summary", "Printer")),
        ("summary = 'Printer'", eq("summary", "Printer")),
        ('summary = "it\'s"', eq("summary", "it's")),
        ("summary = 'say \"hi\"'", eq("summary", 'say "hi"')),
        ('summary = "C:\\temp\\"', eq("summary", "C:\\temp\\")),
        ("summary = 'a\\'", eq("summary", "a\\")),
        ('summary = ""', eq("summary", "")),
        ('summary = "  spaced  "', eq("summary", "  spaced  ")),
        ("closedFlag=false", eq("closedFlag", False)),
        ("closedFlag = TRUE", eq("closedFlag", True)),
        ("id>=5", Comparison("id", ">=", 5)),
        ("id <= 5", Comparison("id", "<=", 5)),
        ("id<5", Comparison("id", "<", 5)),
        ("id >5", Comparison("id", ">", 5)),
        ("id!=5", Comparison("id", "!=", 5)),
        ("id = -5", eq("id", -5)),
        ("budgetHours = 2.5", eq("budgetHours", 2.5)),
        ("budgetHours=-0.25", eq("budgetHours", -0.25)),
        ('summary contains"x"', Comparison("summary", "contains", "x")),
        ("summary CONTAINS 'x'", Comparison("summary", "contains", "x")),
        ('summary Like "a%"', Comparison("summary", "like", "a%")),
        ("owner/identifier = null", eq("owner/identifier", None)),
        ("owner/identifier != NULL", Comparison("owner/identifier", "!=", None)),
        ("board/id in (1,2, 3)", InList("board/id", (1, 2, 3), negated=False)),
        ("board/id IN(1)", InList("board/id", (1,), negated=False)),
        ("status/name not in ('New', \"Closed\")", InList("status/name", ("New", "Closed"), True)),
        ("status/name NOT IN ('New')", InList("status/name", ("New",), True)),
        ('summary not contains "x"', Not(Comparison("summary", "contains", "x"))),
        ("not id = 1", Not(eq("id", 1))),
        ("NOT(id = 1)", Not(eq("id", 1))),
        ("not not id = 1", Not(Not(eq("id", 1)))),
        ("((id = 1))", eq("id", 1)),
        ("  id = 1  ", eq("id", 1)),
        ("id in (1, 'a', null, true, 2.5)", InList("id", (1, "a", None, True, 2.5), False)),
    ],
)
def test_grammar_cases_parse_to_the_expected_ast(text: str, expected: Node) -> None:
    assert parse(text) == expected


def test_field_names_are_canonicalised_case_insensitively_with_aliases() -> None:
    assert parse("BOARD/ID = 1") == eq("board/id", 1)
    assert parse("Summary = 'x'") == eq("summary", "x")
    assert parse("lastUpdated = null") == eq("_info/lastUpdated", None)
    assert parse("DateEntered = null") == eq("_info/dateEntered", None)
    assert parse("enteredBy = 'a'") == eq("_info/enteredBy", "a")
    assert parse("updatedby = 'a'") == eq("_info/updatedBy", "a")
    assert parse("_INFO/lastupdated = null") == eq("_info/lastUpdated", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[2026-11-27T09:00:00Z]", datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
        ("[2026-11-27T09:00:00]", datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
        ("[2026-11-27T09:00:00.250Z]", datetime(2026, 11, 27, 9, 0, 0, 250000, tzinfo=UTC)),
        ("[2026-11-27T09:00:00+02:00]", datetime(2026, 11, 27, 7, 0, tzinfo=UTC)),
        ("[ 2026-11-27T09:00:00z ]", datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
    ],
)
def test_datetime_literals_become_aware_utc(text: str, expected: datetime) -> None:
    node = parse(f"lastUpdated>{text}")
    assert node == Comparison("_info/lastUpdated", ">", expected)
    assert isinstance(node, Comparison)
    assert isinstance(node.value, datetime)
    assert node.value.utcoffset() is not None


def test_numbers_keep_int_and_float_apart() -> None:
    node = parse("id = 5")
    assert isinstance(node, Comparison)
    assert type(node.value) is int
    node = parse("id = 5.0")
    assert isinstance(node, Comparison)
    assert type(node.value) is float


def test_keywords_are_case_insensitive() -> None:
    assert parse("id = 1 AnD id = 2 oR NoT id iN (3)") == Or(
        (And((eq("id", 1), eq("id", 2))), Not(InList("id", (3,), False)))
    )


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_conditions_match_everything(text: str) -> None:
    assert parse(text) == MATCH_ALL
    assert compile_conditions(text, FIELDS)({})
    assert compile_conditions(None, FIELDS)({"id": 1})


# --- precedence ------------------------------------------------------------------------------


def test_and_binds_tighter_than_or() -> None:
    a, b, c = eq("id", 1), eq("id", 2), eq("id", 3)
    assert parse("id=1 or id=2 and id=3") == Or((a, And((b, c))))
    assert parse("id=1 and id=2 or id=3") == Or((And((a, b)), c))
    assert parse("(id=1 or id=2) and id=3") == And((Or((a, b)), c))


def test_chains_are_flat_but_parenthesised_groups_stay_nodes() -> None:
    a, b, c = eq("id", 1), eq("id", 2), eq("id", 3)
    assert parse("id=1 and id=2 and id=3") == And((a, b, c))
    assert parse("id=1 or id=2 or id=3") == Or((a, b, c))
    assert parse("(id=1 and id=2) and id=3") == And((And((a, b)), c))


def test_not_applies_to_the_next_operand_only() -> None:
    assert parse("not id=1 and id=2") == And((Not(eq("id", 1)), eq("id", 2)))


def test_precedence_shows_in_evaluation() -> None:
    record = {"id": 1, "closedFlag": True}
    # or(id=1, and(id=2, closed=false)) is true; and(or(...), closed=false) would be false
    assert matches("id = 1 or id = 2 and closedFlag = false", record)
    assert not matches("(id = 1 or id = 2) and closedFlag = false", record)
    assert not matches("id = 2 and closedFlag = true or id = 3", record)


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["foo = 1", "board/foo = 1", "id = 1 and nope in (1)", "board=1"])
def test_unknown_field_is_api_find_condition(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.code == "ApiFindCondition"
    assert "is not a recognized name" in caught.value.message
    assert caught.value.status == 400
    assert caught.value.body()["code"] == "ApiFindCondition"


@pytest.mark.parametrize(
    "text",
    [
        'summary = "unterminated',
        "summary = 'unterminated",
        'summary = "a" "',
        "id = 1 id = 2",
        "id = 1)",
        "id = 1 garbage",
        "id =",
        "id",
        "= 5",
        "()",
        "(id = 1",
        "id = 1 and",
        "or id = 1",
        "not",
        "id in ()",
        "id in (1,)",
        "id in 1",
        "id not = 1",
        "id == 1",
        "id <> 1",
        "id = New",
        "id = [2026-13-01T00:00:00Z]",
        "id = [yesterday]",
        "id = [2026-11-27T09:00:00Z",
        "summary contains",
        "id = 5abc",
        "id = 1 & id = 2",
        "true = 1",
        "id = 1.2.3",
    ],
)
def test_bad_input_is_invalid_query_with_a_position(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.code == "InvalidQuery"
    assert "position" in caught.value.message
    assert caught.value.position is not None
    assert 0 <= caught.value.position <= len(text)


def test_error_position_points_at_the_offending_token() -> None:
    with pytest.raises(QueryError) as caught:
        parse("id = 1 garbage")
    assert caught.value.position == 7
    assert "position 8" in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000 + "id = 1" + ")" * 5000,
        "not " * 5000 + "id = 1",
        "(" * 100_000,
    ],
)
def test_deep_nesting_is_a_query_error_not_a_recursion_error(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.code == "InvalidQuery"


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    assert parse("(" * depth + "id = 1" + ")" * depth) == eq("id", 1)


def test_long_in_lists_and_chains_parse() -> None:
    ids = tuple(range(5000))
    assert parse(f"id in ({','.join(map(str, ids))})") == InList("id", ids, False)
    node = parse(" or ".join(f"id = {i}" for i in range(2000)))
    assert isinstance(node, Or)
    assert len(node.items) == 2000


# --- evaluation ------------------------------------------------------------------------------

TICKET: dict[str, Any] = {
    "id": 7,
    "summary": "Printer JAM on 2nd floor",
    "closedFlag": False,
    "budgetHours": 1.5,
    "board": {"id": 1, "name": "Help Desk"},
    "status": {"name": "New"},
    "resources": "jdoe, asmith",
    "_info": {"lastUpdated": "2026-11-27T09:00:00Z", "dateEntered": "2026-11-01T08:30:00Z"},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id = 7", True),
        ("id != 7", False),
        ("id > 6 and id < 8 and id >= 7 and id <= 7", True),
        ("id = 7.0", True),
        ("id = '7'", True),
        ("id > '10'", False),
        ("id in (1, 7)", True),
        ("id not in (1, 7)", False),
        ("id in ('7')", True),
        ("summary = 'printer jam on 2ND FLOOR'", True),
        ("summary != 'PRINTER JAM ON 2ND FLOOR'", False),
        ("status/name in ('new', 'closed')", True),
        ("status/name > 'm'", True),
        ("status/name < 'M'", False),
        ("closedFlag = false", True),
        ("closedFlag = true", False),
        ("closedFlag = 'false'", True),
        ("closedFlag != true", True),
        ("budgetHours > 1", True),
        ("budgetHours = 1.5", True),
        ("budgetHours = '1.5'", True),
        ("board/name = 'help desk' and board/id = 1", True),
        ("lastUpdated = [2026-11-27T09:00:00Z]", True),
        ("lastUpdated = [2026-11-27T10:00:00+01:00]", True),
        ("lastUpdated > [2026-11-27T08:59:59Z]", True),
        ("lastUpdated > [2026-11-27T09:00:00Z]", False),
        ("lastUpdated >= [2026-11-27T09:00:00Z]", True),
        ("lastUpdated < [2026-11-27T09:00:00.5Z]", True),
        ("lastUpdated > [2026-11-27T08:59:59.5Z]", True),
        ("dateEntered < [2026-11-02T00:00:00]", True),
        ("resources contains 'JDOE'", True),
        ("summary contains 'printer' and not summary contains 'toner'", True),
    ],
)
def test_evaluation_semantics(text: str, expected: bool) -> None:
    assert matches(text, TICKET) is expected


def test_evaluate_tells_equal_comparing_literals_of_different_types_apart() -> None:
    record = {"summary": "true"}
    assert not evaluate(Comparison("summary", "contains", 1), record)
    assert evaluate(Comparison("summary", "contains", True), record)
    assert not evaluate(Comparison("summary", "contains", 1), record)


def test_evaluate_matches_compile_conditions() -> None:
    node = parse("summary contains 'jam' and board/id in (1, 2)")
    assert evaluate(node, TICKET)
    assert not evaluate(node, {**TICKET, "board": {"id": 3}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("owner/identifier = null", True),
        ("owner/identifier != null", False),
        ("owner/identifier = 'x'", False),
        ("owner/identifier != 'x'", True),
        ("not owner/identifier = 'x'", True),
        ("owner/identifier > 'a'", False),
        ("owner/identifier < 'a'", False),
        ("owner/identifier contains ''", False),
        ("owner/identifier like '%'", False),
        ("owner/identifier in ('a', null)", True),
        ("owner/identifier in ('a')", False),
        ("owner/identifier not in ('a')", True),
        ("id > null", False),
        ("id = null", False),
        ("id != null", True),
        ("summary contains null", False),
    ],
)
def test_none_semantics(text: str, expected: bool) -> None:
    assert matches(text, {"id": 1, "summary": "s", "owner": None}) is expected
    assert matches(text, {"id": 1, "summary": "s"}) is expected  # missing behaves like None


def test_value_of_the_wrong_kind_never_matches_and_never_raises() -> None:
    record = {"id": 1, "summary": {"nested": True}, "board": "not-a-dict"}
    assert not matches("summary = 'x'", record)
    assert not matches("summary > 5", record)
    assert not matches("board/id = 1", record)
    assert matches("board/id = null", record)
    assert not matches("summary contains 'nested'", record)
    assert not matches("id > 'abc'", record)
    assert not matches("id < [2026-01-01T00:00:00Z]", record)
    assert not matches("summary > [2026-01-01T00:00:00Z]", {"summary": "not a time"})


def test_a_list_on_the_path_matches_if_any_element_matches() -> None:
    record = {
        "customFields": [{"caption": "Site"}, {"caption": "Asset Tag"}],
        "tags": ["urgent", "VIP"],
    }
    assert matches("customFields/caption = 'asset tag'", record)
    assert matches("customFields/caption contains 'sit'", record)
    assert not matches("customFields/caption = 'other'", record)
    assert matches("customFields/caption in ('x', 'site')", record)
    assert matches("tags = 'vip'", record)
    assert not matches("tags = 'low'", record)
    assert matches("tags != 'urgent'", record)  # some element differs
    assert not matches("not tags = 'urgent'", record)


def test_paths_walk_any_mapping_at_any_depth() -> None:
    record = MappingProxyType(
        {"board": MappingProxyType({"_info": {"board_href": "http://x/1"}, "id": 3})}
    )
    fields = FieldSet.from_records([record])
    assert compile_conditions("board/_info/board_href like 'http:%'", fields)(record)
    assert compile_conditions("board/id = 3", fields)(record)
    assert not compile_conditions("board/id = 4", fields)(record)
    assert compile_conditions("board/_info/board_href = null", fields)({"board": {"_info": 5}})
    assert compile_conditions("board/id = null", fields)({"board": 5})


def test_lists_fan_out_at_any_depth() -> None:
    record = {"board": {"_info": [{"board_href": "a"}, {"board_href": "b"}]}}
    fields = FieldSet.from_records([record])
    assert compile_conditions("board/_info/board_href = 'B'", fields)(record)
    assert not compile_conditions("board/_info/board_href = 'c'", fields)(record)


def test_an_empty_list_counts_as_null() -> None:
    assert matches("tags = null", {"tags": []})
    assert not matches("tags = 'x'", {"tags": []})
    assert matches("customFields/caption = null", {"customFields": []})


def test_contains_on_non_string_values_uses_their_text() -> None:
    assert matches("id contains 2", {"id": 123})
    assert matches("budgetHours contains '.5'", {"budgetHours": 2.5})
    assert matches("closedFlag contains 'tru'", {"closedFlag": True})
    assert matches("closedFlag like 'false'", {"closedFlag": False})


# --- LIKE ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "pattern", "value", "expected"),
    [
        ("contains", "jam", "Printer jam", True),
        ("contains", "JAM", "printer jam", True),
        ("contains", "", "anything", True),
        ("contains", "", "", True),
        ("contains", "50%", "50% off", True),
        ("contains", "50%", "50 cents", True),  # % is a wildcard, not a literal
        ("contains", "50[%]", "50 cents", False),
        ("contains", "50[%]", "save 50% now", True),
        ("contains", "a_c", "xabcx", True),
        ("contains", "a_c", "xacx", False),
        ("contains", "a[_]c", "abc", False),
        ("contains", "a[_]c", "a_c", True),
        ("contains", "[bc]at", "the cat", True),
        ("contains", "[bc]at", "the rat", False),
        ("contains", "[^b]at", "bat", False),
        ("contains", "[^b]at", "cat", True),
        ("contains", "[a-c]9", "B9", True),
        ("contains", "[a-c]9", "d9", False),
        ("contains", "[A-C]9", "b9", True),
        ("contains", "[^a-c]9", "d9", True),
        ("contains", "[c-a]", "b", False),
        ("contains", "[]", "x", False),
        ("contains", "[^]", "x", True),
        ("contains", "[[]x", "a[x", True),
        ("contains", "a]b", "a]b", True),
        ("contains", "[abc", "[abc", False),  # unclosed [ matches nothing
        ("contains", "[", "[", False),
        ("contains", "a*b", "a*b", True),  # * is literal in contains
        ("contains", "a*b", "axxb", False),
        ("contains", ".*", "anything", False),  # regex syntax is literal
        ("contains", ".*", "x.*y", True),
        ("contains", "line1%line2", "line1\nline2", True),
        ("contains", "a_b", "a\nb", True),
        ("contains", "ß", "STRASSE", True),
        ("like", "printer%", "Printer jam", True),
        ("like", "jam", "Printer jam", False),  # no implicit %
        ("like", "%JAM", "printer jam", True),
        ("like", "printer*", "Printer jam", True),
        ("like", "*jam*", "a jam b", True),
        ("like", "p_inter", "Printer", True),
        ("like", "p[rs]inter", "Psinter", True),
        ("like", "p[^r]inter", "Printer", False),
        ("like", "100[%]", "100%", True),
        ("like", "100[%]", "1000", False),
        ("like", "[a-", "[a-", False),
        ("like", "", "", True),
        ("like", "", "x", False),
        ("like", "a+b", "a+b", True),
        ("like", "a+b", "aab", False),
    ],
)
def test_like_semantics(op: str, pattern: str, value: str, expected: bool) -> None:
    quote = "'" if "'" not in pattern else '"'
    assert matches(f"summary {op} {quote}{pattern}{quote}", {"summary": value}) is expected


@pytest.mark.parametrize(
    ("pattern", "value", "percent", "star", "both"),
    [
        ("jdoe,%", "jdoe, asmith", True, False, True),
        ("jdoe,*", "jdoe, asmith", False, True, True),
        ("jdoe,*", "jdoe,*", True, True, True),
        ("jdoe,%", "jdoe,%", True, True, True),
        ("j_doe", "jxdoe", True, False, True),
        ("j[_]doe", "j_doe", True, False, True),
        ("j[_]doe", "j[_]doe", False, True, False),
        ("*, j_doe", "asmith, j_doe", False, True, True),
    ],
)
def test_like_wildcards_setting(
    pattern: str, value: str, percent: bool, star: bool, both: bool
) -> None:
    for mode, expected in (("percent", percent), ("star", star), ("both", both)):
        test = compile_conditions(f"summary like '{pattern}'", FIELDS, mode)  # type: ignore[arg-type]
        assert test({"summary": value}) is expected, mode
    # contains is the same under every setting
    for mode in ("percent", "star", "both"):
        test = compile_conditions("summary contains 'a_c'", FIELDS, mode)  # type: ignore[arg-type]
        assert test({"summary": "xabcx"})


# --- sort_records ----------------------------------------------------------------------------

ROWS: list[dict[str, Any]] = [
    {"id": 4, "summary": "beta", "board": {"id": 2}, "budgetHours": None},
    {"id": 1, "summary": "Alpha", "board": {"id": 1}, "budgetHours": 3},
    {"id": 3, "summary": "alpha", "board": {"id": 2}, "budgetHours": 1.5},
    {"id": 2, "summary": None, "board": {"id": 1}},
    {"id": 5, "summary": "Gamma", "board": None, "budgetHours": 3},
]


def ids(rows: list[Any]) -> list[int]:
    return [row["id"] for row in rows]


def test_sort_by_one_field_ascending_puts_none_first_and_breaks_ties_by_id() -> None:
    assert ids(sort_records(ROWS, "summary", FIELDS)) == [2, 1, 3, 4, 5]
    assert ids(sort_records(ROWS, "summary ASC", FIELDS)) == [2, 1, 3, 4, 5]


def test_sort_descending_puts_none_last_and_keeps_id_ties_ascending() -> None:
    assert ids(sort_records(ROWS, "summary desc", FIELDS)) == [5, 4, 1, 3, 2]
    assert ids(sort_records(ROWS, "board/id DESC", FIELDS)) == [3, 4, 1, 2, 5]


def test_sort_by_several_keys() -> None:
    assert ids(sort_records(ROWS, "board/id desc, summary asc", FIELDS)) == [3, 4, 2, 1, 5]
    assert ids(sort_records(ROWS, "board/id,summary desc", FIELDS)) == [5, 1, 2, 4, 3]


def test_sort_handles_mixed_none_ints_and_floats() -> None:
    assert ids(sort_records(ROWS, "budgetHours", FIELDS)) == [2, 4, 3, 1, 5]
    mixed: list[dict[str, Any]] = [
        {"id": 1, "summary": 5},
        {"id": 2, "summary": "x"},
        {"id": 3, "summary": None},
    ]
    assert ids(sort_records(mixed, "summary", FIELDS)) == [3, 1, 2]


def test_sort_canonicalises_field_names_and_aliases() -> None:
    rows = [
        {"id": 1, "_info": {"lastUpdated": "2026-11-27T09:00:00Z"}},
        {"id": 2, "_info": {"lastUpdated": "2026-11-01T09:00:00Z"}},
    ]
    assert ids(sort_records(rows, "LastUpdated desc", FIELDS)) == [1, 2]
    assert ids(sort_records(rows, "_info/lastUpdated", FIELDS)) == [2, 1]


def test_sort_without_order_by_keeps_the_order_in_a_new_list() -> None:
    result = sort_records(ROWS, None, FIELDS)
    assert result == ROWS
    assert result is not ROWS
    assert ids(sort_records(ROWS, "  ", FIELDS)) == ids(ROWS)


def test_sort_by_unknown_field_is_api_find_condition() -> None:
    with pytest.raises(QueryError) as caught:
        sort_records(ROWS, "id, nope desc", FIELDS)
    assert caught.value.code == "ApiFindCondition"


@pytest.mark.parametrize("order_by", ["id sideways", "id asc desc", "id,,summary", ","])
def test_malformed_order_by_is_invalid_query(order_by: str) -> None:
    with pytest.raises(QueryError) as caught:
        sort_records(ROWS, order_by, FIELDS)
    assert caught.value.code == "InvalidQuery"


# --- project ---------------------------------------------------------------------------------

FULL: dict[str, Any] = {
    "id": 9,
    "summary": "Server down",
    "board": {"id": 1, "name": "Help Desk", "_info": {"board_href": "http://x/boards/1"}},
    "customFields": [{"id": 1, "caption": "Site", "value": "HQ"}, {"id": 2, "caption": "Tag"}],
    "_info": {"lastUpdated": "2026-11-27T09:00:00Z", "dateEntered": "2026-11-01T08:00:00Z"},
}


def test_project_keeps_only_the_listed_paths_with_nesting() -> None:
    assert project(FULL, "id,summary,board/name") == {
        "id": 9,
        "summary": "Server down",
        "board": {"name": "Help Desk"},
    }


def test_project_tolerates_whitespace_duplicates_and_case() -> None:
    assert project(FULL, " id , board/ID ,board / name, ID,, ") == {
        "id": 9,
        "board": {"id": 1, "name": "Help Desk"},
    }


def test_project_keeps_info_only_when_asked() -> None:
    assert "_info" not in project(FULL, "id,board/id")
    assert project(FULL, "_info/lastUpdated") == {"_info": {"lastUpdated": "2026-11-27T09:00:00Z"}}
    assert project(FULL, "id,_info") == {"id": 9, "_info": FULL["_info"]}
    assert project(FULL, "board/_info") == {"board": {"_info": FULL["board"]["_info"]}}
    assert project(FULL, "board") == {"board": FULL["board"]}  # a whole object stays whole


def test_project_walks_lists_and_ignores_unknown_paths() -> None:
    assert project(FULL, "customFields/caption,nope,board/nope,summary/deeper") == {
        "customFields": [{"caption": "Site"}, {"caption": "Tag"}],
        "board": {},
    }


@pytest.mark.parametrize("fields", [None, "", "  ", ","])
def test_project_without_fields_returns_a_copy(fields: str | None) -> None:
    result = project(FULL, fields)
    assert result == FULL
    assert result is not FULL


# --- FieldSet --------------------------------------------------------------------------------


def test_field_set_from_records_collects_paths_through_lists() -> None:
    fields = FieldSet.from_records([FULL])
    assert {"id", "board/name", "board/_info/board_href", "customFields/caption"} <= fields.paths
    assert fields.resolve("LASTUPDATED") == "_info/lastUpdated"
    assert hash(fields) == hash(FieldSet.from_records([FULL]))


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300)
@given(quote=st.sampled_from(["'", '"']), body=st.text())
def test_any_string_without_its_quote_round_trips(quote: str, body: str) -> None:
    body = body.replace(quote, "")
    assert parse(f"summary contains {quote}{body}{quote}") == Comparison(
        "summary", "contains", body
    )


@settings(max_examples=300)
@given(
    text=st.one_of(
        st.text(),
        st.text(alphabet="()'\"[]=<>!,%_*-.0123456789 andortinulkecsmyidAZ/\\\n"),
    )
)
def test_parsing_arbitrary_text_raises_only_query_error(text: str) -> None:
    try:
        parse(text)
    except QueryError as error:
        assert error.code in ("InvalidQuery", "ApiFindCondition")
    else:
        compile_conditions(text, FIELDS)(TICKET)  # whatever parses also evaluates


@settings(max_examples=200)
@given(
    value=st.text(alphabet="ab%_[]^-*xyz"),
    pattern=st.text(alphabet="ab%_[]^-*xyz", max_size=8),
)
def test_like_never_raises_and_contains_agrees_with_like_wrapped_in_percent(
    value: str, pattern: str
) -> None:
    record = {"summary": value}
    contains = compile_conditions(f"summary contains '{pattern}'", FIELDS)(record)
    if "*" not in pattern:
        assert contains == compile_conditions(f"summary like '%{pattern}%'", FIELDS)(record)


@settings(max_examples=200)
@given(value=st.text(), literal=st.text(alphabet="abcXYZ%_", max_size=5))
def test_not_equal_is_the_negation_of_equal(value: str, literal: str) -> None:
    record = {"summary": value}
    equal = matches(f"summary = '{literal}'", record)
    assert matches(f"summary != '{literal}'", record) is (not equal)
    assert matches(f"not summary = '{literal}'", record) is (not equal)
