"""Service errors as what the list's banner says: plain words, the permission, retry or not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from psa.connectwise.errors import (
    AuthFailed,
    ConnectWiseError,
    PermissionDenied,
    RateLimited,
    ServerError,
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
    """One banner's content."""

    kind: ProblemKind
    message: str
    permission: str | None = None
    retry_automatically: bool = False


def problem_for(exc: ConnectWiseError) -> Problem:
    """The banner for an error a list request raised."""
    if isinstance(exc, PermissionDenied):
        needed = exc.permission or "the Service Tickets (Inquire) permission"
        return Problem(
            ProblemKind.PERMISSION,
            f"This ConnectWise API member may not read service tickets. Its security role "
            f"needs {needed}; ask your ConnectWise administrator to add it.",
            permission=exc.permission,
        )
    if isinstance(exc, AuthFailed):
        return Problem(ProblemKind.AUTH, f"ConnectWise refused the API key: {exc.message}")
    if isinstance(exc, Unreachable | RateLimited | ServerError):
        return Problem(
            ProblemKind.CONNECTION,
            f"Cannot reach ConnectWise ({exc.message}). Showing the last tickets loaded; "
            f"retrying automatically.",
            retry_automatically=True,
        )
    return Problem(ProblemKind.ERROR, exc.message or type(exc).__name__)


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
