"""The employer generator, end to end: payroll -> withholding -> file -> our own validator."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from nacha_cs.ach.builder import BuildError, EntrySpec
from nacha_cs.ach.records import CTX_ENTRY
from nacha_cs.cli.generate import generate
from nacha_cs.codecs.ded import decode as decode_ded
from nacha_cs.employer import assemble
from nacha_cs.employer import generate as gen
from nacha_cs.employer.config import load_config, loads_config
from nacha_cs.employer.payroll import DEFAULT_HEADER, PayrollRow, read_payroll
from nacha_cs.findings import Finding
from nacha_cs.validate.engine import validate_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "fixtures" / "payroll" / "sample.csv"
SAMPLE_JSON = ROOT / "fixtures" / "payroll" / "sample.json"
SAMPLE_CONFIG = ROOT / "fixtures" / "config" / "sample.toml"
TODAY = dt.date(2026, 11, 23)  # a Monday, three days after the sample's pay date
OPTIONS = gen.Options(today=TODAY, created=dt.datetime(2026, 11, 23, 9, 30))


def _plan(path: Path = SAMPLE_CSV, options: gen.Options = OPTIONS) -> gen.Plan:
    config = load_config(SAMPLE_CONFIG)
    return gen.plan(gen.read_input(path, config), config, options)


def _run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(generate, [*args, "--today", TODAY.isoformat(), "--no-fee-record"])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_sample_plan() -> None:
    config = load_config(SAMPLE_CONFIG)
    payments: list[gen.Payment] = []
    plan = gen.plan(gen.read_input(SAMPLE_CSV, config), config, OPTIONS, pay=payments.append)
    assert [f.code for f in plan.findings] == []
    assert plan.effective_date == dt.date(2026, 11, 24)
    assert plan.employees == 9 and plan.rows == 12
    batches = [(p.employer.id, "CTX" if p.sdu.format == "ctx" else "CCD") for p in payments]
    assert list(dict.fromkeys(batches)) == [
        ("ACME", "CCD"),
        ("BLUESTEM", "CCD"),
        ("BLUESTEM", "CTX"),
    ]
    smith = [p for p in payments if p.employer.id == "ACME"][:3]
    assert {p.name for p in smith} == {"SMITH,HARR"}  # DED07, worked out once, travels down
    # The guide's example: $270 prorated over $120/$85/$78 with the guide's own worksheet
    # (Oklahoma law, the employees' work state), arrears get nothing. The guide prints $74.71
    # for the third order, a misprint: only $74.41 makes the three add up to $270.
    assert [(p.row.case_id, p.amount) for p in smith] == [
        ("ZC146", 11_448),
        ("ZC147", 8_111),
        ("ZC148", 7_441),
    ]
    assert [r.employee_id for r in plan.limited] == ["E1001", "B2002", "B2004"]
    # Oklahoma $5 per pay period, inside the limit: the employees whose support took their
    # whole limit (E1001, B2002, B2004) pay no fee; the six others pay $5 each.
    assert plan.fees == 6 * 500
    assert plan.sdus["OK"].notices == 1 and plan.sdus["CA"].entries == 1


def test_json_input_gives_the_same_plan() -> None:
    from_csv, from_json = _plan(), _plan(SAMPLE_JSON)
    assert from_json.total == from_csv.total == 219_442
    assert from_json.sdus.keys() == from_csv.sdus.keys()


def test_end_to_end_file_validates(tmp_path: Path) -> None:
    output = tmp_path / "out.ach"
    code, stdout, stderr = _run(str(SAMPLE_CSV), "-c", str(SAMPLE_CONFIG), "-o", str(output))
    assert code == 0, stderr
    report = validate_path(output)
    assert report.errors == 0, report.findings
    assert report.summary.total_credit == 219_442
    assert report.summary.batches == 3
    assert "wrote" in stdout and "$2,194.42" in stdout
    assert "512340001" not in stdout + stderr  # SSNs masked
    assert "***-**-0001" in stdout
    lines = output.read_text().splitlines()
    assert all(len(line) == 94 for line in lines) and len(lines) % 10 == 0
    # The terminated employee without pay: a zero-dollar 24 entry whose DED says DED09 = Y.
    notice = next(i for i, line in enumerate(lines) if "ZD6102" in line)
    assert lines[notice - 1][1:3] == "24"
    ded, problems = decode_ded(lines[notice][3:83])
    assert problems == [] and ded is not None and ded.terminated and ded.amount == 0


def test_full_ssn_shows_ssns(tmp_path: Path) -> None:
    code, stdout, _ = _run(str(SAMPLE_CSV), "-c", str(SAMPLE_CONFIG), "--dry-run", "--full-ssn")
    assert code == 0
    assert "512340001" in stdout


BAD_CSV = (
    DEFAULT_HEADER
    + "\n"
    + "ACME,E1,Smith,Harry,,ZC1,OK,120.00,,,2026-11-20,600,150,,N,N,N,N\n"
    + "ACME,E2,Jones,Ann,512-34-0002,ZC2,OK,12x,,,2026-11-20,600,150,,N,N,N,N\n"
    + "ACME,E3,Brown,Bo,512-34-0003,ZC3,ZZ,50,,,2026-11-20,600,150,,N,N,N,N\n"
    + "ACME,E4,Gray,Al,512-34-04,ZC4,OK,50,,,2026-11-20,600,150,,N,N,N,N\n"
    + "ACME,E5,Green,Eve,512-34-0005,ZC5,OK,50,,,2026-02-30,600,150,,N,N,N,N\n"
    + "ACME,E6,White,Ida,512-34-0006,ZC6,OK,50,,,2026-11-20,600,150,,N,N,N,N\n"
)


def test_bad_rows_are_numbered_and_nothing_is_written(tmp_path: Path) -> None:
    payroll = tmp_path / "bad.csv"
    payroll.write_text(BAD_CSV)
    output = tmp_path / "out.ach"
    code, _, stderr = _run(str(payroll), "-c", str(SAMPLE_CONFIG), "-o", str(output))
    assert code == 1
    assert not output.exists()
    assert list(tmp_path.iterdir()) == [payroll]  # no temporary file left behind either
    for expected in [
        "PAY002 (row 2, ssn)",
        "PAY004 (row 3, current_support)",
        "PAY006 (row 4, sdu)",
        "PAY003 (row 5, ssn)",
        "PAY005 (row 6, pay_date)",
    ]:
        assert expected in stderr
    assert "nothing written" in stderr
    assert "Traceback" not in stderr
    assert "listed under [sdu] in the config" in stderr  # text in brackets is not markup


def test_existing_output_needs_force(tmp_path: Path) -> None:
    output = tmp_path / "out.ach"
    output.write_text("keep me")
    code, _, stderr = _run(str(SAMPLE_CSV), "-c", str(SAMPLE_CONFIG), "-o", str(output))
    assert code == 2 and "--force" in stderr
    assert output.read_text() == "keep me"
    code, _, _ = _run(str(SAMPLE_CSV), "-c", str(SAMPLE_CONFIG), "-o", str(output), "--force")
    assert code == 0 and output.read_text().startswith("101 ")


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "out.ach"
    code, stdout, _ = _run(
        str(SAMPLE_CSV), "-c", str(SAMPLE_CONFIG), "-o", str(output), "--dry-run"
    )
    assert code == 0 and not output.exists()
    assert "dry run" in stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.csv", "-c", str(SAMPLE_CONFIG), "-o", "x.ach"], 2, "cannot read"),
        ([str(SAMPLE_CSV), "-c", "missing.toml", "-o", "x.ach"], 2, "cannot read"),
        ([str(SAMPLE_CSV), "-c", str(SAMPLE_CONFIG)], 2, "-o OUTPUT"),
        (
            [
                str(SAMPLE_CSV),
                "-c",
                str(SAMPLE_CONFIG),
                "--dry-run",
                "--effective-date",
                "2026-11-26",
            ],
            1,
            "Thanksgiving Day",
        ),
        (
            [
                str(SAMPLE_CSV),
                "-c",
                str(SAMPLE_CONFIG),
                "--dry-run",
                "--effective-date",
                "2026-11-20",
            ],
            1,
            "before today",
        ),
    ],
)
def test_usage_errors(args: list[str], code: int, message: str, tmp_path: Path) -> None:
    got, _, stderr = _run(*args)
    assert got == code
    assert message in stderr
    assert "Traceback" not in stderr


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(generate, ["--help"])
    assert result.exit_code == 0
    assert "nacha-cs generate fixtures/payroll/sample.csv" in result.output


def test_prenotes(tmp_path: Path) -> None:
    output = tmp_path / "prenote.ach"
    code, _, stderr = _run(
        str(SAMPLE_CSV), "-c", str(SAMPLE_CONFIG), "-o", str(output), "--prenote"
    )
    assert code == 0, stderr
    report = validate_path(output)
    assert report.errors == 0, report.findings
    entries = [line for line in output.read_text().splitlines() if line.startswith("6")]
    # ACME: OK, TX, OR (savings), KS; BLUESTEM: OK, OR, CA (CTX).
    assert sorted(line[1:3] for line in entries) == ["23", "23", "23", "23", "23", "33", "33"]
    assert all(line[29:39] == "0000000000" for line in entries)
    assert report.summary.total_credit == 0


# --- dates ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("today", "requested", "effective", "codes"),
    [
        (dt.date(2026, 11, 25), None, dt.date(2026, 11, 27), []),  # over Thanksgiving
        (dt.date(2026, 7, 2), None, dt.date(2026, 7, 3), []),  # Friday before Sat July 4th
        (dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 24), []),
        (dt.date(2026, 11, 23), dt.date(2026, 11, 28), dt.date(2026, 11, 28), ["GEN002"]),
        (dt.date(2026, 11, 23), dt.date(2026, 11, 20), dt.date(2026, 11, 20), ["GEN003"]),
        (dt.date(2026, 11, 23), dt.date(2026, 12, 2), dt.date(2026, 12, 2), ["GEN004"]),
    ],
)
def test_effective_date(
    today: dt.date, requested: dt.date | None, effective: dt.date, codes: list[str]
) -> None:
    got, findings = gen.check_effective_date(today, requested)
    assert got == effective
    assert [f.code for f in findings] == codes


def test_remit_deadline_warning() -> None:
    # Pay date Nov 20. Texas is configured with 2 business days: deadline Nov 24. The others
    # have 7, counted over Thanksgiving: deadline Dec 2.
    monday = gen.Options(today=dt.date(2026, 11, 30), created=OPTIONS.created)
    warnings = [f for f in _plan(options=monday).findings if f.code == "GEN001"]
    assert [f.message for f in warnings] == [
        "TX payments for pay date 2026-11-20 settle 2026-12-01, after the 2-business-day "
        "deadline 2026-11-24 (already past)"
    ]
    wednesday = gen.Options(today=dt.date(2026, 12, 2), created=OPTIONS.created)
    plan = _plan(options=wednesday)
    warnings = [f for f in plan.findings if f.code == "GEN001"]
    assert {f.message.split()[0] for f in warnings} == {"OK", "TX", "OR", "KS", "CA"}
    oklahoma = next(f for f in warnings if f.message.startswith("OK"))
    assert oklahoma.message.endswith("deadline 2026-12-02")  # today: late, not yet past
    assert all(f.line is not None for f in warnings)
    assert plan.errors == 0


# --- configuration corner cases ------------------------------------------------------------
AGENT_ROWS = (
    DEFAULT_HEADER + "\n" + ",E1,Smith,Harry,512-34-0001,ZC1,OK,50,,,2026-11-20,600,150,,N,N,N,N\n"
)


def test_agent_rows_must_name_the_employer() -> None:
    config = load_config(SAMPLE_CONFIG)
    items = read_payroll(io.StringIO(AGENT_ROWS), known_sdus=config.sdus.keys())
    plan = gen.plan(items, config, OPTIONS)
    assert [(f.code, f.line) for f in plan.findings] == [("PAY014", 2)]


SINGLE = """
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
profile = "oklahoma"
"""


def _single_items(rows: str) -> list[PayrollRow | Finding]:
    return list(read_payroll(io.StringIO(DEFAULT_HEADER + "\n" + rows), known_sdus={"OK"}))


def _single_plan(rows: str) -> tuple[gen.Plan, list[Finding]]:
    plan = gen.plan(_single_items(rows), loads_config(SINGLE), OPTIONS)
    return plan, plan.findings


def test_single_employer_without_employer_column() -> None:
    row = ",E1,Smith,Harry,512-34-0001,ZC1,OK,50,,,2026-11-20,600,150,,N,N,N,N\n"
    plan, outcome = gen.generate(
        lambda: iter(_single_items(row)), loads_config(SINGLE), OPTIONS, None
    )
    assert plan.findings == []
    assert outcome.errors == 0 and outcome.lines == 10


def test_nothing_to_send() -> None:
    plan, findings = _single_plan(
        ",E1,Smith,Harry,512-34-0001,ZC1,OK,50,,,2026-11-20,0,0,,N,N,N,N\n"
    )
    assert [f.code for f in findings] == ["GEN008", "GEN005"]
    assert plan.errors == 1


def test_name_without_letters_is_a_row_error() -> None:
    _, findings = _single_plan(",E1,1234,5,512-34-0001,ZC1,OK,50,,,2026-11-20,600,150,,N,N,N,N\n")
    assert [(f.code, f.line) for f in findings] == [("GEN006", 2)]


def test_ctx_spills_into_another_entry_past_9999_addenda() -> None:
    config = load_config(SAMPLE_CONFIG)
    rows = "".join(
        f"BLUESTEM,B{i:05d},Petrov,Ivan,561-72-{i % 10_000:04d},BC{i:07d},CA,10.00,,,"
        "2026-11-20,1200,380,,N,N,Y,N\n"
        for i in range(1, 12_001)
    )
    items = list(
        read_payroll(
            io.StringIO(DEFAULT_HEADER + "\n" + rows),
            known_sdus=config.sdus.keys(),
            known_employers=config.employer_ids,
        )
    )
    plan, outcome = gen.generate(lambda: iter(items), config, OPTIONS, None)
    assert plan.errors == 0, plan.findings[:3]
    assert outcome.errors == 0, outcome.findings[:3]
    assert outcome.summary is not None and outcome.summary.entries == 2
    assert outcome.summary.total_credit == 12_000 * 1_000


def test_split_keeps_batches_within_the_count_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assemble, "MAX_BATCH_RECORDS", 4)
    config = load_config(SAMPLE_CONFIG)
    lines: list[str] = []
    out = assemble.Output(config, OPTIONS, dt.date(2026, 11, 24), lines.extend)
    out.open(config.employers[0], "CTX")
    for addenda in [1, 1, 3, 0, 1, 1]:  # records: 2, 2, 4, 1, 2, 2
        out.entry(EntrySpec("22", "043999916", "1", 1, "X", addenda=("a",) * addenda))
    out.close()
    out.finish()
    runs: list[list[int]] = []
    for line in lines:
        if line.startswith("5"):
            runs.append([])
        elif line.startswith("6"):
            runs[-1].append(CTX_ENTRY.parse(line)[0].number_of_addenda_records)
    assert runs == [[1, 1], [3], [0, 1], [1]]


def test_large_employer_batch_is_split(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(assemble, "MAX_BATCH_RECORDS", 4)  # two CCD+ entries with their addenda
    config = load_config(SAMPLE_CONFIG)
    output = tmp_path / "split.ach"
    _, outcome = gen.generate(
        lambda: gen.read_input(SAMPLE_CSV, config), config, OPTIONS, output
    )
    assert outcome.errors == 0, outcome.findings
    report = validate_path(output)
    assert report.errors == 0
    # ACME: 7 CCD+ entries -> 4 batches; BLUESTEM: 4 CCD+ -> 2, 1 CTX (7 addenda) -> 1.
    assert report.summary.batches == 7
    assert report.summary.total_credit == 219_442


def test_build_failure_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(payment: gen.Payment) -> EntrySpec:
        raise BuildError(f"payroll row {payment.row.row}: refused for the test")

    monkeypatch.setattr(assemble, "ccd_entry", refuse)
    output = tmp_path / "out.ach"
    code, _, stderr = _run(str(SAMPLE_CSV), "-c", str(SAMPLE_CONFIG), "-o", str(output))
    assert code == 1
    assert "GEN009" in stderr and "payroll row 2: refused" in stderr
    assert "cannot be built" in stderr
    assert list(tmp_path.iterdir()) == []
