"""Start-up stays light: the main window shows before the dock's and Quick Create's code loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEFERRED = ("anthropic", "psa.intake", "ui.new_ticket.launcher", "ui.detail.detail_dock",
            "ui.detail.binding")

# A fresh interpreter (the test process has imported everything): the demo against a sandbox
# URL that never answers; the window factory notes what is loaded when the window is built and
# when it first paints, then quits.
_PROBE = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from app.main import main
from app.session import default_window_factory

DEFERRED = %r
seen = {}

def loaded(moment):
    seen[moment] = sorted(n for n in DEFERRED if n in sys.modules)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "painted" not in seen:
            loaded("painted")
            QTimer.singleShot(0, QApplication.quit)
        return False

def factory(*args, **kwargs):
    window = default_window_factory()(*args, **kwargs)
    loaded("built")
    window.installEventFilter(FirstPaint(window))
    return window

code = main(["--demo", "--sandbox-url", "http://127.0.0.1:9"], window_factory=factory)
print("PROBE " + json.dumps(seen))
sys.exit(code)
"""


def test_the_main_window_is_built_and_painted_before_anthropic_intake_and_the_dock_load(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", _PROBE % (DEFERRED,)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("PROBE ")), None)
    assert line is not None, done.stdout + done.stderr
    seen = json.loads(line.removeprefix("PROBE "))
    assert seen == {"built": [], "painted": []}
