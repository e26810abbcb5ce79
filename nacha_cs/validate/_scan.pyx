# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The compiled scanner: proves CCD and CCD+ records clean exactly as the Python fast paths
of :class:`~nacha_cs.validate.engine.Validator` would accept them with no finding.

It never reports anything. Over a buffer of whole lines it walks record by record, keeping the
same running state the fast paths keep (counts, entry hash, debit and credit totals, the last
trace, the open entry), and stops at the first record it cannot prove: that record, and every
header or control record, goes to ``Validator.feed``, the only author of findings. The driver
(:mod:`nacha_cs.validate.scan`) moves the state across in both directions.

Column positions are fixed here for speed; :mod:`nacha_cs.validate.scan` compares
:data:`LAYOUT` with the field tables at import and refuses the scanner if they differ.
"""

from libc.stdint cimport int64_t, uint32_t, uint64_t
from libc.stdlib cimport free, realloc
from libc.string cimport memchr, memcmp, memcpy
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE

cdef enum:
    RECORD = 94
    # the entry's columns, 0-based [start, stop)
    CODE = 1
    RDFI = 3
    CHECK = 11
    ACCOUNT = 12
    ACCOUNT_END = 29
    AMOUNT = 29
    AMOUNT_END = 39
    NAME = 54
    NAME_END = 76
    INDICATOR = 78
    TRACE = 79
    TRACE_LEN = 15
    SEQ_LEN = 7
    # the addenda's columns
    A_TYPE = 1
    A_INFO = 3
    A_INFO_END = 83
    A_SEQ = 83
    A_ENTRY_SEQ = 87
    # flags of the per-batch code table
    F_OK = 1
    F_CREDIT = 2
    F_ZERO = 4
    F_BARE = 8

LAYOUT = (
    (CODE, RDFI), (RDFI, CHECK), (CHECK, CHECK + 1), (ACCOUNT, ACCOUNT_END),
    (AMOUNT, AMOUNT_END), (NAME, NAME_END), (INDICATOR, INDICATOR + 1), (TRACE, RECORD),
    (A_TYPE, A_INFO), (A_INFO, A_INFO_END), (A_SEQ, A_ENTRY_SEQ), (A_ENTRY_SEQ, RECORD),
)
"""(start, stop) of each column the scanner reads, in the order :mod:`.scan` checks them."""

FLAG_OK = F_OK
FLAG_CREDIT = F_CREDIT
FLAG_ZERO = F_ZERO
FLAG_BARE = F_BARE


cdef inline bint printable(const unsigned char* r) noexcept nogil:
    """All 94 bytes printable ASCII (0x20-0x7E): Python's isascii() and isprintable().

    Eight bytes at a time: a byte below 0x20 borrows into its top bit when 0x20 is taken
    away, a byte above 0x7E carries into it when 0x01 is added; either way, or a top bit
    already set (not ASCII), the word has a top bit set where its byte does not belong.
    """
    cdef uint64_t word, bad = 0
    cdef int i
    for i in range(0, 88, 8):
        memcpy(&word, r + i, 8)
        bad |= ((word - 0x2020202020202020ULL) | (word + 0x0101010101010101ULL) | word)
    memcpy(&word, r + 86, 8)  # the last eight bytes, overlapping the words before
    bad |= ((word - 0x2020202020202020ULL) | (word + 0x0101010101010101ULL) | word)
    return (bad & 0x8080808080808080ULL) == 0


cdef inline bint digits(const unsigned char* r, int start, int stop) noexcept nogil:
    cdef int i
    for i in range(start, stop):
        if r[i] < 48 or r[i] > 57:
            return False
    return True


cdef inline bint blank(const unsigned char* r, int start, int stop) noexcept nogil:
    cdef int i
    for i in range(start, stop):
        if r[i] != 32:
            return False
    return True


cdef inline int64_t number_of(const unsigned char* r, int start, int stop) noexcept nogil:
    cdef int64_t value = 0
    cdef int i
    for i in range(start, stop):
        value = value * 10 + (r[i] - 48)
    return value


cdef inline bint less_or_equal(const unsigned char* a, Py_ssize_t na,
                               const unsigned char* b, Py_ssize_t nb) noexcept nogil:
    """a <= b as Python compares two Latin-1 strings."""
    cdef Py_ssize_t n = na if na < nb else nb
    cdef int c = memcmp(a, b, n)
    if c != 0:
        return c < 0
    return na <= nb


cdef inline bint value_char(unsigned char c) noexcept nogil:
    """An element's character: printable ASCII but * and backslash."""
    return 0x20 <= c <= 0x7E and c != 42 and c != 92


