"""Site normalisation and discovery parsing, Link parsing, the permission table, error bodies."""

from __future__ import annotations

import pytest

from psa.connectwise.errors import (
    ConnectWiseError,
    InvalidObject,
    PermissionDenied,
    RateLimited,
    error_for_response,
    parse_error_body,
)
from psa.connectwise.paging import Page, page_number, pages_for, parse_link_header
from psa.connectwise.permissions import endpoint_name, permission_for, permission_table
from psa.connectwise.site import (
    InvalidSite,
    Site,
    cloud_host_from_info,
    normalise_site,
    parse_company_info,
    ticket_web_url,
)


@pytest.mark.parametrize(
    ("typed", "origin", "browser"),
    [
        ("na.myconnectwise.net", "https://api-na.myconnectwise.net",
         "https://na.myconnectwise.net"),
        ("https://na.myconnectwise.net/", "https://api-na.myconnectwise.net",
         "https://na.myconnectwise.net"),
        ("  HTTPS://EU.MyConnectWise.net/v4_6_release/ConnectWise.aspx?x=1 ",
         "https://api-eu.myconnectwise.net", "https://eu.myconnectwise.net"),
        ("au.myconnectwise.net", "https://api-au.myconnectwise.net",
         "https://au.myconnectwise.net"),
        ("aus.myconnectwise.net", "https://api-aus.myconnectwise.net",
         "https://aus.myconnectwise.net"),
        ("za.myconnectwise.net", "https://api-za.myconnectwise.net",
         "https://za.myconnectwise.net"),
        ("staging.connectwisedev.com", "https://api-staging.connectwisedev.com",
         "https://staging.connectwisedev.com"),
        ("api-na.myconnectwise.net", "https://api-na.myconnectwise.net",
         "https://na.myconnectwise.net"),
        ("cw.example.com", "https://cw.example.com", "https://cw.example.com"),
        ("cw.example.com.", "https://cw.example.com", "https://cw.example.com"),
        ("cw.example.com:8443", "https://cw.example.com:8443", "https://cw.example.com:8443"),
        ("http://127.0.0.1:50123", "http://127.0.0.1:50123", "http://127.0.0.1:50123"),
        ("http://[::1]:8080/", "http://[::1]:8080", "http://[::1]:8080"),
        ("https://cw.example.com:443", "https://cw.example.com", "https://cw.example.com"),
    ],
)
def test_sites_are_normalised_to_the_api_origin(typed: str, origin: str, browser: str) -> None:
    site = normalise_site(typed)
    assert site.origin == origin
    assert site.browser_origin == browser


@pytest.mark.parametrize(
    "typed", ["", "   ", "ftp://cw.example.com", "https://user:pw@cw.example.com",
              "https://", "cw example com", "http://cw.example.com:99999", "https://exa_mple!"],
)
def test_unusable_sites_are_refused_with_a_clear_message(typed: str) -> None:
    with pytest.raises(InvalidSite) as info:
        normalise_site(typed)
    assert "pw" not in str(info.value)


def test_company_info_parsing_is_lenient_but_rejects_hostile_codebases() -> None:
    assert parse_company_info(None) is None
    info = parse_company_info({"Codebase": "/v2025_1", "CompanyName": "Acme", "IsCloud": True,
                               "SiteUrl": "na.myconnectwise.net"})
    assert info is not None and info.codebase == "v2025_1/" and info.is_cloud
    missing = parse_company_info({"CompanyName": "Acme"})
    assert missing is not None and missing.codebase == "v4_6_release/"
    with pytest.raises(ValueError, match="Codebase"):
        parse_company_info({"Codebase": "../../evil?x=/"})
    with pytest.raises(ValueError, match="object"):
        parse_company_info([1])


def test_only_connectwise_cloud_hosts_are_followed_from_company_info() -> None:
    site = normalise_site("na.myconnectwise.net")
    eu = parse_company_info({"Codebase": "v1/", "SiteUrl": "eu.myconnectwise.net"})
    same = parse_company_info({"Codebase": "v1/", "SiteUrl": "na.myconnectwise.net"})
    evil = parse_company_info({"Codebase": "v1/", "SiteUrl": "evil.example"})
    assert eu and same and evil
    assert cloud_host_from_info(site, eu) == "api-eu.myconnectwise.net"
    assert cloud_host_from_info(site, same) is None
    assert cloud_host_from_info(site, evil) is None


