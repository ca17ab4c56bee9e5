"""The request pipeline: prefixes, IIS limits, rate limit, auth, routing, faults, latency, stats."""

from __future__ import annotations

import asyncio
import sys
import traceback
from typing import Final

from psa.sandbox import auth
from psa.sandbox.control import CONTROL_PREFIX, Control, Runtime, handle_control_sync
from psa.sandbox.errors import ApiError
from psa.sandbox.faults import truncate_json
from psa.sandbox.listing import Selector
from psa.sandbox.routes import Ctx, Handler, match
from psa.sandbox.server import Request, Response, json_response

API_PREFIX: Final = "/v4_6_release/apis/3.0"
LOGIN_PREFIX: Final = "/login/companyinfo/"
API_VERSION: Final = "2025.8"
MAX_QUERY_STRING: Final = 2048  # IIS request filtering's default maxQueryString
MAX_URL: Final = 4096  # IIS request filtering's default maxUrl (the path part)
WRITES: Final = frozenset({"POST", "PATCH", "DELETE"})

IIS_404_15 = (
    "<!DOCTYPE html><html><head><title>IIS 10.0 Detailed Error - 404.15 - Not Found</title>"
    "</head><body><h1>HTTP Error 404.15 - Not Found</h1><h2>The request filtering module is "
    "configured to deny a request where the query string is too long.</h2></body></html>"
)
IIS_404_14 = (
    "<!DOCTYPE html><html><head><title>IIS 10.0 Detailed Error - 404.14 - Not Found</title>"
    "</head><body><h1>HTTP Error 404.14 - Not Found</h1><h2>The request filtering module is "
    "configured to deny a request that exceeds the request URL length.</h2></body></html>"
)


def error_response(exc: ApiError, headers: list[tuple[str, str]] | None = None) -> Response:
    """ConnectWise's error body with the right status."""
    return json_response(exc.status, exc.body(), headers)


def _html(status: int, text: str) -> Response:
    return Response(status, text.encode(), [("Content-Type", "text/html")])


