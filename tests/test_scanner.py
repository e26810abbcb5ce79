"""The compiled scanner says exactly what the Python validator says, and is really used.

Each comparison runs the same bytes with the scanner (``Options(scan=True)``) and without it
(``scan=False``: the Python fast paths), often also ``pure``; the JSON of ``nacha-cs validate``
is compared byte for byte on every fixture and on a 20,000-entry kit file with defects
scattered through it, LF and CRLF, so chunk boundaries fall inside and around defects.
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nacha_cs.bank.kit import kit_lines
from nacha_cs.bank.mutate import iter_variants
from nacha_cs.cli import main
from nacha_cs.codecs.ded_fast import amount_reader
from nacha_cs.validate import Options, Report, Validator, validate_stream
from nacha_cs.validate import scan as scan_module
from nacha_cs.validate.catalogue import TRACE_ORDER

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
PROFILES = [Options(profile="child-support"), Options(profile="nacha")]
built = pytest.mark.skipif(
    not scan_module.AVAILABLE and os.environ.get("CI") != "true",
    reason="the scanner extension is not built here (CI requires it)",
)


class _Unseekable(io.RawIOBase):
    """A pipe-like stream: the validator must keep traces as it goes."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def both(data: bytes, options: Options, *, seekable: bool = True) -> tuple[Report, Report]:
    def stream() -> io.BufferedReader | io.BytesIO:
        return io.BytesIO(data) if seekable else io.BufferedReader(_Unseekable(data))

    scanned = validate_stream(stream(), attrs.evolve(options, scan=True))
    exact = validate_stream(stream(), attrs.evolve(options, scan=False))
    return scanned, exact


def assert_same(data: bytes, options: Options, *, seekable: bool = True) -> Report:
    scanned, exact = both(data, options, seekable=seekable)
    assert scanned.findings == exact.findings
    assert scanned.summary == exact.summary
    return scanned


def test_under_ci_the_extension_is_built() -> None:
    """CI installs from a clean clone: the build must have produced the extension."""
    if os.environ.get("CI") != "true" and not scan_module.AVAILABLE:
        pytest.skip("not under CI, and the extension is not built here")
    assert scan_module.AVAILABLE, scan_module.status()
    assert scan_module.status() == "compiled"


def test_version_names_the_scanner() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert f"scanner: {scan_module.status()}" in result.stdout


def test_the_scanner_obeys_pure_and_its_own_switch() -> None:
    assert not scan_module.wanted(Options(pure=True))
    assert not scan_module.wanted(Options(scan=False))
    assert scan_module.wanted(Options()) is scan_module.AVAILABLE


def _kit(kind: str, entries: int, seed: int) -> list[bytes]:
    return [line.encode("ascii") for line in kit_lines(kind, entries, seed)]


def _join(lines: list[bytes], newline: bytes = b"\n") -> bytes:
    return newline.join(lines) + newline


@built
def test_the_scanner_proves_a_clean_file_and_feeds_only_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = _kit("ccd+", 2000, 3)
    fed: list[int] = []
    original = Validator.feed

    def counting(self: Validator, number: int, line: str) -> None:
        fed.append(number)
        original(self, number, line)

    monkeypatch.setattr(Validator, "feed", counting)
    report = validate_stream(io.BytesIO(_join(lines)), Options())
    assert report.findings == []
    headers_and_controls = sum(1 for line in lines if line[:1] not in (b"6", b"7"))
    assert len(fed) == headers_and_controls


