"""Local candidate matching: which companies, contacts and members a message points at.

Scores are in [0, 1] and say how strongly the text supports a record, never how likely a model
thinks it is: an e-mail address of a known contact is 1.0, the sender's domain 0.95, the
company's full name 0.9, a distinctive word of it written as a name 0.6, a common word alone
stays weak. ``STRONG``/``MEDIUM`` are the bars the offline parser and the validator share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict

from psa.intake.catalog import CatalogIndex, ContactEntry, IntakeCatalog
from psa.intake.text import GENERIC_WORDS, STOPWORDS, Token, fold, fold_words, tokenize

STRONG = 0.85
MEDIUM = 0.55
WEAK = 0.3
Strength = Literal["strong", "medium", "weak"]

_EMAIL = re.compile(r"\b([A-Za-z0-9._%+\-]+)@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})\b")
_HOST = re.compile(r"(?i)\b(?:https?://|www\.)([a-z0-9.\-]+\.[a-z]{2,})\b")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_FROM_LINE = re.compile(r"(?im)^\s*\**from\**\s*:.*$")
_NAME_PREFIXES = frozenset({"at", "from", "with", "for", "over", "called", "client", "customer"})
_NAME_FOLLOWERS = frozenset({"from", "at", "with", "here", "says", "said", "called", "reports"})
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "pastor", "captain", "doctor"})
_FUZZY_MIN = 0.84


def strength(score: float) -> Strength | None:
    if score >= STRONG:
        return "strong"
    if score >= MEDIUM:
        return "medium"
    if score >= WEAK:
        return "weak"
    return None


class Match(BaseModel):
    """A catalog record the text supports, how strongly, and why (shown to the dispatcher)."""

    model_config = ConfigDict(frozen=True)
    id: int
    score: float
    reason: str

    @property
    def strength(self) -> Strength | None:
        return strength(self.score)


class Candidates(BaseModel):
    """The narrowed lists: what the prompt offers and what validation accepts."""

    model_config = ConfigDict(frozen=True)
    companies: tuple[Match, ...] = ()
    contacts: tuple[Match, ...] = ()
    members: tuple[Match, ...] = ()

    def company(self, company_id: int | None) -> Match | None:
        return next((m for m in self.companies if m.id == company_id), None)

    def contact(self, contact_id: int | None) -> Match | None:
        return next((m for m in self.contacts if m.id == contact_id), None)

    def member(self, member_id: int | None) -> Match | None:
        return next((m for m in self.members if m.id == member_id), None)

    def best_company(self) -> Match | None:
        """The leading company if it is at least medium and clearly ahead of the next one."""
        return _clear_leader(self.companies)

    def best_contact(self, company_id: int | None, catalog: IntakeCatalog) -> Match | None:
        """The leading contact of ``company_id`` (any company when None)."""
        pool = [m for m in self.contacts if company_id is None
                or ((c := catalog.contact(m.id)) is not None and c.company_id == company_id)]
        return _clear_leader(pool)


def _clear_leader(matches: Iterable[Match]) -> Match | None:
    ranked = sorted(matches, key=lambda m: -m.score)
    if not ranked or ranked[0].score < MEDIUM:
        return None
    if len(ranked) > 1 and ranked[1].score > ranked[0].score - 0.05:
        return None
    return ranked[0]


@dataclass
class _Scores:
    """Best score and reason per id, plus how many independent signals agreed."""

    best: dict[int, tuple[float, str]] = field(default_factory=dict)
    signals: dict[int, set[str]] = field(default_factory=dict)

    def add(self, key: int, score: float, reason: str, signal: str) -> None:
        current = self.best.get(key)
        if current is None or score > current[0]:
            self.best[key] = (score, reason)
        self.signals.setdefault(key, set()).add(signal)

    def get(self, key: int) -> float:
        return self.best.get(key, (0.0, ""))[0]

    def matches(self, limit: int) -> tuple[Match, ...]:
        scored = []
        for key, (raw, reason) in self.best.items():
            # Corroboration: two kinds of evidence agreeing count a little more than one.
            score = min(1.0, raw + 0.05) if len(self.signals.get(key, ())) > 1 else raw
            if score >= WEAK:
                scored.append(Match(id=key, score=round(score, 3), reason=reason))
        scored.sort(key=lambda m: (-m.score, m.id))
        return tuple(scored[:limit])


def narrow(
    text: str, catalog: IntakeCatalog, *, sender: str = "", max_companies: int = 8,
    max_contacts: int = 12, max_members: int = 5,
) -> Candidates:
    """Companies, contacts and members ``text`` supports, strongest first.

    ``sender`` is the part of the text that speaks for the sender (From: lines, signature): a
    contact named there is preferred over people the message merely mentions.
    """
    index = catalog.index
    emails = [(local.casefold(), domain.casefold()) for local, domain in _EMAIL.findall(text)]
    # Addresses are matched as addresses above; as words they would match domain stems.
    tokens = tokenize(_URL.sub(" ", _EMAIL.sub(" ", text)))
    companies, contacts = _Scores(), _Scores()
    _match_emails(index, emails, companies, contacts)
    for host in _HOST.findall(text):
        for company_id in index.companies_for_domain(host):
            companies.add(company_id, 0.9, f"web address {host}", "domain")
    _match_aliases(index, tokens, companies)
    _match_company_names(index, tokens, companies)
    _match_contact_names(index, tokens, companies, contacts)
    _match_first_names(index, tokens, companies, contacts)
    _prefer_sender(index, sender or "\n".join(_FROM_LINE.findall(text)), contacts)
    _demote_other_companies(index, companies, contacts)
    return Candidates(
        companies=companies.matches(max_companies),
        contacts=contacts.matches(max_contacts),
        members=_match_members(catalog, tokens, emails).matches(max_members),
    )


def _match_emails(
    index: CatalogIndex, emails: list[tuple[str, str]], companies: _Scores, contacts: _Scores
) -> None:
    for local, domain in emails:
        address = f"{local}@{domain}"
        contact_id = index.email_contact.get(address)
        if contact_id is not None and domain not in index.own_domains:
            contact = index.contacts[contact_id]
            contacts.add(contact_id, 1.0, f"e-mail address {address}", "email")
            if contact.company_id is not None:
                companies.add(contact.company_id, 1.0, f"contact's address {address}", "email")
            continue
        owners = index.companies_for_domain(domain)
        for company_id in owners:
            companies.add(company_id, 0.95, f"e-mail domain {domain}", "domain")
        if domain not in index.own_domains:
            _match_local_part(index, local, owners, contacts)


def _match_local_part(
    index: CatalogIndex, local: str, owners: set[int], contacts: _Scores
) -> None:
    """``mary.smith1968@gmail.com`` still names Mary Smith."""
    parts = [p for p in re.split(r"[._\-+]", re.sub(r"\d+", "", local)) if p]
    if len(parts) < 2:
        return
    ids = index.first_contacts.get(parts[0], set()) & index.last_contacts.get(parts[-1], set())
    for contact_id in ids:
        contact = index.contacts[contact_id]
        score = 0.85 if contact.company_id in owners or len(ids) == 1 else 0.6
        contacts.add(contact_id, score, f"sender's address names {contact.name}", "address")


def _match_aliases(index: CatalogIndex, tokens: list[Token], companies: _Scores) -> None:
    """Identifiers and domain stems written as one word: "ContosoDental", "contosodental"."""
    words = [t.word for t in tokens]
    for i in range(len(words)):
        for width in (1, 2, 3):
            if i + width > len(words):
                break
            joined = "".join(words[i:i + width])
            if len(joined) < 6:
                continue
            for company_id in index.alias_companies.get(joined, ()):
                name = index.companies[company_id].name
                companies.add(company_id, 0.85, f"{name} named in the text", "name")


def _word_hits(index: CatalogIndex, word: str, cache: dict[str, list[tuple[str, float]]]
               ) -> list[tuple[str, float]]:
    if word in cache:
        return cache[word]
    hits: list[tuple[str, float]] = []
    if word in index.word_companies:
        hits = [(word, 1.0)]
    elif len(word) >= 5 and word not in STOPWORDS:
        hits = index.similar_words(word, minimum=_FUZZY_MIN)[:3]
    cache[word] = hits
    return hits


def _match_company_names(index: CatalogIndex, tokens: list[Token], companies: _Scores) -> None:
    significant = [t for t in tokens if t.word not in STOPWORDS]
    cache: dict[str, list[tuple[str, float]]] = {}
    seeds: dict[int, None] = {}
    for token in significant:
        for word, _ in _word_hits(index, token.word, cache):
            if word in GENERIC_WORDS:
                continue
            for company_id in index.word_companies.get(word, ()):
                seeds[company_id] = None
    for company_id in seeds:
        score, reason = _name_score(index, company_id, tokens, significant, cache)
        if score >= WEAK:
            companies.add(company_id, score, reason, "name")


def _proper(token: Token, previous: Token | None) -> bool:
    """Written like a name: capitalised mid-sentence, or after "at"/"from"/"with"."""
    return (token.capital and not token.initial) or (
        previous is not None and previous.word in _NAME_PREFIXES
    )


def _name_score(
    index: CatalogIndex, company_id: int, tokens: list[Token], significant: list[Token],
    cache: dict[str, list[tuple[str, float]]],
) -> tuple[float, str]:
    words = index.company_words[company_id]
    name = index.companies[company_id].name
    weights = {w: index.word_weight.get(w, 1.0) for w in words}
    total = sum(weights[w] for w in set(words)) or 1.0
    seen: dict[str, float] = {}
    best_run, full_sim, proper = 0.0, 0.0, False
    for position, token in enumerate(significant):
        previous = tokens[token.index - 1] if token.index else None
        for offset, word in enumerate(words):
            sim = _token_fits(index, token.word, word, cache)
            if not sim:
                continue
            seen[word] = max(seen.get(word, 0.0), sim)
            if word not in GENERIC_WORDS and index.word_companies.get(word) == {company_id}:
                proper = proper or _proper(token, previous)
            sims = _run(index, words, offset=offset, tokens=significant, position=position,
                        cache=cache)
            covered = sum(weights[w] * s for w, s in zip(words[offset:], sims, strict=False))
            best_run = max(best_run, covered)
            if offset == 0 and len(sims) == len(words):
                full_sim = max(full_sim, sum(sims) / len(sims))
    if full_sim:
        if len(words) > 1 or proper:
            return 0.9 * full_sim, f"{name} named in the text"
        return 0.6 * full_sim, f"the word “{words[0]}” of {name}"
    bag = sum(weights[w] * s for w, s in seen.items()) / total
    run_cover = best_run / total
    score = 0.7 if len(seen) == len(set(words)) else 0.8 * max(run_cover, 0.9 * bag)
    if proper:
        score = max(score, 0.6)
    elif _single_word_run(words, seen):
        score *= 0.45  # one ordinary word ("phone") written in lower case is no evidence
    return score, f"part of the name {name}"


def _single_word_run(words: tuple[str, ...], seen: dict[str, float]) -> bool:
    return sum(1 for w in seen if w not in GENERIC_WORDS) <= 1


def _token_fits(index: CatalogIndex, token: str, word: str,
                cache: dict[str, list[tuple[str, float]]]) -> float:
    for hit, sim in _word_hits(index, token, cache):
        if hit == word:
            return sim
    return 0.0


def _run(
    index: CatalogIndex, words: tuple[str, ...], *, offset: int, tokens: list[Token],
    position: int, cache: dict[str, list[tuple[str, float]]],
) -> list[float]:
    """Similarities of the name's words found in a row from ``offset``; abbreviations count a
    little ("Mangrove Vet" for "Mangrove Veterinary")."""
    sims: list[float] = []
    for step, word in enumerate(words[offset:]):
        if position + step >= len(tokens):
            break
        token = tokens[position + step].word
        sim = _token_fits(index, token, word, cache)
        if not sim and step and len(token) >= 3 and word.startswith(token):
            sim = 0.75
        if not sim:
            break
        sims.append(sim)
    return sims


def _match_contact_names(
    index: CatalogIndex, tokens: list[Token], companies: _Scores, contacts: _Scores
) -> None:
    """"First Last" pairs, with a little tolerance for typos in the surname."""
    for first, last in pairwise(tokens):
        firsts = index.first_contacts.get(first.word)
        if not firsts:
            continue
        for surname, sim in _surnames(index, last.word):
            ids = firsts & index.last_contacts[surname]
            for contact_id in ids:
                contact = index.contacts[contact_id]
                unique = len(ids) == 1
                score = (0.85 if unique else 0.7) * sim
                contacts.add(contact_id, score, f"{contact.name} named in the text", "name")
                if unique and contact.company_id is not None and sim >= 0.9:
                    company = index.companies[contact.company_id].name
                    companies.add(contact.company_id, 0.7, f"{contact.name} works at {company}",
                                  "contact")


def _surnames(index: CatalogIndex, word: str) -> list[tuple[str, float]]:
    if word in index.last_contacts:
        return [(word, 1.0)]
    if len(word) < 5:
        return []
    return [(w, s) for w, s in index.similar_words(word, minimum=0.86) if w in index.last_contacts]


def _match_first_names(
    index: CatalogIndex, tokens: list[Token], companies: _Scores, contacts: _Scores
) -> None:
    """A first name, a nickname or "Dr. Surname" alone, among the contacts of likely companies."""
    likely = [cid for cid, (score, _) in companies.best.items() if score >= MEDIUM]
    for company_id in likely:
        people = [index.contacts[c] for c in index.contacts_of.get(company_id, ())]
        company = index.companies[company_id].name
        for position, token in enumerate(tokens):
            previous = tokens[position - 1].word if position else ""
            following = tokens[position + 1].word if position + 1 < len(tokens) else ""
            named = (token.capital or previous in _NAME_PREFIXES
                     or following in _NAME_FOLLOWERS)
            for contact in people:
                found = _first_name_fit(contact, token.word, previous, named, people)
                if found is not None:
                    score, why = found
                    contacts.add(contact.id, score, f"{why} at {company}", "first")


def _first_name_fit(
    contact: ContactEntry, word: str, previous: str, named: bool, people: list[ContactEntry]
) -> tuple[float, str] | None:
    first, last = fold(contact.first_name), fold(contact.last_name)
    if previous in _TITLES and word == last:
        return 0.75, f"{previous.title()}. {contact.last_name}"
    if word == first and named:
        shared = sum(1 for p in people if fold(p.first_name) == first)
        return (0.65 if shared == 1 else 0.4), f"first name {contact.first_name}"
    if (named and len(word) >= 3 and first != word and first.startswith(word)
            and len(first) - len(word) <= 4):
        return 0.5, f"“{word.title()}” for {contact.first_name}"
    return None


def _prefer_sender(index: CatalogIndex, sender: str, contacts: _Scores) -> None:
    """Whoever signs the message (or sent it) is the contact, not the people it mentions."""
    words = set(fold_words(sender))
    if not words:
        return
    for contact_id, (score, reason) in list(contacts.best.items()):
        contact = index.contacts[contact_id]
        first, last = fold(contact.first_name), fold(contact.last_name)
        if first in words and (last in words or score >= MEDIUM):
            contacts.best[contact_id] = (min(1.0, score + 0.1), reason)


def _demote_other_companies(index: CatalogIndex, companies: _Scores, contacts: _Scores) -> None:
    """A contact at a company the text does not support is a namesake, not the sender."""
    top = max((s for s, _ in companies.best.values()), default=0.0)
    if top < STRONG:
        return
    for contact_id, (score, reason) in list(contacts.best.items()):
        company_id = index.contacts[contact_id].company_id
        if company_id is None or companies.get(company_id) < MEDIUM:
            contacts.best[contact_id] = (score * 0.6, reason)


def _match_members(
    catalog: IntakeCatalog, tokens: list[Token], emails: list[tuple[str, str]]
) -> _Scores:
    members = _Scores()
    words = [t.word for t in tokens]
    pairs = {f"{a} {b}" for a, b in pairwise(words)}
    addresses = {f"{local}@{domain}" for local, domain in emails}
    for member in catalog.members:
        if member.inactive:
            continue
        full = fold(member.name)
        if member.email and member.email.casefold() in addresses:
            members.add(member.id, 0.95, f"{member.name}'s address", "email")
        if full and full in pairs:
            members.add(member.id, 0.9, f"{member.name} named in the text", "name")
        if member.identifier and fold(member.identifier).replace(" ", "") in words:
            members.add(member.id, 0.85, f"identifier {member.identifier}", "identifier")
    return members
