"""The HTTP/1.1 layer: keep-alive, concurrency, bodies, bad requests, routing, 404/405."""

from __future__ import annotations

import json
import socket
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest

from psa.sandbox import Sandbox
from psa.sandbox.routes import ROUTES, match
from tests.psa.sandbox.conftest import auth_headers, make_client


def raw(sandbox: Sandbox, payload: bytes, *, reads: int = 1) -> bytes:
    """Send bytes on a fresh connection and read until the server closes or ``reads`` answers."""
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=30) as sock:
        sock.sendall(payload)
        data = b""
        while data.count(b"HTTP/1.1 ") < reads or not _complete(data, reads):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def _complete(data: bytes, reads: int) -> bool:
    """True once ``reads`` responses with their Content-Length bodies are in ``data``."""
    rest, done = data, 0
    while done < reads:
        head, sep, body = rest.partition(b"\r\n\r\n")
        if not sep:
            return False
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if len(body) < length:
            return False
        rest, done = body[length:], done + 1
    return True


def request_bytes(sandbox: Sandbox, path: str, extra: str = "", body: bytes = b"") -> bytes:
    headers = "".join(f"{k}: {v}\r\n" for k, v in auth_headers().items())
    return (
        f"GET /v4_6_release/apis/3.0{path} HTTP/1.1\r\nHost: 127.0.0.1:{sandbox.port}\r\n"
        f"{headers}{extra}\r\n"
    ).encode() + body


def test_keep_alive_serves_several_requests_on_one_connection(sandbox: Sandbox) -> None:
    one = request_bytes(sandbox, "/system/info")
    data = raw(sandbox, one * 3, reads=3)
    assert data.count(b"HTTP/1.1 200 OK") == 3


def test_connection_close_is_honoured(sandbox: Sandbox) -> None:
    data = raw(sandbox, request_bytes(sandbox, "/system/info", "Connection: close\r\n"))
    assert data.startswith(b"HTTP/1.1 200 OK")
    assert b"Connection: close" in data


def test_http_1_0_without_keep_alive_closes(sandbox: Sandbox) -> None:
    payload = request_bytes(sandbox, "/system/info").replace(b"HTTP/1.1\r\n", b"HTTP/1.0\r\n", 1)
    data = raw(sandbox, payload)
    assert data.startswith(b"HTTP/1.1 200 OK") and b"Connection: close" in data


def test_a_stalled_connection_does_not_block_others(sandbox: Sandbox) -> None:
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=30) as stalled:
        stalled.sendall(b"GET /v4_6_release/apis/3.0/system/info HTTP/1.1\r\nHost: x\r\n")
        with make_client(sandbox) as c:
            assert c.get("/system/info").status_code == 200


def test_concurrent_requests_are_all_answered(sandbox: Sandbox) -> None:
    def fetch(page: int) -> list[int]:
        with make_client(sandbox) as c:
            r = c.get("/service/tickets", params={"pageSize": 10, "page": page})
            return [t["id"] for t in r.json()]

    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(fetch, range(1, 17)))
    flat = [i for page in pages for i in page]
    assert len(flat) == len(set(flat)) == 160


def test_chunked_request_body_is_read(fresh: Sandbox) -> None:
    with make_client(fresh) as c:
        company = c.get("/company/companies", params={"pageSize": 1}).json()[0]["id"]

    def chunks() -> object:
        body = json.dumps({"summary": "Scanner offline", "company": {"id": company}}).encode()
        yield body[:10]
        yield body[10:]

    with make_client(fresh) as c:
        r = c.post("/service/tickets", content=chunks())  # type: ignore[arg-type]
    assert r.status_code == 201
    assert r.json()["summary"] == "Scanner offline"


def test_malformed_request_line_is_400(sandbox: Sandbox) -> None:
    assert raw(sandbox, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.1 400")


def test_bad_content_length_is_400(sandbox: Sandbox) -> None:
    data = raw(sandbox, request_bytes(sandbox, "/system/info", "Content-Length: x\r\n"))
    assert data.startswith(b"HTTP/1.1 400")


def test_client_closing_early_does_not_hurt_the_server(sandbox: Sandbox) -> None:
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=30) as sock:
        sock.sendall(request_bytes(sandbox, "/service/tickets", "Content-Length: 100\r\n"))
    with make_client(sandbox) as c:
        assert c.get("/system/info").status_code == 200


def test_unknown_api_path_is_404_with_cw_body(client: httpx2.Client) -> None:
    r = client.get("/service/nothing")
    assert r.status_code == 404
    assert r.json() == {
        "code": "NotFound",
        "message": "The resource cannot be found.",
        "errors": None,
    }


def test_wrong_method_is_405_with_allow(client: httpx2.Client) -> None:
    r = client.put("/service/tickets/1", json={})
    assert r.status_code == 405
    assert set(r.headers["Allow"].split(", ")) == {"GET", "PATCH"}
    assert r.json()["code"] == "MethodNotAllowed"


def test_non_numeric_id_is_404(client: httpx2.Client) -> None:
    assert client.get("/service/tickets/abc").status_code == 404


def test_missing_ticket_is_404(client: httpx2.Client) -> None:
    r = client.get("/service/tickets/999999")
    assert r.status_code == 404
    assert r.json()["code"] == "NotFound"


def test_paths_are_case_insensitive_like_iis(client: httpx2.Client) -> None:
    assert client.get("/Service/Tickets/Count").status_code == 200


@pytest.mark.parametrize("word", ["count", "search", "calculateSla"])
def test_literal_segments_are_never_taken_for_an_id(word: str) -> None:
    method = "POST" if word == "search" else "GET"
    found = match(method, f"/service/tickets/{word}")
    assert found is not None and found.route is not None
    assert found.route.template == f"/service/tickets/{word}"


def test_every_route_template_is_unique() -> None:
    keys = [(r.method, r.template.lower()) for r in ROUTES]
    assert len(keys) == len(set(keys))


def test_body_that_is_not_json_is_400(client: httpx2.Client) -> None:
    r = client.post(
        "/service/tickets", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["code"] == "InvalidObject"
    patch = client.patch("/service/tickets/1", json={"op": "replace"})
    assert patch.status_code == 400
