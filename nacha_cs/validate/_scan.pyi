"""Types of the compiled scanner (nacha_cs/validate/_scan.pyx) for mypy."""

LAYOUT: tuple[tuple[int, int], ...]
FLAG_OK: int
FLAG_CREDIT: int
FLAG_ZERO: int
FLAG_BARE: int

class Scanner:
    records: int
    entries: int
    addenda: int
    entry_hash: int
    credit: int
    debit: int
    first_trace: bytes
    last_trace: bytes
    entry_line: int
    entry_amount: int
    entry_addenda: int
    new_entry: bool
    entry_at: int
    def batch(self, codes: bytes, odfi: bytes, limit: int, ded: bool, keep: bool) -> None: ...
    def take_traces(self) -> tuple[bytes, bytes]: ...
    def scan(
        self,
        buf: bytes,
        pos: int,
        end: int,
        number: int,
        last_trace: bytes,
        closes_silently: int,
        takes_addenda: int,
        amount: int,
        trace: bytes,
        indicator: bytes,
    ) -> int: ...
    def ctx_addenda(
        self,
        buf: bytes,
        pos: int,
        end: int,
        number: int,
        read: int,
        room: int,
        sequence: bytes,
        lines: list[tuple[int, str]],
    ) -> int: ...

def ded_amount_of(record: bytes) -> int | None: ...