@built
def test_a_rule_the_scanner_does_not_know_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison has teeth: a rule added to the Python fast path alone makes them differ."""
    original = Validator._addenda_fast

    def with_extra_rule(self: Validator, number: int, line: str) -> bool:
        self.emit(TRACE_ORDER, "a rule the scanner does not know", line=number)
        return original(self, number, line)

    monkeypatch.setattr(Validator, "_addenda_fast", with_extra_rule)
    scanned, exact = both(_join(_kit("ccd+", 20, 1)), PROFILES[0])
    assert scanned.findings != exact.findings


# Pieces a DED is made of, right and wrong: the scanner's DED grammar against the regex's.
_PIECES = ["CS", "ZC146", "A", "A B", "A ", " A", "241024", "240229", "250229", "000229",
           "991231", "241301", "240431", "13547", "0", "00", "1234567890", "12345678901",
           "512340001", "000123456", "666123456", "912345678", "123004567", "123450000",
           "51234000", "N", "Y", "W", "y", "", "SMITH,HARR", "SMITHHARRYX", "40109", "401091",
           "4010912", "A~B", "A\xb2"]  # fmt: skip


@built
@settings(max_examples=2000, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_PIECES), min_size=4, max_size=9),
    end=st.sampled_from(["\\", "\\", "/", "", "\\ x", "*\\", "\\\\"]),
    head=st.sampled_from(["DED*CS*", "DED*CS*", "DED*CX*", "DED*CS", "ded*CS*"]),
    noise=st.lists(st.tuples(st.integers(0, 79), st.sampled_from("*\\ 09YNa~\t")), max_size=2),
)
def test_the_scanners_ded_grammar_is_the_fast_regexs(
    pieces: list[str], end: str, head: str, noise: list[tuple[int, str]]
) -> None:
    from nacha_cs.validate._scan import ded_amount_of

    field = list((head + "*".join(pieces) + end)[:80].ljust(80))
    for column, char in noise:
        field[column] = char
    record = "705" + "".join(field) + "00010000001"
    if not (record.isascii() and record.isprintable()):
        return  # the scanner never sees such a record: the printable test comes first
    expected = amount_reader(start=3, end=83)(record)
    assert ded_amount_of(record.encode("ascii")) == expected


@pytest.mark.parametrize("kind", ["ccd+", "ctx", "prenote", "termination", "returns", "mixed"])
def test_every_kit_variant_agrees(kind: str) -> None:
    """The bank kit's variants, one per rule it can break, LF and CRLF, through a pipe too."""
    lines = list(kit_lines(kind, 30, 5))
    for variant in iter_variants(lines):
        for newline in (b"\n", b"\r\n"):
            data = _join([line.encode("latin-1") for line in variant.lines], newline)
            for options in PROFILES:
                assert_same(data, options)
            assert_same(data, PROFILES[0], seekable=False)


def _scattered(lines: list[bytes], rng: random.Random, every: int) -> Iterator[bytes]:
    """The file with a defect near every ``every``-th entry, of a kind chosen in turn."""
    entries = 0
    for line in lines:
        if line[:1] == b"6":
            entries += 1
        if entries % every or line[:1] not in (b"6", b"7") or rng.random() < 0.5:
            yield line
            continue
        how = rng.randrange(9)
        if how == 0:  # DED04 no longer the entry's amount
            yield line.replace(b"*N*", b"1*N*", 1)[:94] if line[:1] == b"7" else line
        elif how == 1:  # a digit of the RDFI: check digit, hash
            yield line[:5] + bytes([48 + (line[5] - 47) % 10]) + line[6:]
        elif how == 2:  # a record dropped
            continue
        elif how == 3:  # a record repeated: a trace twice, or a second addenda
            yield line
            yield line
        elif how == 4:  # a control character
            yield line[:40] + b"\t" + line[41:]
        elif how == 5:  # one short
            yield line[:-1]
        elif how == 6:  # lowercase in the DED or the name
            yield line[:10] + line[10:20].lower() + line[20:]
        elif how == 7:  # a CR inside the line
            yield line[:30] + b"\r" + line[31:]
        else:  # an unissuable SSN: a warning only, the entry's totals still count
            yield line.replace(b"*5", b"*9", 1) if line[:1] == b"7" else line


