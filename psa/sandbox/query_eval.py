"""Compiles a ``conditions`` AST to a fast record predicate (semantics documented in query.py)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Final, Literal

from psa.sandbox.query_parse import And, Comparison, InList, Node, Not, Or, Value

Predicate = Callable[[Mapping[str, Any]], bool]
Getter = Callable[[Mapping[str, Any]], Any]
Test = Callable[[Any], bool]


class Many:
    """Several values reached through a list on a path; a test matches if any of them does."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


def _walk(value: Any, keys: tuple[str, ...]) -> Any:
    """Slow path of a getter: a list was met, so fan out over its elements."""
    values = [value]
    for key in keys:
        spread: list[Any] = []
        for item in values:
            if isinstance(item, list):
                spread.extend(item)
            else:
                spread.append(item)
        values = [item.get(key) if isinstance(item, Mapping) else None for item in spread]
    flat: list[Any] = []
    for item in values:
        if isinstance(item, list):
            flat.extend(item)
        else:
            flat.append(item)
    # an empty list is a missing value, so that `x = null` holds for it
    return Many(flat or [None])


def make_getter(path: str) -> Getter:
    """Value at a slash path (None when any segment is missing; Many across lists)."""
    keys = tuple(path.split("/"))

    def get(record: Mapping[str, Any]) -> Any:
        value: Any = record
        for index, key in enumerate(keys):
            if type(value) is dict:
                value = value.get(key)
            elif value is None:
                return None
            elif isinstance(value, list):
                return _walk(value, keys[index:])
            elif isinstance(value, Mapping):
                value = value.get(key)
            else:
                return None
        if type(value) is list:
            return _walk(value, ())
        return value

    if len(keys) == 1:
        (only,) = keys

        def get_one(record: Mapping[str, Any]) -> Any:
            value = record.get(only)
            return _walk(value, ()) if type(value) is list else value

        return get_one
    if len(keys) == 2:
        outer, inner = keys

        def get_two(record: Mapping[str, Any]) -> Any:
            value = record.get(outer)
            if type(value) is dict:
                value = value.get(inner)
                return _walk(value, ()) if type(value) is list else value
            return None if value is None else get(record)

        return get_two
    return get


# --- LIKE ------------------------------------------------------------------------------------


def _char_class(body: str) -> str:
    """Regex class for the inside of a LIKE ``[...]`` (already casefolded)."""
    negated = body.startswith("^")
    if negated:
        body = body[1:]
    parts: list[str] = []
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            low, high = body[index], body[index + 2]
            if low <= high:  # a reversed range matches nothing, as on SQL Server
                parts.append(f"{re.escape(low)}-{re.escape(high)}")
            index += 3
        else:
            parts.append(re.escape(body[index]))
            index += 1
    if not parts:
        return "(?s:.)" if negated else "(?!)"
    return f"[{'^' if negated else ''}{''.join(parts)}]"


LikeWildcards = Literal["percent", "star", "both"]
LIKE_WILDCARDS: Final[tuple[LikeWildcards, ...]] = ("percent", "star", "both")
"""How ``like`` reads a pattern (the ``like_wildcards`` setting; see ``query.py``)."""


@lru_cache(maxsize=1024)
def like_regex(pattern: str, star_is_wildcard: bool) -> re.Pattern[str] | None:
    """SQL Server LIKE as a full-match regex over casefolded text; None if it matches nothing."""
    pattern = pattern.casefold()
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "%" or (char == "*" and star_is_wildcard):
            out.append(".*")
        elif char == "_":
            out.append(".")
        elif char == "[":
            close = pattern.find("]", index + 1)
            if close < 0:
                return None  # an unclosed [ matches nothing
            out.append(_char_class(pattern[index + 1 : close]))
            index = close
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out), re.DOTALL)


@lru_cache(maxsize=1024)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """``like`` on a star-only server: ``*`` is any run of characters, everything else literal."""
    return re.compile(".*".join(re.escape(part) for part in pattern.casefold().split("*")),
                      re.DOTALL)


