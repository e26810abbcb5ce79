"""Letters: seed 003's structure in both renderings, and nothing of anyone else's employees."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nacha_cs.findings import RULES
from nacha_cs.sdu.compliance import OrderFacts, PaymentFacts, StaffAction, evaluate
from nacha_cs.sdu.mandate import EmployerFacts, EmployerHistory, decide_all
from nacha_cs.sdu.notices import (
    Letter,
    Party,
    compliance_letter,
    defective_file_letter,
    ecl1_letter,
    ecl2_letter,
    mandate_letter,
    to_html,
    to_markdown,
)
from nacha_cs.sdu.notices.build import NothingToSay
from nacha_cs.validate import validate_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
D = dt.date
TODAY = D(2026, 6, 1)
ACME, BOLT, CRUX = "931111111", "932222222", "933333333"
NAMES = {ACME: "ACME TIMBER", BOLT: "BOLT FOODS", CRUX: "CRUX LABS"}

ORDERS = [
    OrderFacts("OR100", ACME, "ANNA ALDER", "4821", 20000, "biweekly", iwo_sent=D(2026, 1, 2),
               order_date=D(2026, 1, 2)),
    OrderFacts("OR101", ACME, "ARLO ASH", "2222", 15000, "biweekly", iwo_sent=D(2026, 4, 1)),
    OrderFacts("OR200", BOLT, "BELLA BIRCH", "5702", 30000, "monthly", iwo_sent=D(2026, 1, 2)),
    OrderFacts("OR300", CRUX, "CARL CEDAR", "6815", 10000, "weekly", iwo_sent=D(2026, 2, 2)),
]
PAYMENTS = [
    PaymentFacts("OR100", ACME, D(2026, 3, 6), D(2026, 3, 10), 20000),
    PaymentFacts("OR200", BOLT, D(2026, 3, 31), D(2026, 4, 2), 30000),
    PaymentFacts("OR300", CRUX, D(2026, 5, 22), D(2026, 5, 26), 9000),
]
ACTIONS = [StaffAction("OR200", "ecl1", D(2026, 4, 20))]
ROWS = evaluate(ORDERS, PAYMENTS, ACTIONS, TODAY)
OTHERS_DATA = {
    BOLT: ["BELLA BIRCH", "5702", "OR200", "BOLT FOODS", "93-2222222"],
    CRUX: ["CARL CEDAR", "6815", "OR300", "CRUX LABS", "93-3333333"],
}


class _Sections(HTMLParser):
    """The classes of the sections of an HTML letter, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.sections.append(dict(attrs).get("class") or "")


def assert_seed_003_structure(letter: Letter) -> None:
    """Acknowledgment naming and thanking the addressee; each concern with a response; a
    closing thank you with a summary; the same in Markdown and HTML."""
    opening = " ".join(letter.acknowledgment)
    assert letter.addressee.name in letter.acknowledgment[0]
    assert "Thank you" in letter.acknowledgment[1]
    assert letter.concerns
    for concern in letter.concerns:
        assert concern.statement and concern.response
    assert letter.thanks[0].startswith("Thank you")
    assert letter.thanks[1].startswith("In summary:")
    markdown = to_markdown(letter)
    paragraphs = markdown.split("\n\n")
    first = next(i for i, p in enumerate(paragraphs) if p.startswith("Dear "))
    assert paragraphs[first + 1] == opening.replace("_", "\\_")
    assert markdown.count("**Our response:**") == len(letter.concerns)
    assert markdown.index("In summary:") > markdown.rindex("**Our response:**")
    parser = _Sections()
    parser.feed(to_html(letter))
    assert parser.sections == (["acknowledgment"] + ["concern"] * len(letter.concerns)
                               + ["thanks"])


def rendered(letter: Letter) -> str:
    return to_markdown(letter) + to_html(letter)


def assert_only(letter: Letter, allowed: set[str]) -> None:
    text = rendered(letter)
    for ein, data in OTHERS_DATA.items():
        if ein in allowed:
            continue
        for value in data:
            assert value not in text, f"{value} of {ein} leaked into {letter.kind}"
    assert not re.search(r"\b\d{3}-?\d{2}-?\d{4}\b", text), "an SSN in clear"


