"""``python -m psa draft "TEXT"``: a Quick Create draft as JSON, with Claude or offline.

Claude is used when ``ANTHROPIC_API_KEY`` is set (``ANTHROPIC_BASE_URL`` is honoured), the
offline parser otherwise; the output's ``parser`` says which. The lookups (companies, contacts,
boards, ...) are read from the site or sandbox chosen by the usual connection options. Nothing
is created.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import SecretStr

from psa.intake.defaults import DEFAULT_MODEL

if TYPE_CHECKING:  # the SDK (~2 s) loads only when a draft is asked for, not for `--help`
    from psa.connectwise.credentials import Credentials
    from psa.intake.catalog import IntakeCatalog
    from psa.intake.claude import ClaudeSettings
    from psa.intake.service import DraftResult

EXIT_OK, EXIT_FAILED = 0, 1


def add_draft_parser(
    subparsers: Any, *, parents: Sequence[argparse.ArgumentParser] = ()
) -> argparse.ArgumentParser:
    """Register ``draft`` on ``subparsers`` (``parents``: the shared connection options)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "draft", parents=list(parents), help="draft a ticket from free text (Quick Create)",
        description="Turn pasted text into a reviewed ticket draft, printed as JSON. Uses "
                    "Claude when ANTHROPIC_API_KEY is set (and ANTHROPIC_BASE_URL if given), "
                    "the offline parser otherwise. Nothing is created.",
    )
    parser.add_argument("text", help='the pasted text; "-" reads it from standard input')
    parser.add_argument("--offline", action="store_true",
                        help="use the offline parser even when ANTHROPIC_API_KEY is set")
    parser.add_argument("--model", default=os.environ.get("ANTHROPIC_MODEL") or DEFAULT_MODEL,
                        help=f"Claude model (ANTHROPIC_MODEL; default {DEFAULT_MODEL})")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds to wait for Claude (default 30)")
    parser.add_argument("--no-fallback", action="store_true",
                        help="fail when Claude fails instead of falling back to offline")
    parser.set_defaults(run=run_draft)
    return parser


def claude_settings(args: argparse.Namespace) -> ClaudeSettings | None:
    """Claude settings from the environment, or None for the offline parser."""
    key = os.environ.get("ANTHROPIC_API_KEY", "").strip()
    if not key or args.offline:
        return None
    from psa.intake.claude import ClaudeSettings

    return ClaudeSettings(api_key=SecretStr(key), model=args.model, timeout=args.timeout,
                          base_url=os.environ.get("ANTHROPIC_BASE_URL") or None)


def run_draft(args: argparse.Namespace, creds: Credentials, out: TextIO | None = None) -> int:
    """Read the lookups, draft, print JSON; exit code 1 only when no draft could be made."""
    from psa.intake.adapter import catalog_from_service
    from psa.intake.errors import IntakeError
    from psa.intake.service import IntakeService
    from psa.service import open_service

    out = out or sys.stdout
    text = sys.stdin.read() if args.text == "-" else args.text
    settings = claude_settings(args)

    async def go() -> tuple[DraftResult, IntakeCatalog]:
        async with open_service(creds) as service:
            catalog = await catalog_from_service(service)
        intake = IntakeService(settings)
        try:
            result = await intake.parse(text, catalog, use_claude=settings is not None,
                                        fallback=not args.no_fallback)
        finally:
            await intake.aclose()
        return result, catalog

    try:
        result, catalog = asyncio.run(go())
    except IntakeError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    json.dump(render(result, catalog, settings), out, indent=2, ensure_ascii=False)
    out.write("\n")
    return EXIT_OK


def render(result: DraftResult, catalog: IntakeCatalog,
           settings: ClaudeSettings | None) -> dict[str, Any]:
    """The JSON document: which parser, the draft, names for its ids, what was removed."""
    draft = result.draft
    company, contact = catalog.company(draft.company_id), catalog.contact(draft.contact_id)
    board, priority = catalog.board(draft.board_id), catalog.priority(draft.priority_id)
    ticket_type, member = catalog.type(draft.type_id), catalog.member(draft.assignee_id)
    return {
        "parser": result.parser_used,
        "model": settings.model if settings and result.parser_used == "claude" else None,
        "fallback_reason": result.fallback_reason,
        "draft": draft.model_dump(mode="json"),
        "names": {
            "company": company.name if company else None,
            "contact": contact.name if contact else None,
            "board": board.name if board else None,
            "priority": priority.name if priority else None,
            "type": ticket_type.name if ticket_type else None,
            "assignee": member.name if member else None,
        },
        "redactions": [r.model_dump(mode="json") for r in result.redactions],
        "sent_text": result.sent_text,
        "warnings": list(result.warnings),
    }