def test_ticket_web_url_uses_the_browser_host() -> None:
    site = normalise_site("na.myconnectwise.net")
    assert ticket_web_url(site, "v2025_1/", 42, "acme co") == (
        "https://na.myconnectwise.net/v2025_1/services/system_io/Service/"
        "fv_sr100_request.rails?service_recid=42&companyName=acme%20co"
    )
    assert Site("https", "h").company_info_url("a/b") == "https://h/login/companyinfo/a%2Fb"


def test_link_header_in_connectwise_form_is_parsed() -> None:
    base = "https://h/v4_6_release/apis/3.0/service/tickets"
    header = (
        f'<{base}?conditions=id%20in%20(1%2C2)&pageSize=10&page=1>; rel="first", '
        f'<{base}?conditions=id%20in%20(1%2C2)&pageSize=10&page=2>; rel="prev", '
        f'<{base}?conditions=id%20in%20(1%2C2)&pageSize=10&page=4>; rel="next", '
        f'<{base}?conditions=id%20in%20(1%2C2)&pageSize=10&page=9>; rel="last"'
    )
    links = parse_link_header(header)
    assert [page_number(links[r]) for r in ("first", "prev", "next", "last")] == [1, 2, 4, 9]
    page = Page([], links)
    assert (page.next_page, page.last_page) == (4, 9)
    assert parse_link_header(None) == {} and parse_link_header("garbage") == {}
    assert parse_link_header('<a,b?page=2>; rel=next') == {"next": "a,b?page=2"}
    assert page_number("x?page=0") is None and page_number("x?page=abc") is None
    assert Page([]).next_page is None


def test_pages_for_counts_whole_pages() -> None:
    assert [pages_for(n, 10) for n in (0, 1, 10, 11, 100)] == [1, 1, 1, 2, 10]


@pytest.mark.parametrize(
    ("method", "path", "permission"),
    [
        ("GET", "/service/tickets", "Service Desk > Service Tickets (Inquire)"),
        ("GET", "/service/tickets/5/notes", "Service Desk > Service Tickets (Inquire)"),
        ("POST", "/service/tickets/5/notes", "Service Desk > Service Tickets (Edit)"),
        ("POST", "/service/tickets", "Service Desk > Service Tickets (Add)"),
        ("POST", "/service/tickets/search", "Service Desk > Service Tickets (Inquire)"),
        ("GET", "/service/tickets/5/configurations", "Companies > Configurations (Inquire)"),
        ("GET", "/service/boards/1/statuses", "System > Table Setup (Inquire)"),
        ("GET", "/service/priorities", "System > Table Setup (Inquire)"),
        ("GET", "/system/members", "System > Member Maintenance (Inquire)"),
        ("GET", "/company/companies", "Companies > Company Maintenance (Inquire)"),
        ("GET", "/company/contacts", "Companies > Contacts (Inquire)"),
        ("GET", "https://h/v1/apis/3.0/schedule/entries?conditions=x",
         "Service Desk > Resource Scheduling (Inquire)"),
    ],
)
def test_permission_table_follows_the_security_role_notes(method: str, path: str,
                                                          permission: str) -> None:
    assert permission_for(method, path) == permission


def test_endpoint_names_hide_ids_and_unknown_endpoints_have_no_permission() -> None:
    assert endpoint_name("/service/tickets/42/notes/7") == "/service/tickets/{id}/notes/{id}"
    assert permission_for("GET", "/finance/agreements") is None
    assert len(permission_table()) > 10


def test_error_bodies_are_parsed_leniently() -> None:
    assert parse_error_body(b"").code is None
    assert parse_error_body(b"<html>").field_errors == []
    body = parse_error_body(b'{"code": "X", "message": "m", "errors": [{"field": "f"}, 3]}')
    assert (body.code, body.message, [e.field for e in body.field_errors]) == ("X", "m", ["f"])


def test_error_mapping_without_a_body_still_says_what_failed() -> None:
    err = error_for_response(403, b"", method="GET", endpoint="/finance/x", permission=None)
    assert isinstance(err, PermissionDenied) and "GET /finance/x" in str(err)
    limited = error_for_response(429, b"", method="GET", endpoint="/x", permission=None,
                                 retry_after=2.0)
    assert isinstance(limited, RateLimited) and limited.retry_after == 2.0
    invalid = error_for_response(400, b"{}", method="POST", endpoint="/x", permission=None)
    assert isinstance(invalid, InvalidObject) and invalid.field_errors == []
    assert isinstance(error_for_response(302, b"", method="GET", endpoint="/x",
                                         permission=None), ConnectWiseError)
