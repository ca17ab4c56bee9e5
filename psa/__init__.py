"""Dispatch Desk's PSA layer: ConnectWise client, ticket service and sandbox (no Qt)."""
