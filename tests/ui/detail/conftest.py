"""Detail-dock test setup: sandboxes, a dock factory, the PySide6 6.12 refcount guard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from psa.drafts import DraftStore
from psa.sandbox import Sandbox
from tests.ui.detail.support import config
from ui.detail.detail_dock import DetailDock
from ui.pyside_refcount_fix import keep_singletons_alive

keep_singletons_alive()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A sandbox shared by a module's tests that only read."""
    with Sandbox(config()) as sb:
        yield sb


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    """A sandbox of its own, for a test that changes data or settings."""
    with Sandbox(config()) as sb:
        yield sb


@pytest.fixture
def opened_urls() -> list[str]:
    return []


@pytest.fixture
def make_dock(qtbot: QtBot, tmp_path: Path,
              opened_urls: list[str]) -> Callable[..., DetailDock]:
    """``make_dock(service, drafts_dir=None)``: a shown dock with its own drafts directory."""

    def make(service: Any, drafts_dir: Path | None = None) -> DetailDock:
        def opener(url: QUrl) -> bool:
            opened_urls.append(url.toString())
            return True

        dock = DetailDock(service, drafts=DraftStore(drafts_dir or tmp_path / "drafts"),
                          open_url=opener)
        qtbot.addWidget(dock)
        dock.resize(520, 860)
        dock.show()
        return dock

    return make
