"""A ConnectWise Manage REST v3.0 simulator: a real HTTP server for the demo, tests and benches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from psa.sandbox.runner import Sandbox, SandboxConfig, SandboxProcess, spawn_sandbox

__all__ = ["Sandbox", "SandboxConfig", "SandboxProcess", "spawn_sandbox"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing e.g. psa.sandbox.query does not start building the server.
    if name in __all__:
        from psa.sandbox import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'psa.sandbox' has no attribute {name!r}")
