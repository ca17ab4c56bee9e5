"""Saved connections: fields in settings.ini, the private key only in the secret store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import SecretStr
from PySide6.QtCore import QSettings

from app.connections import ConnectionBook
from app.profile import Profile
from app.secrets import InMemoryStore
from app.settings import ConnectionSettings, open_settings
from psa.connectwise.credentials import Credentials

PRIVATE = "pRiVaTe-KeY-0042"


def creds(public: str = "pub-1", site: str = "na.myconnectwise.net") -> Credentials:
    return Credentials(
        site=site,
        company_id="acme",
        public_key=public,
        private_key=SecretStr(PRIVATE),
        client_id="5f6e1b2a-7c3d-4e8f-9a0b-1c2d3e4f5a6b",
        member_identifier="jdoe",
    )


def book_for(profile: Profile, secrets: InMemoryStore) -> tuple[ConnectionBook, QSettings]:
    qs = open_settings(profile.settings_path)
    return ConnectionBook(ConnectionSettings(qs), secrets), qs


def test_saving_keeps_the_private_key_out_of_settings_ini(
    profile: Profile, secrets: InMemoryStore, run_async: Callable[..., Any]
) -> None:
    book, qs = book_for(profile, secrets)
    saved = run_async(book.save(creds()))
    qs.sync()
    text = profile.settings_path.read_text(encoding="utf-8")
    assert "pub-1" in text and "acme" in text
    assert PRIVATE not in text
    assert secrets.secrets == {saved.account: PRIVATE}


def test_a_saved_connection_loads_back_after_a_restart(
    profile: Profile, secrets: InMemoryStore, run_async: Callable[..., Any]
) -> None:
    book, _ = book_for(profile, secrets)
    run_async(book.save(creds()))
    reopened, _ = book_for(profile, secrets)
    current = reopened.current()
    assert current is not None
    loaded = run_async(reopened.credentials(current))
    assert loaded == creds()


def test_forget_removes_the_connection_and_its_stored_key(
    profile: Profile, secrets: InMemoryStore, run_async: Callable[..., Any]
) -> None:
    book, qs = book_for(profile, secrets)
    saved = run_async(book.save(creds()))
    run_async(book.forget(saved))
    qs.sync()
    assert secrets.secrets == {}
    assert book.current() is None
    assert book.connections() == []
    assert "pub-1" not in profile.settings_path.read_text(encoding="utf-8")


def test_missing_key_in_the_store_means_ask_again(
    profile: Profile, secrets: InMemoryStore, run_async: Callable[..., Any]
) -> None:
    book, _ = book_for(profile, secrets)
    saved = run_async(book.save(creds()))
    secrets.secrets.clear()
    assert run_async(book.credentials(saved)) is None


def test_editing_the_public_key_replaces_the_old_entry(
    profile: Profile, secrets: InMemoryStore, run_async: Callable[..., Any]
) -> None:
    book, _ = book_for(profile, secrets)
    old = run_async(book.save(creds("pub-1")))
    new = run_async(book.save(creds("pub-2"), replacing=old))
    assert [c.public_key for c in book.connections()] == ["pub-2"]
    assert list(secrets.secrets) == [new.account]
    assert book.current() == new


def test_switching_between_two_saved_connections(
    profile: Profile, secrets: InMemoryStore, run_async: Callable[..., Any]
) -> None:
    book, _ = book_for(profile, secrets)
    first = run_async(book.save(creds(site="eu.myconnectwise.net")))
    second = run_async(book.save(creds(site="na.myconnectwise.net")))
    assert book.current() == second
    book.switch_to(first)
    assert book.current() == first
    assert {c.site for c in book.connections()} == {"eu.myconnectwise.net", "na.myconnectwise.net"}
