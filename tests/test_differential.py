"""The validator's fast paths agree with its slow, field-by-field path on any input.

Valid fixture files are mutated (bytes overwritten, fields replaced, records dropped,
duplicated or swapped) and validated three times: as ``nacha-cs validate`` runs (the compiled
scanner when it is built, fast paths, cached verdicts, a second read for duplicate traces),
with the Python fast paths alone (``Options(scan=False)``) and with ``Options(pure=True)``
(every record the slow way). Findings, in order, and the summary must be the same.
"""

from __future__ import annotations

import io
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nacha_cs.ach.records import RECORD_LENGTH
from nacha_cs.validate import Options, Report, validate_stream
from nacha_cs.validate.catalogue import TRACE_ORDER
from nacha_cs.validate.entry import EntryChecks
from nacha_cs.validate.profiles import load_profile

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCES = [
    (FIXTURES / name).read_bytes().splitlines()
    for name in ("ccd-plus-ded.ach", "ctx-820.ach", "multi-batch.ach")
]
# Bytes a mutation writes: digits, letters both cases, blank, the DED separators, a
# superscript two (Latin-1 0xB2, a digit to str.isdigit), a control byte and the record types.
ALPHABET = b"0123456789AZaz *\\~\xb2\x0915789"
OPTIONS = [
    Options(profile="child-support"),
    Options(profile="nacha"),
    Options(profile="child-support", state=load_profile("idaho")),
]


def run(data: bytes, options: Options) -> Report:
    return validate_stream(io.BytesIO(data), options)


def difference(data: bytes, options: Options) -> tuple[object, ...] | None:
    """What the scanner, the Python fast paths and the pure validator say differently about
    ``data`` (None: nothing)."""
    reports = [
        run(data, attrs.evolve(options, pure=False, scan=True)),
        run(data, attrs.evolve(options, pure=False, scan=False)),
        run(data, attrs.evolve(options, pure=True)),
    ]
    said = [(report.findings, report.summary) for report in reports]
    if all(each == said[-1] for each in said):
        return None
    return tuple(said)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = list(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(("bytes", "field", "drop", "repeat", "swap")))
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        if how == "bytes":
            column = draw(st.integers(0, RECORD_LENGTH - 1))
            run_ = draw(st.binary(min_size=1, max_size=3).map(lambda b: bytes(
                ALPHABET[c % len(ALPHABET)] for c in b)))  # fmt: skip
            lines[index] = line[:column] + run_ + line[column + len(run_) :]
        elif how == "field":
            # copy a span from another record of the same file: plausible values, wrong place
            other = lines[draw(st.integers(0, len(lines) - 1))]
            start = draw(st.integers(1, RECORD_LENGTH - 2))
            end = draw(st.integers(start + 1, RECORD_LENGTH))
            lines[index] = line[:start] + other[start:end] + line[end:]
        elif how == "drop" and len(lines) > 1:
            del lines[index]
        elif how == "repeat":
            lines.insert(index, line)
        elif how == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
    return b"\n".join(lines) + b"\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(), options=st.sampled_from(OPTIONS))
def test_fast_and_pure_validators_agree_on_mutated_files(data: bytes, options: Options) -> None:
    assert difference(data, options) is None


@pytest.mark.parametrize("source", SOURCES, ids=["ccd", "ctx", "multi"])
def test_they_agree_on_the_valid_files_themselves(source: list[bytes]) -> None:
    data = b"\n".join(source) + b"\n"
    for options in OPTIONS:
        assert difference(data, options) is None


def test_a_rule_only_the_slow_path_runs_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check has teeth: a rule added to the slow entry check alone makes the two differ."""
    original = EntryChecks._entry_record

    def with_extra_rule(self: EntryChecks, number: int, line: str) -> None:
        original(self, number, line)
        self.emit(TRACE_ORDER, "a rule the fast path does not know", line=number)

    monkeypatch.setattr(EntryChecks, "_entry_record", with_extra_rule)
    data = b"\n".join(SOURCES[0]) + b"\n"
    assert difference(data, OPTIONS[0]) is not None


def test_the_environment_variable_turns_fast_paths_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NACHA_CS_PURE", "1")
    assert Options().pure
    monkeypatch.delenv("NACHA_CS_PURE")
    assert not Options().pure


def test_an_environment_variable_turns_only_the_scanner_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NACHA_CS_NO_SCAN", "1")
    assert not Options().scan and not Options().pure
    monkeypatch.delenv("NACHA_CS_NO_SCAN")
    assert Options().scan
