# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The compiled extractor: `describe` text lines, remittance CSV rows and the SDU ledger's
entry and payment rows for clean CCD+ entries.

Over a buffer of whole lines it takes closed units, a CCD entry with no addenda or with one
addenda holding a DED, that the event reader (:mod:`nacha_cs.ach.describe`) would read on its
fast way with no problem and that the Python renderers would show in the common way, and
writes their output bytes exactly as those renderers write them. It stops at the first record
it is not sure of; the driver (:mod:`nacha_cs.ach.extract`) feeds that record to the
event reader, so anything unusual is shown by the Python code, which stays the reference.

A unit is closed when the record after it starts with 6 or 8 (a new entry or the batch
control): only then is it sure that no further addenda belongs to it. Printable ASCII only,
so every byte is one character of the output whatever its encoding.
"""

cimport cython
from libc.stdint cimport int64_t
from libc.stdlib cimport free, realloc
from libc.string cimport memcpy, memset
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from cpython.unicode cimport PyUnicode_DATA, PyUnicode_DecodeLatin1

cdef extern from "Python.h":
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
from datetime import date

from nacha_cs.ach._lex cimport blank, digits, ded_read, line_end, number_of, printable

cdef enum:
    RECORD = 94
    UNIT_ROOM = 1024  # more than the longest output of one unit (two text lines, a CSV row)

TEXT = 0
"""Mode: `describe`'s fixed-width lines (cli/describe.py ``render_text``)."""
CSV = 1
"""Mode: remittance CSV rows (sdu/remittance_export.py ``CsvRows``), after a batch prefix."""
JSON = 2
"""Mode: remittance JSON payments (``JsonRows``), each after the batch prefix (which starts
with the comma and line feed before a payment)."""


