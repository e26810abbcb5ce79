"""Config loading: the sample parses, and every mistake is named by its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from nacha_cs.ach.routing import is_valid_routing
from nacha_cs.employer.config import (
    DEFAULT_ENTRY_DESCRIPTION,
    ConfigError,
    load_config,
    loads_config,
)
from nacha_cs.employer.withholding import FeePolicy, LimitTable

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "config" / "sample.toml"

MINIMAL = """
[originator]
odfi_routing = "103999908"
immediate_destination = "103999908"
immediate_origin = "103999908"
company_name = "ACME WIDGETS"
company_id = "1739999901"
state = "OK"

[sdu.OK]
name = "OK CENTRALIZED SUPPORT"
routing = "043999916"
account = "400012345678"
"""


def test_sample_config() -> None:
    config = load_config(SAMPLE)
    assert [e.id for e in config.employers] == ["ACME", "BLUESTEM"]
    assert set(config.sdus) == {"OK", "TX", "OR", "KS", "CA"}
    assert config.sdus["CA"].format == "ctx"
    assert config.sdus["OR"].credit_code == "32"  # savings
    assert config.sdus["OK"].remit_days == 7
    assert config.entry_description == "CHILD SUPP"
    assert config.fee_policy("OK") == FeePolicy(per_period=500, monthly_cap=1_000)
    assert config.fee_policy("TX") == FeePolicy()  # default: no fee
    assert config.employer("ACME") is config.employers[0]
    assert config.employer("") is None  # an agent's rows must name the employer
    assert config.employer_ids == frozenset({"ACME", "BLUESTEM"})


def test_sample_routing_numbers_pass_the_check_digit() -> None:
    config = load_config(SAMPLE)
    numbers = [config.originator.odfi_routing, config.originator.immediate_destination]
    numbers += [sdu.routing for sdu in config.sdus.values()]
    assert all(is_valid_routing(n) for n in numbers)


def test_minimal_single_employer() -> None:
    config = loads_config(MINIMAL)
    (employer,) = config.employers
    assert (employer.id, employer.company_name, employer.state) == ("", "ACME WIDGETS", "OK")
    assert config.employer("") is employer
    assert config.employer_ids is None
    sdu = config.sdus["OK"]
    assert (sdu.account_type, sdu.format, sdu.profile, sdu.remit_days) == (
        "checking",
        "ccd+",
        "",
        7,
    )
    assert (sdu.credit_code, sdu.prenote_code, sdu.zero_dollar_code) == ("22", "23", "24")
    assert config.entry_description == DEFAULT_ENTRY_DESCRIPTION
    assert config.proration == "exact"
    assert config.limits == LimitTable()


def test_payroll_columns_and_withholding() -> None:
    config = loads_config(
        MINIMAL
        + """
[withholding]
proration = "worksheet"
limits = { single = 50 }

[payroll]
date_format = "%m/%d/%Y"
amount_unit = "cents"
[payroll.columns]
ssn = "Social Security No"
"""
    )
    assert config.proration == "worksheet"
    assert config.limits.single == 50 and config.limits.single_arrears == 65
    assert config.payroll.column("ssn") == "Social Security No"
    assert config.payroll.column("case_id") == "case_id"
    assert config.payroll.amount_unit == "cents"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('routing = "043999916"', 'routing = "043999917"', "sdu.OK.routing:"),
        ('odfi_routing = "103999908"', 'odfi_routing = "10399990"', "originator.odfi_routing:"),
        ('immediate_origin = "103999908"', 'immediate_origin = "12"', "immediate_origin:"),
        ('company_name = "ACME WIDGETS"', 'company_name = "ACME WIDGETS OF TULSA"', "16"),
        ('company_id = "1739999901"', "", "originator.company_id: missing"),
        ('account = "400012345678"', 'account = "400012345678901234"', "sdu.OK.account:"),
        ('account = "400012345678"', 'account = "1"\naccount_type = "loan"', "account_type"),
        ('account = "400012345678"', 'account = "1"\nformat = "ppd"', "sdu.OK.format"),
        ('account = "400012345678"', 'account = "1"\nfips = "4000"', "sdu.OK.fips"),
        ('account = "400012345678"', 'account = "1"\nremit_days = "7"', "remit_days"),
        ('account = "400012345678"', 'account = "1"\nprofile = "atlantis"', "sdu.OK.profile"),
        ('account = "400012345678"', 'account = "1"\nroutng = "1"', "sdu.OK.routng: unknown"),
        ("[originator]", 'entry_description = "CHILD SUPPORT"\n[originator]', "entry_desc"),
        ("[originator]", "[fees.OK]\nper_period = 5.0\n[originator]", "as a string"),
        ("[originator]", '[withholding]\nproration = "equal"\n[originator]', "proration"),
        ("[originator]", "[withholding]\nlimits = { single = 80 }\n[originator]", "single"),
        ("[originator]", '[payroll.columns]\nsocial = "SSN"\n[originator]', "columns.social"),
    ],
)
def test_problems_name_their_key(old: str, new: str, problem: str) -> None:
    assert old in MINIMAL
    with pytest.raises(ConfigError) as caught:
        loads_config(MINIMAL.replace(old, new, 1))
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_all_problems_reported_together() -> None:
    text = MINIMAL.replace('"043999916"', '"1"').replace('"103999908"', '"2"')
    with pytest.raises(ConfigError) as caught:
        loads_config(text)
    assert len(caught.value.problems) >= 4


def test_agent_employers_need_ids() -> None:
    text = MINIMAL + (
        '\n[[employers]]\ncompany_name = "A"\ncompany_id = "1"\nstate = "OK"\n'
        '\n[[employers]]\nid = "X"\ncompany_name = "B"\ncompany_id = "2"\nstate = "KS"\n'
        '\n[[employers]]\nid = "X"\ncompany_name = "C"\ncompany_id = "3"\nstate = "KS"\n'
    )
    with pytest.raises(ConfigError) as caught:
        loads_config(text)
    problems = caught.value.problems
    assert any(p.startswith("employers[1].id: missing") for p in problems)
    assert any("'X' is listed twice" in p for p in problems)


def test_no_sdu_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no SDU configured"):
        loads_config(MINIMAL.split("[sdu.OK]")[0])
    with pytest.raises(ConfigError, match="not valid TOML"):
        loads_config("[originator\n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("x = [")
    with pytest.raises(ConfigError) as caught:
        load_config(broken)
    assert str(caught.value).startswith(str(broken))
