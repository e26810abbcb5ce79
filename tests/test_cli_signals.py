"""Ctrl-C, SIGTERM, SIGHUP and kill -9, sent to real processes.

Ctrl-C and SIGTERM unwind the command the same way (temporary files removed) and exit with the
shell's code, 128 + the signal; a run killed outright leaves its temporary file, and the next
run to the same target removes it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from nacha_cs.ach.writer import temp_name
from nacha_cs.cli import COMMANDS, main

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "fixtures" / "ccd-plus-ded.ach"

# A command that sits inside atomic_output with a full SSN in its temporary file, run through
# the real CLI entry point so the CLI layer's own signal handling is what is tested.
SLOW_WRITER = """
import time, click
from nacha_cs import cli
from nacha_cs.ach.writer import atomic_output

@click.command()
@click.argument("target")
def slow(target):
    with atomic_output(target) as out:
        out.write("DED*CS*1*261120*100*123456789*N\\\\\\n")
        out.flush()
        print("writing", flush=True)
        time.sleep(60)

cli.COMMANDS["slow"] = "__main__:slow"
cli.main()
"""


def start_slow_writer(target: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, "slow", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n", child.stderr.read() if child.stderr else ""
    return child


def temp_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
    ids=["ctrl-c", "sigterm", "sighup"],
)
def test_a_signal_unwinds_and_removes_the_temp_file(
    tmp_path: Path, signum: int, code: int
) -> None:
    target = tmp_path / "out.ach"
    child = start_slow_writer(target)
    assert temp_files(tmp_path) == [temp_name(target, child.pid).name]
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=20)
    assert child.returncode == code, stderr
    assert "Traceback" not in stderr
    assert f"nacha-cs: stopped ({signal.Signals(signum).name})" in stderr
    assert os.listdir(tmp_path) == []


def test_kill_9_leaves_a_temp_file_that_the_next_run_removes(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    child = start_slow_writer(target)
    child.kill()
    child.wait(timeout=20)
    stale = temp_name(target, child.pid)
    assert temp_files(tmp_path) == [stale.name]
    assert "123456789" in stale.read_text()
    done = subprocess.run(
        [sys.executable, "-m", "nacha_cs", "remittance", str(FIXTURE), "-o", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert temp_files(tmp_path) == []
    assert target.exists()


@pytest.mark.parametrize("command", ["validate", "describe"])
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_reading_commands_stop_cleanly(
    tmp_path: Path, command: str, signum: int, code: int
) -> None:
    """The command blocks reading a FIFO that never gets data; the signal stops it there."""
    fifo = tmp_path / "incoming.ach"
    os.mkfifo(fifo)
    child = subprocess.Popen(
        [sys.executable, "-m", "nacha_cs", command, str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    writer = None
    while writer is None:  # opening the write end succeeds once the command holds the read end
        try:
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            assert time.monotonic() < deadline, "the command never opened its input"
            time.sleep(0.05)
    try:
        time.sleep(0.2)
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=20)
    finally:
        os.close(writer)
    assert child.returncode == code, stderr
    assert "Traceback" not in stderr


@click.command()
def interrupted() -> None:
    """Stands for any command the user presses Ctrl-C in."""
    raise KeyboardInterrupt


def test_ctrl_c_in_process_is_exit_130_not_click_s_aborted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(COMMANDS, "interrupted", f"{__name__}:interrupted")
    result = CliRunner().invoke(main, ["interrupted"])
    assert result.exit_code == 130
    assert "nacha-cs: stopped (SIGINT)" in result.stderr
    assert "Aborted" not in result.stderr