cdef inline bint ascii(const unsigned char* v, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        if v[i] > 127:
            return False
    return True


cdef inline bint clean_entry(const unsigned char* r) noexcept nogil:
    """A CCD entry the event reader's regex for its layout accepts (printable already known)."""
    return (r[0] == 54 and digits(r, 1, 12) and not blank(r, 12, 29) and digits(r, 29, 39)
            and not blank(r, 54, 76) and digits(r, 78, 94))


cdef inline int digit_run(const unsigned char* v, int i, int n) noexcept nogil:
    """Where the run of digits from ``i`` ends."""
    while i < n and 48 <= v[i] <= 57:
        i += 1
    return i


cdef inline bint number_text(const unsigned char* v, int n) noexcept nogil:
    """``-?[0-9]+(?:\\.[0-9]+)?``: text :func:`nacha_cs.spreadsheet.safe_cell` leaves a number."""
    cdef int begin = 1 if n and v[0] == 45 else 0
    cdef int i = digit_run(v, begin, n)
    if i == begin:
        return False
    if i == n:
        return True
    if v[i] != 46:
        return False
    begin = i + 1
    i = digit_run(v, begin, n)
    return i == n and i > begin


cdef inline bint ssn_like(const unsigned char* v, int n) noexcept nogil:
    """``nacha_cs.privacy.looks_like_ssn`` of a value already stripped of spaces."""
    if n == 9:
        return digits(v, 0, 9)
    if n == 11 and (v[3] == 45 or v[3] == 32) and v[6] == v[3]:
        return digits(v, 0, 3) and digits(v, 4, 6) and digits(v, 7, 11)
    return False


@cython.final
cdef inline Py_ssize_t closed_unit(const unsigned char* p, Py_ssize_t pos, Py_ssize_t end,
                                   bint* has_ded, const unsigned char** fields, int* starts,
                                   int* ends, int* count, int64_t* cents) noexcept nogil:
    """Where the record after a closed clean unit at ``pos`` starts (-1: none there): a CCD
    entry the event reader accepts on its fast way, with no addenda or one holding a DED
    (``fields``: its columns 4-83; ``ded_read`` fills the element bounds and the amount),
    and after it a record starting with 6 or 8, so no further addenda can belong to it."""
    cdef Py_ssize_t after, after_addenda
    cdef const unsigned char* a
    if not line_end(p, pos, end, &after):
        return -1
    if not (printable(p + pos) and clean_entry(p + pos)) or after >= end:
        return -1
    has_ded[0] = p[after] == 55
    if not has_ded[0]:
        return after if p[after] == 54 or p[after] == 56 else -1
    a = p + after
    if not line_end(p, after, end, &after_addenda) or after_addenda >= end:
        return -1
    # columns 4-83 need no printable test: ded_read accepts only printable bytes
    if not (a[1] == 48 and a[2] == 53 and digits(a, 83, 94)):
        return -1
    fields[0] = a + 3
    cents[0] = ded_read(fields[0], starts, ends, count)
    if cents[0] < 0:
        return -1
    if p[after_addenda] != 54 and p[after_addenda] != 56:
        return -1  # a second addenda (or something odd) follows: not closed
    return after_addenda


cdef class Extractor:
    """Writes the output of the units it takes into a buffer; :meth:`take` hands it over.

    After :meth:`extract`, ``records`` and ``entries`` say what it took and ``lines`` how
    many lines (text) or rows (CSV) it wrote.
    """

    cdef unsigned char* out
    cdef Py_ssize_t size, room
    cdef int mode
    cdef bint full_ssn
    cdef bytes prefix
    cdef bint wide_prefix, wide
    cdef public int64_t records, entries, lines

    def __cinit__(self, int mode, bint full_ssn):
        if mode != TEXT and mode != CSV and mode != JSON:
            raise ValueError("mode is TEXT, CSV or JSON")
        self.out = NULL
        self.size = 0
        self.room = 0
        self.mode = mode
        self.full_ssn = full_ssn
        self.prefix = b""
        self.wide_prefix = False
        self.wide = False

    def __dealloc__(self):
        free(self.out)

    def batch(self, bytes prefix):
        """The cells every CSV row of the open batch starts with, their comma included."""
        if PyBytes_GET_SIZE(prefix) > UNIT_ROOM // 2:
            raise ValueError("a batch prefix longer than a record's worth of cells")
        self.prefix = prefix
        self.wide_prefix = not ascii(<const unsigned char*>PyBytes_AS_STRING(prefix),
                                     PyBytes_GET_SIZE(prefix))

    def take(self):
        """The text written since last asked (bytes as Latin-1, as the reader decodes them).

        What a unit writes is printable ASCII (its records are, and so are the literals), so
        unless a batch prefix with other bytes went in, the text is made as ASCII straight
        away: the Latin-1 decoder would first scan every byte for its widest character."""
        cdef object out
        if self.wide:
            out = PyUnicode_DecodeLatin1(<char*>self.out, self.size, NULL)
        else:
            out = PyUnicode_New(self.size, 127)
            memcpy(PyUnicode_DATA(out), self.out, self.size)
        self.size = 0
        self.wide = False
        return out

    cdef int reserve(self) except -1:
        cdef Py_ssize_t room
        cdef void* grown
        if self.size + UNIT_ROOM <= self.room:
            return 0
        room = self.room * 2 if self.room else 1 << 21
        grown = realloc(self.out, room)
        if grown == NULL:
            raise MemoryError()
        self.out = <unsigned char*>grown
        self.room = room
        return 0

    def extract(self, bytes buf, Py_ssize_t pos, Py_ssize_t end):
        """Take closed units from ``pos`` (a line start) up to ``end`` (just past a line feed);
        return where the first record not taken starts."""
        cdef const unsigned char* p = <const unsigned char*>PyBytes_AS_STRING(buf)
        cdef const unsigned char* r
        cdef const unsigned char* f
        cdef Py_ssize_t after
        cdef int starts[8]
        cdef int ends[8]
        cdef int count
        cdef int64_t cents
        cdef int64_t records = 0, entries = 0, lines = 0
        cdef bint has_ded
        cdef bint full_ssn = self.full_ssn
        cdef unsigned char* w
        cdef const unsigned char* prefix = <const unsigned char*>PyBytes_AS_STRING(self.prefix)
        cdef Py_ssize_t prefix_size = PyBytes_GET_SIZE(self.prefix)
        while True:
            after = closed_unit(p, pos, end, &has_ded, &f, starts, ends, &count, &cents)
            if after < 0:
                break
            r = p + pos
            if self.size + UNIT_ROOM > self.room:
                self.reserve()
            w = self.out + self.size
            if self.mode == TEXT:
                w = entry_line(w, r, has_ded, full_ssn)
                lines += 1
                if has_ded:
                    w = ded_line(w, f, starts, ends, count, cents, full_ssn)
                    lines += 1
            elif has_ded:
                w = put(w, prefix, prefix_size)
                self.wide |= self.wide_prefix
                if self.mode == CSV:
                    w = csv_row(w, r, f, starts, ends, count, cents, full_ssn)
                else:
                    w = json_row(w, r, f, starts, ends, count, cents, full_ssn)
                lines += 1
            self.size = w - self.out
            entries += 1
            records += 2 if has_ded else 1
            pos = after
        self.records = records
        self.entries = entries
        self.lines = lines
        return pos


# --- writing: each takes the write position and returns where it ends ------------------------

cdef inline unsigned char* put(unsigned char* w, const unsigned char* v, Py_ssize_t n) noexcept nogil:
    memcpy(w, v, n)
    return w + n


cdef inline unsigned char* spaces(unsigned char* w, Py_ssize_t n) noexcept nogil:
    if n > 0:
        memset(w, 32, n)
        return w + n
    return w


cdef inline unsigned char* left(unsigned char* w, const unsigned char* v, Py_ssize_t n,
                                Py_ssize_t width) noexcept nogil:
    """``f"{v:<width}"``"""
    return spaces(put(w, v, n), width - n)


cdef inline unsigned char* decimal(unsigned char* w, int64_t value) noexcept nogil:
    """``str(value)`` of a value >= 0."""
    cdef unsigned char digit[24]
    cdef int n = 0
    while True:
        digit[23 - n] = 48 + value % 10
        n += 1
        value //= 10
        if value == 0:
            break
    return put(w, digit + 24 - n, n)


cdef inline unsigned char* money(unsigned char* w, int64_t cents, Py_ssize_t width) noexcept nogil:
    """``f"{'$' + dollars with commas + '.' + cents:>width}"`` (cli/_output.py ``money``)."""
    cdef unsigned char text[40]
    cdef int n = 3, group = 0
    cdef int64_t dollars = cents // 100
    text[39] = 48 + cents % 10
    text[38] = 48 + (cents // 10) % 10
    text[37] = 46  # .
    while True:
        if group == 3:
            text[39 - n] = 44  # ,
            n += 1
            group = 0
        text[39 - n] = 48 + dollars % 10
        n += 1
        group += 1
        dollars //= 10
        if dollars == 0:
            break
    text[39 - n] = 36  # $
    n += 1
    return put(spaces(w, width - n), text + 40 - n, n)


cdef inline unsigned char* cell(unsigned char* w, const unsigned char* v, Py_ssize_t n) noexcept nogil:
    """A text cell as ``csv.writer`` writes ``safe_cell(value)``: a formula start gets an
    apostrophe (not a plain number), a comma or quote makes it quoted, quotes doubled."""
    cdef Py_ssize_t i
    cdef bint quoted = False
    cdef unsigned char c
    for i in range(n):
        if v[i] == 44 or v[i] == 34:
            quoted = True
            break
    if quoted:
        w[0] = 34
        w += 1
    c = v[0] if n else 0
    if (c == 61 or c == 43 or c == 45 or c == 64) and not number_text(v, n):  # = + - @
        w[0] = 39
        w += 1
    if not quoted:
        return put(w, v, n)
    for i in range(n):
        if v[i] == 34:
            w[0] = 34
            w += 1
        w[0] = v[i]
        w += 1
    w[0] = 34
    return w + 1


cdef inline unsigned char* ssn(unsigned char* w, const unsigned char* v, bint full) noexcept nogil:
    """DED05 as shown: in full when asked, else ``***-**-6789``."""
    if full:
        return put(w, v, 9)
    return put(put(w, b"***-**-", 7), v + 5, 4)


cdef inline unsigned char* pay_date(unsigned char* w, const unsigned char* v) noexcept nogil:
    """YYMMDD as ISO, with the DED's pivot (00-69 is 20YY)."""
    cdef int yy = (v[0] - 48) * 10 + (v[1] - 48)
    w = put(w, b"20" if yy < 70 else b"19", 2)
    w[0] = v[0]
    w[1] = v[1]
    w[2] = 45
    w[3] = v[2]
    w[4] = v[3]
    w[5] = 45
    w[6] = v[4]
    w[7] = v[5]
    return w + 8


cdef unsigned char* entry_line(unsigned char* w, const unsigned char* r, bint has_ded,
                               bint full_ssn) noexcept nogil:
    """``_ENTRY_LINE`` of cli/describe.py: trace, code, RDFI, masked account, amount,
    receiver, identification (masked when it looks like an SSN), addenda count."""
    cdef int first = 12, last = 29
    cdef int n
    w = put(w, b"  ", 2)
    w = put(w, r + 79, 15)
    w[0] = 32
    w[1] = r[1]
    w[2] = r[2]
    w = put(w + 3, b"   ", 3)
    w = put(w, r + 3, 9)
    w[0] = 32
    w += 1
    while r[first] == 32:
        first += 1
    while r[last - 1] == 32:
        last -= 1
    n = last - first
    if n <= 4:
        memset(w, 42, n)
        w += n
    else:
        memset(w, 42, n - 4)
        w = put(w + n - 4, r + last - 4, 4)
    w = spaces(w, 18 - n)
    w = money(w, number_of(r, 29, 39), 16)
    w[0] = 32
    w = put(w + 1, r + 54, 22)
    w[0] = 32
    w += 1
    first, last = 39, 54
    while first < last and r[first] == 32:
        first += 1
    while last > first and r[last - 1] == 32:
        last -= 1
    if not full_ssn and ssn_like(r + first, last - first):
        w = put(w, b"***-**-", 7)
        w = put(w, r + last - 4, 4)
        w = put(w, b"    ", 4)
    else:
        w = put(w, r + 39, 15)
    return put(w, b"       1\n" if has_ded else b"       0\n", 9)


cdef unsigned char* ded_line(unsigned char* w, const unsigned char* f, int* starts, int* ends,
                             int count, int64_t cents, bint full_ssn) noexcept nogil:
    """``_DED_LINE`` of cli/describe.py, trailing spaces cut."""
    cdef int n
    w = put(w, b"      DED ", 10)
    w = left(w, f + starts[0], ends[0] - starts[0], 20)
    w[0] = 32
    w = pay_date(w + 1, f + starts[1])
    w[0] = 32
    w = money(w + 1, cents, 16)
    w[0] = 32
    w = ssn(w + 1, f + starts[3], full_ssn)
    if full_ssn:
        w = put(w, b"  ", 2)  # nine digits in a column of eleven
    w[0] = 32
    w += 1
    n = ends[5] - starts[5] if count > 5 else 0
    w = left(w, f + starts[5], n, 10) if n else left(w, b"-", 1, 10)
    w[0] = 32
    w += 1
    n = ends[6] - starts[6] if count > 6 else 0
    if count > 7:  # DED09 = Y: the line ends in it
        w = left(w, f + starts[6], n, 7) if n else left(w, b"-", 1, 7)
        return put(w, b" Y\n", 3)
    w = put(w, f + starts[6], n) if n else put(w, b"-", 1)
    w[0] = 10
    return w + 1


cdef unsigned char* csv_row(unsigned char* w, const unsigned char* r, const unsigned char* f,
                            int* starts, int* ends, int count, int64_t cents,
                            bint full_ssn) noexcept nogil:
    """One row of remittance_export.COLUMNS after the batch's cells."""
    w = put(w, r + 79, 15)
    w = put(w, b",CCD,1,ok,", 10)
    w = cell(w, f + starts[0], ends[0] - starts[0])
    w[0] = 44
    w = pay_date(w + 1, f + starts[1])
    w[0] = 44
    w = decimal(w + 1, cents)
    w[0] = 44
    w = ssn(w + 1, f + starts[3], full_ssn)
    w[0] = 44
    w += 1
    if count > 5:
        w = cell(w, f + starts[5], ends[5] - starts[5])
    w[0] = 44
    w += 1
    if count > 6:
        w = cell(w, f + starts[6], ends[6] - starts[6])
    w[0] = 44
    w[1] = f[starts[4]]
    w += 2
    w = put(w, b",True," if count > 7 else b",False,", 6 if count > 7 else 7)
    w = decimal(w, number_of(r, 29, 39))
    w[0] = 10
    return w + 1


cdef inline unsigned char* json_text(unsigned char* w, const unsigned char* v,
                                     Py_ssize_t n) noexcept nogil:
    """A DED value as ``json.dumps`` writes it, quotes included: printable ASCII with no
    backslash, so only a quote is escaped."""
    cdef Py_ssize_t i
    w[0] = 34
    w += 1
    for i in range(n):
        if v[i] == 34:
            w[0] = 92
            w += 1
        w[0] = v[i]
        w += 1
    w[0] = 34
    return w + 1


cdef unsigned char* json_row(unsigned char* w, const unsigned char* r, const unsigned char* f,
                             int* starts, int* ends, int count, int64_t cents,
                             bint full_ssn) noexcept nogil:
    """One payment as ``JsonRows`` writes ``row_values`` (its keys in that dict's order),
    after the batch's keys."""
    w = put(w, r + 79, 15)
    w = put(w, b'", "sec": "CCD", "addenda": 1, "status": "ok", "entry_amount": ', 63)
    w = decimal(w, number_of(r, 29, 39))
    w = put(w, b', "case_id": ', 13)
    w = json_text(w, f + starts[0], ends[0] - starts[0])
    w = put(w, b', "pay_date": "', 15)
    w = pay_date(w, f + starts[1])
    w = put(w, b'", "amount": ', 13)
    w = decimal(w, cents)
    w = put(w, b', "ssn": "', 10)
    w = ssn(w, f + starts[3], full_ssn)
    w = put(w, b'", "name": ', 11)
    w = json_text(w, f + starts[5], ends[5] - starts[5]) if count > 5 else put(w, b'""', 2)
    w = put(w, b', "fips": ', 10)
    w = json_text(w, f + starts[6], ends[6] - starts[6]) if count > 6 else put(w, b'""', 2)
    w = put(w, b', "medical": "', 14)
    w[0] = f[starts[4]]
    w += 1
    if count > 7:
        return put(w, b'", "terminated": true}', 22)
    return put(w, b'", "terminated": false}', 23)



# --- the ledger's rows: sdu/ledger/reading.py ``FileReader`` ----------------------------------

cdef enum:
    CREDIT = 0
    DEBIT = 1
    PRENOTE = 2  # added to CREDIT or DEBIT: no money, no payment


cdef inline str latin(const unsigned char* v, Py_ssize_t n):
    return PyUnicode_DecodeLatin1(<const char*>v, n, NULL)


cdef inline str stripped(const unsigned char* r, int first, int last):
    """``r[first:last].strip()`` of printable ASCII (where a space is the only whitespace)."""
    while first < last and r[first] == 32:
        first += 1
    while last > first and r[last - 1] == 32:
        last -= 1
    return latin(r + first, last - first)


@cython.final
cdef class LedgerRows:
    """Appends the entry rows and payment tuples of the units it takes to two lists, as
    ``FileReader`` would for the same records, in a batch that is not CTX.

    ``kinds`` says, for each two-digit transaction code, whether it is a debit and whether a
    prenote (bytes of 100: ``DEBIT`` and ``PRENOTE`` bits), so the code sets stay in
    sdu/ledger/codes.py. After :meth:`extract`, ``records`` and ``entries`` say what it took,
    ``payments`` how many payments it made and ``credit``/``debit`` the entries' totals.
    """

    cdef bytes kinds
    cdef tuple codes
    cdef dict dates
    cdef object file_id, position, company_id, company_ein
    cdef public int64_t records, entries, payments, credit, debit

    def __cinit__(self, bytes kinds):
        if PyBytes_GET_SIZE(kinds) != 100:
            raise ValueError("kinds has one byte per transaction code 00-99")
        self.kinds = kinds
        self.codes = tuple(f"{code:02d}" for code in range(100))
        self.dates = {}
        self.file_id = self.position = None
        self.company_id = self.company_ein = ""

    def batch(self, file_id, position, str company_id, str company_ein):
        """The open batch: what every row of its units carries."""
        self.file_id = file_id
        self.position = position
        self.company_id = company_id
        self.company_ein = company_ein

    cdef object pay_date(self, const unsigned char* v):
        """DED03 (YYMMDD, already a real date) as a ``datetime.date``, each made once."""
        cdef int yy = (v[0] - 48) * 10 + (v[1] - 48)
        cdef int key = yy * 10000 + (v[2] - 48) * 1000 + (v[3] - 48) * 100 + (v[4] - 48) * 10 + (v[5] - 48)
        found = self.dates.get(key)
        if found is None:
            found = date(yy + (2000 if yy < 70 else 1900), key // 100 % 100, key % 100)
            self.dates[key] = found
        return found

    def extract(self, bytes buf, Py_ssize_t pos, Py_ssize_t end, int64_t number, int64_t seq,
                list entries, list payments):
        """Take closed units from ``pos`` (a line start) up to ``end`` (just past a line feed),
        numbering records after ``number`` and payments after ``seq``; return where the first
        record not taken starts."""
        cdef const unsigned char* p = <const unsigned char*>PyBytes_AS_STRING(buf)
        cdef const unsigned char* kinds = <const unsigned char*>PyBytes_AS_STRING(self.kinds)
        cdef const unsigned char* r
        cdef const unsigned char* f
        cdef Py_ssize_t after
        cdef int starts[8]
        cdef int ends[8]
        cdef int count, code, kind
        cdef int64_t cents, amount, line
        cdef int64_t records = 0, taken = 0, made = 0, credit = 0, debit = 0
        cdef bint has_ded
        cdef str trace
        cdef object ded
        while True:
            after = closed_unit(p, pos, end, &has_ded, &f, starts, ends, &count, &cents)
            if after < 0:
                break
            r = p + pos
            line = number + records + 1
            code = (r[1] - 48) * 10 + (r[2] - 48)
            kind = kinds[code]
            amount = number_of(r, 29, 39)
            trace = latin(r + 79, 15)
            if kind & DEBIT:
                debit += amount
            else:
                credit += amount
            entries.append((self.file_id, line, self.position, self.codes[code], amount, trace,
                            stripped(r, 39, 54), stripped(r, 54, 76), 1 if has_ded else 0))
            if not (kind & (DEBIT | PRENOTE)):
                made += 1
                if has_ded:
                    ded = (latin(f + starts[0], ends[0] - starts[0]),
                           self.pay_date(f + starts[1]), cents, latin(f + starts[3], 9),
                           latin(f + starts[4], 1),
                           latin(f + starts[5], ends[5] - starts[5]) if count > 5 else "",
                           latin(f + starts[6], ends[6] - starts[6]) if count > 6 else "",
                           count > 7)
                    payments.append((self.file_id, seq + made, self.position, line, trace,
                                     ded, cents, self.company_id, self.company_ein))
                else:
                    payments.append((self.file_id, seq + made, self.position, line, trace,
                                     None, amount, self.company_id, self.company_ein))
            taken += 1
            records += 2 if has_ded else 1
            pos = after
        self.records = records
        self.entries = taken
        self.payments = made
        self.credit = credit
        self.debit = debit
        return pos
