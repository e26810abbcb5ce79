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

from collections.abc import Sequence

import attrs

from nacha_cs.ach.model import AchFile, Batch
from nacha_cs.ach.records import CtxEntry, Entry
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
    return unit_remittances(
        batch,
        entry.trace_number,
        entry.amount,
        isinstance(entry, CtxEntry),
        [addenda.payment_related_information for addenda in entry.addenda],
    )


def unit_remittances(
    batch: int, trace: str, amount: int | None, ctx: bool, infos: Sequence[str]
) -> list[RemittanceRow]:
    """:func:`entry_remittances` from an entry's values as the model holds them (trace,
    amount, CTX or not, each addenda's payment related information), for a streaming reader
    (:mod:`nacha_cs.sdu.remittance_stream`) that builds no model."""
    if not infos:
        return []

    def row(sec: str, addenda: int, ded: Ded | None) -> RemittanceRow:
        return RemittanceRow(batch, trace, sec, addenda, ded, amount)

    if ctx:
        fields = list(enumerate(infos, start=1))
        remittance, _ = ctx820.parse_820(fields, entry_amount=amount, policy=READING)
        if remittance is None or not remittance.placed:
            return [row("CTX", 1, None)]
        return [row("CTX", placed.line, placed.ded) for placed in remittance.placed]
    return [
        row("CCD", number, ded_codec.decode(info, policy=READING)[0])
        for number, info in enumerate(infos, start=1)
    ]


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
