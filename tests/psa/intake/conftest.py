"""Fixtures for intake tests: the corpus catalog and a fake Claude Messages API at the HTTP level.

The anthropic SDK speaks httpx2, so the fake is an ``httpx2.MockTransport`` handler passed in
through ``http_client``: requests are recorded and answered from a queue of canned replies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest
from pydantic import SecretStr

from psa.intake.catalog import IntakeCatalog
from psa.intake.claude import ClaudeSettings
from psa.intake.service import IntakeService
from tests.psa.intake.corpus_eval import load_catalog

API_KEY = "sk-ant-api03-TESTKEY-0123456789abcdefghijklmnopqrstuvwxyz"

Reply = httpx2.Response | Callable[[httpx2.Request], httpx2.Response]


def message(text: str, *, stop_reason: str = "end_turn") -> dict[str, Any]:
    """A Messages API response body with one text block."""
    return {
        "id": "msg_01test", "type": "message", "role": "assistant",
        "model": "claude-haiku-5-5", "content": [{"type": "text", "text": text}],
        "stop_reason": stop_reason, "stop_sequence": None,
        "usage": {"input_tokens": 100, "output_tokens": 50},
    }


def answer(**fields: Any) -> dict[str, Any]:
    """A complete ClaudeTicket answer; ``fields`` override the neutral defaults."""
    base: dict[str, Any] = {
        "company_id": None, "contact_id": None, "board_id": None, "priority_id": None,
        "type_id": None, "summary": "Printer offline", "description": "The printer is offline.",
        "assignee_member_id": None, "confidence": "high", "note": "",
    }
    base.update(fields)
    return base


def ok(body: dict[str, Any], *, stop_reason: str = "end_turn") -> httpx2.Response:
    return httpx2.Response(200, json=message(json.dumps(body), stop_reason=stop_reason))


def error(status: int, kind: str, text: str = "error", **headers: str) -> httpx2.Response:
    return httpx2.Response(status, json={"type": "error", "error": {"type": kind,
                                                                     "message": text}},
                           headers=headers)


@dataclass
class FakeClaude:
    """Answers requests in order from ``replies`` and keeps what was sent."""

    replies: list[Reply] = field(default_factory=list)
    requests: list[httpx2.Request] = field(default_factory=list)

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if not self.replies:
            raise AssertionError("unexpected request to the Messages API")
        reply = self.replies.pop(0)
        return reply(request) if callable(reply) else reply

    def body(self, index: int = -1) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.requests[index].content)
        return data

    def prompt(self, index: int = -1) -> str:
        content = self.body(index)["messages"][0]["content"]
        return content if isinstance(content, str) else json.dumps(content)

    def client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=httpx2.MockTransport(self.handler))


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude()


@pytest.fixture(scope="session")
def catalog() -> IntakeCatalog:
    return load_catalog()


def settings(**overrides: Any) -> ClaudeSettings:
    values: dict[str, Any] = {"api_key": SecretStr(API_KEY), "max_retries": 0, "timeout": 5.0}
    values.update(overrides)
    return ClaudeSettings(**values)


def service(fake: FakeClaude, **overrides: Any) -> IntakeService:
    """An IntakeService whose Claude requests go to ``fake``."""
    return IntakeService(settings(**overrides), http_client=fake.client())
