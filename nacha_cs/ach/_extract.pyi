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
