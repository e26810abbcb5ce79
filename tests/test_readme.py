"""README's promises hold: its Python runs, and its two first-screen commands are the real ones."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_python_block_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_the_test_command_is_what_ci_runs() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci.removeprefix("exec ") in README
    first_screen = README[: README.index("\n## ")]
    assert "bash scripts/test" in first_screen


def test_the_main_command_names_bundled_files() -> None:
    first_screen = README[: README.index("\n## ")]
    command = re.search(r"```sh\n(python3 -m venv .*?)\n```", first_screen, re.S)
    assert command is not None
    for path in re.findall(r"fixtures/\S+", command.group(1)):
        assert (REPO / path).is_file(), path
