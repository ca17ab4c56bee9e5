"""Typed builder for ConnectWise ``conditions`` and safe free-text search over it.

ConnectWise documents no escape sequence for string literals, so nothing here escapes. Instead:

* Field names and operators come only from code: ``F(path)`` accepts only paths listed in
  ``KNOWN_FIELDS`` and operators are methods, so no user string becomes a field or an operator.
* Numbers are rendered from ``int`` (``bool`` refused where an id is expected), datetimes as
  ``[YYYY-MM-DDTHH:MM:SSZ]`` in UTC, strings by ``quote_literal``: a value is wrapped in the quote
  kind it does not contain, so it cannot close its quote. A value holding both kinds cannot be a
  single literal; builders refuse it, and ``text_search`` splits it.

Free text (``text_search``) must neither break out of its literal nor lose characters:

* The text is cut into *pieces* at characters a server may treat as wildcards inside
  ``contains`` (``%``, ``_``, ``[``, and ``*`` which ``like`` treats as ``%``), at backslashes
  (so no literal can end in one, whatever a server makes of ``\\``) and, when it holds
  both quote kinds, at the rarer quote kind. Each piece is searched with ``contains``; the pieces
  of one field are ANDed; the fields are ORed and the OR is parenthesised as a unit, so it cannot
  merge with surrounding ``and`` clauses. When the text had to be cut, the server's answer is a
  *superset* (every record containing the whole text contains every piece), and
  ``TextSearch.needs_verification`` is set: the caller keeps only records for which
  ``TextSearch.matches`` is true, which compares the full text, case-insensitively, with nothing
  dropped. Control characters stay in the literal: they cannot end a quoted string.
* A text with no searchable piece (only wildcards/quotes) gives ``condition is None`` and
  ``needs_verification``: the caller must scan a bounded candidate set client-side.
* A text longer than every searched field can hold (``FIELD_MAX_LENGTHS``) is ``impossible``:
  it matches nothing and needs no request. Numeric fields (``id``) match only an all-digit text,
  as ``id = N``.

Keeping totals honest when verification filters (the ticket service does this): when
``needs_verification`` is false the server's ``/count`` is the total. When it is true, the
service fetches the candidates' ids and the verified fields only (``fields=id,summary,...``,
bounded, e.g. ≤ 5,000 candidates), applies ``matches``, reports ``total`` = number of verified
matches and pages over the verified ids; above the bound it reports that the total is a lower
bound rather than a server count that would include near-misses.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from psa.connectwise.fields import FIELD_MAX_LENGTHS, KNOWN_FIELDS, NUMERIC_FIELDS

WILDCARD_CHARS = frozenset("%_[*")
"""Characters a LIKE-based server may expand inside ``contains``/``like`` values."""
CUT_CHARS = WILDCARD_CHARS | {"\\"}
"""Where free text is cut into pieces: the wildcards and backslash. ConnectWise documents no
escape sequence, but a server that read ``\\`` as one would let a value ending in ``\\``
escape its closing quote and leave the string open; a piece never holds one."""
MAX_PIECES = 8
"""More pieces only narrow the superset a little but lengthen the URL: keep the longest."""
MAX_ID = 2**31 - 1

Scalar = int | float | bool | str | datetime | None


def quote_literal(value: str) -> str:
    """``value`` as a string literal it cannot escape; ValueError when it has both quote kinds."""
    if not isinstance(value, str):
        raise TypeError(f"expected str, got {type(value).__name__}")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    raise ValueError(
        "a value holding both quote kinds cannot be one ConnectWise literal; use text_search"
    )


def render_datetime(value: datetime) -> str:
    """``[YYYY-MM-DDTHH:MM:SSZ]`` in UTC, second precision; naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("conditions need timezone-aware datetimes")
    return "[" + value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + "]"


