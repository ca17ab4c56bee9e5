"""Start-up stays light: the main window paints before the heavy code it does not need loads.

The real path (no window factory): main() paints the main window in its start-up state, then
fills that same window in place (`MainWindow.attach`) and only after its first paint opens the
service. A fresh interpreter notes which of the deferred modules are loaded at each moment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LATER = ("anthropic", "psa.intake", "ui.new_ticket.launcher", "ui.detail.detail_dock",
         "ui.detail.binding")
"""Not before the filled window's first paint: Quick Create, Claude and the detail dock."""
SERVICE = ("psa.service", "psa.connectwise.client", "httpx2")
"""Not before the filled window's first paint either: the service opens after it."""
FRAME = ("pydantic", "psa.models", "psa.filters", "asyncio", "qasync", "typing_extensions",
         "logging.handlers", "hashlib", "app.wiring")
"""Not before the start-up state's first paint: what only the filled window and the app need."""
WATCHED = LATER + SERVICE + FRAME

# The demo against a sandbox URL that never answers; quits after the filled table's first paint.
_PROBE = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import ui.main_window as mw
from app.main import main

WATCHED = %r
seen = {}

def loaded(moment):
    seen[moment] = sorted(n for n in WATCHED if n in sys.modules)

class FirstPaint(QObject):
    def __init__(self, parent, moment, last):
        super().__init__(parent)
        self.moment, self.last = moment, last
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.moment not in seen:
            loaded(self.moment)
            if self.last:
                QTimer.singleShot(0, QApplication.quit)
        return False

_init, _attach = mw.MainWindow.__init__, mw.MainWindow.attach

def __init__(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    if not self.attached:
        loaded("start-up state built")
        self.installEventFilter(FirstPaint(self, "start-up state painted", False))

def attach(self, *args, **kwargs):
    _attach(self, *args, **kwargs)
    loaded("filled")
    viewport = self.page.table.viewport()
    viewport.installEventFilter(FirstPaint(viewport, "filled and painted", True))

mw.MainWindow.__init__, mw.MainWindow.attach = __init__, attach
code = main(["--demo", "--sandbox-url", "http://127.0.0.1:9"])
print("PROBE " + json.dumps(seen))
sys.exit(code)
"""


def test_the_filled_main_window_paints_before_the_service_intake_and_the_dock_load(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", _PROBE % (WATCHED,)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("PROBE ")), None)
    assert line is not None, done.stdout + done.stderr
    seen = json.loads(line.removeprefix("PROBE "))
    assert seen["start-up state built"] == []
    assert seen["start-up state painted"] == []
    later = sorted(LATER + SERVICE)
    assert [n for n in seen["filled"] if n in later] == []
    assert [n for n in seen["filled and painted"] if n in later] == []
