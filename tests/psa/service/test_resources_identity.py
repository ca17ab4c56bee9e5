"""Resources (owner + co-assignees, idempotent) and identity against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from psa import Identity, PermissionDenied, Resource, TicketChanged, TicketService
from psa.sandbox import Sandbox
from tests.psa.service.conftest import Recorder, creds, run, with_service

JDOE, JDOE2, ASMITH = 143, 146, 149


def stored(sb: Sandbox, ticket_id: int) -> dict[str, Any]:
    with sb.store.lock:
        return dict(sb.store.get(ticket_id))


def entries(sb: Sandbox, ticket_id: int) -> list[int]:
    with sb.store.lock:
        return sorted(e["member"]["id"] for e in sb.store.records("scheduleEntries")
                      if e["objectId"] == ticket_id and e["type"]["id"] == 4)


def unowned(sb: Sandbox) -> int:
    with sb.store.lock:
        ids = {e["objectId"] for e in sb.store.records("scheduleEntries")}
        return next(t["id"] for t in sb.store.records("tickets")
                    if not t.get("owner") and not t.get("closedFlag") and t["id"] not in ids)


def members(resources: tuple[Resource, ...]) -> list[tuple[int, bool]]:
    return [(r.member_id, r.is_owner) for r in resources]


def test_add_sets_the_owner_first_then_co_assignees_idempotently(fresh: Sandbox) -> None:
    tid = unowned(fresh)

    async def body(svc: TicketService) -> list[tuple[Any, ...]]:
        steps = []
        for member in (JDOE, JDOE, JDOE2, JDOE2):
            steps.append(tuple(members(await svc.add_resource(tid, member))))
        steps.append(tuple(members(await svc.resources(tid))))
        return steps

    steps = run(with_service(creds(fresh), body))
    assert steps[0] == steps[1] == ((JDOE, True),)
    assert steps[2] == steps[3] == steps[4] == ((JDOE, True), (JDOE2, False))
    ticket = stored(fresh, tid)
    assert ticket["owner"]["id"] == JDOE and entries(fresh, tid) == [JDOE2]
    assert ticket["resources"] == "jdoe, jdoe2"


def test_remove_clears_owner_or_deletes_entries_idempotently(fresh: Sandbox) -> None:
    tid = unowned(fresh)

    async def body(svc: TicketService) -> list[tuple[Any, ...]]:
        for member in (JDOE, JDOE2, ASMITH):
            await svc.add_resource(tid, member)
        steps = []
        for member in (JDOE2, JDOE2, JDOE, JDOE):
            steps.append(tuple(members(await svc.remove_resource(tid, member))))
        return steps

    steps = run(with_service(creds(fresh), body))
    assert steps[0] == steps[1] == ((JDOE, True), (ASMITH, False))
    assert steps[2] == steps[3] == ((ASMITH, False),)
    assert not stored(fresh, tid).get("owner") and entries(fresh, tid) == [ASMITH]


def test_resource_changes_detect_a_stale_ticket(fresh: Sandbox) -> None:
    tid = unowned(fresh)
    before = stored(fresh, tid)["_info"]["lastUpdated"]

    async def body(svc: TicketService) -> None:
        await svc.add_note(tid, "changed by someone else", "internal")
        from psa.models import parse_cw_datetime

        await svc.add_resource(tid, JDOE, expected_last_updated=parse_cw_datetime(before))

    with pytest.raises(TicketChanged):
        run(with_service(creds(fresh), body))
    assert entries(fresh, tid) == [] and not stored(fresh, tid).get("owner")


def test_restricted_key_reports_resource_scheduling(sandbox: Sandbox) -> None:
    with sandbox.store.lock:
        tid = next(t["id"] for t in sandbox.store.records("tickets")
                   if t.get("owner") and not t.get("closedFlag"))

    async def listing(svc: TicketService) -> tuple[Resource, ...]:
        found = await svc.resources(tid)
        assert [w.area for w in svc.warnings] == ["resources"]
        return found

    found = run(with_service(creds(sandbox, "restricted"), listing))
    assert [r.is_owner for r in found] == [True]

    async def adding(svc: TicketService) -> None:
        await svc.add_resource(tid, JDOE2)

    with pytest.raises(PermissionDenied) as info:
        run(with_service(creds(sandbox, "restricted"), adding))
    assert "Resource Scheduling" in (info.value.permission or "")
    assert "Resource Scheduling" in str(info.value)


def test_restricted_key_changes_the_owner_but_not_co_assignees(fresh: Sandbox) -> None:
    tid = unowned(fresh)

    async def owner_steps(svc: TicketService) -> list[tuple[Any, ...]]:
        steps = [tuple(members(await svc.add_resource(tid, JDOE)))]
        steps.append(tuple(members(await svc.add_resource(tid, JDOE))))
        steps.append(tuple(members(await svc.remove_resource(tid, JDOE))))
        assert [w.area for w in svc.warnings] == ["resources"]
        return steps

    steps = run(with_service(creds(fresh, "restricted"), owner_steps))
    assert steps == [((JDOE, True),), ((JDOE, True),), ()]
    assert not stored(fresh, tid).get("owner")
    run(with_service(creds(fresh), lambda svc: svc.add_resource(tid, JDOE)))
    run(with_service(creds(fresh), lambda svc: svc.add_resource(tid, JDOE2)))

    for change in ("add_resource", "remove_resource"):
        async def co_assignee(svc: TicketService, change: str = change) -> None:
            await getattr(svc, change)(tid, JDOE2 if change == "remove_resource" else ASMITH)

        with pytest.raises(PermissionDenied) as info:
            run(with_service(creds(fresh, "restricted"), co_assignee))
        assert "Resource Scheduling" in (info.value.permission or "")
        assert "Co-assignees" in str(info.value)
    assert stored(fresh, tid)["owner"]["id"] == JDOE and entries(fresh, tid) == [JDOE2]


# ---------------------------------------------------------------------------- identity


def whoami(sb: Sandbox, kind: str = "sandbox", *, block: bool = False,
           email: str | None = None, **extra: Any) -> Identity:
    rec = Recorder(blocked={"/system/myAccount": 403} if block else {})

    async def body(svc: TicketService) -> Identity:
        return await svc.whoami()

    return run(with_service(creds(sb, kind, **extra), body, rec, user_email=email))


def test_identity_from_my_account(sandbox: Sandbox) -> None:
    me = whoami(sandbox)
    assert (me.mapped, me.source, me.identifier, me.name) == (
        True, "myAccount", "dispatch", "Dana Whitfield")
    assert whoami(sandbox, "restricted").identifier == "APIRestricted"


def test_identity_falls_back_to_the_configured_identifier(sandbox: Sandbox) -> None:
    me = whoami(sandbox, block=True, member_identifier="JDoe")
    assert (me.mapped, me.source, me.member_id, me.identifier) == (True, "configured", JDOE,
                                                                    "jdoe")
    unknown = whoami(sandbox, block=True, member_identifier="nobody")
    assert not unknown.mapped and "nobody" in unknown.detail
    # A restricted key cannot read members: the configured identifier is trusted, id unknown.
    trusted = whoami(sandbox, "restricted", block=True, member_identifier="jdoe")
    assert (trusted.mapped, trusted.member_id, trusted.identifier) == (True, None, "jdoe")


def test_identity_by_email_only_when_exactly_one_member_matches(sandbox: Sandbox) -> None:
    me = whoami(sandbox, block=True, email="ASMITH@harborviewit.com")
    assert (me.mapped, me.source, me.member_id) == (True, "email", ASMITH)
    shared = whoami(sandbox, block=True, email="jdoe@harborviewit.com")  # jdoe and jdoe2
    assert not shared.mapped and "2 members" in shared.detail
    nobody = whoami(sandbox, block=True)
    assert (nobody.mapped, nobody.source) == (False, "none")
    assert "no member identifier" in nobody.detail
