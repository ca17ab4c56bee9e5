"""The async ConnectWise client: discovery, auth headers, bounded concurrency, retries, paging."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Mapping, Sequence
from types import TracebackType
from typing import Any

import httpx2

from psa.connectwise.conditions import Cond
from psa.connectwise.credentials import Credentials
from psa.connectwise.errors import AuthFailed, NotFound, ServerError
from psa.connectwise.models import PatchOp
from psa.connectwise.paging import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Page,
    check_page,
    check_page_size,
    page_id,
    pages_for,
    parse_link_header,
)
from psa.connectwise.permissions import endpoint_name
from psa.connectwise.retry import RetryPolicy
from psa.connectwise.site import (
    CompanyInfo,
    Site,
    cloud_host_from_info,
    normalise_site,
    parse_company_info,
)
from psa.connectwise.transport import (
    ACCEPT,
    API_VERSION,
    DEFAULT_TIMEOUT,
    MAX_IN_FLIGHT,
    ClientStats,
    Exchange,
    is_loopback,
)
from psa.connectwise.wire import (
    MAX_URL_LENGTH,
    check_fields,
    check_order_by,
    join_path,
    render_conditions,
)

log = logging.getLogger(__name__)

Records = list[dict[str, Any]]
"""Decoded list items (the method ``list`` shadows the builtin inside the class)."""

_SEARCHABLE_LISTS = {"/service/tickets": "/service/tickets/search"}


class ConnectWiseClient:
    """One site, one ``httpx2.AsyncClient``; every call maps failures to ``ConnectWiseError``."""

    def __init__(
        self,
        creds: Credentials,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        timeout: httpx2.Timeout | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._creds = creds
        self._site: Site = normalise_site(creds.site)
        if self._site.scheme == "http" and not is_loopback(self._site.host):
            log.warning("plain http to %s: the API keys travel unencrypted", self._site.host)
        self._exchange = Exchange(creds, transport=transport, timeout=timeout,
                                  max_in_flight=max_in_flight, retry=retry)
        self.stats: ClientStats = self._exchange.stats
        self._base: str | None = None
        self._info: CompanyInfo | None = None
        self._discover_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return (
            f"ConnectWiseClient(site={self._site.origin!r}, "
            f"company_id={self._creds.company_id!r})"
        )

    async def __aenter__(self) -> ConnectWiseClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._exchange.aclose()

    @property
    def site(self) -> Site:
        """The normalised site (API host, browser host)."""
        return self._site

    @property
    def company_info(self) -> CompanyInfo | None:
        """What discovery learnt, once ``api_base()`` has run."""
        return self._info

    # ----------------------------------------------------------------- discovery

    async def api_base(self) -> str:
        """``https://host/{Codebase}apis/3.0``: discovered once, re-discovered after a 404."""
        if self._base is None:
            async with self._discover_lock:
                if self._base is None:
                    await self._discover()
        assert self._base is not None
        return self._base

    async def _rediscover(self, stale: str) -> str:
        async with self._discover_lock:
            if self._base == stale:
                await self._discover()
        assert self._base is not None
        return self._base

    async def _discover(self) -> None:
        url = self._site.company_info_url(self._creds.company_id)
        endpoint = "/login/companyinfo/{companyId}"
        try:
            data, _ = await self._exchange.call("GET", url, endpoint=endpoint,
                                                idempotent=True, auth=False)
        except NotFound as exc:
            raise NotFound(
                f"No ConnectWise login service at {self._site.origin} (404 on {endpoint}). "
                "Check the site: type the host you log in to ConnectWise at.",
                status=404, code="SiteNotFound", endpoint=endpoint,
            ) from exc
        try:
            info = parse_company_info(data)
        except ValueError as exc:
            raise ServerError(
                f"{self._site.origin} did not answer like ConnectWise on {endpoint} ({exc}). "
                "Check the site.", code="NotConnectWise", endpoint=endpoint,
            ) from None
        if info is None:
            raise AuthFailed(
                f"ConnectWise at {self._site.origin} does not know the company ID "
                f"{self._creds.company_id!r}. Check the Company ID you type at login.",
                code="UnknownCompany", endpoint=endpoint,
            )
        moved = cloud_host_from_info(self._site, info)
        if moved is not None:
            log.info("company %s lives on %s; using it", self._creds.company_id, moved)
            self._site = self._site.with_host(moved)
        self._info = info
        self._base = self._site.api_base(info.codebase)

    async def _api(
        self, method: str, path: str, *, idempotent: bool,
        params: Mapping[str, str | int] | None = None, body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[Any, httpx2.Response]:
        """One API call; a 404 triggers one re-discovery and, if the base moved, one replay."""
        base = await self.api_base()
        endpoint = endpoint_name(path)
        try:
            return await self._exchange.call(
                method, join_path(base, path), endpoint=endpoint, idempotent=idempotent,
                params=params, body=body, headers=headers,
            )
        except NotFound:
            # A stale codebase or wrong host 404s before reaching any record, so replaying
            # even a POST on the new base cannot create anything twice.
            fresh = await self._rediscover(base)
            if fresh == base:
                raise
            return await self._exchange.call(
                method, join_path(fresh, path), endpoint=endpoint, idempotent=idempotent,
                params=params, body=body, headers=headers,
            )

    # ----------------------------------------------------------------- public calls

    async def get_json(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        """GET a path under the API base; retried when transient."""
        data, _ = await self._api("GET", path, idempotent=True, params=params)
        return data

    async def post_json(self, path: str, body: Any) -> Any:
        """POST; never retried (a timed-out create may have happened: the caller decides)."""
        data, _ = await self._api("POST", path, idempotent=False, body=body)
        return data

    async def patch_json(self, path: str, ops: Sequence[PatchOp | Mapping[str, Any]]) -> Any:
        """PATCH with JSON Patch operations; never retried."""
        wire = [op.wire() if isinstance(op, PatchOp) else dict(op) for op in ops]
        data, _ = await self._api("PATCH", path, idempotent=False, body=wire)
        return data

    async def delete(self, path: str) -> None:
        """DELETE; never retried."""
        await self._api("DELETE", path, idempotent=False)

    async def search_json(self, path: str, body: Any,
                          params: Mapping[str, str | int] | None = None) -> Any:
        """POST a read-only search (e.g. ``/service/tickets/search``): retried like a GET."""
        data, _ = await self._api("POST", path, idempotent=True, body=body, params=params)
        return data

    def _list_params(
        self, *, conditions: Cond | str | None, fields: Sequence[str] | None,
        order_by: str | None, page: int | None, page_size: int | None,
        extra: Mapping[str, str] | None,
    ) -> dict[str, str | int]:
        params: dict[str, str | int] = {}
        rendered = render_conditions(conditions)
        if rendered:
            params["conditions"] = rendered
        if fields:
            params["fields"] = check_fields(fields)
        if order_by:
            params["orderBy"] = check_order_by(order_by)
        for key, value in (extra or {}).items():
            params[key] = value
        # ConnectWise's Link URLs end with pageSize then page; keep the same order.
        if page_size is not None:
            params["pageSize"] = check_page_size(page_size)
        if page is not None:
            params["page"] = check_page(page)
        return params

    async def _url_length(self, path: str, params: Mapping[str, str | int]) -> int:
        url = httpx2.URL(join_path(await self.api_base(), path), params=dict(params))
        return len(str(url))

    async def list_page(
        self, path: str, *, conditions: Cond | str | None = None,
        fields: Sequence[str] | None = None, order_by: str | None = None, page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE, extra: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Page:
        """One page with its ``Link`` targets. A URL too long for IIS becomes a POST search."""
        params = self._list_params(
            conditions=conditions, fields=fields, order_by=order_by, page=page,
            page_size=page_size, extra=extra,
        )
        if await self._url_length(path, params) > MAX_URL_LENGTH:
            data, response = await self._search_fallback(path, params)
        else:
            data, response = await self._api("GET", path, idempotent=True, params=params,
                                             headers=headers)
        return Page(_expect_list(data, path), parse_link_header(response.headers.get("Link")))

    async def _search_fallback(
        self, path: str, params: dict[str, str | int]
    ) -> tuple[Any, httpx2.Response]:
        search = _SEARCHABLE_LISTS.get(endpoint_name(path))
        if search is None:
            raise ValueError(
                f"the query for {endpoint_name(path)} is longer than {MAX_URL_LENGTH} "
                "characters; split id lists with conditions.batched_in"
            )
        body = {k: params.pop(k) for k in ("conditions", "orderBy") if k in params}
        return await self._api("POST", search, idempotent=True, body=body, params=params)

    async def list(
        self, path: str, *, conditions: Cond | str | None = None,
        fields: Sequence[str] | None = None, order_by: str | None = None, page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE, extra: Mapping[str, str] | None = None,
    ) -> Records:
        """One page of a list endpoint (``page`` 1-based, ``page_size`` ≤ 1000)."""
        result = await self.list_page(path, conditions=conditions, fields=fields,
                                      order_by=order_by, page=page, page_size=page_size,
                                      extra=extra)
        return result.items

    async def count(self, path: str, *, conditions: Cond | str | None = None) -> int:
        """``{path}/count`` with the same conditions → the number of matching records."""
        params = self._list_params(
            conditions=conditions, fields=None, order_by=None, page=None, page_size=None,
            extra=None,
        )
        count_path = path.rstrip("/") + "/count"
        if await self._url_length(count_path, params) > MAX_URL_LENGTH:
            return await self._count_by_search(path, conditions)
        data = await self.get_json(count_path, params)
        if not isinstance(data, dict) or isinstance(data.get("count"), bool) or not isinstance(
            data.get("count"), int
        ):
            raise ServerError(
                f"ConnectWise answered GET {endpoint_name(count_path)} without a count.",
                endpoint=endpoint_name(count_path), code="MalformedResponse",
            )
        return int(data["count"])

    async def _count_by_search(self, path: str, conditions: Cond | str | None) -> int:
        # No POST form of /count exists: page through the ids a search returns instead.
        total, number = 0, 1
        while True:
            chunk = await self.list(path, conditions=conditions, fields=["id"],
                                    order_by="id asc", page=number, page_size=MAX_PAGE_SIZE)
            total += len(chunk)
            if len(chunk) < MAX_PAGE_SIZE:
                return total
            number += 1

    async def list_all(
        self, path: str, *, conditions: Cond | str | None = None,
        fields: Sequence[str] | None = None, order_by: str | None = None,
        page_size: int = MAX_PAGE_SIZE, parallel: int = 4,
    ) -> Records:
        """Every record: count and the first page together, then the rest ``parallel`` at once.

        Ordered by ``id`` unless told otherwise so pages are stable; records that moved between
        pages while paging are de-duplicated by id. Pages past the counted last one are read
        only when the pages returned more records than counted (the list grew meanwhile);
        records created during the walk may otherwise be missed, as with any paged read.
        """
        check_page_size(page_size)
        if parallel < 1:
            raise ValueError("parallel must be >= 1")
        order = order_by or "id asc"
        kw: dict[str, Any] = {"conditions": conditions, "fields": fields, "order_by": order,
                              "page_size": page_size}
        total, first = await _gather_or_cancel(
            self.count(path, conditions=conditions), self.list(path, page=1, **kw)
        )
        pages: list[Records] = [first]
        last = pages_for(total, page_size)
        if len(first) == page_size and last > 1:
            gate = asyncio.Semaphore(parallel)

            async def fetch(number: int) -> Records:
                async with gate:
                    return await self.list(path, page=number, **kw)

            pages.extend(await _gather_or_cancel(*(fetch(n) for n in range(2, last + 1))))
        number, fetched = len(pages), sum(len(chunk) for chunk in pages)
        # More records than counted means the list grew while we paged: follow it while
        # pages come back full. Otherwise trust the count (no extra round trip).
        while len(pages[-1]) == page_size and fetched > total:
            number += 1
            pages.append(await self.list(path, page=number, **kw))
            fetched += len(pages[-1])
        return _dedupe(record for chunk in pages for record in chunk)

    async def iter_forward_only(
        self, path: str, *, conditions: Cond | str | None = None,
        fields: Sequence[str] | None = None, page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncIterator[Records]:
        """Walk a list with ``pagination-type: forward-only``, following ``rel="next"``."""
        headers = {"pagination-type": "forward-only"}
        params = self._list_params(
            conditions=conditions, fields=fields, order_by=None, page=None,
            page_size=page_size, extra=None,
        )
        base = await self.api_base()
        data, response = await self._api("GET", path, idempotent=True, params=params,
                                         headers=headers)
        visited: set[str] = set()
        while True:
            yield _expect_list(data, path)
            nxt = parse_link_header(response.headers.get("Link")).get("next")
            if not nxt:
                return
            # A link naming another host (a proxy's or load balancer's name) is not followed:
            # the credentials go only to the site's own API base. Its pageId is what matters,
            # and it is asked for there.
            pid = page_id(nxt)
            own = nxt.startswith(base + "/")
            problem = (
                "leaves the API base and has no pageId" if not own and pid is None
                else "repeats a page already read" if (pid or nxt) in visited else None
            )
            if problem:
                raise ServerError(
                    f"ConnectWise's next link for {endpoint_name(path)} {problem}.",
                    endpoint=endpoint_name(path), code="BadLink",
                )
            visited.add(pid or nxt)
            if own:
                data, response = await self._exchange.call(
                    "GET", nxt, endpoint=endpoint_name(path), idempotent=True, headers=headers
                )
            else:
                assert pid is not None  # a foreign link without one was refused above
                data, response = await self._api("GET", path, idempotent=True,
                                                 params={**params, "pageId": pid},
                                                 headers=headers)


async def _gather_or_cancel(*aws: Awaitable[Any]) -> list[Any]:
    """Like ``gather``, but the first failure cancels the others instead of leaving them run."""
    tasks = [asyncio.ensure_future(aw) for aw in aws]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _expect_list(data: Any, path: str) -> Records:
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ServerError(
            f"ConnectWise answered {endpoint_name(path)} with something other than a list.",
            endpoint=endpoint_name(path), code="MalformedResponse",
        )
    return data


def _dedupe(records: Any) -> Records:
    seen: set[Any] = set()
    out: Records = []
    for record in records:
        key = record.get("id")
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append(record)
    return out


__all__ = [
    "ACCEPT", "API_VERSION", "DEFAULT_TIMEOUT", "MAX_IN_FLIGHT", "ClientStats",
    "ConnectWiseClient",
]
