"""Offline Quick Create parser: per-field accuracy on the test corpus of MSP e-mails.

Run from the repository root: ``python bench/intake_offline_accuracy.py [-v]`` (``-v`` lists the
misses) and how many misses the parser flagged for the dispatcher to check. Also times
narrowing against a synthetic catalog of 3,000 companies.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from psa.intake.catalog import CompanyEntry, ContactEntry, IntakeCatalog
from psa.intake.match import narrow
from tests.psa.intake.corpus_eval import FIELDS, Score, evaluate, load_cases, load_catalog


def big_catalog(base: IntakeCatalog, companies: int = 3000) -> IntakeCatalog:
    """The corpus catalog plus synthetic companies (three contacts each)."""
    words = ("Acme", "Apex", "Beacon", "Cedar", "Delta", "Ember", "Falcon", "Granite", "Harbor",
             "Iron", "Juniper", "Keystone", "Lumen", "Maple", "Nova", "Orbit", "Pioneer",
             "Quartz", "Ridge", "Summit", "Trident", "Unity", "Vertex", "Willow", "Zenith")
    trades = ("Dental", "Logistics", "Legal", "Realty", "Plumbing", "Roofing", "Insurance",
              "Imaging", "Pediatrics", "Marine", "Brewing", "Studios", "Accounting",
              "Veterinary", "Fitness", "Bakery")
    extra_companies = list(base.companies)
    extra_contacts = list(base.contacts)
    for n in range(companies):
        company_id = 10_000 + n
        name = f"{words[n % len(words)]} {words[(n // 7) % len(words)]} {trades[n % len(trades)]}"
        domain = f"{name.replace(' ', '').lower()}{n}.com"
        extra_companies.append(CompanyEntry(id=company_id, identifier=f"C{n}", name=name,
                                            domains=(domain,)))
        for k in range(3):
            extra_contacts.append(ContactEntry(
                id=100_000 + n * 3 + k, company_id=company_id, first_name=f"Person{k}",
                last_name=f"Surname{n}", email=f"p{k}@{domain}"))
    return base.model_copy(update={"companies": tuple(extra_companies),
                                   "contacts": tuple(extra_contacts)})


def print_fields(score: Score) -> None:
    """Per field: hits, accuracy, and how many of the misses were flagged for the dispatcher."""
    for name in FIELDS:
        missed = score.missed(name)
        print(f"  {name:<9} {score.hits[name]:>3}/{score.total}  {score.accuracy(name):6.1%}"
              f"  misses flagged {score.flagged[name]}/{missed}")
    missed = sum(score.missed(n) for n in FIELDS)
    print(f"  all fields: {sum(score.flagged.values())} of {missed} misses flagged")


def main() -> None:
    catalog = load_catalog()
    started = time.perf_counter()
    score = evaluate(catalog)
    elapsed = time.perf_counter() - started
    print(f"Offline parser on {score.total} corpus messages "
          f"({len(catalog.companies)} companies, {len(catalog.contacts)} contacts):")
    print_fields(score)
    print(f"  time: {elapsed * 1000 / score.total:.1f} ms per message")
    if "-v" in sys.argv:
        print("misses:")
        for line in score.misses:
            print("  " + line)
    held = evaluate(catalog, "emails_holdout.json")
    print(f"Later set ({held.total} messages written after the parser was built):")
    print_fields(held)
    if "-v" in sys.argv:
        print("misses:")
        for line in held.misses:
            print("  " + line)
    large = big_catalog(catalog)
    started = time.perf_counter()
    large.index  # noqa: B018 - build the index once, as the app does per catalog
    built = time.perf_counter() - started
    texts = [c["text"] for c in load_cases()]
    started = time.perf_counter()
    for text in texts:
        narrow(text, large)
    per = (time.perf_counter() - started) / len(texts)
    print(f"Narrowing with {len(large.companies)} companies / {len(large.contacts)} contacts: "
          f"index {built * 1000:.0f} ms once, {per * 1000:.1f} ms per message")
    offline = evaluate(large)
    print("Accuracy with the large catalog: " + ", ".join(
        f"{name} {offline.accuracy(name):.1%}" for name in FIELDS))


if __name__ == "__main__":
    main()