@pytest.fixture(scope="module")
def scattered_file(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    lines = list(_scattered(_kit("ccd+", 20_000, 11), random.Random(13), 97))
    folder = tmp_path_factory.mktemp("scattered")
    paths = {}
    for name, newline in (("lf", b"\n"), ("crlf", b"\r\n")):
        paths[name] = folder / f"scattered-{name}.ach"
        paths[name].write_bytes(_join(lines, newline))
    return paths


def _json(path: Path, *, scan: bool) -> tuple[int, str]:
    env = {"NACHA_CS_NO_SCAN": None if scan else "1", "NACHA_CS_PURE": None}
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)], env=env)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("newline", ["lf", "crlf"])
def test_json_is_byte_identical_on_a_large_file_with_scattered_defects(
    scattered_file: dict[str, Path], newline: str
) -> None:
    path = scattered_file[newline]
    scanned = _json(path, scan=True)
    assert scanned == _json(path, scan=False)
    assert scanned[0] == 1 and scanned[1].count('"code"') > 50
    assert_same(path.read_bytes(), PROFILES[1])
    assert_same(path.read_bytes(), PROFILES[0], seekable=False)


def test_the_large_file_agrees_with_the_pure_validator(scattered_file: dict[str, Path]) -> None:
    data = scattered_file["crlf"].read_bytes()
    scanned = validate_stream(io.BytesIO(data), Options(scan=True))
    pure = validate_stream(io.BytesIO(data), Options(pure=True))
    assert (scanned.findings, scanned.summary) == (pure.findings, pure.summary)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_json_is_byte_identical_on_every_fixture(path: Path) -> None:
    assert _json(path, scan=True) == _json(path, scan=False)


@st.composite
def _mutated_large(draw: st.DrawFn) -> bytes:
    """A multi-chunk file (about 1.6 MB) with a few records changed anywhere in it."""
    lines = list(_LARGE)
    for _ in range(draw(st.integers(1, 5))):
        index = draw(st.integers(0, len(lines) - 1))
        column = draw(st.integers(0, 93))
        char = draw(st.sampled_from(b"0123456789 *\\Y\r\n\x00"))
        line = lines[index]
        lines[index] = line[:column] + bytes([char]) + line[column + 1 :]
    newline = draw(st.sampled_from([b"\n", b"\r\n"]))
    return _join(lines, newline)


_LARGE = _kit("ccd+", 8_000, 17)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_mutated_large(), options=st.sampled_from(PROFILES))
def test_mutations_anywhere_in_a_multi_chunk_file_agree(data: bytes, options: Options) -> None:
    assert_same(data, options)


class _Trickle(io.RawIOBase):
    """A raw stream that gives a few bytes per read, as a pipe or socket may."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self._data = io.BytesIO(data)
        self._sizes = sizes or [1]
        self._turn = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        size = self._sizes[self._turn % len(self._sizes)]
        self._turn += 1
        chunk = self._data.read(min(size, len(buffer)))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 400), min_size=1, max_size=6),
    newline=st.sampled_from([b"\n", b"\r\n"]),
    tail=st.sampled_from([b"", b"\r", b"\n", b"  "]),
    damage=st.integers(0, 200),
)
def test_short_reads_leave_no_record_behind(
    sizes: list[int], newline: bytes, tail: bytes, damage: int
) -> None:
    """Reads of any size: records split across reads are joined, the last line may lack its
    line feed; the scanner and the Python loop read the same records from a trickle."""
    lines = _kit("ccd+", 40, 2)
    at = damage % len(lines)
    lines[at] = lines[at][:50] + b"*" + lines[at][51:]
    data = newline.join(lines) + tail
    exact = validate_stream(io.BytesIO(data), Options(scan=False))
    trickled = validate_stream(_Trickle(data, sizes), Options())  # type: ignore[arg-type]
    assert (trickled.findings, trickled.summary) == (exact.findings, exact.summary)


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_lines_holding_several_records_and_unbroken_files_agree(newline: bytes) -> None:
    """The reader cuts a line of whole records into records, and a file with no line breaks
    at all; the scanner's driver must number and cut them the same way."""
    lines = _kit("ccd+", 300, 8)
    joined: list[bytes] = []
    for index, line in enumerate(lines):
        if index % 37 == 5 and joined:
            joined[-1] += line  # two records on one line (188 characters)
        elif index % 53 == 7 and joined:
            joined[-1] += line[:40]  # a line neither one record nor a run of them
        else:
            joined.append(line)
    for options in PROFILES:
        assert_same(newline.join(joined) + newline, options)
    assert_same(b"".join(lines), PROFILES[0])
    assert_same(b"".join(lines) + b"\r\n", PROFILES[0])


