"""The six NACHA record types, each declared once as a field table.

Each record class is an attrs class whose fields carry their NACHA position in metadata. The
:class:`Layout` built from that class is the single source for parsing and formatting, and it
checks at import time that its fields tile columns 1-94 exactly, so a mistyped position fails
loudly before any file is touched.

Kinds:

* ``N``  - a quantity (amount, count, hash, sequence): right-justified, zero-filled, an ``int``.
* ``ID`` - a code made of digits (routing, transaction code, date, trace): held as ``str``; it
  must be digits, and formatting zero-fills it on the left.
* ``AN`` - alphanumeric: left-justified, space-filled, held as ``str`` without trailing spaces.

A parsed record whose problems name a numeric field holds ``None`` in that field: a value that
is not a number is never turned into one by skipping characters.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any, ClassVar, Generic, Literal, TypeVar, cast

import attrs

from nacha_cs.findings import Finding, Rule, rule

RECORD_LENGTH = 94
BLOCKING_FACTOR = 10
"""Records per block: a file holds a whole number of blocks, padded with lines of nines."""
Kind = Literal["N", "ID", "AN"]
Inclusion = Literal["M", "R", "O"]

NON_DIGITS = rule(
    "FLD001",
    "error",
    "A numeric field holds something other than digits",
    "Numeric fields are right-justified and zero-filled: digits 0-9 only, no spaces or signs.",
)
MANDATORY_BLANK = rule(
    "FLD002",
    "error",
    "A mandatory field is blank",
    "Fill the field; the ACH operator rejects a record whose mandatory fields are blank.",
)
REQUIRED_BLANK = rule(
    "FLD003",
    "warning",
    "A required field is blank",
    "Fill the field; receiving banks may return entries whose required fields are blank.",
)
WRONG_CONSTANT = rule(
    "FLD004",
    "error",
    "A field that has one allowed value holds another",
    "Use the value the NACHA rules fix for this field (for example record size 094).",
)
RESERVED_NOT_BLANK = rule(
    "FLD005",
    "warning",
    "A reserved field is not blank",
    "Leave reserved positions as spaces.",
)


def is_digits(text: str) -> bool:
    """True when ``text`` is one or more ASCII digits 0-9.

    ``str.isdigit`` alone also accepts other scripts' digits and superscripts (``'²'``), which
    ``int()`` then refuses or reads as another number; every digit test on record text is this.

    >>> is_digits("0123"), is_digits("²"), is_digits(""), is_digits("1 2")
    (True, False, False, False)
    """
    return text.isdigit() and text.isascii()


class FieldOverflowError(ValueError):
    """A value does not fit its field; raised when building, never when parsing."""


@attrs.frozen(slots=True)
class FieldSpec:
    """One row of a record's field table, positions 1-based and inclusive as NACHA prints them."""

    name: str
    start: int
    end: int
    kind: Kind
    inclusion: Inclusion = "M"
    constant: str | None = None
    reserved: bool = False

    @property
    def width(self) -> int:
        return self.end - self.start + 1

    @property
    def title(self) -> str:
        return self.name.replace("_", " ")


def fld(
    start: int,
    end: int,
    kind: Kind,
    inclusion: Inclusion = "M",
    *,
    constant: str | None = None,
    reserved: bool = False,
    default: Any = attrs.NOTHING,
) -> Any:
    """An attrs field that knows where it sits in the 94-character record."""
    if constant is not None and default is attrs.NOTHING:
        default = constant
    if reserved and default is attrs.NOTHING:
        default = ""
    spec = {"nacha": (start, end, kind, inclusion, constant, reserved)}
    return attrs.field(default=default, metadata=spec, kw_only=True)


R = TypeVar("R")


