"""The EFT mandate: one case per OAR 137-055-5035 section, then the other states' table."""

from __future__ import annotations

import datetime as dt

import pytest

from nacha_cs.sdu.mandate import (
    STATE_RULES,
    EmployerFacts,
    EmployerHistory,
    decide,
    decide_all,
    oregon,
    state_code,
)

GRANTED = dt.date(2025, 6, 2)

# (section, employer facts, history, required, deciding sections)
OREGON = [
    ("(2)(a)", {"employees": 5}, {"employees_with_orders": 1}, True, ("(2)(a)",)),
    ("(2)(a)-four-employees", {"employees": 4}, {"employees_with_orders": 1}, False, ()),
    ("(2)(a)-no-order", {"employees": 500}, {}, False, ()),
    ("(2)(b)", {"employees": 4}, {"employees_with_orders": 2}, True, ("(2)(b)",)),
    ("(2)(b)-five-is-not-fewer", {"employees": 5}, {"employees_with_orders": 2}, True,
     ("(2)(a)",)),
    ("(2)(c)", {"employees": 2, "federal_tax_eft": True}, {"employees_with_orders": 1}, True,
     ("(2)(c)",)),
    ("(3)", {"employees": 9, "exemption_granted": GRANTED}, {"employees_with_orders": 1},
     False, ("(3)",)),
    ("(4)(a)", {"employees": 1}, {"employees_with_orders": 1, "failures_to_withhold": 2}, True,
     ("(4)(a)",)),
    ("(4)(a)-once", {"employees": 1}, {"employees_with_orders": 1, "failures_to_withhold": 1},
     False, ()),
    ("(4)(a)-late-twice", {"employees": 1}, {"employees_with_orders": 1, "late_payments": 2},
     True, ("(4)(a)",)),
    ("(4)(b)", {"employees": 1}, {"employees_with_orders": 1, "dishonored_payments": 1}, True,
     ("(4)(b)",)),
    ("(4)(c)", {"employees": 1}, {"employees_with_orders": 1, "misidentified_after_contact": 3},
     True, ("(4)(c)",)),
    ("(4)-outweighs-(3)", {"employees": 9, "exemption_granted": GRANTED},
     {"employees_with_orders": 1, "dishonored_payments": 1}, True, ("(4)(b)",)),
]


@pytest.mark.parametrize(("case", "facts", "history", "required", "sections"), OREGON,
                         ids=[c[0] for c in OREGON])
def test_oregon_sections(case: str, facts: dict[str, object], history: dict[str, int],
                         required: bool, sections: tuple[str, ...]) -> None:
    decision = oregon(EmployerFacts("930000001", **facts),  # type: ignore[arg-type]
                      EmployerHistory(**history))
    assert decision.required is required
    assert decision.sections == sections
    assert all(s.reason for s in decision.deciding)


def test_exemption_names_its_date_and_what_it_outweighs() -> None:
    decision = oregon(EmployerFacts("9", employees=9, exemption_granted=GRANTED,
                                    exemption_note="payroll system cannot originate ACH"),
                      EmployerHistory(employees_with_orders=1))
    assert "2025-06-02" in decision.deciding[0].reason
    assert [s.section for s in decision.also_met] == ["(2)(a)"]


def test_exemption_is_listed_beside_section_4() -> None:
    decision = oregon(EmployerFacts("9", employees=9, exemption_granted=GRANTED),
                      EmployerHistory(employees_with_orders=1, failures_to_withhold=3))
    assert decision.sections == ("(4)(a)",)
    assert [s.section for s in decision.also_met] == ["(3)", "(2)(a)"]


def test_several_sections_all_named() -> None:
    decision = oregon(EmployerFacts("9", employees=40, federal_tax_eft=True),
                      EmployerHistory(employees_with_orders=3, dishonored_payments=1))
    assert decision.sections == ("(4)(b)", "(2)(a)", "(2)(c)")