cdef inline bint text(const unsigned char* v, int n, int low, int high) noexcept nogil:
    """An AN value of low..high characters, no space at either end (the fast regex's rule)."""
    cdef int i
    if n < low or n > high:
        return False
    for i in range(n):
        if not value_char(v[i]):
            return False
    return v[0] != 32 and v[n - 1] != 32


cdef inline bint real_date(const unsigned char* v) noexcept nogil:
    """YYMMDD with the fixed pivot (00-69 is 20YY), a day that exists in that month."""
    cdef int yy = (v[0] - 48) * 10 + (v[1] - 48)
    cdef int month = (v[2] - 48) * 10 + (v[3] - 48)
    cdef int day = (v[4] - 48) * 10 + (v[5] - 48)
    cdef int year = yy + (2000 if yy < 70 else 1900)
    cdef int last
    if month < 1 or month > 12 or day < 1:
        return False
    if month == 2:
        last = 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28
    elif month == 4 or month == 6 or month == 9 or month == 11:
        last = 30
    else:
        last = 31
    return day <= last


cdef int64_t ded_amount(const unsigned char* r) noexcept nogil:
    """DED04 of a segment in columns 4-83 that cannot draw any finding, else -1.

    The same verdict as ``nacha_cs.codecs.ded_fast.amount_reader`` (strict policy, YYMMDD):
    DED*CS, a case of 1-20, a real pay date, 1-10 digits of cents, an issuable SSN, Y or N,
    then an optional name (1-10), FIPS (5 or 7) and Y, no empty last element, the backslash,
    spaces to column 83. A zero amount passes only with DED09 = Y.
    """
    cdef const unsigned char* f = r + A_INFO
    cdef int size = A_INFO_END - A_INFO
    cdef int stop
    cdef const unsigned char* found
    cdef int i, begin, n
    cdef int starts[9]
    cdef int ends[9]
    cdef int parts = 0
    cdef const unsigned char* v
    cdef int64_t cents
    if memcmp(f, b"DED*CS*", 7) != 0:
        return -1
    found = <const unsigned char*>memchr(f + 7, 92, size - 7)
    if found == NULL:
        return -1
    stop = found - f
    for i in range(stop + 1, size):
        if f[i] != 32:
            return -1
    if f[stop - 1] == 42:
        return -1  # an empty last element
    begin = 7
    for i in range(7, stop + 1):
        if i == stop or f[i] == 42:
            if parts == 8:
                return -1
            starts[parts] = begin
            ends[parts] = i
            parts += 1
            begin = i + 1
    if parts < 5:
        return -1
    # DED02 case identifier
    if not text(f + starts[0], ends[0] - starts[0], 1, 20):
        return -1
    # DED03 pay date
    v = f + starts[1]
    if ends[1] - starts[1] != 6 or not digits(v, 0, 6) or not real_date(v):
        return -1
    # DED04 amount
    v = f + starts[2]
    n = ends[2] - starts[2]
    if n < 1 or n > 10 or not digits(v, 0, n):
        return -1
    cents = number_of(v, 0, n)
    # DED05 SSN: nine digits that could have been issued
    v = f + starts[3]
    if ends[3] - starts[3] != 9 or not digits(v, 0, 9):
        return -1
    if v[0] == 57 or memcmp(v, b"000", 3) == 0 or memcmp(v, b"666", 3) == 0:
        return -1
    if memcmp(v + 3, b"00", 2) == 0 or memcmp(v + 5, b"0000", 4) == 0:
        return -1
    # DED06 medical support
    v = f + starts[4]
    if ends[4] - starts[4] != 1 or (v[0] != 89 and v[0] != 78):
        return -1
    # DED07 name, DED08 FIPS: optional, empty only when a later element follows
    if parts > 5:
        n = ends[5] - starts[5]
        if n and not text(f + starts[5], n, 1, 10):
            return -1
    if parts > 6:
        n = ends[6] - starts[6]
        if n and not (text(f + starts[6], n, 5, 7) and n != 6):
            return -1
    # DED09 termination: Y, the only code
    if parts > 7:
        v = f + starts[7]
        if ends[7] - starts[7] != 1 or v[0] != 89:
            return -1
    elif cents == 0:
        return -1
    return cents


