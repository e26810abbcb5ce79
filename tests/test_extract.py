"""The compiled extractor writes what the Python renderers write, and is really used.

Each comparison runs the same bytes on the extractor and with ``NACHA_CS_NO_SCAN=1`` (the
event reader and the Python renderers alone): `describe` text and remittance CSV and JSON, SSNs
masked and in full, exit code, stdout and stderr, on every fixture, on a kit file with defects
scattered through it (LF and CRLF, so chunk boundaries fall inside and around defects), and on
generated entries whose fields are the awkward ones (commas, quotes, formula starts, SSN-like
identifications, terminations).
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nacha_cs.ach import describe as ach_describe
from nacha_cs.ach import extract
from nacha_cs.ach.describe import EventReader
from nacha_cs.ach.extract import Rendered
from nacha_cs.bank.kit import kit_lines
from nacha_cs.cli import main
from nacha_cs.cli.describe import render_text
from nacha_cs.sdu.remittance_export import export

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
COMMANDS = [
    ["describe", "--layout", "text"],
    ["describe", "--layout", "text", "--full-ssn"],
    ["remittance"],
    ["remittance", "--full-ssn"],
    ["remittance", "--format", "json"],
    ["remittance", "--format", "json", "--full-ssn"],
]
built = pytest.mark.skipif(
    extract._extract is None and os.environ.get("CI") != "true",
    reason="the extractor extension is not built here (CI requires it)",
)


def _run(args: list[str], path: Path, *, scan: bool) -> tuple[int, str, str]:
    env = {"NACHA_CS_NO_SCAN": None if scan else "1", "NACHA_CS_PURE": None}
    result = CliRunner().invoke(main, [*args, str(path)], env=env)
    return result.exit_code, result.stdout, result.stderr


def _kit(kind: str, entries: int, seed: int) -> list[bytes]:
    return [line.encode("ascii") for line in kit_lines(kind, entries, seed)]


def _join(lines: list[bytes], newline: bytes = b"\n") -> bytes:
    return newline.join(lines) + newline


def _shown(data: bytes, *, fast: bool, full_ssn: bool = False) -> tuple[str, int, bool]:
    """describe's text of ``data``, its problem count and whether it was readable."""
    state = EventReader()
    stream = io.BytesIO(data)
    source = (
        extract.events(stream, state, extract.TEXT, full_ssn)
        if fast
        else ach_describe.events(stream, state)
    )
    parts = []
    for line in render_text(source, full_ssn):
        parts.append(line.text if isinstance(line, Rendered) else line + "\n")
    return "".join(parts), len(state.problems), state.readable


def _exported(
    data: bytes, output_format: str, *, fast: bool, full_ssn: bool = False
) -> tuple[str, int, int]:
    out = io.StringIO()
    with mock.patch.dict(os.environ, {"NACHA_CS_NO_SCAN": "0" if fast else "1"}):
        count, state = export(io.BytesIO(data), out, output_format, "x.ach", full_ssn)
    return out.getvalue(), count, len(state.problems)


def assert_same(data: bytes) -> None:
    for full_ssn in (False, True):
        assert _shown(data, fast=True, full_ssn=full_ssn) == _shown(
            data, fast=False, full_ssn=full_ssn
        )
        for output_format in ("csv", "json"):
            assert _exported(data, output_format, fast=True, full_ssn=full_ssn) == _exported(
                data, output_format, fast=False, full_ssn=full_ssn
            )


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_reads_the_same(path: Path) -> None:
    for args in COMMANDS:
        assert _run(args, path, scan=True) == _run(args, path, scan=False), args


@built
def test_the_extractor_writes_nearly_all_of_a_clean_file() -> None:
    data = _join(_kit("ccd+", 3000, 5))
    state = EventReader()
    shown = list(extract.events(io.BytesIO(data), state, extract.TEXT))
    rendered = sum(item.lines for item in shown if isinstance(item, Rendered))
    assert rendered >= 2 * 2900 and state.readable and not state.problems
    assert state.entries == 3000


def _scattered(lines: list[bytes], rng: random.Random, every: int) -> Iterator[bytes]:
    """The file with a defect or an oddity near every ``every``-th entry, chosen in turn."""
    entries = 0
    for line in lines:
        if line[:1] == b"6":
            entries += 1
        if entries % every or line[:1] not in (b"6", b"7") or rng.random() < 0.5:
            yield line
            continue
        how = rng.randrange(10)
        if how == 0:  # a record dropped: an entry without its addenda, an addenda alone
            continue
        elif how == 1:  # a record repeated: a trace twice, or a second addenda
            yield line
            yield line
        elif how == 2:  # a control character
            yield line[:40] + b"\t" + line[41:]
        elif how == 3:  # one short
            yield line[:-1]
        elif how == 4:  # a comma, a quote, a formula start in the case or the name
            yield line.replace(b"DED*CS*", b'DED*CS*=1,"', 1)[:94] if line[:1] == b"7" else line
        elif how == 5:  # an SSN-like identification number
            yield line[:39] + b" 123-45-6789   " + line[54:] if line[:1] == b"6" else line
        elif how == 6:  # a CR inside the line
            yield line[:30] + b"\r" + line[31:]
        elif how == 7:  # a W medical indicator: read, but not by the extractor
            yield line.replace(b"*N*", b"*W*", 1).replace(b"*N\\", b"*W\\", 1)
        elif how == 8:  # a blank account
            yield line[:12] + b" " * 17 + line[29:] if line[:1] == b"6" else line
        else:  # two records on one line
            yield line + line if line[:1] == b"7" else line


