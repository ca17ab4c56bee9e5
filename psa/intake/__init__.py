"""Quick Create intake: pasted text → a reviewed ticket draft, with Claude or offline. No Qt.

Entry point: ``IntakeService`` (``preview``, ``parse``, ``spin_off``). Lookups come in as an
``IntakeCatalog`` (build it with ``psa.intake.adapter.catalog_from_service`` or
``catalog_from_wire``). Nothing in this package creates a ticket.
"""

from psa.intake.catalog import (
    BoardEntry,
    CompanyEntry,
    ContactEntry,
    IntakeCatalog,
    MemberEntry,
    PriorityEntry,
    TypeEntry,
)
from psa.intake.claude import DEFAULT_MODEL, ClaudeSettings
from psa.intake.draft import DRAFT_FIELDS, SUMMARY_MAX, DraftField, FieldFlag, TicketDraft
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
from psa.intake.match import Candidates, Match, narrow
from psa.intake.offline import parse_offline
from psa.intake.redact import Redacted, Redaction, redact
from psa.intake.service import DraftResult, IntakeService

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