class Layout(Generic[R]):
    """Parsing and formatting derived from one record class's field table.

    Generic over the record class, so what :meth:`parse` returns is typed and a misspelt field
    name is a mypy error, not an AttributeError at run time.
    """

    def __init__(self, cls: type[R], record_type: str) -> None:
        self.cls = cls
        self.record_type = record_type
        self.fields: tuple[FieldSpec, ...] = tuple(
            FieldSpec(a.name, *a.metadata["nacha"])
            for a in attrs.fields(cast(Any, cls))
            if "nacha" in a.metadata
        )
        self._check_tiling()
        self._compile_template()
        self.by_name = {f.name: f for f in self.fields}
        self._getter: Callable[[str], tuple[str, ...]] = operator.itemgetter(
            *(slice(f.start - 1, f.end) for f in self.fields)
        )

    def _check_tiling(self) -> None:
        position = 2  # column 1 is the record type code
        for f in self.fields:
            if f.start != position or f.end < f.start:
                raise AssertionError(
                    f"{self.cls.__name__}.{f.name} starts at {f.start}, expected {position}"
                )
            position = f.end + 1
        if position != RECORD_LENGTH + 1:
            raise AssertionError(f"{self.cls.__name__} fields end at {position - 1}, not 94")

    def slices(self, line: str) -> tuple[str, ...]:
        """The raw text of every field, in table order."""
        return self._getter(line)

    def parse(self, line: str, line_number: int | None = None) -> tuple[R, list[Finding]]:
        """Read a record; never raises on content, returns the problems it saw."""
        if len(line) != RECORD_LENGTH:
            line = line[:RECORD_LENGTH].ljust(RECORD_LENGTH)
        values: dict[str, Any] = {}
        problems: list[Finding] = []
        for spec, raw in zip(self.fields, self._getter(line)):
            value, problem = _read_field(spec, raw, line_number)
            values[spec.name] = value
            if problem is not None:
                problems.append(problem)
        return self.cls(**values), problems

    def _compile_template(self) -> None:
        """One str.format template for the common case; checked after, never trusted blindly."""
        parts = [self.record_type]
        for index, spec in enumerate(self.fields):
            parts.append(_slot(index, spec))
        self._template = "".join(parts)
        self._values: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(
            *(spec.name for spec in self.fields)
        )
        self._numbers = tuple(i for i, spec in enumerate(self.fields) if spec.kind == "N")
        self._codes = tuple(i for i, spec in enumerate(self.fields) if spec.kind == "ID")

    def format(self, record: R) -> str:
        """Render a record; raises FieldOverflowError when a value does not fit.

        The template renders the usual record in one call; anything unusual (a blank optional
        number, a value too long, a negative amount, non-digits in a code) is rendered field by
        field instead, which raises with the field's name, columns and overflow.
        """
        values = self._values(record)
        try:
            text = self._template.format(*values)
            ok = len(text) == RECORD_LENGTH and text.isascii() and text.isprintable()
            if ok and self._numbers:
                numbers = [values[i] for i in self._numbers]
                ok = min(numbers) >= 0 and not any(map(bool.__instancecheck__, numbers))
            if ok and self._codes:
                codes = [values[i] for i in self._codes]
                ok = is_digits("".join(codes)) and all(codes)
        except (ValueError, TypeError):
            ok = False
        if ok:
            return text
        return self._format_fields(record)

    def template(self, record: R, open_fields: tuple[str, ...]) -> str:
        """``record`` as :meth:`format` renders it, with ``open_fields`` left as positional
        ``str.format`` slots ``{0}``, ``{1}``, ... in the order given.

        For writers that emit many records differing in a few fields: the fixed fields are
        rendered (and checked) once here; the caller fills the slots and must pass values
        that fit them, as :meth:`format` would check (it re-checks nothing).
        """
        slots = {name: index for index, name in enumerate(open_fields)}
        unknown = set(slots) - set(self.by_name)
        if unknown:
            raise ValueError(f"{self.cls.__name__} has no field {', '.join(sorted(unknown))}")
        parts = [self.record_type]
        for spec in self.fields:
            if spec.name in slots:
                parts.append(_slot(slots[spec.name], spec))
            else:
                text = format_field(spec, getattr(record, spec.name), type(record).__name__)
                parts.append(text.replace("{", "{{").replace("}", "}}"))
        return "".join(parts)

    def _format_fields(self, record: R) -> str:
        parts = [self.record_type]
        for spec in self.fields:
            parts.append(format_field(spec, getattr(record, spec.name), type(record).__name__))
        return "".join(parts)

    def span(self, name: str) -> tuple[int, int]:
        """A field's first and last column, 1-based and inclusive as NACHA prints them."""
        spec = self.by_name[name]
        return spec.start, spec.end

    def slice(self, name: str) -> slice:
        """Where a field sits in the record's text, for code that reads one field fast.

        >>> line = FILE_HEADER.format(FileHeader(immediate_destination=" 091000019",
        ...     immediate_origin="1234567890", file_creation_date="261120"))
        >>> line[FILE_HEADER.slice("immediate_destination")]
        ' 091000019'
        """
        spec = self.by_name[name]
        return slice(spec.start - 1, spec.end)

    def width(self, name: str) -> int:
        return self.by_name[name].width

    def largest(self, name: str) -> int:
        """The largest number a field can hold: 10 digits hold 9,999,999,999."""
        return int(10 ** self.by_name[name].width) - 1


def _at(which: Rule, spec: FieldSpec, line: int | None, message: str) -> Finding:
    return which.finding(
        message, line=line, column=spec.start, end_column=spec.end, field=spec.name
    )


