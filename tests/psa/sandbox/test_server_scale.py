"""100,000 tickets: a filtered, ordered list page and a filtered count are correct.

The dataset is generated once for the module; speed is the bench's business
(``bench/sandbox_list_page.py``), so nothing here measures time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from psa.sandbox import Sandbox
from tests.psa.sandbox.conftest import config, make_client

TICKETS = 100_000


@pytest.fixture(scope="module")
def big() -> Iterator[Sandbox]:
    with Sandbox(config(tickets=TICKETS)) as sb:
        yield sb


@pytest.fixture(scope="module")
def records(big: Sandbox) -> list[dict[str, Any]]:
    with big.store.lock:
        return list(big.store.records("tickets"))  # copy-on-write records: safe to keep


@pytest.fixture
def client(big: Sandbox) -> Iterator[httpx2.Client]:
    with make_client(big, timeout=120.0) as c:
        yield c


def _open_on_board(records: list[dict[str, Any]], board: int) -> list[dict[str, Any]]:
    return [t for t in records if t["board"]["id"] == board and not t["closedFlag"]]


def test_dataset_has_100k_tickets(client: httpx2.Client) -> None:
    assert client.get("/service/tickets/count").json() == {"count": TICKETS}


def test_filtered_ordered_page_is_correct(
    client: httpx2.Client, records: list[dict[str, Any]]
) -> None:
    board = records[0]["board"]["id"]
    conditions = f"board/id = {board} and closedFlag = false"
    r = client.get(
        "/service/tickets",
        params={"conditions": conditions, "orderBy": "id desc", "pageSize": 50, "page": 3},
    )
    assert r.status_code == 200
    expected = sorted(_open_on_board(records, board), key=lambda t: -t["id"])[100:150]
    assert [t["id"] for t in r.json()] == [t["id"] for t in expected]
    assert 'rel="last"' in r.headers["Link"]


def test_filtered_count_is_correct(client: httpx2.Client, records: list[dict[str, Any]]) -> None:
    board = records[0]["board"]["id"]
    r = client.get(
        "/service/tickets/count",
        params={"conditions": f"board/id = {board} and closedFlag = false"},
    )
    assert r.json() == {"count": len(_open_on_board(records, board))}


def test_forward_only_page_deep_in_the_set(
    client: httpx2.Client, records: list[dict[str, Any]]
) -> None:
    pivot = sorted(t["id"] for t in records)[90_000]
    r = client.get(
        "/service/tickets",
        params={"pageSize": 25, "pageId": pivot, "fields": "id"},
        headers={"pagination-type": "forward-only"},
    )
    assert [t["id"] for t in r.json()] == sorted(t["id"] for t in records if t["id"] > pivot)[:25]
    assert "pageId=" in r.headers["Link"]
