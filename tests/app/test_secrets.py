"""Secret stores: keyring calls off the UI thread, Windows' size limit, no secret in errors."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from app.secrets import (
    SERVICE_NAME,
    WINDOWS_BLOB_LIMIT,
    InMemoryStore,
    KeyringStore,
    SecretStoreError,
    SecretTooLargeError,
)


class FakeBackend:
    """A keyring backend in memory that records which thread called it."""

    def __init__(self, *, fail: bool = False) -> None:
        self.data: dict[tuple[str, str], str] = {}
        self.threads: set[int] = set()
        self.fail = fail

    def _touch(self) -> None:
        self.threads.add(threading.get_ident())
        if self.fail:
            raise RuntimeError("backend broke while storing secret-value-xyz")

    def get_password(self, service: str, account: str) -> str | None:
        self._touch()
        return self.data.get((service, account))

    def set_password(self, service: str, account: str, secret: str) -> None:
        self._touch()
        self.data[(service, account)] = secret

    def delete_password(self, service: str, account: str) -> None:
        self._touch()
        from keyring.errors import PasswordDeleteError

        if (service, account) not in self.data:
            raise PasswordDeleteError("not found")
        del self.data[(service, account)]


def test_keyring_store_round_trips_in_a_worker_thread(run_async: Callable[..., Any]) -> None:
    backend = FakeBackend()
    store = KeyringStore(backend=backend)

    async def scenario() -> None:
        await store.set("acme+pub@site", "s3cret")
        assert backend.data == {(SERVICE_NAME, "acme+pub@site"): "s3cret"}
        assert await store.get("acme+pub@site") == "s3cret"
        await store.delete("acme+pub@site")
        await store.delete("acme+pub@site")  # deleting twice is fine
        assert await store.get("acme+pub@site") is None

    run_async(scenario())
    assert threading.get_ident() not in backend.threads


def test_backend_errors_do_not_leak_the_secret(run_async: Callable[..., Any]) -> None:
    store = KeyringStore(backend=FakeBackend(fail=True))
    with pytest.raises(SecretStoreError) as info:
        run_async(store.set("acct", "secret-value-xyz"))
    assert "secret-value-xyz" not in str(info.value)
    assert info.value.__cause__ is None


@pytest.mark.parametrize("store_kind", ["keyring", "memory"])
def test_secrets_over_the_windows_limit_are_refused(
    store_kind: str, run_async: Callable[..., Any]
) -> None:
    backend = FakeBackend()
    store = KeyringStore(backend=backend) if store_kind == "keyring" else InMemoryStore()
    fits = "k" * (WINDOWS_BLOB_LIMIT // 2)  # UTF-16: two bytes a character
    run_async(store.set("ok", fits))
    with pytest.raises(SecretTooLargeError):
        run_async(store.set("big", fits + "k"))
    assert backend.data.get((SERVICE_NAME, "big")) is None
