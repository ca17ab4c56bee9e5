"""Wire-level tests of the ConnectWise client: headers, discovery, error mapping, paging."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
import respx

from psa.connectwise.client import ACCEPT, DEFAULT_TIMEOUT, ConnectWiseClient
from psa.connectwise.conditions import F, id_in
from psa.connectwise.credentials import Credentials
from psa.connectwise.errors import (
    AuthFailed,
    Conflict,
    ConnectWiseError,
    InvalidObject,
    NotFound,
    PermissionDenied,
    ServerError,
)
from tests.psa.connectwise.conftest import BASE, INFO_URL, SECRET

MakeClient = Callable[..., ConnectWiseClient]


T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def info_route(mock: respx.Router, codebase: str = "v4_6_release/") -> respx.Route:
    return mock.get(INFO_URL).mock(
        return_value=respx.MockResponse(200, json={"Codebase": codebase, "CompanyName": "Acme"})
    )


def cw_error(status: int, code: str, message: str, errors: Any = None) -> respx.MockResponse:
    return respx.MockResponse(status, json={"code": code, "message": message, "errors": errors})


def query(request: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(str(request.url)).query, keep_blank_values=True)


# ------------------------------------------------------------------ headers, auth, discovery


def test_every_api_request_carries_basic_auth_client_id_and_versioned_accept(
    httpx2_mock: respx.Router, make_client: MakeClient, creds: Credentials
) -> None:
    info_route(httpx2_mock)
    route = httpx2_mock.get(f"{BASE}/system/info").mock(
        return_value=respx.MockResponse(200, json={"version": "v2025.8"})
    )

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.get_json("/system/info")

    assert run(scenario()) == {"version": "v2025.8"}
    headers = route.calls.last.request.headers
    expected = base64.b64encode(f"acme+pub-key:{SECRET}".encode()).decode()
    assert headers["authorization"] == f"Basic {expected}"
    assert headers["clientid"] == creds.client_id
    assert headers["accept"] == ACCEPT == "application/vnd.connectwise.com+json; version=2025.8"


def test_connect_and_read_timeouts_are_explicit(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    route = info_route(httpx2_mock)

    async def scenario() -> None:
        async with make_client(timeout=httpx2.Timeout(connect=2.0, read=7.0, write=7.0,
                                                      pool=9.0)) as cw:
            await cw.api_base()
        async with make_client() as cw:
            await cw.api_base()

    run(scenario())
    custom, default = (call.request.extensions["timeout"] for call in route.calls)
    assert (custom["connect"], custom["read"]) == (2.0, 7.0)
    assert (default["connect"], default["read"]) == (
        DEFAULT_TIMEOUT.connect, DEFAULT_TIMEOUT.read) == (10.0, 30.0)


def test_plain_http_to_a_remote_host_is_allowed_but_warned_about(
    make_client: MakeClient, creds: Credentials, caplog: pytest.LogCaptureFixture
) -> None:
    make_client(creds=creds.model_copy(update={"site": "http://cw.example.com"}))
    make_client(creds=creds.model_copy(update={"site": "http://127.0.0.1:8000"}))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["plain http to cw.example.com: the API keys travel unencrypted"]


def test_company_info_is_asked_without_the_auth_header(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    route = info_route(httpx2_mock)

    async def scenario() -> str:
        async with make_client() as cw:
            return await cw.api_base()

    assert run(scenario()) == BASE
    assert "authorization" not in route.calls.last.request.headers


def test_discovery_is_cached_and_shared_by_concurrent_first_calls(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info = info_route(httpx2_mock)
    httpx2_mock.get(f"{BASE}/system/info").mock(return_value=respx.MockResponse(200, json={}))

    async def scenario() -> None:
        async with make_client() as cw:
            await asyncio.gather(*(cw.get_json("/system/info") for _ in range(5)))
            await cw.get_json("/system/info")

    run(scenario())
    assert info.call_count == 1


def test_cloud_site_is_mapped_to_its_api_host(
    httpx2_mock: respx.Router, make_client: MakeClient, creds: Credentials
) -> None:
    cloud = creds.model_copy(update={"site": "https://NA.myconnectwise.net/"})
    info = httpx2_mock.get("https://api-na.myconnectwise.net/login/companyinfo/acme").mock(
        return_value=respx.MockResponse(200, json={"Codebase": "v2025_1/"})
    )

    async def scenario() -> str:
        async with make_client(creds=cloud) as cw:
            return await cw.api_base()

    assert run(scenario()) == "https://api-na.myconnectwise.net/v2025_1/apis/3.0"
    assert info.called


def test_discovery_follows_a_cloud_region_reported_by_company_info(
    httpx2_mock: respx.Router, make_client: MakeClient, creds: Credentials
) -> None:
    cloud = creds.model_copy(update={"site": "na.myconnectwise.net"})
    httpx2_mock.get("https://api-na.myconnectwise.net/login/companyinfo/acme").mock(
        return_value=respx.MockResponse(
            200, json={"Codebase": "v2025_1/", "IsCloud": True, "SiteUrl": "eu.myconnectwise.net"}
        )
    )

    async def scenario() -> tuple[str, str]:
        async with make_client(creds=cloud) as cw:
            return await cw.api_base(), cw.site.browser_origin

    base, browser = run(scenario())
    assert base == "https://api-eu.myconnectwise.net/v2025_1/apis/3.0"
    assert browser == "https://eu.myconnectwise.net"


def test_company_info_cannot_redirect_credentials_to_a_foreign_host(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    httpx2_mock.get(INFO_URL).mock(
        return_value=respx.MockResponse(
            200, json={"Codebase": "v1/", "IsCloud": True, "SiteUrl": "evil.example.net"}
        )
    )

    async def scenario() -> str:
        async with make_client() as cw:
            return await cw.api_base()

    assert run(scenario()) == "https://cw.example.com/v1/apis/3.0"


def test_unknown_company_is_reported_as_auth_failure_naming_the_company(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    httpx2_mock.get(INFO_URL).mock(return_value=respx.MockResponse(200, content=b"null"))

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.api_base()

    with pytest.raises(AuthFailed, match="'acme'") as info:
        run(scenario())
    assert info.value.code == "UnknownCompany"


def test_a_site_that_is_not_connectwise_gives_a_clear_error(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    httpx2_mock.get(INFO_URL).mock(
        return_value=respx.MockResponse(200, content=b"<html>captive portal</html>")
    )

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.api_base()

    with pytest.raises(ServerError, match="malformed"):
        run(scenario())


def test_company_info_404_says_check_the_site(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    httpx2_mock.get(INFO_URL).mock(return_value=respx.MockResponse(404, content=b"<html/>"))

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.api_base()

    with pytest.raises(NotFound, match="Check the site") as info:
        run(scenario())
    assert info.value.code == "SiteNotFound"


def test_a_404_triggers_one_rediscovery_and_a_replay_on_the_new_codebase(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info = httpx2_mock.get(INFO_URL)
    info.side_effect = [
        respx.MockResponse(200, json={"Codebase": "v2024_1/"}),
        respx.MockResponse(200, json={"Codebase": "v2025_1/"}),
    ]
    old = httpx2_mock.get("https://cw.example.com/v2024_1/apis/3.0/system/info").mock(
        return_value=respx.MockResponse(404, content=b"<html>Not Found</html>")
    )
    new = httpx2_mock.get("https://cw.example.com/v2025_1/apis/3.0/system/info").mock(
        return_value=respx.MockResponse(200, json={"version": "2025.1"})
    )

    async def scenario() -> Any:
        async with make_client() as cw:
            first = await cw.get_json("/system/info")
            return first, await cw.get_json("/system/info"), cw.stats.requests

    first, second, requests = run(scenario())
    assert first == second == {"version": "2025.1"}
    assert (info.call_count, old.call_count, new.call_count) == (2, 1, 2)
    assert requests == 5


def test_a_post_that_404s_on_a_stale_codebase_is_replayed_once_on_the_new_one(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info = httpx2_mock.get(INFO_URL)
    info.side_effect = [
        respx.MockResponse(200, json={"Codebase": "v2024_1/"}),
        respx.MockResponse(200, json={"Codebase": "v2025_1/"}),
    ]
    old = httpx2_mock.post("https://cw.example.com/v2024_1/apis/3.0/service/tickets").mock(
        return_value=respx.MockResponse(404, content=b"")
    )
    new = httpx2_mock.post("https://cw.example.com/v2025_1/apis/3.0/service/tickets").mock(
        return_value=respx.MockResponse(201, json={"id": 9})
    )

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.post_json("/service/tickets", {"summary": "x"})

    assert run(scenario()) == {"id": 9}
    assert (old.call_count, new.call_count) == (1, 1)


def test_a_404_with_an_unchanged_codebase_is_not_found_after_one_rediscovery(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info = info_route(httpx2_mock)
    ticket = httpx2_mock.get(f"{BASE}/service/tickets/999").mock(
        return_value=cw_error(404, "NotFound", "Ticket 999 not found")
    )

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.get_json("/service/tickets/999")

    with pytest.raises(NotFound, match="Ticket 999 not found") as err:
        run(scenario())
    assert (info.call_count, ticket.call_count) == (2, 1)
    assert err.value.endpoint == "/service/tickets/{id}"


# ------------------------------------------------------------------ error mapping


@pytest.mark.parametrize(
    ("status", "body", "kind", "fragment"),
    [
        (401, {"code": "Unauthorized", "message": "bad key"}, AuthFailed, "credentials"),
        (403, {"code": "Forbidden", "message": "no"}, PermissionDenied,
         "Service Desk > Service Tickets (Inquire)"),
        (409, {"code": "Conflict", "message": "in use"}, Conflict, "in use"),
        (500, {"code": "ConnectWiseApi", "message": "boom"}, ServerError, "HTTP 500"),
        (418, {"code": "Teapot", "message": "short and stout"}, ConnectWiseError, "HTTP 418"),
    ],
)
def test_error_statuses_map_to_the_hierarchy_with_actionable_messages(
    httpx2_mock: respx.Router, make_client: MakeClient, *, status: int, body: dict[str, Any],
    kind: type[ConnectWiseError], fragment: str,
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.get(f"{BASE}/service/tickets").mock(
        return_value=respx.MockResponse(status, json=body)
    )

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.list("/service/tickets")

    with pytest.raises(kind) as info:
        run(scenario())
    assert type(info.value) is kind
    assert fragment in str(info.value)
    assert info.value.status == status
    assert info.value.code == body["code"]
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)


@pytest.mark.parametrize(
    ("method", "path", "permission"),
    [
        ("GET", "/system/members", "System > Member Maintenance (Inquire)"),
        ("GET", "/service/boards/3/statuses", "System > Table Setup (Inquire)"),
        ("GET", "/schedule/entries", "Service Desk > Resource Scheduling (Inquire)"),
        ("POST", "/schedule/entries", "Service Desk > Resource Scheduling (Add)"),
        ("DELETE", "/schedule/entries/7", "Service Desk > Resource Scheduling (Delete)"),
        ("GET", "/company/configurations", "Companies > Configurations (Inquire)"),
        ("PATCH", "/service/tickets/5", "Service Desk > Service Tickets (Edit)"),
    ],
)
def test_permission_denied_names_endpoint_and_security_role_permission(
    httpx2_mock: respx.Router, make_client: MakeClient, method: str, path: str, permission: str
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.route(method=method, url=f"{BASE}{path}").mock(
        return_value=cw_error(403, "Forbidden", "You do not have access")
    )

    async def scenario() -> None:
        async with make_client() as cw:
            if method == "GET":
                await cw.get_json(path)
            elif method == "POST":
                await cw.post_json(path, {})
            elif method == "PATCH":
                await cw.patch_json(path, [])
            else:
                await cw.delete(path)

    with pytest.raises(PermissionDenied) as info:
        run(scenario())
    assert info.value.permission == permission
    assert permission in str(info.value)
    assert info.value.endpoint is not None and info.value.endpoint in str(info.value)


def test_invalid_object_lists_the_field_errors(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.post(f"{BASE}/service/tickets").mock(
        return_value=cw_error(400, "InvalidObject", "ticket object is invalid", [
            {"code": "NullOrEmpty", "message": "Summary is required", "resource": "ticket",
             "field": "summary"},
            {"code": "Invalid", "message": "Company not found", "field": "company"},
            "junk",
        ])
    )

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.post_json("/service/tickets", {})

    with pytest.raises(InvalidObject) as info:
        run(scenario())
    assert [(e.field, e.code) for e in info.value.field_errors] == [
        ("summary", "NullOrEmpty"), ("company", "Invalid")
    ]
    assert "summary: Summary is required" in str(info.value)
    assert "company: Company not found" in str(info.value)


def test_bad_condition_400_is_invalid_object_with_the_server_code(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.get(f"{BASE}/service/tickets").mock(
        return_value=cw_error(400, "ApiFindCondition", "foo is not a recognized name.")
    )

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.list("/service/tickets", conditions="foo = 1")

    with pytest.raises(InvalidObject, match="recognized") as info:
        run(scenario())
    assert info.value.code == "ApiFindCondition"


@pytest.mark.parametrize(
    "content", [b'[{"id": 1, "summ', b"\xff\xfe not json", b"<html>oops</html>", b"{]"]
)
def test_malformed_or_truncated_json_is_a_server_error_with_a_clear_message(
    httpx2_mock: respx.Router, make_client: MakeClient, content: bytes
) -> None:
    info_route(httpx2_mock)
    route = httpx2_mock.get(f"{BASE}/service/tickets").mock(
        return_value=respx.MockResponse(200, content=content)
    )

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.list("/service/tickets")

    with pytest.raises(ServerError, match="malformed or truncated") as info:
        run(scenario())
    assert info.value.code == "MalformedResponse"
    assert route.call_count == 4  # a GET is idempotent: retried, then reported


def test_a_list_endpoint_answering_an_object_is_a_server_error(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.get(f"{BASE}/service/boards").mock(
        return_value=respx.MockResponse(200, json={"id": 1})
    )

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.list("/service/boards")

    with pytest.raises(ServerError, match="other than a list"):
        run(scenario())


def test_an_empty_body_decodes_to_none(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.delete(f"{BASE}/schedule/entries/4").mock(return_value=respx.MockResponse(204))

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.delete("/schedule/entries/4")

    run(scenario())


def test_a_redirect_is_not_followed_with_the_credentials(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.get(f"{BASE}/system/info").mock(
        return_value=respx.MockResponse(302, headers={"Location": "https://evil.example/"})
    )

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.get_json("/system/info")

    with pytest.raises(ServerError, match="redirected"):
        run(scenario())


# ------------------------------------------------------------------ paging


def test_list_sends_conditions_fields_order_and_paging_params(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    route = httpx2_mock.get(f"{BASE}/service/tickets").mock(
        return_value=respx.MockResponse(200, json=[{"id": 1}])
    )

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.list(
                "/service/tickets", conditions=(F("board/id") == 3) & (F("closedFlag") == False),  # noqa: E712
                fields=["id", "summary", "board/name"], order_by="id desc", page=2,
                page_size=50, extra={"childConditions": "x"},
            )

    assert run(scenario()) == [{"id": 1}]
    params = query(route.calls.last.request)
    assert params == {
        "conditions": ["board/id = 3 and closedFlag = false"],
        "fields": ["id,summary,board/name"], "orderBy": ["id desc"],
        "childConditions": ["x"], "pageSize": ["50"], "page": ["2"],
    }
    assert str(route.calls.last.request.url).endswith("pageSize=50&page=2")


@pytest.mark.parametrize("size", [0, 1001, -5])
def test_page_size_is_bounded_by_connectwise_max(make_client: MakeClient, size: int) -> None:
    async def scenario() -> None:
        async with make_client() as cw:
            await cw.list("/service/tickets", page_size=size)

    with pytest.raises(ValueError, match="page_size"):
        run(scenario())


@pytest.mark.parametrize("order_by", ["id; drop", "summary asc)", 'id desc"'])
def test_order_by_and_fields_refuse_anything_but_paths(
    make_client: MakeClient, order_by: str
) -> None:
    async def scenario() -> None:
        async with make_client() as cw:
            await cw.list("/service/tickets", order_by=order_by)

    with pytest.raises(ValueError, match="orderBy"):
        run(scenario())


def test_list_page_parses_the_link_header(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    link = (
        f'<{BASE}/service/tickets?conditions=board%2Fid%3D3&pageSize=10&page=1>; rel="first", '
        f'<{BASE}/service/tickets?conditions=board%2Fid%3D3&pageSize=10&page=1>; rel="prev", '
        f'<{BASE}/service/tickets?conditions=board%2Fid%3D3&pageSize=10&page=3>; rel="next", '
        f'<{BASE}/service/tickets?conditions=board%2Fid%3D3&pageSize=10&page=7>; rel="last"'
    )
    httpx2_mock.get(f"{BASE}/service/tickets").mock(
        return_value=respx.MockResponse(200, json=[], headers={"Link": link})
    )

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.list_page("/service/tickets", page=2, page_size=10)

    page = run(scenario())
    assert set(page.links) == {"first", "prev", "next", "last"}
    assert (page.next_page, page.last_page) == (3, 7)


def test_count_uses_the_count_sibling_with_the_same_conditions(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    route = httpx2_mock.get(f"{BASE}/service/tickets/count").mock(
        return_value=respx.MockResponse(200, json={"count": 42})
    )

    async def scenario() -> int:
        async with make_client() as cw:
            return await cw.count("/service/tickets", conditions=F("board/id") == 3)

    assert run(scenario()) == 42
    assert query(route.calls.last.request) == {"conditions": ["board/id = 3"]}


@pytest.mark.parametrize("body", [{"total": 3}, {"count": "3"}, {"count": True}, [3]])
def test_a_count_without_an_int_count_is_a_server_error(
    httpx2_mock: respx.Router, make_client: MakeClient, body: Any
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.get(f"{BASE}/service/tickets/count").mock(
        return_value=respx.MockResponse(200, json=body)
    )

    async def scenario() -> int:
        async with make_client() as cw:
            return await cw.count("/service/tickets")

    with pytest.raises(ServerError, match="without a count"):
        run(scenario())


def _paged_handler(total: int, seen: list[dict[str, list[str]]]) -> Callable[[Any], Any]:
    def handler(request: Any) -> respx.MockResponse:
        params = query(request)
        seen.append(params)
        if request.url.path.endswith("/count"):
            return respx.MockResponse(200, json={"count": total})
        size, page = int(params["pageSize"][0]), int(params["page"][0])
        ids = range((page - 1) * size + 1, min(page * size, total) + 1)
        return respx.MockResponse(200, json=[{"id": i} for i in ids])

    return handler


def test_list_all_visits_every_page_once_keeping_conditions_on_each(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    seen: list[dict[str, list[str]]] = []
    httpx2_mock.route(url__startswith=f"{BASE}/service/tickets").mock(
        side_effect=_paged_handler(2345, seen)
    )

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.list_all(
                "/service/tickets", conditions=F("board/id") == 3, fields=["id"]
            )

    records = run(scenario())
    assert [r["id"] for r in records] == list(range(1, 2346))
    pages = sorted(int(p["page"][0]) for p in seen if "page" in p)
    assert pages == [1, 2, 3]
    assert all(p["conditions"] == ["board/id = 3"] for p in seen)
    assert all(p["orderBy"] == ["id asc"] for p in seen if "page" in p)


def test_list_all_follows_pages_past_a_stale_count(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    seen: list[dict[str, list[str]]] = []
    real = _paged_handler(25, seen)

    def handler(request: Any) -> respx.MockResponse:
        if request.url.path.endswith("/count"):
            seen.append({})
            return respx.MockResponse(200, json={"count": 12})  # grew since the count
        return real(request)

    httpx2_mock.route(url__startswith=f"{BASE}/service/tickets").mock(side_effect=handler)

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.list_all("/service/tickets", page_size=5)

    assert [r["id"] for r in run(scenario())] == list(range(1, 26))


def test_list_all_trusts_an_exact_count_without_probing_an_extra_page(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    seen: list[dict[str, list[str]]] = []
    httpx2_mock.route(url__startswith=f"{BASE}/service/tickets").mock(
        side_effect=_paged_handler(20, seen)
    )

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.list_all("/service/tickets", page_size=5), cw.stats.requests

    records, requests = run(scenario())
    assert len(records) == 20
    assert requests == 1 + 1 + 4  # discovery, count, four pages


def test_list_all_of_an_empty_list_makes_two_requests(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    seen: list[dict[str, list[str]]] = []
    httpx2_mock.route(url__startswith=f"{BASE}/service/tickets").mock(
        side_effect=_paged_handler(0, seen)
    )

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.list_all("/service/tickets"), cw.stats.requests

    records, requests = run(scenario())
    assert records == [] and requests == 3  # discovery + count + first page


def test_list_all_dedupes_records_that_shift_between_pages(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)

    def handler(request: Any) -> respx.MockResponse:
        if request.url.path.endswith("/count"):
            return respx.MockResponse(200, json={"count": 4})
        page = int(query(request)["page"][0])
        return respx.MockResponse(200, json=[{"id": 1}, {"id": 2}] if page == 1 else
                                  [{"id": 2}, {"id": 3}] if page == 2 else [])

    httpx2_mock.route(url__startswith=f"{BASE}/service/tickets").mock(side_effect=handler)

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.list_all("/service/tickets", page_size=2)

    assert [r["id"] for r in run(scenario())] == [1, 2, 3]


def test_forward_only_walk_follows_next_links_with_the_header(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    route = httpx2_mock.get(url__startswith=f"{BASE}/service/tickets")
    route.side_effect = [
        respx.MockResponse(200, json=[{"id": 1}, {"id": 2}], headers={
            "Link": f'<{BASE}/service/tickets?pageSize=2&pageId=2>; rel="next"'}),
        respx.MockResponse(200, json=[{"id": 3}]),
    ]

    async def scenario() -> list[int]:
        async with make_client() as cw:
            return [r["id"] async for page in cw.iter_forward_only(
                "/service/tickets", page_size=2) for r in page]

    assert run(scenario()) == [1, 2, 3]
    assert [query(c.request) for c in route.calls] == [
        {"pageSize": ["2"]}, {"pageSize": ["2"], "pageId": ["2"]}
    ]
    assert all(c.request.headers["pagination-type"] == "forward-only" for c in route.calls)


def test_forward_only_walk_stops_on_a_next_link_that_repeats(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.get(url__startswith=f"{BASE}/service/tickets").mock(
        return_value=respx.MockResponse(200, json=[{"id": 1}], headers={
            "Link": f'<{BASE}/service/tickets?pageSize=2&pageId=2>; rel="next"'})
    )

    async def scenario() -> None:
        async with make_client() as cw:
            async for _ in cw.iter_forward_only("/service/tickets", page_size=2):
                pass

    with pytest.raises(ServerError, match="repeats"):
        run(scenario())


def test_forward_only_walk_asks_its_own_base_for_a_link_naming_another_host(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    # Credentials go only to the site's API base: the link's pageId is asked for there (a
    # request to evil.example would fail the test: respx allows mocked routes only).
    info_route(httpx2_mock)
    route = httpx2_mock.get(url__startswith=f"{BASE}/service/tickets")
    route.side_effect = [
        respx.MockResponse(200, json=[{"id": 1}], headers={
            "Link": '<https://evil.example/apis/3.0/service/tickets?pageSize=1&pageId=9>; '
                    'rel="next"'}),
        respx.MockResponse(200, json=[{"id": 2}]),
    ]

    async def scenario() -> list[int]:
        async with make_client() as cw:
            return [r["id"] async for page in cw.iter_forward_only(
                "/service/tickets", page_size=1) for r in page]

    assert run(scenario()) == [1, 2]
    assert [query(c.request) for c in route.calls] == [
        {"pageSize": ["1"]}, {"pageSize": ["1"], "pageId": ["9"]}
    ]
    assert all(c.request.url.host != "evil.example" for c in httpx2_mock.calls)


def test_forward_only_walk_refuses_a_foreign_next_link_without_a_page_id(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    httpx2_mock.get(f"{BASE}/service/tickets").mock(
        return_value=respx.MockResponse(200, json=[], headers={
            "Link": '<https://evil.example/apis/3.0/service/tickets?page=2>; rel="next"'})
    )

    async def scenario() -> None:
        async with make_client() as cw:
            async for _ in cw.iter_forward_only("/service/tickets"):
                pass

    with pytest.raises(ServerError, match="leaves the API base"):
        run(scenario())


def test_an_overlong_ticket_query_becomes_a_post_search_with_conditions_in_the_body(
    httpx2_mock: respx.Router, make_client: MakeClient
) -> None:
    info_route(httpx2_mock)
    search = httpx2_mock.post(f"{BASE}/service/tickets/search").mock(
        return_value=respx.MockResponse(200, json=[{"id": 7}])
    )
    ids = list(range(100000, 100400))

    async def scenario() -> Any:
        async with make_client() as cw:
            return await cw.list("/service/tickets", conditions=id_in("id", ids),
                                 fields=["id"], order_by="id asc", page_size=100)

    assert run(scenario()) == [{"id": 7}]
    request = search.calls.last.request
    body = json.loads(request.content)
    assert body == {"conditions": id_in("id", ids).render(), "orderBy": "id asc"}
    assert query(request) == {"fields": ["id"], "pageSize": ["100"], "page": ["1"]}


def test_an_overlong_query_elsewhere_asks_for_batching(make_client: MakeClient,
                                                         httpx2_mock: respx.Router) -> None:
    info_route(httpx2_mock)

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.list("/company/configurations",
                          conditions=id_in("id", range(100000, 100400)))

    with pytest.raises(ValueError, match="batched_in"):
        run(scenario())


@pytest.mark.parametrize("path", ["https://evil.example/x", "/a/../b", "/x?y=1", "/x#f"])
def test_paths_must_stay_under_the_api_base(
    httpx2_mock: respx.Router, make_client: MakeClient, path: str
) -> None:
    info_route(httpx2_mock)

    async def scenario() -> None:
        async with make_client() as cw:
            await cw.get_json(path)

    with pytest.raises(ValueError, match="not an API path"):
        run(scenario())


# ------------------------------------------------------------------ secrets


def test_private_key_never_appears_in_reprs_messages_or_logs(
    httpx2_mock: respx.Router, make_client: MakeClient, creds: Credentials,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    info_route(httpx2_mock)
    httpx2_mock.get(f"{BASE}/system/info").mock(
        return_value=cw_error(401, "Unauthorized", "bad")
    )
    errors: list[BaseException] = []

    async def scenario() -> str:
        async with make_client() as cw:
            try:
                await cw.get_json("/system/info")
            except ConnectWiseError as exc:
                errors.append(exc)
            return repr(cw) + str(cw) + repr(cw.stats) + repr(cw.site)

    shown = run(scenario())
    texts = [shown, repr(creds), str(creds), creds.model_dump_json(), repr(creds.model_dump()),
             *(repr(e) + str(e) for e in errors), caplog.text,
             *(repr(r.__dict__) for r in caplog.records)]
    assert errors
    for text in texts:
        assert SECRET not in text
        assert base64.b64encode(f"acme+pub-key:{SECRET}".encode()).decode() not in text


def test_credentials_strip_pasted_whitespace_and_refuse_empty_values() -> None:
    creds = Credentials(site=" na.myconnectwise.net\n", company_id="acme ", public_key=" p",
                        private_key="k\n", client_id="g")
    assert (creds.site, creds.company_id, creds.public_key) == ("na.myconnectwise.net", "acme",
                                                                "p")
    assert creds.private_key.get_secret_value() == "k"
    with pytest.raises(ValueError, match="must not be empty"):
        Credentials(site="x", company_id="a", public_key="p", private_key="  ", client_id="g")
    with pytest.raises(ValueError, match="must not be empty"):
        Credentials(site="x", company_id="", public_key="p", private_key="k", client_id="g")
