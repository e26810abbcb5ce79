"""Fuzz the validator and the codecs with atheris (coverage-guided); not part of CI.

Usage::

    pip install -e '.[fuzz]'
    python scripts/fuzz_validate.py [WORK_FOLDER] [-max_total_time=3600] [libFuzzer options]

The promise under test is the project's: bad input never crashes. Each input is fed to
``scripts/fuzz_target.py`` (the validator under two profiles, the DED codec, the 820 parser);
any exception is a crash. libFuzzer writes the
crashing input as ``crash-<sha1>`` in the current folder; copy it into
``fixtures/fuzz-corpus/`` so ``tests/test_fuzz_corpus.py`` replays it on every test run.

WORK_FOLDER (default ``.fuzz-work/``, not committed) holds the growing in-memory corpus; it is
seeded with every ``.ach`` under ``fixtures/`` and with the crash corpus.

With ``--skip-known`` an exception raised at the same place (exception type, file and line of
the innermost frame) as a crash already in the corpus is ignored, so a long run goes on to find
new crashes instead of stopping at a known one again.
"""

from __future__ import annotations

import shutil
import sys
import traceback
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
with atheris.instrument_imports(include=["nacha_cs"]):
    from fuzz_target import exercise

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "fixtures" / "fuzz-corpus"

Site = tuple[str, str, int]
KNOWN: set[Site] = set()


def site(error: BaseException) -> Site:
    """Where an exception was raised: its type and the innermost frame."""
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return type(error).__name__, Path(frame.filename).name, frame.lineno or 0


def known_sites() -> set[Site]:
    """The crash sites the corpus already holds."""
    sites = set()
    for path in sorted(CORPUS.glob("crash-*")):
        try:
            exercise(path.read_bytes())
        except Exception as error:
            sites.add(site(error))
    return sites


def target(data: bytes) -> None:
    try:
        exercise(data)
    except Exception as error:
        if site(error) not in KNOWN:
            raise


def _seed(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    for source in [*sorted((REPO / "fixtures").rglob("*.ach")), *sorted(CORPUS.glob("*"))]:
        if source.is_file() and source.name != "README.md":
            shutil.copyfile(source, work / f"{source.parent.name}-{source.name}")


def main() -> None:
    args = sys.argv[1:]
    folders = [a for a in args if not a.startswith("-")]
    flags = [a for a in args if a.startswith("-") and a != "--skip-known"]
    if "--skip-known" in args:
        KNOWN.update(known_sites())
        print(f"skipping {len(KNOWN)} known crash site(s): {sorted(KNOWN)}", file=sys.stderr)
    work = Path(folders[0]) if folders else REPO / ".fuzz-work"
    _seed(work)
    atheris.Setup([sys.argv[0], *flags, "-max_len=8192", str(work)], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
