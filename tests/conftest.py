"""Test-wide set-up: offscreen Qt and Hypothesis profiles (``ci`` when CI is set)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=300)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
