"""The profile's settings.ini (QSettings, INI format) and typed accessors for saved connections.

The private key is never written here: it lives only in the secret store (app.secrets).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from psa.connectwise.credentials import Credentials

_CONNECTIONS = "connections"
_CURRENT = "connection/current"
_FIELDS = ("site", "company_id", "public_key", "client_id", "member_identifier")


@dataclass(frozen=True)
class SavedConnection:
    """Everything about a ConnectWise connection except the private key."""

    site: str
    company_id: str
    public_key: str
    client_id: str
    member_identifier: str | None = None

    @property
    def account(self) -> str:
        """The secret store's account name for this connection's private key."""
        return f"{self.company_id}+{self.public_key}@{self.site.strip().rstrip('/').lower()}"

    @property
    def key(self) -> str:
        """A stable id for the settings group (site text may hold characters INI keys cannot)."""
        import hashlib  # not at import: this module is on the path to the first paint

        return hashlib.sha256(self.account.encode()).hexdigest()[:16]

    @property
    def label(self) -> str:
        """How menus name this connection."""
        return f"{self.company_id} @ {self.site}"

    def credentials(self, private_key: str) -> Credentials:
        """Full credentials for the psa service (imports psa lazily: it is not needed to start)."""
        from pydantic import SecretStr

        from psa.connectwise.credentials import Credentials

        return Credentials(
            site=self.site,
            company_id=self.company_id,
            public_key=self.public_key,
            private_key=SecretStr(private_key),
            client_id=self.client_id,
            member_identifier=self.member_identifier,
        )

    @classmethod
    def from_credentials(cls, creds: Credentials) -> SavedConnection:
        """Drop the private key from full credentials."""
        return cls(
            site=creds.site,
            company_id=creds.company_id,
            public_key=creds.public_key,
            client_id=creds.client_id,
            member_identifier=creds.member_identifier,
        )


def open_settings(path: Path) -> QSettings:
    """QSettings on the profile's INI file (not the registry: a profile is one directory)."""
    return QSettings(str(path), QSettings.Format.IniFormat)


class ConnectionSettings:
    """Typed access to the saved connections in settings.ini."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    @property
    def qsettings(self) -> QSettings:
        """The underlying QSettings (handed to the main window for its own keys)."""
        return self._settings

    def connections(self) -> list[SavedConnection]:
        """Every saved connection, in a stable order."""
        s = self._settings
        s.beginGroup(_CONNECTIONS)
        try:
            groups = sorted(s.childGroups())
        finally:
            s.endGroup()
        found = (self._read(group) for group in groups)
        return sorted((c for c in found if c is not None), key=lambda c: c.label.lower())

    def current(self) -> SavedConnection | None:
        """The connection the app opens with, if one is saved."""
        key = self._settings.value(_CURRENT)
        if not isinstance(key, str) or not key:
            return None
        return self._read(key)

    def save(self, connection: SavedConnection, *, make_current: bool = True) -> None:
        """Write the connection's non-secret fields."""
        s = self._settings
        s.beginGroup(f"{_CONNECTIONS}/{connection.key}")
        try:
            for name in _FIELDS:
                value = getattr(connection, name)
                if value is None:
                    s.remove(name)
                else:
                    s.setValue(name, value)
        finally:
            s.endGroup()
        if make_current:
            s.setValue(_CURRENT, connection.key)
        s.sync()

    def set_current(self, connection: SavedConnection | None) -> None:
        """Choose the connection the app opens with (None: the first-run dialog)."""
        if connection is None:
            self._settings.remove(_CURRENT)
        else:
            self._settings.setValue(_CURRENT, connection.key)
        self._settings.sync()

    def remove(self, connection: SavedConnection) -> None:
        """Delete the connection; clears the current one if it was this."""
        self._settings.remove(f"{_CONNECTIONS}/{connection.key}")
        if self._settings.value(_CURRENT) == connection.key:
            self._settings.remove(_CURRENT)
        self._settings.sync()

    def _read(self, key: str) -> SavedConnection | None:
        s = self._settings
        s.beginGroup(f"{_CONNECTIONS}/{key}")
        try:
            values = {name: s.value(name) for name in _FIELDS}
        finally:
            s.endGroup()
        required = [values[n] for n in _FIELDS[:4]]
        if not all(isinstance(v, str) and v for v in required):
            return None
        member = values["member_identifier"]
        return SavedConnection(
            site=str(values["site"]),
            company_id=str(values["company_id"]),
            public_key=str(values["public_key"]),
            client_id=str(values["client_id"]),
            member_identifier=member if isinstance(member, str) and member else None,
        )
