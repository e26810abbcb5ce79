"""Child-support checks: the DED of a CCD+ addenda, the DEDs of a CTX's 820, state rules.

Only the child-support profile runs these; under the NACHA profile addenda text is opaque.
"""

from __future__ import annotations

from typing import Any

from nacha_cs.ach.model import ZERO_DOLLAR_CODES
from nacha_cs.ach.records import CCD_ENTRY, Layout
from nacha_cs.codecs.ded import Ded
from nacha_cs.validate.catalogue import (
    CASE_ID_FORMAT,
    CTX_WITHOUT_820,
    DED_AMOUNT_MISMATCH,
    FIPS_OTHER_STATE,
    FIPS_REQUIRED,
    NO_DED,
    SDU_DEBIT,
    UNIDENTIFIED_PAYMENT,
    ZERO_WITHOUT_ADDENDA,
    ZERO_WITHOUT_TERMINATION,
)
from nacha_cs.validate.state import (
    A_INFO,
    INFO_OFFSET,
    LIVE_CREDIT_CODES,
    OpenEntry,
    Run,
)


class ChildSupportChecks(Run):
    """DED, 820 and state-profile checks on a closed entry or its addenda."""

    def _check_ded(self, number: int, line: str, entry: OpenEntry) -> None:
        assert self._ded_decoder is not None
        ded, problems = self._ded_decoder(line, A_INFO.start, A_INFO.stop)
        for problem in problems:
            self.add(problem.at(line=number, column_offset=INFO_OFFSET))
        if ded is None:
            return
        start = INFO_OFFSET + 1
        end = A_INFO.stop
        if entry.amount is not None and ded.amount != entry.amount:
            self.emit(
                DED_AMOUNT_MISMATCH,
                f"DED04 is {ded.amount} cents but the entry at line {entry.line} carries "
                f"{entry.amount}",
                line=number,
                column=start,
                end_column=end,
                field="DED04",
            )
        if entry.amount == 0 and entry.code in ZERO_DOLLAR_CODES and not ded.terminated:
            self.emit(
                ZERO_WITHOUT_TERMINATION,
                f"the zero-dollar entry at line {entry.line} carries a DED without DED09 = Y",
                line=number,
                column=start,
                end_column=end,
                field="DED09",
            )
        self._identification(number, ded, start, end)

    def _identification(self, number: int, ded: Ded, start: int, end: int) -> None:
        """CS003 and the state's ST rules on one decoded DED, wherever it travels.

        CCD+ passes its addenda (columns 4-83); CTX passes each DED of the 820 at the addenda
        and columns where that segment sits.
        """
        # (_may_be_unnamed says this to the 820 reader: keep the two together)
        if self.options.state is None and ded.ssn.strip():
            return  # a decoded DED names case and amount: only a blank SSN can leave it unnamed
        case_id = ded.case_id
        ssn = ded.ssn.strip()
        name = ded.name.strip()
        amount = ded.amount
        missing = []
        if not case_id.strip():
            missing.append("the case (DED02)")
        if amount is None:
            missing.append("the amount (DED04)")
        if not ssn and not name:
            missing.append("the employee (DED05 or DED07)")
        if missing:
            self.emit(
                UNIDENTIFIED_PAYMENT,
                "the payment does not identify " + ", ".join(missing),
                line=number,
                column=start,
                end_column=end,
            )
        state = self.options.state
        if state is None:
            return
        problem = state.case_id_problem(case_id)
        if problem is not None:
            self.emit(
                CASE_ID_FORMAT,
                problem,
                line=number,
                column=start,
                end_column=end,
                field="DED02",
            )
        if state.fips_required and not ded.fips.strip():
            self.emit(
                FIPS_REQUIRED,
                f"{state.name} requires DED08 (FIPS code)",
                line=number,
                column=start,
                end_column=end,
                field="DED08",
            )
        fips = ded.fips.strip()
        if state.fips_prefix and fips and not fips.startswith(state.fips_prefix):
            self.emit(
                FIPS_OTHER_STATE,
                f"FIPS code {fips!r} is not {state.name}'s (its FIPS codes start "
                f"{state.fips_prefix!r})",
                line=number,
                column=start,
                end_column=end,
                field="DED08",
            )

    def _check_820(self, entry: OpenEntry) -> None:
        # imported here: the 820 reader is a tenth of the validator's start-up, and a file of
        # CCD+ payments never needs it
        from nacha_cs.codecs import ctx820

        assert entry.addenda_lines is not None
        remittance, problems = ctx820.check_for_validator(
            entry.addenda_lines,
            entry.amount,
            self.options.state,
            # only the DEDs _identification may say something about need placing
            placed_if=None if self.options.state is not None else _may_be_unnamed,
        )
        for problem in problems:
            self.add(problem)
        if remittance is None:
            return
        for placed in remittance.placed:
            if placed.ded is not None:
                self._identification(placed.line, placed.ded, placed.column, placed.end_column)

    def _close_child_support(self, entry: OpenEntry) -> None:
        """What the profile asks of an entry once all its addenda are in."""
        read = entry.addenda - entry.unchecked
        credit = entry.code in LIVE_CREDIT_CODES
        column = CCD_ENTRY.span("addenda_record_indicator")[0]
        if entry.sec == "CTX":
            if entry.addenda_lines:
                self._check_820(entry)
            elif credit:
                self.emit(
                    CTX_WITHOUT_820,
                    f"CTX credit at line {entry.line} has no addenda to carry its 820",
                    line=entry.line,
                    column=column,
                    field="addenda_record_indicator",
                )
        elif entry.sec == "CCD" and read == 0 and credit:
            self.emit(
                NO_DED,
                f"CCD credit at line {entry.line} has no addenda with a DED segment",
                line=entry.line,
                column=column,
                field="addenda_record_indicator",
            )
        if entry.sec in ("CCD", "CTX") and entry.addenda == 0 and entry.code in ZERO_DOLLAR_CODES:
            self.emit(
                ZERO_WITHOUT_ADDENDA,
                f"zero-dollar entry (transaction code {entry.code}) at line {entry.line} carries "
                "no addenda, so it carries nothing",
                line=entry.line,
                column=column,
                field="addenda_record_indicator",
            )

    def _sdu_debit(self, number: int, code: str, layout: Layout[Any]) -> None:
        self._field(
            SDU_DEBIT,
            layout,
            "transaction_code",
            f"debit code {code} takes money from the SDU; only a batch described REVERSAL "
            "may do that",
            number,
        )


def _may_be_unnamed(ded: Ded) -> bool:
    """Whether :meth:`ChildSupportChecks._identification` looks further than its first test
    at this DED with no state profile: only a blank SSN can leave a decoded DED unnamed."""
    return not ded.ssn.strip()
