"""A small asyncio HTTP/1.1 server (keep-alive, concurrent connections) with no web framework."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

MAX_LINE = 65_536
MAX_HEADERS = 100
MAX_BODY = 32 * 1024 * 1024
JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class Request:
    """One parsed HTTP request. Header names are lower-cased."""

    method: str
    target: str
    version: str
    headers: dict[str, str]
    body: bytes = b""
    size: int = 0

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]

    def params(self) -> list[tuple[str, str]]:
        """Query parameters in order, blanks kept (``+`` and ``%xx`` decoded)."""
        return parse_qsl(self.query, keep_blank_values=True)

    def json(self) -> Any:
        """The body parsed as JSON (ValueError if it is not JSON)."""
        return json.loads(self.body.decode("utf-8")) if self.body.strip() else None

    @property
    def keep_alive(self) -> bool:
        conn = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" in conn
        return "close" not in conn


@dataclass
class Response:
    """What to send back; ``drop`` closes the connection without answering."""

    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    stats_key: str | None = None
    drop: bool = False

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def json_response(
    status: int, payload: Any, headers: list[tuple[str, str]] | None = None
) -> Response:
    """A JSON response in ConnectWise's compact form."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, [("Content-Type", JSON_TYPE), *(headers or [])])


def encode_head(response: Response, keep_alive: bool) -> bytes:
    """Status line and headers, ready to write."""
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {response.status} {reason}"]
    lines += [f"{name}: {value}" for name, value in response.headers]
    if response.status != 204 and response.status >= 200:
        lines.append(f"Content-Length: {len(response.body)}")
    lines.append(f"Date: {formatdate(usegmt=True)}")
    if not keep_alive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class BadRequestError(Exception):
    """A request the HTTP layer refuses before the application sees it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


Handler = Callable[[Request], Awaitable[Response]]
Completed = Callable[[Request, Response, int], None]


class HttpServer:
    """Serves ``handler`` on a bound socket; each connection is one task, requests in order."""

    def __init__(self, handler: Handler, on_complete: Completed | None = None) -> None:
        self._handler = handler
        self._on_complete = on_complete
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, sock: socket.socket) -> None:
        self._server = await asyncio.start_server(self._connection, sock=sock, limit=MAX_LINE)

    async def close(self) -> None:
        """Stop listening and cut every open connection (also ones held by a slow fault)."""
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                request = await read_request(reader)
            except BadRequestError as exc:
                body = f"Bad Request: {exc}".encode()
                refusal = Response(exc.status, body, [("Content-Type", "text/plain")])
                writer.write(encode_head(refusal, False) + refusal.body)
                await writer.drain()
                return
            if request is None:
                return
            response = await self._handler(request)
            if response.drop:
                self._done(request, response, 0)
                writer.transport.abort()
                return
            keep = request.keep_alive
            payload = encode_head(response, keep) + response.body
            # recorded before writing, so a client that has its answer sees it counted
            self._done(request, response, len(payload))
            writer.write(payload)
            await writer.drain()
            if not keep:
                return

    def _done(self, request: Request, response: Response, sent: int) -> None:
        if self._on_complete is not None:
            self._on_complete(request, response, sent)


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """The next request on the connection, ``None`` at a clean end of stream."""
    try:
        line = await reader.readuntil(b"\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial.strip():
            raise BadRequestError(400, "incomplete request line") from exc
        return None
    except asyncio.LimitOverrunError as exc:
        raise BadRequestError(414, "request line too long") from exc
    size = len(line)
    parts = line.decode("latin-1").strip().split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequestError(400, "malformed request line")
    method, target, version = parts
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS + 1):
        try:
            raw = await reader.readuntil(b"\r\n")
        except asyncio.LimitOverrunError as exc:
            raise BadRequestError(431, "header line too long") from exc
        size += len(raw)
        if raw == b"\r\n":
            break
        name, colon, value = raw.decode("latin-1").partition(":")
        if not colon or not name.strip():
            raise BadRequestError(400, "malformed header line")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    else:
        raise BadRequestError(431, "too many headers")
    body = await _read_body(reader, headers)
    return Request(method.upper(), target, version, headers, body, size + len(body))


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader)
    raw = headers.get("content-length", "0").strip() or "0"
    if not raw.isdigit():
        raise BadRequestError(400, "bad Content-Length")
    length = int(raw)
    if length > MAX_BODY:
        raise BadRequestError(413, "body too large")
    return await reader.readexactly(length) if length else b""


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size_line = (await reader.readuntil(b"\r\n")).split(b";")[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError as exc:
            raise BadRequestError(400, "bad chunk size") from exc
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers are read and ignored
            return b"".join(chunks)
        total += size
        if total > MAX_BODY:
            raise BadRequestError(413, "body too large")
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
