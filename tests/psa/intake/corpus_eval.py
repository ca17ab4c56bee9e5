"""The offline-parser corpus: loading it and scoring the parser field by field."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psa.intake.catalog import IntakeCatalog
from psa.intake.draft import TicketDraft
from psa.intake.offline import parse_offline

CORPUS_DIR = Path(__file__).parent / "corpus"
FIELDS = ("company", "contact", "board", "priority", "summary")


def load_catalog() -> IntakeCatalog:
    return IntakeCatalog.model_validate_json((CORPUS_DIR / "catalog.json").read_text("utf-8"))


def load_cases(name: str = "emails.json") -> list[dict[str, Any]]:
    """A corpus file: ``emails.json`` (the parser was developed against it) or
    ``emails_holdout.json`` (written after the parser was built; see the bench)."""
    cases: list[dict[str, Any]] = json.loads((CORPUS_DIR / name).read_text("utf-8"))
    return cases


@dataclass
class Score:
    """Per-field hits over the corpus and the misses, for printing."""

    total: int = 0
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)
    # Misses the parser flagged for the dispatcher to check (the honest kind of miss).
    flagged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    def missed(self, name: str) -> int:
        return self.total - self.hits[name]

    def accuracy(self, name: str) -> float:
        return self.hits[name] / self.total if self.total else 0.0


def _company_id(catalog: IntakeCatalog, identifier: str | None) -> int | None:
    if identifier is None:
        return None
    return next(c.id for c in catalog.companies if c.identifier == identifier)


def _contact_ids(catalog: IntakeCatalog, emails: list[str]) -> set[int | None]:
    wanted = {e.casefold() for e in emails}
    return {c.id for c in catalog.contacts if c.email.casefold() in wanted}


def check(case: dict[str, Any], draft: TicketDraft, catalog: IntakeCatalog) -> dict[str, bool]:
    """Which fields of ``draft`` are right for ``case``."""
    expected = case["expected"]
    contact_emails = [expected["contact"], *expected.get("contact_also", [])]
    contact_ok = (
        draft.contact_id is None if expected["contact"] is None
        else draft.contact_id in _contact_ids(catalog, [e for e in contact_emails if e])
    )
    board = catalog.board(draft.board_id)
    priority = catalog.priority(draft.priority_id)
    summary = draft.summary.casefold()
    return {
        "company": draft.company_id == _company_id(catalog, expected["company"]),
        "contact": contact_ok,
        "board": board is not None and board.name == expected["board"],
        "priority": priority is not None and priority.name == expected["priority"],
        "summary": bool(summary) and all(k.casefold() in summary
                                         for k in expected["summary_keywords"]),
    }


def evaluate(catalog: IntakeCatalog | None = None, name: str = "emails.json") -> Score:
    catalog = catalog or load_catalog()
    score = Score()
    for case in load_cases(name):
        draft = parse_offline(case["text"], catalog)
        score.total += 1
        for field_name, ok in check(case, draft, catalog).items():
            score.hits[field_name] += ok
            if not ok:
                flagged = field_name in draft.flags
                score.flagged[field_name] += flagged
                shown = _shown(field_name, draft, catalog) + (" (flagged)" if flagged else "")
                score.misses.append(f"{case['id']}: {field_name} -> {shown}")
    return score


def _shown(name: str, draft: TicketDraft, catalog: IntakeCatalog) -> str:
    if name == "company":
        company = catalog.company(draft.company_id)
        return company.name if company else "(none)"
    if name == "contact":
        contact = catalog.contact(draft.contact_id)
        return contact.name if contact else "(none)"
    if name == "board":
        board = catalog.board(draft.board_id)
        return board.name if board else "(none)"
    if name == "priority":
        priority = catalog.priority(draft.priority_id)
        return priority.name if priority else "(none)"
    return repr(draft.summary)
