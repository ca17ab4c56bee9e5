"""A board's types, subtypes and items: BoardType-shaped records, counts, conditions, shapes."""

from __future__ import annotations

from typing import Any

import httpx2

from psa.sandbox import Sandbox
from tests.psa.sandbox.conftest import RESTRICTED, make_client

HELP_DESK, LEGACY = 1, 3
TYPE_KEYS = {"id", "name", "category", "defaultFlag", "inactiveFlag", "requestForChangeFlag",
             "location", "department", "board", "_info"}


def listed(c: httpx2.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    r = c.get(path, params={"pageSize": 1000, **params})
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()
    return rows


def test_types_are_board_type_records_of_that_board(sandbox: Sandbox) -> None:
    with make_client(sandbox) as c:
        types = listed(c, f"/service/boards/{HELP_DESK}/types")
        assert types and all(set(t) == TYPE_KEYS for t in types)
        assert all(t["board"]["id"] == HELP_DESK and t["board"]["name"] == "Help Desk"
                   for t in types)
        assert all(t["category"] in ("Reactive", "Proactive") for t in types)
        assert [t["name"] for t in types if t["defaultFlag"]] == ["Software"]
        assert [t["name"] for t in types if t["inactiveFlag"]] == ["Telecom (retired)"]
        assert c.get(f"/service/boards/{HELP_DESK}/types/count").json() == {"count": len(types)}
        one = c.get(f"/service/boards/{HELP_DESK}/types/{types[0]['id']}").json()
        assert one == types[0]
        active = listed(c, f"/service/boards/{HELP_DESK}/types",
                        conditions="inactiveFlag = false", orderBy="name asc", fields="id,name")
        assert [t["name"] for t in active] == sorted(
            t["name"] for t in types if not t["inactiveFlag"])
        assert all(set(t) == {"id", "name"} for t in active)


def test_the_types_match_the_tickets_filed_under_them(sandbox: Sandbox) -> None:
    with make_client(sandbox) as c:
        types = {t["id"]: t["name"] for t in listed(c, f"/service/boards/{HELP_DESK}/types")}
        subtypes = listed(c, f"/service/boards/{HELP_DESK}/subtypes")
        tickets = listed(c, "/service/tickets", conditions=f"board/id = {HELP_DESK}",
                         fields="type,subType")
    associated = {s["id"]: set(s["typeAssociationIds"]) for s in subtypes}
    for ticket in tickets:
        assert types[ticket["type"]["id"]] == ticket["type"]["name"]
        assert ticket["type"]["id"] in associated[ticket["subType"]["id"]]


def test_subtypes_carry_their_type_associations_and_items_their_board(sandbox: Sandbox) -> None:
    with make_client(sandbox) as c:
        subtypes = listed(c, f"/service/boards/{HELP_DESK}/subtypes")
        items = listed(c, f"/service/boards/{HELP_DESK}/items")
        assert subtypes and items
        assert all(set(s) == {"id", "name", "inactiveFlag", "typeAssociationIds", "board",
                              "_info"} for s in subtypes)
        assert all(s["typeAssociationIds"] for s in subtypes)
        assert all(i["board"]["id"] == HELP_DESK for i in items)
        count = c.get(f"/service/boards/{HELP_DESK}/subtypes/count").json()["count"]
        assert count == len(subtypes)


def test_a_board_without_types_lists_none_and_an_unknown_board_is_404(sandbox: Sandbox) -> None:
    with make_client(sandbox) as c:
        assert listed(c, f"/service/boards/{LEGACY}/types") == []
        assert c.get(f"/service/boards/{LEGACY}/subtypes/count").json() == {"count": 0}
        assert c.get("/service/boards/999/types").status_code == 404


def test_the_restricted_key_gets_403_table_setup(sandbox: Sandbox) -> None:
    with make_client(sandbox, RESTRICTED) as c:
        for kind in ("types", "subtypes", "items"):
            r = c.get(f"/service/boards/{HELP_DESK}/{kind}")
            assert r.status_code == 403
            assert "System > Table Setup" in r.json()["message"]


def test_the_lean_shape_lists_bare_types(fresh: Sandbox) -> None:
    fresh.control.configure(shapes="lean")
    with make_client(fresh) as c:
        types = listed(c, f"/service/boards/{HELP_DESK}/types")
        subtypes = listed(c, f"/service/boards/{HELP_DESK}/subtypes")
    assert all(set(t) <= {"id", "name", "inactiveFlag", "_info"} for t in types)
    assert all("typeAssociationIds" not in s for s in subtypes)
