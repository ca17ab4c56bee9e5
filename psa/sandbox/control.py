"""The sandbox's run-time state and its control surface: ``/_sandbox/`` and the Python handle."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, cast

from psa.sandbox.auth import KeyRing
from psa.sandbox.clock import Clock, FixedClock, cw_time
from psa.sandbox.errors import ApiError
from psa.sandbox.faults import FaultInjector, FaultSpec, FaultSpecError, RateLimiter
from psa.sandbox.query import LIKE_WILDCARDS, LikeWildcards
from psa.sandbox.server import Request, Response, json_response
from psa.sandbox.store import Store

ShapeMode = Literal["full", "lean", "nulls"]
SHAPES: tuple[ShapeMode, ...] = ("full", "lean", "nulls")
CONTROL_PREFIX = "/_sandbox/"


def shape_mode(value: str) -> ShapeMode:
    """Validate a shapes setting."""
    for mode in SHAPES:
        if mode == value:
            return mode
    raise ValueError(f"shapes must be one of {SHAPES}, not {value!r}")


def like_wildcards_mode(value: str) -> LikeWildcards:
    """Validate a like_wildcards setting."""
    for mode in LIKE_WILDCARDS:
        if mode == value:
            return mode
    raise ValueError(f"like_wildcards must be one of {LIKE_WILDCARDS}, not {value!r}")


class Stats:
    """Request and byte counts per endpoint template (``"GET /service/tickets"``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._endpoints: dict[str, dict[str, Any]] = {}

    def record(self, key: str, status: int, bytes_in: int, bytes_out: int) -> None:
        with self._lock:
            entry = self._endpoints.setdefault(
                key, {"requests": 0, "bytes_in": 0, "bytes_out": 0, "statuses": {}}
            )
            entry["requests"] += 1
            entry["bytes_in"] += bytes_in
            entry["bytes_out"] += bytes_out
            statuses: dict[str, int] = entry["statuses"]
            statuses[str(status)] = statuses.get(str(status), 0) + 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            endpoints = {
                key: {**entry, "statuses": dict(entry["statuses"])}
                for key, entry in sorted(self._endpoints.items())
            }
        totals = {
            name: sum(e[name] for e in endpoints.values())
            for name in ("requests", "bytes_in", "bytes_out")
        }
        return {"endpoints": endpoints, "totals": totals}

    def reset(self) -> None:
        with self._lock:
            self._endpoints.clear()


@dataclass
class Runtime:
    """Everything a running sandbox shares between its requests and its controls."""

    store: Store
    clock: Clock
    keyring: KeyRing
    faults: FaultInjector
    limiter: RateLimiter
    stats: Stats
    latency_ms: int = 0
    shapes: ShapeMode = "full"
    activity_interval: float = 5.0
    like_wildcards: LikeWildcards = "both"
    started: float = 0.0
    requests_in_flight: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.started = time.monotonic()

    def in_flight(self, delta: int) -> None:
        """Count API requests being answered (control requests are not counted)."""
        with self._lock:
            self.requests_in_flight += delta


class Control:
    """The operations of ``/_sandbox/``, callable from Python (``Sandbox.control``)."""

    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime

    def health(self) -> dict[str, Any]:
        rt = self._rt
        with rt.store.lock:
            tickets = len(rt.store.records("tickets"))
        return {
            "status": "ok",
            "tickets": tickets,
            "inFlight": rt.requests_in_flight,
            "serverTime": cw_time(rt.clock.now()),
            "uptimeSeconds": round(time.monotonic() - rt.started, 3),
        }

    def stats(self) -> dict[str, Any]:
        return self._rt.stats.snapshot()

    def reset_stats(self) -> None:
        self._rt.stats.reset()

    def config(self) -> dict[str, Any]:
        rt = self._rt
        return {
            "latency_ms": rt.latency_ms,
            "faults": rt.faults.spec.text(),
            "shapes": rt.shapes,
            "rate_limit": rt.limiter.limit,
            "activity_interval": rt.activity_interval,
            "like_wildcards": rt.like_wildcards,
            "notes_bump_last_updated": rt.store.notes_bump_last_updated,
            "revoked": rt.keyring.revoked(),
        }

    def configure(
        self,
        *,
        latency_ms: int | None = None,
        faults: str | None = None,
        shapes: str | None = None,
        rate_limit: int | None = None,
        clear_rate_limit: bool = False,
        activity_interval: float | None = None,
        like_wildcards: str | None = None,
        notes_bump_last_updated: bool | None = None,
    ) -> dict[str, Any]:
        """Change settings at run time; ``None`` leaves a setting alone. Returns the new config.

        ``faults="none"`` turns faults off; ``rate_limit=0`` or ``clear_rate_limit`` removes
        the limit.
        """
        rt = self._rt
        spec = FaultSpec.parse(faults) if faults is not None else None
        mode = shape_mode(shapes) if shapes is not None else None
        like = like_wildcards_mode(like_wildcards) if like_wildcards is not None else None
        if latency_ms is not None and latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        if activity_interval is not None and activity_interval <= 0:
            raise ValueError("activity_interval must be positive")
        if notes_bump_last_updated is not None and not isinstance(notes_bump_last_updated, bool):
            raise ValueError("notes_bump_last_updated must be true or false")
        if latency_ms is not None:
            rt.latency_ms = latency_ms
        if spec is not None:
            rt.faults.set_spec(spec)
        if mode is not None:
            rt.shapes = mode
        if clear_rate_limit or rate_limit is not None:
            rt.limiter.set_limit(None if clear_rate_limit else rate_limit)
        if activity_interval is not None:
            rt.activity_interval = activity_interval
        if like is not None:
            rt.like_wildcards = like
        if notes_bump_last_updated is not None:
            with rt.store.lock:
                rt.store.notes_bump_last_updated = notes_bump_last_updated
        return self.config()

    def step_activity(self, steps: int = 1) -> list[str]:
        """Run the live-activity generator ``steps`` times; what it did, in order."""
        done: list[str] = []
        for _ in range(steps):
            done.extend(self._rt.store.activity_step())
        return done

    def advance_clock(self, seconds: float) -> str:
        """Move an injected FixedClock forward; the new server time."""
        clock = self._rt.clock
        if not isinstance(clock, FixedClock):
            raise ApiError(409, "Conflict", "The sandbox runs on the system clock")
        clock.advance(timedelta(seconds=seconds))
        return cw_time(clock.now())

    def revoke(self, public_key: str) -> None:
        self._rt.keyring.revoke(public_key)

    def restore(self, public_key: str) -> None:
        self._rt.keyring.restore(public_key)


def _body(request: Request) -> dict[str, Any]:
    try:
        data = request.json()
    except ValueError as exc:
        raise ApiError(400, "InvalidObject", f"Body is not JSON: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ApiError(400, "InvalidObject", "Body must be a JSON object")
    return cast(dict[str, Any], data)


def _configure(control: Control, body: dict[str, Any]) -> dict[str, Any]:
    unknown = set(body) - {
        "latency_ms", "faults", "shapes", "rate_limit", "activity_interval", "like_wildcards",
        "notes_bump_last_updated",
    }
    if unknown:
        raise ApiError(400, "InvalidObject", f"Unknown settings: {sorted(unknown)}")
    return control.configure(
        latency_ms=body.get("latency_ms"),
        faults=body.get("faults"),
        shapes=body.get("shapes"),
        rate_limit=body.get("rate_limit"),
        clear_rate_limit="rate_limit" in body and not body["rate_limit"],
        activity_interval=body.get("activity_interval"),
        like_wildcards=body.get("like_wildcards"),
        notes_bump_last_updated=body.get("notes_bump_last_updated"),
    )


def _public_key(body: dict[str, Any]) -> str:
    key = body.get("public_key")
    if not isinstance(key, str):
        raise ApiError(400, "InvalidObject", "public_key (a string) is required")
    return key


def _routes(control: Control) -> dict[tuple[str, str], Callable[[dict[str, Any]], Any]]:
    def revoke(body: dict[str, Any]) -> Any:
        control.revoke(_public_key(body))
        return control.config()

    def restore(body: dict[str, Any]) -> Any:
        control.restore(_public_key(body))
        return control.config()

    def reset(_: dict[str, Any]) -> Any:
        control.reset_stats()
        return control.stats()

    return {
        ("GET", "health"): lambda _: control.health(),
        ("GET", "stats"): lambda _: control.stats(),
        ("POST", "reset-stats"): reset,
        ("GET", "config"): lambda _: control.config(),
        ("POST", "config"): lambda body: _configure(control, body),
        ("POST", "activity/step"): lambda body: {
            "actions": control.step_activity(int(body.get("steps", 1)))
        },
        ("POST", "clock/advance"): lambda body: {
            "serverTime": control.advance_clock(float(body.get("seconds", 0)))
        },
        ("POST", "revoke"): revoke,
        ("POST", "restore"): restore,
    }


def handle_control_sync(control: Control, request: Request) -> Response:
    """Answer one ``/_sandbox/`` request (runs in a worker thread: it may touch the store)."""
    name = request.path[len(CONTROL_PREFIX) :].strip("/")
    routes = _routes(control)
    handler = routes.get((request.method, name))
    try:
        if handler is None:
            allowed = [m for (m, n) in routes if n == name]
            if allowed:
                return json_response(
                    405,
                    {"code": "MethodNotAllowed", "message": f"Use {', '.join(allowed)}"},
                    [("Allow", ", ".join(allowed))],
                )
            raise ApiError(404, "NotFound", f"No control endpoint {request.path}")
        return json_response(200, handler(_body(request)))
    except ApiError as exc:
        return json_response(exc.status, exc.body())
    except (ValueError, TypeError, FaultSpecError) as exc:
        return json_response(400, {"code": "InvalidObject", "message": str(exc), "errors": None})
