"""Property tests: no search text changes the parsed conditions, and searches lose nothing.

Both are proved against the sandbox's own parser and evaluator (psa.sandbox.query), which
implements ConnectWise's grammar with no escape sequences and ``contains`` as an unescaped
SQL LIKE, so a quote breakout or a wildcard would change what it parses or returns.
"""

from __future__ import annotations

import os
import re
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from psa.connectwise.conditions import (
    CUT_CHARS,
    MAX_ID,
    MAX_PIECES,
    WILDCARD_CHARS,
    F,
    TextSearch,
    text_search,
)
from psa.connectwise.fields import FIELD_MAX_LENGTHS, KNOWN_FIELDS, NUMERIC_FIELDS
from psa.sandbox.query import And, Comparison, FieldSet, Node, Or, evaluate, parse_conditions

KEY = settings(max_examples=2000 if os.environ.get("CI") else 300)
FIELDS = FieldSet(frozenset(KNOWN_FIELDS))
TICKET_FIELDS = ("summary", "company/name", "id")

NASTY = [
    '"', "'", '"\'', "\\", "\\\"", "[", "]", "[%]", "[^a]", "(", ")", "((", "))", "%", "_", "*",
    "^", "-", ",", " ", "  ", "\t", "\n", "\r\n", "\x00", "\x1f", "\x7f", "\x85", "\u2028",
    "and", "or", "AND", "Or", "not", " or 1=1", '" or id > 0 or summary contains "',
    "' or '1'='1", ") or (", "contains", "like", "in (1,2)", "=", "!=", "<>", "null", "true",
    "[2026-01-01T00:00:00Z]", "1", "42", "007", "ß", "SS", "İ", "ı", "ﬁ", "Σ", "ς", "é",
    "e\u0301", "😀", "\u200b", "\u202e", "\ufeff", "Ǆ", "ǅ", "K", "Å",
]
chunks = st.one_of(st.sampled_from(NASTY), st.characters(), st.text(max_size=4))
texts = st.one_of(
    st.lists(chunks, max_size=24).map("".join),
    st.text(min_size=40, max_size=130),
    st.lists(st.sampled_from(["ss", "ß", "x", "%", '"', "'", "fi"]), min_size=45,
             max_size=70).map("".join),
    st.integers(min_value=0, max_value=2**33).map(str),
)
field_choices = st.sampled_from([
    ("summary",), ("summary", "company/name"), TICKET_FIELDS, ("company/name", "id"),
    ("firstName", "lastName"), ("name", "identifier"), ("id",),
])


def expected_ast(search: TextSearch) -> Node:
    """The AST the rendered condition must parse to: one contains per piece, nothing else."""
    per_field: list[Node] = []
    for path in search.searchable_fields:
        if path in NUMERIC_FIELDS:
            per_field.append(Comparison(path, "=", search.number))
            continue
        pieces = [Comparison(path, "contains", piece) for piece in search.pieces]
        per_field.append(pieces[0] if len(pieces) == 1 else And(tuple(pieces)))
    return per_field[0] if len(per_field) == 1 else Or(tuple(per_field))


def check_pieces(text: str, search: TextSearch) -> None:
    """The pieces are literal parts of the text that no server can widen or break out of."""
    both_quotes = '"' in text and "'" in text
    must_cut = both_quotes or any(ch in CUT_CHARS for ch in text)
    assert search.needs_verification == (must_cut and not search.impossible)
    if not must_cut and text:
        assert search.pieces == (text,)
    for piece in search.pieces:
        assert piece and piece in text
        assert not any(ch in WILDCARD_CHARS for ch in piece)
        assert "\\" not in piece  # a backslash-escaping server could not reopen the literal
        assert not ('"' in piece and "'" in piece)
    assert len(search.pieces) <= MAX_PIECES
    assert len(set(search.pieces)) == len(search.pieces)


def check_fields(text: str, search: TextSearch) -> None:
    if not text:  # an empty search is no filter at all
        assert search.condition is None and not search.impossible
        assert not search.needs_verification and search.matches([None] * len(search.fields))
        return
    stripped = text.strip()
    is_number = stripped.isascii() and stripped.isdigit() and 0 < int(stripped) <= MAX_ID
    for path in search.fields:
        if path in NUMERIC_FIELDS:
            assert (path in search.searchable_fields) == is_number
        elif len(text) <= FIELD_MAX_LENGTHS.get(path, 10**9):
            assert path in search.searchable_fields
    assert search.impossible == (not search.searchable_fields and bool(text))


