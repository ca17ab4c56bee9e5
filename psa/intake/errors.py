"""Why Claude could not draft a ticket, in words a dispatcher can act on.

Every error leaves the form usable and the offline parser available (``offline_ok``). Messages
never contain the API key or the pasted text: they are shown in the UI and may be logged.
"""

# ruff: noqa: N818  (the names read as what happened, like psa.connectwise.errors)
from __future__ import annotations

SETTINGS_ITEM = "File › “Claude for Quick Create…”"
"""Where the dispatcher sets the Claude key and model (the menu item's words)."""


class IntakeError(Exception):
    """Base class: ``message`` is for the dispatcher; ``status`` is the HTTP status if any."""

    default = "Claude could not draft this ticket. Fill the form by hand or use the offline parser."
    offline_ok = True

    def __init__(self, message: str | None = None, *, status: int | None = None) -> None:
        self.message = message or self.default
        self.status = status
        super().__init__(self.message)


class NoApiKey(IntakeError):
    default = (f"No Claude API key is set. Add one with {SETTINGS_ITEM} to use AI Quick "
               "Create; the offline parser works without one.")


class InvalidApiKey(IntakeError):
    default = (f"Claude rejected the API key (401). Check the key with {SETTINGS_ITEM}, or "
               "use the offline parser.")


class PermissionRefused(IntakeError):
    default = ("The Claude API key is not allowed to use this model (403). Check the key or "
               f"the model with {SETTINGS_ITEM}.")


class RateLimited(IntakeError):
    default = ("Claude's rate limit was reached (429). Wait a minute and try again, or parse "
               "offline.")

    def __init__(self, message: str | None = None, *, status: int | None = 429,
                 retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        if message is None and retry_after is not None:
            message = (f"Claude's rate limit was reached (429). Try again in about "
                       f"{max(1, round(retry_after))} s, or parse offline.")
        super().__init__(message, status=status)


class Overloaded(IntakeError):
    default = ("Claude is overloaded right now (529). Try again in a moment, or use the offline "
               "parser.")


class Refused(IntakeError):
    default = ("Claude declined to process this text. Fill the form by hand or use the offline "
               "parser.")


class MalformedAnswer(IntakeError):
    default = ("Claude's answer was incomplete or not in the expected form. Try again or use "
               "the offline parser.")


class IntakeTimeout(IntakeError):
    default = "Claude did not answer in time. Try again or use the offline parser."


class ConnectionFailed(IntakeError):
    default = ("Could not reach Claude (connection error). Check the network or proxy, or use "
               "the offline parser.")


class RequestRejected(IntakeError):
    default = (f"Claude rejected the request. Check the model name with {SETTINGS_ITEM}, or "
               "use the offline parser.")


class ServiceError(IntakeError):
    default = "Claude's service had an error. Try again shortly, or use the offline parser."


def unreachable_reason(exc: IntakeError) -> str | None:
    """Why Claude could not be reached (connection, timeout, 529, 5xx), or None.

    These say nothing about the text or the key, so the offline parser may stand in without
    asking; other errors (a bad key, a refusal, a malformed answer) are for the dispatcher.
    """
    if isinstance(exc, ConnectionFailed):
        return "no connection"
    if isinstance(exc, IntakeTimeout):
        return "no answer in time"
    if isinstance(exc, Overloaded):
        return "overloaded, 529"
    if isinstance(exc, ServiceError):
        return f"service error {exc.status}" if exc.status else "service error"
    return None