def render_value(value: Scalar) -> str:
    """Render one literal: bool, int, finite float, str, aware datetime or None (``null``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("conditions need finite numbers")
        return repr(value)
    if isinstance(value, datetime):
        return render_datetime(value)
    if isinstance(value, str):
        return quote_literal(value)
    raise TypeError(f"unsupported condition value type {type(value).__name__}")


def _check_field(path: str) -> str:
    if path not in KNOWN_FIELDS:
        raise ValueError(f"{path!r} is not a known ConnectWise field path")
    return path


def _check_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an int id, got {type(value).__name__}")
    return value


class Cond:
    """A condition tree; ``render()`` gives the ``conditions`` string. Combine with & | ~."""

    def render(self) -> str:
        raise NotImplementedError

    def _render_nested(self) -> str:
        return self.render()

    def __and__(self, other: Cond) -> Cond:
        return And.of(self, other)

    def __or__(self, other: Cond) -> Cond:
        return Or.of(self, other)

    def __invert__(self) -> Cond:
        return Not(self)

    def __str__(self) -> str:
        return self.render()


_OPS = frozenset({"=", "!=", "<", "<=", ">", ">=", "contains", "like"})


@dataclass(frozen=True)
class Comparison(Cond):
    """``field op value``; ``field`` must be known, ``op`` one of the grammar's operators."""

    field: str
    op: str
    value: Scalar

    def __post_init__(self) -> None:
        _check_field(self.field)
        if self.op not in _OPS:
            raise ValueError(f"unknown operator {self.op!r}")
        if self.field in NUMERIC_FIELDS and self.value is not None:
            _check_id(self.value)  # ids are ints: no bool, no text
        render_value(self.value)  # fail at construction, not at render time

    def render(self) -> str:
        return f"{self.field} {self.op} {render_value(self.value)}"


@dataclass(frozen=True)
class InList(Cond):
    """``field in (v1, v2)`` / ``field not in (...)``; values are ints or quotable strings."""

    field: str
    values: tuple[int | str, ...]
    negated: bool = False

    def __post_init__(self) -> None:
        _check_field(self.field)
        if not self.values:
            raise ValueError("an in (...) list needs at least one value")
        for value in self.values:
            if isinstance(value, str) and self.field not in NUMERIC_FIELDS:
                quote_literal(value)
            else:
                _check_id(value)

    def render(self) -> str:
        inner = ",".join(render_value(v) for v in self.values)
        return f"{self.field} {'not in' if self.negated else 'in'} ({inner})"


@dataclass(frozen=True)
class Not(Cond):
    item: Cond

    def render(self) -> str:
        return f"not ({self.item.render()})"


@dataclass(frozen=True)
class And(Cond):
    items: tuple[Cond, ...]

    @staticmethod
    def of(*items: Cond) -> Cond:
        flat = _flatten(And, items)
        return flat[0] if len(flat) == 1 else And(tuple(flat))

    def render(self) -> str:
        return " and ".join(item._render_nested() for item in self.items)

    def _render_nested(self) -> str:
        return f"({self.render()})"


@dataclass(frozen=True)
class Or(Cond):
    items: tuple[Cond, ...]

    @staticmethod
    def of(*items: Cond) -> Cond:
        flat = _flatten(Or, items)
        return flat[0] if len(flat) == 1 else Or(tuple(flat))

    def render(self) -> str:
        # Always parenthesised: an OR must never merge with clauses a caller ANDs around it.
        return "(" + " or ".join(item._render_nested() for item in self.items) + ")"


def _flatten(kind: type[And] | type[Or], items: Iterable[Cond]) -> list[Cond]:
    flat: list[Cond] = []
    for item in items:
        if not isinstance(item, Cond):
            raise TypeError(f"expected Cond, got {type(item).__name__}")
        if isinstance(item, kind):
            flat.extend(item.items)
        else:
            flat.append(item)
    if not flat:
        raise ValueError("nothing to combine")
    return flat


def all_of(items: Iterable[Cond | None]) -> Cond | None:
    """AND of the non-None conditions, or None when there are none."""
    present = [item for item in items if item is not None]
    return And.of(*present) if present else None


