"""Private keys in the OS credential store (keyring) — the only module that imports keyring."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import Any, Protocol

SERVICE_NAME = "Dispatch Desk"
WINDOWS_BLOB_LIMIT = 2560
"""CRED_MAX_CREDENTIAL_BLOB_SIZE: Windows Credential Manager refuses larger secrets."""


class SecretStoreError(RuntimeError):
    """The credential store failed; the message is safe to show and never holds the secret."""


class SecretTooLargeError(SecretStoreError):
    """The secret exceeds what Windows Credential Manager can hold."""


class SecretStore(Protocol):
    """Where private keys live; ``account`` names a connection, never holds a secret."""

    async def get(self, account: str) -> str | None: ...

    async def set(self, account: str, secret: str) -> None: ...

    async def delete(self, account: str) -> None: ...


def check_size(secret: str) -> None:
    """Refuse what Windows cannot store, on every platform, so a saved setup always ports."""
    # keyring's Windows backend stores the password as UTF-16-LE.
    size = len(secret.encode("utf-16-le"))
    if size > WINDOWS_BLOB_LIMIT:
        raise SecretTooLargeError(
            f"The private key is too long to store in Windows Credential Manager "
            f"({size} bytes; the limit is {WINDOWS_BLOB_LIMIT})."
        )


class KeyringStore:
    """Secrets in the OS keychain; every keyring call runs in a thread (it can block on D-Bus)."""

    def __init__(self, service: str = SERVICE_NAME, *, backend: Any | None = None) -> None:
        self._service = service
        self._backend = backend

    def _keyring(self) -> Any:
        if self._backend is None:
            import keyring

            if getattr(sys, "frozen", False) and sys.platform == "win32":
                # A frozen app has no entry-point metadata for keyring to discover backends.
                from keyring.backends.Windows import WinVaultKeyring

                keyring.set_keyring(WinVaultKeyring())
            self._backend = keyring.get_keyring()
        return self._backend

    async def get(self, account: str) -> str | None:
        """The stored secret, or None when there is none."""
        value = await self._call("read", lambda kr: kr.get_password(self._service, account))
        return value if isinstance(value, str) else None

    async def set(self, account: str, secret: str) -> None:
        """Store (or replace) the secret for ``account``."""
        check_size(secret)
        await self._call("store", lambda kr: kr.set_password(self._service, account, secret))

    async def delete(self, account: str) -> None:
        """Remove the secret; deleting a missing one is not an error."""

        def remove(kr: Any) -> None:
            from keyring.errors import PasswordDeleteError

            with contextlib.suppress(PasswordDeleteError):
                kr.delete_password(self._service, account)

        await self._call("remove", remove)

    async def _call(self, verb: str, fn: Any) -> Any:
        def run() -> Any:
            return fn(self._keyring())

        try:
            return await asyncio.to_thread(run)
        except SecretStoreError:
            raise
        except Exception as exc:
            # Backend errors can quote their arguments; say what failed, not with what.
            raise SecretStoreError(
                f"Could not {verb} the private key in the system credential store "
                f"({type(exc).__name__})."
            ) from None


class InMemoryStore:
    """Secrets held in memory only: tests and the demo (which must never touch the keychain)."""

    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}

    async def get(self, account: str) -> str | None:
        """The stored secret, or None."""
        return self.secrets.get(account)

    async def set(self, account: str, secret: str) -> None:
        """Store the secret (same size rule as the real store)."""
        check_size(secret)
        self.secrets[account] = secret

    async def delete(self, account: str) -> None:
        """Remove the secret if present."""
        self.secrets.pop(account, None)
