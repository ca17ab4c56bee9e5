"""The lookups intake matches against (IntakeCatalog) and the indexes that make matching fast."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict

from psa.intake.text import (
    GENERIC_WORDS,
    fold,
    fold_words,
    name_tokens,
    similarity,
    trigrams,
    word_set,
)

_FROZEN = ConfigDict(frozen=True, extra="ignore")

# Mail providers whose domain says nothing about the sender's company.
FREE_MAIL_DOMAINS = word_set(
    "gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com ymail.com "
    "icloud.com me.com mac.com aol.com comcast.net att.net verizon.net sbcglobal.net "
    "bellsouth.net cox.net charter.net spectrum.net protonmail.com proton.me gmx.com mail.com "
    "zoho.com yandex.com"
)


class CompanyEntry(BaseModel):
    """A customer: its ids, name and the mail/web domains that identify it."""

    model_config = _FROZEN
    id: int
    identifier: str = ""
    name: str
    domains: tuple[str, ...] = ()
    inactive: bool = False


class ContactEntry(BaseModel):
    """A person at a customer."""

    model_config = _FROZEN
    id: int
    company_id: int | None = None
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    inactive: bool = False

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


class BoardEntry(BaseModel):
    """A service board."""

    model_config = _FROZEN
    id: int
    name: str
    inactive: bool = False


class PriorityEntry(BaseModel):
    """A ticket priority; ``sort_order`` ranks urgency (lower is more urgent)."""

    model_config = _FROZEN
    id: int
    name: str
    sort_order: int | None = None
    is_default: bool = False
    level: str = ""


class TypeEntry(BaseModel):
    """A ticket type of one board."""

    model_config = _FROZEN
    id: int
    name: str
    board_id: int
    inactive: bool = False


class MemberEntry(BaseModel):
    """A member of the MSP (a possible assignee)."""

    model_config = _FROZEN
    id: int
    identifier: str
    name: str = ""
    email: str = ""
    inactive: bool = False


class IntakeCatalog(BaseModel):
    """Everything intake may pick from, as plain data; ids outside it are never accepted.

    ``own_domains`` are the MSP's own mail domains: an address there (the help desk in To:)
    never identifies a customer.
    """

    model_config = _FROZEN
    companies: tuple[CompanyEntry, ...] = ()
    contacts: tuple[ContactEntry, ...] = ()
    boards: tuple[BoardEntry, ...] = ()
    priorities: tuple[PriorityEntry, ...] = ()
    types: tuple[TypeEntry, ...] = ()
    members: tuple[MemberEntry, ...] = ()
    own_domains: tuple[str, ...] = ()
    default_board_id: int | None = None
    default_priority_id: int | None = None

    @cached_property
    def index(self) -> CatalogIndex:
        """Lookup tables, built once per catalog (a few ms for thousands of companies)."""
        return CatalogIndex.build(self)

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> IntakeCatalog:
        """A copy; its index is rebuilt on demand (the cached one may describe other data)."""
        copied = super().model_copy(update=update, deep=deep)
        copied.__dict__.pop("index", None)
        return copied

    def company(self, company_id: int | None) -> CompanyEntry | None:
        return self.index.companies.get(company_id) if company_id is not None else None

    def contact(self, contact_id: int | None) -> ContactEntry | None:
        return self.index.contacts.get(contact_id) if contact_id is not None else None

    def board(self, board_id: int | None) -> BoardEntry | None:
        return self.index.boards.get(board_id) if board_id is not None else None

    def priority(self, priority_id: int | None) -> PriorityEntry | None:
        return self.index.priorities.get(priority_id) if priority_id is not None else None

    def type(self, type_id: int | None) -> TypeEntry | None:
        return self.index.types.get(type_id) if type_id is not None else None

    def member(self, member_id: int | None) -> MemberEntry | None:
        return self.index.members.get(member_id) if member_id is not None else None

    def active_boards(self) -> tuple[BoardEntry, ...]:
        return tuple(b for b in self.boards if not b.inactive)

    def types_of(self, board_id: int | None) -> tuple[TypeEntry, ...]:
        return tuple(t for t in self.types if t.board_id == board_id and not t.inactive)

    def priorities_by_urgency(self) -> tuple[PriorityEntry, ...]:
        """Most urgent first: by sort order when known, else as listed."""
        ranked = sorted(
            enumerate(self.priorities),
            key=lambda item: (item[1].sort_order if item[1].sort_order is not None else item[0],
                              item[0]),
        )
        return tuple(p for _, p in ranked)


def _postings() -> defaultdict[str, set[int]]:
    return defaultdict(set)


@dataclass
class CatalogIndex:
    """Dictionaries over a catalog: ids, name words, domains, e-mails and word trigrams."""

    companies: dict[int | None, CompanyEntry] = field(default_factory=dict)
    contacts: dict[int | None, ContactEntry] = field(default_factory=dict)
    boards: dict[int | None, BoardEntry] = field(default_factory=dict)
    priorities: dict[int | None, PriorityEntry] = field(default_factory=dict)
    types: dict[int | None, TypeEntry] = field(default_factory=dict)
    members: dict[int | None, MemberEntry] = field(default_factory=dict)
    company_words: dict[int, tuple[str, ...]] = field(default_factory=dict)
    word_companies: defaultdict[str, set[int]] = field(default_factory=_postings)
    word_weight: dict[str, float] = field(default_factory=dict)
    alias_companies: defaultdict[str, set[int]] = field(default_factory=_postings)
    domain_companies: defaultdict[str, set[int]] = field(default_factory=_postings)
    email_contact: dict[str, int] = field(default_factory=dict)
    contacts_of: defaultdict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    first_contacts: defaultdict[str, set[int]] = field(default_factory=_postings)
    last_contacts: defaultdict[str, set[int]] = field(default_factory=_postings)
    trigram_words: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    own_domains: frozenset[str] = frozenset()

    @classmethod
    def build(cls, catalog: IntakeCatalog) -> CatalogIndex:
        index = cls(own_domains=frozenset(d.casefold() for d in catalog.own_domains))
        index.boards = {b.id: b for b in catalog.boards}
        index.priorities = {p.id: p for p in catalog.priorities}
        index.types = {t.id: t for t in catalog.types}
        index.members = {m.id: m for m in catalog.members}
        index._add_companies(catalog.companies)
        index._add_contacts(catalog.contacts)
        index._add_trigrams()
        return index

    def _add_companies(self, companies: Iterable[CompanyEntry]) -> None:
        for company in companies:
            self.companies[company.id] = company
            if company.inactive:
                continue
            words = name_tokens(company.name)
            self.company_words[company.id] = words
            for word in set(words):
                self.word_companies[word].add(company.id)
            if company.identifier:
                self.alias_companies[fold(company.identifier).replace(" ", "")].add(company.id)
            if len(words) > 1:
                self.alias_companies["".join(words)].add(company.id)
            for raw in company.domains:
                domain = raw.casefold().removeprefix("www.").lstrip("@")
                if domain and domain not in FREE_MAIL_DOMAINS:
                    self.domain_companies[domain].add(company.id)
                    stem = fold_words(domain.rsplit(".", 1)[0])
                    if stem and len("".join(stem)) >= 5:
                        self.alias_companies["".join(stem)].add(company.id)
        total = max(1, len(self.company_words))
        for word, ids in self.word_companies.items():
            weight = math.log(1.0 + total / len(ids)) + 0.5
            self.word_weight[word] = weight * (0.25 if word in GENERIC_WORDS else 1.0)

    def _add_contacts(self, contacts: Iterable[ContactEntry]) -> None:
        for contact in contacts:
            self.contacts[contact.id] = contact
            if contact.inactive:
                continue
            if contact.email:
                self.email_contact[contact.email.casefold()] = contact.id
            if contact.company_id is not None:
                self.contacts_of[contact.company_id].append(contact.id)
            first, last = fold(contact.first_name), fold(contact.last_name)
            if first:
                self.first_contacts[first].add(contact.id)
            if last:
                self.last_contacts[last].add(contact.id)

    def _add_trigrams(self) -> None:
        # Fuzzy lookups (typos such as "Fabricam") only compare words that share trigrams.
        for word in (*self.word_companies, *self.last_contacts):
            if len(word) >= 4 and " " not in word:
                for gram in trigrams(word):
                    self.trigram_words[gram].add(word)

    def companies_for_domain(self, domain: str) -> set[int]:
        """Companies owning ``domain`` or a parent of it (``mail.contoso.com``)."""
        domain = domain.casefold().removeprefix("www.")
        if domain in self.own_domains or domain in FREE_MAIL_DOMAINS:
            return set()
        parts = domain.split(".")
        for start in range(len(parts) - 1):
            candidate = ".".join(parts[start:])
            if candidate in self.own_domains:
                return set()
            found = self.domain_companies.get(candidate)
            if found:
                return set(found)
        return set()

    def similar_words(self, word: str, *, minimum: float) -> list[tuple[str, float]]:
        """Indexed words close to ``word`` (edit similarity ≥ ``minimum``), best first."""
        grams = trigrams(word)
        counts: dict[str, int] = {}
        for gram in grams:
            for candidate in self.trigram_words.get(gram, ()):
                counts[candidate] = counts.get(candidate, 0) + 1
        needed = max(2, int(len(grams) * 0.45))
        found = []
        for candidate, shared in counts.items():
            if shared < needed or abs(len(candidate) - len(word)) > 2:
                continue
            score = similarity(word, candidate)
            if score >= minimum:
                found.append((candidate, score))
        found.sort(key=lambda item: -item[1])
        return found
