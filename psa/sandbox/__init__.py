"""A ConnectWise Manage REST v3.0 simulator: a real HTTP server for the demo, tests and benches.

It shares no code with the client in ``psa.connectwise`` (import-linter checks), so the two
cannot be wrong the same way. Pure stdlib asyncio HTTP/1.1 (keep-alive, concurrent
connections); no web framework, no httpx2 needed.

Running it
==========
Command line::

    python -m psa.sandbox [--host 127.0.0.1] [--port 0] [--seed 1] [--tickets 300]
        [--latency-ms 0] [--rate-limit N] [--faults SPEC] [--activity]
        [--activity-interval 5] [--shapes full|lean|nulls] [--like-wildcards both|percent|star]
        [--notes-bump-last-updated true|false]

prints and flushes exactly one line, ``listening on http://127.0.0.1:PORT`` (port 0 picks a free
port), once the data is built and the socket serves; it serves until SIGINT/SIGTERM (SIGBREAK on
Windows) and then exits 0. Bad flags exit 2 (argparse), a port in use exits 1 with a message on
stderr. Same flags ⇒ same ids and content; timestamps are laid out relative to the start time.

In-process (tests)::

    with Sandbox(SandboxConfig(seed=1, tickets=300, clock=FixedClock(t))) as sb:
        sb.url, sb.api_url, sb.port, sb.store, sb.clock, sb.control

runs the server on a background thread (its own event loop). ``SandboxConfig`` also takes
``latency_ms``, ``rate_limit``, ``faults``, ``activity``, ``activity_interval``, ``shapes``,
``like_wildcards``, ``notes_bump_last_updated`` and ``monotonic`` (the rate limiter's time
source, so tests can freeze it).
``spawn_sandbox(["--seed", "1"])`` runs the CLI as a child process (``sys.executable -m
psa.sandbox``), waits for the listening line (timeout 120 s) and exposes ``.url``, ``.api_url``,
``.line`` and ``.process``; closing it (or leaving its ``with``) sends SIGTERM, then kills.

Connection and auth
===================
- ``GET /login/companyinfo/{companyId}`` needs no auth: company ``sandbox`` (any case) →
  ``{"CompanyName", "Codebase": "v4_6_release/", "VersionCode": "v2025.8", "VersionNumber",
  "CompanyID", "IsCloud", "SiteUrl"}``; any other company → JSON ``null`` (status 200).
- The API lives under ``/v4_6_release/apis/3.0``; any other prefix is 404. Paths match
  case-insensitively, as on IIS. Every response carries ``api-current-version: 2025.8``.
- Requests need ``Authorization: Basic base64("sandbox+PUBLIC:PRIVATE")`` (company id compared
  case-insensitively) **and** a ``clientId`` header holding a GUID (any GUID; braces allowed).
  The clientId is checked first. Every failure is 401 ``{"code": "Unauthorized", "message",
  "errors": null}`` whose message says what is wrong (clientId missing/invalid, no or non-Basic
  Authorization, undecodable, not ``company+public:private``, "Username or password is
  incorrect.", "The API key has been revoked."). Choice: a missing clientId is 401, not 400 —
  field reports differ (one integrator documents 400 mentioning ``clientId``); clients should
  treat both as a configuration error.
- ``Accept: application/vnd.connectwise.com+json; version=…`` is accepted with any version (or
  none); bodies are always in the 2025.8 shape and ``Content-Type`` is ``application/json;
  charset=utf-8``.

Keys and members (seeded data, see ``data.py``):

- ``sandbox-public`` / ``sandbox-private`` → member ``dispatch`` (Dana Whitfield, Service
  Dispatcher), a full security role.
- ``restricted-public`` / ``restricted-private`` → API member ``APIRestricted``, a role without
  Member Maintenance, Table Setup, Resource Scheduling and Configurations.
- ``noaccess-public`` / ``noaccess-private`` → API member ``APINoAccess``, a role with
  everything except Service Tickets.

``/system/myAccount`` returns the key's member for all three (the API members are ordinary
member records with licence class ``A``) and needs no permission. A missing permission is 403
``{"code": "Security", "message": "You do not have security permission to perform this action
(<Module> > <Permission>: <Inquire|Add|Edit|Delete>).", "errors": null}`` — the wording
integrators report, plus the module so a tester sees which one. Permissions per endpoint:
members → System > Member Maintenance; boards, statuses, a board's types/subtypes/items,
priorities → System > Table Setup; schedule entries → Service Desk > Resource Scheduling;
company configurations → Companies > Configurations; every ``/service/tickets…`` → Service
Desk > Service Tickets, and a ticket's ``/configurations`` also Companies > Configurations;
companies and contacts → Company Maintenance and Contacts (all keys have those); system/info
and myAccount → none.
Authentication happens before routing, so an unknown path with bad credentials is 401.

Endpoints (relative to ``/v4_6_release/apis/3.0``)
=================================================
GET ``/system/info``, ``/system/myAccount``; GET list, ``/count`` and ``/{id}`` for
``/system/members``, ``/company/companies``, ``/company/contacts``, ``/company/configurations``,
``/service/boards``, ``/service/boards/{id}/statuses``, ``/service/boards/{id}/types``,
``…/subtypes``, ``…/items``, ``/service/priorities`` and ``/schedule/entries``;
``/service/tickets`` GET (list) and POST (201); ``/service/tickets/count``;
POST ``/service/tickets/search`` (``{"conditions", "childConditions", "customFieldConditions",
"orderBy"}`` in the body, keys any case; paging and ``fields`` in the query string; its Link URLs
are the search URL, to be POSTed again with the same body); GET ``/service/tickets/calculateSla``
(the matching page with SLA fields computed now); ``/service/tickets/{id}`` GET and PATCH (JSON
Patch list); ``…/{id}/notes`` GET and POST (201), ``…/notes/count``, ``…/notes/{noteId}``;
``…/{id}/allNotes``; ``…/{id}/configurations`` (references ``{id, deviceIdentifier, _info}``) and
its ``/count``; POST ``…/{id}/attachChildren`` and ``…/{id}/merge`` (200, ``SuccessResponse`` as
in the schema); ``/schedule/entries`` POST (201) and DELETE ``/schedule/entries/{id}`` (204).
``{id}`` matches digits only, so ``count``, ``search`` and ``calculateSla`` are never ids; a
non-numeric id is 404. An unknown path is 404 ``{"code": "NotFound", "message": "The resource
cannot be found.", "errors": null}``; a known path with another method is 405
``MethodNotAllowed`` with an ``Allow`` header. A body that is not JSON (or not the expected
object/list) is 400 ``InvalidObject``.

Two [I] choices from API-NOTES: ``/system/info`` has **no** ``cloudRegion`` — the sandbox plays
an on-premises server (``isCloud: false``), which has no region, so clients must treat the
field as optional. A **literal newline** (or any raw control character) inside a JSON string of
a request body is strict-JSON-invalid and answered 400 ``InvalidObject`` ("The request body is
not valid JSON: Invalid control character…") with nothing stored — the field report of newlines
"misbehaving" taken at its strictest; the escaped form ``"\\n"`` is stored as a line break and
returned as ``"\\n"``. Record semantics, validation and the quirks (read-only
``resources``, foreign statuses ignored, lastUpdated bumps, board change needs a status) are
``store.py``'s and its helpers' docstrings; SLA maths ``sla.py``; shapes ``shapes.py``.

Lists and counts
================
- ``conditions``, ``orderBy`` and ``fields``: ``query.py`` documents the grammar, the
  evaluation (case-insensitive strings; ``contains``/``like`` pass ``%``, ``_`` and ``[`` through
  unescaped, as SQL Server LIKE) and projection. Errors are 400 with the query's code
  (``ApiFindCondition`` for an unknown field, ``InvalidQuery`` otherwise).
- ``childConditions`` (documented simplification): evaluated like ``conditions`` against the
  record itself, whose nested lists match when any element does; ANDed with ``conditions``.
  ``customFieldConditions``: evaluated against each element of the record's ``customFields``
  (fields ``id, caption, type, entryMethod, numberOfDecimals, value``); a record matches if any
  custom field does. Parameter names match case-insensitively; blank values are ignored.
- Without ``orderBy`` records come in id order. Counts (``{"count": n}``) honour the same three
  condition parameters.
- ``page`` is 1-based (below 1 → 1, past the end → ``[]``); ``pageSize`` defaults to 25, values
  above 1000 are clamped to 1000 (ConnectWise's documented maximum; the clamp shows in the Link
  URLs), below 1 mean 25; a non-integer page/pageSize/pageId is 400 ``InvalidQuery``.
- ``Link`` header, ConnectWise's form: each link is the request URL (``http://HOST:PORT`` as the
  sandbox announces it) with the query re-encoded — every other parameter in its original order,
  names and values percent-encoded with nothing safe (so ``,`` → ``%2C``, ``/`` → ``%2F``, space
  → ``%20``) — then ``pageSize=N`` and ``page=M`` last; rels ``first`` and ``prev`` when page > 1,
  ``next`` and ``last`` when page < last; joined by ``", "``; no header when a single page holds
  everything. pyconnectwise's ``page=(\\d+)>; rel="(.*?)"`` reads it.
- Forward-only paging: header ``pagination-type: forward-only``; records in id order (``orderBy``
  is ignored) after ``pageId`` (the last id of the previous page; none = from the start); the
  only link is ``rel="next"`` with ``…&pageSize=N&pageId=LAST`` while more records follow.
  ``pageId`` without the header is ignored.
- A query string over 2,048 bytes (IIS's default ``maxQueryString``) is refused as IIS refuses it:
  404 with the IIS "HTTP Error 404.15 - Not Found" HTML page, before auth or rate limiting (a
  path over 4,096 bytes: 404.14). Use ``POST /service/tickets/search`` for long conditions.
- Filtered sets (per list and conditions) and their orders are cached and reused while the
  source list holds the very same record objects (the store is copy-on-write), so paging
  through 100k tickets, or counting after listing, costs the filter once; any change, even
  one made directly on ``Sandbox.store``, is seen.

Faults, rate limit, latency
===========================
- ``--latency-ms N``: every API and ``/login/`` response waits N ms (``asyncio.sleep``: other
  connections are not held up). Not applied to ``/_sandbox/``.
- ``--rate-limit N``: more than N API requests within any sliding one-second window (per server)
  → 429 ``{"code": "TooManyRequests", …}`` with ``Retry-After`` (whole seconds until the window
  frees up, at least 1). Refused requests do not count. Checked before auth.
- ``--faults SPEC``: ``500=R,slow=R,drop=R,malformed=R,seed=S,slow_ms=MS`` (each optional, rates
  add up to ≤ 1; ``none`` turns faults off). Each API request that passes auth, routing and the
  permission check draws once from ``random.Random(seed)`` (deterministic for a given request
  order): ``500`` → 500 ``{"code": "ConnectWiseApi", …}``; ``slow`` → the answer is held
  ``slow_ms`` (default 35,000 ms, beyond a typical 30 s client timeout); ``drop`` → the
  connection is closed without an answer; ``malformed`` → the body is cut in half (valid HTTP,
  invalid JSON). By default the handler runs first, so a POST/PATCH/DELETE hit by a fault **has
  been stored** — the duplicate-ticket case from the field. ``write=late`` stores it
  ``write_delay_ms`` (default 2000) after the fault answer instead (a server still committing
  when the client gave up: a lookup right after the failure finds nothing), ``write=never`` not
  at all; with either, ``slow`` holds the connection ``slow_ms`` and then drops it, and
  ``malformed`` cuts a placeholder body. Faults and rate limiting never apply to
  ``/login/`` or ``/_sandbox/``.
- ``--shapes``: ``full`` (complete, nulls left out), ``lean`` (optional data left out;
  priorities are ``{id, name}`` and so lack the schema-required ``color`` — deliberately, as some
  servers send them) or ``nulls`` (optional fields sent as explicit ``null``, which the schema's
  non-nullable strings do not allow — deliberately). See ``shapes.py``.
- ``--like-wildcards``: ``both`` (default), ``percent`` or ``star`` — which characters ``like``
  treats as wildcards (``query.py``): API-NOTES reports both ``%`` and ``*``, so a client can be
  tested against a server that honours only one of them.
- ``--notes-bump-last-updated false``: a new note leaves the ticket's ``_info.lastUpdated``
  alone (API-NOTES marks the bump an inference; ``store.py``), so a client's stale-ticket check
  can be tested against a server that does not move it.
- ``--activity``: every ``--activity-interval`` seconds one ``store.activity_step()`` (new
  customer tickets, customer notes, status and owner changes, some to ``dispatch``).

Control API (``/_sandbox/``, no auth, no latency/faults/limits, not in the stats)
================================================================================
``GET health`` → ``{status, tickets, inFlight, serverTime, uptimeSeconds}``; ``GET stats`` →
``{"endpoints": {"GET /service/tickets/{id}": {requests, bytes_in, bytes_out, statuses}}, "totals":
{…}}`` (bytes are whole requests/responses incl. headers; keyed by method + template, unmatched
paths as ``"GET (unmatched)"``); ``POST reset-stats``; ``GET config`` and ``POST config``
``{latency_ms, faults, shapes, rate_limit (null/0 = off), activity_interval, like_wildcards,
notes_bump_last_updated}`` (any subset; unknown keys are 400); ``POST activity/step {"steps": n}`` →
``{"actions": [...]}``; ``POST clock/advance {"seconds": s}`` (only with an injected FixedClock;
else 409); ``POST revoke`` and ``POST restore`` ``{"public_key": …}`` (a revoked key gets 401
until restored). The same
operations are methods of ``Sandbox.control``: ``health()``, ``stats()``, ``reset_stats()``,
``config()``, ``configure(...)``, ``step_activity(n)``, ``advance_clock(s)``, ``revoke(key)``,
``restore(key)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from psa.sandbox.runner import Sandbox, SandboxConfig, SandboxProcess, spawn_sandbox

__all__ = ["Sandbox", "SandboxConfig", "SandboxProcess", "spawn_sandbox"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing e.g. psa.sandbox.query does not start building the server.
    if name in __all__:
        from psa.sandbox import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'psa.sandbox' has no attribute {name!r}")
