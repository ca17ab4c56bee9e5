"""Find the mail furniture in a pasted message: quoted replies, disclaimers and the signature."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["quoted_reply", "disclaimer", "signature"]

HEADER = re.compile(
    r"^\s*\**(?:From|Sent|Date|To|Cc|Bcc|Subject|Importance|Reply-To)\**\s*:", re.IGNORECASE
)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE)
_ON_WROTE = re.compile(r"^\s*On\b.{4,240}\bwrote:\s*$")
_WROTE_END = re.compile(r"\bwrote:\s*$")
_OUTLOOK_RULE = re.compile(r"^\s*_{8,}\s*$")
_FROM = re.compile(r"^\s*\**From\**\s*:", re.IGNORECASE)
_FORWARD = re.compile(
    r"^\s*(?:-{3,}\s*Forwarded message\s*-{3,}|Begin forwarded message:)\s*$", re.IGNORECASE
)
_DISCLAIMER_HEAD = re.compile(
    r"^\s*\[?(?:CONFIDENTIALITY(?: NOTICE)?|DISCLAIMER|PRIVILEGED(?: AND CONFIDENTIAL)?|"
    r"CONFIDENTIAL(?:ITY)? NOTICE|CAUTION|EXTERNAL(?: EMAIL)?|HIPAA NOTICE|IMPORTANT NOTICE)\]?"
    r"\s*[:\-–]"
)
_DISCLAIMER_PHRASES = re.compile(
    r"(?i)(intended (?:solely |only )?for the (?:use of the )?(?:individual|addressee|named|"
    r"intended)|intended recipient|received this (?:e-?mail|message|communication) in error|"
    r"unauthori[sz]ed (?:review|use|disclosure|distribution)|strictly prohibited|"
    r"may contain (?:confidential|privileged)|consider the environment before printing|"
    r"(?:e-?mail|message) (?:has been|was) scanned|originated (?:from )?outside (?:of )?"
    r"(?:the|your) organi[sz]ation|protected health information)"
)
_CLOSING = re.compile(
    r"^\s*(?:--|—|(?i:(?:many |with |thanks |thank you )?(?:thanks|thank you|thx|ty|regards|"
    r"best|best regards|kind regards|warm regards|warmest regards|sincerely|cheers|"
    r"respectfully|blessings|take care|all the best|much appreciated|appreciate it|v/r)"
    r"(?: (?:so much|again|in advance|a lot|everyone|all))?)\s*[,.!]*)"
    r"(?:\s*[-–—]?\s*[A-Z][\w'.\-]*(?:\s+[A-Z][\w'.\-]*){0,2})?\s*$"
)
_DASH_NAME = re.compile(r"^\s*[-–—]\s*[A-Z][\w'.\-]*(?:\s+[A-Z][\w'.\-]*)?\s*$")
_MOBILE = re.compile(
    r"^\s*(?:Sent from my \w+|Sent from (?:Mail|Outlook) for \w+|Get Outlook for \w+|"
    r"Sent from Yahoo Mail|Sent via .{1,30})\b.*$",
    re.IGNORECASE,
)
_PHONE_OR_MAIL = re.compile(r"(\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4})|([\w.+\-]+@[\w\-]+\.[\w.]+)")
_NAME_LIKE = re.compile(
    r"^\s*(?:(?:Dr|Mr|Mrs|Ms|Pastor|Captain)\.?\s+)?[A-Z][\w'.\-]*(?:\s+[A-Z&][\w'.\-&,]*){0,5}"
    r"\s*(?:[|,].*)?$"
)


@dataclass
class Blocks:
    """A message split into what is sent (``body``), the signature, and the cut blocks."""

    body: str
    signature: str = ""
    removed: list[tuple[BlockKind, str]] = field(default_factory=list)


def cut_blocks(text: str) -> Blocks:
    """Split ``text``; the body keeps the top header block (From/Subject) and the message."""
    lines = text.split("\n")
    removed: list[tuple[BlockKind, str]] = []
    start = _quote_start(lines)
    if start is not None:
        removed.append(("quoted_reply", "\n".join(lines[start:])))
        lines = lines[:start]
    quoted = [ln for ln in lines if ln.lstrip().startswith(">")]
    if quoted:
        removed.append(("quoted_reply", "\n".join(quoted)))
        lines = [ln for ln in lines if not ln.lstrip().startswith(">")]
    lines, disclaimers = _cut_disclaimers(lines)
    removed.extend(("disclaimer", block) for block in disclaimers)
    signature_at = _signature_start(lines)
    signature = ""
    if signature_at is not None:
        signature = "\n".join(lines[signature_at:]).strip("\n")
        removed.append(("signature", signature))
        lines = lines[:signature_at]
    return Blocks(body="\n".join(lines).strip("\n"), signature=signature, removed=removed)


def _quote_start(lines: list[str]) -> int | None:
    """Index of the first line of an earlier message quoted below the reply, if any."""
    seen_body = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _FORWARD.match(line):
            seen_body = False  # a forwarded message is the content, not a quote
            continue
        if seen_body:
            if _ORIGINAL.match(line) or _ON_WROTE.match(line):
                return i
            following = lines[i + 1:i + 3]
            if stripped.startswith("On ") and len(stripped) < 240 and any(
                _WROTE_END.search(ln) and len(ln) < 120 for ln in following
            ):
                return i
            if _OUTLOOK_RULE.match(line) and any(_FROM.match(n) for n in lines[i + 1:i + 3]):
                return i
            if _FROM.match(line) and sum(bool(HEADER.match(n)) for n in lines[i + 1:i + 5]) >= 2:
                return i
        if not HEADER.match(line) and not stripped.startswith(">"):
            seen_body = True
    return None


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            spans.append((start, i))
            start = None
    return spans


def _cut_disclaimers(lines: list[str]) -> tuple[list[str], list[str]]:
    drop: set[int] = set()
    blocks = []
    for start, end in _paragraphs(lines):
        paragraph = "\n".join(lines[start:end])
        phrases = {m.group(1).casefold()[:12] for m in _DISCLAIMER_PHRASES.finditer(paragraph)}
        if _DISCLAIMER_HEAD.match(lines[start]) or len(phrases) >= 2:
            drop.update(range(start, end))
            blocks.append(paragraph)
    return [ln for i, ln in enumerate(lines) if i not in drop], blocks


def _signature_start(lines: list[str]) -> int | None:
    content = [i for i, ln in enumerate(lines) if ln.strip() and not HEADER.match(ln)]
    if len(content) < 2:
        return None
    first = content[0]
    found = None
    # The earliest sign-off among the last lines: "- Jamie" above "Sent from my iPhone".
    for position, i in enumerate(reversed(content)):
        if position > 10:
            break
        line = lines[i]
        signs_off = _CLOSING.match(line) or _DASH_NAME.match(line) or _MOBILE.match(line)
        if i > first and signs_off and _reads_like_signature(lines[i + 1:]):
            found = i
    return found if found is not None else _bare_signature(lines, first)


def _reads_like_signature(lines: list[str]) -> bool:
    """Short lines only: a sign-off followed by a paragraph of prose is not a signature."""
    return all(len(ln) <= 90 and len(ln.split()) <= 12 for ln in lines if ln.strip())


def _bare_signature(lines: list[str], first: int) -> int | None:
    """A trailing paragraph that reads like name/title/company/phone with no sign-off line."""
    spans = [s for s in _paragraphs(lines) if s[0] > first]
    if not spans:
        return None
    start, end = spans[-1]
    block = [ln.strip() for ln in lines[start:end]]
    if len(block) > 6 or any(len(ln) > 70 or len(ln.split()) > 9 for ln in block):
        return None
    if any(ln.endswith(("?", ".")) and not ln.endswith(("Inc.", "Co.", "LLC.")) for ln in block):
        return None
    contact_line = any(_PHONE_OR_MAIL.search(ln) for ln in block)
    if _NAME_LIKE.match(block[0]) or contact_line:
        return start
    return None
