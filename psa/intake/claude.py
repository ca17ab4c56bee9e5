"""Claude through the anthropic SDK: structured output, one timeout, errors a dispatcher reads.

No sampling options (temperature, top_p, top_k) are sent: newer models reject them. The API key
arrives as a ``SecretStr`` and appears in no message, log line or exception; SDK exceptions are
translated and raised unchained because they carry the request and its headers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, TypeVar

import anthropic
import httpx2
import pydantic
from anthropic import AsyncAnthropic, Middleware
from anthropic._middleware import AsyncCallNext
from anthropic._request import APIRequest
from anthropic._response import AsyncAPIResponse
from pydantic import SecretStr

from psa.intake.defaults import DEFAULT_MODEL
from psa.intake.errors import (
    SETTINGS_ITEM,
    ConnectionFailed,
    IntakeError,
    IntakeTimeout,
    InvalidApiKey,
    MalformedAnswer,
    NoApiKey,
    Overloaded,
    PermissionRefused,
    RateLimited,
    Refused,
    RequestRejected,
    ServiceError,
)

T = TypeVar("T", bound=pydantic.BaseModel)


@dataclass(frozen=True)
class ClaudeSettings:
    """How to reach Claude. ``timeout`` bounds the whole call, retries included."""

    api_key: SecretStr | None = None
    model: str = DEFAULT_MODEL
    timeout: float = 30.0
    base_url: str | None = None
    max_retries: int = 1
    max_tokens: int = 2048

    def __repr__(self) -> str:
        key = "set" if self.api_key and self.api_key.get_secret_value() else "missing"
        return (f"ClaudeSettings(model={self.model!r}, timeout={self.timeout}, "
                f"base_url={self.base_url!r}, api_key={key})")


class _StopReasonGuard(Middleware):
    """Turns a refusal or a cut-off answer into our errors before the SDK parses the JSON.

    ``messages.parse`` validates the text against the output model and would report a refusal
    as a validation error; the stop reason is the honest explanation.
    """

    async def handle_async(
        self, request: APIRequest, call_next: AsyncCallNext
    ) -> AsyncAPIResponse[Any]:
        response = await call_next(request)
        http = response.http_response
        if not http.is_success:
            return response
        await http.aread()
        try:
            body = http.json()
        except ValueError:
            raise MalformedAnswer() from None
        stop = body.get("stop_reason") if isinstance(body, dict) else None
        if stop == "refusal":
            raise Refused()
        if stop in ("max_tokens", "model_context_window_exceeded"):
            raise MalformedAnswer("Claude's answer was cut off before it was complete. Try "
                                  "again with a shorter text, or use the offline parser.")
        return response


def translate(exc: BaseException, settings: ClaudeSettings) -> IntakeError:
    """The dispatcher-readable error for an SDK or validation failure."""
    if isinstance(exc, IntakeError):
        return exc
    if isinstance(exc, anthropic.APITimeoutError | TimeoutError):
        return IntakeTimeout(f"Claude did not answer within {settings.timeout:g} s. Try again "
                             "or use the offline parser.")
    if isinstance(exc, anthropic.APIConnectionError):
        return ConnectionFailed()
    if isinstance(exc, anthropic.AuthenticationError):
        return InvalidApiKey(status=401)
    if isinstance(exc, anthropic.PermissionDeniedError):
        return PermissionRefused(status=403)
    if isinstance(exc, anthropic.RateLimitError):
        return RateLimited(retry_after=_retry_after(exc.response))
    if isinstance(exc, anthropic.OverloadedError):
        return Overloaded(status=529)
    if isinstance(exc, anthropic.APIStatusError):
        if exc.status_code >= 500:
            return ServiceError(status=exc.status_code)
        detail = _scrub(exc.api_message or "", settings)
        message = (f"Claude rejected the request ({exc.status_code}"
                   f"{': ' + detail if detail else ''}). Check the model "
                   f"“{settings.model}” with {SETTINGS_ITEM}, or use the offline parser.")
        return RequestRejected(message, status=exc.status_code)
    if isinstance(exc, pydantic.ValidationError | anthropic.APIResponseValidationError):
        return MalformedAnswer()
    return IntakeError()


def _retry_after(response: httpx2.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _scrub(text: str, settings: ClaudeSettings) -> str:
    text = " ".join(text.split())[:200]
    key = settings.api_key.get_secret_value() if settings.api_key else ""
    return text.replace(key, "[key]") if key else text


class ClaudeClient:
    """One AsyncAnthropic client per settings; ``ask`` returns a validated pydantic answer."""

    def __init__(self, settings: ClaudeSettings, *,
                 http_client: httpx2.AsyncClient | None = None) -> None:
        self.settings = settings
        self._http_client = http_client
        self._client: AsyncAnthropic | None = None

    def _ensure(self) -> AsyncAnthropic:
        key = self.settings.api_key.get_secret_value().strip() if self.settings.api_key else ""
        if not key:
            raise NoApiKey()
        if self._client is None:
            # The key is passed explicitly so the SDK never goes looking in the environment or
            # in profile files on disk.
            self._client = AsyncAnthropic(
                api_key=key, base_url=self.settings.base_url, timeout=self.settings.timeout,
                max_retries=self.settings.max_retries, http_client=self._http_client,
                middleware=[_StopReasonGuard()],
            )
        return self._client

    async def ask(self, *, system: str, prompt: str, output: type[T]) -> T:
        """Send one request; raise an ``IntakeError`` for anything but a complete answer.

        Cancellation (``asyncio.CancelledError``) propagates untouched.
        """
        client = self._ensure()
        failure: IntakeError | None = None
        try:
            async with asyncio.timeout(self.settings.timeout):
                message = await client.messages.parse(
                    model=self.settings.model,
                    max_tokens=self.settings.max_tokens,
                    system=system,
                    messages=[{"role": "user", "content": prompt}],
                    output_format=output,
                )
        except (anthropic.AnthropicError, pydantic.ValidationError, TimeoutError,
                IntakeError) as exc:
            failure = translate(exc, self.settings)
        if failure is not None:
            # Raised outside the handler, with a fresh traceback: no chained SDK exception and
            # no SDK frames (which hold the request and its Authorization header) ride along.
            raise failure.with_traceback(None)
        parsed = message.parsed_output
        if not isinstance(parsed, output):
            raise MalformedAnswer()
        return parsed

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
