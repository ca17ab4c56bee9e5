"""The sandbox's error type: an HTTP status plus ConnectWise's JSON error body."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A failure the sandbox answers with ConnectWise's error body.

    ConnectWise answers ``{"code": ..., "message": ..., "errors": [...] | null}``.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """The JSON body ConnectWise sends with this error."""
        return {"code": self.code, "message": self.message, "errors": self.errors}


def not_found(what: str) -> ApiError:
    """404 as ConnectWise words it."""
    return ApiError(404, "NotFound", f"{what} not found")


def invalid_object(message: str, errors: list[dict[str, Any]]) -> ApiError:
    """400 InvalidObject with field errors (``errors[].field`` names the field)."""
    return ApiError(400, "InvalidObject", message, errors)
