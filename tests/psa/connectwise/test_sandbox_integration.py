"""The client against the in-process sandbox: discovery, paging, search, roles, faults, models."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from psa.connectwise.client import ConnectWiseClient
from psa.connectwise.conditions import F, batched_in, id_in, text_search
from psa.connectwise.credentials import Credentials
from psa.connectwise.errors import AuthFailed, NotFound, PermissionDenied
from psa.connectwise.models import (
    Board,
    BoardStatus,
    Company,
    Configuration,
    ConfigurationRef,
    Contact,
    Member,
    Note,
    Priority,
    ScheduleEntry,
    SystemInfo,
    Ticket,
)
from psa.connectwise.retry import RetryPolicy
from psa.sandbox import Sandbox, SandboxConfig
from tests.psa.connectwise.conftest import FakeTime

T = TypeVar("T")
CLIENT_ID = "0b5c7a52-0000-4000-8000-000000000001"
TEXT_FIELDS = ("summary", "company/name", "id")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def creds_for(url: str, key: str = "sandbox", company: str = "sandbox") -> Credentials:
    return Credentials(site=url, company_id=company, public_key=f"{key}-public",
                       private_key=f"{key}-private", client_id=CLIENT_ID)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxConfig(seed=1, tickets=300)) as sb:
        yield sb


def client(url: str, key: str = "sandbox", **kwargs: Any) -> ConnectWiseClient:
    fake = FakeTime()
    kwargs.setdefault("retry", RetryPolicy(sleep=fake.sleep, clock=fake.clock))
    return ConnectWiseClient(creds_for(url, key), **kwargs)


def test_discovery_count_and_list_all_agree(sandbox: Sandbox) -> None:
    async def scenario() -> tuple[str, int, list[dict[str, Any]], int]:
        async with client(sandbox.url) as cw:
            cond = (F("closedFlag") == False) & (F("board/id") > 0)  # noqa: E712
            total = await cw.count("/service/tickets", conditions=cond)
            rows = await cw.list_all("/service/tickets", conditions=cond,
                                     fields=["id", "closedFlag"], page_size=37)
            return await cw.api_base(), total, rows, cw.stats.requests

    base, total, rows, requests = run(scenario())
    assert base == sandbox.api_url
    assert 0 < total == len(rows) == len({r["id"] for r in rows})
    assert all(r["closedFlag"] is False for r in rows)
    assert requests == 1 + 2 + -(-total // 37)  # discovery, two counts, every page once


def test_sandbox_link_headers_are_understood(sandbox: Sandbox) -> None:
    async def scenario() -> Any:
        async with client(sandbox.url) as cw:
            return await cw.list_page("/service/tickets", conditions=F("id") > 0, page=2,
                                      page_size=10)

    page = run(scenario())
    assert len(page.items) == 10
    assert (page.next_page, page.last_page) == (3, 30)
    assert "conditions=" in page.links["next"]


def test_forward_only_walk_visits_every_ticket_once(sandbox: Sandbox) -> None:
    async def scenario() -> list[int]:
        async with client(sandbox.url) as cw:
            return [r["id"] async for page in cw.iter_forward_only(
                "/service/tickets", fields=["id"], page_size=70) for r in page]

    ids = run(scenario())
    assert len(ids) == len(set(ids)) == 300


NEEDLES = [
    "O'Malley", "(98%)", "98%", "%", "_", "'", '"', "& Sons", "it's \"x\"", "printer",
    "VPN", "SRV0_", "[", "s:)", "Cannot access shared drive (S:)", "20005", " 20007 ",
    "zz-nothing-zz", "a" * 101, "drive\n", "O'Malley & Sons Plumbing", "ß", "ss",
]


def special_needles(rows: list[dict[str, Any]]) -> list[str]:
    """Texts from the seeded data around characters a LIKE server or a parser could trip on."""
    needles: list[str] = []
    for row in rows:
        for text in (row.get("summary") or "", (row.get("company") or {}).get("name") or ""):
            for index, char in enumerate(text):
                if char in "%_[\"'()&" and len(needles) < 40:
                    needles.extend([text, text[max(0, index - 3):index + 4]])
                    break
    return list(dict.fromkeys(needles))


def test_free_text_search_returns_exactly_the_tickets_holding_the_text(
    sandbox: Sandbox,
) -> None:
    async def scenario() -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
        async with client(sandbox.url) as cw:
            everything = await cw.list_all("/service/tickets",
                                           fields=["id", "summary", "company/name"])
            found: dict[str, list[int]] = {}
            for needle in NEEDLES + special_needles(everything):
                search = text_search(TEXT_FIELDS, needle)
                if search.impossible:
                    found[needle] = []
                    continue
                rows = await cw.list_all("/service/tickets", conditions=search.condition,
                                         fields=["id", "summary", "company/name"])
                if search.needs_verification or search.condition is None:
                    rows = [r for r in rows if search.matches(
                        [r.get("summary"), (r.get("company") or {}).get("name"), r["id"]])]
                found[needle] = sorted(r["id"] for r in rows)
            return everything, found

    everything, found = run(scenario())

    def holds(needle: str, row: dict[str, Any]) -> bool:
        texts = [row.get("summary") or "", (row.get("company") or {}).get("name") or ""]
        number = needle.strip()
        return any(needle.casefold() in t.casefold() for t in texts) or (
            number.isdigit() and int(number) == row["id"])

    assert len(found) > len(NEEDLES)
    for needle, ids in found.items():
        assert ids == sorted(r["id"] for r in everything if holds(needle, r)), needle
    assert found["O'Malley"] and found["20005"] == [20005]
    assert found["%"] and len(found["%"]) < len(everything)


def test_an_id_list_too_long_for_a_url_goes_through_post_search(sandbox: Sandbox) -> None:
    ids = list(range(20001, 20301)) + list(range(900_000, 900_200))

    async def scenario() -> tuple[list[dict[str, Any]], int, Any]:
        async with client(sandbox.url) as cw:
            rows = await cw.list("/service/tickets", conditions=id_in("id", ids),
                                 fields=["id"], page_size=1000)
            total = await cw.count("/service/tickets", conditions=id_in("id", ids))
            return rows, total, cw.stats.by_endpoint

    rows, total, by_endpoint = run(scenario())
    assert len(rows) == total == 300
    assert by_endpoint["POST /service/tickets/search"] >= 2
    assert len(batched_in("id", ids)) > 1


def test_restricted_key_gets_permission_denied_naming_the_permission(
    sandbox: Sandbox,
) -> None:
    async def scenario() -> tuple[list[PermissionDenied], int]:
        denied: list[PermissionDenied] = []
        async with client(sandbox.url, "restricted") as cw:
            for path in ("/system/members", "/service/boards", "/schedule/entries",
                         "/company/configurations"):
                try:
                    await cw.list(path)
                except PermissionDenied as exc:
                    denied.append(exc)
            return denied, len(await cw.list("/service/tickets"))

    denied, tickets = run(scenario())
    assert [d.permission for d in denied] == [
        "System > Member Maintenance (Inquire)", "System > Table Setup (Inquire)",
        "Service Desk > Resource Scheduling (Inquire)", "Companies > Configurations (Inquire)",
    ]
    assert all(d.permission and d.permission in str(d) for d in denied)
    assert tickets == 25


def test_noaccess_key_and_wrong_credentials(sandbox: Sandbox) -> None:
    async def tickets(cw: ConnectWiseClient) -> None:
        async with cw:
            await cw.list("/service/tickets")

    with pytest.raises(PermissionDenied, match=r"Service Tickets \(Inquire\)"):
        run(tickets(client(sandbox.url, "noaccess")))
    bad = creds_for(sandbox.url).model_copy(update={"public_key": "nobody"})
    with pytest.raises(AuthFailed, match="credentials") as info:
        run(tickets(ConnectWiseClient(bad)))
    assert "sandbox-private" not in str(info.value) + repr(info.value)
    with pytest.raises(AuthFailed, match="company ID"):
        run(tickets(ConnectWiseClient(creds_for(sandbox.url, company="nope"))))


def test_missing_ticket_is_not_found(sandbox: Sandbox) -> None:
    async def scenario() -> None:
        async with client(sandbox.url) as cw:
            await cw.get_json("/service/tickets/999999")

    with pytest.raises(NotFound):
        run(scenario())


def test_rate_limit_429_is_waited_out_through_retry_after() -> None:
    fake = FakeTime()
    config = SandboxConfig(tickets=20, rate_limit=2, monotonic=fake.clock)
    with Sandbox(config) as sb:
        async def scenario() -> tuple[int, list[float]]:
            policy = RetryPolicy(sleep=fake.sleep, clock=fake.clock)
            async with ConnectWiseClient(creds_for(sb.url), retry=policy) as cw:
                for _ in range(5):
                    await cw.get_json("/system/info")
                return cw.stats.requests, fake.sleeps

        requests, sleeps = run(scenario())
    assert sleeps and all(s >= 1 for s in sleeps)
    assert requests > 6


def test_malformed_json_and_500s_on_reads_are_survived_by_retries() -> None:
    with Sandbox(SandboxConfig(tickets=50, faults="malformed=0.3,seed=3")) as sb:
        async def scenario() -> int:
            async with client(sb.url) as cw:
                rows = await cw.list_all("/service/tickets", fields=["id"], page_size=10)
                return len(rows)

        assert run(scenario()) == 50


@pytest.mark.parametrize("shapes", ["full", "lean", "nulls"])
def test_every_entity_parses_into_the_models_in_every_shape(shapes: str) -> None:
    with Sandbox(SandboxConfig(tickets=60, shapes=shapes)) as sb:
        async def scenario() -> dict[str, int]:
            counts: dict[str, int] = {}
            async with client(sb.url) as cw:
                tickets = [Ticket.model_validate(t)
                           for t in await cw.list_all("/service/tickets")]
                counts["tickets"] = len(tickets)
                assert all(t.last_updated and t.last_updated.tzinfo for t in tickets)
                for path, model in (("/service/boards", Board),
                                    ("/service/priorities", Priority),
                                    ("/company/companies", Company),
                                    ("/company/contacts", Contact),
                                    ("/system/members", Member),
                                    ("/schedule/entries", ScheduleEntry),
                                    ("/company/configurations", Configuration)):
                    items = [model.model_validate(r) for r in await cw.list_all(path)]
                    counts[path] = len(items)
                boards = await cw.list("/service/boards")
                statuses = await cw.list(f"/service/boards/{boards[0]['id']}/statuses")
                counts["statuses"] = len([BoardStatus.model_validate(s) for s in statuses])
                some = tickets[0].id
                notes = await cw.list(f"/service/tickets/{some}/allNotes", page_size=1000)
                counts["notes"] = len([Note.model_validate(n) for n in notes])
                refs = await cw.list(f"/service/tickets/{some}/configurations")
                counts["configs"] = len([ConfigurationRef.model_validate(r) for r in refs])
                SystemInfo.model_validate(await cw.get_json("/system/info"))
                contacts = [Contact.model_validate(c)
                            for c in await cw.list("/company/contacts", page_size=50)]
                assert all(c.name for c in contacts)
                # Lean contacts carry no communicationItems: no e-mail, still a valid model.
                assert any(c.email and "@" in c.email for c in contacts) == (shapes != "lean")
            return counts

        counts = run(scenario())
    assert counts["tickets"] == 60
    assert all(v > 0 for k, v in counts.items() if k not in ("notes", "configs"))
