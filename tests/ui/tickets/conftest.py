"""Ticket-list test setup: guard against PySide6 6.12 dropping references to None and True."""

from __future__ import annotations

from ui.pyside_refcount_fix import keep_singletons_alive

# Model tests emit thousands of signals; without this, Python 3.11 aborts at exit.
keep_singletons_alive()
