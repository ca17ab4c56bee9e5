"""Dispatch Desk's Qt widgets, models and dialogs (one folder per feature)."""