cdef class Scanner:
    """Proves records for one batch at a time; :meth:`scan` reports what it took as attributes.

    The driver calls :meth:`batch` when the open batch changes, then :meth:`scan` at each
    record the Python validator has just left; after a scan that moved, the attributes say
    what to add to the batch and which entry is now open.
    """

    cdef unsigned char codes[100]
    cdef bytes odfi
    cdef int64_t limit
    cdef bint ded
    cdef bint keep
    # what the last scan took
    cdef public int64_t records, entries, addenda, entry_hash, credit, debit
    cdef public bytes first_trace, last_trace
    # the open entry after the last scan
    cdef public int64_t entry_line, entry_amount
    cdef public int entry_addenda
    cdef public bint new_entry
    cdef public Py_ssize_t entry_at
    cdef int64_t* traces
    cdef uint32_t* lines
    cdef Py_ssize_t kept, room

    def __cinit__(self):
        self.traces = NULL
        self.lines = NULL
        self.kept = 0
        self.room = 0

    def __dealloc__(self):
        free(self.traces)
        free(self.lines)

    def batch(self, bytes codes, bytes odfi, int64_t limit, bint ded, bint keep):
        """The open batch: flags of codes 00-99 (FLAG_*), the ODFI traces start with, the
        largest amount, whether addenda carry a DED, whether entry traces are kept."""
        if PyBytes_GET_SIZE(codes) != 100:
            raise ValueError("the code table has one byte for each code 00-99")
        memcpy(self.codes, PyBytes_AS_STRING(codes), 100)
        self.odfi = odfi
        self.limit = limit
        self.ded = ded
        self.keep = keep

    cdef int keep_trace(self, int64_t trace, int64_t line) except -1:
        cdef Py_ssize_t room
        cdef void* grown
        if self.kept == self.room:
            room = self.room * 2 if self.room else 8192
            grown = realloc(self.traces, room * sizeof(int64_t))
            if grown == NULL:
                raise MemoryError()
            self.traces = <int64_t*>grown
            grown = realloc(self.lines, room * sizeof(uint32_t))
            if grown == NULL:
                raise MemoryError()
            self.lines = <uint32_t*>grown
            self.room = room
        self.traces[self.kept] = trace
        self.lines[self.kept] = <uint32_t>line
        self.kept += 1
        return 0

    def take_traces(self):
        """(traces as array('q') bytes, their lines as array('I') bytes) kept since last asked."""
        out = (
            PyBytes_FromStringAndSize(<char*>self.traces, self.kept * sizeof(int64_t)),
            PyBytes_FromStringAndSize(<char*>self.lines, self.kept * sizeof(uint32_t)),
        )
        self.kept = 0
        return out

    def scan(self, bytes buf, Py_ssize_t pos, Py_ssize_t end, int64_t number,
             bytes last_trace, int closes_silently, int takes_addenda, int64_t amount,
             bytes trace, bytes indicator):
        """Prove records from ``pos`` (a line start) up to ``end`` (just past a line feed);
        return where the first record not proven starts.

        The open entry comes in as: whether a new entry may close it with no finding,
        whether a DED addenda may follow it on the fast path, its amount, trace and
        addenda indicator. ``number`` is the record number of the last record fed.
        """
        cdef const unsigned char* p = <const unsigned char*>PyBytes_AS_STRING(buf)
        cdef const unsigned char* r
        cdef const unsigned char* last = <const unsigned char*>PyBytes_AS_STRING(last_trace)
        cdef Py_ssize_t last_len = PyBytes_GET_SIZE(last_trace)
        cdef const unsigned char* odfi = <const unsigned char*>PyBytes_AS_STRING(self.odfi)
        cdef Py_ssize_t odfi_len = PyBytes_GET_SIZE(self.odfi)
        cdef const unsigned char* open_trace = NULL
        cdef unsigned char open_indicator = 0
        cdef unsigned char flags
        cdef Py_ssize_t next_pos
        cdef int code, total, i
        cdef int64_t value, first_line = 0
        cdef int64_t records = 0, entries = 0, addenda = 0, entry_hash = 0
        cdef int64_t credit = 0, debit = 0
        cdef int64_t entry_line = 0
        cdef int entry_addenda = 0
        cdef bint new_entry = False
        cdef Py_ssize_t first_at = -1
        cdef const unsigned char* weights = b"\x03\x07\x01\x03\x07\x01\x03\x07"
        if PyBytes_GET_SIZE(trace) == TRACE_LEN:
            open_trace = <const unsigned char*>PyBytes_AS_STRING(trace)
        elif takes_addenda:
            takes_addenda = 0
        if PyBytes_GET_SIZE(indicator) == 1:
            open_indicator = (<const unsigned char*>PyBytes_AS_STRING(indicator))[0]
        while pos + RECORD < end:
            r = p + pos
            if r[RECORD] == 10:
                next_pos = pos + RECORD + 1
            elif r[RECORD] == 13 and pos + RECORD + 1 < end and r[RECORD + 1] == 10:
                next_pos = pos + RECORD + 2
            else:
                break  # not a 94-character line: the Python reader's rules cut it
            if not printable(r):
                break
            if r[0] == 54:  # "6": the entry fast path's checks
                if not closes_silently:
                    break
                if not (digits(r, CODE, CHECK + 1) and digits(r, AMOUNT, AMOUNT_END)
                        and digits(r, TRACE, RECORD)):
                    break
                code = (r[CODE] - 48) * 10 + (r[CODE + 1] - 48)
                flags = self.codes[code]
                if not (flags & F_OK):
                    break
                total = 0
                for i in range(8):
                    total += (r[RDFI + i] - 48) * weights[i]
                if r[CHECK] - 48 != (10 - total % 10) % 10:
                    break
                if r[INDICATOR] != 48 and r[INDICATOR] != 49:
                    break
                value = number_of(r, AMOUNT, AMOUNT_END)
                if (value == 0) != ((flags & F_ZERO) != 0) or value > self.limit:
                    break
                if less_or_equal(r + TRACE, TRACE_LEN, last, last_len):
                    break
                if odfi_len > TRACE_LEN or memcmp(r + TRACE, odfi, odfi_len) != 0:
                    break
                if blank(r, ACCOUNT, ACCOUNT_END) or blank(r, NAME, NAME_END):
                    break
                number += 1
                records += 1
                entries += 1
                entry_hash += number_of(r, RDFI, CHECK)
                if flags & F_CREDIT:
                    credit += value
                else:
                    debit += value
                if self.keep:
                    self.keep_trace(number_of(r, TRACE, RECORD), number)
                if first_at < 0:
                    first_at = pos + TRACE
                last = r + TRACE
                last_len = TRACE_LEN
                open_trace = r + TRACE
                open_indicator = r[INDICATOR]
                amount = value
                entry_line = number
                self.entry_at = pos
                entry_addenda = 0
                new_entry = True
                takes_addenda = 1
                # closing it with no addenda says nothing only under an indicator of 0
                closes_silently = open_indicator == 48 and (flags & F_BARE) != 0
            elif r[0] == 55:  # "7": the DED addenda fast path's checks
                if not takes_addenda:
                    break
                if r[A_TYPE] != 48 or r[A_TYPE + 1] != 53:
                    break
                if memcmp(r + A_SEQ, b"0001", 4) != 0:
                    break
                if memcmp(r + A_ENTRY_SEQ, open_trace + TRACE_LEN - SEQ_LEN, SEQ_LEN) != 0:
                    break
                if self.ded and ded_amount(r) != amount:
                    break
                number += 1
                records += 1
                addenda += 1
                entry_addenda = 1
                takes_addenda = 0
                # one addenda under an indicator of 1: the fast path never closes it
                closes_silently = open_indicator == 49
            else:
                break
            pos = next_pos
        self.records = records
        self.entries = entries
        self.addenda = addenda
        self.entry_hash = entry_hash
        self.credit = credit
        self.debit = debit
        self.new_entry = new_entry
        self.entry_line = entry_line
        self.entry_amount = amount
        self.entry_addenda = entry_addenda
        if new_entry:
            self.first_trace = PyBytes_FromStringAndSize(<char*>p + first_at, TRACE_LEN)
            self.last_trace = PyBytes_FromStringAndSize(<char*>last, TRACE_LEN)
        return pos


def ded_amount_of(bytes record):
    """DED04 of a 94-character addenda the scanner proves, else None (for the tests that hold
    it to ``nacha_cs.codecs.ded_fast.amount_reader``)."""
    if PyBytes_GET_SIZE(record) != RECORD:
        raise ValueError("an addenda record is 94 bytes")
    cdef int64_t cents = ded_amount(<const unsigned char*>PyBytes_AS_STRING(record))
    return None if cents < 0 else cents