@KEY
@given(text=texts, fields=field_choices)
@example(text='a"b\'c', fields=TICKET_FIELDS)
@example(text='" or id > 0 or summary contains "', fields=TICKET_FIELDS)
@example(text="50%_off[1]*", fields=("summary",))
@example(text="%%__", fields=TICKET_FIELDS)
@example(text="ss" * 60, fields=("summary",))
@example(text="C:\\temp\\", fields=TICKET_FIELDS)
@example(text='x\\" or id > 0 or summary contains "\\', fields=TICKET_FIELDS)
def test_no_text_adds_or_changes_a_clause(text: str, fields: tuple[str, ...]) -> None:
    search = text_search(fields, text)
    check_pieces(text, search)
    check_fields(text, search)
    if search.condition is None:
        assert search.impossible or not text or not search.pieces
        return
    intended = expected_ast(search)
    assert parse_conditions(search.condition.render(), FIELDS) == intended
    # Between other clauses the search stays one unit: it cannot escape into the ANDs.
    composed = (F("board/id") == 3) & search.condition & (F("closedFlag") == False)  # noqa: E712
    inner = intended.items if isinstance(intended, And) else (intended,)
    assert parse_conditions(composed.render(), FIELDS) == And(
        (Comparison("board/id", "=", 3), *inner, Comparison("closedFlag", "=", False))
    )


def near_misses(needle: str) -> list[str]:
    """Texts that resemble the needle but (mostly) do not contain it."""
    out = [needle[:-1], needle[1:], needle[::-1]]
    if needle:
        out.append(needle[: len(needle) // 2] + "\u00a0" + needle[len(needle) // 2:])
        out.append(re.sub(r"[%_\[*]", "x", needle))
        out.append(re.sub(r"[%_\[*]", "", needle))
        out.append(needle.replace('"', "'"))
        out.append(needle.replace("'", '"'))
        out.append(needle.replace("ss", "ß"))
        out.append(needle.replace("ß", "ss"))
    return out


def build_records(needle: str, extra: list[str]) -> list[dict[str, Any]]:
    containing = [needle, needle.upper(), needle.casefold(), f"pre {needle} post",
                  needle.swapcase(), needle + needle]
    values = containing + near_misses(needle) + extra
    records: list[dict[str, Any]] = []
    for index, value in enumerate(values):
        summary = value[: FIELD_MAX_LENGTHS["summary"]]
        company = values[(index * 7 + 3) % len(values)][: FIELD_MAX_LENGTHS["company/name"]]
        records.append({"id": index + 1, "summary": summary, "company": {"name": company}})
    stripped = needle.strip()
    if stripped.isascii() and stripped.isdigit() and 0 < int(stripped) <= MAX_ID:
        records.append({"id": int(stripped), "summary": "unrelated", "company": {"name": "x"}})
    return records


def truth(needle: str, record: dict[str, Any]) -> bool:
    folded = needle.casefold()
    stripped = needle.strip()
    number_hit = (stripped.isascii() and stripped.isdigit() and int(stripped) == record["id"])
    return (folded in record["summary"].casefold()
            or folded in record["company"]["name"].casefold() or number_hit)


def search_records(search: TextSearch, records: list[dict[str, Any]]) -> list[int]:
    """What a caller following the TextSearch contract returns, via the sandbox evaluator."""
    if search.impossible:
        return []
    if search.condition is None:
        candidates = records  # nothing to send: a bounded client-side scan
    else:
        node = parse_conditions(search.condition.render(), FIELDS)
        candidates = [r for r in records if evaluate(node, r)]
        # The server's answer must be a superset: verification can only remove.
        assert {r["id"] for r in records if truth(search.text, r)} <= {
            r["id"] for r in candidates
        }
    if search.needs_verification or search.condition is None:
        candidates = [
            r for r in candidates
            if search.matches([r["summary"], r["company"]["name"], r["id"]])
        ]
    return sorted(r["id"] for r in candidates)


@KEY
@given(needle=texts, extra=st.lists(texts, max_size=4))
@example(needle="50%", extra=["50 off", "500", "5%0"])
@example(needle="a_c", extra=["abc", "a_c", "A_C"])
@example(needle="[abc]", extra=["a", "[abc]", "b"])
@example(needle='it\'s "x"', extra=["its x", 'it\'s "x" ok'])
@example(needle="ss" * 55, extra=["ß" * 55])
@example(needle="42", extra=["ticket 42", "4 2"])
@example(needle="%", extra=["100%", "none"])
def test_search_returns_every_record_containing_the_text_and_no_other(
    needle: str, extra: list[str]
) -> None:
    records = build_records(needle, extra)
    search = text_search(TICKET_FIELDS, needle)
    expected = sorted(r["id"] for r in records if truth(needle, r))
    assert search_records(search, records) == expected


@KEY
@given(needle=texts)
def test_matches_agrees_with_the_full_text_ground_truth(needle: str) -> None:
    search = text_search(("summary",), needle)
    for raw in [needle, f"x{needle}y", needle.upper(), *near_misses(needle)]:
        value = raw[:100]
        assert search.matches([value]) == (needle.casefold() in value.casefold())
