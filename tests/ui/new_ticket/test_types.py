"""Type and subtype on the Full Form: the board's lists, the type's subtypes, degraded servers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from pydantic import SecretStr

from psa import TicketService, open_service
from psa.form_drafts import FormDraft, FormDraftStore
from psa.models import PermissionWarning, TypeOption
from psa.sandbox import Sandbox
from tests.ui.new_ticket.conftest import MakeDialog
from tests.ui.new_ticket.support import (
    CONTOSO,
    CONTOSO_LABEL,
    HELP_DESK,
    NO_WAIT,
    choose,
    creds,
    fill_valid,
    ready,
    service,
    wait_for,
    with_summary,
)
from ui.new_ticket.form_choices import TYPES_UNAVAILABLE

Run = Callable[..., Any]


def items(combo: Any) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def type_id(svc_types: tuple[TypeOption, ...], name: str) -> int:
    return next(t.id for t in svc_types if t.name == name)


class Delegate:
    """The real service with some calls replaced (fakes over mocks)."""

    def __init__(self, inner: TicketService) -> None:
        self._inner = inner
        self.type_calls: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_the_boards_types_are_offered_and_the_subtypes_follow_the_type(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    summary = "Outlook crashes when opening attachments"

    async def scenario() -> None:
        async with service(fresh) as svc:
            types, subtypes = await svc.types(HELP_DESK), await svc.subtypes(HELP_DESK)
            software, hardware = type_id(types, "Software"), type_id(types, "Hardware")
            dialog = make_dialog(svc)
            await fill_valid(dialog, summary)
            form = dialog.form
            offered = items(form.type)
            assert offered[0] == "No type" and "Software" in offered
            assert "Telecom (retired)" not in offered  # inactive types are not offered
            assert not form.subtype.isEnabled()
            choose(form.type, software)
            fitting = items(form.subtype)
            assert form.subtype.isEnabled() and fitting[0] == "No subtype"
            assert set(fitting[1:]) == {s.name for s in subtypes if s.fits(software)}
            assert "Office 365" in fitting and "Printer" not in fitting
            office = next(s.id for s in subtypes if s.name == "Office 365")
            choose(form.subtype, office)
            assert form.values("new").subtype_id == office
            # Another type: the subtype that does not go with it is dropped, not kept.
            choose(form.type, hardware)
            assert form.values("new").subtype_id is None
            assert "Office 365" not in items(form.subtype)
            choose(form.type, software)
            choose(form.subtype, office)
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            dialog.submit()
            await wait_for(lambda: bool(created))
            [stored] = with_summary(fresh, summary)
            assert (stored["type"]["name"], stored["subType"]["name"]) == (
                "Software", "Office 365")

    run_async(scenario())


def test_a_restored_draft_gets_its_type_and_subtype_back_once_the_lists_load(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run, drafts_dir: Any
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            types, subtypes = await svc.types(HELP_DESK), await svc.subtypes(HELP_DESK)
            software = type_id(types, "Software")
            office = next(s.id for s in subtypes if s.name == "Office 365")
            store = FormDraftStore(drafts_dir)
            store.save(FormDraft(company_id=CONTOSO, company_name=CONTOSO_LABEL,
                                 board_id=HELP_DESK, type_id=software, subtype_id=office,
                                 summary="Restored"))
            await store.flush()
            dialog = make_dialog(svc, drafts=store)
            await ready(dialog)
            assert dialog.form.type.currentData() == software
            assert dialog.form.subtype.currentData() == office
            assert dialog.form.subtype.isEnabled()

    run_async(scenario())


def test_a_board_without_types_disables_both_fields_and_creates_without(
    fresh: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    class NoTypes(Delegate):
        async def types(self, board_id: int, **_kw: Any) -> tuple[TypeOption, ...]:
            self.type_calls.append(board_id)
            return ()

        async def subtypes(self, board_id: int, **_kw: Any) -> tuple[TypeOption, ...]:
            return ()

    async def scenario() -> None:
        async with service(fresh) as svc:
            backend = NoTypes(svc)
            dialog = make_dialog(backend)
            await fill_valid(dialog, "A board with no types")
            form = dialog.form
            assert backend.type_calls == [HELP_DESK]
            assert not form.type.isEnabled()
            assert form.type.currentText() == "This board has no types"
            assert form.type.toolTip() == ""
            assert not form.subtype.isEnabled() and form.subtype.currentText() == "No subtypes"
            created: list[Any] = []
            dialog.ticket_created.connect(created.append)
            dialog.submit()
            await wait_for(lambda: bool(created))
            [stored] = with_summary(fresh, "A board with no types")
            assert "type" not in stored and "subType" not in stored

    run_async(scenario())


@asynccontextmanager
async def restricted(sb: Sandbox) -> AsyncIterator[TicketService]:
    key = creds(sb).model_copy(update={"public_key": "restricted-public",
                                       "private_key": SecretStr("restricted-private")})
    async with open_service(key, retry=NO_WAIT) as svc:
        yield svc


def test_a_role_that_may_not_read_types_says_so_and_the_form_stays_usable(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    class TypesThroughRestrictedKey(Delegate):
        """Everything through the full key, except types (Table Setup denied: 403)."""

        def __init__(self, inner: TicketService, limited: TicketService) -> None:
            super().__init__(inner)
            self._limited = limited

        @property
        def warnings(self) -> tuple[PermissionWarning, ...]:
            return self._limited.warnings

        async def types(self, board_id: int, **kw: Any) -> tuple[TypeOption, ...]:
            return await self._limited.types(board_id, **kw)

        async def subtypes(self, board_id: int, **kw: Any) -> tuple[TypeOption, ...]:
            return await self._limited.subtypes(board_id, **kw)

    async def scenario() -> None:
        async with service(sandbox) as svc, restricted(sandbox) as limited:
            dialog = make_dialog(TypesThroughRestrictedKey(svc, limited))
            await fill_valid(dialog, "x")
            form = dialog.form
            assert any(w.area == "types" for w in limited.warnings)
            assert not form.type.isEnabled() and form.type.currentText() == "Not available"
            assert form.type.toolTip() == TYPES_UNAVAILABLE
            assert not form.subtype.isEnabled() and form.subtype.currentText() == "Not available"
            assert form.status.isEnabled()  # the rest of the board's lists still load
            assert form.validate() is not None

    run_async(scenario())


def test_types_are_read_once_per_board_for_every_dialog(
    sandbox: Sandbox, make_dialog: MakeDialog, run_async: Run
) -> None:
    async def scenario() -> None:
        async with service(sandbox) as svc:
            first = make_dialog(svc)
            await fill_valid(first, "one")
            svc.client.stats.reset()
            second = make_dialog(svc)
            await fill_valid(second, "two")
            asked = [k for k in svc.client.stats.by_endpoint if "/types" in k or "/subtypes" in k]
            assert asked == []
            assert items(second.form.type) == items(first.form.type)

    run_async(scenario())