def _slot(index: int, spec: FieldSpec) -> str:
    """The str.format slot that renders one field: zero-filled numbers and codes, padded text."""
    if spec.kind == "N":
        return f"{{{index}:0{spec.width}d}}"
    if spec.kind == "ID":
        return f"{{{index}:0>{spec.width}}}"
    return f"{{{index}:<{spec.width}}}"


def _read_field(spec: FieldSpec, raw: str, line: int | None) -> tuple[Any, Finding | None]:
    if spec.reserved:
        if raw.strip(" "):
            return raw.rstrip(" "), _at(
                RESERVED_NOT_BLANK,
                spec,
                line,
                f"{spec.title} (columns {spec.start}-{spec.end}) should be blank, holds {raw!r}",
            )
        return "", None
    if spec.constant is not None and raw != spec.constant:
        value: Any = raw if spec.kind != "N" or not is_digits(raw) else int(raw)
        return value, _at(
            WRONG_CONSTANT, spec, line, f"{spec.title} must be {spec.constant!r}, found {raw!r}"
        )
    blank = not raw.strip(" ")
    if blank:
        if spec.inclusion == "M":
            empty: Any = None if spec.kind == "N" else ""
            return empty, _at(
                MANDATORY_BLANK,
                spec,
                line,
                f"{spec.title} (columns {spec.start}-{spec.end}) is mandatory but blank",
            )
        if spec.kind == "N":
            return None, None
        problem = None
        if spec.inclusion == "R":
            problem = _at(
                REQUIRED_BLANK,
                spec,
                line,
                f"{spec.title} (columns {spec.start}-{spec.end}) is required but blank",
            )
        return "", problem
    if spec.kind == "AN":
        return raw.rstrip(" "), None
    if not is_digits(raw):
        bad = next(i for i, c in enumerate(raw) if not ("0" <= c <= "9"))
        return (None if spec.kind == "N" else raw), NON_DIGITS.finding(
            f"{spec.title} must be digits, found {raw!r} "
            f"({raw[bad]!r} at column {spec.start + bad})",
            line=line,
            column=spec.start,
            end_column=spec.end,
            field=spec.name,
        )
    return (int(raw) if spec.kind == "N" else raw), None


def format_field(spec: FieldSpec, value: Any, record_name: str = "record") -> str:
    """One field's text; a value that does not fit is an error, never silently cut."""
    width = spec.width
    where = f"{record_name}.{spec.name} (columns {spec.start}-{spec.end}, {width} characters)"
    if spec.kind == "N":
        if value is None and spec.inclusion != "M":
            return " " * width
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise FieldOverflowError(f"{where} needs a non-negative whole number, got {value!r}")
        text = str(value)
        if len(text) > width:
            raise FieldOverflowError(
                f"{where}: {value} needs {len(text)} digits, {len(text) - width} too many"
            )
        return text.zfill(width)
    text = "" if value is None else str(value)
    if not text.isascii() or not text.isprintable():
        raise FieldOverflowError(f"{where}: {text!r} holds characters outside printable ASCII")
    if len(text) > width:
        raise FieldOverflowError(
            f"{where}: {text!r} is {len(text)} characters, {len(text) - width} too many"
        )
    if spec.kind == "ID":
        if text and not is_digits(text):
            raise FieldOverflowError(f"{where}: {text!r} must be digits")
        if not text:
            return " " * width
        return text.zfill(width)
    return text.ljust(width)


def clean_pattern(layout: Layout[Any]) -> re.Pattern[str]:
    """Matches exactly the 94-character records ``layout.parse`` reads without a finding."""
    parts = [re.escape(layout.record_type)]
    for spec in layout.fields:
        width = spec.width
        if spec.reserved:
            parts.append(f" {{{width}}}")
        elif spec.constant is not None:
            parts.append(re.escape(spec.constant))
        elif spec.kind == "AN":
            blank_ok = spec.inclusion == "O"
            parts.append(f".{{{width}}}" if blank_ok else f"(?! {{{width}}}).{{{width}}}")
        elif spec.inclusion == "M" or (spec.inclusion == "R" and spec.kind == "ID"):
            parts.append(f"[0-9]{{{width}}}")
        else:
            parts.append(f"(?:[0-9]{{{width}}}| {{{width}}})")
    return re.compile("".join(parts), re.DOTALL)


