"""The fuzzer's crash corpus, replayed: bad input must never raise.

Files come from ``scripts/fuzz_validate.py`` (atheris, not run in CI). Crashes not fixed yet are
listed in ``fixtures/fuzz-corpus/known.json`` and expected to fail, strictly, so the list must
shrink when the code under test is fixed.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "fixtures" / "fuzz-corpus"
KNOWN: dict[str, str] = json.loads((CORPUS / "known.json").read_text(encoding="utf-8"))


def _exercise() -> object:
    spec = importlib.util.spec_from_file_location("fuzz_target", REPO / "scripts/fuzz_target.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.exercise


exercise = _exercise()
CRASHES = sorted(CORPUS.glob("crash-*"))


def _param(path: Path) -> object:
    if path.name in KNOWN:
        return pytest.param(path, id=path.name[:14],
                            marks=pytest.mark.xfail(strict=True, reason=KNOWN[path.name]))
    return pytest.param(path, id=path.name[:14])


def test_the_corpus_is_not_empty_and_known_names_exist() -> None:
    assert CRASHES
    assert set(KNOWN) <= {p.name for p in CRASHES}


@pytest.mark.parametrize("path", [_param(p) for p in CRASHES])
def test_crash_input_is_handled(path: Path) -> None:
    exercise(path.read_bytes())  # type: ignore[operator]
