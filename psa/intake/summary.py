"""Summary and description from a message: the subject or first meaningful sentence, the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass

from psa.intake.blocks import HEADER
from psa.intake.draft import SUMMARY_MAX
from psa.intake.text import clip, word_set

_SUBJECT = re.compile(r"(?im)^\s*\**subject\**\s*:\s*(?P<subject>.+?)\s*$")
_REPLY_PREFIX = re.compile(r"^(?:(?:re|fw|fwd|aw|wg|tr)\s*:\s*)+", re.IGNORECASE)
_TAG = re.compile(r"^\s*\[(?:ext(?:ernal)?|alert|monitoring|warning|info|ticket[^\]]*)\]\s*",
                  re.IGNORECASE)
_VAGUE_SUBJECTS = frozenset({
    "help", "issue", "issues", "problem", "problems", "question", "urgent", "request", "ticket",
    "hi", "hello", "hey", "fyi", "support", "quick question", "need help", "help please",
    "it issue", "computer issue", "no subject", "(no subject)", "help needed",
})
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening)|morning|"
    r"afternoon|howdy|yo)\b[^.!?\n]{0,40}[,!.:]?\s*$",
    re.IGNORECASE,
)
_PLEASANTRY = re.compile(
    r"^\s*(?:(?:i )?hope (?:you|you're|you are|all|this|everyone|your)\b|thanks?(?: you)?"
    r"(?: so much| again| in advance)?[.!]*$|(?:thanks|thank you)\b[^.!?]{0,30}[.!]*$|"
    r"happy (?:monday|friday|\w+day)\b|"
    r"(?:i )?hope this (?:e-?mail )?finds you\b)",
    re.IGNORECASE,
)
_INTRO = re.compile(
    r"^\s*(?:(?:hi|hey|hello)\W+)?(?:this is|it'?s|its|my name is)\s+[\w'.]+(?:\s+[\w'.]+)?"
    r"\s+(?:from|at|with|over at)\s+[^.\-–—:]{2,60}?(?:[.:]|\s[-–—]\s)\s*",
    re.IGNORECASE,
)
_LEAD_LABEL = re.compile(
    r"^\s*(?:call(?: summary| notes?)?|voicemail|vm|description|details|issue|problem|note|"
    r"fyi|escalating to [\w ]{2,30}|escalation|summary)\s*[:\-–—]\s*",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"^\s*[^:]{2,80}?\b(?:called|calling|phoned|rang|reports?|reported|says|said|"
    r"wrote|emailed)\b\s*[:\-–—,]\s*",
    re.IGNORECASE,
)
_CALL_FROM = re.compile(
    r"^\s*(?:phone )?(?:call|vm|voicemail|message|msg|text) (?:from|with) "
    r"(?:[^\-–—:]|:(?=\d)){2,80}?\s*[-–—:]\s", re.IGNORECASE
)
_URGENT_PREFIX = re.compile(
    r"^\s*(?:urgent|asap|important|emergency|high priority|critical)\b\s*[-:!–—]+\s*",
    re.IGNORECASE,
)
_ABBREVIATIONS = word_set("dr mr mrs ms st no vs etc eg ie approx jr sr inc co")
_PREFIX_SEGMENT = re.compile(r"^\s*([\w'&. ]{2,40}?)\s+[-–—]\s+(?=\S)")
_METADATA = re.compile(
    r"^\s*(?:(?:company|client|customer|site|device|contact|phone|priority|alert type|status|"
    r"job start|job end)(?:\s+\w+)?\s*:|portal ticket\b|submitted by\b)",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Parts:
    """What the offline parser makes of a message's wording."""

    summary: str
    description: str
    from_subject: bool


def body_lines(text: str) -> list[str]:
    """The message without header lines (From/To/Subject…) and greeting lines."""
    kept = []
    for line in text.split("\n"):
        if HEADER.match(line) or _GREETING.match(line):
            continue
        kept.append(line.rstrip())
    while kept and not kept[0].strip():
        kept.pop(0)
    return kept


def subject_of(text: str) -> str:
    match = _SUBJECT.search(text)
    if not match:
        return ""
    subject = _TAG.sub("", _REPLY_PREFIX.sub("", match.group("subject"))).strip(" -–—:")
    subject = _URGENT_PREFIX.sub("", subject)
    if subject.casefold().strip("!?. ") in _VAGUE_SUBJECTS or len(subject) < 4:
        return ""
    return subject


def _clean_sentence(sentence: str) -> str:
    """Drop lead-ins ("Call from X -", "Dr. Y called:", "Escalating to engineering:")."""
    previous = None
    while previous != sentence:
        previous = sentence
        sentence = _TAG.sub("", sentence, count=1)
        sentence = _INTRO.sub("", sentence, count=1)
        sentence = _LEAD_LABEL.sub("", sentence, count=1)
        sentence = _CALL_FROM.sub("", sentence, count=1)
        sentence = _REPORTED.sub("", sentence, count=1)
        segment = _PREFIX_SEGMENT.match(sentence)
        if segment and len(segment.group(1).split()) <= 4 and len(sentence) > 40:
            sentence = sentence[segment.end():]
    return sentence.strip()


def sentences(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if not line.strip() or (
            _METADATA.match(line) and not line.lower().startswith("description")
        ):
            continue
        out.extend(split_sentences(line.strip()))
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; a full stop after "Dr" or "e.g" does not end one."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start:match.start()]
        last_word = before.rsplit(None, 1)[-1].rstrip(".").casefold() if before.strip() else ""
        if match.group().strip(" ") == "" and last_word.replace(".", "") in _ABBREVIATIONS:
            continue
        if before.strip():
            pieces.append(before.strip())
        start = match.end()
    if text[start:].strip():
        pieces.append(text[start:].strip())
    return pieces


def first_meaningful(lines: list[str]) -> tuple[str, str]:
    """The first sentence worth a summary, as written and without its lead-in."""
    for sentence in sentences(lines):
        cleaned = _clean_sentence(sentence)
        words = cleaned.split()
        if _PLEASANTRY.match(cleaned) or _GREETING.match(cleaned) or len(words) < 3:
            continue
        return sentence, cleaned
    return "", ""


def split_message(text: str) -> Parts:
    """Summary from the subject or the first meaningful sentence; the rest as description."""
    lines = body_lines(text)
    body = "\n".join(lines).strip()
    subject = subject_of(text)
    if subject:
        return Parts(summary=_capitalise(clip(subject, SUMMARY_MAX)), description=body,
                     from_subject=True)
    sentence, cleaned = first_meaningful(lines)
    if not cleaned:
        return Parts(summary="", description=body, from_subject=False)
    summary = _capitalise(clip(cleaned.rstrip("."), SUMMARY_MAX))
    rest = body
    position = body.find(sentence)
    if sentence == cleaned and len(sentence) <= SUMMARY_MAX and position >= 0:
        # The rest: the body without the summary sentence. A sentence that was clipped or lost
        # a lead-in ("Call from Tom at Fabrikam -") stays whole, so nothing is lost.
        before = body[:position].rstrip()
        after = body[position + len(sentence):].lstrip(" .!?")
        rest = "\n".join(part for part in (before, after.strip()) if part)
    return Parts(summary=summary, description=rest or body, from_subject=False)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
