"""The order records come in, written once as a transition table.

File header, then batches (batch header, entries each followed by its addenda, batch control),
then the file control and lines of nines up to the end of the block. The reader's assembler,
the validator and the builder all move through :data:`ORDER`, so they cannot disagree about
what may follow what; each only decides what to say about a record that is out of place.

>>> step(Place.BATCH, "6")
Step(place=<Place.ENTRY: 'entry'>, verdict=<Verdict.IN_ORDER: 'in order'>, what='an entry')
>>> step(Place.FILE, "7").verdict
<Verdict.OUT_OF_PLACE: 'out of place'>
"""

from __future__ import annotations

import enum

import attrs

from nacha_cs.ach.records import PADDING_LINE

PADDING = "padding"
"""The record kind of a line of nines (``"9"`` is the file control)."""
KINDS = ("1", "5", "6", "7", "8", "9", PADDING)


class Place(enum.Enum):
    """Where the reading stands: what the last record accepted was."""

    START = "start"  # nothing accepted yet
    FILE = "file"  # after the file header or a batch control: between batches
    BATCH = "batch"  # after a batch header, before its first entry
    ENTRY = "entry"  # after an entry or one of its addenda
    END = "end"  # after the file control


class Verdict(enum.Enum):
    IN_ORDER = "in order"
    """Accept the record and move on."""
    UNCLOSED_BATCH = "unclosed batch"
    """The open batch has no batch control; end it there, then accept the record."""
    OUT_OF_PLACE = "out of place"
    """Skip the record; the place does not change."""
    AFTER_END = "after end"
    """A record other than padding follows the file control: skip it."""
    PADDING = "padding"
    """A line of nines after the file control: nothing to check."""


@attrs.frozen
class Step:
    place: Place
    verdict: Verdict
    what: str
    """The record as a message names it ("an entry", "a second file header")."""


def _table() -> dict[tuple[Place, str], Step]:
    ok, unclosed, out = Verdict.IN_ORDER, Verdict.UNCLOSED_BATCH, Verdict.OUT_OF_PLACE
    table: dict[tuple[Place, str], Step] = {}
    for place in (Place.START, Place.FILE, Place.BATCH, Place.ENTRY):
        open_batch = place in (Place.BATCH, Place.ENTRY)
        table[place, "1"] = (
            Step(Place.FILE, ok, "a file header")
            if place is Place.START
            else Step(place, out, "a second file header")
        )
        table[place, "5"] = Step(Place.BATCH, unclosed if open_batch else ok, "a batch header")
        table[place, "6"] = (
            Step(Place.ENTRY, ok, "an entry") if open_batch
            else Step(place, out, "an entry outside a batch")
        )  # fmt: skip
        table[place, "7"] = (
            Step(Place.ENTRY, ok, "an addenda") if place is Place.ENTRY
            else Step(place, out, "an addenda without an entry before it")
        )  # fmt: skip
        table[place, "8"] = (
            Step(Place.FILE, ok, "a batch control") if open_batch
            else Step(place, out, "a batch control without a batch header")
        )  # fmt: skip
        table[place, "9"] = Step(Place.END, unclosed if open_batch else ok, "a file control")
        table[place, PADDING] = Step(place, out, "a padding line before the file control")
    for kind in KINDS:
        table[Place.END, kind] = Step(
            Place.END,
            Verdict.PADDING if kind == PADDING else Verdict.AFTER_END,
            "a record other than nines padding follows the file control",
        )
    return table


ORDER: dict[tuple[Place, str], Step] = _table()
"""(where we are, record kind) -> where we go and what to make of the record."""


def step(place: Place, kind: str) -> Step:
    """The move for a record of ``kind`` ("1".."9" or :data:`PADDING`); KeyError for others."""
    return ORDER[place, kind]


def record_kind(line: str) -> str | None:
    """The kind :data:`ORDER` knows a record by, or None for an unknown record type.

    >>> record_kind("5200..."), record_kind("9" * 94), record_kind("X")
    ('5', 'padding', None)
    """
    if line == PADDING_LINE:
        return PADDING
    kind = line[:1]
    return kind if kind in _RECORD_TYPES else None


_RECORD_TYPES = frozenset("156789")
