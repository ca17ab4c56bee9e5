"""Credentials for one ConnectWise site: what a dispatcher types at login plus the API key pair."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator


class Credentials(BaseModel):
    """One API member's keys for one ConnectWise company; the private key stays a SecretStr."""

    model_config = ConfigDict(frozen=True)

    site: str
    """What users type: ``na.myconnectwise.net``, ``https://na.myconnectwise.net/``,
    ``cw.example.com`` or ``http://127.0.0.1:PORT`` (normalised by ``site.normalise_site``)."""
    company_id: str
    """The Company ID typed at ConnectWise login."""
    public_key: str
    private_key: SecretStr
    client_id: str
    """The ``clientId`` header (a GUID from the ConnectWise developer network)."""
    member_identifier: str | None = None
    """Optional configured identity, used when ``/system/myAccount`` is not available."""

    @field_validator("site", "company_id", "public_key", "client_id")
    @classmethod
    def _strip_required(cls, value: str) -> str:
        # Pasted keys often carry a trailing newline or space; ConnectWise would answer 401.
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("private_key")
    @classmethod
    def _strip_secret(cls, value: SecretStr) -> SecretStr:
        raw = value.get_secret_value().strip()
        if not raw:
            # The message must not echo the value, which pydantic would otherwise show as input.
            raise ValueError("must not be empty")
        return SecretStr(raw)

    @field_validator("member_identifier")
    @classmethod
    def _strip_optional(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None
