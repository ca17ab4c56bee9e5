"""Spin-off drafts and the IntakeService facade (preview, offline, fallback, the parent link)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import httpx2
import pytest

from psa.intake.catalog import IntakeCatalog
from psa.intake.errors import Overloaded
from psa.intake.service import IntakeService
from psa.models import NoteItem, TicketView
from tests.psa.intake.conftest import FakeClaude, error, ok, service

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def ticket(ticket_id: int = 5120, summary: str = "Server beeping in the closet") -> TicketView:
    return TicketView(id=ticket_id, summary=summary, company_id=64, company_name="Keystone "
                      "Engineering", contact_id=399, board_id=1, priority_id=5)


def notes() -> list[NoteItem]:
    return [
        NoteItem(id=1, text="Customer reports beeping from the file server.", discussion=True,
                 author="Ivan Petrov", created=START),
        NoteItem(id=2, text="RAID controller shows drive 3 failed; array degraded. iDRAC "
                 "password is Keyst0ne!2024", internal=True, author="Kiran Patel",
                 created=START + timedelta(hours=1)),
        NoteItem(id=3, text="Hi Ivan, we will replace the drive and recommend a new server "
                 "next quarter.", discussion=True, author="Kiran Patel",
                 created=START + timedelta(hours=2)),
        NoteItem(id=4, text="", author="nobody", created=START + timedelta(hours=3)),
        NoteItem(id=5, text="Old note", author="Tara Williams", created=START - timedelta(days=9)),
    ]


def test_offline_spin_off_copies_the_ticket_and_customer_visible_notes(
    catalog: IntakeCatalog
) -> None:
    result = asyncio.run(IntakeService().spin_off(ticket(), notes(), catalog))
    draft = result.draft
    assert result.parser_used == "offline" and draft.source == "offline"
    assert (draft.company_id, draft.contact_id, draft.board_id) == (64, 399, 1)
    assert draft.parent_ticket_id == 5120
    assert draft.priority_id == 4  # normal, not the original's
    assert draft.summary == "Follow-up: Server beeping in the closet"
    assert draft.description.startswith("Spun off from ticket #5120: Server beeping")
    lines = draft.description.splitlines()
    assert lines.index("- Kiran Patel: Hi Ivan, we will replace the drive and recommend a new "
                       "server next quarter.") < lines.index(
        "- Ivan Petrov: Customer reports beeping from the file server.")
    assert "RAID" not in draft.description and "Old note" not in draft.description
    assert "Internal notes were left out" in draft.flags["description"].reason
    assert "summary" in draft.flags


def test_claude_spin_off_words_the_draft_but_ids_come_from_the_ticket(
    fake: FakeClaude, catalog: IntakeCatalog
) -> None:
    fake.replies.append(ok({"summary": "Replace failed RAID drive and plan server refresh",
                            "description": "Drive 3 failed; replace it and quote a new "
                                           "server."}))
    intake = service(fake)
    result = asyncio.run(intake.spin_off(ticket(), notes(), catalog))
    draft = result.draft
    assert result.parser_used == "claude" and draft.source == "claude"
    assert draft.summary == "Replace failed RAID drive and plan server refresh"
    assert draft.description.endswith("Spun off from ticket #5120: Server beeping in the closet")
    assert (draft.company_id, draft.contact_id, draft.board_id, draft.parent_ticket_id) == (
        64, 399, 1, 5120)
    assert "internal" in draft.flags["description"].reason
    body = json.dumps(fake.body())
    assert "Keyst0ne!2024" not in body and "[password removed]" in body
    assert "(internal)" in fake.prompt() and "<pasted_text>" in fake.prompt()
    assert not {"temperature", "top_p", "top_k"} & set(fake.body())
    assert [r.kind for r in result.redactions] == ["password"]


def test_spin_off_keeps_the_ticket_it_was_opened_for(
    fake: FakeClaude, catalog: IntakeCatalog
) -> None:
    """The dispatcher moves to ticket B while A's draft is prepared; each keeps its own."""
    b_answered = asyncio.Event()

    async def reply(request: httpx2.Request) -> httpx2.Response:
        prompt = json.loads(request.content)["messages"][0]["content"]
        if "Ticket A" in prompt:
            await b_answered.wait()  # A's answer arrives last
            return ok({"summary": "Follow-up A", "description": "For A."})
        b_answered.set()
        return ok({"summary": "Follow-up B", "description": "For B."})

    fake.replies += [reply, reply]  # type: ignore[list-item]

    async def scenario() -> tuple[int | None, int | None, str, str]:
        intake = service(fake)
        first = asyncio.create_task(intake.spin_off(ticket(100, "Ticket A"), [], catalog))
        await asyncio.sleep(0)
        second = asyncio.create_task(intake.spin_off(ticket(200, "Ticket B"), [], catalog))
        a, b = await asyncio.gather(first, second)
        await intake.aclose()
        return a.draft.parent_ticket_id, b.draft.parent_ticket_id, a.draft.summary, \
            b.draft.summary

    assert asyncio.run(scenario()) == (100, 200, "Follow-up A", "Follow-up B")