def clean_record(layout: Layout[R]) -> Callable[[str], R | None]:
    """The record ``layout.parse`` would read from a line without a finding, or None when it
    would find something: one regex (:func:`clean_pattern`) proves the line clean, then each
    field is converted as ``parse`` converts a clean field (:func:`_read_field`). A batch header
    and a batch control per batch of a large file otherwise cost more than the entries between
    them on describe's compiled lane, so the conversion is one expression per field, written
    from the field table (as attrs writes its ``__init__``)."""
    cells = []
    for index, spec in enumerate(layout.fields):
        raw = f"v[{index}]"
        blank_ok = spec.inclusion == "O" or (spec.inclusion == "R" and spec.kind == "N")
        if spec.reserved:
            value = '""'
        elif spec.kind == "AN":
            value = f'{raw}.rstrip(" ")'
        elif spec.kind == "N":
            value = f'(int({raw}) if {raw}.strip(" ") else None)' if blank_ok else f"int({raw})"
        else:
            blank_ok = blank_ok and spec.constant is None
            value = f'({raw} if {raw}.strip(" ") else "")' if blank_ok else raw
        cells.append(f"{spec.name}={value}")
    source = (
        "def read(line):\n"
        "    if len(line) != size or not clean(line):\n"
        "        return None\n"
        "    v = slices(line)\n"
        f"    return build({', '.join(cells)})\n"
    )
    scope: dict[str, Any] = {
        "size": RECORD_LENGTH,
        "clean": clean_pattern(layout).fullmatch,
        "slices": layout.slices,
        "build": layout.cls,
    }
    exec(compile(source, f"<clean {layout.cls.__name__}>", "exec"), scope)
    read: Callable[[str], R | None] = scope["read"]
    return read


@attrs.define(slots=True)
class FileHeader:
    record_type: ClassVar[str] = "1"
    priority_code: str = fld(2, 3, "ID", "R", constant="01")
    immediate_destination: str = fld(4, 13, "AN")
    immediate_origin: str = fld(14, 23, "AN")
    file_creation_date: str = fld(24, 29, "ID")
    file_creation_time: str = fld(30, 33, "ID", "O", default="")
    file_id_modifier: str = fld(34, 34, "AN", default="A")
    record_size: str = fld(35, 37, "ID", constant="094")
    blocking_factor: str = fld(38, 39, "ID", constant="10")
    format_code: str = fld(40, 40, "ID", constant="1")
    immediate_destination_name: str = fld(41, 63, "AN", "O", default="")
    immediate_origin_name: str = fld(64, 86, "AN", "O", default="")
    reference_code: str = fld(87, 94, "AN", "O", default="")


@attrs.define(slots=True)
class BatchHeader:
    record_type: ClassVar[str] = "5"
    service_class_code: str = fld(2, 4, "ID")
    company_name: str = fld(5, 20, "AN")
    company_discretionary_data: str = fld(21, 40, "AN", "O", default="")
    company_identification: str = fld(41, 50, "AN")
    standard_entry_class_code: str = fld(51, 53, "AN")
    company_entry_description: str = fld(54, 63, "AN")
    company_descriptive_date: str = fld(64, 69, "AN", "O", default="")
    effective_entry_date: str = fld(70, 75, "ID", "R")
    settlement_date: str = fld(76, 78, "AN", "O", default="")
    originator_status_code: str = fld(79, 79, "ID", default="1")
    originating_dfi_identification: str = fld(80, 87, "ID")
    batch_number: int = fld(88, 94, "N")


@attrs.define(slots=True)
class Addenda:
    record_type: ClassVar[str] = "7"
    addenda_type_code: str = fld(2, 3, "ID", constant="05")
    payment_related_information: str = fld(4, 83, "AN", "O", default="")
    addenda_sequence_number: int = fld(84, 87, "N")
    entry_detail_sequence_number: int = fld(88, 94, "N")


@attrs.define(slots=True)
class CcdEntry:
    """Entry Detail in its CCD layout: 40-54 identification, 55-76 receiving company name."""

    record_type: ClassVar[str] = "6"
    sec_code: ClassVar[str] = "CCD"
    transaction_code: str = fld(2, 3, "ID")
    receiving_dfi_identification: str = fld(4, 11, "ID")
    check_digit: str = fld(12, 12, "ID")
    dfi_account_number: str = fld(13, 29, "AN", "R")
    amount: int = fld(30, 39, "N")
    identification_number: str = fld(40, 54, "AN", "O", default="")
    receiving_company_name: str = fld(55, 76, "AN", "R")
    discretionary_data: str = fld(77, 78, "AN", "O", default="")
    addenda_record_indicator: str = fld(79, 79, "ID")
    trace_number: str = fld(80, 94, "ID")
    addenda: list[Addenda] = attrs.field(factory=list, kw_only=True)


