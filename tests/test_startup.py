"""What `nacha-cs validate --format json` loads: only what it validates and prints with.

Start-up is most of a small file's validation, and a fifth of a million-entry one's (issue 13):
rich, the state profiles, the 820 reader and the DED slow path load only when a run needs
them, and the database, web and generator layers never on this path. Each check runs the
command in a fresh interpreter (the test process has imported everything) and reads its
``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

NEVER = ("rich", "sqlalchemy", "alembic", "psycopg", "hypothesis", "fastapi", "starlette",
         "jinja2", "uvicorn", "nacha_cs.employer", "nacha_cs.sdu", "nacha_cs.bank",
         "nacha_cs.web", "nacha_cs.testing", "nacha_cs.ach.builder", "nacha_cs.ach.writer")
"""Packages and layers `validate --format json` has no use for, whatever the file."""
ON_DEMAND = ("tomllib", "importlib.resources", "nacha_cs.validate.profiles",
             "nacha_cs.codecs.ctx820", "nacha_cs.codecs.ctx820_build", "nacha_cs.codecs.x12",
             "nacha_cs.codecs.ded_analyse")
"""Loaded when the run needs them: a --state, a CTX entry, a DED that is not well formed."""

_PROBE = """
import json, sys
from nacha_cs.cli import main
try:
    main(sys.argv[1:], prog_name="nacha-cs")
except SystemExit:
    pass
sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _loaded(*args: str) -> set[str]:
    """The modules a fresh interpreter holds after ``nacha-cs ARGS``."""
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                            text=True, cwd=ROOT, check=False)
    modules: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return set(modules)


def _present(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded for name in names if m == name or m.startswith(name + "."))


def test_json_validation_of_a_ccd_file_loads_only_the_validator() -> None:
    loaded = _loaded("validate", "--format", "json", str(FIXTURES / "ccd-plus-ded.ach"))
    assert "nacha_cs.validate.engine" in loaded  # the probe ran the command
    assert "click" in loaded
    assert _present(loaded, NEVER + ON_DEMAND) == []


def test_json_validation_of_a_ctx_file_loads_the_820_reader_and_nothing_else() -> None:
    loaded = _loaded("validate", "--format", "json", str(FIXTURES / "ctx-820.ach"))
    assert "nacha_cs.codecs.ctx820" in loaded
    assert _present(loaded, NEVER) == []
    assert _present(loaded, ("tomllib", "nacha_cs.validate.profiles")) == []


def test_a_state_profile_is_loaded_when_asked_for() -> None:
    loaded = _loaded("validate", "--format", "json", "--state", "idaho",
                     str(FIXTURES / "ccd-plus-ded.ach"))
    assert "nacha_cs.validate.profiles" in loaded
    assert _present(loaded, NEVER) == []


def test_text_output_loads_rich_and_still_no_other_layer() -> None:
    loaded = _loaded("validate", str(FIXTURES / "ccd-plus-ded.ach"))
    assert "rich.console" in loaded
    assert _present(loaded, NEVER[1:]) == []
