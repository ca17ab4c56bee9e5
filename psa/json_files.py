"""Blocking JSON-file helpers for the draft stores: lenient reads, atomic writes.

Call them from a worker thread (``asyncio.to_thread``), never on the event loop.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


def read_model(path: Path, model: type[M], *, what: str) -> M | None:
    """``path`` parsed as ``model``; None when missing, unreadable or invalid (logged)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("Cannot read %s %s: %s", what, path, exc)
        return None
    try:
        return model.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        log.warning("Ignoring an unreadable %s %s: %s", what, path, exc)
        return None


def write_model(path: Path, value: BaseModel | None) -> None:
    """Write ``value`` to ``path`` atomically (temp file + ``os.replace``); None deletes it.

    A crash mid-write leaves the previous file, never half a file.
    """
    if value is None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value.model_dump_json(indent=1))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
