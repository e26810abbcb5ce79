"""Junk in, findings out, nothing raises: the validator and the ``validate`` command on random
bytes, on record-shaped noise and on valid files broken by flips, inserts, deletes, truncation,
duplicated and swapped lines.
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nacha_cs.cli import main
from nacha_cs.findings import RULES, Finding
from nacha_cs.validate.engine import Options, Report, validate_stream
from nacha_cs.validate.profiles import load_profile

REPO = Path(__file__).resolve().parent.parent


def _load_corpus_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_corpus_for_robustness", REPO / "scripts" / "make_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_script()

VALID_FILES: dict[str, bytes] = {
    name: "".join(line + "\n" for line in make()).encode("ascii")
    for name, make in corpus.BASES.items()
}

OPTIONS = [
    Options(),
    Options(profile="nacha"),
    Options(state=load_profile("idaho")),
    Options(state=load_profile("virginia"), disabled=frozenset({"FILE002", "CHR001"})),
]

FAST = settings(max_examples=200, deadline=None)


def validate_all_ways(data: bytes) -> list[Report]:
    reports = []
    for options in OPTIONS:
        report = validate_stream(io.BytesIO(data), options)
        for finding in report.findings:
            assert isinstance(finding, Finding)
            assert finding.code in RULES
            assert finding.severity in ("error", "warning")
            assert finding.line is None or finding.line >= 1
            assert finding.column is None or finding.column >= 1
            assert finding.message
        reports.append(report)
    return reports


# --- mutations of valid files ------------------------------------------------------------------

RECORD_START = st.sampled_from([*"156789", "705", "0", " ", "\x00", "\xe9"])


@st.composite
def mutated_files(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID_FILES[draw(st.sampled_from(sorted(VALID_FILES)))])
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(
            ["flip", "insert", "delete", "truncate", "duplicate", "swap", "drop-line",
             "digit", "crlf", "unbroken"]
        ))
        if not data:
            data = bytearray(draw(st.binary(max_size=20)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        if operation == "flip":
            data[at] = draw(st.integers(0, 255))
        elif operation == "digit":
            data[at] = draw(st.sampled_from(b"0123456789 *\\"))
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=100))
        elif operation == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif operation == "truncate":
            del data[at:]
        else:
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            other = draw(st.integers(0, len(lines) - 1))
            if operation == "duplicate":
                lines.insert(index, lines[other])
            elif operation == "swap":
                lines[index], lines[other] = lines[other], lines[index]
            elif operation == "drop-line":
                del lines[index]
            joiner = {"crlf": b"\r\n", "unbroken": b""}.get(operation, b"\n")
            data = bytearray(joiner.join(lines))
    return bytes(data)


@st.composite
def record_noise(draw: st.DrawFn) -> bytes:
    """Lines that start like records (so every record handler sees junk), of any length."""
    lines = draw(st.lists(
        st.tuples(RECORD_START, st.text(alphabet=st.characters(max_codepoint=255), max_size=120)),
        max_size=30,
    ))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", ""]))
    return newline.join(start + rest for start, rest in lines).encode("latin-1")


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data: bytes) -> None:
    validate_all_ways(data)


@FAST
@given(record_noise())
def test_record_shaped_noise_never_raises(data: bytes) -> None:
    validate_all_ways(data)


@FAST
@given(mutated_files())
def test_mutated_valid_files_never_raise(data: bytes) -> None:
    validate_all_ways(data)


@pytest.mark.parametrize("name", sorted(VALID_FILES))
def test_every_prefix_of_a_valid_file_is_read(name: str) -> None:
    """Truncation at every single byte, the cut that network copies make."""
    data = VALID_FILES[name]
    for end in range(0, len(data), 7):
        validate_stream(io.BytesIO(data[:end]), Options())


@pytest.mark.parametrize("name", sorted(VALID_FILES))
def test_the_valid_starting_points_read_alike_with_any_line_ending(name: str) -> None:
    lf = VALID_FILES[name]
    for variant in (lf.replace(b"\n", b"\r\n"), lf.replace(b"\n", b"")):
        assert validate_stream(io.BytesIO(variant), Options()).findings == []


# --- the command --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("robust")


CLI = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@CLI
@given(data=st.one_of(mutated_files(), st.binary(max_size=1500), record_noise()),
       output=st.sampled_from(["text", "json"]),
       profile=st.sampled_from(["child-support", "nacha"]))
def test_the_command_never_shows_a_traceback(
    folder: Path, data: bytes, output: str, profile: str
) -> None:
    path = folder / "input.ach"
    path.write_bytes(data)
    result = CliRunner().invoke(
        main, ["validate", "--format", output, "--profile", profile, str(path)]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception)
    )
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if output == "json":
        document = json.loads(result.stdout)
        assert document["files"][0]["valid"] is (result.exit_code == 0)
