"""Which ConnectWise security-role permission each endpoint needs (API-NOTES "Security role")."""

from __future__ import annotations

import re

# Paths are relative to ".../apis/3.0" with numeric ids replaced by "{id}"; the first matching
# prefix wins, so more specific entries come first.
_TABLE: tuple[tuple[str, str | None, str], ...] = (
    ("/schedule/entries", "GET", "Service Desk > Resource Scheduling (Inquire)"),
    ("/schedule/entries", "POST", "Service Desk > Resource Scheduling (Add)"),
    ("/schedule/entries", "DELETE", "Service Desk > Resource Scheduling (Delete)"),
    ("/schedule/entries", None, "Service Desk > Resource Scheduling (Edit)"),
    ("/service/tickets/{id}/scheduleentries", None,
     "Service Desk > Resource Scheduling (Inquire)"),
    ("/service/tickets/{id}/configurations", "GET", "Companies > Configurations (Inquire)"),
    ("/service/tickets/{id}/notes", "POST", "Service Desk > Service Tickets (Edit)"),
    ("/service/tickets/{id}/attachchildren", "POST", "Service Desk > Service Tickets (Edit)"),
    ("/service/tickets/{id}/merge", "POST", "Service Desk > Service Tickets (Edit)"),
    ("/service/tickets", "GET", "Service Desk > Service Tickets (Inquire)"),
    ("/service/tickets/search", "POST", "Service Desk > Service Tickets (Inquire)"),
    ("/service/tickets", "POST", "Service Desk > Service Tickets (Add)"),
    ("/service/tickets", "PATCH", "Service Desk > Service Tickets (Edit)"),
    ("/service/tickets", "PUT", "Service Desk > Service Tickets (Edit)"),
    ("/service/tickets", "DELETE", "Service Desk > Service Tickets (Delete)"),
    ("/service/boards", None, "System > Table Setup (Inquire)"),
    ("/service/priorities", None, "System > Table Setup (Inquire)"),
    ("/system/members", None, "System > Member Maintenance (Inquire)"),
    ("/system/myaccount", None, "System > Member Maintenance (Inquire)"),
    ("/system/info", None, "System > Table Setup (Inquire)"),
    ("/company/configurations", None, "Companies > Configurations (Inquire)"),
    ("/company/contacts", None, "Companies > Contacts (Inquire)"),
    ("/company/companies", None, "Companies > Company Maintenance (Inquire)"),
)

_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


def endpoint_name(path: str) -> str:
    """``/service/tickets/42/notes?x=1`` → ``/service/tickets/{id}/notes`` (stable for messages)."""
    path = path.split("?", 1)[0]
    marker = "/apis/3.0"
    if marker in path:
        path = path.split(marker, 1)[1]
    if not path.startswith("/"):
        path = "/" + path
    return _ID_SEGMENT.sub("/{id}", path.rstrip("/")) or "/"


def permission_for(method: str, path: str) -> str | None:
    """The security-role permission that ``method path`` needs, or None when it is not known."""
    endpoint = endpoint_name(path).lower()
    method = method.upper()
    for prefix, wanted, permission in _TABLE:
        prefix_l = prefix.lower()
        if (endpoint == prefix_l or endpoint.startswith(prefix_l + "/")) and (
            wanted is None or wanted == method
        ):
            return permission
    return None


def permission_table() -> list[tuple[str, str | None, str]]:
    """Every (endpoint, method or None for any, permission) row, for the ``diagnose`` command."""
    return list(_TABLE)
