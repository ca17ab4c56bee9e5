"""Test connection: discover the site and read system/info with the typed keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from psa.connectwise.credentials import Credentials


async def probe_connection(creds: Credentials) -> str:
    """Test connection: discover the site and read system/info with the keys (one retry)."""
    from psa.connectwise.client import ConnectWiseClient
    from psa.connectwise.retry import RetryPolicy

    async with ConnectWiseClient(creds, retry=RetryPolicy(max_attempts=2)) as client:
        info = await client.get_json("/system/info")
        company = client.company_info
    version = info.get("version") if isinstance(info, dict) else None
    where = f" — {company.company_name}" if company and company.company_name else ""
    return f"ConnectWise {version or '(version not reported)'}{where}"