@pytest.fixture(scope="module")
def scattered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    lines = list(_scattered(_kit("ccd+", 12_000, 11), random.Random(7), 53))
    folder = tmp_path_factory.mktemp("extract")
    paths = {}
    for name, newline in (("lf", b"\n"), ("crlf", b"\r\n")):
        paths[name] = folder / f"scattered-{name}.ach"
        paths[name].write_bytes(_join(lines, newline))
    return paths


@pytest.mark.parametrize("newline", ["lf", "crlf"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_large_file_with_scattered_defects_reads_the_same(
    scattered: dict[str, Path], newline: str, args: list[str]
) -> None:
    path = scattered[newline]
    fast = _run(args, path, scan=True)
    assert fast == _run(args, path, scan=False)
    assert fast[0] == 0 and len(fast[1]) > 1_000_000


def test_files_cut_short_or_without_a_control_read_the_same() -> None:
    lines = _kit("ccd+", 3000, 3)
    for cut in (len(lines) - 1, len(lines) // 2, 5, 2):
        assert_same(_join(lines[:cut]))
    assert_same(_join(lines[:-1]) + lines[-1])  # no line feed after the last record
    assert_same(b"".join(lines))  # no line breaks at all


@pytest.mark.parametrize("kind", ["ccd+", "prenote", "termination", "returns", "mixed"])
def test_every_kit_variant_reads_the_same(kind: str) -> None:
    for newline in (b"\n", b"\r\n"):
        assert_same(_join(_kit(kind, 400, 9), newline))


_VALUE = st.text(st.sampled_from(' ,"=+-@.0123456789AZaz#'), min_size=0, max_size=12)


@st.composite
def _entries(draw: st.DrawFn) -> bytes:
    """A small file whose entries carry generated cases, names, FIPS, SSNs, identifications,
    accounts and amounts: the cells the extractor must write as Python does."""
    lines = _kit("ccd+", 6, 4)
    out: list[bytes] = []
    for line in lines:
        if line[:1] == b"6":
            account = draw(st.text(st.sampled_from(" 0129X-"), min_size=17, max_size=17))
            ident = draw(st.sampled_from(["123456789", "123-45-6789", " 123 45 6789", "E1",
                                          "12345678", "", "123-45 6789"]))
            amount = draw(st.integers(0, 9_999_999_999))
            line = (line[:12] + account.encode() + f"{amount:010d}".encode()
                    + ident.ljust(15).encode() + line[54:])
        elif line[:1] == b"7":
            case = draw(_VALUE.filter(bool))
            name = draw(_VALUE)
            fips = draw(st.sampled_from(["", "40109", "4010901", "401090", "4-1 9"]))
            cents = draw(st.integers(0, 9_999_999_999))
            ssn = draw(st.sampled_from(["512340001", "000340001", "123456789"]))
            ended = draw(st.booleans())
            tail = "*".join([name, fips, "Y" if ended else ""]).rstrip("*")
            ded = f"DED*CS*{case}*250301*{cents}*{ssn}*N" + (f"*{tail}" if tail else "") + "\\"
            if len(ded) > 80:
                ded = ded[:79] + "\\"
            line = line[:3] + ded.ljust(80).encode() + line[83:]
        out.append(line)
    return _join(out, draw(st.sampled_from([b"\n", b"\r\n"])))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_entries())
def test_generated_fields_read_the_same(data: bytes) -> None:
    assert_same(data)


def test_without_the_extension_the_event_reader_runs() -> None:
    """An install that could not build the extractor still describes, the same way."""
    fixture = FIXTURES / "ccd-plus-ded.ach"
    code = (
        "import sys\n"
        "sys.modules['nacha_cs.ach._extract'] = None  # the import fails as if never built\n"
        "from nacha_cs.cli import main\n"
        f"main(['describe', '--layout', 'text', {str(fixture)!r}])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert (0, result.stdout, result.stderr) == _run(COMMANDS[0], fixture, scan=True)


@built
def test_the_modes_are_the_extensions() -> None:
    assert extract._extract is not None
    modes = (extract.TEXT, extract.CSV, extract.JSON)
    assert modes == (extract._extract.TEXT, extract._extract.CSV, extract._extract.JSON)


def test_a_batch_prefix_outside_ascii_reads_the_same() -> None:
    """A company name with a Latin-1 letter reaches the CSV and JSON rows through the batch
    prefix, so the extractor's text is not plain ASCII there (it is in `describe`'s)."""
    lines = _kit("ccd+", 300, 6)
    lines = [line[:4] + b"\xc9" + line[5:] if line[:1] == b"5" else line for line in lines]
    assert_same(_join(lines))
    out, count, _ = _exported(_join(lines), "csv", fast=True)
    assert "\xc9" in out and count == 300
