"""The ConnectWise endpoint table and its handlers (run in a worker thread under the store lock)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from psa.sandbox import auth
from psa.sandbox.auth import ApiKey
from psa.sandbox.control import Runtime
from psa.sandbox.errors import ApiError, not_found
from psa.sandbox.listing import ListQuery, Selector, paginate, parse_list_query
from psa.sandbox.query import FieldSet, project
from psa.sandbox.server import Request, Response, json_response
from psa.sandbox.shapes import apply_shape

Record = dict[str, Any]
# Shape/entity name of a board's classification list → the Board attribute holding it.
BOARD_CLASSIFICATION = {"boardTypes": "types", "boardSubTypes": "subtypes", "boardItems": "items"}
REFERENCE_FIELDS = FieldSet(frozenset({"id", "deviceIdentifier", "name", "identifier"}))


@dataclass
class Ctx:
    """One request as a handler sees it."""

    request: Request
    ids: list[int]
    key: ApiKey
    rt: Runtime
    selector: Selector
    url: str  # absolute URL of the request path, the base of Link headers

    @property
    def member(self) -> str:
        return self.key.member

    def query(self) -> ListQuery:
        return parse_list_query(
            self.request.params(), self.request.headers, self.rt.like_wildcards
        )

    def render(self, entity: str, record: Record, fields: str | None) -> Record:
        shaped = apply_shape(entity, record, self.rt.shapes)
        return project(shaped, fields) if fields else shaped

    def body(self) -> Any:
        try:
            return self.request.json()
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(
                400, "InvalidObject", f"The request body is not valid JSON: {exc}"
            ) from exc

    def body_object(self) -> dict[str, Any]:
        data = self.body()
        if not isinstance(data, dict):
            raise ApiError(400, "InvalidObject", "The request body must be a JSON object.")
        return cast(dict[str, Any], data)


Handler = Callable[[Ctx], Response]


@dataclass(frozen=True)
class Route:
    """One endpoint: method, path template under ``/apis/3.0``, handler, permissions needed."""

    method: str
    template: str
    handler: Handler
    permissions: tuple[str, ...] = ()

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.template.strip("/").split("/"))


# --- generic list / count / get ---------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """How to list one kind of record: its shape name, cache key, rows and field set."""

    entity: str
    source: str
    rows: Callable[[], Sequence[Record]]
    fields: Callable[[], FieldSet]


def _listing(ctx: Ctx, name: str) -> Listing:
    """The listing for a store entity or a ticket/board child collection."""
    store = ctx.rt.store
    if name == "boardStatuses":
        board = ctx.ids[0]
        return Listing(
            name,
            f"statuses:{board}",
            lambda: store.board_statuses(board),
            lambda: store.fields(name),
        )
    if name in BOARD_CLASSIFICATION:
        board, kind = ctx.ids[0], BOARD_CLASSIFICATION[name]
        return Listing(
            name,
            f"{kind}:{board}",
            lambda: store.board_classification(board, kind),
            lambda: store.fields(name),
        )
    if name in ("notes", "allNotes"):
        ticket, every = ctx.ids[0], name == "allNotes"
        return Listing(
            "notes",
            f"{name}:{ticket}",
            lambda: store.notes(ticket, all_notes=every),
            lambda: store.fields("notes"),
        )
    if name == "ticketConfigurations":
        ticket = ctx.ids[0]
        return Listing(
            name,
            f"{name}:{ticket}",
            lambda: store.ticket_configurations(ticket),
            lambda: REFERENCE_FIELDS,
        )
    return Listing(name, name, lambda: store.records(name), lambda: store.fields(name))


def _select(ctx: Ctx, listing: Listing, query: ListQuery) -> list[Record]:
    rows = listing.rows()  # raises 404 for a missing parent before any query error
    return ctx.selector.select(listing.source, rows, listing.fields(), query)


def list_of(name: str) -> Handler:
    def handler(ctx: Ctx) -> Response:
        return _list_response(ctx, _listing(ctx, name), ctx.query())

    return handler


def _list_response(ctx: Ctx, listing: Listing, query: ListQuery) -> Response:
    rows = _select(ctx, listing, query)
    page = paginate(rows, query, ctx.url, ctx.request.params())
    body = [ctx.render(listing.entity, r, query.fields) for r in page.rows]
    return json_response(200, body, [("Link", page.link)] if page.link else [])


def count_of(name: str) -> Handler:
    def handler(ctx: Ctx) -> Response:
        return json_response(200, {"count": len(_select(ctx, _listing(ctx, name), ctx.query()))})

    return handler


def one_of(name: str, what: str) -> Handler:
    """GET by id from a listing (the last id in the path)."""

    def handler(ctx: Ctx) -> Response:
        wanted = ctx.ids[-1]
        listing = _listing(ctx, name)
        for record in listing.rows():
            if record.get("id") == wanted:
                return json_response(200, ctx.render(listing.entity, record, ctx.query().fields))
        raise not_found(f"{what} {wanted}")

    return handler


# --- tickets ----------------------------------------------------------------------------------


def get_ticket(ctx: Ctx) -> Response:
    ticket = ctx.rt.store.ticket(ctx.ids[0])
    return json_response(200, ctx.render("tickets", ticket, ctx.query().fields))


def create_ticket(ctx: Ctx) -> Response:
    ticket = ctx.rt.store.create_ticket(ctx.body_object(), member=ctx.member)
    return json_response(201, ctx.render("tickets", ticket, None))


def patch_ticket(ctx: Ctx) -> Response:
    ops = ctx.body()
    if not isinstance(ops, list) or not all(isinstance(op, dict) for op in ops):
        raise ApiError(400, "InvalidObject", "The request body must be a list of patch operations.")
    ticket = ctx.rt.store.patch_ticket(ctx.ids[0], ops, member=ctx.member)
    return json_response(200, ctx.render("tickets", ticket, None))


def search_tickets(ctx: Ctx) -> Response:
    """POST /service/tickets/search: the filter in the body, paging in the query string."""
    body = {k.lower(): v for k, v in ctx.body_object().items()}
    for name in ("conditions", "childconditions", "customfieldconditions", "orderby"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise ApiError(400, "InvalidObject", f"{name} must be a string.")
    query = replace(
        ctx.query(),
        conditions=body.get("conditions") or None,
        child_conditions=body.get("childconditions") or None,
        custom_field_conditions=body.get("customfieldconditions") or None,
        order_by=body.get("orderby") or None,
    )
    return _list_response(ctx, _listing(ctx, "tickets"), query)


def calculate_sla(ctx: Ctx) -> Response:
    """Tickets matching the conditions, one page, with their SLA fields computed now."""
    query = ctx.query()
    listing = _listing(ctx, "tickets")
    page = paginate(_select(ctx, listing, query), query, ctx.url, ctx.request.params())
    fresh = ctx.rt.store.calculate_sla(page.rows)
    body = [ctx.render("tickets", r, query.fields) for r in fresh]
    return json_response(200, body, [("Link", page.link)] if page.link else [])


def add_note(ctx: Ctx) -> Response:
    note = ctx.rt.store.add_note(ctx.ids[0], ctx.body_object(), member=ctx.member)
    return json_response(201, ctx.render("notes", note, None))


def attach_children(ctx: Ctx) -> Response:
    result = ctx.rt.store.attach_children(ctx.ids[0], ctx.body_object(), member=ctx.member)
    return json_response(200, result)


def merge(ctx: Ctx) -> Response:
    result = ctx.rt.store.merge(ctx.ids[0], ctx.body_object(), member=ctx.member)
    return json_response(200, result)


# --- schedule entries, system -----------------------------------------------------------------


def create_schedule_entry(ctx: Ctx) -> Response:
    entry = ctx.rt.store.create_schedule_entry(ctx.body_object(), member=ctx.member)
    return json_response(201, ctx.render("scheduleEntries", entry, None))


def delete_schedule_entry(ctx: Ctx) -> Response:
    ctx.rt.store.delete_schedule_entry(ctx.ids[0], member=ctx.member)
    return Response(204)


def system_info(ctx: Ctx) -> Response:
    return json_response(200, ctx.rt.store.system_info())


def my_account(ctx: Ctx) -> Response:
    member = ctx.rt.store.member_by_identifier(ctx.member)
    return json_response(200, ctx.render("members", member, ctx.query().fields))


# --- the table --------------------------------------------------------------------------------

_T, _RS, _TS = auth.SERVICE_TICKETS, auth.RESOURCE_SCHEDULING, auth.TABLE_SETUP
_MM, _CM, _CO, _CF = (
    auth.MEMBER_MAINTENANCE,
    auth.COMPANY_MAINTENANCE,
    auth.CONTACTS,
    auth.CONFIGURATIONS,
)


def _collection(base: str, name: str, what: str, *perms: str) -> list[Route]:
    return [
        Route("GET", base, list_of(name), perms),
        Route("GET", f"{base}/count", count_of(name), perms),
        Route("GET", f"{base}/{{id}}", one_of(name, what), perms),
    ]


ROUTES: tuple[Route, ...] = (
    Route("GET", "/system/info", system_info),
    Route("GET", "/system/myAccount", my_account),
    *_collection("/system/members", "members", "Member", _MM),
    *_collection("/company/companies", "companies", "Company", _CM),
    *_collection("/company/contacts", "contacts", "Contact", _CO),
    *_collection("/company/configurations", "configurations", "Configuration", _CF),
    *_collection("/service/boards", "boards", "Board", _TS),
    *_collection("/service/boards/{id}/statuses", "boardStatuses", "Service Status", _TS),
    *_collection("/service/boards/{id}/types", "boardTypes", "Type", _TS),
    *_collection("/service/boards/{id}/subtypes", "boardSubTypes", "Subtype", _TS),
    *_collection("/service/boards/{id}/items", "boardItems", "Item", _TS),
    *_collection("/service/priorities", "priorities", "Priority", _TS),
    Route("GET", "/service/tickets", list_of("tickets"), (_T,)),
    Route("POST", "/service/tickets", create_ticket, (_T,)),
    Route("GET", "/service/tickets/count", count_of("tickets"), (_T,)),
    Route("POST", "/service/tickets/search", search_tickets, (_T,)),
    Route("GET", "/service/tickets/calculateSla", calculate_sla, (_T,)),
    Route("GET", "/service/tickets/{id}", get_ticket, (_T,)),
    Route("PATCH", "/service/tickets/{id}", patch_ticket, (_T,)),
    Route("GET", "/service/tickets/{id}/notes", list_of("notes"), (_T,)),
    Route("POST", "/service/tickets/{id}/notes", add_note, (_T,)),
    Route("GET", "/service/tickets/{id}/notes/count", count_of("notes"), (_T,)),
    Route("GET", "/service/tickets/{id}/notes/{id}", one_of("notes", "Service Note"), (_T,)),
    Route("GET", "/service/tickets/{id}/allNotes", list_of("allNotes"), (_T,)),
    Route(
        "GET", "/service/tickets/{id}/configurations", list_of("ticketConfigurations"), (_T, _CF)
    ),
    Route(
        "GET",
        "/service/tickets/{id}/configurations/count",
        count_of("ticketConfigurations"),
        (_T, _CF),
    ),
    Route("POST", "/service/tickets/{id}/attachChildren", attach_children, (_T,)),
    Route("POST", "/service/tickets/{id}/merge", merge, (_T,)),
    Route("GET", "/schedule/entries", list_of("scheduleEntries"), (_RS,)),
    Route("POST", "/schedule/entries", create_schedule_entry, (_RS,)),
    Route("GET", "/schedule/entries/count", count_of("scheduleEntries"), (_RS,)),
    Route("GET", "/schedule/entries/{id}", one_of("scheduleEntries", "Schedule Entry"), (_RS,)),
    Route("DELETE", "/schedule/entries/{id}", delete_schedule_entry, (_RS,)),
)


@dataclass(frozen=True)
class Match:
    """A routed request: the route (``None`` if no method fits) and the ints in its path."""

    route: Route | None
    ids: list[int]
    allowed: tuple[str, ...]
    template: str


def match(method: str, path: str, routes: Sequence[Route] = ROUTES) -> Match | None:
    """Find the route for ``path`` (relative to ``/apis/3.0``); ``None`` if no template fits.

    Literal segments match case-insensitively (IIS paths are); ``{id}`` matches digits only,
    so ``count``, ``search`` and ``calculateSla`` can never be taken for an id.
    """
    parts = path.strip("/").split("/")
    fitting: list[tuple[Route, list[int]]] = []
    for route in routes:
        ids = _fit(route.segments, parts)
        if ids is not None:
            fitting.append((route, ids))
    if not fitting:
        return None
    allowed = tuple(dict.fromkeys(r.method for r, _ in fitting))
    for route, ids in fitting:
        if route.method == method:
            return Match(route, ids, allowed, route.template)
    return Match(None, fitting[0][1], allowed, fitting[0][0].template)


def _fit(segments: tuple[str, ...], parts: list[str]) -> list[int] | None:
    if len(segments) != len(parts):
        return None
    ids: list[int] = []
    for segment, part in zip(segments, parts, strict=True):
        if segment == "{id}":
            if not part.isdigit() or len(part) > 9:
                return None
            ids.append(int(part))
        elif segment.lower() != part.lower():
            return None
    return ids
