"""What README and docs/json-contract.md promise is what the commands do (issue 9, item 23)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from nacha_cs.cli import main

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text()
CONTRACT = (REPO / "docs" / "json-contract.md").read_text()


def _first_command() -> list[str]:
    block = re.search(r"```sh\n(.*?)\n```", README, re.S)
    assert block is not None
    command = block.group(1).split("&&")[-1].strip()
    words = shlex.split(command)
    assert words[0].endswith("nacha-cs")
    return words[1:]


def test_the_readme_s_first_command_runs_clean_on_any_day(tmp_path: Path) -> None:
    # Run from the real date, the sample's 2026-11-20 pay date gave five "already past"
    # warnings once its deadlines had gone by; the README names the day instead.
    args = _first_command()
    assert "--today" in args
    output = args.index("-o") + 1
    args[output] = str(tmp_path / "sample-out.ach")
    args = [str(REPO / a) if a.startswith("fixtures/") else a for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr.lower() and "already past" not in result.stdout
    assert (tmp_path / "sample-out.ach").exists()


def test_the_readme_links_the_contract_and_names_shared() -> None:
    assert "(docs/json-contract.md)" in README
    assert "../shared/peer-testdata" in README and "skipped" in README
    assert "--today" in CliRunner().invoke(main, ["generate", "--help"]).stdout


def _documented_keys(section: str) -> set[str]:
    text = CONTRACT.split(section, 1)[1].split("\n## ", 1)[0]
    keys: set[str] = set()
    for row in re.findall(r"^\| (`[^|]+`) \|", text, re.M):
        for key in re.findall(r"`([^`]+)`", row):
            keys.update(part.removesuffix("[]") for part in key.split("."))
    return keys


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_every_key_validate_prints_is_documented_and_no_more() -> None:
    path = REPO / "fixtures" / "invalid" / "BH003-effective-date-feb-31.ach"
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert _keys(json.loads(result.stdout)) == _documented_keys("## `nacha-cs validate")


def test_every_key_remittance_prints_is_documented_and_no_more() -> None:
    path = REPO / "fixtures" / "ccd-plus-ded.ach"
    result = CliRunner().invoke(main, ["remittance", "--format", "json", str(path)])
    assert _keys(json.loads(result.stdout)) == _documented_keys("## `nacha-cs remittance")
