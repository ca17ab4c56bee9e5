"""Local candidate matching: what counts as strong evidence, and narrowing among thousands."""

from __future__ import annotations

from psa.intake.catalog import CompanyEntry, ContactEntry, IntakeCatalog
from psa.intake.match import MEDIUM, STRONG, narrow
from psa.intake.text import clip, fold, tokenize


def company_id(catalog: IntakeCatalog, identifier: str) -> int:
    return next(c.id for c in catalog.companies if c.identifier == identifier)


def contact_id(catalog: IntakeCatalog, email: str) -> int:
    return next(c.id for c in catalog.contacts if c.email == email)


def synthetic(base: IntakeCatalog, count: int = 3000) -> IntakeCatalog:
    """``base`` plus ``count`` companies whose names reuse common words ("Dental", "Summit")."""
    words = ("Summit", "Harbor", "Keystone", "Coastal", "Bay", "Gulf", "Pioneer", "Cedar")
    trades = ("Dental", "Logistics", "Legal", "Realty", "Plumbing", "Marine", "Travel")
    companies = list(base.companies)
    contacts = list(base.contacts)
    for n in range(count):
        name = f"{words[n % len(words)]} {words[n // 8 % len(words)]} {trades[n % len(trades)]}"
        domain = f"synthetic{n}.example"
        companies.append(CompanyEntry(id=50_000 + n, identifier=f"S{n}", name=name,
                                      domains=(domain,)))
        contacts.append(ContactEntry(id=500_000 + n, company_id=50_000 + n, first_name="Pat",
                                     last_name=f"Lee{n}", email=f"pat@{domain}"))
    return base.model_copy(update={"companies": tuple(companies), "contacts": tuple(contacts)})


def test_known_contact_address_is_the_strongest_evidence(catalog: IntakeCatalog) -> None:
    found = narrow("From: Priya <priya.raman@contosodental.com>\nprinter down", catalog)
    assert found.companies[0].id == company_id(catalog, "ContosoDental")
    assert found.companies[0].score >= STRONG
    assert found.contacts[0].id == contact_id(catalog, "priya.raman@contosodental.com")
    assert found.contacts[0].score == 1.0


def test_sender_domain_identifies_the_company_but_not_a_person(catalog: IntakeCatalog) -> None:
    found = narrow("From: newperson@fabrikamlogistics.com\nlabel printer broken", catalog)
    assert found.best_company() is not None
    assert found.best_company().id == company_id(catalog, "FabrikamLogistics")  # type: ignore[union-attr]
    assert found.contacts == ()


def test_msp_and_free_mail_domains_identify_nobody(catalog: IntakeCatalog) -> None:
    text = "To: help@harborviewit.com\nFrom: someone1980@gmail.com\nmy laptop is slow"
    assert narrow(text, catalog).companies == ()


def test_full_company_name_with_typo_matches(catalog: IntakeCatalog) -> None:
    found = narrow("Laura from Northwind Trader called about a monitor", catalog)
    best = found.best_company()
    assert best is not None and best.id == company_id(catalog, "NorthwindTraders")
    assert best.score >= MEDIUM


def test_ordinary_word_in_lower_case_is_weak_evidence(catalog: IntakeCatalog) -> None:
    # "The Phone Company" is a customer, but "my phone" is not a mention of it.
    found = narrow("my phone will not sync my email since yesterday", catalog)
    assert found.best_company() is None


def test_distinctive_word_written_as_a_name_is_medium(catalog: IntakeCatalog) -> None:
    found = narrow("hey its jen from litware, the printer is out of toner", catalog)
    best = found.best_company()
    assert best is not None and best.id == company_id(catalog, "LitwareAccounting")
    assert MEDIUM <= best.score < STRONG


def test_namesakes_at_other_companies_are_demoted(catalog: IntakeCatalog) -> None:
    # Mike Johnson works at two customers; the sender's domain decides which one.
    text = "From: mike.johnson@palmettofm.com\nHi, Mike Johnson here, the fax is down"
    found = narrow(text, catalog)
    palmetto = company_id(catalog, "PalmettoFamilyMed")
    best = found.best_contact(palmetto, catalog)
    assert best is not None and best.id == contact_id(catalog, "mike.johnson@palmettofm.com")
    other = contact_id(catalog, "mike.johnson@humongousinsurance.com")
    assert all(m.score < MEDIUM for m in found.contacts if m.id == other)


def test_signer_is_preferred_over_people_mentioned(catalog: IntakeCatalog) -> None:
    text = "Kyle Jennings no longer works here.\n\nThanks,\nDebra Fulton\nSawgrass Title & Escrow"
    sender = "Debra Fulton\nSawgrass Title & Escrow"
    found = narrow(text, catalog, sender=sender)
    best = found.best_contact(company_id(catalog, "SawgrassTitle"), catalog)
    assert best is not None and best.id == contact_id(catalog, "debra.fulton@sawgrasstitle.com")


def test_personal_address_still_names_the_contact(catalog: IntakeCatalog) -> None:
    found = narrow("From: sean.omalley1968@gmail.com\nThis is Sean from O'Malley & Sons "
                   "Plumbing, email stopped working", catalog)
    assert found.contacts[0].id == contact_id(catalog, "sean.omalley@omalleyplumbing.com")


def test_members_are_matched_by_full_name_or_identifier(catalog: IntakeCatalog) -> None:
    found = narrow("Please have Miguel Garcia go out, or twilliams if he is busy", catalog)
    names = {catalog.member(m.id).name for m in found.members}  # type: ignore[union-attr]
    assert names == {"Miguel Garcia", "Tara Williams"}


def test_narrowing_three_thousand_companies_keeps_the_list_short(catalog: IntakeCatalog) -> None:
    big = synthetic(catalog)
    assert len(big.companies) > 3000
    found = narrow("From: Karen Mitchell <karen.mitchell@gulfcoastortho.com>\nSubject: fax\n"
                   "Gulf Coast Orthopedics fax line is down, dental and realty offices too",
                   big, max_companies=8)
    assert 0 < len(found.companies) <= 8
    assert found.companies[0].id == company_id(catalog, "GulfCoastOrtho")


def test_a_copied_catalog_gets_its_own_index(catalog: IntakeCatalog) -> None:
    small = IntakeCatalog(companies=(CompanyEntry(id=1, name="Alpha Widgets"),))
    assert narrow("Alpha Widgets printer", small).companies[0].id == 1
    moved = small.model_copy(update={"companies": (CompanyEntry(id=2, name="Alpha Widgets"),)})
    assert narrow("Alpha Widgets printer", moved).companies[0].id == 2


def test_text_helpers() -> None:
    assert fold("O'Malley & Sons, LLC") == "omalley and sons llc"
    tokens = tokenize("Call from Mary. Contoso is down")
    assert [t.word for t in tokens] == ["call", "from", "mary", "contoso", "is", "down"]
    assert tokens[3].initial and tokens[2].capital and not tokens[2].initial
    assert clip("word " * 40, 20) == "word word word word…"
    assert len(clip("x" * 300, 100)) == 100
