"""Plain-words descriptions of connection errors (never a traceback, never a secret)."""

from __future__ import annotations

from pydantic import ValidationError

from psa.connectwise.errors import ConnectWiseError

_FIELD_NAMES = {
    "site": "Site",
    "company_id": "Company ID",
    "public_key": "Public key",
    "private_key": "Private key",
    "client_id": "Client id",
}


def describe_error(exc: BaseException) -> str:
    """One or two sentences a dispatcher can act on."""
    if isinstance(exc, ValidationError):
        names = sorted({_FIELD_NAMES.get(str(e["loc"][0]), str(e["loc"][0])) for e in exc.errors()})
        return f"Please fill in: {', '.join(names)}."
    if isinstance(exc, ConnectWiseError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"Network error: {exc.strerror or type(exc).__name__}."
    text = str(exc).strip()
    # Only short, single-line messages are worded for people; anything else gets its type.
    if text and "\n" not in text and len(text) <= 200:
        return text if text.endswith(".") else f"{text}."
    return f"Unexpected error ({type(exc).__name__})."
