"""Fixtures for the wire-client tests: credentials, a no-wait retry policy, a client factory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from psa.connectwise.client import ConnectWiseClient
from psa.connectwise.credentials import Credentials
from psa.connectwise.retry import RetryPolicy

SECRET = "s3cr3t-PRIVATE-k3y"
SITE = "cw.example.com"
ORIGIN = f"https://{SITE}"
BASE = f"{ORIGIN}/v4_6_release/apis/3.0"
INFO_URL = f"{ORIGIN}/login/companyinfo/acme"


@dataclass
class FakeTime:
    """A clock that only moves when the retry policy sleeps: tests never wait."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def creds() -> Credentials:
    return Credentials(
        site=SITE, company_id="acme", public_key="pub-key", private_key=SECRET,
        client_id="0b5c7a52-0000-4000-8000-000000000001",
    )


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def policy(fake_time: FakeTime) -> RetryPolicy:
    return RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock, random=lambda: 0.5)


@pytest.fixture
def make_client(
    creds: Credentials, policy: RetryPolicy
) -> Callable[..., ConnectWiseClient]:
    def make(**kwargs: object) -> ConnectWiseClient:
        kwargs.setdefault("retry", policy)
        return ConnectWiseClient(kwargs.pop("creds", creds), **kwargs)  # type: ignore[arg-type]

    return make
