"""Tokenizer and recursive-descent parser for ConnectWise's ``conditions`` (see query.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from psa.sandbox.errors import ApiError

Value = str | int | float | bool | None | datetime

#: ConnectWise lets these be used without their ``_info/`` prefix.
INFO_ALIASES: Final[Mapping[str, str]] = {
    "lastUpdated": "_info/lastUpdated",
    "dateEntered": "_info/dateEntered",
    "enteredBy": "_info/enteredBy",
    "updatedBy": "_info/updatedBy",
}

#: Deeper nesting (of parentheses or ``not``) is refused rather than risking RecursionError.
MAX_DEPTH: Final = 64

COMPARISON_OPS: Final = frozenset({"=", "!=", "<", "<=", ">", ">=", "contains", "like"})


class QueryError(ApiError):
    """A ``conditions``/``orderBy`` the sandbox refuses: HTTP 400 with ConnectWise's body.

    ``code`` is ``ApiFindCondition`` for an unknown field, ``InvalidQuery`` otherwise;
    ``position`` is the 0-based offset of the offending token when there is one.
    """

    def __init__(self, code: str, message: str, position: int | None = None) -> None:
        super().__init__(400, code, message)
        self.position = position


def unknown_field(name: str) -> QueryError:
    """ConnectWise's complaint about a field it does not know (its own wording)."""
    return QueryError("ApiFindCondition", f"{name} is not a recognized name.")


@dataclass(frozen=True)
class FieldSet:
    """The field paths an entity accepts in conditions/orderBy, plus ConnectWise's aliases."""

    paths: frozenset[str]
    aliases: Mapping[str, str] = field(default_factory=lambda: dict(INFO_ALIASES))

    def __post_init__(self) -> None:
        lookup = {path.casefold(): path for path in self.paths}
        for alias, target in self.aliases.items():
            lookup.setdefault(alias.casefold(), target)
        # cached once: resolve() runs for every field of every request
        object.__setattr__(self, "_lookup", lookup)

    def __hash__(self) -> int:
        return hash((self.paths, frozenset(self.aliases.items())))

    def resolve(self, path: str) -> str:
        """The canonical path for ``path`` (case-insensitive, aliases applied)."""
        lookup: dict[str, str] = self.__dict__["_lookup"]
        found = lookup.get(path.casefold())
        if found is None:
            raise unknown_field(path)
        return found

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], aliases: Mapping[str, str] | None = None
    ) -> FieldSet:
        """Every leaf path seen in ``records`` (lists are walked through), plus their parents."""
        paths: set[str] = set()
        for record in records:
            _collect_paths(record, "", paths)
        return cls(frozenset(paths), dict(INFO_ALIASES if aliases is None else aliases))


def _collect_paths(value: Any, prefix: str, out: set[str]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{prefix}{key}"
            out.add(path)
            _collect_paths(item, path + "/", out)
    elif isinstance(value, list):
        for item in value:
            _collect_paths(item, prefix, out)


# --- AST -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """``field op value``; op is one of COMPARISON_OPS."""

    field: str
    op: str
    value: Value


@dataclass(frozen=True)
class InList:
    """``field in (v, ...)`` or, negated, ``field not in (v, ...)``."""

    field: str
    values: tuple[Value, ...]
    negated: bool = False


@dataclass(frozen=True)
class Not:
    """``not <item>``."""

    item: Node


@dataclass(frozen=True)
class And:
    """All items hold (two or more; a parenthesised group stays its own node; none: true)."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any item holds (two or more; a parenthesised group stays its own node)."""

    items: tuple[Node, ...]


Node = Comparison | InList | Not | And | Or


# --- tokenizer -------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<op><=|>=|!=|=|<|>)
  | (?P<punct>[(),])
  | (?P<number>-?(?:\d+(?:\.\d*)?|\.\d+)(?![\w.]))
  | (?P<word>[A-Za-z_][A-Za-z0-9_/]*)
  | (?P<dt>\[[^\]]*\])
  | (?P<string>"[^"]*"|'[^']*')
    """,
    re.VERBOSE,
)

_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6})\d*)?"
    r"(Z|[+-]\d{2}:\d{2})?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One lexeme: its kind (ws excluded), its text and its 0-based offset."""

    kind: str
    text: str
    pos: int


