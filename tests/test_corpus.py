"""The golden corpus: every known-bad file gives exactly its expected findings, every valid file
none of error severity, and every rule that can fire on an ACH file has a file that fires it.

``fixtures/invalid/`` is made by ``scripts/make_corpus.py``; the expected findings beside each
file were written by hand from the mutation, not copied from the validator.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import pkgutil
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import nacha_cs
from nacha_cs.findings import RULES
from nacha_cs.validate.engine import Options, Report, validate_path, validate_stream
from nacha_cs.validate.profiles import load_profile

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
INVALID = FIXTURES / "invalid"
INVALID_FILES = sorted(INVALID.glob("*.ach"))
CRASHERS = INVALID / "crashers"
PEERS = FIXTURES / "peer"  # other libraries' files: tests/test_peer_files.py
VALID_FILES = sorted(
    p
    for p in FIXTURES.rglob("*.ach")
    if not {INVALID, PEERS} & set(p.parents)
)
CRASHER_FILES = sorted(CRASHERS.glob("*.ach"))

# Rule families that never look at an ACH file: payroll input rows and generation settings;
# and what the CLI says before reading one (FMT: another format, IO: unreadable path), whose
# tests are in test_cli_sniff.py.
NOT_ACH_PREFIXES = ("PAY", "GEN", "CFG", "FMT", "IO")

# Rules that can fire on a file but have no corpus file, and why.
EXEMPT = {
    "ED012": "needs a CTX entry with 10,000 addenda (about 1 MB); test_validate.py fires it on "
    "a generated stream",
    "DED028": "a CCD+ addenda holds 80 characters of payment information, so no DED read from "
    "a file can be longer; a longer segment is cut and reported as DED002",
}


def _import_every_module() -> None:
    """Rules register when their module is imported: import them all to see the catalogue."""
    for module in pkgutil.walk_packages(nacha_cs.__path__, "nacha_cs."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


_import_every_module()


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "scripts/make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_corpus = _load_script()


def _expectation(path: Path) -> dict[str, object]:
    sidecar = path.with_name(path.name[: -len(".ach")] + ".expected.json")
    return json.loads(sidecar.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _options(spec: dict[str, object]) -> Options:
    state = spec.get("state")
    return Options(
        profile=spec.get("profile", "child-support"),  # type: ignore[arg-type]
        disabled=frozenset(spec.get("disabled", ())),  # type: ignore[arg-type]
        state=load_profile(_profile_path(state)) if isinstance(state, str) else None,
    )


def _profile_path(state: str) -> str:
    """A shipped profile by name, or a test profile file named relative to the repo root."""
    return str(REPO / state) if state.endswith(".toml") else state


def _pairs(report: Report) -> set[tuple[str, int | None]]:
    return {(f.code, f.line) for f in report.findings}


def test_corpus_is_there() -> None:
    assert len(INVALID_FILES) >= 80


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.stem)
def test_invalid_file_gives_exactly_its_expected_findings(path: Path) -> None:
    expectation = _expectation(path)
    report = validate_path(path, _options(expectation["options"]))  # type: ignore[arg-type]
    expected = {(f["code"], f["line"]) for f in expectation["findings"]}  # type: ignore[attr-defined]
    found = _pairs(report)
    assert found == expected, (
        f"{path.name} ({expectation['what']}): missing {sorted(expected - found, key=str)}, "
        f"unexpected {sorted(found - expected, key=str)}; messages: "
        + "; ".join(f"{f.code}@{f.line}: {f.message}" for f in report.findings)
    )


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.stem)
def test_file_name_starts_with_a_code_it_fires(path: Path) -> None:
    code = path.name.split("-", 1)[0]
    assert code in RULES
    assert code in {f["code"] for f in _expectation(path)["findings"]}  # type: ignore[attr-defined]


def test_every_file_rule_has_a_corpus_file() -> None:
    fired = {
        finding["code"]
        for path in INVALID_FILES
        for finding in _expectation(path)["findings"]  # type: ignore[attr-defined]
    }
    file_rules = {code for code in RULES if not code.startswith(NOT_ACH_PREFIXES)}
    missing = file_rules - fired - set(EXEMPT)
    assert not missing, f"rules no corpus file makes fire: {sorted(missing)}"
    assert set(EXEMPT) <= set(RULES), "an exemption names a rule that no longer exists"
    assert not set(EXEMPT) & fired, "an exempt rule now has a corpus file: drop the exemption"
    assert make_corpus.EXEMPT.keys() == EXEMPT.keys()


def test_corpus_on_disk_is_what_the_script_makes(tmp_path: Path) -> None:
    """Deterministic and up to date: a fresh run gives the same bytes as the committed files."""
    make_corpus.main([str(tmp_path)])
    made = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in INVALID.iterdir() if p.is_file())
    assert made == committed
    for name in made:
        assert (tmp_path / name).read_bytes() == (INVALID / name).read_bytes(), name


@pytest.mark.parametrize("base", sorted(make_corpus.BASES))
@pytest.mark.parametrize(
    "options", [Options(), Options(profile="nacha"), Options(state=load_profile("idaho"))],
    ids=["child-support", "nacha", "idaho"],
)
def test_the_corpus_starting_points_are_clean(base: str, options: Options) -> None:
    """The files the mutations start from give no finding at all, warnings included."""
    text = "".join(line + "\n" for line in make_corpus.BASES[base]())
    report = validate_stream(io.BytesIO(text.encode("ascii")), options)
    assert report.findings == []


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_valid_fixture_has_no_errors(path: Path) -> None:
    for profile in ("child-support", "nacha"):
        report = validate_path(path, Options(profile=profile))  # type: ignore[arg-type]
        errors = [f for f in report.findings if f.severity == "error"]
        assert errors == [], f"{path} under {profile}: {errors}"


@pytest.mark.parametrize("path", CRASHER_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize(
    "options", [Options(), Options(profile="nacha"), Options(state=load_profile("idaho"))],
    ids=["child-support", "nacha", "idaho"],
)
def test_crashers_give_findings_not_a_traceback(path: Path, options: Options) -> None:
    """A non-ASCII digit ('²', byte 0xB2) in a numeric field is FLD001 and CHR001, no crash."""
    for pure in (False, True):
        report = validate_path(path, attrs.evolve(options, pure=pure))
        assert {("FLD001", 3), ("CHR001", 3)} <= _pairs(report)


def test_there_are_crashers_to_replay() -> None:
    assert len(CRASHER_FILES) >= 2


def test_fixture_names_outside_invalid_do_not_look_invalid() -> None:
    for path in FIXTURES.rglob("*"):
        if INVALID in path.parents or path == INVALID:
            continue
        lowered = path.name.lower()
        assert "invalid" not in lowered and "bad" not in lowered, path


# --- moov-io/ach's test files (read from ../shared, never copied in) ----------------------------

NOT_PLAIN_VALID = ("nonascii-", "txp-credit", "txp-debit")


def _peer_files(peer_testdata: Path) -> list[Path]:
    root = peer_testdata / "moov-ach"
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".gz"))


def test_peer_files_never_raise(peer_testdata: Path) -> None:
    files = _peer_files(peer_testdata)
    assert files
    for path in files:
        for profile in ("nacha", "child-support"):
            report = validate_path(path, Options(profile=profile))  # type: ignore[arg-type]
            assert isinstance(report.findings, list), path


def test_peer_valid_ascii_files_have_no_errors(peer_testdata: Path) -> None:
    valid = sorted((peer_testdata / "moov-ach" / "valid").glob("*.ach"))
    plain = [p for p in valid if not p.name.startswith(NOT_PLAIN_VALID)]
    assert len(plain) >= 10
    for path in plain:
        report = validate_path(path, Options(profile="nacha"))
        errors = [(f.code, f.line, f.message) for f in report.findings if f.severity == "error"]
        assert errors == [], path.name