@dataclass(frozen=True, eq=False)
class Field:
    """A known field path; operators build conditions (``F("board/id") == 3``)."""

    path: str

    def __post_init__(self) -> None:
        _check_field(self.path)

    def __hash__(self) -> int:
        return hash(("Field", self.path))

    def __eq__(self, value: Scalar) -> Cond:  # type: ignore[override]
        return Comparison(self.path, "=", value)

    def __ne__(self, value: Scalar) -> Cond:  # type: ignore[override]
        return Comparison(self.path, "!=", value)

    def __lt__(self, value: Scalar) -> Cond:
        return Comparison(self.path, "<", value)

    def __le__(self, value: Scalar) -> Cond:
        return Comparison(self.path, "<=", value)

    def __gt__(self, value: Scalar) -> Cond:
        return Comparison(self.path, ">", value)

    def __ge__(self, value: Scalar) -> Cond:
        return Comparison(self.path, ">=", value)

    def eq(self, value: Scalar) -> Cond:
        return Comparison(self.path, "=", value)

    def ne(self, value: Scalar) -> Cond:
        return Comparison(self.path, "!=", value)

    def contains(self, text: str) -> Cond:
        """A literal ``contains`` for text from code; user text goes through ``text_search``."""
        if any(ch in WILDCARD_CHARS for ch in text):
            raise ValueError("contains() refuses wildcard characters; use text_search")
        return Comparison(self.path, "contains", text)

    def in_(self, values: Iterable[int | str]) -> Cond:
        return InList(self.path, tuple(values))

    def not_in(self, values: Iterable[int | str]) -> Cond:
        return InList(self.path, tuple(values), negated=True)

    def is_null(self) -> Cond:
        return Comparison(self.path, "=", None)

    def is_not_null(self) -> Cond:
        return Comparison(self.path, "!=", None)


def F(path: str) -> Field:  # noqa: N802 - reads like the field reference it builds
    """The field at ``path``; ValueError unless it is in ``KNOWN_FIELDS``."""
    return Field(path)


def id_in(field_path: str, ids: Iterable[int]) -> Cond:
    """``field in (ids)`` with ids checked as ints (deduplicated, order kept)."""
    unique = list(dict.fromkeys(_check_id(i) for i in ids))
    return InList(_check_field(field_path), tuple(unique))


def batched_in(field_path: str, ids: Iterable[int], max_len: int = 1500) -> list[Cond]:
    """Split ``field in (...)`` into conditions each rendering to at most ``max_len`` chars.

    Keeps URLs under the ~2,000-character limit of IIS defaults (API-NOTES): one request per
    batch. Ids are checked as ints and deduplicated.
    """
    _check_field(field_path)
    unique = list(dict.fromkeys(_check_id(i) for i in ids))
    overhead = len(f"{field_path} in ()")
    batches: list[Cond] = []
    current: list[int] = []
    length = overhead
    for ident in unique:
        extra = len(str(ident)) + (1 if current else 0)
        if current and length + extra > max_len:
            batches.append(InList(field_path, tuple(current)))
            current, length = [], overhead
            extra = len(str(ident))
        if overhead + extra > max_len:
            raise ValueError(f"max_len {max_len} cannot hold even one id")
        current.append(ident)
        length += extra
    if current:
        batches.append(InList(field_path, tuple(current)))
    return batches


@dataclass(frozen=True)
class TextSearch:
    """A safe free-text search: the condition to send and how to verify what comes back."""

    text: str
    fields: tuple[str, ...]
    condition: Cond | None
    needs_verification: bool
    impossible: bool
    pieces: tuple[str, ...] = ()
    searchable_fields: tuple[str, ...] = field(default=())
    number: int | None = None

    def matches(self, record_values: Sequence[str | int | None]) -> bool:
        """Whether a record holds the full text: ``record_values`` align with ``fields``.

        Text fields match when the text occurs in them, case-insensitively (casefold); numeric
        fields when the text is that number. Only fields the search could match are considered.
        """
        if self.impossible:
            return False
        if not self.text:
            return True
        needle = self.text.casefold()
        for path, value in zip(self.fields, record_values, strict=True):
            if path not in self.searchable_fields or value is None:
                continue
            if path in NUMERIC_FIELDS:
                if self.number is not None and _as_int(value) == self.number:
                    return True
            elif needle in str(value).casefold():
                return True
        return False