def test_contact_letter_to_an_employer_names_only_its_employees() -> None:
    letter = compliance_letter(Party("ACME TIMBER", ein=ACME, attention="Payroll Manager"),
                               ROWS, ORDERS, date=TODAY, employer_names=NAMES)
    assert_seed_003_structure(letter)
    assert_only(letter, {ACME})
    text = to_markdown(letter)
    assert "ANNA ALDER, SSN \\*\\*\\*-\\*\\*-4821 (case OR100)" in text
    assert "Dear Payroll Manager" in text
    summary = letter.thanks[1]
    assert "case OR100" in summary and "case OR101" in summary


def test_letter_to_an_agent_carries_only_linked_employers() -> None:
    agent = Party("PAYROLL PARTNERS", kind="agent", acting_for=frozenset({ACME, CRUX}))
    letter = compliance_letter(agent, ROWS, ORDERS, date=TODAY, employer_names=NAMES)
    assert_seed_003_structure(letter)
    assert_only(letter, {ACME, CRUX})
    text = rendered(letter)
    assert "CARL CEDAR" in text and "at CRUX LABS" in text and "ANNA ALDER" in text


def test_an_agent_nobody_linked_gets_no_letter() -> None:
    with pytest.raises(NothingToSay):
        compliance_letter(Party("STRANGER", kind="agent"), ROWS, ORDERS, date=TODAY)


def test_ecl1_carries_only_the_ecl1_criteria() -> None:
    letter = ecl1_letter(Party("ACME TIMBER", ein=ACME), ROWS, ORDERS, date=TODAY)
    assert_seed_003_structure(letter)
    assert_only(letter, {ACME})
    assert "30 days" in letter.thanks[-1]
    assert all("OR10" in c.statement for c in letter.concerns)


def test_ecl2_names_the_ecl1_date() -> None:
    letter = ecl2_letter(Party("BOLT FOODS", ein=BOLT), ROWS, ORDERS, date=TODAY)
    assert_seed_003_structure(letter)
    assert_only(letter, {BOLT})
    assert "April 20, 2026" in letter.acknowledgment[0]
    with pytest.raises(NothingToSay):
        ecl2_letter(Party("ACME TIMBER", ein=ACME), ROWS, ORDERS, date=TODAY)


def test_mandate_letter_names_the_deciding_section() -> None:
    decisions = decide_all("oregon", [EmployerFacts(ACME, employees=40),
                                      EmployerFacts(BOLT, employees=3)],
                           {ACME: EmployerHistory(employees_with_orders=2),
                            BOLT: EmployerHistory(employees_with_orders=1,
                                                  dishonored_payments=1)})
    letter = mandate_letter(Party("ACME TIMBER", ein=ACME), decisions, date=TODAY,
                            employer_names=NAMES)
    assert_seed_003_structure(letter)
    assert_only(letter, {ACME})
    assert "section (2)(a)" in letter.concerns[0].response
    assert "(4)(b)" not in rendered(letter)


def test_defective_file_letter_restates_every_finding_with_its_fix() -> None:
    path = FIXTURES / "invalid" / "DED019-ssn-8-digits.ach"
    report = validate_path(path)
    assert report.findings
    letter = defective_file_letter(Party("SAMPLE EMPLOYER"), path.name, report.findings,
                                   date=TODAY, received=D(2026, 5, 29))
    assert_seed_003_structure(letter)
    codes = {f.code for f in report.findings}
    for code in codes:
        concern = next(c for c in letter.concerns if f" {code}:" in c.statement)
        assert RULES[code].title in concern.statement
        assert concern.response == RULES[code].hint
    assert "could not be accepted" in letter.acknowledgment[0]
    details = rendered(letter)
    assert "field DED05" in details and "field ded05" not in details


def test_defective_file_letter_masks_ssns_in_messages() -> None:
    path = FIXTURES / "invalid" / "DED020-ssn-area-9xx.ach"
    report = validate_path(path)
    letter = defective_file_letter(Party("SAMPLE EMPLOYER"), path.name, report.findings,
                                   date=TODAY)
    text = rendered(letter)
    assert "***-**-" in text or "\\*\\*\\*-\\*\\*-" in text
    assert not re.search(r"\b9\d{8}\b", text)


def test_a_file_without_findings_needs_no_letter() -> None:
    with pytest.raises(NothingToSay):
        defective_file_letter(Party("X"), "ok.ach", [], date=TODAY)


def test_html_escapes_what_it_prints() -> None:
    letter = compliance_letter(Party("<A&B>", ein=ACME), ROWS, ORDERS, date=TODAY)
    html = to_html(letter)
    assert "<A&B>" not in html and "&lt;A&amp;B&gt;" in html
    assert "@page" in html and html.startswith("<!DOCTYPE html>")
