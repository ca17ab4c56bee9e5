"""One site's HTTP exchange: auth and version headers, the in-flight bound, retries, mapping."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections import Counter
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx2

from psa.connectwise.credentials import Credentials
from psa.connectwise.errors import (
    ConnectWiseError,
    RateLimited,
    ServerError,
    Timeout,
    Unreachable,
    error_for_response,
)
from psa.connectwise.permissions import permission_for
from psa.connectwise.retry import RETRY_STATUSES, RetryPolicy, parse_retry_after
from psa.connectwise.wire import decode_json

log = logging.getLogger(__name__)

API_VERSION = "2025.8"
ACCEPT = f"application/vnd.connectwise.com+json; version={API_VERSION}"
USER_AGENT = "DispatchDesk/0.1 (+httpx2)"
DEFAULT_TIMEOUT = httpx2.Timeout(connect=10.0, read=30.0, write=30.0, pool=60.0)
MAX_IN_FLIGHT = 6
"""Like a browser: never more than six requests to one site at once."""

Params = Mapping[str, str | int] | None


class ClientStats:
    """Requests sent (retries and discovery included), by method and endpoint; in-flight peak."""

    def __init__(self) -> None:
        self.by_method: Counter[str] = Counter()
        self.by_endpoint: Counter[str] = Counter()
        self.in_flight = 0
        self.peak_in_flight = 0

    @property
    def requests(self) -> int:
        return sum(self.by_method.values())

    def reset(self) -> None:
        self.by_method.clear()
        self.by_endpoint.clear()
        self.peak_in_flight = self.in_flight

    def __repr__(self) -> str:
        return f"ClientStats(requests={self.requests}, by_method={dict(self.by_method)})"


class Exchange:
    """Sends requests for one ``ConnectWiseClient``; the only holder of the httpx2 client."""

    def __init__(
        self,
        creds: Credentials,
        *,
        transport: httpx2.AsyncBaseTransport | None,
        timeout: httpx2.Timeout | None,
        max_in_flight: int,
        retry: RetryPolicy | None,
    ) -> None:
        if not 1 <= max_in_flight <= MAX_IN_FLIGHT:
            raise ValueError(f"max_in_flight must be between 1 and {MAX_IN_FLIGHT}")
        self.retry = retry or RetryPolicy()
        self.stats = ClientStats()
        self._semaphore = asyncio.Semaphore(max_in_flight)
        self._http = httpx2.AsyncClient(
            auth=httpx2.BasicAuth(
                f"{creds.company_id}+{creds.public_key}", creds.private_key.get_secret_value()
            ),
            headers={"Accept": ACCEPT, "clientId": creds.client_id, "User-Agent": USER_AGENT},
            timeout=timeout or DEFAULT_TIMEOUT,
            transport=transport,
            limits=httpx2.Limits(
                max_connections=max_in_flight, max_keepalive_connections=max_in_flight
            ),
            # A redirect would carry the Basic-auth header somewhere the user did not choose.
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"Exchange({self.stats!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(
        self, method: str, url: str, *, endpoint: str, idempotent: bool, params: Params = None,
        body: Any = None, headers: Mapping[str, str] | None = None, auth: bool = True,
    ) -> tuple[Any, httpx2.Response]:
        """Decoded JSON and the response; transient failures of idempotent calls are retried."""
        policy = self.retry
        started = policy.clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(method, url, endpoint=endpoint, params=params,
                                           body=body, headers=headers, auth=auth)
            except ConnectWiseError as exc:
                if not idempotent or not _transient(exc) or attempt >= policy.max_attempts:
                    raise
                retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
                if retry_after is not None and retry_after > policy.max_retry_after:
                    raise
                delay = policy.delay_for(attempt, retry_after)
                if policy.clock() - started + delay > policy.max_total:
                    raise
                log.info("retrying %s %s in %.2fs after: %s", method, endpoint, delay,
                         exc.message)
                await policy.sleep(delay)

    async def _attempt(
        self, method: str, url: str, *, endpoint: str, params: Params, body: Any,
        headers: Mapping[str, str] | None, auth: bool,
    ) -> tuple[Any, httpx2.Response]:
        response = await self._send(method, url, endpoint=endpoint, params=params, body=body,
                                    headers=headers, auth=auth)
        log.debug("%s %s -> %s", method, endpoint, response.status_code)
        if response.status_code >= 400:
            raise error_for_response(
                response.status_code, response.content, method=method, endpoint=endpoint,
                permission=permission_for(method, endpoint),
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        if 300 <= response.status_code < 400:
            raise ServerError(
                f"{origin_of(url)} redirected {method} {endpoint} (HTTP "
                f"{response.status_code}); check the site name.",
                status=response.status_code, endpoint=endpoint, code="Redirect",
            )
        return decode_json(response, method=method, endpoint=endpoint), response

    async def _send(
        self, method: str, url: str, *, endpoint: str, params: Params, body: Any,
        headers: Mapping[str, str] | None, auth: bool,
    ) -> httpx2.Response:
        async with self._semaphore:
            stats = self.stats
            stats.by_method[method] += 1
            stats.by_endpoint[f"{method} {endpoint}"] += 1
            stats.in_flight += 1
            stats.peak_in_flight = max(stats.peak_in_flight, stats.in_flight)
            try:
                return await self._http.request(
                    method, url, params=dict(params) if params else None,
                    json=body, headers=dict(headers) if headers else None,
                    auth=httpx2.USE_CLIENT_DEFAULT if auth else None,
                )
            except httpx2.TimeoutException as exc:
                raise Timeout(
                    f"{origin_of(url)} did not answer {method} {endpoint} in time "
                    f"({type(exc).__name__}). Check the network or try again.",
                    endpoint=endpoint, code=type(exc).__name__,
                ) from None
            except httpx2.TransportError as exc:
                raise Unreachable(
                    f"Could not reach {origin_of(url)} for {method} {endpoint} "
                    f"({type(exc).__name__}: {exc}). Check the site name and the network.",
                    endpoint=endpoint, code=type(exc).__name__,
                ) from None
            finally:
                stats.in_flight -= 1


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _transient(exc: ConnectWiseError) -> bool:
    if isinstance(exc, Unreachable | RateLimited):
        return True
    if isinstance(exc, ServerError):
        return exc.status in RETRY_STATUSES or exc.code == "MalformedResponse"
    return False
