"""Site normalisation, cloud API host mapping and the codebase answer of /login/companyinfo."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

# ConnectWise's cloud UI hosts and the API host each one is served from (API-NOTES "Connection").
CLOUD_API_HOSTS: dict[str, str] = {
    "na.myconnectwise.net": "api-na.myconnectwise.net",
    "eu.myconnectwise.net": "api-eu.myconnectwise.net",
    "au.myconnectwise.net": "api-au.myconnectwise.net",
    "aus.myconnectwise.net": "api-aus.myconnectwise.net",
    "za.myconnectwise.net": "api-za.myconnectwise.net",
    "staging.connectwisedev.com": "api-staging.connectwisedev.com",
}
_CLOUD_UI_HOSTS = {api: ui for ui, api in CLOUD_API_HOSTS.items()}

DEFAULT_CODEBASE = "v4_6_release/"
_CODEBASE = re.compile(r"^[A-Za-z0-9_.\-]+/$")
_HOST = re.compile(r"^[A-Za-z0-9.\-]+$")


class InvalidSite(ValueError):  # noqa: N818 - named like the errors.py hierarchy
    """The site text cannot name a ConnectWise server."""


@dataclass(frozen=True)
class Site:
    """Where the API lives: scheme, API host (cloud-mapped), port; and the host users browse."""

    scheme: str
    host: str
    port: int | None = None
    ui_host: str = ""

    @property
    def origin(self) -> str:
        """``https://api-na.myconnectwise.net`` or ``http://127.0.0.1:8080``."""
        return _origin(self.scheme, self.host, self.port)

    @property
    def browser_origin(self) -> str:
        """Origin of the ConnectWise web UI (the cloud UI host, not its API host)."""
        return _origin(self.scheme, self.ui_host or self.host, self.port)

    @property
    def is_cloud(self) -> bool:
        return self.host in _CLOUD_UI_HOSTS

    def with_host(self, host: str) -> Site:
        """The same site served from another host (a cloud region learnt from discovery)."""
        return Site(self.scheme, host, None, _CLOUD_UI_HOSTS.get(host, host))

    def company_info_url(self, company_id: str) -> str:
        return f"{self.origin}/login/companyinfo/{quote(company_id, safe='')}"

    def api_base(self, codebase: str) -> str:
        """``{origin}/{codebase}apis/3.0`` (no trailing slash)."""
        return f"{self.origin}/{codebase}apis/3.0"


def _origin(scheme: str, host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    default = {"https": 443, "http": 80}[scheme]
    return f"{scheme}://{shown}" + (f":{port}" if port is not None and port != default else "")


def normalise_site(text: str) -> Site:
    """Accept what users type and return where the API lives.

    ``na.myconnectwise.net``, ``https://na.myconnectwise.net/v4_6_release/…`` → the cloud API
    host ``api-na.myconnectwise.net`` over https; ``cw.example.com`` → https on that host;
    ``http://127.0.0.1:PORT`` keeps plain http only because it was typed explicitly.
    """
    raw = text.strip()
    if not raw:
        raise InvalidSite("The ConnectWise site is empty; type the host you log in at.")
    candidate = raw if "://" in raw else "https://" + raw
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError as exc:
        raise InvalidSite(f"{raw!r} is not a host name or URL ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidSite(f"{raw!r}: only https:// (or http:// for a local server) is supported.")
    if parts.username is not None or parts.password is not None:
        # Never carry credentials in the site text: they would end up in logs and settings.
        raise InvalidSite("The site must not contain a user name or password.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host or not (_HOST.match(host) or _is_ip(host)):
        raise InvalidSite(f"{raw!r} has no valid host name.")
    api_host = CLOUD_API_HOSTS.get(host, host)
    ui_host = _CLOUD_UI_HOSTS.get(api_host, host)
    return Site(scheme, api_host, port, ui_host)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class CompanyInfo:
    """What ``/login/companyinfo/{companyId}`` tells us (null for an unknown company)."""

    codebase: str
    company_name: str | None = None
    site_url: str | None = None
    is_cloud: bool | None = None


def parse_company_info(data: Any) -> CompanyInfo | None:
    """Lenient parse; None for JSON null (unknown company). Raises ValueError for other shapes."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("companyinfo is not a JSON object")
    codebase = data.get("Codebase") or data.get("codebase")
    if not isinstance(codebase, str) or not codebase.strip():
        codebase = DEFAULT_CODEBASE
    codebase = codebase.strip().strip("/") + "/"
    if not _CODEBASE.match(codebase):
        raise ValueError(f"companyinfo gave an unusable Codebase {codebase!r}")
    name = data.get("CompanyName")
    site_url = data.get("SiteUrl")
    is_cloud = data.get("IsCloud")
    return CompanyInfo(
        codebase=codebase,
        company_name=name if isinstance(name, str) else None,
        site_url=site_url if isinstance(site_url, str) and site_url else None,
        is_cloud=is_cloud if isinstance(is_cloud, bool) else None,
    )


def cloud_host_from_info(site: Site, info: CompanyInfo) -> str | None:
    """The API host discovery says the company lives on, when that differs from ``site``.

    Only ConnectWise's own cloud hosts are followed: a server must not be able to send our
    Basic-auth header to a host the user did not choose.
    """
    if not info.site_url:
        return None
    try:
        reported = normalise_site(info.site_url)
    except InvalidSite:
        return None
    if reported.host in _CLOUD_UI_HOSTS and reported.host != site.host:
        return reported.host
    return None


def ticket_web_url(site: Site, codebase: str, ticket_id: int, company_id: str) -> str:
    """The ticket's page in the ConnectWise web UI (API-NOTES "open in browser")."""
    return (
        f"{site.browser_origin}/{codebase}services/system_io/Service/fv_sr100_request.rails"
        f"?service_recid={int(ticket_id)}&companyName={quote(company_id, safe='')}"
    )
