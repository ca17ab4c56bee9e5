"""Paging, Link headers in ConnectWise's exact form, counts, orderBy and fields through HTTP."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx2
import pytest

from psa.sandbox import Sandbox
from tests.psa.sandbox.conftest import make_client

CONDITIONS = 'closedFlag = false and board/name != "Alerts"'


def links(response: httpx2.Response) -> dict[str, str]:
    """rel → URL, parsed the strict way (split on ", ")."""
    header = response.headers.get("Link")
    if not header:
        return {}
    found = {}
    for part in header.split(", "):
        match = re.fullmatch(r'<([^>]*)>; rel="(first|prev|next|last)"', part)
        assert match, part
        found[match.group(2)] = match.group(1)
    return found


def pyconnectwise_pages(header: str) -> dict[str, int]:
    """How pyconnectwise reads the header: split on ',' and regex each piece."""
    pages = {}
    for part in header.split(","):
        match = re.search(r'page=(\d+)>; rel="(.*?)"', part)
        if match:
            pages[match.group(2)] = int(match.group(1))
    return pages


def walk(client: httpx2.Client, path: str, params: dict[str, Any], **kw: Any) -> list[Any]:
    """Follow rel="next" from the first page; every URL is used exactly as given."""
    seen: list[Any] = []
    response = client.get(path, params=params, **kw)
    while True:
        assert response.status_code == 200, response.text
        seen.extend(response.json())
        nxt = links(response).get("next")
        if nxt is None:
            return seen
        response = client.get(nxt, **kw)


def test_walking_next_visits_every_match_once_with_conditions_kept(
    client: httpx2.Client,
) -> None:
    params = {"conditions": CONDITIONS, "pageSize": 7, "orderBy": "priority/id desc, id asc"}
    rows = walk(client, "/service/tickets", params)
    ids = [t["id"] for t in rows]
    assert len(ids) == len(set(ids))
    count = client.get("/service/tickets/count", params={"conditions": CONDITIONS}).json()
    assert len(ids) == count["count"] > 14
    assert all(t["closedFlag"] is False and t["board"]["name"] != "Alerts" for t in rows)
    everything = client.get("/service/tickets", params={"pageSize": 1000}).json()
    expected = {
        t["id"] for t in everything if not t["closedFlag"] and t["board"]["name"] != "Alerts"
    }
    assert set(ids) == expected


def test_link_header_form_is_connectwise_s(client: httpx2.Client, sandbox: Sandbox) -> None:
    r = client.get(
        "/service/tickets", params={"conditions": "board/id = 1", "pageSize": 10, "page": 2}
    )
    base = sandbox.api_url + "/service/tickets?conditions=board%2Fid%20%3D%201&pageSize=10&page="
    parts = r.headers["Link"].split(", ")
    assert parts[0] == f'<{base}1>; rel="first"'
    assert parts[1] == f'<{base}1>; rel="prev"'
    assert parts[2] == f'<{base}3>; rel="next"'
    assert re.fullmatch(rf'<{re.escape(base)}\d+>; rel="last"', parts[3])
    assert len(parts) == 4


def test_links_follow_the_host_the_client_used(sandbox: Sandbox) -> None:
    # ConnectWise's links are the request URL re-encoded: a client that reached the server by
    # another name (here its Host header) gets that name back, not the announced address.
    api = urlsplit(sandbox.api_url).path
    with make_client(sandbox) as c:
        r = c.get("/service/tickets", params={"pageSize": 10},
                  headers={"Host": "cw.example.net:8443"})
    assert links(r)["next"].startswith(f"http://cw.example.net:8443{api}/service/tickets?")


def test_link_keeps_other_params_in_order_and_encodes_commas(client: httpx2.Client) -> None:
    r = client.get(
        "/service/tickets",
        params=[("pageSize", "5"), ("fields", "id,summary,board/name"), ("orderBy", "id desc")],
    )
    nxt = links(r)["next"]
    query = urlsplit(nxt).query
    assert query == "fields=id%2Csummary%2Cboard%2Fname&orderBy=id%20desc&pageSize=5&page=2"
    assert pyconnectwise_pages(r.headers["Link"]) == {
        "next": 2,
        "last": pyconnectwise_pages(r.headers["Link"])["last"],
    }


def test_pyconnectwise_regex_reads_every_rel(client: httpx2.Client) -> None:
    conditions = 'summary contains "a,b" or id > 0'
    r = client.get("/service/tickets", params={"conditions": conditions, "pageSize": 25, "page": 3})
    pages = pyconnectwise_pages(r.headers["Link"])
    assert pages["first"] == 1
    assert pages["prev"] == 2
    assert pages["next"] == 4
    total = client.get("/service/tickets/count", params={"conditions": conditions})
    assert pages["last"] == -(-total.json()["count"] // 25)


def test_first_page_has_next_and_last_only_last_page_first_and_prev(
    client: httpx2.Client,
) -> None:
    first = client.get("/service/tickets", params={"pageSize": 100})
    assert set(links(first)) == {"next", "last"}
    last_url = links(first)["last"]
    last = client.get(last_url)
    assert set(links(last)) == {"first", "prev"}
    assert len(last.json()) <= 100


def test_single_page_has_no_link_header(client: httpx2.Client) -> None:
    r = client.get("/service/priorities")
    assert "Link" not in r.headers


def test_page_size_defaults_to_25_and_is_capped_at_1000(client: httpx2.Client) -> None:
    assert len(client.get("/service/tickets").json()) == 25
    big = client.get("/service/tickets", params={"pageSize": 5000})
    assert big.status_code == 200
    assert len(big.json()) == 300  # all of them: the cap is 1000
    assert "Link" not in big.headers


def test_page_size_cap_shows_in_links(sandbox: Sandbox) -> None:
    from tests.psa.sandbox.conftest import config, make_client

    with Sandbox(config(tickets=1500)) as sb, make_client(sb) as c:
        r = c.get("/service/tickets", params={"pageSize": 5000})
        assert len(r.json()) == 1000
        assert "pageSize=1000&page=2" in links(r)["next"]


def test_page_past_the_end_is_empty(client: httpx2.Client) -> None:
    assert client.get("/service/tickets", params={"page": 999}).json() == []


@pytest.mark.parametrize("bad", [{"page": "x"}, {"pageSize": "1.5"}])
def test_non_integer_paging_is_400(client: httpx2.Client, bad: dict[str, str]) -> None:
    assert client.get("/service/tickets", params=bad).status_code == 400


def test_forward_only_paging_visits_every_match_once(client: httpx2.Client) -> None:
    headers = {"pagination-type": "forward-only"}
    params = {"conditions": CONDITIONS, "pageSize": 9}
    rows = walk(client, "/service/tickets", params, headers=headers)
    ids = [t["id"] for t in rows]
    assert ids == sorted(set(ids))
    count = client.get("/service/tickets/count", params={"conditions": CONDITIONS}).json()
    assert len(ids) == count["count"]


def test_forward_only_link_uses_page_id(client: httpx2.Client, sandbox: Sandbox) -> None:
    r = client.get(
        "/service/tickets",
        params={"pageSize": 5, "conditions": "id > 0"},
        headers={"pagination-type": "forward-only"},
    )
    last_id = r.json()[-1]["id"]
    assert r.headers["Link"] == (
        f"<{sandbox.api_url}/service/tickets?conditions=id%20%3E%200&pageSize=5"
        f'&pageId={last_id}>; rel="next"'
    )


def test_count_honours_conditions_on_every_count_endpoint(client: httpx2.Client) -> None:
    for path in ("/service/tickets", "/company/companies", "/system/members", "/service/boards"):
        everything = client.get(path, params={"pageSize": 1000}).json()
        assert client.get(path + "/count").json() == {"count": len(everything)}
        some = client.get(path + "/count", params={"conditions": f"id <= {everything[2]['id']}"})
        assert some.json()["count"] == sum(1 for e in everything if e["id"] <= everything[2]["id"])


def test_order_by_several_keys(client: httpx2.Client) -> None:
    rows = client.get(
        "/service/tickets", params={"orderBy": "board/id asc, id desc", "pageSize": 1000}
    ).json()
    keys = [(t["board"]["id"], -t["id"]) for t in rows]
    assert keys == sorted(keys)


def test_fields_projection_keeps_nested_paths(client: httpx2.Client) -> None:
    rows = client.get(
        "/service/tickets", params={"fields": "id,summary,board/name", "pageSize": 5}
    ).json()
    for row in rows:
        assert set(row) == {"id", "summary", "board"}
        assert set(row["board"]) == {"name"}


def test_fields_on_a_single_ticket(client: httpx2.Client) -> None:
    ticket_id = client.get("/service/tickets", params={"pageSize": 1}).json()[0]["id"]
    row = client.get(f"/service/tickets/{ticket_id}", params={"fields": "id,_info/lastUpdated"})
    assert row.json() == {
        "id": ticket_id,
        "_info": {"lastUpdated": row.json()["_info"]["lastUpdated"]},
    }


def test_query_errors_are_400_with_their_code(client: httpx2.Client) -> None:
    unknown = client.get("/service/tickets", params={"conditions": "nosuchfield = 1"})
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "ApiFindCondition"
    bad = client.get("/service/tickets", params={"conditions": "id = = 1"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "InvalidQuery"
    order = client.get("/service/tickets", params={"orderBy": "nosuch asc"})
    assert order.status_code == 400


def test_search_takes_conditions_from_the_body_and_paging_from_the_query(
    client: httpx2.Client,
) -> None:
    body = {"conditions": CONDITIONS, "orderBy": "id desc"}
    r = client.post("/service/tickets/search", params={"pageSize": 4, "page": 2}, json=body)
    assert r.status_code == 200
    got = [t["id"] for t in r.json()]
    listed = client.get(
        "/service/tickets",
        params={"conditions": CONDITIONS, "orderBy": "id desc", "pageSize": 4, "page": 2},
    ).json()
    assert got == [t["id"] for t in listed]
    assert "page=3" in links(r)["next"]


def test_query_string_over_2048_bytes_is_refused_like_iis(client: httpx2.Client) -> None:
    ids = ",".join(str(n) for n in range(1, 600))
    r = client.get("/service/tickets", params={"conditions": f"id in ({ids})"})
    assert r.status_code == 404
    assert "404.15" in r.text
    search = client.post("/service/tickets/search", json={"conditions": f"id in ({ids})"})
    assert search.status_code == 200


def test_custom_field_conditions_are_accepted(client: httpx2.Client) -> None:
    r = client.get("/service/tickets/count", params={"customFieldConditions": 'caption = "x"'})
    assert r.status_code == 200
    assert r.json()["count"] >= 0


def test_cached_results_see_changes_made_directly_on_the_store(fresh: Sandbox) -> None:
    from tests.psa.sandbox.conftest import make_client

    params = {"conditions": 'summary contains "zebra"', "fields": "id"}
    with make_client(fresh) as c:
        assert c.get("/service/tickets", params=params).json() == []
        assert c.get("/service/tickets/count", params=params).json() == {"count": 0}
        ticket_id = c.get("/service/tickets", params={"pageSize": 1}).json()[0]["id"]
        with fresh.store.lock:
            fresh.store.patch_ticket(
                ticket_id,
                [{"op": "replace", "path": "summary", "value": "Zebra printer offline"}],
                member="dispatch",
            )
        assert c.get("/service/tickets", params=params).json() == [{"id": ticket_id}]
        assert c.get("/service/tickets/count", params=params).json() == {"count": 1}


def test_selector_reuses_results_only_for_the_same_objects() -> None:
    from psa.sandbox.listing import ListQuery, Selector
    from psa.sandbox.query import FieldSet

    fields = FieldSet(frozenset({"id", "name"}))
    rows = [{"id": i, "name": f"n{i}"} for i in range(1, 6)]
    selector = Selector()
    query = ListQuery(conditions='name != "n2"', order_by="id desc")
    first = selector.select("x", rows, fields, query)
    assert [r["id"] for r in first] == [5, 4, 3, 1]
    assert selector.select("x", list(rows), fields, query) is first  # same objects: cached
    rows[0] = {"id": 1, "name": "n2"}  # copy-on-write change
    assert [r["id"] for r in selector.select("x", rows, fields, query)] == [5, 4, 3]
    rows.append({"id": 6, "name": "n6"})
    assert [r["id"] for r in selector.select("x", rows, fields, query)] == [6, 5, 4, 3]
    count_query = ListQuery(conditions='name != "n2"')
    assert [r["id"] for r in selector.select("x", rows, fields, count_query)] == [3, 4, 5, 6]
