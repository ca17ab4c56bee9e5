"""Build-time product constants."""

from __future__ import annotations

APP_NAME = "Dispatch Desk"
ORGANIZATION = "Dispatch Desk"

PRODUCT_CLIENT_ID = ""
"""The product's ConnectWise ``clientId`` (developer-network GUID). Empty in source until the
product registers one; the build sets it. The connection dialog shows it and lets users edit it."""

DEMO_CLIENT_ID = "5f6e1b2a-7c3d-4e8f-9a0b-1c2d3e4f5a6b"
"""Any GUID does for the sandbox, which only checks that a clientId header is present."""

DEMO_KEYS = ("sandbox", "restricted", "noaccess")
"""The sandbox's key pairs: a full dispatcher, a role missing lookups, no ticket access."""

SANDBOX_CHILD_FLAG = "--sandbox-child"
"""The frozen app runs the sandbox as ``DispatchDesk.exe --sandbox-child ARGS``."""
