"""Notes as safe rich text: note text is escaped, only http(s) URLs become links.

Note text comes from customers and e-mail: it must never be interpreted as markup. Every piece
of it goes through ``html.escape``; URLs are found in the raw text (so an escaped ``&amp;`` is
never split), and only ``http``/``https`` ones are linked — never ``javascript:``, ``file:`` or
``data:``. Long notes are cut at a word boundary with a "more" link the view handles.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from psa.models import NoteItem

URL = re.compile(r"\bhttps?://[^\s<>\"'`\x00-\x1f\x7f]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*"
COLLAPSE_CHARS = 700
COLLAPSE_LINES = 12
PREVIEW_CHARS = 420
PREVIEW_LINES = 6
MORE_SCHEME = "dd-note"
"""Anchors ``dd-note:more/ID`` and ``dd-note:less/ID`` expand and collapse a note."""


@dataclass(frozen=True)
class NoteColours:
    """Colours (``#rrggbb``) for the current palette; the view derives them from it."""

    text: str = "#1b1b1b"
    muted: str = "#6b6b6b"
    link: str = "#0b61c4"
    card: str = "#f6f6f6"
    customer_card: str = "#fff4df"
    discussion: str = "#2f6fbf"
    internal: str = "#7a5cb8"
    resolution: str = "#2e8540"
    customer: str = "#c77c02"
    other: str = "#777777"


def _trim_url(url: str) -> str:
    url = url.rstrip(_TRAILING)
    # A closing bracket belongs to the URL only when the URL opened one: "(see http://x/a)".
    for close, opener in ((")", "("), ("]", "[")):
        while url.endswith(close) and url.count(close) > url.count(opener):
            url = url[:-1].rstrip(_TRAILING)
    return url


def linkify(text: str, link_colour: str | None = None) -> str:
    """Escaped ``text`` with http(s) URLs as links and line breaks as ``<br>``."""
    parts: list[str] = []
    pos = 0
    style = f' style="color:{link_colour}"' if link_colour else ""
    for match in URL.finditer(text):
        url = _trim_url(match.group(0))
        if not url or "://" not in url or url.endswith("://"):
            continue
        start, end = match.start(), match.start() + len(url)
        parts.append(html.escape(text[pos:start]))
        href = html.escape(url, quote=True)
        parts.append(f'<a href="{href}"{style}>{html.escape(url)}</a>')
        pos = end
    parts.append(html.escape(text[pos:]))
    return "".join(parts).replace("\n", "<br>")


def is_long(text: str) -> bool:
    return len(text) > COLLAPSE_CHARS or text.count("\n") >= COLLAPSE_LINES


def preview(text: str) -> str:
    """The start of a long note: a few lines, cut at a word boundary."""
    lines = text.split("\n")[:PREVIEW_LINES]
    cut = "\n".join(lines)
    if len(cut) > PREVIEW_CHARS:
        cut = cut[:PREVIEW_CHARS]
        space = cut.rfind(" ")
        if space > PREVIEW_CHARS // 2:
            cut = cut[:space]
    return cut.rstrip() + "…"


def badges(note: NoteItem) -> list[tuple[str, str]]:
    """(label, colour key) for a note's flags, in a fixed order."""
    found: list[tuple[str, str]] = []
    if note.from_customer:
        found.append(("Customer", "customer"))
    if note.discussion:
        found.append(("Discussion", "discussion"))
    if note.internal:
        found.append(("Internal", "internal"))
    if note.resolution:
        found.append(("Resolution", "resolution"))
    if note.note_type and note.note_type != "TicketNote":
        found.append((_type_label(note.note_type), "other"))
    return found


def _type_label(note_type: str) -> str:
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", note_type)
    return spaced.replace(" Note", "").strip() or note_type


def when_text(created: datetime | None) -> str:
    if created is None:
        return "time unknown"
    return created.astimezone().strftime("%d %b %Y %H:%M")


def _badge(label: str, colour: str) -> str:
    return (f'<span style="background-color:{colour}; color:#ffffff; font-size:small;">'
            f"&nbsp;{html.escape(label).replace(' ', '&nbsp;')}&nbsp;</span>")


def note_html(note: NoteItem, colours: NoteColours, *, expanded: bool) -> str:
    """One note as a card: author, time, badges, then the (possibly shortened) text."""
    marks = badges(note)
    accent_key = "customer" if note.from_customer else (marks[0][1] if marks else "other")
    accent = getattr(colours, accent_key)
    card = colours.customer_card if note.from_customer else colours.card
    # Words inside a part never break; a narrow dock wraps between author, time and badges.
    author = html.escape(note.author or "Unknown author").replace(" ", "&nbsp;")
    when = when_text(note.created).replace(" ", "&nbsp;")
    head = (f'<b>{author}</b> &nbsp;<span style="color:{colours.muted}">{when}</span> &nbsp;'
            + " ".join(_badge(lab, getattr(colours, key)) for lab, key in marks))
    text = note.text
    toggle = ""
    if is_long(text):
        action, label = ("less", "less") if expanded else ("more", "more")
        if not expanded:
            text = preview(text)
        toggle = (f'<br><a href="{MORE_SCHEME}:{action}/{note.id}" '
                  f'style="color:{colours.link}">{label}</a>')
    body = linkify(text, colours.link) if text.strip() else (
        f'<i style="color:{colours.muted}">(no text)</i>')
    return (
        f'<table width="100%" cellspacing="0" cellpadding="0" bgcolor="{card}">'
        f'<tr><td width="4" bgcolor="{accent}"></td>'
        f'<td style="padding:6px 8px 8px 8px">{head}<br>'
        f'<span style="color:{colours.text}">{body}</span>{toggle}</td></tr></table>'
    )


def notes_html(notes: Sequence[NoteItem], colours: NoteColours, *,
               expanded: Iterable[int] = ()) -> str:
    """All notes in the given order, each card followed by a small gap."""
    open_ids = set(expanded)
    cards = [note_html(n, colours, expanded=n.id in open_ids) for n in notes]
    gap = '<table width="100%" cellspacing="0" cellpadding="0"><tr><td height="6"></td></tr>'\
        "</table>"
    return f'<div style="color:{colours.text}">' + gap.join(cards) + "</div>"
