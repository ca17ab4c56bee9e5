"""The catalog adapter (wire records, the sandbox through the service) and ``draft`` CLI."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import SecretStr

from psa.connectwise.credentials import Credentials
from psa.intake.adapter import catalog_from_service, catalog_from_wire, domain_of
from psa.intake.catalog import IntakeCatalog
from psa.intake.cli import add_draft_parser, run_draft
from psa.sandbox import Sandbox, SandboxConfig
from psa.service import open_service
from tests.psa.intake.conftest import answer, message

CLIENT_ID = "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"


def test_catalog_from_wire_records() -> None:
    catalog = catalog_from_wire(
        companies=[
            {"id": 2, "identifier": "Us", "name": "Harborview IT", "website": "harborviewit.com"},
            {"id": 4, "identifier": "Contoso", "name": "Contoso Dental",
             "website": "https://www.contosodental.com/"},
            {"id": 6, "identifier": "Gone", "name": "Gone Inc", "deletedFlag": True},
        ],
        contacts=[
            {"id": 10, "firstName": "Priya", "lastName": "Raman", "company": {"id": 4},
             "communicationItems": [
                 {"communicationType": "Phone", "value": "813-555-0100"},
                 {"communicationType": "Email", "value": "old@contoso-mail.com"},
                 {"communicationType": "Email", "value": "priya@contoso-mail.com",
                  "defaultFlag": True}]},
            {"id": 11, "firstName": "Ann", "lastName": "Lee", "company": {"id": 4},
             "communicationItems": [{"communicationType": "Email",
                                     "value": "ann.lee@gmail.com"}]},
        ],
        boards=[{"id": 1, "name": "Help Desk"}, {"id": 3, "name": "Old", "inactiveFlag": True}],
        priorities=[{"id": 4, "name": "Normal", "sortOrder": 5, "defaultFlag": True},
                    {"id": 8, "name": "Emergency", "sortOrder": 1}],
        types={1: [{"id": 101, "name": "Hardware"}]},
        members=[
            {"id": 140, "identifier": "dispatch", "firstName": "Dana", "lastName": "W",
             "officeEmail": "dana@harborviewit.com"},
            {"id": 150, "identifier": "APIBot", "firstName": "API", "lastName": "Bot",
             "licenseClass": "A"},
        ],
    )
    assert [c.id for c in catalog.companies] == [2, 4]
    assert catalog.company(4).domains == ("contoso-mail.com", "contosodental.com")  # type: ignore[union-attr]
    assert catalog.company(2).domains == ()  # type: ignore[union-attr]
    assert catalog.own_domains == ("harborviewit.com",)
    assert catalog.contact(10).email == "priya@contoso-mail.com"  # type: ignore[union-attr]
    assert catalog.default_priority_id == 4
    assert catalog.type(101).board_id == 1  # type: ignore[union-attr]
    assert catalog.board(3).inactive and catalog.member(150).inactive  # type: ignore[union-attr]
    assert domain_of("Mail.Example.COM") == "mail.example.com"
    assert domain_of("x@Example.com") == "example.com"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxConfig(tickets=30)) as box:
        yield box


def creds(box: Sandbox) -> Credentials:
    return Credentials(site=box.url, company_id="sandbox", public_key="sandbox-public",
                       private_key=SecretStr("sandbox-private"), client_id=CLIENT_ID)


@pytest.fixture(scope="module")
def sandbox_catalog(sandbox: Sandbox) -> IntakeCatalog:
    async def load() -> IntakeCatalog:
        async with open_service(creds(sandbox)) as service:
            return await catalog_from_service(service)

    return asyncio.run(load())


def test_catalog_loads_from_the_sandbox_through_the_service(
    sandbox_catalog: IntakeCatalog
) -> None:
    catalog = sandbox_catalog
    assert len(catalog.companies) == 46 and len(catalog.contacts) > 46
    contoso = next(c for c in catalog.companies if c.identifier == "ContosoDental")
    assert contoso.domains == ("contosodental.com",)
    assert catalog.own_domains == ("harborviewit.com",)
    assert {b.name for b in catalog.active_boards()} >= {"Help Desk", "Alerts"}
    assert catalog.priority(catalog.default_priority_id).name.startswith("Priority 3")  # type: ignore[union-attr]
    assert not any(m.identifier == "APIRestricted" and not m.inactive for m in catalog.members)


def creds_of(box: Sandbox, kind: str) -> Credentials:
    return creds(box).model_copy(update={"public_key": f"{kind}-public",
                                         "private_key": SecretStr(f"{kind}-private")})


def test_catalog_types_are_read_through_the_services_cached_lookup(sandbox: Sandbox) -> None:
    async def load() -> tuple[IntakeCatalog, dict[str, int], tuple[str, ...]]:
        async with open_service(creds(sandbox)) as service:
            catalog = await catalog_from_service(service)
            service.client.stats.reset()
            desk = await service.types(1)  # the Full Form's read: already cached
            return catalog, dict(service.client.stats.by_endpoint), tuple(t.name for t in desk)

    catalog, later, desk = asyncio.run(load())
    assert later == {}
    assert {t.name for t in catalog.types if t.board_id == 1} == set(desk)
    assert catalog.type(101).name == "Software"  # type: ignore[union-attr]
    retired = next(t for t in catalog.types if t.name == "Telecom (retired)")
    assert retired.inactive
    assert not any(t.board_id == 3 for t in catalog.types)  # Legacy: inactive, not read


def test_a_role_without_table_setup_gives_a_catalog_without_boards_or_types(
    sandbox: Sandbox,
) -> None:
    async def load() -> IntakeCatalog:
        async with open_service(creds_of(sandbox, "restricted")) as service:
            return await catalog_from_service(service)

    catalog = asyncio.run(load())
    assert catalog.types == () and catalog.boards == () and catalog.companies


def draft_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_draft_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["draft", *argv])


def first_contact(catalog: IntakeCatalog, identifier: str) -> tuple[int, int, str, str]:
    company = next(c for c in catalog.companies if c.identifier == identifier)
    person = next(p for p in catalog.contacts if p.company_id == company.id)
    return company.id, person.id, person.name, person.email


def test_draft_command_uses_the_offline_parser_without_a_key(
    sandbox: Sandbox, sandbox_catalog: IntakeCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    company, person, name, email = first_contact(sandbox_catalog, "ContosoDental")
    text = f"From: {name} <{email}>\nSubject: Printer offline\n\nThe printer is offline."
    out = io.StringIO()
    assert run_draft(draft_args(text), creds(sandbox), out) == 0
    document = json.loads(out.getvalue())
    assert document["parser"] == "offline" and document["model"] is None
    assert document["draft"]["company_id"] == company
    assert document["draft"]["contact_id"] == person
    assert document["names"]["board"] == "Help Desk"
    assert document["sent_text"] is None


class _FakeMessages(BaseHTTPRequestHandler):
    """A loopback Messages API: replies with ``server.reply`` and records requests."""

    def do_POST(self) -> None:
        length = int(self.headers["content-length"])
        server: Any = self.server
        server.seen.append((self.path, dict(self.headers), json.loads(self.rfile.read(length))))
        status, body = server.reply
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def messages_server() -> Iterator[Any]:
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _FakeMessages)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_draft_command_uses_claude_at_anthropic_base_url(
    sandbox: Sandbox, sandbox_catalog: IntakeCatalog, messages_server: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    company, person, name, email = first_contact(sandbox_catalog, "FabrikamLogistics")
    reply = answer(company_id=company, contact_id=person, board_id=1, priority_id=8,
                   summary="Warehouse server down", description="Nobody can log in.")
    messages_server.reply = (200, message(json.dumps(reply)))
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-cli-test-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{messages_server.server_port}")
    text = f"From: {name} <{email}>\n\nThe warehouse server is down, nobody can log in!"
    out = io.StringIO()
    assert run_draft(draft_args(text, "--model", "claude-test-model"), creds(sandbox), out) == 0
    document = json.loads(out.getvalue())
    assert document["parser"] == "claude" and document["model"] == "claude-test-model"
    assert document["draft"]["company_id"] == company
    assert document["draft"]["priority_id"] == 8
    assert document["sent_text"].startswith(f"From: {name}")
    path, _, body = messages_server.seen[0]
    assert path == "/v1/messages" and body["model"] == "claude-test-model"
    assert "temperature" not in body


def test_draft_command_falls_back_or_fails_as_asked(
    sandbox: Sandbox, messages_server: Any, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    messages_server.reply = (401, {"type": "error", "error": {"type": "authentication_error",
                                                               "message": "invalid x-api-key"}})
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-bad")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{messages_server.server_port}")
    out = io.StringIO()
    assert run_draft(draft_args("Contoso Dental printer offline"), creds(sandbox), out) == 0
    document = json.loads(out.getvalue())
    assert document["parser"] == "offline"
    assert "rejected the API key (401)" in document["fallback_reason"]
    assert run_draft(draft_args("printer offline", "--no-fallback"), creds(sandbox),
                     io.StringIO()) == 1
    assert "rejected the API key" in capsys.readouterr().err
    offline = io.StringIO()
    assert run_draft(draft_args("printer offline", "--offline"), creds(sandbox), offline) == 0
    assert json.loads(offline.getvalue())["parser"] == "offline"
