"""The bank test kit: valid files by seed, and variants whose findings the manifest predicts.

The exactness test makes a kit, mutates it, and checks that our validator reports exactly each
variant's expected findings: codes and lines always, columns and fields where the manifest says
they are derived from the edit (``exact``). Severities are not compared: they are the rule
catalogue's to change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import nacha_cs.bank.kit as kit_module
from nacha_cs.bank.kit import KINDS, KitRejected, make_file, make_kit
from nacha_cs.bank.mutate import compare
from nacha_cs.bank.run import BaseNotValid, mutate_file
from nacha_cs.cli import main
from nacha_cs.findings import RULES
from nacha_cs.validate import validate_path

VALID_KINDS = list(KINDS)

# Variants where the validator says more than the edit explains, and why. Strict: when the
# validator changes, the test fails until the entry goes.
DISAGREE: dict[str, str] = {}


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kit")
    for kind in VALID_KINDS:
        make_kit(kind, 40, 11, folder)
    return folder


@pytest.mark.parametrize("kind", VALID_KINDS)
def test_every_kind_is_valid_in_every_line_end(kit: Path, kind: str) -> None:
    files = sorted(kit.glob(f"{kind.replace('+', 'plus')}-11-*.ach"))
    assert [p.name.rsplit("-", 1)[1] for p in files] == ["crlf.ach", "lf.ach", "none.ach"]
    for path in files:
        report = validate_path(path)
        manifest = json.loads(path.with_name(path.name + ".manifest.json").read_text())
        assert report.errors == 0, [(f.code, f.line) for f in report.findings]
        assert manifest["summary"]["entries"] == report.summary.entries == 40
        assert manifest["summary"]["total_credit"] == report.summary.total_credit
        assert manifest["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    a = make_file("mixed", 25, 5, tmp_path / "a.ach")
    b = make_file("mixed", 25, 5, tmp_path / "b.ach")
    c = make_file("mixed", 25, 6, tmp_path / "c.ach")
    assert a.path.read_bytes() == b.path.read_bytes() != c.path.read_bytes()


def test_the_kit_has_the_variety_it_promises(tmp_path: Path) -> None:
    manifest = make_file("ccd+", 400, 2, tmp_path / "k.ach").manifest
    deds = manifest["deds"]
    assert deds["fips 5"] and deds["fips 7"] and deds["fips omitted"] and deds["name omitted"]
    names = manifest["ded07_names"]
    assert "WASHINGGEO" in names and "LI,MEI" in names and "KING,MARTI" in names
    assert len({b["company_name"] for b in manifest["batches"]}) > 1
    assert len({r for b in manifest["batches"] for r in b["receivers"]}) == 5
    ctx = make_file("ctx", 60, 2, tmp_path / "c.ach").manifest["ctx"]
    assert ctx["most_addenda"] > 20
    term = make_file("termination", 50, 2, tmp_path / "t.ach").manifest
    assert term["transaction_codes"].get("24", 0) + term["transaction_codes"].get("34", 0) > 0
    assert term["deds"]["terminated"] == term["deds"]["total"]


def test_returns_are_valid_and_their_addenda_99_are_read_as_returns(tmp_path: Path) -> None:
    made = make_file("returns", 5, 1, tmp_path / "r.ach")
    report = validate_path(made.path)
    assert report.errors == 0, [(f.code, f.line) for f in report.findings]
    assert sum(made.manifest["return_reasons"].values()) == 5
    assert not {f.code for f in report.findings} & {"AD001", "AD002", "DED001", "FLD004"}


@pytest.mark.parametrize("base", ["mixed-11-lf.ach", "ccdplus-11-crlf.ach", "ctx-11-none.ach",
                                  "termination-11-lf.ach", "prenote-11-lf.ach"])
def test_each_variant_gets_exactly_its_manifest_findings(kit: Path, tmp_path: Path,
                                                         base: str) -> None:
    outcomes = mutate_file(kit / base, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert len(manifest["variants"]) == len(outcomes) > 20
    for outcome, entry in zip(outcomes, manifest["variants"]):
        report = validate_path(outcome.path)
        problems = compare(outcome.variant.expected, report.findings)
        assert problems == list(outcome.disagreements) == entry["disagreements"]
        name = outcome.variant.name
        if name in DISAGREE:
            assert problems, f"{name} now agrees: remove it from DISAGREE"
        else:
            assert not problems, (name, problems)
        for expected in entry["expected"]:
            assert expected["code"] in RULES


def test_a_mixed_kit_covers_the_rules_one_edit_can_break(kit: Path, tmp_path: Path) -> None:
    outcomes = mutate_file(kit / "mixed-11-lf.ach", tmp_path)
    rules = {o.variant.rule for o in outcomes}
    for family in ("FH", "BH", "ED", "AD", "BC", "FC", "CHR", "FLD", "DED", "X12", "CS"):
        assert any(r.startswith(family) for r in rules), family
    assert len(rules) >= 60
    wild = {o.variant.name for o in outcomes if o.variant.wild}
    assert {"DED003-slash-terminator", "DED018-blank-ssn", "DED024-termination-n",
            "DED023-fips-6-digits", "DED014-decimal-amount", "DED030-fixed-width",
            "WILD-lowercase-name", "X12020-slice-starts-with-space",
            "FILE006-truncated-after-batch", "FILE006-truncated-mid-record"} <= wild


def test_rule_filter_and_a_bad_base(kit: Path, tmp_path: Path) -> None:
    outcomes = mutate_file(kit / "mixed-11-lf.ach", tmp_path / "one", ["ded014", "X12017"])
    assert sorted(o.variant.rule for o in outcomes) == ["DED014", "X12017"]
    with pytest.raises(BaseNotValid, match="DED014"):
        mutate_file(outcomes[0].path, tmp_path / "two")


def test_cli_make_then_mutate(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(main, ["testkit", "make", "--kind", "ccd+", "--entries", "12",
                                "--seed", "4", "--newline", "lf", "-o", str(tmp_path / "kit")])
    assert made.exit_code == 0, made.output
    assert "12 entries" in made.output
    again = runner.invoke(main, ["testkit", "make", "--kind", "ccd+", "--entries", "12",
                                 "-o", str(tmp_path / "kit"), "--seed", "4", "--newline", "lf"])
    assert again.exit_code == 2 and "exists" in again.output
    mutated = runner.invoke(main, ["testkit", "mutate", str(tmp_path / "kit/ccdplus-4-lf.ach"),
                                   "-o", str(tmp_path / "bad"), "--rule", "DED018"])
    assert mutated.exit_code == 0, mutated.output
    assert "1 variants" in mutated.output
    returns = runner.invoke(main, ["testkit", "make", "--kind", "returns", "--entries", "2",
                                   "-o", str(tmp_path / "r")])
    assert returns.exit_code == 0, returns.output


def _with_bad_entry_hash(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        yield line[:10] + "0000000000" + line[20:] if line[:1] == "8" else line


def test_a_file_the_validator_rejects_is_never_written(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    real = kit_module._lines
    monkeypatch.setattr(kit_module, "_lines", lambda *a: _with_bad_entry_hash(real(*a)))
    with pytest.raises(KitRejected, match="BC"):
        make_file("ccd+", 5, 1, tmp_path / "k.ach")
    assert list(tmp_path.iterdir()) == []
    refused = CliRunner().invoke(main, ["testkit", "make", "--kind", "ccd+", "--entries", "2",
                                        "-o", str(tmp_path / "r")])
    assert refused.exit_code == 2 and "rejects the file it made" in refused.output
    assert "Traceback" not in refused.output
