"""The ticket draft intake proposes for the dispatcher to review; it is never created here."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from psa.intake.text import clip

SUMMARY_MAX = 100  # ConnectWise's limit on a ticket summary
DESCRIPTION_MAX = 8000
DraftField = Literal[
    "company", "contact", "board", "priority", "type", "summary", "description", "assignee",
]
DRAFT_FIELDS: tuple[DraftField, ...] = (
    "company", "contact", "board", "priority", "type", "summary", "description", "assignee",
)
Source = Literal["claude", "offline"]


class FieldFlag(BaseModel):
    """Why a field needs the dispatcher's eye, and what was suggested but not filled in."""

    model_config = ConfigDict(frozen=True)
    reason: str
    suggested_id: int | None = None


class TicketDraft(BaseModel):
    """A proposed ticket. Empty ids mean "pick one"; ``flags`` say which fields to check.

    ``model_note`` is the model's own comment and confidence: advisory only, it never decides
    which fields are flagged. ``parent_ticket_id`` is set for spin-offs: the ticket the draft
    was opened for, kept even if the dispatcher has moved on to another ticket since.
    """

    model_config = ConfigDict(frozen=True)
    company_id: int | None = None
    contact_id: int | None = None
    board_id: int | None = None
    priority_id: int | None = None
    type_id: int | None = None
    summary: str = Field(default="", max_length=SUMMARY_MAX)
    description: str = ""
    assignee_id: int | None = None
    flags: dict[DraftField, FieldFlag] = Field(default_factory=dict)
    source: Source
    model_note: str = ""
    parent_ticket_id: int | None = None

    @field_validator("summary", mode="before")
    @classmethod
    def _fit_summary(cls, value: object) -> object:
        return clip(value, SUMMARY_MAX) if isinstance(value, str) else value

    @field_validator("description", mode="before")
    @classmethod
    def _fit_description(cls, value: object) -> object:
        if isinstance(value, str) and len(value) > DESCRIPTION_MAX:
            return value[: DESCRIPTION_MAX - 1].rstrip() + "…"
        return value

    def needs_review(self, name: DraftField) -> bool:
        return name in self.flags

    @property
    def flagged(self) -> tuple[DraftField, ...]:
        return tuple(f for f in DRAFT_FIELDS if f in self.flags)
