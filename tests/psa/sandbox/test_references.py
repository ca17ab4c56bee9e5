"""Every nested reference in the sandbox's bodies is a reference, not a whole record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from psa.sandbox import Sandbox
from tests.psa.sandbox.conftest import make_client

REFERENCE_KEYS = frozenset({"id", "identifier", "name", "_info"})
# What ConnectWise's own *Reference schemas add (openapi-subset.json).
EXTRA_KEYS: dict[str, frozenset[str]] = {
    "priority": frozenset({"sort", "level"}),  # PriorityReference
    "status": frozenset({"sort"}),  # ServiceStatusReference
    "autoCloseStatus": frozenset({"sort"}),  # ServiceStatusReference
    "ticket": frozenset({"summary"}),  # TicketReference
    "mergedParentTicket": frozenset({"summary"}),  # TicketReference
    "agreement": frozenset({"type"}),  # AgreementReference
    "workType": frozenset({"utilizationFlag"}),  # WorkTypeReference
    "currency": frozenset({  # CurrencyReference
        "symbol", "currencyCode", "decimalSeparator", "numberOfDecimals", "thousandsSeparator",
        "negativeParenthesesFlag", "displaySymbolFlag", "currencyIdentifier", "displayIdFlag",
        "rightAlign",
    }),
}


def references(value: Any, path: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, key, object) for each nested object that carries an id and an _info."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict) and "id" in item and "_info" in item:
                yield f"{path}/{key}", key, item
            yield from references(item, f"{path}/{key}")
    elif isinstance(value, list):
        for item in value:
            yield from references(item, f"{path}[]")


def bad_references(bodies: list[Any]) -> set[tuple[str, tuple[str, ...]]]:
    bad: set[tuple[str, tuple[str, ...]]] = set()
    for body in bodies:
        for path, key, ref in references(body):
            extra = set(ref) - REFERENCE_KEYS - EXTRA_KEYS.get(key, frozenset())
            if extra:
                bad.add((path, tuple(sorted(extra))))
    return bad


def test_references_in_bodies_are_references(fresh: Sandbox) -> None:
    with make_client(fresh) as c:
        created = c.post("/service/tickets", json={
            "summary": "Laptop will not boot", "company": {"id": 20}, "board": {"id": 1},
            "initialDescription": "Black screen.", "initialInternalAnalysis": "Check the SSD.",
        })
        assert created.status_code == 201
        new_id = created.json()["id"]
        bodies: list[Any] = [created.json()]
        for endpoint in ("/service/tickets", "/company/companies", "/company/contacts",
                         "/company/configurations", "/system/members", "/schedule/entries",
                         "/service/priorities", "/service/boards"):
            bodies.append(c.get(endpoint, params={"pageSize": 1000}).json())
        ids = [t["id"] for t in c.get("/service/tickets",
                                      params={"pageSize": 60, "fields": "id"}).json()]
        for tid in [new_id, *ids]:
            for part in ("", "/notes", "/allNotes", "/configurations"):
                bodies.append(c.get(f"/service/tickets/{tid}{part}").json())
        for board in c.get("/service/boards").json():
            bodies.append(c.get(f"/service/boards/{board['id']}/statuses").json())
    assert bad_references(bodies) == set()
