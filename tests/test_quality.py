"""Code-quality gates the brief sets: ruff clean, mypy --strict clean where installed.

Both run as subprocesses on the package, so CI enforces what a developer runs by hand.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]' brings it)")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "nacha_cs", "tests", "scripts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]' brings it)")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "nacha_cs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_cli_imports_click_and_rich() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "nacha_cs").rglob("*.py")
        if "cli" not in path.relative_to(ROOT / "nacha_cs").parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(("import click", "from click", "import rich", "from rich"))
    ]
    assert offenders == []
