"""Types of the compiled lane of `generate` (nacha_cs/employer/_lane.pyx) for mypy."""

import datetime as dt
from collections.abc import Callable, Collection, Sequence

DONE: int
SPAN: int
REST: int
UNSORTED_EMPLOYER: int
UNSORTED_EMPLOYEE: int
MORE: int
FIELD_ORDER: tuple[str, ...]

class Lane:
    employers_done: set[str]
    sort_employer: str | None
    sort_employee: str | None
    as_text: bool
    by_length: bool
    pay_dates: set[dt.date]
    limited_full: bool
    limited: int
    sequence: int
    records: int
    line_count: int
    report_count: int
    entries: int
    entry_hash: int
    credit: int
    debit: int
    employees: int
    rows: int
    fee_total: int
    fee_rows: list[str | int]
    last_employee: bytes | None
    last_fee: tuple[str, str, int] | None
    def __init__(
        self,
        positions: Sequence[int],
        width: int,
        *,
        true_words: Sequence[str],
        false_words: Sequence[str],
        date_of: Callable[[str], dt.date | None],
        name_of: Callable[[str, str], str | None],
        known_employers: Collection[str] | None,
        entry_slices: tuple[tuple[int, int], ...],
        addenda_slices: tuple[tuple[int, int], ...],
        max_amount: int,
        max_sequence: int,
        max_records: int,
        max_case: int,
        name_max: int,
        head: str,
        separator: str,
        terminator: str,
        full_ssn: bool,
        report: bool,
        fees: bool,
    ) -> None: ...
    def sdu(
        self, code: str, entry: str, addenda: str, rdfi: int, debit: bool, fips: str
    ) -> None: ...
    def remit_checked(self, code: str, pay_date: str) -> None: ...
    def employer(
        self,
        text: str | None,
        employer_id: str = ...,
        odfi: str = ...,
        percents: Sequence[int] = ...,
        per_period: int = ...,
        monthly_cap: int | None = ...,
        within_limit: bool = ...,
        history: bool = ...,
        exact: bool = ...,
    ) -> None: ...
    def fees_before(
        self, month: str, fees: dict[str, dict[str, int]], low: str, high: str | None
    ) -> None: ...
    def take(self) -> tuple[str, int, str, int, dict[str, tuple[int, int]]]: ...
    def run(
        self, data: bytes, position: int, row_number: int, final: bool, most_lines: int
    ) -> tuple[int, int, int, int]: ...
