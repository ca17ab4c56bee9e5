"""IntakeService: the one entry point the Quick Create dialog and the CLI use.

``preview`` shows what would be sent; ``parse`` drafts with Claude or offline; ``spin_off``
drafts a follow-up ticket. Nothing here creates a ticket. CPU-bound steps (redaction, matching
against thousands of companies) run in a worker thread so the Qt event loop stays responsive.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Literal

import httpx2
from pydantic import BaseModel, ConfigDict

from psa.intake.catalog import IntakeCatalog
from psa.intake.claude import ClaudeClient, ClaudeSettings
from psa.intake.draft import TicketDraft
from psa.intake.errors import IntakeError
from psa.intake.match import Candidates, narrow
from psa.intake.offline import parse_offline
from psa.intake.prompt import SYSTEM_PROMPT, ClaudeTicket, draft_prompt, offered_boards
from psa.intake.redact import Redacted, Redaction, redact
from psa.intake.spinoff import spin_off_claude, spin_off_offline
from psa.intake.validate import validate_answer
from psa.models import NoteItem, TicketView

ParserUsed = Literal["claude", "offline"]
INJECTION_WARNING = ("Some lines of the text look like instructions aimed at the AI. They were "
                     "treated as data; check every field.")


class DraftResult(BaseModel):
    """A draft and how it was made.

    ``sent_text`` is exactly the pasted text Claude received (None when nothing left the
    machine); ``redactions`` lists what was removed first. ``fallback_reason`` is set when
    Claude failed and the offline parser filled the draft instead.
    """

    model_config = ConfigDict(frozen=True)
    draft: TicketDraft
    parser_used: ParserUsed
    redactions: tuple[Redaction, ...] = ()
    sent_text: str | None = None
    candidates: Candidates = Candidates()
    warnings: tuple[str, ...] = ()
    fallback_reason: str | None = None


class IntakeService:
    """Drafts tickets from text; Claude is optional (no settings, or no key: offline only)."""

    def __init__(self, claude: ClaudeSettings | None = None, *,
                 http_client: httpx2.AsyncClient | None = None) -> None:
        self._claude = ClaudeClient(claude, http_client=http_client) if claude else None

    @property
    def claude_available(self) -> bool:
        """Whether a key is configured (it may still be rejected when used)."""
        key = self._claude.settings.api_key if self._claude else None
        return bool(key and key.get_secret_value().strip())

    def preview(self, text: str) -> Redacted:
        """What Parse would send, and what it would remove; nothing is sent."""
        return redact(text)

    async def parse(self, text: str, catalog: IntakeCatalog, *, use_claude: bool,
                    fallback: bool = False) -> DraftResult:
        """A reviewed draft of ``text``.

        With ``use_claude`` a failure raises an ``IntakeError`` (its message is for the
        dispatcher), unless ``fallback`` asks for the offline draft with ``fallback_reason``.
        Cancelling the task cancels the request.
        """
        redacted, candidates = await asyncio.to_thread(_prepare, text, catalog)
        warnings = (INJECTION_WARNING,) if redacted.suspicious else ()
        if not use_claude or not redacted.text.strip():
            return await self._offline(text, catalog, redacted, candidates, warnings)
        try:
            draft = await self._with_claude(redacted, candidates, catalog)
        except IntakeError as exc:
            if not fallback:
                raise
            result = await self._offline(text, catalog, redacted, candidates, warnings)
            return result.model_copy(update={"fallback_reason": exc.message})
        return DraftResult(draft=draft, parser_used="claude", redactions=redacted.removed,
                           sent_text=redacted.text, candidates=candidates, warnings=warnings)

    async def _with_claude(self, redacted: Redacted, candidates: Candidates,
                           catalog: IntakeCatalog) -> TicketDraft:
        client = self._client()
        boards = offered_boards(catalog)
        prompt = draft_prompt(redacted.text, candidates, catalog, boards)
        answer = await client.ask(system=SYSTEM_PROMPT, prompt=prompt, output=ClaudeTicket)
        return validate_answer(answer, candidates=candidates, catalog=catalog,
                               text=redacted.text, offered_boards=boards,
                               suspicious_lines=redacted.suspicious)

    async def _offline(self, text: str, catalog: IntakeCatalog, redacted: Redacted,
                       candidates: Candidates, warnings: tuple[str, ...]) -> DraftResult:
        draft = await asyncio.to_thread(parse_offline, text, catalog, redacted=redacted,
                                        candidates=candidates)
        return DraftResult(draft=draft, parser_used="offline", redactions=redacted.removed,
                           candidates=candidates, warnings=warnings)

    async def spin_off(self, ticket: TicketView, notes: Sequence[NoteItem],
                       catalog: IntakeCatalog, *, use_claude: bool | None = None,
                       fallback: bool = False) -> DraftResult:
        """A follow-up draft for ``ticket`` (Claude when a key is set, unless told otherwise).

        The ticket is captured at the call: the draft's ``parent_ticket_id`` is this ticket's
        id even if the dispatcher selects another ticket while the draft is prepared.
        """
        use = self.claude_available if use_claude is None else use_claude
        if use:
            try:
                draft, source, _ = await spin_off_claude(ticket, notes, catalog, self._client())
            except IntakeError as exc:
                if not fallback:
                    raise
                draft, source = spin_off_offline(ticket, notes, catalog)
                return DraftResult(draft=draft, parser_used="offline",
                                   redactions=source.removed, fallback_reason=exc.message)
            sent = "\n".join((source.summary, *source.notes))
            return DraftResult(draft=draft, parser_used="claude", redactions=source.removed,
                               sent_text=sent)
        draft, source = spin_off_offline(ticket, notes, catalog)
        return DraftResult(draft=draft, parser_used="offline", redactions=source.removed)

    def _client(self) -> ClaudeClient:
        if self._claude is None:
            return ClaudeClient(ClaudeSettings())  # raises NoApiKey when asked
        return self._claude

    async def aclose(self) -> None:
        if self._claude is not None:
            await self._claude.aclose()


def _prepare(text: str, catalog: IntakeCatalog) -> tuple[Redacted, Candidates]:
    redacted = redact(text)
    return redacted, narrow(redacted.match_text, catalog, sender=redacted.sender_text)
