"""Keyword evidence in a message: how urgent it sounds, which board it belongs on, its type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from psa.intake.catalog import BoardEntry, IntakeCatalog, PriorityEntry, TypeEntry
from psa.intake.text import fold

Urgency = Literal["critical", "high", "normal", "low", "project"]
BoardKind = Literal["alerts", "escalations", "onsite", "helpdesk"]


@dataclass(frozen=True)
class Hint:
    """A keyword verdict and the phrases that led to it (empty: nothing matched, a default)."""

    value: str
    evidence: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.evidence)


def _rx(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


_NOUNS = (r"(?:server|servers|internet|network|site|website|web ?site|e-?mail|phones?|system|"
          r"systems|everything|wi-?fi|pos|terminals?|power|ehr|emr|database|portal|vpn)")
_URGENCY: dict[Urgency, tuple[re.Pattern[str], ...]] = {
    "critical": _rx(
        r"\b(?:is|are|was|were|went|been|goes|keeps? going)\s+(?:completely\s+|totally\s+|all\s+)?"
        r"down\b",
        rf"\b{_NOUNS}\s+(?:(?:is|are)\s+)?(?:completely\s+|totally\s+)?down\b",
        r"\boutage\b", r"\bemergency\b", r"\bransom(?:ware)?\b",
        r"\bfiles? (?:are |were )?encrypted\b",
        r"\bhacked\b", r"\bbreach(?:ed)?\b", r"\bno ?(?:body|one) (?:can|is able)\b",
        r"\b(?:whole|entire) (?:office|company|building|staff|team|practice|clinic|firm|store|"
        r"shop|restaurant|location|site|floor|warehouse|school|hotel)\b",
        r"\ball (?:users|staff|employees|computers|terminals|workstations)\b",
        r"\blosing (?:money|bookings|sales|orders|business)\b", r"\bon battery\b",
        r"\bcritical\b", r"\b(?:production|operations) (?:is |are )?(?:down|stopped|halted)\b",
        r"\bcan'?t (?:ring up|process (?:payments|orders)|see patients|operate)\b",
    ),
    "high": _rx(
        r"\burgent(?:ly)?\b", r"\basap\b", r"\bas soon as possible\b", r"\bright away\b",
        r"\bimmediately\b", r"\bdeadline\b", r"\bquickly\b", r"\bhigh priority\b",
        r"\btime[- ]sensitive\b", r"\blocked out\b", r"\bcan'?t work\b", r"\bcannot work\b",
        r"\bdue (?:today|tomorrow)\b", r"\b(?:check|look at|fix|fixed|done|sorted) (?:it )?today\b",
        r"\bneeds? (?:\w+ )?(?:fixed|done|sorted|working) today\b", r"\bthis afternoon\b",
        r"\bby (?:end of (?:the )?day|eod|noon|tonight|\d{1,2}(?::\d\d)?\s*(?:am|pm))\b",
        r"\bbefore (?:then|\d{1,2}(?::\d\d)?\s*(?:am|pm)|tonight)\b", r"\bwe open at\b",
        r"\b(?:standing|waiting) (?:here|on)\b", r"\bleave at \d",
        r"\bterminat(?:e|ed|ion)\b", r"\bno longer works here\b",
        r"\bno (?:internet|network|phones?|dial tone)\b",
        r"\b(?:presentation|meeting|appointment|showing|closing|flight|surgery|hearing|class|"
        r"service|event) (?:at|in|by) \d",
    ),
    "project": _rx(
        r"\bproject\b", r"\bsigned the (?:quote|proposal)\b", r"\bexpanding\b",
    ),
    "low": _rx(
        r"\bno rush\b", r"\bno hurry\b", r"\bwhenever\b", r"\bnot (?:an? )?urgent\b",
        r"\bnot an? emergency\b", r"\bno emergency\b", r"\blow priority\b",
        r"\bwhen (?:you|someone) (?:get|gets|have|has) (?:a )?(?:chance|minute|moment|time)\b",
        r"\bat your convenience\b", r"\bnice to have\b", r"\bnot a big deal\b",
        r"\b(?:any ?(?:day|time)|sometime|some time)\b[^.!?\n]{0,30}\b(?:is fine|works|is ok)\b",
        r"\bin the next (?:few|two|couple of) (?:days|weeks)\b",
    ),
}
_NEGATION = re.compile(r"\b(?:not|no|isn'?t|aren'?t|never|nothing|without|wasn'?t)\W+(?:\w+\W+)?$",
                       re.IGNORECASE)

_BOARD: dict[BoardKind, tuple[tuple[re.Pattern[str], int], ...]] = {
    "alerts": tuple((p, w) for w, ps in (
        (2, _rx(r"\brmm\b", r"\bmonitoring\b", r"\bautomated (?:message|alert)\b",
                r"\bgenerated automatically\b", r"\bdo not reply\b", r"\[alert\]",
                r"\bhas not checked in\b", r"\bthreshold\b", r"\bagent offline\b")),
        (1, _rx(r"\balert\b", r"\bbackup (?:job )?(?:failed|failure)\b", r"\bdisk space\b",
                r"\bon battery\b", r"(?m)^device:", r"\bcpu above\b", r"\bchanged state\b",
                r"\bquarantined\b")),
    ) for p in ps),
    "escalations": tuple((p, w) for w, ps in (
        (2, _rx(r"\bescalat(?:e|ed|ing|ion)\b")),
        (1, _rx(r"\btier ?[12] (?:already|has|tried)\b", r"\bneeds engineering\b")),
    ) for p in ps),
    "onsite": tuple((p, w) for w, ps in (
        (2, _rx(r"\bon-?site\b", r"\bon site\b", r"\bsite visit\b", r"\bcabling\b",
                r"\bnetwork drops?\b", r"\bcable runs?\b", r"\bsend (?:someone|a tech\w*) out\b",
                r"\bcome (?:out|by|over)\b", r"\bschedule (?:a|the) (?:tech\w*|visit)\b",
                r"\bmove (?:\d+ )?desks\b", r"\brelocat\w+\b")),
        (1, _rx(r"\binstall(?:ed|ation)?\b", r"\bmount\w*\b", r"\breplace(?:ment)?\b",
                r"\bafter hours\b", r"\bproject\b", r"\bnew (?:dell|pc|workstation|server|"
                r"firewall|switch|tv|printer)\b", r"\bquote\b", r"\bbeeping\b")),
    ) for p in ps),
}
_BOARD_NAMES: dict[str, tuple[str, ...]] = {
    "alerts": ("alert", "monitor", "noc", "rmm"),
    "escalations": ("escalat", "tier 2", "tier 3", "engineering"),
    "onsite": ("onsite", "on site", "on-site", "project", "field"),
    "helpdesk": ("help desk", "helpdesk", "service desk", "support", "service"),
}
_PRIORITY_NAMES: dict[str, tuple[str, ...]] = {
    "critical": ("emergency", "critical", "urgent", "priority 1", "p1", "sev 1"),
    "high": ("high", "quick", "priority 2", "p2"),
    "normal": ("normal", "medium", "standard", "priority 3", "p3"),
    "low": ("low", "scheduled", "maintenance", "priority 4", "p4"),
    "project": ("project", "priority 5", "p5"),
}
_URGENCY_RANK: dict[str, int] = {"critical": 0, "high": 1, "normal": 2, "low": 3,
                                     "project": 4}
# Everyday words for the type names MSP boards commonly use.
_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "hardware": ("printer", "monitor", "drive", "laptop", "keyboard", "mouse", "scanner",
                 "copier", "beeping", "dock", "projector", "ups", "toner"),
    "software": ("outlook", "teams", "onedrive", "quickbooks", "adobe", "windows", "office 365",
                 "microsoft office", "excel", "app", "update", "updates", "application"),
    "network": ("vpn", "wifi", "wi fi", "internet", "network", "firewall", "switch", "dns",
                "wan", "wireless", "shared drive"),
    "security": ("phishing", "virus", "malware", "ransomware", "ransom", "hacked",
                 "suspicious", "breach"),
    "service request": ("new hire", "new user", "terminate", "onboard", "offboard",
                        "password reset", "locked out", "install", "access to", "set up"),
    "alert": ("alert", "rmm", "monitoring"),
    "project": ("project", "quote", "cabling"),
    "maintenance": ("maintenance", "quarterly", "patch"),
}


def urgency(text: str) -> Hint:
    """How urgent ``text`` sounds; negated phrases ("not urgent") do not count as urgent."""
    found: dict[Urgency, list[str]] = {}
    for level, patterns in _URGENCY.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                window = re.split(r"[.!?\n]", text[max(0, match.start() - 24):match.start()])
                negated = _NEGATION.search(window[-1])
                if negated and level in ("critical", "high"):
                    continue
                found.setdefault(level, []).append(match.group().strip())
    for level in ("critical", "high", "project", "low"):
        if level in found:
            return Hint(level, tuple(dict.fromkeys(found[level])))
    return Hint("normal")


def board_kind(text: str) -> Hint:
    """Which kind of board the keywords point to; help desk when none stand out."""
    scores: dict[BoardKind, tuple[int, list[str]]] = {}
    for kind, patterns in _BOARD.items():
        total, evidence = 0, []
        for pattern, weight in patterns:
            match = pattern.search(text)
            if match:
                total += weight
                evidence.append(match.group().strip())
        if total >= 2:
            scores[kind] = (total, evidence)
    if not scores:
        return Hint("helpdesk")
    order: tuple[BoardKind, ...] = ("alerts", "escalations", "onsite")
    best = max(order, key=lambda k: (scores.get(k, (0, []))[0], -order.index(k)))
    return Hint(best, tuple(scores[best][1]))


def board_for(kind: str, catalog: IntakeCatalog) -> BoardEntry | None:
    """The active board whose name fits ``kind``; the default board for the help desk."""
    boards = catalog.active_boards()
    names = _BOARD_NAMES.get(kind, ())
    for board in boards:
        fits = any(n in board.name.casefold() for n in names)
        if fits and (kind != "helpdesk" or catalog.default_board_id is None):
            return board
    if kind == "helpdesk":
        default = catalog.board(catalog.default_board_id)
        if default is not None and not default.inactive:
            return default
        return boards[0] if boards else None
    return None


def priority_for(level: str, catalog: IntakeCatalog) -> PriorityEntry | None:
    """The priority named for ``level``; else by urgency rank; normal means the default."""
    ranked = catalog.priorities_by_urgency()
    if not ranked:
        return None
    for priority in ranked:
        name = priority.name.casefold()
        names = _PRIORITY_NAMES.get(level, ())
        if any(re.search(rf"\b{re.escape(n)}\b", name) for n in names):
            return priority
    if level == "normal":
        default = catalog.priority(catalog.default_priority_id)
        return default or next((p for p in ranked if p.is_default), ranked[len(ranked) // 2])
    rank = _URGENCY_RANK.get(level, 2)
    return ranked[min(rank, len(ranked) - 1)]


def urgency_of(priority: PriorityEntry, catalog: IntakeCatalog) -> str:
    """The urgency a catalog priority stands for (the inverse of ``priority_for``)."""
    for level in _URGENCY_RANK:
        if priority_for(level, catalog) == priority:
            return level
    ranked = catalog.priorities_by_urgency()
    position = ranked.index(priority) if priority in ranked else 2
    return list(_URGENCY_RANK)[min(position, 4)]


def urgency_distance(a: str, b: str) -> int:
    """How far apart two urgencies are (project counts as low)."""
    rank = {"critical": 0, "high": 1, "normal": 2, "low": 3, "project": 3}
    return abs(rank.get(a, 2) - rank.get(b, 2))


def type_for(text: str, board_id: int | None, catalog: IntakeCatalog) -> TypeEntry | None:
    """A type of the board whose name, or an everyday word for it, appears in ``text``."""
    words = f" {fold(text)} "
    best: tuple[int, TypeEntry] | None = None
    for entry in catalog.types_of(board_id):
        name = fold(entry.name)
        hits = words.count(f" {name} ") * 2
        hits += sum(words.count(f" {w} ") for w in _TYPE_WORDS.get(name, ()))
        if name == "security":
            hits *= 2  # a security word outweighs the network or hardware words around it
        if hits and (best is None or hits > best[0]):
            best = (hits, entry)
    return best[1] if best else None
