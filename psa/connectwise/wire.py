"""Small wire helpers: URL joining, query-parameter checks and strict JSON decoding."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import httpx2

from psa.connectwise.conditions import Cond
from psa.connectwise.errors import ServerError

MAX_URL_LENGTH = 2000
"""IIS refuses query strings past ~2,048 bytes by default (API-NOTES); stay below."""

_PATH = re.compile(r"^[A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*$")
_ORDER = re.compile(r"^\s*[A-Za-z0-9_/]+(?:\s+(?:asc|desc))?\s*$", re.IGNORECASE)
_API_PATH = re.compile(r"^/?[A-Za-z0-9_\-./{}]*$")


def join_path(base: str, path: str) -> str:
    """``base`` + ``/service/tickets``; refuses absolute URLs, queries and ``..`` segments."""
    if "://" in path or "?" in path or "#" in path or not _API_PATH.match(path):
        raise ValueError(f"not an API path: {path!r}")
    if ".." in path.split("/"):
        raise ValueError(f"not an API path: {path!r}")
    return base.rstrip("/") + "/" + path.lstrip("/")


def render_conditions(conditions: Cond | str | None) -> str | None:
    """A Cond renders itself; a str is taken as code-built conditions text."""
    if conditions is None:
        return None
    if isinstance(conditions, Cond):
        return conditions.render()
    if isinstance(conditions, str):
        return conditions or None
    raise TypeError(f"conditions must be Cond, str or None, not {type(conditions).__name__}")


def check_fields(fields: Sequence[str]) -> str:
    """``["id", "board/name"]`` → ``"id,board/name"``; only plain field paths are allowed."""
    if isinstance(fields, str):
        raise TypeError("fields must be a sequence of paths, not one string")
    for path in fields:
        if not _PATH.match(path):
            raise ValueError(f"not a field path: {path!r}")
    return ",".join(dict.fromkeys(fields))


def check_order_by(order_by: str) -> str:
    """``"id desc, summary"``: paths and asc/desc only (it travels in its own parameter)."""
    parts = order_by.split(",")
    if not all(_ORDER.match(part) for part in parts):
        raise ValueError(f"not an orderBy: {order_by!r}")
    return ", ".join(" ".join(part.split()) for part in parts)


def decode_json(response: httpx2.Response, *, method: str, endpoint: str) -> Any:
    """The body as JSON (None when empty); malformed or truncated → ServerError."""
    content = response.content
    if not content.strip():
        return None
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        position = getattr(exc, "pos", None)
        where = f" at byte {position}" if position is not None else ""
        raise ServerError(
            f"ConnectWise sent a malformed or truncated response to {method} {endpoint} "
            f"({len(content)} bytes, invalid JSON{where}). Try again; if it persists, the "
            "server or a proxy in between is damaging responses.",
            status=response.status_code, code="MalformedResponse", endpoint=endpoint,
        ) from None
