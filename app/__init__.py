"""Dispatch Desk's composition root: command line, event loop, settings, secrets, wiring."""
