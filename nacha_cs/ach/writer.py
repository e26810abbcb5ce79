"""Render records to text and put files in place atomically.

The writer pads the file with lines of nines to a whole block of ten records itself, by counting
what it wrote, so the padding can never disagree with what was written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from nacha_cs.ach.model import AchFile
from nacha_cs.ach.records import (
    ADDENDA,
    LAYOUTS,
    PADDING_LINE,
    CcdEntry,
    CtxEntry,
    Record,
)

BLOCKING_FACTOR = 10


class OutputExistsError(FileExistsError):
    """The target exists and the caller did not ask to replace it."""


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
) -> int:
    """Write lines to a temporary file beside ``path`` and rename it into place.

    Nothing is left behind when rendering fails half-way, and an existing file is replaced only
    with ``force``. Returns the number of lines written.
    """
    count = 0
    with atomic_output(path, force=force) as out:
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


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str], *, force: bool = False, encoding: str = "ascii"
) -> Iterator[TextIO]:
    """A text file (ASCII unless told) that appears at ``path`` only when the ``with`` block
    succeeds.

    The text goes to a temporary file beside ``path``, which is synced and renamed into place
    when the block ends; an exception out of the block removes it, so nothing half-made is
    ever seen at ``path``. An existing ``path`` is replaced only with ``force``
    (:class:`OutputExistsError` otherwise, also when it appears while writing).
    """
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; use --force to replace it")
    directory = target.parent if str(target.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o666 & ~_umask())
        if force:
            os.replace(temp_name, target)
        else:
            # link() refuses an existing name atomically, so a file that appeared while we
            # were writing is never replaced behind the user's back.
            try:
                os.link(temp_name, target)
            except FileExistsError:
                raise OutputExistsError(
                    f"{target} appeared while writing; use --force to replace it"
                ) from None
            except OSError:  # a filesystem without hard links: check, then rename
                if target.exists():
                    raise OutputExistsError(
                        f"{target} appeared while writing; use --force to replace it"
                    ) from None
                os.replace(temp_name, target)
            else:
                os.unlink(temp_name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def _umask() -> int:
    """The process umask (read by setting it, then putting it back)."""
    current = os.umask(0)
    os.umask(current)
    return current


def write_file(
    path: str | os.PathLike[str], ach_file: AchFile, *, newline: str = "\n", force: bool = False
) -> int:
    return write_lines_atomically(path, iter_lines(ach_file), newline=newline, force=force)
