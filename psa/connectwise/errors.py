"""ConnectWise errors: one hierarchy with messages a dispatcher can act on and no secrets."""

# The class names are fixed by psa/CONTRACT.md and read better without an "Error" suffix.
# ruff: noqa: N818

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One entry of a ConnectWise ``errors[]`` list: which field was refused and why."""

    field: str | None
    code: str | None
    message: str


class ConnectWiseError(Exception):
    """Base of every error the client raises; ``str()`` is the actionable message."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.endpoint = endpoint

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, status={self.status!r}, "
            f"code={self.code!r}, endpoint={self.endpoint!r})"
        )


class AuthFailed(ConnectWiseError):
    """401, or a company ID the site does not know: the credentials need fixing."""


class PermissionDenied(ConnectWiseError):
    """403: the API member's security role lacks ``permission`` for ``endpoint``."""

    def __init__(
        self,
        message: str,
        *,
        permission: str | None = None,
        status: int | None = 403,
        code: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, endpoint=endpoint)
        self.permission = permission


class NotFound(ConnectWiseError):
    """404: the record does not exist (or no longer exists)."""


class Conflict(ConnectWiseError):
    """409: the record is in use or was changed concurrently."""


class RateLimited(ConnectWiseError):
    """429 after retries; ``retry_after`` is the server's hint in seconds, when it gave one."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = 429,
        code: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, endpoint=endpoint)
        self.retry_after = retry_after


class InvalidObject(ConnectWiseError):
    """400: ConnectWise refused the request; ``field_errors`` says which fields and why."""

    def __init__(
        self,
        message: str,
        *,
        field_errors: list[FieldError] | None = None,
        status: int | None = 400,
        code: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, endpoint=endpoint)
        self.field_errors: list[FieldError] = list(field_errors or [])


class ServerError(ConnectWiseError):
    """5xx, or a body that is not the JSON ConnectWise promised (malformed or truncated)."""


class Unreachable(ConnectWiseError):
    """The site could not be reached: DNS, connection refused, reset or dropped."""


class Timeout(Unreachable):
    """The site did not connect or answer within the configured timeout."""


@dataclass(frozen=True)
class ErrorBody:
    """The parts of ConnectWise's ``{"code", "message", "errors"}`` error body we use."""

    code: str | None
    message: str | None
    field_errors: list[FieldError]


def parse_error_body(content: bytes) -> ErrorBody:
    """Parse a ConnectWise error body leniently; anything unexpected yields empty parts."""
    try:
        data: Any = json.loads(content.decode("utf-8", errors="replace")) if content else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return ErrorBody(None, None, [])
    code = data.get("code")
    message = data.get("message")
    items = data.get("errors")
    field_errors: list[FieldError] = []
    if isinstance(items, list):
        for item in items:
            if not isinstance(item, dict):
                continue
            field_errors.append(
                FieldError(
                    field=_str_or_none(item.get("field")),
                    code=_str_or_none(item.get("code")),
                    message=_str_or_none(item.get("message")) or "",
                )
            )
    return ErrorBody(_str_or_none(code), _str_or_none(message), field_errors)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def error_for_response(
    status: int,
    content: bytes,
    *,
    method: str,
    endpoint: str,
    permission: str | None,
    retry_after: float | None = None,
) -> ConnectWiseError:
    """Map one non-2xx response to the hierarchy, with a message that says what to do."""
    body = parse_error_body(content)
    where = f"{method} {endpoint}"
    said = f" ConnectWise said: {body.message}" if body.message else ""
    kw: dict[str, Any] = {"status": status, "code": body.code, "endpoint": endpoint}
    if status == 401:
        return AuthFailed(
            f"ConnectWise rejected the API credentials ({where}). Check the company ID, "
            f"public and private key, and that the API member is active.{said}",
            **kw,
        )
    if status == 403:
        needed = permission or "a permission for this endpoint"
        return PermissionDenied(
            f"The API member's security role lacks {needed}, needed for {where}. Ask a "
            f"ConnectWise administrator to grant it (System > Security Roles).{said}",
            permission=permission,
            **kw,
        )
    if status == 404:
        return NotFound(f"ConnectWise found nothing at {where}.{said}", **kw)
    if status == 409:
        return Conflict(
            f"ConnectWise reported a conflict on {where}: the record is in use or changed "
            f"meanwhile. Reload it and try again.{said}",
            **kw,
        )
    if status == 429:
        hint = f" Retry in {retry_after:g} s." if retry_after is not None else ""
        return RateLimited(
            f"ConnectWise is over capacity and refused {where} (429).{hint}{said}",
            retry_after=retry_after,
            **kw,
        )
    if status in (400, 422):
        return InvalidObject(_invalid_message(where, body), field_errors=body.field_errors, **kw)
    if status >= 500:
        return ServerError(
            f"ConnectWise failed on {where} (HTTP {status}). Try again; if it persists, the "
            f"ConnectWise server has a problem.{said}",
            **kw,
        )
    return ConnectWiseError(f"ConnectWise answered HTTP {status} to {where}.{said}", **kw)


def _invalid_message(where: str, body: ErrorBody) -> str:
    parts = [f"ConnectWise refused {where}"]
    if body.message:
        parts.append(f": {body.message}")
    details = [
        f"{fe.field or '?'}: {fe.message or fe.code or 'invalid'}" for fe in body.field_errors
    ]
    if details:
        parts.append(" (" + "; ".join(details) + ")")
    return "".join(parts) + "."
