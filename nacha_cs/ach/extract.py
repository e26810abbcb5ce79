"""`describe` and `remittance` on the compiled lane: output of clean CCD+ entries written in C.

:mod:`nacha_cs.ach._extract` takes closed units of a CCD batch (an entry with no addenda or
with one DED addenda) that the event reader (:mod:`nacha_cs.ach.describe`) reads on its fast
way, and writes the text lines, CSV rows or JSON payments the Python renderers would write for
them. This driver walks the file in binary chunks as the validator's scanner driver does: the
extractor takes what it can where the reader stands in a CCD batch, every other record goes
to :meth:`EventReader.feed` as it always did, and the reader's state is moved on past what
was taken. (It sits with the reader, below validation, so `describe` and `remittance` do not
import the validator.) The stream it yields is the reader's events with :class:`Rendered`
blocks between them, in file order; a consumer shows events as before and writes blocks as
they are.

Without the extension, with ``NACHA_CS_NO_SCAN=1`` or ``NACHA_CS_PURE=1``, or for a file with
no line breaks, :func:`events` is the reader's own: same output, slower.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import BinaryIO, NamedTuple

from nacha_cs.ach import describe
from nacha_cs.ach.describe import Event, EventReader
from nacha_cs.ach.order import Place
from nacha_cs.ach.reader import (
    CHUNK_SIZE,
    NO_SCAN_VARIABLE,
    PURE_VARIABLE,
    is_unbroken,
    line_records,
    line_spans,
)
from nacha_cs.ach.records import BatchHeader

try:
    from nacha_cs.ach import _extract
except ImportError:  # not built: the reader's own events
    _extract = None  # type: ignore[assignment]

TEXT = 0
"""`describe`'s fixed-width lines."""
CSV = 1
"""Remittance CSV rows."""
JSON = 2
"""Remittance JSON payments, each after a comma and a line feed."""

Prefix = Callable[[int, BatchHeader], str]
"""What each CSV row or JSON payment of a batch starts with (from its position and header)."""


class Rendered(NamedTuple):
    """Output the extractor wrote: ``text`` is ``lines`` lines (rows), each ending in a line
    feed. (A named tuple: one is made per batch and per chunk.)"""

    text: str
    lines: int


def available() -> bool:
    """Whether :func:`events` runs on the extractor (built, and not switched off)."""
    return _extract is not None and not any(
        os.environ.get(variable) == "1" for variable in (PURE_VARIABLE, NO_SCAN_VARIABLE)
    )


def events(
    stream: BinaryIO,
    state: EventReader,
    mode: int,
    full_ssn: bool = False,
    prefix: Prefix | None = None,
) -> Iterator[Event | Rendered]:
    """The events of :func:`nacha_cs.ach.describe.events` on ``stream``, with the clean CCD+
    entries among them already rendered in ``mode`` (:data:`TEXT`, or :data:`CSV` and
    :data:`JSON` after ``prefix``); ``state`` collects the reading problems as there."""
    first = stream.read(CHUNK_SIZE)
    if not available() or is_unbroken(first):
        yield from describe.events(stream, state, first)
        return
    assert _extract is not None
    lane = _Lane(state, _extract.Extractor(mode, full_ssn), prefix if mode != TEXT else None)
    for buffer, begin, end in line_spans(first, stream):
        yield from lane.run(buffer, begin, end)
    state.last_number = lane.number
    yield from state.finish()


_IN_BATCH = (Place.BATCH, Place.ENTRY)


class _Lane:
    """The extractor and the event reader taking turns over buffers of whole lines."""

    def __init__(self, state: EventReader, extractor: _extract.Extractor,
                 prefix: Prefix | None) -> None:
        self.state = state
        self.extractor = extractor
        self.prefix = prefix
        self.batch = 0
        self.number = 0

    def run(self, buf: bytes, pos: int, end: int) -> Iterator[Event | Rendered]:
        """Events and rendered blocks of every line of ``buf[pos:end]``, in order."""
        state = self.state
        extractor = self.extractor
        feed = state.feed
        number = self.number
        while pos < end:
            if state.place in _IN_BATCH and state.sec == "CCD":
                if self.prefix is not None and state.position != self.batch:
                    assert state.batch_header is not None
                    cells = self.prefix(state.position, state.batch_header)
                    extractor.batch(cells.encode("latin-1"))
                    self.batch = state.position
                moved = extractor.extract(buf, pos, end)
                if moved != pos:
                    if state.entry is not None:  # the first unit's entry closes it
                        yield state.entry
                        state.entry = None
                    state.place = Place.ENTRY
                    state.entries += extractor.entries
                    number += extractor.records
                    if extractor.lines:
                        yield Rendered(extractor.take(), extractor.lines)
                    pos = moved
                    if pos >= end:
                        break
            stop = buf.find(b"\n", pos, end)
            for record in line_records(buf[pos:stop]):
                number += 1
                done = feed(number, record)
                if done:
                    yield from done
            pos = stop + 1
        self.number = number
