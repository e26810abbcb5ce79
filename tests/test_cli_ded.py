"""``nacha-cs ded`` through click's CliRunner, against the group itself."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from nacha_cs.cli.ded import ded

GUIDE_SAMPLE = "DED*CS*ZC146*951024*13547* *N*SMITH,HARR*A4738*Y\\"
GOOD = "DED*CS*ZC146*241024*13547*123456789*N*SMITH,HARR*40109\\"
ENCODE = ["encode", "--case", "ZC146", "--pay-date", "2024-10-24", "--amount", "13547",
          "--ssn", "123456789", "--last-name", "Smith", "--first-name", "Harry",
          "--fips", "40109"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_encode_prints_the_segment_masked_and_its_length(runner: CliRunner) -> None:
    result = runner.invoke(ded, ENCODE)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "DED*CS*ZC146*241024*13547*#####6789*N*SMITH,HARR*40109\\", "length: 55 of 80"]


def test_encode_full_ssn(runner: CliRunner) -> None:
    result = runner.invoke(ded, [*ENCODE, "--full-ssn"])
    assert result.output.splitlines()[0] == GOOD


@pytest.mark.parametrize(("extra", "words"), [
    (["--terminated", "--long-date"], "*20241024*"),
    (["--medical", "W", "--allow-w"], "*W*"),
    (["--pay-date", "241024"], "*241024*"),
    (["--pay-date", "20241024"], "*241024*"),
])
def test_encode_options(runner: CliRunner, extra: list[str], words: str) -> None:
    result = runner.invoke(ded, [*ENCODE, *extra])
    assert result.exit_code == 0, result.output
    assert words in result.output


@pytest.mark.parametrize(("extra", "words"), [
    (["--case", "ZC*146"], "DED02 (case identifier): contains the delimiter '*'"),
    (["--medical", "W"], "DED06"),
    (["--name", "TOOLONGNAME1"], "DED07"),
    (["--ssn", "123-45-6789"], "DED05"),
])
def test_encode_refusals_go_to_stderr_with_exit_2(runner: CliRunner, extra: list[str],
                                                  words: str) -> None:
    result = runner.invoke(ded, [*ENCODE[:9], *extra])
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize("extra", [
    ["--pay-date", "2024-02-30"],
    ["--amount", "-5"],
    ["--name", "SMITH,HARR"],  # with --last-name too
])
def test_encode_usage_errors_exit_2(runner: CliRunner, extra: list[str]) -> None:
    result = runner.invoke(ded, [*ENCODE, *extra])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_decode_table_names_the_blank_ssn(runner: CliRunner) -> None:
    result = runner.invoke(ded, ["decode", GUIDE_SAMPLE])
    assert result.exit_code == 1
    assert "DED018 error DED05 col 27" in result.output
    assert "SMITH,HARR" in result.output


def test_decode_table_of_a_good_segment(runner: CliRunner) -> None:
    result = runner.invoke(ded, ["decode", GOOD.ljust(80)])
    assert result.exit_code == 0
    assert "$135.47" in result.output and "2024-10-24" in result.output
    assert "***-**-6789" in result.output
    assert "123456789" not in result.output
    assert "no problems" in result.output


def test_decode_json(runner: CliRunner) -> None:
    result = runner.invoke(ded, ["decode", "--json", GOOD])
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["valid"] is True
    assert document["ded"]["amount"] == 13547
    assert document["ded"]["ssn"] == "***-**-6789"
    assert document["elements"]["DED05"] == "***-**-6789"
    assert document["segment"] == "DED*CS*ZC146*241024*13547*#####6789*N*SMITH,HARR*40109\\"
    assert document["findings"] == []


def test_decode_json_full_ssn_and_findings(runner: CliRunner) -> None:
    bad = GOOD.replace("13547", "135.47")
    result = runner.invoke(ded, ["decode", "--json", "--full-ssn", bad])
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["valid"] is False and document["ded"] is None
    assert document["elements"]["DED05"] == "123456789"
    assert [(f["code"], f["column"], f["end_column"]) for f in document["findings"]] == [
        ("DED014", 21, 26)]


def test_decode_policies(runner: CliRunner) -> None:
    assert runner.invoke(ded, ["decode", "--allow-blank-ssn", GUIDE_SAMPLE]).exit_code == 0
    w = GOOD.replace("*N*", "*W*")
    assert runner.invoke(ded, ["decode", w]).exit_code == 1
    assert runner.invoke(ded, ["decode", "--allow-w", w]).exit_code == 0
    long = GOOD.replace("*241024*", "*20241024*")
    assert runner.invoke(ded, ["decode", "--long-date", long]).exit_code == 0


@pytest.mark.parametrize("command", ["encode", "decode"])
def test_help_has_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(ded, [command, "--help"])
    assert result.exit_code == 0
    assert "nacha-cs ded " + command in result.output


# --- issue 9 item 17: no control bytes on the terminal; examples that run and do not wrap ----

CONTROL_CASES = [
    ("escape sequence", "DED*CS*Z\x1b[31m1*241024*13547*123456789*N\\", "\\x1b"),
    ("bell", "DED*CS*Z\x071*241024*13547*123456789*N\\", "\\x07"),
    ("carriage return", "DED*CS*Z\r1*241024*13547*123456789*N\\", "\\r"),
    ("C1 control", "DED*CS*Z\x9b1*241024*13547*123456789*N\\", "\\x9b"),
    ("right-to-left override", "DED*CS*Z\u202e1*241024*13547*123456789*N\\", "\\u202e"),
]


@pytest.mark.parametrize(("label", "text", "shown"), CONTROL_CASES,
                         ids=[c[0] for c in CONTROL_CASES])
@pytest.mark.parametrize("as_json", [False, True])
def test_decode_never_writes_a_control_character(runner: CliRunner, label: str, text: str,
                                                 shown: str, as_json: bool) -> None:
    result = runner.invoke(ded, ["decode", *(["--json"] if as_json else []), text])
    assert result.exit_code == 1, result.output
    printable = set("\n") | {chr(c) for c in range(0x20, 0x7F)} | set("━┃│╇─┏┓┗┛┡┩╀┼")
    assert not [ch for ch in result.output if ch not in printable and not ch.isprintable()]
    assert "\x1b" not in result.output and "\r" not in result.output
    assert "\u202e" not in result.output
    if not as_json:
        assert shown in result.output.splitlines()[0]  # the segment line shows it escaped


def _examples(help_text: str) -> list[str]:
    """The example commands of a help text, continuation lines joined."""
    lines = [line.strip() for line in help_text.splitlines()]
    commands: list[str] = []
    joining = False
    for line in lines:
        if joining:
            commands[-1] = commands[-1][:-1].rstrip() + " " + line
        elif line.startswith("nacha-cs ded"):
            commands.append(line)
        joining = bool(commands) and commands[-1].endswith("\\") and (
            commands[-1].count("'") % 2 == 0)
    return commands


@pytest.mark.parametrize("width", [60, 80, 100, 200])
@pytest.mark.parametrize("command", [[], ["encode"], ["decode"]])
def test_help_examples_run_and_never_wrap_inside_quotes(runner: CliRunner, width: int,
                                                        command: list[str]) -> None:
    import shlex

    result = runner.invoke(ded, [*command, "--help"], terminal_width=width)
    assert result.exit_code == 0
    examples = _examples(result.output)
    assert examples, result.output
    for example in examples:
        assert example.count("'") % 2 == 0, f"an example wraps inside its quotes: {example!r}"
        args = shlex.split(example)[2:]  # drop "nacha-cs ded"
        run = runner.invoke(ded, args)
        assert run.exit_code == 0, (example, run.output, run.stderr)


def test_the_group_help_has_an_example(runner: CliRunner) -> None:
    result = runner.invoke(ded, ["--help"])
    assert "nacha-cs ded decode '" in result.output
    assert "nacha-cs ded encode --case" in result.output
