"""Render records to text and put files in place atomically.

The writer pads the file with lines of nines to a whole block of ten records itself, by counting
what it wrote, so the padding can never disagree with what was written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from nacha_cs.ach.model import AchFile
from nacha_cs.ach.records import (
    ADDENDA,
    BLOCKING_FACTOR,
    LAYOUTS,
    PADDING_LINE,
    CcdEntry,
    CtxEntry,
    Record,
)


class OutputExistsError(FileExistsError):
    """The target exists and the caller did not ask to replace it."""


class OutputIsInputError(OutputExistsError):
    """The target is one of the command's own inputs: refused even with ``force``."""



def iter_record_lines(records: Iterable[Record]) -> Iterator[str]:
    """94-character lines, entries followed by their addenda, then the nines padding."""
    count = 0
    for record in records:
        yield LAYOUTS[type(record)].format(record)
        count += 1
        if isinstance(record, (CcdEntry, CtxEntry)):
            for addenda in record.addenda:
                yield ADDENDA.format(addenda)
                count += 1
    for _ in range(-count % BLOCKING_FACTOR):
        yield PADDING_LINE


def iter_file_records(ach_file: AchFile) -> Iterator[Record]:
    yield ach_file.header
    for batch in ach_file.batches:
        yield batch.header
        yield from batch.entries
        yield batch.control
    yield ach_file.control


def iter_lines(ach_file: AchFile) -> Iterator[str]:
    return iter_record_lines(iter_file_records(ach_file))


def render(ach_file: AchFile, newline: str = "\n") -> str:
    return "".join(line + newline for line in iter_lines(ach_file))


def write_lines_atomically(
    path: str | os.PathLike[str],
    lines: Iterable[str],
    *,
    newline: str = "\n",
    force: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> int:
    """Write lines to a temporary file beside ``path`` and rename it into place.

    Nothing is left behind when rendering fails half-way, and an existing file is replaced only
    with ``force``. Returns the number of lines written.
    """
    count = 0
    with atomic_output(path, force=force, inputs=inputs) as out:
        buffer: list[str] = []
        for line in lines:
            buffer.append(line)
            count += 1
            if len(buffer) >= 4096:
                out.write(newline.join(buffer) + newline)
                buffer.clear()
        if buffer:
            out.write(newline.join(buffer) + newline)
    return count


TEMP_MARK = ".nacha-cs-"
"""Our temporary files are ``.<target>.nacha-cs-<pid>.tmp``: the mark and the pid let a later
run tell a file of ours left by a killed process from anything else in the folder."""


def temp_name(target: Path, pid: int, attempt: int = 0) -> Path:
    """The temporary file beside ``target`` that process ``pid`` writes."""
    suffix = f"-{attempt}" if attempt else ""
    return target.with_name(f".{target.name}{TEMP_MARK}{pid}{suffix}.tmp")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not a pid we wrote: never treat it as dead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, and someone else's
        return True
    except OSError:
        return True
    return True


def remove_stale_temp_files(target: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files for ``target`` left by runs of ours that were killed.

    Only regular files named like ours whose process is gone are removed (a run killed with
    ``kill -9`` cannot clean up, and its temp file may hold full SSNs). Returns what was removed.
    """
    path = Path(target)
    directory = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(rf"\.{re.escape(path.name)}{re.escape(TEMP_MARK)}(\d+)(?:-\d+)?\.tmp")
    removed: list[Path] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or _pid_alive(int(match.group(1))):
            continue
        candidate = directory / name
        try:
            if not stat.S_ISREG(os.lstat(candidate).st_mode):
                continue
            os.unlink(candidate)
        except OSError:
            continue
        removed.append(candidate)
    return removed


def _same_file(a: Path, b: str | os.PathLike[str]) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def refuse_inputs(
    path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]
) -> None:
    """Raise :class:`OutputIsInputError` when ``path`` is one of ``inputs`` (also through a
    link or another spelling of the same path): ``--force`` replaces outputs, never inputs."""
    target = Path(path)
    for source in inputs:
        if _same_file(target, source):
            raise OutputIsInputError(
                f"{target} is also an input of this command ({os.fspath(source)}); "
                "refusing to write over it, even with --force"
            )


def _create_temp(target: Path) -> tuple[int, Path]:
    """Create our temporary file exclusively, for the owner only (it may hold SSNs); open for
    reading too, as generate reads back what it wrote to check it again."""
    pid = os.getpid()
    for attempt in range(100):
        name = temp_name(target, pid, attempt)
        try:
            return os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(target))


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
    encoding: str = "ascii",
) -> Iterator[TextIO]:
    """A text file (ASCII unless told) that appears at ``path`` only when the ``with`` block
    succeeds.

    The text goes to a temporary file beside ``path``, which is synced and renamed into place
    when the block ends; an exception out of the block (KeyboardInterrupt too, which the CLI
    raises for SIGTERM) removes it, so nothing half-made is ever seen at ``path``. Temporary
    files of earlier runs that were killed outright are removed first. An existing ``path`` is
    replaced only with ``force`` (:class:`OutputExistsError` otherwise, also when it appears
    while writing), and never when it is one of ``inputs`` (:class:`OutputIsInputError`).
    """
    target = Path(path)
    refuse_inputs(target, inputs)
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; use --force to replace it")
    remove_stale_temp_files(target)
    fd, temp = _create_temp(target)
    scratch = os.fspath(temp)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(scratch, 0o666 & ~_umask())
        if force:
            os.replace(scratch, target)
        else:
            # link() refuses an existing name atomically, so a file that appeared while we
            # were writing is never replaced behind the user's back.
            try:
                os.link(scratch, target)
            except FileExistsError:
                raise OutputExistsError(
                    f"{target} appeared while writing; use --force to replace it"
                ) from None
            except OSError:  # a filesystem without hard links: check, then rename
                if target.exists():
                    raise OutputExistsError(
                        f"{target} appeared while writing; use --force to replace it"
                    ) from None
                os.replace(scratch, target)
            else:
                os.unlink(scratch)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        raise


def _umask() -> int:
    """The process umask (read by setting it, then putting it back)."""
    current = os.umask(0)
    os.umask(current)
    return current


def write_file(
    path: str | os.PathLike[str],
    ach_file: AchFile,
    *,
    newline: str = "\n",
    force: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> int:
    return write_lines_atomically(
        path, iter_lines(ach_file), newline=newline, force=force, inputs=inputs
    )
