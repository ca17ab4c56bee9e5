"""Who am I: the member the API key acts as, found explicitly or reported as not mapped.

Order: ``/system/myAccount`` (the key's own member); else the member identifier configured in
the credentials; else an exact match on the member's office email. Each step either finds one
member or says why not; nothing is guessed (two members with one email map to nobody).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from psa.connectwise.conditions import F
from psa.connectwise.errors import (
    AuthFailed,
    ConnectWiseError,
    PermissionDenied,
    RateLimited,
    Unreachable,
)
from psa.context import ServiceContext
from psa.lookups import MEMBER_FIELDS
from psa.models import Identity

# Failures that say nothing about the mapping: the caller must see them, not "not mapped".
_FATAL = (AuthFailed, Unreachable, RateLimited)


def _identity(data: Mapping[str, Any], source: Any, detail: str) -> Identity | None:
    mid, ident = data.get("id"), data.get("identifier")
    if not isinstance(mid, int) or not isinstance(ident, str) or not ident:
        return None
    names = [data.get("firstName"), data.get("lastName")]
    name = " ".join(n for n in names if isinstance(n, str) and n) or ident
    email = data.get("officeEmail") or data.get("primaryEmail") or ""
    return Identity(mapped=True, source=source, member_id=mid, identifier=ident, name=name,
                    email=email if isinstance(email, str) else "", detail=detail)


class IdentityResolver:
    """Resolves and caches the service's identity."""

    def __init__(self, ctx: ServiceContext, *, user_email: str | None = None) -> None:
        self._ctx = ctx
        self._email = (user_email or "").strip() or None
        self._cached: Identity | None = None

    async def whoami(self, *, refresh: bool = False) -> Identity:
        if self._cached is None or refresh:
            self._cached = await self._resolve()
        return self._cached

    async def _resolve(self) -> Identity:
        reasons: list[str] = []
        found = await self._my_account(reasons)
        if found is None and self._ctx.creds.member_identifier:
            found = await self._configured(self._ctx.creds.member_identifier, reasons)
        if found is None and self._email:
            found = await self._by_email(self._email, reasons)
        if found is not None:
            return found
        if not self._ctx.creds.member_identifier:
            reasons.append("no member identifier is configured")
        if not self._email:
            reasons.append("no email address was given to match")
        return Identity(mapped=False, source="none",
                        detail="Not mapped to a ConnectWise member: " + "; ".join(reasons) + ".")

    async def _my_account(self, reasons: list[str]) -> Identity | None:
        try:
            data = await self._ctx.client.get_json("/system/myAccount")
        except _FATAL:
            raise
        except ConnectWiseError as exc:
            # API members often may not read myAccount; the next source decides.
            reasons.append(f"/system/myAccount failed ({exc.status or exc.code})")
            return None
        found = _identity(data, "myAccount", "from /system/myAccount") if isinstance(
            data, Mapping) else None
        if found is None:
            reasons.append("/system/myAccount named no member")
        return found

    async def _members(self, field: str, value: str) -> list[dict[str, Any]]:
        return await self._ctx.client.list(
            "/system/members", conditions=F(field) == value, fields=MEMBER_FIELDS, page_size=5
        )

    async def _configured(self, identifier: str, reasons: list[str]) -> Identity | None:
        try:
            rows = await self._members("identifier", identifier)
        except PermissionDenied as exc:
            self._ctx.warn("identity", exc)
            # The identifier was configured by a person: trust it, though its id is unknown.
            return Identity(mapped=True, source="configured", identifier=identifier,
                            name=identifier,
                            detail="configured identifier; its member id could not be read")
        exact = [r for r in rows if str(r.get("identifier", "")).casefold()
                 == identifier.casefold()]
        if len(exact) == 1:
            return _identity(exact[0], "configured", "from the configured member identifier")
        reasons.append(f"the configured identifier {identifier!r} names no member")
        return None

    async def _by_email(self, email: str, reasons: list[str]) -> Identity | None:
        try:
            rows = await self._members("officeEmail", email)
        except PermissionDenied as exc:
            self._ctx.warn("identity", exc)
            reasons.append("members cannot be read to match the email address")
            return None
        exact = [r for r in rows if str(r.get("officeEmail", "")).casefold() == email.casefold()
                 and r.get("inactiveFlag") is not True]
        if len(exact) == 1:
            return _identity(exact[0], "email", f"matched by email {email}")
        what = "no active member" if not exact else f"{len(exact)} members"
        reasons.append(f"{what} with the email {email}")
        return None
