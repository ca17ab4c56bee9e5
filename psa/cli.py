"""``python -m psa``: list tickets and diagnose a key's permissions from the command line.

Every subcommand takes either ``--sandbox [--activity] [--restricted]`` (an in-process sandbox
with its defaults) or the site options ``--site``, ``--company-id``, ``--public-key``,
``--client-id`` (also ``CW_SITE``, ``CW_COMPANY_ID``, ``CW_PUBLIC_KEY``, ``CW_CLIENT_ID``). The
private key comes only from ``CW_PRIVATE_KEY`` or a hidden prompt — never an option, which
would land in shell history. Subcommands are argparse subparsers, so more can be added.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO

from pydantic import SecretStr, ValidationError

from psa.connectwise.credentials import Credentials
from psa.connectwise.errors import ConnectWiseError
from psa.diagnose import ProbeResult, probe_all
from psa.filters import TicketFilters
from psa.intake.cli import add_draft_parser
from psa.models import TicketPage
from psa.service import open_service

SANDBOX_CLIENT_ID = "5f2b3c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b"
"""Any GUID will do for the sandbox; a real site needs the product's own clientId."""
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace, Credentials, TextIO], int]


class UsageError(Exception):
    """Missing or invalid options; reported with exit code 2."""


def _connection_parser() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    box = parent.add_argument_group("sandbox")
    box.add_argument("--sandbox", action="store_true",
                     help="run against a local sandbox started with its defaults")
    box.add_argument("--activity", action="store_true",
                     help="with --sandbox: let its live-activity generator run")
    box.add_argument("--restricted", action="store_true",
                     help="with --sandbox: use the restricted API key (a degraded role)")
    site = parent.add_argument_group("site (private key from CW_PRIVATE_KEY or a prompt)")
    site.add_argument("--site", default=os.environ.get("CW_SITE"),
                      help="host you log in at, e.g. na.myconnectwise.net (CW_SITE)")
    site.add_argument("--company-id", default=os.environ.get("CW_COMPANY_ID"),
                      help="the Company ID typed at ConnectWise login (CW_COMPANY_ID)")
    site.add_argument("--public-key", default=os.environ.get("CW_PUBLIC_KEY"),
                      help="API member public key (CW_PUBLIC_KEY)")
    site.add_argument("--client-id", default=os.environ.get("CW_CLIENT_ID"),
                      help="integration clientId GUID (CW_CLIENT_ID)")
    site.add_argument("--member-identifier", default=os.environ.get("CW_MEMBER_IDENTIFIER"),
                      help="your member identifier, if /system/myAccount is not allowed")
    return parent


def _assigned(text: str) -> str | int:
    if text in ("all", "me", "unassigned"):
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("use all, me, unassigned or a member id") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m psa",
                                     description="Dispatch Desk's ConnectWise tools.")
    subs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    conn = _connection_parser()
    tickets = subs.add_parser("tickets", parents=[conn], help="list tickets like the app does",
                              description="List tickets; the filters mirror TicketFilters.")
    f = tickets.add_argument_group("filters")
    f.add_argument("--board-id", type=int)
    f.add_argument("--status-id", type=int, help="a status of --board-id's board")
    f.add_argument("--status-name", help="a status name, on every board")
    f.add_argument("--priority-id", type=int)
    f.add_argument("--customer-id", type=int, dest="customer_id",
                   help="a customer company's numeric id (TicketFilters.company_id)")
    f.add_argument("--assigned", type=_assigned, default="all",
                   help="all, me, unassigned or a member id (owner or co-assignee)")
    f.add_argument("--include-closed", action="store_true")
    f.add_argument("--query", "-q", default="", help="free text: number, summary, company")
    f.add_argument("--order-by", default="id desc")
    f.add_argument("--page", type=int, default=1)
    f.add_argument("--page-size", type=int, default=25)
    tickets.add_argument("--json", action="store_true", help="print JSON instead of a table")
    tickets.set_defaults(run=run_tickets)
    diagnose = subs.add_parser(
        "diagnose", parents=[conn], help="probe every endpoint the app uses",
        description="Probe each endpoint the app reads and print which security-role "
                    "permissions are missing. Exit code 0 only when everything works.",
    )
    diagnose.add_argument("--json", action="store_true", help="print JSON instead of a table")
    diagnose.set_defaults(run=run_diagnose)
    add_draft_parser(subs, parents=[conn])
    return parser


def filters_from(args: argparse.Namespace) -> TicketFilters:
    try:
        return TicketFilters(
            board_id=args.board_id, status_id=args.status_id, status_name=args.status_name,
            priority_id=args.priority_id, company_id=args.customer_id, assigned=args.assigned,
            include_closed=args.include_closed, query=args.query, order_by=args.order_by,
        )
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"invalid filters: {details}") from None


