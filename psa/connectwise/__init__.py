"""The ConnectWise Manage REST v3.0 wire client: auth, conditions, paging, errors, models.

Exports load on first use (PEP 562), so importing one submodule — the conditions builder, say —
does not pull in httpx2 and the client: the UI imports those types before its window shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psa.lazy_exports import LazyExports

if TYPE_CHECKING:
    from psa.connectwise.client import (
        ClientStats,
        ConnectWiseClient,
    )
    from psa.connectwise.conditions import (
        Cond,
        F,
        Field,
        TextSearch,
        all_of,
        batched_in,
        id_in,
        text_search,
    )
    from psa.connectwise.credentials import (
        Credentials,
    )
    from psa.connectwise.errors import (
        AuthFailed,
        Conflict,
        ConnectWiseError,
        FieldError,
        InvalidObject,
        NotFound,
        PermissionDenied,
        RateLimited,
        ServerError,
        Timeout,
        Unreachable,
    )
    from psa.connectwise.models import (
        PatchOp,
    )
    from psa.connectwise.retry import (
        RetryPolicy,
    )

__all__ = [
    "AuthFailed",
    "ClientStats",
    "Cond",
    "Conflict",
    "ConnectWiseClient",
    "ConnectWiseError",
    "Credentials",
    "F",
    "Field",
    "FieldError",
    "InvalidObject",
    "NotFound",
    "PatchOp",
    "PermissionDenied",
    "RateLimited",
    "RetryPolicy",
    "ServerError",
    "TextSearch",
    "Timeout",
    "Unreachable",
    "all_of",
    "batched_in",
    "id_in",
    "text_search",
]

_HOMES: dict[str, str] = {
    "AuthFailed": "psa.connectwise.errors",
    "ClientStats": "psa.connectwise.client",
    "Cond": "psa.connectwise.conditions",
    "Conflict": "psa.connectwise.errors",
    "ConnectWiseClient": "psa.connectwise.client",
    "ConnectWiseError": "psa.connectwise.errors",
    "Credentials": "psa.connectwise.credentials",
    "F": "psa.connectwise.conditions",
    "Field": "psa.connectwise.conditions",
    "FieldError": "psa.connectwise.errors",
    "InvalidObject": "psa.connectwise.errors",
    "NotFound": "psa.connectwise.errors",
    "PatchOp": "psa.connectwise.models",
    "PermissionDenied": "psa.connectwise.errors",
    "RateLimited": "psa.connectwise.errors",
    "RetryPolicy": "psa.connectwise.retry",
    "ServerError": "psa.connectwise.errors",
    "TextSearch": "psa.connectwise.conditions",
    "Timeout": "psa.connectwise.errors",
    "Unreachable": "psa.connectwise.errors",
    "all_of": "psa.connectwise.conditions",
    "batched_in": "psa.connectwise.conditions",
    "id_in": "psa.connectwise.conditions",
    "text_search": "psa.connectwise.conditions",
}


_lazy = LazyExports(__name__, globals(), _HOMES)


def __getattr__(name: str) -> Any:
    return _lazy(name)
