"""Saved connections: non-secret fields in settings.ini, the private key in the secret store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.secrets import SecretStore
from app.settings import ConnectionSettings, SavedConnection

if TYPE_CHECKING:
    from psa.connectwise.credentials import Credentials


class ConnectionBook:
    """Save, load, switch and forget connections; the one place both stores change together."""

    def __init__(self, settings: ConnectionSettings, secrets: SecretStore) -> None:
        self._settings = settings
        self._secrets = secrets

    @property
    def settings(self) -> ConnectionSettings:
        """The typed settings this book writes to."""
        return self._settings

    def connections(self) -> list[SavedConnection]:
        """Every saved connection."""
        return self._settings.connections()

    def current(self) -> SavedConnection | None:
        """The connection to open at start-up."""
        return self._settings.current()

    async def save(
        self, creds: Credentials, *, replacing: SavedConnection | None = None
    ) -> SavedConnection:
        """Store the key first, so settings never name a connection without its key.

        ``replacing`` is the connection being edited: if the edit changed its identity (site,
        company or public key), the old entry and its key are removed.
        """
        connection = SavedConnection.from_credentials(creds)
        await self._secrets.set(connection.account, creds.private_key.get_secret_value())
        if replacing is not None and replacing.key != connection.key:
            await self.forget(replacing)
        self._settings.save(connection)
        return connection

    async def credentials(self, connection: SavedConnection) -> Credentials | None:
        """Full credentials, or None when the key is gone from the store (ask again)."""
        private_key = await self._secrets.get(connection.account)
        if not private_key:
            return None
        return connection.credentials(private_key)

    async def forget(self, connection: SavedConnection) -> None:
        """Remove the connection and its stored private key."""
        self._settings.remove(connection)
        await self._secrets.delete(connection.account)

    def switch_to(self, connection: SavedConnection) -> None:
        """Make ``connection`` the one opened at start-up."""
        self._settings.set_current(connection)
