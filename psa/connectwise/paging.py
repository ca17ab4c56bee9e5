"""Paging helpers: ConnectWise's ``Link`` header, page counts and page-size limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 25

_LINK = re.compile(r'<([^>]*)>\s*;\s*rel\s*=\s*"?([A-Za-z]+)"?')


def parse_link_header(value: str | None) -> dict[str, str]:
    """``<url>; rel="next", <url>; rel="last"`` → ``{"next": url, "last": url}``.

    Only ``first``, ``prev``, ``next`` and ``last`` are kept; ConnectWise percent-encodes commas
    inside its URLs, but we match ``<...>`` so a stray comma in a URL cannot split a link.
    """
    links: dict[str, str] = {}
    if not value:
        return links
    for match in _LINK.finditer(value):
        url, rel = match.group(1).strip(), match.group(2).lower()
        if rel in ("first", "prev", "next", "last") and rel not in links:
            links[rel] = url
    return links


def page_number(url: str) -> int | None:
    """The ``page`` query parameter of a link, when present and a positive int."""
    try:
        values = parse_qs(urlsplit(url).query).get("page")
    except ValueError:
        return None
    if not values:
        return None
    text = values[-1]
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


def page_id(url: str) -> str | None:
    """The ``pageId`` query parameter of a forward-only ``next`` link."""
    values = parse_qs(urlsplit(url).query).get("pageId")
    return values[-1] if values else None


def pages_for(total: int, page_size: int) -> int:
    """How many pages ``total`` records take at ``page_size`` (at least 1)."""
    return max(1, -(-max(total, 0) // page_size))


def check_page_size(page_size: int) -> int:
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise TypeError("page_size must be an int")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size}")
    return page_size


def check_page(page: int) -> int:
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValueError(f"page must be an int >= 1, got {page!r}")
    return page


@dataclass(frozen=True)
class Page:
    """One page of a list: its records and the ``Link`` header's targets."""

    items: list[dict[str, Any]]
    links: dict[str, str] = field(default_factory=dict)

    @property
    def next_page(self) -> int | None:
        url = self.links.get("next")
        return page_number(url) if url else None

    @property
    def last_page(self) -> int | None:
        url = self.links.get("last")
        return page_number(url) if url else None
