"""Dispatch Desk's PSA layer: ConnectWise client, ticket service and sandbox (no Qt).

Other layers and user scripts use only this facade::

    from psa import Credentials, TicketFilters, open_service

    creds = Credentials(site="na.myconnectwise.net", company_id="acme",
                        public_key="...", private_key="...", client_id="...")
    async with open_service(creds) as svc:
        page = await svc.search_tickets(TicketFilters(board_id=3, query="printer"),
                                        page=1, page_size=50)
        page.items   # tickets of that page
        page.total   # total matching tickets

``Credentials.company_id`` is the Company ID typed at ConnectWise login (a string);
``TicketFilters.company_id`` is a customer company's numeric id — both are ConnectWise's terms.

Names load lazily, so ``python -m psa.sandbox`` does not load the client it must not share
code with (and starts faster).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psa.lazy_exports import LazyExports

if TYPE_CHECKING:
    from psa.connectwise.credentials import Credentials
    from psa.connectwise.errors import (
        AuthFailed,
        Conflict,
        ConnectWiseError,
        FieldError,
        InvalidObject,
        NotFound,
        PermissionDenied,
        RateLimited,
        ServerError,
        Timeout,
        Unreachable,
    )
    from psa.errors import CreateOutcomeUnknown, IdentityNotMapped, StatusNotOnBoard, TicketChanged
    from psa.filters import Assigned, MemberKey, TicketFilters
    from psa.models import (
        BoardStatusOption,
        ConfigurationItem,
        Identity,
        NewTicket,
        NoteItem,
        NoteKind,
        NoteOutcome,
        Option,
        PermissionWarning,
        RelatedTickets,
        Resource,
        Section,
        SlaState,
        StatusOption,
        TicketDetail,
        TicketPage,
        TicketRow,
        TicketView,
        TypeOption,
    )
    from psa.service import TicketService, open_service

__all__ = [
    "Assigned",
    "AuthFailed",
    "BoardStatusOption",
    "ConfigurationItem",
    "Conflict",
    "ConnectWiseError",
    "CreateOutcomeUnknown",
    "Credentials",
    "FieldError",
    "Identity",
    "IdentityNotMapped",
    "InvalidObject",
    "MemberKey",
    "NewTicket",
    "NotFound",
    "NoteItem",
    "NoteKind",
    "NoteOutcome",
    "Option",
    "PermissionDenied",
    "PermissionWarning",
    "RateLimited",
    "RelatedTickets",
    "Resource",
    "Section",
    "ServerError",
    "SlaState",
    "StatusNotOnBoard",
    "StatusOption",
    "TicketChanged",
    "TicketDetail",
    "TicketFilters",
    "TicketPage",
    "TicketRow",
    "TicketService",
    "TicketView",
    "Timeout",
    "TypeOption",
    "Unreachable",
    "open_service",
]

_HOMES: dict[str, str] = {
    "Credentials": "psa.connectwise.credentials",
    **dict.fromkeys(
        ("AuthFailed", "Conflict", "ConnectWiseError", "FieldError", "InvalidObject", "NotFound",
         "PermissionDenied", "RateLimited", "ServerError", "Timeout", "Unreachable"),
        "psa.connectwise.errors",
    ),
    **dict.fromkeys(
        ("CreateOutcomeUnknown", "IdentityNotMapped", "StatusNotOnBoard", "TicketChanged"),
        "psa.errors",
    ),
    **dict.fromkeys(("Assigned", "MemberKey", "TicketFilters"), "psa.filters"),
    **dict.fromkeys(("TicketService", "open_service"), "psa.service"),
}


_lazy = LazyExports(__name__, globals(), _HOMES, names=__all__, default="psa.models")


def __getattr__(name: str) -> Any:
    return _lazy(name)
