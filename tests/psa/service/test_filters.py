"""TicketFilters → conditions, checked by evaluating them with the sandbox's own parser."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from psa.filters import MemberKey, TicketFilters, assigned_to, like_literal, resources_contains
from psa.sandbox.query import FieldSet, compile_conditions

FIELDS = FieldSet(frozenset({
    "id", "summary", "closedFlag", "resources", "owner", "owner/id", "owner/identifier",
    "board/id", "status/id", "status/name", "priority/id", "company/id", "company/name",
}))

JDOE = MemberKey(id=5, identifier="jdoe")


def ticket(tid: int, resources: str | None = None, owner: int | None = None,
           **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": tid, "summary": f"ticket {tid}", "closedFlag": False}
    if resources is not None:
        record["resources"] = resources
    if owner is not None:
        record["owner"] = {"id": owner, "identifier": f"m{owner}"}
    record.update(extra)
    return record


def matching(filters: TicketFilters, records: list[dict[str, Any]],
             member: MemberKey | None = None, like: str = "both") -> set[int]:
    cond = filters.to_conditions(member=member)
    test = compile_conditions(cond.render() if cond else None, FIELDS, like)  # type: ignore[arg-type]
    return {r["id"] for r in records if test(r)}


@pytest.mark.parametrize("like", ["percent", "star", "both"])
def test_member_matches_owner_or_whole_resource_item_never_a_longer_identifier(
    like: str,
) -> None:
    records = [
        ticket(1, "jdoe"), ticket(2, "jdoe2"), ticket(3, "asmith, jdoe"),
        ticket(4, "jdoe, asmith"), ticket(5, "asmith, jdoe, bkhan"), ticket(6, "jdoe2, asmith"),
        ticket(7, "asmith, jdoe2"), ticket(8, "xjdoe"), ticket(9, "JDOE"),
        ticket(10, None, owner=5), ticket(11, "asmith,jdoe"), ticket(12, "asmith,jdoe,bkhan"),
        ticket(13, "jdoe2, xjdoe, jdoe3"), ticket(14, None),
    ]
    got = matching(TicketFilters(assigned=5), records, JDOE, like)
    assert got == {1, 3, 4, 5, 9, 10, 11, 12}
    assert TicketFilters(assigned=5).assignment_check(JDOE) is None  # exact on the server


@pytest.mark.parametrize("like", ["percent", "star", "both"])
@pytest.mark.parametrize("ident", ["j_d%e", "j[d]*e", "j*d_e"])
def test_wildcards_in_an_identifier_match_only_themselves(like: str, ident: str) -> None:
    """The server's answer is a superset; the row check makes it exact."""
    member = MemberKey(id=9, identifier=ident)
    other = ident.replace("_", "x").replace("%", "-").replace("*", "q").replace("[", "(")
    records = [ticket(1, ident), ticket(2, "jxdxe"), ticket(3, f"a, {other}"),
               ticket(4, f"a, {ident}"), ticket(5, f"{ident}, b"), ticket(6, f"a,{ident},b"),
               ticket(7, "jdde"), ticket(8, "jde"), ticket(9, None, owner=9)]
    filters = TicketFilters(assigned=9)
    server = matching(filters, records, member, like)
    assert {1, 4, 5, 6, 9} <= server
    check = filters.assignment_check(member)
    assert check is not None
    assert {r["id"] for r in records if r["id"] in server and check(r)} == {1, 4, 5, 6, 9}
    assert like_literal("a_b%c*d[e") == "a[_]b[%]c[*]d[[]e"


def test_me_uses_the_identity_and_by_identifier_when_the_id_is_unknown() -> None:
    records = [ticket(1, "jdoe"), ticket(2, None, owner=5), ticket(3, "jdoe2")]
    assert matching(TicketFilters(assigned="me"), records, JDOE) == {1, 2}
    rendered = assigned_to(MemberKey(identifier="jdoe")).render()
    assert 'owner/identifier = "jdoe"' in rendered and "owner/id =" not in rendered


def test_assigned_to_someone_needs_that_member() -> None:
    with pytest.raises(ValueError, match="member"):
        TicketFilters(assigned="me").to_conditions()
    with pytest.raises(ValueError, match="member"):
        TicketFilters(assigned=6).to_conditions(member=JDOE)


def test_unassigned_means_no_owner_and_no_resources() -> None:
    records = [ticket(1, None), ticket(2, ""), ticket(3, "jdoe"), ticket(4, None, owner=5)]
    assert matching(TicketFilters(assigned="unassigned"), records) == {1, 2}


def test_simple_filters_map_to_their_fields_and_closed_is_excluded_by_default() -> None:
    f = TicketFilters(board_id=3, status_id=20, priority_id=4, company_id=19)
    assert f.to_conditions() is not None
    assert f.to_conditions().render() == (  # type: ignore[union-attr]
        "board/id = 3 and status/id = 20 and priority/id = 4 and company/id = 19 "
        "and closedFlag = false"
    )
    assert TicketFilters(include_closed=True).to_conditions() is None
    by_name = TicketFilters(status_name="Waiting on Customer", include_closed=True)
    assert by_name.to_conditions().render() == 'status/name = "Waiting on Customer"'  # type: ignore[union-attr]


def test_status_name_with_a_quote_stays_one_literal() -> None:
    records = [ticket(1, status={"name": "Customer's reply"}), ticket(2, status={"name": "x"})]
    f = TicketFilters(status_name="Customer's reply")
    assert matching(f, records) == {1}


def test_query_searches_number_summary_and_company_without_breaking_out() -> None:
    records = [
        ticket(1, summary='Printer "HP" jammed'),
        ticket(2, company={"name": "O'Malley & Sons"}),
        ticket(77),
        ticket(4, summary="unrelated"),
    ]
    assert matching(TicketFilters(query="hp"), records) == {1}
    assert matching(TicketFilters(query="o'malley"), records) == {2}
    assert matching(TicketFilters(query="77"), records) == {77}
    injected = TicketFilters(query='x" or id > 0 or summary = "')
    assert matching(injected, records) == set()


def test_filters_are_frozen_hashable_and_round_trip_through_json() -> None:
    f = TicketFilters(board_id=1, assigned=7, query="it's \"fine\"", order_by="summary asc")
    assert hash(f) == hash(TicketFilters.model_validate_json(f.model_dump_json()))
    assert TicketFilters.model_validate_json(f.model_dump_json()) == f
    assert TicketFilters(assigned="me") == TicketFilters.model_validate({"assigned": "me"})
    with pytest.raises(ValidationError):
        f.board_id = 2  # type: ignore[misc]


@pytest.mark.parametrize("order_by", ["id; drop", "password desc", "id sideways", ""])
def test_order_by_accepts_only_known_fields(order_by: str) -> None:
    if order_by == "":
        assert TicketFilters(order_by=order_by).order_by == "id desc"
        return
    with pytest.raises(ValidationError):
        TicketFilters(order_by=order_by)


@pytest.mark.parametrize("bad", [{"status_id": 1, "status_name": "New"}, {"assigned": 0},
                                 {"assigned": "everyone"}, {"board_id": -1}, {"extra": 1}])
def test_invalid_filters_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        TicketFilters.model_validate(bad)


def test_resources_contains_is_exact_per_item() -> None:
    assert resources_contains("asmith, JDoe", "jdoe")
    assert not resources_contains("jdoe2, xjdoe", "jdoe")
