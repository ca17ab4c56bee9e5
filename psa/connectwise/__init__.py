"""The ConnectWise Manage REST v3.0 wire client: auth, conditions, paging, errors, models."""

from psa.connectwise.client import ClientStats, ConnectWiseClient
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
from psa.connectwise.credentials import Credentials
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
from psa.connectwise.models import PatchOp
from psa.connectwise.retry import RetryPolicy

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