def test_unknown_head_count_is_said_not_guessed() -> None:
    decision = oregon(EmployerFacts("9"), EmployerHistory(employees_with_orders=1))
    assert decision.required is False and decision.unknown


# (state, employer facts, history, required)
OTHERS = [
    ("washington", {"employees": 10}, 1, True),
    ("washington", {"employees": 9}, 1, False),
    ("washington", {"employees": 9}, 2, True),
    ("washington", {"employees": 3, "uses_payroll_processor": True}, 1, True),
    ("washington", {"employees": 3, "state_tax_eft": True}, 1, True),
    ("texas", {"employees": 50}, 1, True),
    ("texas", {"employees": 49}, 1, False),
    ("california", {"employees": 2, "state_tax_eft": True}, 1, True),
    ("california", {"employees": 2000}, 1, False),
    ("virginia", {"employees": 100}, 1, True),
    ("virginia", {"employees": 99}, 1, False),
    ("virginia", {"employees": 3, "payroll_clients": 50}, 0, True),
]


@pytest.mark.parametrize(("state", "facts", "orders", "required"), OTHERS)
def test_other_states_thresholds(state: str, facts: dict[str, object], orders: int,
                                 required: bool) -> None:
    decision = decide(state, EmployerFacts("9", **facts),  # type: ignore[arg-type]
                      EmployerHistory(employees_with_orders=orders))
    assert decision.required is required
    assert decision.rule == STATE_RULES[decision.state].rule


def test_unknown_state_is_refused() -> None:
    with pytest.raises(ValueError, match="known: california"):
        state_code("nevada")


def test_decide_all_sorts_and_defaults_history() -> None:
    decisions = decide_all("oregon", [EmployerFacts("2", employees=6),
                                      EmployerFacts("1", employees=6)],
                           {"2": EmployerHistory(employees_with_orders=1)})
    assert [(d.ein, d.required) for d in decisions] == [("1", False), ("2", True)]


def test_histories_derive_each_section_4_count_from_facts() -> None:
    from nacha_cs.sdu.compliance import OrderFacts, PaymentFacts, StaffAction
    from nacha_cs.sdu.facts import Facts, Unidentified, histories, with_exemptions

    d = dt.date
    ein = "930000009"
    facts = Facts(
        orders=(OrderFacts("C1", ein, employee_id="h1"), OrderFacts("C2", ein, employee_id="h1"),
                OrderFacts("C3", ein, employee_id="h2"),
                OrderFacts("C4", ein, employee_id="h3", disposition="RU")),
        payments=(PaymentFacts("C1", ein, d(2026, 5, 8), d(2026, 5, 20), 100),  # late
                  PaymentFacts("C1", ein, d(2026, 5, 22), d(2026, 5, 26), 100),
                  PaymentFacts("C3", ein, d(2026, 5, 22), d(2026, 5, 26), 100, dishonored=True)),
        actions=(StaffAction("", "failed_withhold", d(2026, 4, 1), employer_ein=ein),
                 StaffAction("", "misid_contact", d(2026, 5, 1), employer_ein=ein),
                 StaffAction("", "eft_exemption", d(2025, 2, 3), "no ACH", employer_ein=ein)),
        employers=(EmployerFacts(ein, employees=3),),
        unidentified=(Unidentified(ein, d(2026, 4, 20), "unknown_case"),
                      Unidentified(ein, d(2026, 5, 12), "ssn_mismatch")),
    )
    history = histories(facts, remit_days=7)[ein]
    assert history == EmployerHistory(employees_with_orders=2, failures_to_withhold=1,
                                      late_payments=1,
                                      dishonored_payments=1, misidentified_after_contact=1)
    employer = with_exemptions(facts)[0]
    assert employer.exemption_granted == d(2025, 2, 3)
    assert oregon(employer, history).sections == ("(4)(a)", "(4)(b)", "(4)(c)")
