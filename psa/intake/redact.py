"""Strip secrets, signatures, disclaimers and quoted replies from pasted text before it is sent.

``redact(text)`` returns the text that would be sent plus a list of what was removed, so the
dispatcher can see both before pressing Parse. Secrets are replaced in place by a marker
(``[password removed]``); whole blocks (quoted reply chains, disclaimers, signatures) are cut.
Nothing here is sent anywhere.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict

from psa.intake.blocks import cut_blocks
from psa.intake.text import word_set

_FROM_LINE = re.compile(r"^\s*\**from\**\s*:", re.IGNORECASE)

RedactionKind = Literal[
    "password", "api_key", "token", "card_number", "card_code", "license_key", "private_key",
    "quoted_reply", "disclaimer", "signature",
]
SECRET_KINDS: frozenset[str] = frozenset(
    {"password", "api_key", "token", "card_number", "card_code", "license_key", "private_key"}
)
MARKERS: dict[str, str] = {
    "password": "[password removed]",
    "api_key": "[API key removed]",
    "token": "[token removed]",
    "card_number": "[card number removed]",
    "card_code": "[card code removed]",
    "license_key": "[licence key removed]",
    "private_key": "[private key removed]",
}


class Redaction(BaseModel):
    """One thing removed; ``excerpt`` is masked for secrets (never the secret itself)."""

    model_config = ConfigDict(frozen=True)
    kind: RedactionKind
    excerpt: str
    length: int

    @property
    def secret(self) -> bool:
        return self.kind in SECRET_KINDS


class Redacted(BaseModel):
    """The outcome of ``redact``.

    ``text`` is exactly what Claude would be sent. ``match_text`` is the body plus the
    signature (secrets already replaced): it is only used locally, to match the sender against
    the catalog, because signatures name people and companies.
    """

    model_config = ConfigDict(frozen=True)
    text: str
    removed: tuple[Redaction, ...] = ()
    match_text: str = ""
    sender_text: str = ""
    suspicious: tuple[str, ...] = ()

    @property
    def secrets_removed(self) -> int:
        return sum(1 for r in self.removed if r.secret)


# --- secrets ---------------------------------------------------------------------------------

_PRIVATE_KEY = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)",
    re.DOTALL,
)
_KNOWN_TOKENS: tuple[tuple[RedactionKind, re.Pattern[str]], ...] = (
    ("api_key", re.compile(r"\bsk-(?:ant-)?[A-Za-z0-9_\-]{16,}")),
    ("api_key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("api_key", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b")),
    ("api_key", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{22,}\b")),
    ("api_key", re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}\b")),
    ("api_key", re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}\b")),
    ("api_key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    ("token", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")),
    ("license_key", re.compile(r"\b[A-Z0-9]{5}(?:-[A-Z0-9]{5}){4}\b")),
)
_PASSWORD = re.compile(
    r"(?i)\b(?:(?:new|temp(?:orary)?|old|current|admin|wi-?fi|wireless|my|the|his|her|their)\s+)?"
    r"(?:password|passwd|passcode|passphrase|pwd|pw|pass|pin|wi-?fi key|network key|"
    r"(?:alarm|door|gate|lock|security) code)"
    # What it opens: "password for the NAS: …", "pin on the gate is …".
    r"(?:\s+(?:for|on|of|to)\s+(?:(?:the|my|our|your|his|her)\s+)?[\w.@-]+(?:\s+[\w.@-]+)?)?"
    r"(?P<sep>\s*[:=]\s*|\s+[-\u2013\u2014]\s+"
    r"|\s+(?:is|was|will be|would be|should be|is now|is still|to|=)\s+"
    r"|\s+(?:(?:is|was|has been|got)\s+)?(?:changed|reset|set|updated)\s+to\s+)"
    r"(?P<value>\"[^\"\n]{1,80}\"|\u201c[^\u201d\n]{1,80}\u201d|'[^'\n]{1,80}'|[^\s]+)"
)
# "creds: admin/Welcome123", "login is jsmith / Welcome1!": the part after the slash.
_USER_SLASH_PASSWORD = re.compile(
    r"(?i)\b(?:creds|credentials|login|log-in|logon|sign-?in)"
    r"(?:\s*[:=]\s*|\s+(?:is|are|was|were)\s*:?\s*)"
    r"(?P<user>[^\s/:]{1,64})\s*/\s*(?P<value>[^\s]+)"
)
# "the key is Blue-Sky-77": only a value that looks made up (letters and digits), not "in the
# drawer" or "to restart first".
_BARE_KEY = re.compile(
    r"(?i)\bkey(?:\s*[:=]\s*|\s+(?:is|was|will be|is now)\s+)(?P<value>[^\s]+)"
)
_CARD_CODE = re.compile(
    r"(?i)\b(?:cvv2?|cvc2?|cid|csc|card (?:security )?code)"
    r"(?:\s*[:=#]\s*|\s+(?:is|was|number)\s+|\s+)(?P<value>\d{3,4})\b"
)
_CODE_DIGITS = re.compile(
    r"(?i)\b(?:pin|passcode|(?:alarm|door|gate|lock|security) code)\s+#?(?P<value>\d{3,10})\b"
)
_KEYED_SECRET = re.compile(
    r"(?i)\b(?:api[ _-]?key|secret(?:[ _-]?key)?|access[ _-]?key(?:[ _-]?id)?|client[ _-]?secret|"
    r"(?:access |auth |refresh |bearer )?token|bearer|licen[cs]e key|product key|activation key)"
    r"(?:\s*[:=]\s*|\s+(?:is\s+)?)(?P<value>[A-Za-z0-9+/=_\-.]{12,})"
)
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_LONG_TOKEN = re.compile(r"(?<![\w@/.:\-])[A-Za-z0-9+/_\-=]{24,}(?![\w@/.\-])")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# Words that follow "password is" in ordinary complaints; they are not passwords.
_NOT_A_VALUE = word_set(
    "expired wrong incorrect invalid not correct locked required changed reset the a an same "
    "still being working too in on for and or saved expiring expire expires going now no "
    "prompt field box blank empty also just really about case sensitive wrong. incorrect. "
    "something again correct, different it this that my your our their his her"
)
_TRAILING = ",.;:)]}\"'"
_QUOTES = "\"'\u201c"
_LABELS = word_set("password passwd pass pwd pw")


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum that every payment card number satisfies."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _mask(kind: str, value: str) -> str:
    if kind == "card_number":
        digits = re.sub(r"\D", "", value)
        return f"•••• {digits[-4:]}"
    if kind == "card_code":
        return "•••"
    if kind == "private_key":
        return "-----BEGIN … PRIVATE KEY-----"
    return value[:1] + "•" * min(8, max(3, len(value) - 1))


class _Secrets:
    """Replaces secrets in a text, remembering masked excerpts."""

    def __init__(self) -> None:
        self.found: list[Redaction] = []

    def replace(self, kind: RedactionKind, value: str) -> str:
        self.found.append(Redaction(kind=kind, excerpt=_mask(kind, value), length=len(value)))
        return MARKERS[kind]

    def run(self, text: str) -> str:
        text = _PRIVATE_KEY.sub(lambda m: self.replace("private_key", m.group()), text)
        for kind, pattern in _KNOWN_TOKENS:
            text = pattern.sub(lambda m, k=kind: self.replace(k, m.group()), text)  # type: ignore[misc]
        text = _PASSWORD.sub(self._password, text)
        text = _USER_SLASH_PASSWORD.sub(self._after_user, text)
        text = _BARE_KEY.sub(self._bare_key, text)
        text = _CARD_CODE.sub(self._card_code, text)
        text = _CODE_DIGITS.sub(self._code, text)
        text = _KEYED_SECRET.sub(self._keyed, text)
        text = _CARD.sub(self._card, text)
        return _LONG_TOKEN.sub(self._long_token, text)

    def _password(self, match: re.Match[str]) -> str:
        raw = match.group("value")
        if raw[0] in _QUOTES:  # a quoted passphrase is one value, spaces and all
            return self._replace_value(match, "password", raw)
        value = raw.rstrip(_TRAILING) if len(raw.rstrip(_TRAILING)) >= 3 else raw
        if value.casefold() in _NOT_A_VALUE or value.startswith("[") or not value:
            return match.group()
        return self._replace_value(match, "password", value)

    def _after_user(self, match: re.Match[str]) -> str:
        value = match.group("value").rstrip(_TRAILING)
        if (len(value) < 3 or value.startswith("[") or value.endswith(":")
                or value.casefold() in _NOT_A_VALUE or value.casefold() in _LABELS):
            return match.group()
        return self._replace_value(match, "password", value)

    def _bare_key(self, match: re.Match[str]) -> str:
        value = match.group("value").rstrip(_TRAILING)
        made_up = (len(value) >= 6 and any(c.isdigit() for c in value)
                   and any(c.isalpha() for c in value))
        if not made_up or value.startswith("[") or "\\" in value or "/" in value:
            return match.group()
        return self._replace_value(match, "password", value)

    def _card_code(self, match: re.Match[str]) -> str:
        return self._replace_value(match, "card_code", match.group("value"))

    def _replace_value(self, match: re.Match[str], kind: RedactionKind, value: str) -> str:
        """The match with ``value`` (at the start of its group) replaced by the marker."""
        head = match.group()[: match.start("value") - match.start()]
        tail = match.group("value")[len(value):]
        return head + self.replace(kind, value) + tail

    def _code(self, match: re.Match[str]) -> str:
        head = match.group()[: match.start("value") - match.start()]
        return head + self.replace("password", match.group("value"))

    def _keyed(self, match: re.Match[str]) -> str:
        value = match.group("value").rstrip(_TRAILING)
        mixed = any(c.isdigit() for c in value) or (
            any(c.isupper() for c in value) and any(c.islower() for c in value)
        )
        if not mixed or value.startswith("[") or _GUID.match(value):
            return match.group()
        head = match.group()[: match.start("value") - match.start()]
        return head + self.replace("api_key", value) + match.group("value")[len(value):]

    def _card(self, match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        if not 13 <= len(digits) <= 19 or digits[0] not in "23456" or not luhn_ok(digits):
            return match.group()
        if len(set(digits)) == 1:
            return match.group()
        return self.replace("card_number", match.group())

    def _long_token(self, match: re.Match[str]) -> str:
        value = match.group()
        has_digit = any(c.isdigit() for c in value)
        has_alpha = any(c.isalpha() for c in value)
        if not (has_digit and has_alpha) or _GUID.match(value) or _entropy(value) < 3.5:
            return value
        return self.replace("token", value)


def replace_secrets(text: str) -> tuple[str, tuple[Redaction, ...]]:
    """Only the secret pass: ``text`` with secrets replaced by markers, and what was removed."""
    secrets = _Secrets()
    return secrets.run(text), tuple(secrets.found)


# --- prompt injection (reported, not removed: validation is the real defence) ---------------

_INJECTION = re.compile(
    r"(?i)(?:\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:previous|prior|above|earlier|all|"
    r"your|the)\b.{0,30}\b(?:instructions?|prompts?|rules?|guidelines?)\b"
    r"|\byou are now\b|\bsystem prompt\b|^\s*(?:system|assistant)\s*:"
    r"|\b(?:set|change|use)\s+(?:the\s+)?(?:company|contact|board|priority|member)[ _]?id\b"
    r"|</?\s*(?:pasted_text|data|instructions?|system)\s*>)",
    re.MULTILINE,
)


def suspicious_lines(text: str) -> tuple[str, ...]:
    """Lines that look like instructions aimed at an AI rather than a message to the MSP."""
    lines = []
    for line in text.splitlines():
        if _INJECTION.search(line):
            lines.append(line.strip()[:160])
    return tuple(lines)


# --- the whole pass ----------------------------------------------------------------------------

def redact(text: str) -> Redacted:
    """Remove secrets and mail furniture; see the module docstring."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    secrets = _Secrets()
    clean = secrets.run(normalised)
    blocks = cut_blocks(clean)
    removed = [*secrets.found]
    for kind, block in blocks.removed:
        first = next((ln.strip() for ln in block.splitlines() if ln.strip()), "")
        removed.append(Redaction(kind=kind, excerpt=first[:80], length=len(block)))
    sent = blocks.body.strip()
    suspicious = suspicious_lines(sent)
    # Lines aimed at an AI are no evidence of who wrote or what they need.
    evidence = "\n".join(ln for ln in blocks.body.split("\n")
                         if ln.strip()[:160] not in suspicious)
    match_text = "\n".join(p for p in (evidence, blocks.signature) if p.strip())
    from_lines = [ln for ln in evidence.split("\n") if _FROM_LINE.match(ln)]
    return Redacted(
        text=sent,
        removed=tuple(removed),
        match_text=match_text,
        sender_text="\n".join([*from_lines, blocks.signature]).strip(),
        suspicious=suspicious,
    )
