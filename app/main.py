"""Dispatch Desk's entry point (placeholder until the main window lands)."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Run the app; returns the process exit code."""
    del argv
    return 0