class SandboxApp:
    """Turns a parsed request into a response; owns nothing but references to shared state."""

    def __init__(self, runtime: Runtime, control: Control, base_url: str) -> None:
        self.rt = runtime
        self.control = control
        self.base_url = base_url
        self.selector = Selector()
        self._late: set[asyncio.Future[None]] = set()  # writes landing after their fault

    async def __call__(self, request: Request) -> Response:
        if request.path.startswith(CONTROL_PREFIX):
            return await asyncio.to_thread(handle_control_sync, self.control, request)
        self.rt.in_flight(+1)
        try:
            response = self._refuse_early(request)
            if response is None:
                response = await self._answer(request)
            response.headers.append(("api-current-version", API_VERSION))
            if response.drop:
                return response
            delay = self.rt.latency_ms / 1000
            if delay > 0:
                await asyncio.sleep(delay)  # never blocks the other connections
            return response
        finally:
            self.rt.in_flight(-1)

    def completed(self, request: Request, response: Response, sent: int) -> None:
        """Called by the HTTP layer once a response is written (or dropped)."""
        if not request.path.startswith(CONTROL_PREFIX):
            key = response.stats_key or f"{request.method} (unmatched)"
            self.rt.stats.record(key, response.status, request.size, sent)

    def _origin(self, request: Request) -> str:
        """Scheme and host the client used (its Host header): ``Link`` targets follow the
        request URL, as ConnectWise's do, not the address the server announced."""
        host = request.headers.get("host", "").strip()
        if not host or any(c in host for c in "/\\ \t@"):
            return self.base_url
        return f"{self.base_url.partition('://')[0]}://{host}"

    def _refuse_early(self, request: Request) -> Response | None:
        """What IIS itself refuses before ConnectWise sees the request."""
        if len(request.query.encode()) > MAX_QUERY_STRING:
            return _html(404, IIS_404_15)
        if len(request.path.encode()) > MAX_URL:
            return _html(404, IIS_404_14)
        return None

    async def _answer(self, request: Request) -> Response:
        path = request.path
        if path.lower().startswith(LOGIN_PREFIX):
            return self._company_info(request)
        if not path.lower().startswith(API_PREFIX.lower() + "/"):
            return error_response(ApiError(404, "NotFound", "The resource cannot be found."))
        found = match(request.method, path[len(API_PREFIX) :])
        stats_key = f"{request.method} {found.template}" if found else None
        retry = self.rt.limiter.admit()
        if retry is not None:
            exc = ApiError(429, "TooManyRequests", f"Too many requests; retry after {retry} s.")
            return self._keyed(error_response(exc, [("Retry-After", str(retry))]), stats_key)
        try:
            key = self.rt.keyring.authenticate(request.headers)
            if found is None:
                raise ApiError(404, "NotFound", "The resource cannot be found.")
            if found.route is None:
                raise ApiError(
                    405,
                    "MethodNotAllowed",
                    f"The requested resource does not support http method '{request.method}'.",
                )
            for permission in found.route.permissions:
                auth.check_permission(key, permission, request.method)
        except ApiError as exc:
            allow = [("Allow", ", ".join(found.allowed))] if exc.status == 405 and found else []
            return self._keyed(error_response(exc, allow), stats_key)
        fault = self.rt.faults.draw()
        ctx = Ctx(request, found.ids, key, self.rt, self.selector, self._origin(request) + path)
        spec = self.rt.faults.spec
        if fault is not None and request.method in WRITES and spec.write != "now":
            # The client gets the fault; the write lands later, or never.
            if spec.write == "late":
                self._late_write(found.route.handler, ctx, spec.write_delay_ms / 1000)
            if fault == "slow":
                await asyncio.sleep(spec.slow_ms / 1000)
                fault = "drop"
            placeholder = json_response(201, {"id": 0})
            return await self._strike(fault, placeholder, stats_key)
        response = await asyncio.to_thread(self._run, found.route.handler, ctx)
        response.stats_key = stats_key
        return await self._strike(fault, response, stats_key)

    def _late_write(self, handler: Handler, ctx: Ctx, delay: float) -> None:
        async def later() -> None:
            await asyncio.sleep(delay)
            await asyncio.to_thread(self._run, handler, ctx)

        task = asyncio.ensure_future(later())
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    def _run(self, handler: Handler, ctx: Ctx) -> Response:
        """Run a handler holding the store lock (in a worker thread)."""
        with self.rt.store.lock:
            try:
                return handler(ctx)
            except ApiError as exc:
                return error_response(exc)
            except Exception as exc:  # a sandbox bug: answer like a server error, keep serving
                traceback.print_exc(file=sys.stderr)
                return error_response(ApiError(500, "ConnectWiseApi", f"Internal error: {exc}"))

    async def _strike(
        self, fault: str | None, response: Response, stats_key: str | None
    ) -> Response:
        """Apply a drawn fault; the handler has already run, so writes have happened."""
        if fault == "500":
            exc = ApiError(500, "ConnectWiseApi", "An unexpected error occurred (sandbox fault).")
            return self._keyed(error_response(exc), stats_key)
        if fault == "drop":
            return Response(status=0, drop=True, stats_key=stats_key)
        if fault == "malformed":
            response.body = truncate_json(response.body)
            if response.status == 204:
                response.status = 200
        if fault == "slow":
            await asyncio.sleep(self.rt.faults.spec.slow_ms / 1000)
        return response

    @staticmethod
    def _keyed(response: Response, key: str | None) -> Response:
        response.stats_key = key
        return response

    def _company_info(self, request: Request) -> Response:
        key = "GET /login/companyinfo/{companyId}"
        if request.method != "GET":
            exc = ApiError(405, "MethodNotAllowed", "Use GET.")
            return self._keyed(error_response(exc, [("Allow", "GET")]), key)
        company = request.path[len(LOGIN_PREFIX) :].strip("/")
        with self.rt.store.lock:
            info = self.rt.store.company_info(company)
        return self._keyed(json_response(200, info), key)
