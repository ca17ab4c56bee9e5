"""Service errors as what the list's banner says: plain words, the permission, retry or not."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from psa.connectwise.errors import (
    AuthFailed,
    ConnectWiseError,
    PermissionDenied,
    RateLimited,
    ServerError,
    Timeout,
    Unreachable,
)
from psa.models import PermissionWarning


class ProblemKind(Enum):
    """What went wrong, as far as the dispatcher's next step is concerned."""

    PERMISSION = "permission"    # the API member's security role lacks something
    CONNECTION = "connection"    # network or server down: retried automatically
    AUTH = "auth"                # the key is wrong or revoked: edit the connection
    LIMITED = "limited"          # some lists are degraded (warnings), the list works
    ERROR = "error"              # anything else the server refused


@dataclass(frozen=True)
class Problem:
    """One banner's content: plain words, and the technical detail for a tooltip and the log."""

    kind: ProblemKind
    message: str
    permission: str | None = None
    retry_automatically: bool = False
    detail: str | None = None


def problem_for(exc: ConnectWiseError) -> Problem:
    """The banner for an error a list request raised."""
    detail = exc.message or type(exc).__name__
    if isinstance(exc, PermissionDenied):
        needed = exc.permission or "the Service Tickets (Inquire) permission"
        return Problem(
            ProblemKind.PERMISSION,
            f"This ConnectWise API member may not read service tickets. Its security role "
            f"needs {needed}; ask your ConnectWise administrator to add it.",
            permission=exc.permission, detail=detail,
        )
    if isinstance(exc, AuthFailed):
        return Problem(
            ProblemKind.AUTH,
            "ConnectWise did not accept this connection's API keys: they may be mistyped or "
            "revoked, or the API member may be inactive.",
            detail=detail,
        )
    if isinstance(exc, Unreachable | RateLimited | ServerError):
        return Problem(ProblemKind.CONNECTION, _connection_message(exc),
                       retry_automatically=True, detail=detail)
    return Problem(ProblemKind.ERROR, detail)


_RETRYING = "Retrying automatically…"
_ORIGIN = re.compile(r"\bhttps?://([^\s/()]+)")


def _connection_message(exc: ConnectWiseError) -> str:
    if isinstance(exc, RateLimited):
        return f"ConnectWise is busy (too many requests). {_RETRYING}"
    if isinstance(exc, ServerError):
        trouble = f"a server error (HTTP {exc.status})" if exc.status else "an unreadable answer"
        return f"ConnectWise replied with {trouble}. {_RETRYING}"
    found = _ORIGIN.search(exc.message)  # the transport names the site it tried
    host = found.group(1) if found else "ConnectWise"
    return f"Can't reach {host}: {_reason(exc)}. {_RETRYING}"


def _reason(exc: ConnectWiseError) -> str:
    """A few plain words for why a connection failed (the exception text stays in `detail`)."""
    if isinstance(exc, Timeout):
        return "no answer in time"
    text = exc.message.lower()
    if "refused" in text:
        return "the connection was refused"
    if any(word in text for word in ("name or service", "getaddrinfo", "name resolution",
                                     "nodename", "no address")):
        return "the site name was not found"
    if any(word in text for word in ("reset", "disconnected", "closed", "aborted")) \
            or exc.code in ("RemoteProtocolError", "ReadError", "WriteError"):
        return "the connection dropped"
    if exc.code == "ProxyError":
        return "the proxy refused the connection"
    return "no connection could be made"


def limited_problem(warnings: Sequence[PermissionWarning]) -> Problem | None:
    """The notice for degraded lookups (None when nothing is limited)."""
    if not warnings:
        return None
    parts = [f"{w.area} (needs {w.permission})" for w in warnings]
    return Problem(
        ProblemKind.LIMITED,
        "Some lists are limited for this API member: " + "; ".join(parts) + ".",
        permission=warnings[0].permission,
    )
