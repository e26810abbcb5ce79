"""The writer: byte-exact rendering, padding it counts itself, atomic replacement with force."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from strategies import a_batch, a_file, ach_files, an_entry

from nacha_cs.ach.model import AchFile
from nacha_cs.ach.reader import read_file, read_text
from nacha_cs.ach.records import FieldOverflowError
from nacha_cs.ach.writer import (
    OutputExistsError,
    OutputIsInputError,
    atomic_output,
    iter_file_records,
    iter_lines,
    iter_record_lines,
    remove_stale_temp_files,
    render,
    temp_name,
    write_file,
    write_lines_atomically,
)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


def sample() -> AchFile:
    return a_file(a_batch([an_entry(addenda=("DED*CS*1*250101*12345*123456789*N\\",))]))


def test_render_lf_by_default() -> None:
    text = render(sample())
    lines = text.split("\n")
    assert lines[-1] == ""  # ends with a newline
    assert len(lines) - 1 == 10
    assert all(len(line) == 94 for line in lines[:-1])
    assert "\r" not in text


def test_render_crlf_on_request() -> None:
    text = render(sample(), "\r\n")
    assert text.count("\r\n") == text.count("\n") == 10
    assert text.replace("\r\n", "\n") == render(sample())


def test_entries_are_followed_by_their_addenda_then_padding() -> None:
    lines = list(iter_lines(sample()))
    assert [line[0] for line in lines] == list("1567899999")
    assert lines[6:] == ["9" * 94] * 4


def test_padding_is_counted_from_what_was_written() -> None:
    # 6 records written: 4 lines of nines make a block of 10, whatever the file control says
    records = list(iter_file_records(sample()))
    lines = list(iter_record_lines(records[:2] + records[3:]))
    assert len(lines) == 10 and lines[4:] == ["9" * 94] * 6


@settings(max_examples=50, deadline=None)
@given(ach_files())
def test_every_rendered_file_is_whole_blocks_of_94_character_lines(ach: AchFile) -> None:
    lines = list(iter_lines(ach))
    assert len(lines) % 10 == 0
    assert len(lines) == ach.control.block_count * 10
    assert {len(line) for line in lines} == {94}


def valid_fixtures() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    return sorted(
        path
        for path in FIXTURES.rglob("*.ach")
        if not any(
            word in part
            for part in path.relative_to(FIXTURES).parts
            # peer/: as other libraries wrote them; returns: addenda 99, which the model lacks
            for word in ("invalid", "bad", "peer", "returns")
        )
    )


@pytest.mark.parametrize("path", valid_fixtures(), ids=lambda p: p.name)
def test_valid_fixtures_read_and_write_back_byte_for_byte(path: Path) -> None:
    data = path.read_bytes()
    ach, problems = read_file(path)
    assert problems == []
    assert ach is not None
    newline = "\r\n" if b"\r\n" in data else "\n"
    assert render(ach, newline).encode("ascii") == data


def test_there_are_valid_fixtures_to_check() -> None:
    if not FIXTURES.is_dir():
        pytest.skip("fixtures/ not there yet")
    assert len(valid_fixtures()) >= 1


# --- write_lines_atomically ---------------------------------------------------------------------


def leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name != keep)


def test_writes_lines_with_the_newline_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "out.ach"
    assert write_lines_atomically(target, ["A", "B"]) == 2
    assert target.read_bytes() == b"A\nB\n"
    target2 = tmp_path / "crlf.ach"
    assert write_lines_atomically(target2, ["A", "B"], newline="\r\n") == 2
    assert target2.read_bytes() == b"A\r\nB\r\n"


def test_refuses_an_existing_target_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.ach"
    target.write_bytes(b"precious")
    with pytest.raises(OutputExistsError, match="use --force"):
        write_lines_atomically(target, ["A"])
    assert target.read_bytes() == b"precious"
    assert leftovers(tmp_path, "out.ach") == []
    assert issubclass(OutputExistsError, FileExistsError)


def test_refusal_comes_before_any_line_is_rendered(tmp_path: Path) -> None:
    target = tmp_path / "out.ach"
    target.write_bytes(b"precious")
    pulled: list[str] = []

    def lines() -> Iterator[str]:
        pulled.append("x")
        yield "A"

    with pytest.raises(OutputExistsError):
        write_lines_atomically(target, lines())
    assert pulled == []


def test_force_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.ach"
    target.write_bytes(b"old")
    assert write_lines_atomically(target, ["NEW"], force=True) == 1
    assert target.read_bytes() == b"NEW\n"
    assert leftovers(tmp_path, "out.ach") == []


@pytest.mark.parametrize("exists", [False, True])
def test_a_failure_half_way_leaves_no_temp_file_and_the_target_untouched(
    tmp_path: Path, exists: bool
) -> None:
    target = tmp_path / "out.ach"
    if exists:
        target.write_bytes(b"precious")

    def lines() -> Iterator[str]:
        for number in range(10_000):  # past the writer's 4096-line buffer, so some was written
            if number == 9_000:
                raise RuntimeError("renderer broke")
            yield "X" * 94

    with pytest.raises(RuntimeError, match="renderer broke"):
        write_lines_atomically(target, lines(), force=True)
    assert leftovers(tmp_path, "out.ach") == []
    if exists:
        assert target.read_bytes() == b"precious"
    else:
        assert not target.exists()


def test_a_line_that_is_not_ascii_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    target = tmp_path / "out.ach"
    with pytest.raises(UnicodeEncodeError):
        write_lines_atomically(target, ["OK", "CAF\u00c9"])
    assert os.listdir(tmp_path) == []


def test_many_lines_cross_the_buffer(tmp_path: Path) -> None:
    target = tmp_path / "big.ach"
    lines = [f"{n:094d}" for n in range(9_001)]
    assert write_lines_atomically(target, iter(lines)) == 9_001
    assert target.read_text().splitlines() == lines


def test_relative_path_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_lines_atomically("here.ach", ["A"])
    assert (tmp_path / "here.ach").read_bytes() == b"A\n"
    assert leftovers(tmp_path, "here.ach") == []


def test_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_lines_atomically(tmp_path / "nowhere" / "out.ach", ["A"])


# --- write_file ---------------------------------------------------------------------------------


def test_write_file_then_read_it_back(tmp_path: Path) -> None:
    target = tmp_path / "cs.ach"
    assert write_file(target, sample()) == 10
    assert read_file(target) == (sample(), [])
    with pytest.raises(OutputExistsError):
        write_file(target, sample())
    assert write_file(target, sample(), newline="\r\n", force=True) == 10
    assert target.read_bytes() == render(sample(), "\r\n").encode()


def test_a_value_too_wide_fails_the_write_and_leaves_nothing(tmp_path: Path) -> None:
    ach = a_file(
        a_batch([an_entry(amount=n) for n in range(1, 6)] + [an_entry(receiver_name="R" * 23)])
    )
    target = tmp_path / "cs.ach"
    with pytest.raises(FieldOverflowError, match=r"receiving_company_name \(columns 55-76"):
        write_file(target, ach)
    assert os.listdir(tmp_path) == []


@settings(max_examples=30, deadline=None)
@given(ach_files())
def test_written_files_read_back_to_the_model(ach: AchFile) -> None:
    assert read_text(render(ach, "\r\n")) == (ach, [])


# --- temporary files: named so a later run can recognise ours, removed when their run died ----


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_temp_file_is_named_after_the_target_and_our_pid_and_is_private(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.ach"
    with atomic_output(target) as out:
        out.write("A\n")
        names = os.listdir(tmp_path)
        assert names == [f".out.ach.nacha-cs-{os.getpid()}.tmp"]
        assert stat.S_IMODE(os.stat(tmp_path / names[0]).st_mode) == 0o600
    assert os.listdir(tmp_path) == ["out.ach"]


def test_a_stale_temp_file_of_a_dead_run_is_removed_by_the_next_run(tmp_path: Path) -> None:
    target = tmp_path / "out.ach"
    stale = temp_name(target, dead_pid())
    stale.write_text("123456789 full SSNs of a killed run\n")
    write_lines_atomically(target, ["A"])
    assert not stale.exists()
    assert sorted(os.listdir(tmp_path)) == ["out.ach"]


def test_temp_files_that_are_not_ours_or_still_alive_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.ach"
    dead = dead_pid()
    keep = [
        temp_name(target, os.getppid()),  # a live process (pytest's parent)
        temp_name(tmp_path / "other.ach", dead),  # another target's
        tmp_path / ".out.ach.nacha-cs-x1.tmp",  # not a pid
        tmp_path / f".out.ach.{dead}.tmp",  # no mark: someone else's naming
        tmp_path / f"out.ach.nacha-cs-{dead}.tmp",  # not hidden
    ]
    for path in keep:
        path.write_text("keep")
    folder = temp_name(target, dead)
    folder.mkdir()  # named like ours but a folder: never touched
    assert remove_stale_temp_files(target) == []
    write_lines_atomically(target, ["A"])
    assert all(path.exists() for path in keep) and folder.is_dir()


def test_a_second_writer_in_one_process_gets_its_own_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ach"
    with (
        atomic_output(target, force=True) as first,
        atomic_output(tmp_path / "out.ach", force=True) as second,
    ):
        first.write("1\n")
        second.write("2\n")
        assert len([n for n in os.listdir(tmp_path) if n.endswith(".tmp")]) == 2
    assert os.listdir(tmp_path) == ["out.ach"]
    assert target.read_bytes() == b"1\n"  # the outer block finished last


# --- the inputs guard: --force replaces outputs, never the command's own inputs ----------------


@pytest.mark.parametrize("spelling", ["same", "relative", "symlink", "hardlink"])
def test_force_never_replaces_an_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    source = tmp_path / "in.ach"
    source.write_bytes(b"precious input")
    target: Path | str = source
    if spelling == "relative":
        monkeypatch.chdir(tmp_path)
        target = "./in.ach"
    elif spelling == "symlink":
        target = tmp_path / "link.ach"
        os.symlink(source, target)
    elif spelling == "hardlink":
        target = tmp_path / "hard.ach"
        os.link(source, target)
    with pytest.raises(OutputIsInputError, match="also an input of this command"):
        write_lines_atomically(target, ["A"], force=True, inputs=[source])
    assert source.read_bytes() == b"precious input"
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
    assert issubclass(OutputIsInputError, OutputExistsError)


def test_an_input_that_does_not_exist_yet_is_compared_by_path(tmp_path: Path) -> None:
    target = tmp_path / "new.ach"
    with pytest.raises(OutputIsInputError):
        write_lines_atomically(target, ["A"], inputs=[str(target)])
    write_lines_atomically(target, ["A"], inputs=[tmp_path / "other.ach"])
    assert target.read_bytes() == b"A\n"


def test_write_file_takes_the_inputs_too(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[originator]\n")
    with pytest.raises(OutputIsInputError):
        write_file(config, sample(), force=True, inputs=[config])
    assert config.read_text() == "[originator]\n"