def site_credentials(args: argparse.Namespace,
                     prompt: Callable[[str], str] = getpass.getpass) -> Credentials:
    missing = [name for name, value in (("--site", args.site), ("--company-id", args.company_id),
                                        ("--public-key", args.public_key),
                                        ("--client-id", args.client_id)) if not value]
    if missing:
        raise UsageError("missing " + ", ".join(missing) + " (or --sandbox)")
    private = os.environ.get("CW_PRIVATE_KEY")
    if not private:
        if not sys.stdin.isatty():
            raise UsageError("set CW_PRIVATE_KEY (no terminal to prompt for the private key)")
        private = prompt("ConnectWise private key: ")
    try:
        return Credentials(site=args.site, company_id=args.company_id,
                           public_key=args.public_key, private_key=SecretStr(private),
                           client_id=args.client_id, member_identifier=args.member_identifier)
    except ValidationError as exc:
        raise UsageError("invalid credentials: " + "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from None


@contextlib.contextmanager
def connection(args: argparse.Namespace) -> Iterator[Credentials]:
    """Credentials for the chosen target, with an in-process sandbox running if asked."""
    if not args.sandbox:
        if args.activity or args.restricted:
            raise UsageError("--activity and --restricted go with --sandbox")
        yield site_credentials(args)
        return
    from psa.sandbox import Sandbox, SandboxConfig

    kind = "restricted" if args.restricted else "sandbox"
    with Sandbox(SandboxConfig(activity=args.activity)) as box:
        yield Credentials(site=box.url, company_id="sandbox", public_key=f"{kind}-public",
                          private_key=SecretStr(f"{kind}-private"),
                          client_id=SANDBOX_CLIENT_ID,
                          member_identifier=args.member_identifier)


# ---------------------------------------------------------------------- tickets


def _cell(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_page(page: TicketPage) -> str:
    columns = (("#", 7), ("Status", 20), ("Priority", 20), ("Company", 24), ("Resources", 18),
               ("Summary", 50))
    lines = ["  ".join(name.ljust(width) for name, width in columns).rstrip()]
    for row in page.items:
        cells = (str(row.id), row.status_name, row.priority_name, row.company_name,
                 row.resources or row.owner_identifier, row.summary)
        lines.append("  ".join(_cell(c, w).ljust(w) for c, (_, w) in zip(cells, columns,
                                                                         strict=True)).rstrip())
    total = f"{page.total}" if page.total_exact else f"at least {page.total}"
    lines.append(f"page {page.page} of {page.pages} · {total} tickets")
    lines.extend(f"warning: {w.message}" for w in page.warnings)
    return "\n".join(lines)


def run_tickets(args: argparse.Namespace, creds: Credentials, out: TextIO) -> int:
    filters = filters_from(args)

    async def go() -> TicketPage:
        async with open_service(creds) as svc:
            return await svc.search_tickets(filters, page=args.page, page_size=args.page_size)

    page = asyncio.run(go())
    if args.json:
        json.dump(page.model_dump(mode="json"), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(format_page(page) + "\n")
    return EXIT_OK


# ---------------------------------------------------------------------- diagnose


def format_probes(results: Sequence[ProbeResult]) -> str:
    widths = (28, 36, 8)
    head = ("Module", "Permission", "Result", "Endpoint")
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, (*widths, 0), strict=True)).rstrip()]
    for r in results:
        cells = (r.module, r.action, r.outcome)
        line = "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
        lines.append(f"{line}  {r.endpoint}")
        if r.outcome in ("ERROR", "UNCHECKED"):
            lines.append(f"    {r.detail}")
    missing = sorted({f"{r.module} > {r.action}" for r in results if r.outcome == "MISSING"})
    if missing:
        lines.append("Missing from the API member's security role: " + ", ".join(missing))
    lines.append("Add/Edit/Delete rights are not probed: that would change data.")
    return "\n".join(lines)


def run_diagnose(args: argparse.Namespace, creds: Credentials, out: TextIO) -> int:
    results = asyncio.run(probe_all(creds))
    if args.json:
        json.dump([r.as_dict() for r in results], out, indent=2)
        out.write("\n")
    else:
        out.write(format_probes(results) + "\n")
    return EXIT_OK if all(r.outcome in ("OK", "UNCHECKED") for r in results) else EXIT_FAILED


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    run: Command = args.run
    try:
        with connection(args) as creds:
            return run(args, creds, out)
    except UsageError as exc:
        print(f"python -m psa: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConnectWiseError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