def _text_of(value: Any) -> str | None:
    """What contains/like see of a record value (None: never matches)."""
    if type(value) is str:
        return value.casefold()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").casefold()
    return None


def _pattern_test(op: str, literal: Value, like_wildcards: LikeWildcards) -> Test:
    text = _text_of(literal)
    if literal is None or text is None:
        return lambda _value: False
    if op == "contains":
        if not any(char in text for char in "%_["):
            return lambda value: (seen := _text_of(value)) is not None and text in seen
        regex = like_regex(f"%{text}%", False)
    elif like_wildcards == "star":
        regex = glob_regex(text)
    else:
        regex = like_regex(text, like_wildcards == "both")
    if regex is None:
        return lambda _value: False
    match = regex.fullmatch
    return lambda value: (seen := _text_of(value)) is not None and match(seen) is not None


# --- comparisons -----------------------------------------------------------------------------

_NO: Final = object()  # a record value that cannot be compared with the literal
_ORDER: Final[Mapping[str, Callable[[Any, Any], bool]]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_BOOL_WORDS: Final[Mapping[str, bool]] = {"true": True, "false": False, "1": True, "0": False}


def _to_number(value: Any) -> Any:
    if isinstance(value, int | float):  # bool included: SQL's bit is a number
        return value
    if type(value) is str:
        try:
            return float(value) if "." in value or "e" in value.casefold() else int(value)
        except ValueError:
            return _NO
    return _NO


def _to_datetime(value: Any) -> Any:
    if type(value) is str:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return _NO
    elif isinstance(value, datetime):
        moment = value
    else:
        return _NO
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _to_text(value: Any) -> Any:
    if type(value) is str:
        return value.casefold()
    if isinstance(value, bool | int | float):
        return _text_of(value)
    return _NO


def _to_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 if value in (0, 1) else _NO
    if type(value) is str:
        return _BOOL_WORDS.get(value.casefold(), _NO)
    return _NO


def _keyed(literal: Value) -> tuple[Any, Callable[[Any], Any]]:
    """The literal as a comparison key plus the converter that maps record values to its kind."""
    if isinstance(literal, bool):
        return literal, _to_bool
    if isinstance(literal, int | float):
        return literal, _to_number
    if isinstance(literal, datetime):
        return literal, _to_datetime
    assert isinstance(literal, str)
    return literal.casefold(), _to_text


def _is_cw_time(value: str) -> bool:
    return len(value) == 20 and value[10] == "T" and value[19] == "Z"


def _datetime_test(compare: Callable[[Any, Any], bool], literal: datetime) -> Test:
    # ConnectWise's own second-precision form orders like the instant it names
    canonical = literal.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    exact = literal.microsecond == 0

    def test(value: Any) -> bool:
        if exact and type(value) is str and _is_cw_time(value):
            return compare(value, canonical)
        key = _to_datetime(value)
        return compare is operator.ne if key is _NO else compare(key, literal)

    return test


def _string_literal_as(literal: str, value: Any) -> Any:
    """A string literal against a number/bool value converts like SQL Server would (or _NO)."""
    if isinstance(value, bool):
        return _to_bool(literal.strip())
    if isinstance(value, int | float):
        return _to_number(literal.strip())
    return _NO


def comparison_test(op: str, literal: Value, like_wildcards: LikeWildcards = "both") -> Test:
    """Test for one (non-list) record value; None values are handled here too."""
    if op in ("contains", "like"):
        return _pattern_test(op, literal, like_wildcards)
    compare = _ORDER[op]
    if literal is None:
        if op in ("=", "!="):
            return lambda value: compare(value, None)
        return lambda _value: False
    if isinstance(literal, datetime):
        return _datetime_test(compare, literal)
    key, convert = _keyed(literal)
    text_literal = literal if isinstance(literal, str) else None
    missing = op == "!="  # `!=` is the exact negation of `=`, also for missing values

    def test(value: Any) -> bool:
        if value is None:
            return missing
        if text_literal is not None and type(value) is not str:
            as_value = _string_literal_as(text_literal, value)
            if as_value is not _NO:
                return bool(compare(value, as_value))
        converted = convert(value)
        if converted is _NO:
            return missing
        return bool(compare(converted, key))

    return _fast_path(compare, literal, key, test)


def _fast_path(compare: Callable[[Any, Any], bool], literal: Value, key: Any, slow: Test) -> Test:
    """Skip the conversions for the usual case: a value of the literal's own kind."""
    if isinstance(literal, str):

        def text_test(value: Any) -> bool:
            if type(value) is str:
                return compare(value.casefold(), key)
            return slow(value)

        return text_test
    if type(literal) is int or type(literal) is float:

        def number_test(value: Any) -> bool:
            kind = type(value)
            if kind is int or kind is float:
                return compare(value, key)
            return slow(value)

        return number_test
    return slow


def in_list_test(values: tuple[Value, ...]) -> Test:
    """``in (...)``: a set lookup for the usual all-int or all-string lists."""
    tests = [comparison_test("=", literal) for literal in values]

    def generic(value: Any) -> bool:
        return any(test(value) for test in tests)

    if values and all(type(v) is int for v in values):
        ints = frozenset(values)
        return lambda value: value in ints if type(value) is int else generic(value)
    if values and all(type(v) is str for v in values):
        texts = frozenset(str(v).casefold() for v in values)
        return lambda value: value.casefold() in texts if type(value) is str else generic(value)
    return generic


# --- nodes -----------------------------------------------------------------------------------


def _leaf(get: Getter, test: Test) -> Predicate:
    def predicate(record: Mapping[str, Any]) -> bool:
        value = get(record)
        if type(value) is Many:
            return any(test(item) for item in value.items)
        return test(value)

    return predicate


def _all(predicates: tuple[Predicate, ...]) -> Predicate:
    if not predicates:
        return lambda _record: True
    if len(predicates) == 2:
        first, second = predicates
        return lambda record: first(record) and second(record)
    if len(predicates) == 3:
        first, second, third = predicates
        return lambda record: first(record) and second(record) and third(record)
    return lambda record: all(predicate(record) for predicate in predicates)


def _any(predicates: tuple[Predicate, ...]) -> Predicate:
    if len(predicates) == 2:
        first, second = predicates
        return lambda record: first(record) or second(record)
    return lambda record: any(predicate(record) for predicate in predicates)


def compile_node(node: Node, like_wildcards: LikeWildcards = "both") -> Predicate:
    """A predicate for ``node``: built once, then cheap per record."""
    if isinstance(node, Comparison):
        test = comparison_test(node.op, node.value, like_wildcards)
        return _leaf(make_getter(node.field), test)
    if isinstance(node, InList):
        leaf = _leaf(make_getter(node.field), in_list_test(node.values))
        return (lambda record: not leaf(record)) if node.negated else leaf
    if isinstance(node, Not):
        inner = compile_node(node.item, like_wildcards)
        return lambda record: not inner(record)
    items = tuple(compile_node(item, like_wildcards) for item in node.items)
    if isinstance(node, And):
        return _all(items)
    assert isinstance(node, Or)
    return _any(items)


# Keyed by identity, not equality: Comparison(f, "=", 1) == Comparison(f, "=", True) as
# dataclasses, yet the two literals convert record values differently.
_COMPILED: dict[int, tuple[Node, Predicate]] = {}
_COMPILED_MAX: Final = 256


def evaluate(node: Node, record: Mapping[str, Any]) -> bool:
    """Whether ``record`` satisfies ``node`` (the compiled form is cached per node object)."""
    cached = _COMPILED.get(id(node))
    if cached is None or cached[0] is not node:
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        cached = (node, compile_node(node))
        _COMPILED[id(node)] = cached
    return cached[1](record)
