"""Bulk jobs: status names common to all boards, outcomes per ticket, nothing sent twice."""

from __future__ import annotations

import asyncio
from collections import Counter

from psa.bulk import BulkJob, Step, Unchanged, common_status_names, status_id_by_name
from psa.connectwise.errors import NotFound
from psa.models import BoardStatusOption, TicketRow


def statuses(board: int, *names: str, inactive: str = "") -> list[BoardStatusOption]:
    return [BoardStatusOption(id=board * 100 + n, name=name, board_id=board, sort_order=n,
                              inactive=name == inactive)
            for n, name in enumerate(names)]


def test_only_names_on_every_board_are_offered_in_the_first_boards_order() -> None:
    by_board = {
        1: statuses(1, "New", "In Progress", "Waiting on Customer", "Closed"),
        2: statuses(2, "closed", "New", "Dispatched", "Waiting on customer"),
        3: statuses(3, "New", "Closed", "Waiting on Customer", inactive="Waiting on Customer"),
    }
    assert common_status_names(by_board, [1, 2]) == ["New", "Waiting on Customer", "Closed"]
    assert common_status_names(by_board, [1, 2, 3]) == ["New", "Closed"]
    assert common_status_names(by_board, [1, 4]) == []
    assert common_status_names(by_board, []) == []


def test_each_board_gets_its_own_status_of_that_name() -> None:
    assert status_id_by_name(statuses(2, "New", "Closed"), "closed") == 201
    assert status_id_by_name(statuses(2, "New"), "Closed") is None


def test_failures_are_listed_and_a_rerun_retries_only_them() -> None:
    calls: Counter[int] = Counter()
    flaky = {2}

    async def action(ticket_id: int) -> TicketRow | None:
        calls[ticket_id] += 1
        await asyncio.sleep(0)
        if ticket_id == 3:
            raise Unchanged("already New")
        if ticket_id in flaky:
            raise NotFound("Ticket #2 was not found.", status=404)
        return TicketRow(id=ticket_id)

    job = BulkJob([1, 2, 3, 4, 1], action)
    seen: list[tuple[int, Step]] = []
    first = asyncio.run(job.run(lambda o: seen.append((o.ticket_id, o.step))))
    assert [o.step for o in first] == [Step.DONE, Step.FAILED, Step.UNCHANGED, Step.DONE]
    assert first[1].message == "Ticket #2 was not found."
    assert (2, Step.RUNNING) in seen and (2, Step.FAILED) in seen
    flaky.clear()
    asyncio.run(job.run())
    asyncio.run(job.run())
    assert calls == Counter({1: 1, 2: 2, 3: 1, 4: 1})
    assert job.finished and not job.failed


def test_concurrent_runs_do_not_send_twice() -> None:
    calls: Counter[int] = Counter()

    async def action(ticket_id: int) -> TicketRow | None:
        calls[ticket_id] += 1
        await asyncio.sleep(0.01)
        return None

    job = BulkJob([1, 2, 3], action, concurrency=2)

    async def twice() -> None:
        await asyncio.gather(job.run(), job.run())

    asyncio.run(twice())
    assert calls == Counter({1: 1, 2: 1, 3: 1})


def test_a_ticket_failed_up_front_is_listed_and_retried() -> None:
    async def action(ticket_id: int) -> TicketRow | None:
        return None

    job = BulkJob([1, 2], action)
    job.fail(2, "Board Alerts has no status Scheduled.")
    assert [o.ticket_id for o in job.failed] == [2]
    asyncio.run(job.run(retry_failed=False))
    assert job.outcomes[1].step is Step.DONE and job.outcomes[2].step is Step.FAILED