def test_spin_off_falls_back_offline_when_asked(fake: FakeClaude, catalog: IntakeCatalog) -> None:
    fake.replies.append(error(529, "overloaded_error"))
    intake = service(fake)
    with pytest.raises(Overloaded):
        asyncio.run(intake.spin_off(ticket(), notes(), catalog))
    fake.replies.append(error(529, "overloaded_error"))
    result = asyncio.run(intake.spin_off(ticket(), notes(), catalog, fallback=True))
    assert result.parser_used == "offline" and result.fallback_reason == Overloaded.default
    assert result.draft.parent_ticket_id == 5120


def test_preview_shows_what_would_be_sent_without_sending(
    fake: FakeClaude, catalog: IntakeCatalog
) -> None:
    intake = service(fake)
    preview = intake.preview("Printer down. pw=hunter2\n\nThanks,\nPriya")
    assert preview.text == "Printer down. pw=[password removed]"
    assert [r.kind for r in preview.removed] == ["password", "signature"]
    assert fake.requests == []


def test_offline_parse_sends_nothing(fake: FakeClaude, catalog: IntakeCatalog) -> None:
    intake = service(fake)
    result = asyncio.run(intake.parse("Contoso Dental printer is offline", catalog,
                                      use_claude=False))
    assert result.parser_used == "offline" and result.sent_text is None
    empty = asyncio.run(intake.parse("   ", catalog, use_claude=True))
    assert empty.parser_used == "offline" and "summary" in empty.draft.flags
    assert fake.requests == []
    assert intake.claude_available


def test_spin_off_notes_lose_signatures_disclaimers_and_quoted_replies_before_claude(
    catalog: IntakeCatalog, fake: FakeClaude
) -> None:
    mail = NoteItem(
        id=7, discussion=True, author="Ivan Petrov", created=START + timedelta(hours=4),
        text=("The replacement drive arrived; please book the swap for Friday.\n\n"
              "Thanks,\nIvan Petrov\nOffice Manager, Keystone Engineering\n(412) 555-0187\n\n"
              "CONFIDENTIALITY NOTICE: This e-mail is for the sole use of the intended "
              "recipient(s). Any unauthorized review is prohibited.\n\n"
              "-----Original Message-----\nFrom: Kiran Patel <kpatel@harborviewit.com>\n"
              "Sent: Monday\nTo: Ivan\nSubject: RE: beeping\n\nHi Ivan, drive 3 failed."))
    fake.replies.append(ok({"summary": "Swap the failed drive on Friday",
                            "description": "Book the drive swap."}))
    result = asyncio.run(service(fake).spin_off(ticket(), [*notes(), mail], catalog))
    prompt = fake.prompt()
    assert "please book the swap for Friday" in prompt
    for gone in ("555-0187", "Office Manager", "CONFIDENTIALITY", "kpatel", "Original Message"):
        assert gone not in prompt
        assert result.sent_text is not None and gone not in result.sent_text
    assert {"signature", "disclaimer", "quoted_reply"} <= {r.kind for r in result.redactions}
