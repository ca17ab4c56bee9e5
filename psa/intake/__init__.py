"""Quick Create intake: pasted text → a reviewed ticket draft, with Claude or offline. No Qt.

Entry point: ``IntakeService`` (``preview``, ``parse``, ``spin_off``). Lookups come in as an
``IntakeCatalog`` (build it with ``psa.intake.adapter.catalog_from_service`` or
``catalog_from_wire``). Nothing in this package creates a ticket.

Exports load on first use (PEP 562): importing one submodule (the catalog, the drafts) does
not pull in the anthropic SDK, which takes about two seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psa.lazy_exports import LazyExports

if TYPE_CHECKING:
    from psa.intake.catalog import (
        BoardEntry,
        CompanyEntry,
        ContactEntry,
        IntakeCatalog,
        MemberEntry,
        PriorityEntry,
        TypeEntry,
    )
    from psa.intake.claude import (
        ClaudeSettings,
    )
    from psa.intake.defaults import DEFAULT_MODEL
    from psa.intake.draft import (
        DRAFT_FIELDS,
        SUMMARY_MAX,
        DraftField,
        FieldFlag,
        TicketDraft,
    )
    from psa.intake.errors import (
        ConnectionFailed,
        IntakeError,
        IntakeTimeout,
        InvalidApiKey,
        MalformedAnswer,
        NoApiKey,
        Overloaded,
        PermissionRefused,
        RateLimited,
        Refused,
        RequestRejected,
        ServiceError,
    )
    from psa.intake.match import (
        Candidates,
        Match,
        narrow,
    )
    from psa.intake.offline import (
        parse_offline,
    )
    from psa.intake.redact import (
        Redacted,
        Redaction,
        redact,
    )
    from psa.intake.service import (
        DraftResult,
        IntakeService,
    )

__all__ = [
    "DEFAULT_MODEL",
    "DRAFT_FIELDS",
    "SUMMARY_MAX",
    "BoardEntry",
    "Candidates",
    "ClaudeSettings",
    "CompanyEntry",
    "ConnectionFailed",
    "ContactEntry",
    "DraftField",
    "DraftResult",
    "FieldFlag",
    "IntakeCatalog",
    "IntakeError",
    "IntakeService",
    "IntakeTimeout",
    "InvalidApiKey",
    "MalformedAnswer",
    "Match",
    "MemberEntry",
    "NoApiKey",
    "Overloaded",
    "PermissionRefused",
    "PriorityEntry",
    "RateLimited",
    "Redacted",
    "Redaction",
    "Refused",
    "RequestRejected",
    "ServiceError",
    "TicketDraft",
    "TypeEntry",
    "narrow",
    "parse_offline",
    "redact",
]

_HOMES: dict[str, str] = {
    "BoardEntry": "psa.intake.catalog",
    "Candidates": "psa.intake.match",
    "ClaudeSettings": "psa.intake.claude",
    "CompanyEntry": "psa.intake.catalog",
    "ConnectionFailed": "psa.intake.errors",
    "ContactEntry": "psa.intake.catalog",
    "DEFAULT_MODEL": "psa.intake.defaults",
    "DRAFT_FIELDS": "psa.intake.draft",
    "DraftField": "psa.intake.draft",
    "DraftResult": "psa.intake.service",
    "FieldFlag": "psa.intake.draft",
    "IntakeCatalog": "psa.intake.catalog",
    "IntakeError": "psa.intake.errors",
    "IntakeService": "psa.intake.service",
    "IntakeTimeout": "psa.intake.errors",
    "InvalidApiKey": "psa.intake.errors",
    "MalformedAnswer": "psa.intake.errors",
    "Match": "psa.intake.match",
    "MemberEntry": "psa.intake.catalog",
    "NoApiKey": "psa.intake.errors",
    "Overloaded": "psa.intake.errors",
    "PermissionRefused": "psa.intake.errors",
    "PriorityEntry": "psa.intake.catalog",
    "RateLimited": "psa.intake.errors",
    "Redacted": "psa.intake.redact",
    "Redaction": "psa.intake.redact",
    "Refused": "psa.intake.errors",
    "RequestRejected": "psa.intake.errors",
    "SUMMARY_MAX": "psa.intake.draft",
    "ServiceError": "psa.intake.errors",
    "TicketDraft": "psa.intake.draft",
    "TypeEntry": "psa.intake.catalog",
    "narrow": "psa.intake.match",
    "parse_offline": "psa.intake.offline",
    "redact": "psa.intake.redact",
}


_lazy = LazyExports(__name__, globals(), _HOMES)


def __getattr__(name: str) -> Any:
    return _lazy(name)
