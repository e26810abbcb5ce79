"""Types of the compiled extractor (nacha_cs/ach/_extract.pyx) for mypy."""

TEXT: int
CSV: int
JSON: int

class Extractor:
    records: int
    entries: int
    lines: int
    def __init__(self, mode: int, full_ssn: bool) -> None: ...
    def batch(self, prefix: bytes) -> None: ...
    def take(self) -> str: ...
    def extract(self, buf: bytes, pos: int, end: int) -> int: ...

class LedgerRows:
    records: int
    entries: int
    payments: int
    credit: int
    debit: int
    def __init__(self, kinds: bytes) -> None: ...
    def batch(self, file_id: int, position: int, company_id: str, company_ein: str) -> None: ...
    def extract(self, buf: bytes, pos: int, end: int, number: int, seq: int,
                entries: list[tuple[object, ...]], payments: list[object]) -> int: ...
