"""The sandbox's ``conditions``, ``orderBy`` and ``fields`` semantics (ConnectWise's dialect).

This docstring is the sandbox's published behaviour; clients must cope with it.

Grammar (keywords ``and or not in contains like true false null`` in any case)::

    conditions := or_expr | <blank>              blank matches every record
    or_expr    := and_expr ("or" and_expr)*      "and" binds tighter than "or"
    and_expr   := unary ("and" unary)*
    unary      := "not" unary | "(" or_expr ")" | comparison
    comparison := path op value                  op: = != < <= > >=
                | path ["not"] ("contains" | "like") value
                | path ["not"] "in" "(" value ("," value)* ")"
    value      := "..." | '...' | number | true | false | null | [datetime]

- Paths are slash-separated (``board/name``) and matched case-insensitively against the
  entity's FieldSet; ``lastUpdated``, ``dateEntered``, ``enteredBy`` and ``updatedBy`` stand for
  ``_info/...``. An unknown path is 400 ``ApiFindCondition`` ("foo is not a recognized name.",
  ConnectWise's wording); any other unparseable input is 400 ``InvalidQuery`` naming the 1-based
  character position. Nesting deeper than 64 levels is refused as InvalidQuery.
- Spaces around operators are optional: ``closedFlag=false``, ``id>=5``, ``summary contains"x"``.
- Strings have **no escape sequences**: a string ends at the first matching quote; the other
  quote character and backslashes are ordinary characters. So ``"it's"`` and ``'say "hi"'``
  work, but no string can contain both kinds of quote.
- Numbers: ``5``, ``-5``, ``2.5`` (int unless there is a decimal point). Datetimes:
  ``[2026-11-27T09:00:00Z]``; no ``Z`` means UTC; fractional seconds and ``+hh:mm`` offsets
  are accepted.
- AST: ``a and b and c`` is one ``And`` of three items (likewise ``Or``); a parenthesised group
  stays its own node; ``x not contains v`` is ``Not(Comparison(...))``; blank conditions parse
  to ``And(())``, which is true.

Evaluation:

- A path walks dicts segment by segment; a missing segment gives None. A list met on the way
  (or as the final value) fans out: the comparison holds if it holds for any element; an empty
  list counts as one None.
- Strings compare case-insensitively (casefold), like SQL Server's default collation, for
  ``=``, ``!=``, ordering, ``in``, ``contains`` and ``like``. A string literal against a
  number or boolean value is converted (``id = "5"``, ``closedFlag = "true"``); a number
  literal against a string value compares numerically if the string is a number.
- Two-valued logic: ``x = null`` holds when x is missing or None, ``x != null`` when it is
  not; ``!=`` is always the negation of ``=`` (so ``x != "a"`` holds when x is missing);
  ``<``, ``<=``, ``>``, ``>=`` are false for a missing value or a null literal; ``contains``
  and ``like`` are false for a missing value; ``not`` and ``not in`` negate plainly.
- With a ``[datetime]`` literal, record values (ConnectWise time strings) compare as instants.
- ``contains v`` is SQL Server ``LIKE '%v%'`` with ``v`` passed through **unescaped**:
  ``%`` matches any run of characters (also none), ``_`` exactly one character, ``[abc]`` one
  of a set, ``[a-z]`` a range, ``[^abc]`` / ``[^a-z]`` anything but; ``[%]``, ``[_]`` and
  ``[[]`` match the literal character. A class ends at the first ``]`` (``[]`` matches nothing,
  ``[^]`` any one character, a reversed range nothing); ``]`` outside a class is literal; an
  unclosed ``[`` makes the whole pattern match nothing. ``*`` is literal in ``contains``.
- ``like v`` is the same without the implicit ``%`` around ``v`` (it must match the whole
  value). Which characters are wildcards in ``like`` is the ``like_wildcards`` setting
  (``SandboxConfig``, ``--like-wildcards``, ``/_sandbox/config``), since API-NOTES reports both
  ``%`` and ``*`` without saying which servers take which:

  - ``both`` (default, the most plausible for ConnectWise: SQL Server LIKE behind an API layer
    that also maps ``*`` to ``%``): the SQL Server rules above, plus ``*`` as a synonym for
    ``%``.
  - ``percent``: plain SQL Server LIKE; ``*`` is an ordinary character.
  - ``star``: a glob-style server: ``*`` is the only wildcard and ``%``, ``_``, ``[`` are
    ordinary characters (so ``[_]`` means the three characters ``[_]``, not ``_``).

  ``contains`` is the same under every setting. A client that must be exact everywhere sends
  both spellings and checks anything a wildcard character in its own text could widen.
- Non-string values are matched by contains/like through their text: ``true``/``false``,
  ``5``, ``2.5``.

``orderBy``: ``"path [asc|desc], ..."`` (direction any case, default asc); None sorts first
ascending and last descending; strings sort case-insensitively; values of different kinds
order None < booleans/numbers < strings < anything else; ties are broken by ``id`` ascending.
Unknown path → ``ApiFindCondition``; a bad direction → ``InvalidQuery``.

``fields``: ``"id,summary,board/name"`` keeps only those paths (whitespace ignored); nested
paths keep their nesting (``{"board": {"name": ...}}``), across lists too; a named object
(``board``) is kept whole, so ``_info`` appears only when asked for, directly
(``_info``, ``_info/lastUpdated``, ``board/_info``) or inside a whole object. Unknown or
missing paths are left out. Key matching is case-insensitive. No fields: a shallow copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from psa.sandbox.query_eval import (
    LIKE_WILDCARDS,
    LikeWildcards,
    Many,
    compile_node,
    evaluate,
    make_getter,
)
from psa.sandbox.query_parse import (
    INFO_ALIASES,
    MATCH_ALL,
    And,
    Comparison,
    FieldSet,
    InList,
    Node,
    Not,
    Or,
    QueryError,
    Value,
    invalid,
    parse_conditions,
)

__all__ = [
    "INFO_ALIASES",
    "LIKE_WILDCARDS",
    "MATCH_ALL",
    "And",
    "Comparison",
    "FieldSet",
    "InList",
    "LikeWildcards",
    "Node",
    "Not",
    "Or",
    "QueryError",
    "Value",
    "compile_conditions",
    "compile_node",
    "evaluate",
    "parse_conditions",
    "project",
    "sort_records",
]


def compile_conditions(
    text: str | None, fields: FieldSet, like_wildcards: LikeWildcards = "both"
) -> Callable[[Mapping[str, Any]], bool]:
    """Parse ``text`` once and return a predicate for records (None/blank: always true)."""
    return compile_node(parse_conditions(text or "", fields), like_wildcards)


# --- orderBy ---------------------------------------------------------------------------------


def _parse_order_by(order_by: str, fields: FieldSet) -> list[tuple[str, bool]]:
    """``[(canonical path, descending), ...]``."""
    keys: list[tuple[str, bool]] = []
    offset = 0
    for part in order_by.split(","):
        words = part.split()
        if not words:
            raise invalid("Empty orderBy entry", offset)
        if len(words) > 2 or (len(words) == 2 and words[1].casefold() not in ("asc", "desc")):
            raise invalid(f"Expected 'asc' or 'desc' in orderBy {part.strip()!r}", offset)
        descending = len(words) == 2 and words[1].casefold() == "desc"
        keys.append((fields.resolve(words[0]), descending))
        offset += len(part) + 1
    return keys


def _sort_key(value: Any) -> tuple[int, Any]:
    """A total order over mixed values, None first."""
    if type(value) is Many:
        present = [item for item in value.items if item is not None]
        value = present[0] if present else None
    if value is None:
        return (0, 0)
    if isinstance(value, bool | int | float):
        return (1, value)
    if isinstance(value, str):
        return (2, value.casefold())
    return (3, str(value))


def _record_key(path: str) -> Callable[[Mapping[str, Any]], tuple[int, Any]]:
    get = make_getter(path)
    return lambda record: _sort_key(get(record))


def sort_records(
    records: Sequence[Mapping[str, Any]], order_by: str | None, fields: FieldSet
) -> list[Mapping[str, Any]]:
    """Records in ``orderBy`` order (a new list); blank order_by keeps the given order."""
    if order_by is None or not order_by.strip():
        return list(records)
    keys = _parse_order_by(order_by, fields)
    get_id = make_getter("id")
    result = sorted(records, key=lambda record: _sort_key(get_id(record)))
    # stable sorts, least significant key first; reverse=True keeps ties in id order
    for path, descending in reversed(keys):
        result.sort(key=_record_key(path), reverse=descending)
    return result


# --- fields ----------------------------------------------------------------------------------

FieldTree = dict[str, "FieldTree"]


def _field_tree(fields: str) -> FieldTree:
    """``"id,board/name,board/id"`` → ``{"id": {}, "board": {"name": {}, "id": {}}}``."""
    tree: FieldTree = {}
    for part in fields.split(","):
        segments = [segment.strip() for segment in part.split("/")]
        if not all(segments):
            continue
        node = tree
        for segment in segments:
            node = node.setdefault(segment, {})
    return tree


def _find_key(record: Mapping[str, Any], name: str) -> str | None:
    if name in record:
        return name
    folded = name.casefold()
    return next((key for key in record if key.casefold() == folded), None)


_ABSENT = object()  # a path that does not exist in the record


def _project(value: Any, tree: FieldTree) -> Any:
    if isinstance(value, list):
        items = (_project(item, tree) for item in value)
        return [item for item in items if item is not _ABSENT]
    if not isinstance(value, Mapping):
        return _ABSENT  # a sub-path of a scalar
    out: dict[str, Any] = {}
    for name, subtree in tree.items():
        key = _find_key(value, name)
        if key is None:
            continue
        kept = value[key] if not subtree else _project(value[key], subtree)
        if kept is not _ABSENT:
            out[key] = kept
    return out


def project(record: Mapping[str, Any], fields: str | None) -> dict[str, Any]:
    """``record`` reduced to the ``fields`` paths (a shallow copy when fields is blank)."""
    tree = _field_tree(fields or "")
    if not tree:
        return dict(record)
    projected: dict[str, Any] = _project(record, tree)
    return projected