@attrs.define(slots=True)
class CtxEntry:
    """Entry Detail in its CTX layout: 55-58 addenda count, 59-74 receiver, 75-76 reserved."""

    record_type: ClassVar[str] = "6"
    sec_code: ClassVar[str] = "CTX"
    transaction_code: str = fld(2, 3, "ID")
    receiving_dfi_identification: str = fld(4, 11, "ID")
    check_digit: str = fld(12, 12, "ID")
    dfi_account_number: str = fld(13, 29, "AN", "R")
    amount: int = fld(30, 39, "N")
    identification_number: str = fld(40, 54, "AN", "O", default="")
    number_of_addenda_records: int = fld(55, 58, "N")
    receiving_company_name: str = fld(59, 74, "AN", "R")
    reserved: str = fld(75, 76, "AN", "O", reserved=True)
    discretionary_data: str = fld(77, 78, "AN", "O", default="")
    addenda_record_indicator: str = fld(79, 79, "ID")
    trace_number: str = fld(80, 94, "ID")
    addenda: list[Addenda] = attrs.field(factory=list, kw_only=True)


@attrs.define(slots=True)
class BatchControl:
    record_type: ClassVar[str] = "8"
    service_class_code: str = fld(2, 4, "ID")
    entry_addenda_count: int = fld(5, 10, "N")
    entry_hash: int = fld(11, 20, "N")
    total_debit_amount: int = fld(21, 32, "N")
    total_credit_amount: int = fld(33, 44, "N")
    company_identification: str = fld(45, 54, "AN", "R")
    message_authentication_code: str = fld(55, 73, "AN", "O", default="")
    reserved: str = fld(74, 79, "AN", "O", reserved=True)
    originating_dfi_identification: str = fld(80, 87, "ID")
    batch_number: int = fld(88, 94, "N")


@attrs.define(slots=True)
class FileControl:
    record_type: ClassVar[str] = "9"
    batch_count: int = fld(2, 7, "N")
    block_count: int = fld(8, 13, "N")
    entry_addenda_count: int = fld(14, 21, "N")
    entry_hash: int = fld(22, 31, "N")
    total_debit_amount: int = fld(32, 43, "N")
    total_credit_amount: int = fld(44, 55, "N")
    reserved: str = fld(56, 94, "AN", "O", reserved=True)


Entry = CcdEntry | CtxEntry
Record = FileHeader | BatchHeader | CcdEntry | CtxEntry | Addenda | BatchControl | FileControl

FILE_HEADER = Layout(FileHeader, "1")
BATCH_HEADER = Layout(BatchHeader, "5")
CCD_ENTRY = Layout(CcdEntry, "6")
CTX_ENTRY = Layout(CtxEntry, "6")
ADDENDA = Layout(Addenda, "7")
BATCH_CONTROL = Layout(BatchControl, "8")
FILE_CONTROL = Layout(FileControl, "9")

LAYOUTS: dict[type, Layout[Any]] = {
    layout.cls: layout
    for layout in (
        FILE_HEADER,
        BATCH_HEADER,
        CCD_ENTRY,
        CTX_ENTRY,
        ADDENDA,
        BATCH_CONTROL,
        FILE_CONTROL,
    )
}
PADDING_LINE = "9" * RECORD_LENGTH
"""What fills the last block after the file control."""

# Limits, each read from the width of the field that holds it.
PAYMENT_INFO_WIDTH = ADDENDA.width("payment_related_information")
"""The 80 characters of payment related information one addenda carries."""
MAX_ADDENDA = CTX_ENTRY.largest("number_of_addenda_records")
"""9,999: the most addenda one entry may carry (CTX's 4-digit count and sequence number)."""
MAX_BATCH_RECORDS = BATCH_CONTROL.largest("entry_addenda_count")
"""999,999: the most entries and addenda one batch control can count."""
HASH_MODULUS = 10 ** BATCH_CONTROL.width("entry_hash")
"""10**10: entry hashes keep their low 10 digits."""
MAX_AMOUNT = CCD_ENTRY.largest("amount")
"""$99,999,999.99 in cents: what an entry's 10-digit amount field can hold."""
MAX_SEQUENCE = ADDENDA.largest("entry_detail_sequence_number")
"""9,999,999: the last 7 digits of a trace number, so the most entries one file can number."""


def entry_layout(sec_code: str) -> Layout[CcdEntry] | Layout[CtxEntry]:
    """CTX entries have their own layout; every other class we read uses the CCD one."""
    return CTX_ENTRY if sec_code == "CTX" else CCD_ENTRY


def format_record(record: Record) -> str:
    return LAYOUTS[type(record)].format(record)
