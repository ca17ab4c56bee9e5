"""List and count semantics: query parameters, filtering, ordering, paging and the Link header."""

from __future__ import annotations

import math
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from psa.sandbox.errors import ApiError
from psa.sandbox.query import FieldSet, LikeWildcards, compile_conditions, sort_records

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000
PAGING_PARAMS = ("page", "pagesize", "pageid")

# customFieldConditions run against each element of a record's customFields list.
CUSTOM_FIELD_FIELDS = FieldSet(
    frozenset({"id", "caption", "type", "entryMethod", "numberOfDecimals", "value"}), {}
)

Record = dict[str, Any]
Predicate = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class ListQuery:
    """The list/count parameters of one request (names matched case-insensitively)."""

    conditions: str | None = None
    child_conditions: str | None = None
    custom_field_conditions: str | None = None
    order_by: str | None = None
    fields: str | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    page_id: int | None = None
    forward_only: bool = False
    like_wildcards: LikeWildcards = "both"

    @property
    def filter_key(self) -> tuple[str | None, ...]:
        return (self.conditions, self.child_conditions, self.custom_field_conditions,
                self.like_wildcards)


def _int_param(name: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ApiError(400, "InvalidQuery", f"The value '{raw}' is not valid for {name}.") from None


def parse_list_query(
    params: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    like_wildcards: LikeWildcards = "both",
) -> ListQuery:
    """Read the standard list parameters; blank values count as absent.

    ``pageSize`` above 1000 is clamped to 1000 and below 1 means the default 25; ``page``
    below 1 means 1. Forward-only paging needs the ``pagination-type: forward-only`` header.
    """
    found: dict[str, str] = {}
    for name, value in params:
        if value.strip():
            found[name.lower()] = value
    page = _int_param("page", found["page"]) if "page" in found else 1
    size = _int_param("pageSize", found["pagesize"]) if "pagesize" in found else DEFAULT_PAGE_SIZE
    page_id = _int_param("pageId", found["pageid"]) if "pageid" in found else None
    forward = headers.get("pagination-type", "").strip().lower() == "forward-only"
    return ListQuery(
        conditions=found.get("conditions"),
        child_conditions=found.get("childconditions"),
        custom_field_conditions=found.get("customfieldconditions"),
        order_by=found.get("orderby"),
        fields=found.get("fields"),
        page=max(1, page),
        page_size=DEFAULT_PAGE_SIZE if size < 1 else min(size, MAX_PAGE_SIZE),
        page_id=page_id if forward else None,
        forward_only=forward,
        like_wildcards=like_wildcards,
    )


def build_predicate(query: ListQuery, fields: FieldSet) -> Predicate | None:
    """One predicate for conditions, childConditions and customFieldConditions (all ANDed)."""
    tests: list[Predicate] = []
    like = query.like_wildcards
    if query.conditions:
        tests.append(compile_conditions(query.conditions, fields, like))
    if query.child_conditions:
        # Documented simplification: child conditions address the record's own nested lists.
        tests.append(compile_conditions(query.child_conditions, fields, like))
    if query.custom_field_conditions:
        custom = compile_conditions(query.custom_field_conditions, CUSTOM_FIELD_FIELDS, like)
        tests.append(lambda r: any(custom(c) for c in r.get("customFields") or ()))
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda r: all(test(r) for test in tests)


class Selector:
    """Filters and orders records, remembering recent results so paging through 100k is cheap.

    The Store is copy-on-write (a change swaps in a new dict, CONTRACT/store.py), so a cached
    result is valid exactly while the source list still holds the very same objects; that
    check costs a few milliseconds at 100k records and sees every change, including ones
    made directly on ``Sandbox.store``.
    """

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._cache: OrderedDict[tuple[Any, ...], tuple[list[Record], list[Record]]] = OrderedDict()
        self._lock = threading.Lock()

    def select(
        self, source: str, rows: Sequence[Record], fields: FieldSet, query: ListQuery
    ) -> list[Record]:
        """The records matching the query's conditions, in its order."""
        order = None if query.forward_only else query.order_by
        ordered_key = ("ordered", source, query.filter_key, order)
        hit = self._get(ordered_key, rows)
        if hit is not None:
            return hit[1]
        # a count after a list (or a new order) reuses the filtered set
        filtered_key = ("filtered", source, query.filter_key)
        hit = self._get(filtered_key, rows)
        if hit is None:
            snapshot = list(rows)
            predicate = build_predicate(query, fields)
            chosen = [r for r in snapshot if predicate(r)] if predicate else snapshot
            self._put(filtered_key, snapshot, chosen)
        else:
            snapshot, chosen = hit
        if order is None:
            # ConnectWise's default (and forward-only's only) order is by id
            result = sorted(chosen, key=lambda r: r.get("id") or 0)
        else:
            result = cast(list[Record], sort_records(chosen, order, fields))
        self._put(ordered_key, snapshot, result)
        return result

    def _get(
        self, key: tuple[Any, ...], rows: Sequence[Record]
    ) -> tuple[list[Record], list[Record]] | None:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
        return hit if hit is not None and _same_objects(hit[0], rows) else None

    def _put(self, key: tuple[Any, ...], snapshot: list[Record], result: list[Record]) -> None:
        with self._lock:
            self._cache[key] = (snapshot, result)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)


def _same_objects(old: list[Record], new: Sequence[Record]) -> bool:
    return len(old) == len(new) and all(map(operator.is_, old, new))


@dataclass(frozen=True)
class Page:
    """One page of a list and the Link header that goes with it (``None`` if no links)."""

    rows: list[Record]
    link: str | None


def paginate(
    rows: list[Record], query: ListQuery, url: str, params: Sequence[tuple[str, str]]
) -> Page:
    """Cut a page out of ``rows`` (already filtered and ordered) and build its links."""
    size = query.page_size
    if query.forward_only:
        after = query.page_id if query.page_id is not None else -math.inf
        start = _first_after(rows, after)
        chosen = rows[start : start + size]
        more = start + size < len(rows)
        link = None
        if chosen and more:
            last_id = chosen[-1].get("id")
            link = f'<{_link_url(url, params, size, "pageId", last_id)}>; rel="next"'
        return Page(chosen, link)
    start = (query.page - 1) * size
    chosen = rows[start : start + size]
    last = max(1, math.ceil(len(rows) / size))
    rels: list[tuple[int, str]] = []
    if query.page > 1:
        rels += [(1, "first"), (query.page - 1, "prev")]
    if query.page < last:
        rels += [(query.page + 1, "next"), (last, "last")]
    links = [f'<{_link_url(url, params, size, "page", n)}>; rel="{rel}"' for n, rel in rels]
    return Page(chosen, ", ".join(links) or None)


def _first_after(rows: list[Record], after: float) -> int:
    """Index of the first row whose id is above ``after`` (rows are in id order)."""
    low, high = 0, len(rows)
    while low < high:
        mid = (low + high) // 2
        if (rows[mid].get("id") or 0) <= after:
            low = mid + 1
        else:
            high = mid
    return low


def _link_url(url: str, params: Sequence[tuple[str, str]], size: int, name: str, value: Any) -> str:
    """The request URL with its query re-encoded, ``pageSize`` then the page marker last."""
    kept = [
        f"{quote(k, safe='')}={quote(v, safe='')}"
        for k, v in params
        if k.lower() not in PAGING_PARAMS
    ]
    return f"{url}?{'&'.join([*kept, f'pageSize={size}', f'{name}={value}'])}"
