"""Fixtures for the sandbox's HTTP tests: in-process sandboxes and authenticated httpx2 clients."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx2
import pytest

from psa.sandbox import Sandbox, SandboxConfig
from psa.sandbox.clock import FixedClock

CLIENT_ID = "3f2b7c9e-1d4a-4e8b-9c6f-2a5d8e7b1c30"
START = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # a Friday afternoon, inside business hours
FULL = ("sandbox-public", "sandbox-private")
RESTRICTED = ("restricted-public", "restricted-private")
NOACCESS = ("noaccess-public", "noaccess-private")


def basic(public: str, private: str, company: str = "sandbox") -> str:
    """The Authorization header ConnectWise expects."""
    token = base64.b64encode(f"{company}+{public}:{private}".encode()).decode()
    return f"Basic {token}"


def auth_headers(key: tuple[str, str] = FULL, company: str = "sandbox") -> dict[str, str]:
    return {"Authorization": basic(*key, company=company), "clientId": CLIENT_ID}


def make_client(sandbox: Sandbox, key: tuple[str, str] = FULL, **kwargs: object) -> httpx2.Client:
    """A plain client on the API base, authenticated with ``key``."""
    return httpx2.Client(
        base_url=sandbox.api_url,
        headers=auth_headers(key),
        timeout=kwargs.pop("timeout", 30.0),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def config(**overrides: object) -> SandboxConfig:
    """A deterministic config: seed 1, a fixed clock, a few hundred tickets."""
    values: dict[str, object] = {"seed": 1, "tickets": 300, "clock": FixedClock(START)}
    values.update(overrides)
    return SandboxConfig(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One sandbox per test module; tests using it must not change data or settings."""
    with Sandbox(config()) as sb:
        yield sb


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    """A sandbox of its own for a test that changes data or settings."""
    with Sandbox(config(tickets=120)) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[httpx2.Client]:
    with make_client(sandbox) as c:
        yield c


@pytest.fixture
def fresh_client(fresh: Sandbox) -> Iterator[httpx2.Client]:
    with make_client(fresh) as c:
        yield c
