"""Note drafts: kept per ticket on disk, last save wins, discarded when sent."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from psa.drafts import DraftStore, NoteDraft


def test_a_saved_draft_is_read_back_by_a_new_store(tmp_path: Path) -> None:
    async def scenario() -> NoteDraft | None:
        await DraftStore(tmp_path).save(
            NoteDraft(ticket_id=7, text="Called the user", kind="internal", status_id=24)
        )
        return await DraftStore(tmp_path).load(7)

    draft = asyncio.run(scenario())
    assert draft is not None
    assert (draft.text, draft.kind, draft.status_id) == ("Called the user", "internal", 24)


def test_drafts_are_kept_per_ticket(tmp_path: Path) -> None:
    async def scenario() -> tuple[NoteDraft | None, NoteDraft | None, list[int]]:
        store = DraftStore(tmp_path)
        await store.save(NoteDraft(ticket_id=1, text="one"))
        await store.save(NoteDraft(ticket_id=2, text="two"))
        fresh = DraftStore(tmp_path)
        return await fresh.load(1), await fresh.load(2), await fresh.ticket_ids()

    one, two, ids = asyncio.run(scenario())
    assert one is not None and one.text == "one"
    assert two is not None and two.text == "two"
    assert ids == [1, 2]


def test_the_last_of_concurrent_saves_wins_on_disk(tmp_path: Path) -> None:
    async def scenario() -> None:
        store = DraftStore(tmp_path)
        await asyncio.gather(*(store.save(NoteDraft(ticket_id=3, text=f"v{n}"))
                               for n in range(20)))

    asyncio.run(scenario())
    data = json.loads((tmp_path / "note-3.json").read_text(encoding="utf-8"))
    assert data["text"] == "v19"


def test_discard_and_empty_text_remove_the_draft(tmp_path: Path) -> None:
    async def scenario() -> tuple[NoteDraft | None, NoteDraft | None]:
        store = DraftStore(tmp_path)
        await store.save(NoteDraft(ticket_id=4, text="x"))
        await store.discard(4)
        await store.save(NoteDraft(ticket_id=5, text="y"))
        await store.save(NoteDraft(ticket_id=5, text="   "))
        fresh = DraftStore(tmp_path)
        return await fresh.load(4), await fresh.load(5)

    assert asyncio.run(scenario()) == (None, None)
    assert not list(tmp_path.glob("*.json"))


def test_a_corrupt_draft_file_reads_as_no_draft(tmp_path: Path) -> None:
    (tmp_path / "note-9.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "note-10.json").write_text('{"ticket_id": 11, "text": "other"}', encoding="utf-8")
    store = DraftStore(tmp_path)
    assert asyncio.run(store.load(9)) is None
    assert asyncio.run(store.load(10)) is None


def test_peek_answers_from_memory_only(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    assert store.peek(1) == (False, None)

    async def save() -> None:
        await store.save(NoteDraft(ticket_id=1, text="hi"))

    asyncio.run(save())
    known, draft = store.peek(1)
    assert known and draft is not None and draft.text == "hi"


def test_a_write_goes_through_when_its_caller_is_cancelled(tmp_path: Path) -> None:
    async def scenario() -> None:
        store = DraftStore(tmp_path)

        async def caller() -> None:
            await store.save(NoteDraft(ticket_id=12, text="keep me"))

        task = asyncio.ensure_future(caller())
        await asyncio.sleep(0)
        task.cancel()
        store.save(NoteDraft(ticket_id=13, text="not awaited"))
        await store.flush()

    asyncio.run(scenario())
    assert json.loads((tmp_path / "note-12.json").read_text(encoding="utf-8"))["text"] == "keep me"
    assert (tmp_path / "note-13.json").exists()


def test_without_an_event_loop_a_save_is_written_at_once(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(NoteDraft(ticket_id=21, text="at shutdown"))
    assert json.loads((tmp_path / "note-21.json").read_text(encoding="utf-8"))["text"] == \
        "at shutdown"
    store.discard(21)
    assert not (tmp_path / "note-21.json").exists()


def test_a_store_without_a_directory_keeps_drafts_in_memory() -> None:
    async def scenario() -> tuple[NoteDraft | None, list[int]]:
        store = DraftStore(None)
        await store.save(NoteDraft(ticket_id=5, text="memory only"))
        return await store.load(5), await store.ticket_ids()

    draft, ids = asyncio.run(scenario())
    assert draft is not None and draft.text == "memory only" and ids == [5]
