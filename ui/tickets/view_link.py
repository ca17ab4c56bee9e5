"""`dispatch-desk://tickets?board=…&status=…` links: build and parse (pure functions, no Qt).

A link reproduces a filter state on another dispatcher's machine, so it carries ids and names
exactly as TicketFilters holds them; only non-default values are written, in a fixed order, so
the same filters always give the same link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from pydantic import ValidationError

from psa.filters import DEFAULT_ORDER, TicketFilters

SCHEME = "dispatch-desk"
HOST = "tickets"

# Link key → TicketFilters field, in the order links are written.
_KEYS: dict[str, str] = {
    "board": "board_id",
    "status": "status_id",
    "status_name": "status_name",
    "priority": "priority_id",
    "company": "company_id",
    "assigned": "assigned",
    "closed": "include_closed",
    "q": "query",
    "sort": "order_by",
}
# What each link key must hold, for the messages about a bad one.
_EXPECTED: dict[str, str] = {
    "board": "a board number (above 0)",
    "status": "a status number (above 0)",
    "status_name": "a status name",
    "priority": "a priority number (above 0)",
    "company": "a company number (above 0)",
    "assigned": "all, me, unassigned or a member number",
    "closed": "1 or 0",
    "q": "search text",
    "sort": "a column the list can be sorted by, such as “id desc” or “summary asc”",
}
CANNOT_OPEN = "This link can't be opened:"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class LinkError(ValueError):
    """A link that is not a Dispatch Desk ticket-list link, or names impossible filters."""


@dataclass(frozen=True)
class ViewLink:
    """What a link asks for: filters, or a saved view by name (`?view=My open`)."""

    filters: TicketFilters
    view_name: str | None = None


def build_link(filters: TicketFilters) -> str:
    """The link for a filter state (defaults omitted)."""
    defaults = TicketFilters()
    pairs: list[tuple[str, str]] = []
    for key, field in _KEYS.items():
        value = getattr(filters, field)
        if value == getattr(defaults, field):
            continue
        pairs.append((key, _text(value)))
    query = urlencode(pairs, quote_via=quote)
    return f"{SCHEME}://{HOST}" + (f"?{query}" if query else "")


def build_view_link(name: str) -> str:
    """A link that opens a saved view by name."""
    return f"{SCHEME}://{HOST}?{urlencode([('view', name)], quote_via=quote)}"


def parse_link(link: str) -> ViewLink:
    """The filters (or saved view) a link asks for; LinkError when it is not a valid link.

    Every LinkError message is a plain sentence for the dispatcher, starting "This link can't
    be opened:" and naming the parameter and value at fault.
    """
    parts = urlsplit(link.strip())
    if parts.scheme.lower() != SCHEME or parts.netloc.lower() != HOST:
        raise LinkError(f"{CANNOT_OPEN} it is not a Dispatch Desk ticket-list link "
                        f"(it should start with {SCHEME}://{HOST}).")
    values: dict[str, Any] = {}
    raws: dict[str, str] = {}
    view_name: str | None = None
    for key, raw in parse_qsl(parts.query, keep_blank_values=True):
        if key == "view":
            view_name = raw
        elif key in _KEYS:
            values[_KEYS[key]] = _value(key, raw)
            raws[key] = raw
        # Unknown keys are ignored: a link from a newer version still opens what it can.
    try:
        filters = TicketFilters.model_validate(values)
    except ValidationError as exc:
        raise LinkError(_problem(exc, raws)) from None
    return ViewLink(filters=filters, view_name=view_name or None)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _value(key: str, raw: str) -> Any:
    if key == "closed":
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise LinkError(_bad(key, raw))
    if key in {"board", "status", "priority", "company"}:
        if not raw.strip().isdigit():
            raise LinkError(_bad(key, raw))
        return int(raw)
    if key == "assigned":
        return int(raw) if raw.strip().isdigit() else raw.strip().lower()
    if key == "sort":
        return raw or DEFAULT_ORDER
    return raw


def _bad(key: str, raw: str) -> str:
    return f"{CANNOT_OPEN} {key} is “{raw}”, but it must be {_EXPECTED[key]}."


def _problem(exc: ValidationError, raws: dict[str, str]) -> str:
    """The first thing wrong with the link's filters, in words (never pydantic's)."""
    by_field = {field: key for key, field in _KEYS.items()}
    for err in exc.errors():
        loc = err.get("loc", ())
        key = by_field.get(str(loc[0])) if loc else None
        if key is not None:
            return _bad(key, raws.get(key, ""))
    if "status" in raws and "status_name" in raws:
        return (f"{CANNOT_OPEN} it gives both status (“{raws['status']}”) and status_name "
                f"(“{raws['status_name']}”); a link may give only one of them.")
    return f"{CANNOT_OPEN} its filters do not fit together."
