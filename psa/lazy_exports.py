"""Package names that load their module on first use (PEP 562), so importing a package is cheap.

``psa``, ``psa.connectwise`` and ``psa.intake`` export names from heavier modules (the client,
httpx2, the anthropic SDK): a package's ``__getattr__`` asks a `LazyExports` for a name, which
imports its home module then, and keeps the value in the package so later lookups are plain.
"""

from __future__ import annotations

import importlib
from collections.abc import Collection, Mapping
from typing import Any

__all__ = ["LazyExports"]


class LazyExports:
    """Resolves ``names`` of ``package`` from ``homes`` (name → module; else ``default``)."""

    def __init__(self, package: str, namespace: dict[str, Any], homes: Mapping[str, str], *,
                 names: Collection[str] | None = None, default: str | None = None) -> None:
        self._package = package
        self._namespace = namespace
        self._homes = homes
        self._names = names if names is not None else homes.keys()
        self._default = default

    def __call__(self, name: str) -> Any:
        home = self._homes.get(name, self._default) if name in self._names else None
        if home is None:
            raise AttributeError(f"module {self._package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        self._namespace[name] = value
        return value