def test_without_the_extension_the_pure_python_path_runs() -> None:
    """An install that could not build the extension still validates, and says so."""
    import subprocess
    import sys

    fixture = FIXTURES / "ccd-plus-ded.ach"
    code = (
        "import sys\n"
        "sys.modules['nacha_cs.validate._scan'] = None  # the import fails as if never built\n"
        "from nacha_cs.validate import scan, validate_path\n"
        f"report = validate_path({str(fixture)!r})\n"
        "print(scan.status(), scan.AVAILABLE, len(report.findings), report.summary.entries)\n"
        "from nacha_cs.cli import main\n"
        "main(['--version'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert first == "not built, pure Python False 0 4"
    assert "scanner: not built, pure Python" in rest


# --- CTX: the scanner takes the 05 addenda of a CTX entry, the 820 is read when it closes ---

_CTX = _kit("ctx", 12, 23)
"""Twelve CTX entries of about 30 addenda each, in several batches."""
_OPTIONS_ALL = [*PROFILES, Options(profile="child-support", pure=True)]


def _agree_three(data: bytes) -> None:
    """The scanner, the Python fast paths and the pure validator say the same, both profiles,
    and through a pipe (traces kept as they go)."""
    for options in PROFILES:
        report = assert_same(data, options)
        pure = validate_stream(io.BytesIO(data), attrs.evolve(options, pure=True))
        assert (report.findings, report.summary) == (pure.findings, pure.summary)
    assert_same(data, PROFILES[0], seekable=False)


def _addenda_at(lines: list[bytes], entry: int, which: int) -> int:
    """Index of addenda ``which`` (0-based) of CTX entry ``entry`` (0-based) in ``lines``."""
    starts = [i for i, line in enumerate(lines) if line[:1] == b"6"]
    return starts[entry] + 1 + which


def _put(line: bytes, column: int, value: bytes) -> bytes:
    """``value`` written over ``line`` from 1-based ``column``."""
    return line[: column - 1] + value + line[column - 1 + len(value) :]


def _resplit(lines: list[bytes], entry: int, widths: list[int]) -> list[bytes]:
    """Entry ``entry``'s 820 cut again into addenda of ``widths`` characters (the last width
    repeats; each slice space-filled to 80), numbered 1..n, with the entry's count set: only
    where the 820's text falls differs from a clean file (and the batch counts)."""
    head = _addenda_at(lines, entry, 0) - 1
    end = head + 1
    while end < len(lines) and lines[end][:1] == b"7":
        end += 1
    text = b"".join(line[3:83] for line in lines[head + 1 : end]).rstrip(b" ")
    sequence = lines[head][87:94]
    cut: list[bytes] = []
    at = 0
    while at < len(text):
        width = widths[min(len(cut), len(widths) - 1)]
        cut.append(b"705" + text[at : at + width].ljust(80) + b"%04d" % (len(cut) + 1) + sequence)
        at += width
    entry_line = _put(lines[head], 55, b"%04d" % len(cut))
    return [*lines[:head], entry_line, *cut, *lines[end:]]


def test_a_clean_ctx_file_agrees_and_its_addenda_are_scanned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _join(_CTX)
    _agree_three(data)
    _agree_three(_join(_CTX, b"\r\n"))
    if not scan_module.AVAILABLE:
        return
    fed: list[int] = []
    original = Validator.feed

    def counting(self: Validator, number: int, line: str) -> None:
        fed.append(number)
        original(self, number, line)

    monkeypatch.setattr(Validator, "feed", counting)
    report = validate_stream(io.BytesIO(data), Options())
    assert report.findings == []
    assert len(fed) == sum(1 for line in _CTX if line[:1] != b"7")


def _ctx_cases() -> Iterator[tuple[str, list[bytes]]]:
    lines = _CTX
    first = _addenda_at(lines, 0, 0)
    middle = _addenda_at(lines, 3, 7)
    yield "sequence out of order", [*lines[:middle], _put(lines[middle], 84, b"0009"),
                                    *lines[middle + 1 :]]
    yield "sequence not digits", [*lines[:middle], _put(lines[middle], 84, b"00 8"),
                                  *lines[middle + 1 :]]
    yield "first sequence 0000", [*lines[:first], _put(lines[first], 84, b"0000"),
                                  *lines[first + 1 :]]
    yield "entry detail sequence", [*lines[:middle], _put(lines[middle], 88, b"0000002"),
                                    *lines[middle + 1 :]]
    yield "addenda dropped", [*lines[:middle], *lines[middle + 1 :]]
    yield "addenda repeated", [*lines[:middle], lines[middle], *lines[middle:]]
    entry = first - 1
    yield "count says one more", [*lines[:entry],
                                  _put(lines[entry], 55, b"%04d" % (int(lines[entry][54:58]) + 1)),
                                  *lines[entry + 1 :]]
    for byte in (b"\t", b"\x7f", b"\xe9", b"\x00"):
        yield f"byte {byte!r}", [*lines[:middle], _put(lines[middle], 40, byte),
                                 *lines[middle + 1 :]]
    yield "short addenda", [*lines[:middle], lines[middle][:93], *lines[middle + 1 :]]
    yield "addenda type 06", [*lines[:middle], _put(lines[middle], 2, b"06"),
                              *lines[middle + 1 :]]
    yield "addenda type 99", [*lines[:middle], _put(lines[middle], 2, b"99"),
                              *lines[middle + 1 :]]
    for label, old, new in (("bad DED application", b"DED*CS*", b"DED*CX*"),
                            ("DED05 too long", b"*N*", b"666*N*"),
                            ("bad DED date", b"*2025", b"*2O25"),
                            ("lowercase DED06", b"*N*", b"*n*")):
        bad = list(lines)
        at = next(i for i in range(middle, len(bad)) if old in bad[i] and bad[i][:1] == b"7")
        bad[at] = bad[at].replace(old, new, 1)[:94].ljust(94)[:83] + bad[at][83:94]
        yield label, bad
    yield "820 cut at 79", _resplit(lines, 2, [79])
    yield "820 cut at 1 then 80", _resplit(lines, 2, [1, 80])
    yield "820 cut at 40 in its DEDs", _resplit(lines, 2, [80, 80, 80, 80, 80, 40, 80])
    blank = _addenda_at(lines, 1, 4)
    yield "an addenda of spaces in the 820", [
        *lines[:blank], b"705" + b" " * 80 + lines[blank][83:94], *lines[blank + 1 :]]
    yield "addenda after the batch control", [*lines[: first + 40], lines[first + 2],
                                              *lines[first + 40 :]]


_VALID_SPLITS = {"820 cut at 40 in its DEDs"}


@pytest.mark.parametrize("case", list(_ctx_cases()), ids=lambda case: case[0])
def test_ctx_defects_agree(case: tuple[str, list[bytes]]) -> None:
    label, lines = case
    data = _join(lines)
    _agree_three(data)
    _agree_three(_join(lines, b"\r\n"))
    findings = validate_stream(io.BytesIO(data), Options()).findings
    # a cut inside ENT01 only moves spaces into a value nobody reads: valid, still compared
    assert bool(findings) != (label in _VALID_SPLITS), label


@st.composite
def _mutated_ctx(draw: st.DrawFn) -> bytes:
    """The CTX kit file with a few bytes changed, mostly in addenda."""
    lines = list(_CTX)
    addenda = [i for i, line in enumerate(lines) if line[:1] == b"7"]
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.sampled_from(addenda) | st.integers(0, len(lines) - 1))
        column = draw(st.sampled_from([1, 2, 3, 84, 87, 88, 93]) | st.integers(0, 93))
        char = draw(st.sampled_from(b"0123456789 *\\Y7\r\n\x00\xe9"))
        line = lines[index]
        lines[index] = line[:column] + bytes([char]) + line[column + 1 :]
    return _join(lines, draw(st.sampled_from([b"\n", b"\r\n"])))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_mutated_ctx(), options=st.sampled_from(_OPTIONS_ALL))
