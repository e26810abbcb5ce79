"""Golden files: the generator's bytes for the bundled samples do not change by accident.

The files under ``fixtures/golden/`` were made by the generator before it became one pipeline
(and are remade only on purpose, with ``NACHA_CS_REGOLD=1``): a refactor that changes one byte
of a sample file fails here.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
from pathlib import Path

import pytest

from nacha_cs.employer import generate as gen
from nacha_cs.employer.config import load_config

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "fixtures" / "golden"
CONFIG = load_config(ROOT / "fixtures" / "config" / "sample.toml")
CREATED = dt.datetime(2026, 11, 23, 9, 30)
OPTIONS = gen.Options(today=CREATED.date(), created=CREATED)


def _shuffled_csv() -> str:
    """The sample CSV with its employees out of order (each one's rows still together, as
    PAY010 asks): the generator cannot stream it and holds every payment instead."""
    lines = (ROOT / "fixtures" / "payroll" / "sample.csv").read_text().splitlines(keepends=True)
    groups: dict[tuple[str, ...], list[str]] = {}
    for line in lines[1:]:
        fields = line.split(",")
        groups.setdefault((fields[0], fields[1], fields[10]), []).append(line)
    order = list(groups.values())
    random.Random(3).shuffle(order)
    return "".join([lines[0], *(line for group in order for line in group)])


CASES = {
    "sample-csv": ("sample.csv", OPTIONS),
    "sample-json": ("sample.json", OPTIONS),
    "sample-prenote": ("sample.csv", gen.Options(today=CREATED.date(), created=CREATED,
                                                  prenote=True)),
    "sample-unsorted": (None, OPTIONS),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_sample_files_are_byte_identical(name: str, tmp_path: Path) -> None:
    source_name, options = CASES[name]
    if source_name is None:
        shuffled = tmp_path / "shuffled.csv"
        shuffled.write_text(_shuffled_csv())
        source = shuffled
    else:
        source = ROOT / "fixtures" / "payroll" / source_name
    output = tmp_path / f"{name}.ach"
    plan, outcome = gen.generate(lambda: gen.read_input(source, CONFIG), CONFIG, options, output)
    assert plan.errors == 0 and outcome.written, (plan.findings, outcome.findings)
    golden = GOLDEN / f"{name}.ach"
    if os.environ.get("NACHA_CS_REGOLD") == "1":
        golden.write_bytes(output.read_bytes())
    assert output.read_bytes() == golden.read_bytes()


def test_the_unsorted_sample_really_is_out_of_order() -> None:
    rows = [line.split(",")[:2] for line in io.StringIO(_shuffled_csv()).readlines()[1:]]
    assert rows != sorted(rows)
