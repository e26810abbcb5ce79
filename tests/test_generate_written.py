"""Checking the finished temporary file with the scanner gives what checking the lines gives.

``generate(check_written=True)`` validates the file once it is complete, in this process,
before the rename; the outcome, the file and the findings must be those of the other ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_generate_stream import CONFIG, IDAHO, OPTIONS, _held, _items, _mixed, _row

from nacha_cs.employer import generate as gen
from nacha_cs.employer.config import Config, loads_config
from nacha_cs.findings import Finding
from nacha_cs.validate import Options as ValidatorOptions
from nacha_cs.validate import Summary


def _written(
    items: list[object], tmp_path: Path, config: Config = CONFIG
) -> tuple[gen.Plan, gen.Outcome, Path, gen.Outcome, Path]:
    folder = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    held_file, written_file = folder / "held.ach", folder / "written.ach"
    held = _held(items, config, OPTIONS, held_file)
    plan, outcome = gen.generate(
        lambda: iter(items),
        config,
        OPTIONS,
        written_file,
        force=True,
        check_written=True,
    )
    return plan, outcome, written_file, held, held_file


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[ValidatorOptions]:
    """The options each read-back of the written file ran with."""
    calls: list[ValidatorOptions] = []
    original = gen._check_written

    def spy(file: object, options: ValidatorOptions) -> tuple[list[Finding], Summary]:
        calls.append(options)
        return original(file, options)

    monkeypatch.setattr(gen, "_check_written", spy)
    return calls


def test_a_file_checked_once_written_is_the_file_checked_line_by_line(
    tmp_path: Path, checked: list[ValidatorOptions]
) -> None:
    items = _items(_mixed(["ACME", "BLUESTEM"], 200))
    plan, outcome, written, held, held_file = _written(items, tmp_path)
    assert outcome == held and outcome.written and outcome.summary is not None
    assert written.read_bytes() == held_file.read_bytes()
    assert len(checked) == 1 and plan.errors == 0


def test_a_file_that_cannot_be_built_goes_again_checked_here(
    tmp_path: Path, checked: list[ValidatorOptions]
) -> None:
    text = (
        _row("ACME", "E1", "OK", 1)
        + _row("ACME", "E2", "TX", 2)
        + _row("ACME", "E3", "OK", 3).replace(",E3,", ",E3é,")  # not ASCII: cannot be built
        + _row("ACME", "E4", "KS", 4)
    )
    items = _items(text)
    _, outcome, written, held, _ = _written(items, tmp_path)
    assert outcome == held and not outcome.written and not written.exists()
    assert [f.code for f in outcome.findings if f.severity == "error"] == ["GEN009"]
    assert checked == []


def test_a_state_profile_the_scanner_does_not_take_is_checked_the_other_way(
    tmp_path: Path, checked: list[ValidatorOptions]
) -> None:
    config = loads_config(IDAHO)
    items = _items(
        _row("", "E1", "ID", 1, case="123456") + _row("", "E2", "ID", 2, case="654321"), config
    )
    _, outcome, written, held, held_file = _written(items, tmp_path, config)
    assert outcome == held and written.read_bytes() == held_file.read_bytes()
    assert all(options.state is not None for options in checked)  # only the profile's re-check


def test_a_file_the_validator_rejects_once_written_is_not_renamed_into_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = Finding(code="NACHA999", severity="error", message="injected", line=1)

    def reject(file: object, options: ValidatorOptions) -> tuple[list[Finding], Summary]:
        return [bad], Summary()

    monkeypatch.setattr(gen, "_check_written", reject)
    items = _items(_mixed(["ACME"], 20))
    output = tmp_path / "out.ach"
    _, outcome = gen.generate(
        lambda: iter(items), CONFIG, OPTIONS, output, force=True, check_written=True
    )
    assert outcome.findings == [bad] and not outcome.written
    assert not output.exists() and list(tmp_path.iterdir()) == []
