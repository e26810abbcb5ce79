"""The DED payments a file carries, one row each: what `describe` shows and a remittance export
reads.

A CCD+ entry carries its DED in its addenda; a CTX entry carries an X12 820 with one DED per
employee. Either way a row names the entry (batch, trace), the addenda where the DED starts and
the decoded :class:`~nacha_cs.codecs.ded.Ded`, or None when that text is not a DED that decodes.

This is a reading view, not a verdict: DEDs are decoded under :data:`READING`, which accepts
what some receivers agree to (medical indicator ``W``, a blank SSN), so a payment shows as long
as it can be read. Validation (``nacha-cs validate``) says what is wrong with it. Rows hold the
SSN in full: masking is the job of whatever shows or writes them (see :mod:`nacha_cs.privacy`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import attrs

from nacha_cs.ach.describe import BatchStart, EntryView, Event, EventReader, events
from nacha_cs.ach.model import AchFile, Batch
from nacha_cs.ach.records import BatchHeader, CtxEntry, Entry
from nacha_cs.codecs import ctx820
from nacha_cs.codecs import ded as ded_codec
from nacha_cs.codecs.ded import Ded, DedPolicy

READING = DedPolicy(allow_medical_w=True, allow_blank_ssn=True)
"""The most lenient DED policy: read every payment a receiver could have agreed to."""


@attrs.frozen(slots=True)
class RemittanceRow:
    """One DED payment, or one piece of remittance text that is not a readable DED."""

    batch: int
    """Position of the batch in the file, from 1 (not the batch number it declares)."""
    trace: str
    """The entry's trace number as written."""
    sec: str
    """``CCD`` (a DED per addenda) or ``CTX`` (DEDs inside an 820)."""
    addenda: int
    """The addenda record of the entry, from 1, where the DED starts."""
    ded: Ded | None
    """The payment, or None: the addenda is not a DED, or the DED does not decode."""
    entry_amount: int | None = None
    """The entry's amount in cents (None when unreadable); a CTX pays several DEDs with it."""


def entry_remittances(entry: Entry, batch: int = 1) -> list[RemittanceRow]:
    """The DED rows of one entry: one per CCD+ addenda, one per DED in a CTX's 820.

    A CTX entry whose addenda hold no readable 820, or an 820 without a DED segment, gives one
    row without a DED, so the payment still shows as something to look at.
    """
    return remittance_rows(
        "CTX" if isinstance(entry, CtxEntry) else "CCD",
        entry.trace_number,
        entry.amount,
        [a.payment_related_information for a in entry.addenda],
        batch,
    )


def view_remittances(entry: EntryView) -> list[RemittanceRow]:
    """The DED rows of an entry met while streaming a file (see :mod:`nacha_cs.ach.describe`)."""
    return remittance_rows(entry.sec, entry.trace, entry.amount, entry.addenda, entry.batch)


def remittance_rows(
    sec: str, trace: str, amount: int | None, addenda: list[str], batch: int = 1
) -> list[RemittanceRow]:
    """The DED rows of an entry given by its SEC layout (``CTX`` or ``CCD``), trace, amount and
    the payment related information of its addenda."""
    if not addenda:
        return []
    if sec == "CTX":
        fields = list(enumerate(addenda, start=1))
        remittance, _ = ctx820.parse_820(fields, entry_amount=amount, policy=READING)
        if remittance is None or not remittance.placed:
            return [RemittanceRow(batch, trace, "CTX", 1, None, amount)]
        return [
            RemittanceRow(batch, trace, "CTX", placed.line, placed.ded, amount)
            for placed in remittance.placed
        ]
    decode = ded_codec.decode
    return [
        RemittanceRow(batch, trace, "CCD", number, decode(info, policy=READING)[0], amount)
        for number, info in enumerate(addenda, start=1)
    ]


def iter_remittances(
    stream: BinaryIO, into: EventReader | None = None
) -> Iterator[tuple[BatchHeader, RemittanceRow]]:
    """Every DED payment of the file in ``stream`` with its batch's header, as it is read, in
    file order: memory stays flat. ``into`` collects the reading problems."""
    headers: dict[int, BatchHeader] = {}
    for event in events(stream, into):
        yield from event_remittances(event, headers)


def event_remittances(
    event: Event, headers: dict[int, BatchHeader]
) -> Iterator[tuple[BatchHeader, RemittanceRow]]:
    """The payments one event of a stream completes; ``headers`` keeps the open batch's header
    between calls."""
    if isinstance(event, BatchStart):
        headers.clear()
        headers[event.position] = event.header
    elif isinstance(event, EntryView) and event.addenda:
        header = headers.get(event.batch)
        if header is not None:
            for row in view_remittances(event):
                yield header, row


def batch_remittances(batch: Batch, position: int = 1) -> list[RemittanceRow]:
    """The DED rows of a batch's entries, in file order; ``position`` is the batch's, from 1."""
    return [row for entry in batch.entries for row in entry_remittances(entry, position)]


def remittances(ach_file: AchFile) -> list[RemittanceRow]:
    """Every DED payment of the file, in file order."""
    return [
        row
        for position, batch in enumerate(ach_file.batches, start=1)
        for row in batch_remittances(batch, position)
    ]
