"""Work around PySide6 6.12 returning `None`/`True` without a reference (fatal on Python 3.11).

In PySide6 6.12.0 every void method (`setText`, `beginInsertRows`, `QTimer.start`, …) returns
`None` without taking a reference, and `SignalInstance.emit` does the same with `True`. Each
call lowers the singleton's reference count by one — qasync's `call_soon_threadsafe`, which
every `asyncio.to_thread` completion goes through, included. On Python 3.11 the count reaches
zero after some thousands of calls and the interpreter aborts ("none_dealloc" /
"bool_dealloc"). Python 3.12+ makes these singletons immortal, which hides the bug; this does
the same on 3.11, and only when a probe shows the bug is present.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

# Far more references than a process can ever drop; still far from overflowing ob_refcnt.
_RESERVE = 1 << 40
_PROBES = 8


class _Probe(QObject):
    ping = Signal()


def calls_leak_singletons() -> bool:
    """True when a void call or an emit from Python lowers `None`'s or `True`'s count."""
    probe = _Probe()
    nones, trues = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.setObjectName("probe")
        probe.ping.emit()
    return sys.getrefcount(None) < nones or sys.getrefcount(True) < trues


def keep_singletons_alive() -> bool:
    """Give `None`, `True` and `False` a large reserve of references if the bug is present.

    Call once, before the event loop runs (app start-up, test set-up). Returns True when the
    reserve was added; calling it again only adds to a reserve that is already ample.
    """
    if sys.version_info >= (3, 12) or not calls_leak_singletons():
        return False
    for value in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(value)).value += _RESERVE
    return True
