# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The compiled scanner: proves CCD and CCD+ records clean exactly as the Python fast paths
of :class:`~nacha_cs.validate.engine.Validator` would accept them with no finding, and takes a
CTX entry's 05 addenda that its exact path would find nothing in (:meth:`Scanner.ctx_addenda`).

It never reports anything. Over a buffer of whole lines it walks record by record, keeping the
same running state the fast paths keep (counts, entry hash, debit and credit totals, the last
trace, the open entry), and stops at the first record it cannot prove: that record, and every
header or control record, goes to ``Validator.feed``, the only author of findings. The driver
(:mod:`nacha_cs.validate.scan`) moves the state across in both directions.

Column positions are fixed here for speed; :mod:`nacha_cs.validate.scan` compares
:data:`LAYOUT` with the field tables at import and refuses the scanner if they differ.
"""

from libc.stdint cimport int64_t, uint32_t
from libc.stdlib cimport free, realloc
from libc.string cimport memcmp, memcpy

from nacha_cs.ach._lex cimport blank, digits, ded_read, line_end, number_of, printable
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.list cimport PyList_Append
from cpython.unicode cimport PyUnicode_DecodeASCII

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
    A_INFO_LEN = 80
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


cdef inline bint less_or_equal(const unsigned char* a, Py_ssize_t na,
                               const unsigned char* b, Py_ssize_t nb) noexcept nogil:
    """a <= b as Python compares two Latin-1 strings."""
    cdef Py_ssize_t n = na if na < nb else nb
    cdef int c = memcmp(a, b, n)
    if c != 0:
        return c < 0
    return na <= nb


cdef inline int64_t ded_amount(const unsigned char* r) noexcept nogil:
    """DED04 of an addenda's DED that cannot draw any finding, else -1 (:func:`_lex.ded_read`)."""
    cdef int starts[8]
    cdef int ends[8]
    cdef int count
    return ded_read(r + A_INFO, starts, ends, &count)


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
        while line_end(p, pos, end, &next_pos):  # else the Python reader's rules cut it
            r = p + pos
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

    def ctx_addenda(self, bytes buf, Py_ssize_t pos, Py_ssize_t end, int64_t number,
                    int read, int room, bytes sequence, list lines):
        """Take the 05 addenda of an open CTX entry from ``pos`` (a line start) up to ``end``,
        at most ``room`` of them; return where the first record not taken starts, and set
        :attr:`records` to how many were taken.

        What the exact path finds nothing in: 94 printable characters, type 7, addenda type
        05, an addenda sequence number of ``read + 1`` (``read`` 05 addenda came before it)
        and the entry detail sequence number ``sequence`` (the trace's last seven digits).
        Each one taken appends ``(record number, payment related information)`` to ``lines``,
        as the exact path does, for the 820 check when the entry closes.
        """
        cdef const unsigned char* p = <const unsigned char*>PyBytes_AS_STRING(buf)
        cdef const unsigned char* r
        cdef const unsigned char* seq7
        cdef Py_ssize_t next_pos
        cdef int64_t taken = 0
        cdef int want, expected
        self.records = 0
        if PyBytes_GET_SIZE(sequence) != SEQ_LEN or read < 0 or read + room > 9999:
            return pos
        seq7 = <const unsigned char*>PyBytes_AS_STRING(sequence)
        while taken < room and line_end(p, pos, end, &next_pos):
            r = p + pos
            if r[0] != 55 or r[A_TYPE] != 48 or r[A_TYPE + 1] != 53:
                break
            if not printable(r) or not digits(r, A_SEQ, A_ENTRY_SEQ):
                break
            expected = read + 1
            want = <int>number_of(r, A_SEQ, A_ENTRY_SEQ)
            if want != expected or memcmp(r + A_ENTRY_SEQ, seq7, SEQ_LEN) != 0:
                break
            PyList_Append(lines, (number + 1, PyUnicode_DecodeASCII(<char*>r + A_INFO,
                                                                    A_INFO_LEN, NULL)))
            number += 1
            read += 1
            taken += 1
            pos = next_pos
        self.records = taken
        return pos


def ded_amount_of(bytes record):
    """DED04 of a 94-character addenda the scanner proves, else None (for the tests that hold
    it to ``nacha_cs.codecs.ded_fast.amount_reader``)."""
    if PyBytes_GET_SIZE(record) != RECORD:
        raise ValueError("an addenda record is 94 bytes")
    cdef int64_t cents = ded_amount(<const unsigned char*>PyBytes_AS_STRING(record))
    return None if cents < 0 else cents
