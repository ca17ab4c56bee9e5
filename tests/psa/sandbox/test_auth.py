"""Company discovery, Basic auth, clientId, revoked keys and security-role 403s."""

from __future__ import annotations

import base64

import httpx2
import pytest

from psa.sandbox import Sandbox
from psa.sandbox.auth import KeyRing
from psa.sandbox.errors import ApiError
from tests.psa.sandbox.conftest import CLIENT_ID, FULL, NOACCESS, RESTRICTED, auth_headers, basic


def test_companyinfo_gives_the_codebase_without_auth(sandbox: Sandbox) -> None:
    r = httpx2.get(sandbox.url + "/login/companyinfo/sandbox")
    assert r.status_code == 200
    body = r.json()
    assert body["Codebase"] == "v4_6_release/"
    assert body["CompanyID"].lower() == "sandbox"
    assert body["VersionCode"] == "v2025.8"
    assert body["IsCloud"] is False
    assert sandbox.api_url == sandbox.url + "/" + body["Codebase"] + "apis/3.0"


def test_companyinfo_company_is_case_insensitive(sandbox: Sandbox) -> None:
    assert httpx2.get(sandbox.url + "/login/companyinfo/SandBox").json()["Codebase"]


def test_companyinfo_unknown_company_is_json_null(sandbox: Sandbox) -> None:
    r = httpx2.get(sandbox.url + "/login/companyinfo/contoso")
    assert r.status_code == 200
    assert r.content == b"null"


def test_other_prefixes_are_404(sandbox: Sandbox) -> None:
    headers = auth_headers()
    for path in ("/", "/v2025_1/apis/3.0/system/info", "/v4_6_release/apis/2.0/system/info"):
        r = httpx2.get(sandbox.url + path, headers=headers)
        assert r.status_code == 404, path
        assert r.json()["code"] == "NotFound"


def test_api_current_version_on_every_response(sandbox: Sandbox) -> None:
    for path, headers in (
        ("/v4_6_release/apis/3.0/system/info", auth_headers()),
        ("/v4_6_release/apis/3.0/system/info", {}),
        ("/login/companyinfo/sandbox", {}),
        ("/nowhere", {}),
    ):
        r = httpx2.get(sandbox.url + path, headers=headers)
        assert r.headers["api-current-version"] == "2025.8", path


def test_version_pinned_accept_header_is_honoured(sandbox: Sandbox) -> None:
    for accept in (
        "application/vnd.connectwise.com+json; version=2025.8",
        "application/vnd.connectwise.com+json; version=2020.1",
        "application/json",
    ):
        r = httpx2.get(
            sandbox.api_url + "/system/info", headers={**auth_headers(), "Accept": accept}
        )
        assert r.status_code == 200, accept
        assert r.json()["version"]


def test_system_info_reports_the_version(sandbox: Sandbox) -> None:
    r = httpx2.get(sandbox.api_url + "/system/info", headers=auth_headers())
    body = r.json()
    assert body["version"].startswith("v2025.8")
    assert body["isCloud"] is False


def test_my_account_is_the_key_s_member(sandbox: Sandbox) -> None:
    got = {}
    for key in (FULL, RESTRICTED, NOACCESS):
        r = httpx2.get(sandbox.api_url + "/system/myAccount", headers=auth_headers(key))
        assert r.status_code == 200
        got[key[0]] = r.json()["identifier"]
    assert got == {
        "sandbox-public": "dispatch",
        "restricted-public": "APIRestricted",
        "noaccess-public": "APINoAccess",
    }


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({"clientId": CLIENT_ID}, "Authorization"),
        ({"clientId": CLIENT_ID, "Authorization": "Bearer abc"}, "Basic"),
        ({"clientId": CLIENT_ID, "Authorization": "Basic !!!"}, "decoded"),
        (
            {
                "clientId": CLIENT_ID,
                "Authorization": "Basic " + base64.b64encode(b"sandbox-public:x").decode(),
            },
            "companyId+publicKey",
        ),
        ({"clientId": "not-a-guid", "Authorization": basic(*FULL)}, "clientId"),
        ({"Authorization": basic(*FULL)}, "clientId"),
        ({"clientId": CLIENT_ID, "Authorization": basic(*FULL, company="acme")}, "incorrect"),
        ({"clientId": CLIENT_ID, "Authorization": basic(FULL[0], "bad")}, "incorrect"),
    ],
)
def test_401_messages_say_what_is_wrong(
    sandbox: Sandbox, headers: dict[str, str], fragment: str
) -> None:
    r = httpx2.get(sandbox.api_url + "/system/info", headers=headers)
    assert r.status_code == 401
    assert r.json()["code"] == "Unauthorized"
    assert fragment in r.json()["message"]


def test_company_id_in_credentials_is_case_insensitive(sandbox: Sandbox) -> None:
    r = httpx2.get(sandbox.api_url + "/system/info", headers=auth_headers(company="SANDBOX"))
    assert r.status_code == 200


def test_clientid_header_name_is_case_insensitive_and_guid_may_be_upper(sandbox: Sandbox) -> None:
    headers = {"Authorization": basic(*FULL), "CLIENTID": CLIENT_ID.upper()}
    assert httpx2.get(sandbox.api_url + "/system/info", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("key", "path", "module"),
    [
        (RESTRICTED, "/system/members", "System > Member Maintenance"),
        (RESTRICTED, "/service/boards", "System > Table Setup"),
        (RESTRICTED, "/schedule/entries", "Service Desk > Resource Scheduling"),
        (RESTRICTED, "/company/configurations", "Companies > Configurations"),
        (NOACCESS, "/service/tickets", "Service Desk > Service Tickets"),
    ],
)
def test_403_names_the_missing_permission(
    sandbox: Sandbox, key: tuple[str, str], path: str, module: str
) -> None:
    r = httpx2.get(sandbox.api_url + path, headers=auth_headers(key))
    assert r.status_code == 403
    assert r.json() == {
        "code": "Security",
        "message": f"You do not have security permission to perform this action ({module}: "
        "Inquire).",
        "errors": None,
    }


def test_403_for_a_write_names_the_action(sandbox: Sandbox) -> None:
    r = httpx2.delete(sandbox.api_url + "/schedule/entries/1", headers=auth_headers(RESTRICTED))
    assert r.status_code == 403
    assert "Resource Scheduling: Delete" in r.json()["message"]


def test_keyring_revoke_and_restore() -> None:
    ring = KeyRing()
    headers = {"authorization": basic(*FULL), "clientid": CLIENT_ID}
    assert ring.authenticate(headers).member == "dispatch"
    ring.revoke("sandbox-public")
    with pytest.raises(ApiError) as caught:
        ring.authenticate(headers)
    assert caught.value.status == 401
    assert "revoked" in caught.value.message
    ring.restore("sandbox-public")
    assert ring.authenticate(headers).public == "sandbox-public"