def _as_int(value: str | int) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def split_pieces(text: str) -> tuple[tuple[str, ...], bool]:
    """The searchable pieces of ``text`` and whether it had to be cut.

    Cuts at wildcard characters and backslashes and, when both quote kinds occur, at the rarer
    one; each piece then fits one literal that cannot widen on a LIKE server nor be escaped
    open by a server that reads backslash escapes.
    """
    cut = set(CUT_CHARS)
    if '"' in text and "'" in text:
        cut.add('"' if text.count('"') <= text.count("'") else "'")
    if not any(ch in cut for ch in text):
        return ((text,) if text else ()), False
    pattern = "[" + re.escape("".join(sorted(cut))) + "]"
    pieces = [p for p in re.split(pattern, text) if p]
    unique = list(dict.fromkeys(pieces))
    if len(unique) > MAX_PIECES:
        # Fewer pieces only widen the superset, which verification narrows again.
        keep = set(sorted(unique, key=len, reverse=True)[:MAX_PIECES])
        unique = [p for p in unique if p in keep][:MAX_PIECES]
    return tuple(unique), True


@cache
def _expansion_fragments() -> frozenset[str]:
    """Substrings (2-3 chars) of every multi-character casefold, e.g. "ss" from "ß"."""
    fragments: set[str] = set()
    for code in range(sys.maxunicode + 1):
        folded = chr(code).casefold()
        for size in range(2, len(folded) + 1):
            fragments.update(folded[i:i + size] for i in range(len(folded) - size + 1))
    return frozenset(fragments)


def min_source_length(text: str) -> int:
    """A lower bound on the length of any value whose casefold contains ``text``'s casefold.

    Matching is case-insensitive by casefolding, and one character can fold to up to three
    ("ß" → "ss"), so a value shorter than ``text`` may still contain it: "ß" * 60 holds
    "ss" * 60. Only when even this bound exceeds a column's size is a search impossible.
    """
    folded = text.casefold()
    if len(folded) <= 1:
        return len(folded)
    fragments = _expansion_fragments()  # built once, on the first over-long search
    best = [0] * (len(folded) + 1)
    for start in range(len(folded) - 1, -1, -1):
        cost = 1 + best[start + 1]
        for size in (2, 3):
            chunk = folded[start:start + size]
            if len(chunk) == size and chunk in fragments:
                cost = min(cost, 1 + best[start + size])
        best[start] = cost
    return best[0]


def _fits(text: str, path: str) -> bool:
    limit = FIELD_MAX_LENGTHS.get(path)
    if limit is None or len(text) <= limit:
        return True
    return min_source_length(text) <= limit


def _number_of(text: str) -> int | None:
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit()):
        return None
    number = int(stripped)
    return number if 0 < number <= MAX_ID else None


def text_search(fields: Sequence[str], text: str) -> TextSearch:
    """Search ``text`` in ``fields`` (OR across fields) without injection or lost characters.

    See the module docstring for the guarantees and what the caller must do when
    ``needs_verification`` or ``impossible`` is set.
    """
    paths = tuple(_check_field(p) for p in fields)
    if not paths:
        raise ValueError("text_search needs at least one field")
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    if not text:
        return TextSearch(text, paths, None, False, False, (), paths)
    number = _number_of(text)
    pieces, was_cut = split_pieces(text)
    searchable = tuple(
        p for p in paths if (number is not None if p in NUMERIC_FIELDS else _fits(text, p))
    )
    if not searchable:
        return TextSearch(text, paths, None, False, True, pieces, (), number)
    clauses: list[Cond] = []
    for path in searchable:
        if path in NUMERIC_FIELDS:
            clauses.append(Comparison(path, "=", number))
        elif pieces:
            clauses.append(And.of(*(Comparison(path, "contains", p) for p in pieces)))
    text_fields = [p for p in searchable if p not in NUMERIC_FIELDS]
    if text_fields and not pieces:
        # Nothing the server can search for: the caller verifies a bounded scan client-side.
        return TextSearch(text, paths, None, True, False, pieces, searchable, number)
    condition = Or.of(*clauses) if clauses else None
    return TextSearch(text, paths, condition, was_cut, False, pieces, searchable, number)