def invalid(message: str, pos: int) -> QueryError:
    """InvalidQuery naming the (1-based) character position."""
    return QueryError("InvalidQuery", f"{message} at position {pos + 1}", pos)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; an unterminated string or bracket is an InvalidQuery."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            char = text[pos]
            if char in "\"'":
                raise invalid(f"Unterminated string starting with {char}", pos)
            if char == "[":
                raise invalid("Unterminated [datetime]", pos)
            raise invalid(f"Unexpected character {char!r}", pos)
        kind = match.lastgroup
        assert kind is not None
        if kind != "ws":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def parse_datetime(body: str, pos: int) -> datetime:
    """``2026-11-27T09:00:00Z`` (Z optional = UTC; fractional seconds and offsets allowed)."""
    match = _DATETIME.fullmatch(body.strip())
    if match is None:
        raise invalid(f"Invalid datetime [{body}]", pos)
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    micro = int((match.group(7) or "0").ljust(6, "0"))
    zone = (match.group(8) or "Z").upper()
    iso_zone = "+00:00" if zone == "Z" else zone
    try:
        moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
        offset = datetime.fromisoformat(f"2000-01-01T00:00:00{iso_zone}").utcoffset()
    except ValueError as exc:
        raise invalid(f"Invalid datetime [{body}] ({exc})", pos) from None
    assert offset is not None
    return moment - offset


# --- parser ----------------------------------------------------------------------------------

_LITERAL_WORDS: Final[Mapping[str, Value]] = {"true": True, "false": False, "null": None}
_KEYWORDS: Final = frozenset({"and", "or", "not", "in", "contains", "like", *_LITERAL_WORDS})


class _Parser:
    """Recursive descent over the token list; one instance per parse."""

    def __init__(self, text: str, fields: FieldSet) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.fields = fields
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def keyword(self) -> str | None:
        return self.token.text.casefold() if self.token.kind == "word" else None

    def advance(self) -> Token:
        token = self.token
        self.index += 1
        return token

    def expect_punct(self, char: str, what: str) -> None:
        if self.token.text != char or self.token.kind != "punct":
            raise invalid(f"Expected {what}, found {self.describe()}", self.token.pos)
        self.advance()

    def describe(self) -> str:
        return "end of conditions" if self.token.kind == "end" else repr(self.token.text)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise invalid(f"Conditions nested deeper than {MAX_DEPTH} levels", self.token.pos)

    def parse(self) -> Node:
        node = self.parse_or()
        if self.token.kind != "end":
            raise invalid(f"Unexpected {self.describe()}", self.token.pos)
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self.keyword() == "or":
            self.advance()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_unary()]
        while self.keyword() == "and":
            self.advance()
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self) -> Node:
        self.enter()
        try:
            if self.keyword() == "not":
                self.advance()
                return Not(self.parse_unary())
            if self.token.kind == "punct" and self.token.text == "(":
                self.advance()
                node = self.parse_or()
                self.expect_punct(")", "')'")
                return node
            return self.parse_comparison()
        finally:
            self.depth -= 1

    def parse_comparison(self) -> Node:
        token = self.token
        if token.kind != "word" or token.text.casefold() in _KEYWORDS:
            raise invalid(f"Expected a field name, found {self.describe()}", token.pos)
        self.advance()
        name = self.fields.resolve(token.text)
        negated = self.keyword() == "not"
        if negated:
            self.advance()
        word = self.keyword()
        if word == "in":
            self.advance()
            return InList(name, self.parse_list(), negated)
        if word in ("contains", "like"):
            self.advance()
            node: Node = Comparison(name, word, self.parse_value())
            return Not(node) if negated else node
        if self.token.kind == "op" and not negated:
            op = self.advance().text
            return Comparison(name, op, self.parse_value())
        expected = "'in', 'contains' or 'like'" if negated else "an operator"
        raise invalid(f"Expected {expected}, found {self.describe()}", self.token.pos)

    def parse_list(self) -> tuple[Value, ...]:
        self.expect_punct("(", "'(' after 'in'")
        values = [self.parse_value()]
        while self.token.kind == "punct" and self.token.text == ",":
            self.advance()
            values.append(self.parse_value())
        self.expect_punct(")", "',' or ')' in the 'in' list")
        return tuple(values)

    def parse_value(self) -> Value:
        token = self.token
        if token.kind == "string":
            self.advance()
            return token.text[1:-1]
        if token.kind == "number":
            self.advance()
            text = token.text
            return float(text) if "." in text else int(text)
        if token.kind == "dt":
            self.advance()
            return parse_datetime(token.text[1:-1], token.pos)
        if token.kind == "word" and token.text.casefold() in _LITERAL_WORDS:
            self.advance()
            return _LITERAL_WORDS[token.text.casefold()]
        raise invalid(f"Expected a value, found {self.describe()}", token.pos)


#: What blank conditions parse to: the empty conjunction, true for every record.
MATCH_ALL: Final = And(())


def parse_conditions(text: str, fields: FieldSet) -> Node:
    """The AST of ``text`` with canonical field names; ``MATCH_ALL`` when it is blank."""
    if not text.strip():
        return MATCH_ALL
    return _Parser(text, fields).parse()