def test_mutated_ctx_files_agree(data: bytes, options: Options) -> None:
    scanned = validate_stream(io.BytesIO(data), attrs.evolve(options, scan=True))
    exact = validate_stream(io.BytesIO(data), attrs.evolve(options, scan=False))
    assert (scanned.findings, scanned.summary) == (exact.findings, exact.summary)


@settings(max_examples=20, deadline=None)
@given(sizes=st.lists(st.integers(1, 700), min_size=1, max_size=5))
def test_ctx_addenda_split_across_reads_agree(sizes: list[int]) -> None:
    data = _join(_CTX[:200])
    exact = validate_stream(io.BytesIO(data), Options(scan=False))
    trickled = validate_stream(_Trickle(data, sizes), Options())  # type: ignore[arg-type]
    assert (trickled.findings, trickled.summary) == (exact.findings, exact.summary)


def _big_ctx(payments: int, extra: int = 0) -> list[bytes]:
    """One CTX entry whose 820 pays ``payments`` employees (about 9 per 10 addenda), twice in
    one batch so the run of addenda crosses the 1 MiB chunk, with ``extra`` copies of the
    first entry's last addenda after it (numbered on, past 9,999 when there are enough)."""
    import datetime as dt

    from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, iter_records
    from nacha_cs.ach.writer import iter_record_lines
    from nacha_cs.codecs import ctx820
    from nacha_cs.codecs.ded import Ded

    pay_date = dt.date(2026, 11, 20)
    deds = [Ded(f"CS{i:09d}", pay_date, 1_000 + (i * 7919) % 150_000,
                f"{400 + i % 250}{10 + i % 89:02d}{1000 + i % 8999:04d}", "N", "SMITH,HARR",
                "40109") for i in range(payments)]  # fmt: skip
    addenda = ctx820.build_addenda(
        deds, payer=ctx820.BankParty("ACME MANUFACTURING", "091000019", "12345678"),
        payee=ctx820.BankParty("OK CENTRALIZED SUPPORT", "103000648", "900412345678"),
        company_id="1731234567", effective_date=dt.date(2026, 11, 23), trace="0000001",
        envelope=ctx820.Envelope("1731234567", "OKSDU"), created=dt.datetime(2026, 11, 20, 9, 30))
    entries = [EntrySpec("22", "103000648", "900412345678", sum(d.amount for d in deds),
                         "OK CENTRAL SUPP", f"CS000000000000{n}", tuple(addenda))
               for n in (1, 2)]  # fmt: skip
    batch = BatchSpec("ACME MANUFACTURI", "1731234567", "CHILD SUPP", dt.date(2026, 11, 23),
                      "091000019", iter(entries), service_class_code="220", sec_code="CTX")
    spec = FileSpec(immediate_destination="091000019", immediate_origin="091000019",
                    created=dt.datetime(2026, 11, 20, 9, 30))
    lines = [line.encode("ascii") for line in iter_record_lines(iter_records(spec, [batch]))]
    if extra:
        last = _addenda_at(lines, 1, 0) - 2
        more = [_put(lines[last], 84, b"%04d" % ((len(addenda) + n) % 10_000))
                for n in range(1, extra + 1)]
        lines[last + 1 : last + 1] = more
    return lines


@pytest.mark.parametrize("extra", [0, 3], ids=["9,999 addenda", "10,002 addenda"])
def test_the_largest_ctx_entries_agree(extra: int) -> None:
    lines = _big_ctx(11_062, extra)
    assert sum(1 for line in lines if line[:1] == b"7") == 2 * 9_999 + extra
    data = _join(lines)
    assert len(data) > 1 << 20  # the addenda run crosses a chunk
    for options in PROFILES:
        report = assert_same(data, options)
        assert bool(report.findings) == bool(extra)
    assert_same(data, PROFILES[0], seekable=False)
    pure = validate_stream(io.BytesIO(data), Options(pure=True))
    scanned = validate_stream(io.BytesIO(data), Options())
    assert (scanned.findings, scanned.summary) == (pure.findings, pure.summary)
