"""API keys, security roles and the permission each endpoint needs: ConnectWise's 401s and 403s."""

from __future__ import annotations

import base64
import binascii
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from psa.sandbox.errors import ApiError

COMPANY_ID = "sandbox"

# Security-role modules, worded as ConnectWise's security role screen words them.
SERVICE_TICKETS = "Service Desk > Service Tickets"
RESOURCE_SCHEDULING = "Service Desk > Resource Scheduling"
TABLE_SETUP = "System > Table Setup"
MEMBER_MAINTENANCE = "System > Member Maintenance"
COMPANY_MAINTENANCE = "Companies > Company Maintenance"
CONTACTS = "Companies > Contacts"
CONFIGURATIONS = "Companies > Configurations"
ALL_PERMISSIONS = frozenset(
    {
        SERVICE_TICKETS,
        RESOURCE_SCHEDULING,
        TABLE_SETUP,
        MEMBER_MAINTENANCE,
        COMPANY_MAINTENANCE,
        CONTACTS,
        CONFIGURATIONS,
    }
)

# The member identifiers the key pairs belong to (the seeded data holds these members).
DISPATCHER = "dispatch"
RESTRICTED_API_MEMBER = "APIRestricted"
NOACCESS_API_MEMBER = "APINoAccess"

_ACTIONS = {"GET": "Inquire", "POST": "Add", "PATCH": "Edit", "PUT": "Edit", "DELETE": "Delete"}
_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$")


@dataclass(frozen=True)
class Role:
    """A security role: the modules it may use (every action, level All)."""

    name: str
    permissions: frozenset[str]


@dataclass(frozen=True)
class ApiKey:
    """A public/private key pair and the member it belongs to."""

    public: str
    private: str
    member: str
    role: Role


FULL_ROLE = Role("Admin", ALL_PERMISSIONS)
RESTRICTED_ROLE = Role(
    "API Tickets Only",
    ALL_PERMISSIONS - {MEMBER_MAINTENANCE, TABLE_SETUP, RESOURCE_SCHEDULING, CONFIGURATIONS},
)
NOACCESS_ROLE = Role("API No Tickets", ALL_PERMISSIONS - {SERVICE_TICKETS})

DEFAULT_KEYS: tuple[ApiKey, ...] = (
    ApiKey("sandbox-public", "sandbox-private", DISPATCHER, FULL_ROLE),
    ApiKey("restricted-public", "restricted-private", RESTRICTED_API_MEMBER, RESTRICTED_ROLE),
    ApiKey("noaccess-public", "noaccess-private", NOACCESS_API_MEMBER, NOACCESS_ROLE),
)


def unauthorized(message: str) -> ApiError:
    """401 with ConnectWise's body."""
    return ApiError(401, "Unauthorized", message)


class KeyRing:
    """The valid key pairs, minus the revoked ones; thread-safe."""

    def __init__(self, keys: Iterable[ApiKey] = DEFAULT_KEYS) -> None:
        self._keys = {key.public: key for key in keys}
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def key(self, public: str) -> ApiKey:
        """The key pair with this public key (KeyError if there is none)."""
        return self._keys[public]

    def revoke(self, public: str) -> None:
        if public not in self._keys:
            raise ApiError(404, "NotFound", f"No API key with public key {public!r}")
        with self._lock:
            self._revoked.add(public)

    def restore(self, public: str) -> None:
        if public not in self._keys:
            raise ApiError(404, "NotFound", f"No API key with public key {public!r}")
        with self._lock:
            self._revoked.discard(public)

    def revoked(self) -> list[str]:
        with self._lock:
            return sorted(self._revoked)

    def authenticate(self, headers: Mapping[str, str]) -> ApiKey:
        """The key pair a request authenticates with, or ApiError 401.

        ``headers`` has lower-case names. The ``clientId`` header is checked first, as an API
        gateway would, then the Basic credentials ``company+public:private``.
        """
        client_id = headers.get("clientid")
        if client_id is None or not _GUID.match(client_id.strip()):
            raise unauthorized(
                "A valid clientId header is required (a GUID from the ConnectWise Developer "
                "Network)."
            )
        company, public, private = _basic_credentials(headers.get("authorization"))
        key = self._keys.get(public)
        if company.lower() != COMPANY_ID or key is None or key.private != private:
            raise unauthorized("Username or password is incorrect.")
        with self._lock:
            if public in self._revoked:
                raise unauthorized("The API key has been revoked.")
        return key


def _basic_credentials(header: str | None) -> tuple[str, str, str]:
    if header is None:
        raise unauthorized("The request requires authentication (Authorization header missing).")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise unauthorized("The request requires Basic authentication.")
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise unauthorized("The Authorization header could not be decoded.") from exc
    user, colon, private = decoded.partition(":")
    company, plus, public = user.partition("+")
    if not colon or not plus:
        raise unauthorized("Credentials must be companyId+publicKey:privateKey.")
    return company, public, private


def check_permission(key: ApiKey, permission: str | None, method: str) -> None:
    """ApiError 403 unless the key's role grants ``permission`` (``None`` needs none)."""
    if permission is None or permission in key.role.permissions:
        return
    action = _ACTIONS.get(method, "Inquire")
    raise ApiError(
        403,
        "Security",
        f"You do not have security permission to perform this action ({permission}: {action}).",
    )
