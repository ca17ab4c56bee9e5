"""``python -m psa.sandbox``: serve the ConnectWise sandbox until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence

from psa.sandbox.control import SHAPES
from psa.sandbox.faults import FaultSpec, FaultSpecError
from psa.sandbox.query import LIKE_WILDCARDS
from psa.sandbox.runner import LISTENING, SandboxConfig, SandboxCore


def _faults(text: str) -> str:
    try:
        FaultSpec.parse(text)
    except FaultSpecError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def parse_args(argv: Sequence[str] | None = None) -> SandboxConfig:
    parser = argparse.ArgumentParser(
        prog="python -m psa.sandbox",
        description="A ConnectWise Manage REST v3.0 sandbox on loopback (see psa.sandbox docs).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--rate-limit", type=int, default=None, help="requests per second")
    parser.add_argument(
        "--faults", type=_faults, default=None, help="e.g. 500=0.05,slow=0.02,drop=0.02,seed=7"
    )
    parser.add_argument("--activity", action="store_true", help="live changes every few seconds")
    parser.add_argument("--activity-interval", type=float, default=5.0, help="seconds")
    parser.add_argument("--shapes", choices=SHAPES, default="full")
    parser.add_argument(
        "--like-wildcards", choices=LIKE_WILDCARDS, default="both",
        help="wildcards of `like`: percent (SQL Server), star (glob) or both (default)",
    )
    parser.add_argument(
        "--notes-bump-last-updated", choices=("true", "false"), default="true",
        help="whether a note moves the ticket's _info.lastUpdated (default true)",
    )
    ns = parser.parse_args(argv)
    if ns.tickets < 0 or ns.latency_ms < 0 or ns.activity_interval <= 0:
        parser.error("--tickets and --latency-ms must not be negative, the interval positive")
    return SandboxConfig(
        host=ns.host,
        port=ns.port,
        seed=ns.seed,
        tickets=ns.tickets,
        latency_ms=ns.latency_ms,
        rate_limit=ns.rate_limit,
        faults=ns.faults,
        activity=ns.activity,
        activity_interval=ns.activity_interval,
        shapes=ns.shapes,
        like_wildcards=ns.like_wildcards,
        notes_bump_last_updated=ns.notes_bump_last_updated == "true",
    )


async def serve(config: SandboxConfig) -> None:
    """Start, announce the URL on one flushed line, and serve until a stop signal."""
    core = SandboxCore(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: no loop signal handlers
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
    await core.start()
    print(f"{LISTENING}{core.url}", flush=True)
    try:
        await stop.wait()
    finally:
        await core.close()


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    try:
        asyncio.run(serve(config))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"psa.sandbox: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
