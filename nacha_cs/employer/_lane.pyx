# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The compiled lane of `generate`: plain payroll CSV rows to CCD+ lines, report rows and fees.

Over a buffer of whole CSV lines it takes one employee's pay date at a time (the adjacent rows
with the same employer, employee id and pay date) when every row is plain and the employee is
the common case the planner handles without its slow branches: all orders fit under the
withholding limit, the employer's CCD+ batch is already open, every SDU's entry template is
known. For such a group it does what the planner, the batches, the output and the report
writer would do, byte for byte, and counts what they would count. Anything else is a *span*:
the driver (:mod:`nacha_cs.employer.lane`) hands those lines to the Python pipeline, which
stays the reference and the only author of findings, and then the lane goes on.

A span ends only where a plain row follows a plain row of another group, so no group is ever
split between the lane and the Python pipeline.
"""

cimport cython
from libc.stdint cimport int64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memchr, memcmp, memcpy, memset
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from cpython.object cimport PyObject
from cpython.unicode cimport PyUnicode_DecodeLatin1

cdef enum:
    FIELDS = 18
    MAX_GROUP = 32
    MAX_SDUS = 64
    LINE_ROOM = 256  # more than one report line; entry and addenda are 95 bytes each

# Field indexes, in the order of nacha_cs.employer.payroll.FIELDS (a test holds them to it).
cdef enum:
    F_EMPLOYER = 0
    F_EMPLOYEE = 1
    F_LAST = 2
    F_FIRST = 3
    F_SSN = 4
    F_CASE = 5
    F_SDU = 6
    F_CURRENT = 7
    F_ARREARS = 8
    F_MEDICAL = 9
    F_PAY_DATE = 10
    F_GROSS = 11
    F_DEDUCTIONS = 12
    F_DISPOSABLE = 13
    F_OTHER_FAMILY = 14
    F_OVER_12 = 15
    F_COVERAGE = 16
    F_TERMINATED = 17

cdef int REQUIRED_FIELDS[8]
REQUIRED_FIELDS[:] = [F_EMPLOYEE, F_LAST, F_FIRST, F_SSN, F_CASE, F_SDU, F_CURRENT, F_PAY_DATE]
cdef int DED_TEXT_FIELDS[3]
DED_TEXT_FIELDS[:] = [F_CASE, F_LAST, F_FIRST]

DONE = 0
"""Every whole group in the buffer was taken; ``position`` is where the next run starts."""
SPAN = 1
"""The lines from ``position`` to ``end`` go to the Python pipeline."""
REST = 2
"""From ``position`` on, everything goes to the Python pipeline (no span end in sight)."""
UNSORTED_EMPLOYER = 3
"""The row at ``position`` names an employer whose rows came earlier."""
UNSORTED_EMPLOYEE = 4
"""The row at ``position`` has an employee id that does not follow the one before."""
MORE = 5
"""The run made as many lines as it was asked to; the next run starts at ``position``."""

FIELD_ORDER = ("employer", "employee_id", "last_name", "first_name", "ssn", "case_id", "sdu",
               "current_support", "arrears", "cash_medical", "pay_date", "gross_pay",
               "mandatory_deductions", "disposable_income", "supports_other_family",
               "arrears_over_12_weeks", "medical_coverage", "terminated")


cdef struct Buffer:
    char* data
    Py_ssize_t size
    Py_ssize_t room


cdef int grow(Buffer* buffer, Py_ssize_t more) except -1:
    cdef Py_ssize_t room
    cdef char* data
    if buffer.size + more <= buffer.room:
        return 0
    room = max(buffer.room * 2, buffer.size + more + 65536)
    data = <char*>realloc(buffer.data, room)
    if data == NULL:
        raise MemoryError()
    buffer.data = data
    buffer.room = room
    return 0


cdef inline void put(Buffer* buffer, const char* text, Py_ssize_t size) noexcept:
    memcpy(buffer.data + buffer.size, text, size)
    buffer.size += size


cdef inline void put_char(Buffer* buffer, char c) noexcept:
    buffer.data[buffer.size] = c
    buffer.size += 1


cdef inline int decimal(char* out, int64_t value) noexcept:
    """``str(value)`` of a value >= 0 into ``out``; returns its length."""
    cdef char digits[24]
    cdef int n = 0, i
    if value == 0:
        out[0] = 48
        return 1
    while value > 0:
        digits[n] = <char>(48 + value % 10)
        value //= 10
        n += 1
    for i in range(n):
        out[i] = digits[n - 1 - i]
    return n


cdef inline void zero_filled(char* out, int64_t value, int width) noexcept:
    cdef int i
    for i in range(width - 1, -1, -1):
        out[i] = <char>(48 + value % 10)
        value //= 10


cdef inline void put_dollars(Buffer* buffer, int64_t cents) noexcept:
    """``report._dollars`` of cents >= 0: ``123.45``."""
    cdef char text[24]
    cdef int n = decimal(text, cents // 100)
    put(buffer, text, n)
    put_char(buffer, 46)
    put_char(buffer, <char>(48 + (cents % 100) // 10))
    put_char(buffer, <char>(48 + cents % 10))


cdef struct Row:
    PyObject* date  # borrowed: the Lane's date cache keeps it
    PyObject* date_text  # its ISO text, borrowed the same way
    Py_ssize_t start[FIELDS]
    Py_ssize_t stop[FIELDS]
    int64_t current, arrears, medical, income
    bint other_family, over_12, coverage, terminated
    char ssn[9]
    int sdu


cdef struct Sdu:
    PyObject* remitted  # borrowed: Lane.remitted keeps the set
    char code[8]
    int code_size
    bint ready
    char entry[94]
    char addenda[94]
    int64_t rdfi
    bint debit
    char fips[16]
    int fips_size


cdef inline bint is_digit(unsigned char c) noexcept nogil:
    return 48 <= c <= 57


cdef enum:
    NOTE_ROOM = 480

cdef int64_t SAFE = 2147483648
"""Cents below which every product of two amounts fits 63 bits."""


cdef inline void put_words_dollars(Buffer* buffer, int64_t cents) noexcept:
    """``withholding._dollars``: ``$1,043.93``."""
    cdef char digits[24]
    cdef int n = decimal(digits, cents // 100), i
    put_char(buffer, 36)
    for i in range(n):
        if i and (n - i) % 3 == 0:
            put_char(buffer, 44)
        put_char(buffer, digits[i])
    put_char(buffer, 46)
    put_char(buffer, <char>(48 + (cents % 100) // 10))
    put_char(buffer, <char>(48 + cents % 10))


cdef void hamilton(int64_t total, int64_t* weights, int64_t weight_sum, int n,
                   int64_t* shares) noexcept:
    """``withholding._hamilton``: floors, then a cent more to the largest remainders (ties
    to the larger order, then the earlier one)."""
    cdef int i, best, k
    cdef int64_t left = total, remainder, best_remainder
    cdef bint given[64]
    for i in range(n):
        shares[i] = total * weights[i] // weight_sum
        left -= shares[i]
        given[i] = False
    for k in range(left):
        best = -1
        best_remainder = -1
        for i in range(n):
            if given[i]:
                continue
            remainder = total * weights[i] % weight_sum
            if best < 0 or remainder > best_remainder or (
                    remainder == best_remainder and weights[i] > weights[best]):
                best, best_remainder = i, remainder
        given[best] = True
        shares[best] += 1


cdef void worksheet(int64_t total, int64_t* weights, int64_t weight_sum, int n,
                    int64_t* shares) noexcept:
    """``withholding._worksheet``: the percentage to 0.01%, times the total, to the cent;
    the difference settled a cent at a time against the exact share."""
    cdef int i, best
    cdef int64_t difference = total, basis, short, best_short
    for i in range(n):
        basis = (2 * weights[i] * 10000 + weight_sum) // (2 * weight_sum)
        shares[i] = (2 * total * basis + 10000) // 20000
        if shares[i] > weights[i]:
            shares[i] = weights[i]
        difference -= shares[i]
    while difference:
        best = -1
        best_short = 0
        for i in range(n):
            if difference > 0 and shares[i] >= weights[i]:
                continue
            if difference < 0 and shares[i] <= 0:
                continue
            short = total * weights[i] - shares[i] * weight_sum
            if best < 0:
                best, best_short = i, short
            elif difference > 0 and (short > best_short or (
                    short == best_short and weights[i] > weights[best])):
                best, best_short = i, short
            elif difference < 0 and (short < best_short or (
                    short == best_short and weights[i] > weights[best])):
                best, best_short = i, short
        if difference > 0:
            shares[best] += 1
            difference -= 1
        else:
            shares[best] -= 1
            difference += 1


cdef void allocate(int64_t total, int64_t* weights, int n, bint exact,
                   int64_t* shares) noexcept:
    """``withholding.allocate`` with ``at_least_one_cent``, for a total below the weights'."""
    cdef int64_t weight_sum = 0
    cdef int i, k, donor
    cdef int starved[64]
    cdef int hungry = 0
    for i in range(n):
        weight_sum += weights[i]
    if exact:
        hamilton(total, weights, weight_sum, n, shares)
    else:
        worksheet(total, weights, weight_sum, n, shares)
    for i in range(n):
        if weights[i] > 0 and shares[i] == 0:
            starved[hungry] = i
            hungry += 1
    for k in range(hungry):
        donor = 0
        for i in range(1, n):
            if shares[i] > shares[donor]:
                donor = i
        if shares[donor] <= 1:
            return
        shares[donor] -= 1
        shares[starved[k]] += 1


cdef inline bint line_at(const unsigned char* p, Py_ssize_t pos, Py_ssize_t size, bint final,
                         Py_ssize_t* stop, Py_ssize_t* next_pos) noexcept:
    """The line at ``pos``: where its text stops (before LF or CRLF) and the next begins;
    False when it has no line feed yet and more may follow."""
    cdef const unsigned char* newline = <const unsigned char*>memchr(p + pos, 10, size - pos)
    if newline == NULL:
        if not final:
            return False
        stop[0] = size
        next_pos[0] = size
    else:
        stop[0] = newline - p
        next_pos[0] = stop[0] + 1
    if stop[0] > pos and p[stop[0] - 1] == 13:
        stop[0] -= 1
    return True


cdef class Lane:
    """One run's lane: the export's shape, the SDUs' templates, the open employer, the
    grouping state and what was made since the driver last took it."""

    # the export
    cdef int width
    cdef int column_field[256]
    cdef bint full_ssn, report, fees
    cdef object date_of, name_of, employers
    cdef bint history
    cdef object window
    cdef str window_low
    cdef object window_high
    cdef str window_month
    cdef char words[32][8]
    cdef int word_sizes[32]
    cdef bint word_values[32]
    cdef int word_count
    cdef char last_date[10]
    cdef bint last_date_known
    cdef object last_date_value
    cdef object last_date_text
    # the file
    cdef int entry_amount[2]
    cdef int entry_identification[2]
    cdef int entry_trace[2]
    cdef int addenda_info[2]
    cdef int addenda_sequence[2]
    cdef char odfi[8]
    cdef int64_t max_amount, max_sequence, max_records
    cdef int max_case, name_max
    cdef bytes head
    cdef char separator, terminator
    # the SDUs
    cdef Sdu sdus[MAX_SDUS]
    cdef int sdu_count
    cdef dict sdu_index
    cdef list sdu_codes
    cdef dict remitted
    # the open employer (ready: its CCD+ batch is open and its law known)
    cdef bint employer_ready
    cdef bytes employer_text, employer_id
    cdef int percents[4]
    cdef int64_t per_period, monthly_cap
    cdef bint has_cap, within_limit, exact
    cdef public bint limited_full
    cdef public int64_t limited
    cdef Buffer note
    cdef dict months
    # grouping (group_pay_sorted's state before the open group)
    cdef public set employers_done
    cdef public object sort_employer
    cdef object _sort_employee
    cdef bint employee_stale
    cdef public bint as_text, by_length
    cdef set _pay_dates
    cdef object only_date
    cdef bytes employer_bytes, employee_bytes, next_employee
    cdef object next_employer
    cdef bint next_as_text, next_by_length
    # running numbers, set by the driver before a run
    cdef public int64_t sequence, records
    # made since the driver last took them
    cdef Buffer lines, report_lines
    cdef public int64_t line_count, report_count
    cdef public int64_t entries, entry_hash, credit, debit
    cdef public int64_t employees, rows, fee_total
    cdef public list fee_rows
    cdef int64_t sdu_total[MAX_SDUS]
    cdef int64_t sdu_payments[MAX_SDUS]
    cdef public object last_employee
    cdef object last_fee_key, last_fee_date
    cdef int64_t last_fee_cents
    cdef object per_period_cents
    cdef dict dates
    cdef dict date_texts

    def __cinit__(self):
        self.lines.data = NULL
        self.lines.size = self.lines.room = 0
        self.report_lines.data = NULL
        self.report_lines.size = self.report_lines.room = 0
        self.note.data = NULL
        self.note.size = self.note.room = 0

    def __dealloc__(self):
        free(self.lines.data)
        free(self.report_lines.data)
        free(self.note.data)

    property pay_dates:
        """group_pay_sorted's pay dates of the current employee (a set made only when the
        Python side asks: most employees have one)."""
        def __get__(self):
            if self._pay_dates is None:
                self._pay_dates = set() if self.only_date is None else {self.only_date}
                self.only_date = None
            return self._pay_dates

        def __set__(self, set value):
            self._pay_dates = value
            self.only_date = None

    property sort_employee:
        """group_pay_sorted's current employee id (text made only when asked)."""
        def __get__(self):
            if self.employee_stale:
                self._sort_employee = PyUnicode_DecodeLatin1(
                    self.employee_bytes, len(self.employee_bytes), NULL)
                self.employee_stale = False
            return self._sort_employee

        def __set__(self, value):
            self._sort_employee = value
            self.employee_stale = False
            self.employee_bytes = None if value is None else (<str>value).encode("utf-8")

    property last_fee:
        """The last employee's fee key, pay date and fees this month so far (None: no fee)."""
        def __get__(self):
            if self.last_fee_key is None:
                return None
            return (self.last_fee_key, self.last_fee_date, self.last_fee_cents)

    def __init__(self, positions, int width, *, true_words, false_words, date_of, name_of,
                 known_employers, entry_slices, addenda_slices, int64_t max_amount,
                 int64_t max_sequence, int64_t max_records, int max_case, int name_max,
                 str head, str separator, str terminator, bint full_ssn, bint report,
                 bint fees):
        cdef int i
        if len(positions) != FIELDS:
            raise ValueError("the lane needs every payroll field")
        if width > 255:
            raise ValueError("too many columns for the lane")
        self.width = width
        for i in range(256):
            self.column_field[i] = -1
        for i in range(FIELDS):
            if not 0 <= positions[i] < width:
                raise ValueError("the lane needs every payroll field in the export")
            self.column_field[positions[i]] = i
        cdef bytes spelled
        self.word_count = 0
        for value, group in ((True, true_words), (False, false_words)):
            for word in group:
                spelled = word.lower().encode("ascii")
                if len(spelled) > 7 or self.word_count == 32:
                    raise ValueError("the lane reads short yes/no words")
                memcpy(self.words[self.word_count], <char*>spelled, len(spelled))
                self.word_sizes[self.word_count] = len(spelled)
                self.word_values[self.word_count] = value
                self.word_count += 1
        self.last_date_known = False
        self.last_date_value = None
        self.date_of = date_of
        self.name_of = name_of
        self.entry_amount[0], self.entry_amount[1] = entry_slices[0]
        self.entry_identification[0], self.entry_identification[1] = entry_slices[1]
        self.entry_trace[0], self.entry_trace[1] = entry_slices[2]
        self.addenda_info[0], self.addenda_info[1] = addenda_slices[0]
        self.addenda_sequence[0], self.addenda_sequence[1] = addenda_slices[1]
        if self.entry_trace[1] - self.entry_trace[0] != 15:
            raise ValueError("the lane renders 15-digit traces")
        self.employers = (None if known_employers is None
                          else {e.encode("utf-8") for e in known_employers})
        self.max_amount = max_amount
        self.max_sequence = max_sequence
        self.max_records = max_records
        self.max_case = max_case
        self.name_max = name_max
        self.head = head.encode("ascii")
        self.separator = ord(separator)
        self.terminator = ord(terminator)
        self.full_ssn = full_ssn
        self.report = report
        self.fees = fees
        self.sdu_count = 0
        self.sdu_index = {}
        self.sdu_codes = []
        self.remitted = {}
        self.employer_ready = False
        self.history = False
        self.window = None
        self.window_month = None
        self.employers_done = set()
        self.sort_employer = None
        self._sort_employee = None
        self.employee_stale = False
        self.as_text = self.by_length = True
        self._pay_dates = set()
        self.only_date = None
        self.fee_rows = []
        self.dates = {}
        self.date_texts = {}
        self.last_employee = None
        self.last_fee_key = None
        self.take()

    def sdu(self, str code, str entry, str addenda, int64_t rdfi, bint debit, str fips):
        """An SDU the lane may pay, with its live credit's entry and addenda as rendered once
        (the open fields are overwritten); ``entry=""`` for one it must leave to Python."""
        cdef int index
        cdef Sdu* sdu
        key = code.encode("ascii")
        if key in self.sdu_index:
            index = self.sdu_index[key]
        else:
            if self.sdu_count == MAX_SDUS:
                return
            index = self.sdu_count
            self.sdu_count += 1
            self.sdu_index[key] = index
            self.sdu_codes.append(code)
            self.remitted[index] = set()
            self.sdus[index].remitted = <PyObject*>self.remitted[index]
        sdu = &self.sdus[index]
        if len(key) > 8:
            raise ValueError("the lane reads SDU codes of up to 8 characters")
        memcpy(sdu.code, <char*>key, len(key))
        sdu.code_size = len(key)
        sdu.ready = False
        cdef bytes entry_bytes, addenda_bytes, fips_bytes
        if entry and len(entry) == 94 and len(addenda) == 94 and len(fips) < 16:
            entry_bytes = entry.encode("ascii")
            addenda_bytes = addenda.encode("ascii")
            fips_bytes = fips.encode("ascii")
            memcpy(sdu.entry, <char*>entry_bytes, 94)
            memcpy(sdu.addenda, <char*>addenda_bytes, 94)
            sdu.rdfi = rdfi
            sdu.debit = debit
            memcpy(sdu.fips, <char*>fips_bytes, len(fips))
            sdu.fips_size = len(fips)
            sdu.ready = True

    def remit_checked(self, str code, str pay_date):
        """The planner has checked this SDU's remittance deadline for ``pay_date``."""
        key = code.encode("ascii")
        if key in self.sdu_index:
            (<set>self.remitted[self.sdu_index[key]]).add(pay_date)

    def employer(self, text, str employer_id="", str odfi="", percents=(),
                 int64_t per_period=0, monthly_cap=None, bint within_limit=True,
                 bint history=False, bint exact=True):
        """The employer whose CCD+ batch is open (``text=None``: none; every row is a span)."""
        cdef int i
        if text is None:
            self.employer_ready = False
            return
        if len(odfi) != 8 or not text.isascii() or not employer_id.isascii():
            self.employer_ready = False
            return
        cdef bytes odfi_bytes = odfi.encode("ascii")
        memcpy(self.odfi, <char*>odfi_bytes, 8)
        self.employer_ready = True
        self.employer_text = text.encode("ascii")
        self.employer_id = employer_id.encode("ascii")
        for i in range(4):
            self.percents[i] = percents[i]
        self.per_period = per_period
        self.per_period_cents = per_period
        self.has_cap = monthly_cap is not None
        self.monthly_cap = monthly_cap if monthly_cap is not None else 0
        self.within_limit = within_limit
        self.exact = exact
        self.history = history

    def fees_before(self, str month, dict fees, str low, high):
        """Earlier runs' fees in ``month`` (``YYYY-MM``) of every employee key from ``low``
        up to ``high`` (exclusive; ``None``: no end), as FeeRecord.window read them: groups
        of another month or employee go to Python, which reads the next window."""
        self.window_month = month
        self.window = fees
        self.window_low = low
        self.window_high = high

    def take(self):
        """The lines, report lines and SDU totals made since the last call, and the counts
        start again (the driver hands them on and adds the numbers to its objects)."""
        lines = PyUnicode_DecodeLatin1(self.lines.data, self.lines.size, NULL)
        report = PyUnicode_DecodeLatin1(self.report_lines.data, self.report_lines.size, NULL)
        totals = {}
        cdef int i
        for i in range(self.sdu_count):
            if self.sdu_payments[i]:
                totals[self.sdu_codes[i]] = (self.sdu_total[i], self.sdu_payments[i])
            self.sdu_total[i] = 0
            self.sdu_payments[i] = 0
        self.lines.size = 0
        self.report_lines.size = 0
        made = (lines, self.line_count, report, self.report_count, totals)
        self.line_count = self.report_count = 0
        self.entries = self.entry_hash = self.credit = self.debit = 0
        self.employees = self.rows = self.fee_total = self.limited = 0
        self.fee_rows = []
        return made

    # --- reading ------------------------------------------------------------------------

    cdef bint flag(self, const unsigned char* p, Py_ssize_t start, Py_ssize_t stop,
                   bint* value) except -1:
        """A yes/no cell in any case of an accepted spelling."""
        cdef Py_ssize_t size = stop - start, i
        cdef char lower[8]
        if size > 7:
            return False
        for i in range(size):
            lower[i] = p[start + i] | 32 if 65 <= p[start + i] <= 90 else p[start + i]
        for i in range(self.word_count):
            if self.word_sizes[i] == size and memcmp(self.words[i], lower, size) == 0:
                value[0] = self.word_values[i]
                return True
        return False

    cdef bint parse(self, const unsigned char* p, Py_ssize_t start, Py_ssize_t stop,
                    Row* row) except -1:
        """Whether the line is plain (the row parser would read it with no finding and the
        values below); fills ``row``."""
        cdef Py_ssize_t i = start, cell_start = start
        cdef int cell = 0, field, n, dots
        cdef unsigned char c
        cdef int64_t* money[6]
        cdef int64_t value
        cdef Py_ssize_t a, b
        cdef bint present[6]
        for i in range(start, stop):
            c = p[i]
            if c < 32 or c > 126 or c == 34:
                return False
            if c == 44:
                field = self.column_field[cell]
                if field >= 0:
                    row.start[field] = cell_start
                    row.stop[field] = i
                cell += 1
                if cell >= self.width:
                    return False
                cell_start = i + 1
        field = self.column_field[cell]
        if field >= 0:
            row.start[field] = cell_start
            row.stop[field] = stop
        if cell + 1 != self.width:
            return False
        for field in range(FIELDS):
            a, b = row.start[field], row.stop[field]
            if a < b and (p[a] == 32 or p[b - 1] == 32):
                return False  # the row parser strips cells; the lane reads them as they are
        for i in range(8):
            field = REQUIRED_FIELDS[i]
            if row.start[field] == row.stop[field]:
                return False
        a, b = row.start[F_EMPLOYER], row.stop[F_EMPLOYER]
        if a < b and self.employers is not None and (
                (<const char*>p)[a:b] not in self.employers):
            return False  # the row parser's UNKNOWN_EMPLOYER
        # SSN: 9 digits once dashes and spaces are gone, of a kind the SSA issues
        n = 0
        for i in range(row.start[F_SSN], row.stop[F_SSN]):
            c = p[i]
            if c == 45 or c == 32:
                continue
            if not is_digit(c) or n == 9:
                return False
            row.ssn[n] = c
            n += 1
        if n != 9:
            return False
        if ((row.ssn[0] == 48 and row.ssn[1] == 48 and row.ssn[2] == 48)
                or (row.ssn[0] == 54 and row.ssn[1] == 54 and row.ssn[2] == 54)
                or row.ssn[0] == 57 or (row.ssn[3] == 48 and row.ssn[4] == 48)
                or (row.ssn[5] == 48 and row.ssn[6] == 48 and row.ssn[7] == 48
                    and row.ssn[8] == 48)):
            return False
        # case id and names: no DED delimiter, the case within DED02's length
        if row.stop[F_CASE] - row.start[F_CASE] > self.max_case:
            return False
        for n in range(3):
            field = DED_TEXT_FIELDS[n]
            for i in range(row.start[field], row.stop[field]):
                if p[i] == 42 or p[i] == 92:
                    return False
        # SDU, uppercased
        n = row.stop[F_SDU] - row.start[F_SDU]
        if n > 8:
            return False
        cdef char code[8]
        for i in range(n):
            c = p[row.start[F_SDU] + i]
            code[i] = c - 32 if 97 <= c <= 122 else c
        row.sdu = -1
        for i in range(self.sdu_count):
            if self.sdus[i].code_size == n and memcmp(self.sdus[i].code, code, n) == 0:
                row.sdu = i
                break
        if row.sdu < 0:
            return False
        # money: digits.dd (what the row parser's fast lane reads), at most the ACH field's
        money[0], money[1], money[2] = &row.current, &row.arrears, &row.medical
        cdef int64_t gross = 0, deductions = 0, disposable = 0
        money[3], money[4], money[5] = &gross, &deductions, &disposable
        for field in range(6):
            a = row.start[F_CURRENT + field if field < 3 else F_GROSS + field - 3]
            b = row.stop[F_CURRENT + field if field < 3 else F_GROSS + field - 3]
            present[field] = a < b
            money[field][0] = 0
            if a == b:
                continue
            if b - a < 3 or b - a > 14 or p[b - 3] != 46:
                return False
            value = 0
            for i in range(a, b):
                if i == b - 3:
                    continue
                if not is_digit(p[i]):
                    return False
                value = value * 10 + (p[i] - 48)
            if value > self.max_amount:
                return False
            money[field][0] = value
        if present[3] and present[4] and not present[5]:
            if deductions > gross:
                return False
            row.income = gross - deductions
        elif not present[3] and not present[4] and present[5]:
            row.income = disposable
        else:
            return False
        # pay date: YYYY-MM-DD as ISO writes it, a real date (the parser's own reader says)
        a, b = row.start[F_PAY_DATE], row.stop[F_PAY_DATE]
        if b - a != 10 or p[a + 4] != 45 or p[a + 7] != 45:
            return False
        for i in range(a, b):
            if i != a + 4 and i != a + 7 and not is_digit(p[i]):
                return False
        if memcmp(self.last_date, p + a, 10) != 0 or self.last_date_value is None:
            text = PyUnicode_DecodeLatin1(<const char*>p + a, 10, NULL)
            known = self.dates.get(text)
            if known is None:
                parsed = self.date_of(text)
                known = parsed if parsed is not None and parsed.isoformat() == text else False
                self.dates[text] = known
                if known is not False:  # keeps the text the rows' borrowed pointers name
                    self.date_texts[known] = text
            memcpy(self.last_date, p + a, 10)
            self.last_date_value = known
            self.last_date_known = known is not False
            if self.last_date_known:
                self.last_date_text = self.date_texts[known]
        if not self.last_date_known:
            return False
        row.date = <PyObject*>self.last_date_value
        row.date_text = <PyObject*>self.last_date_text
        if not (self.flag(p, row.start[F_OTHER_FAMILY], row.stop[F_OTHER_FAMILY],
                          &row.other_family)
                and self.flag(p, row.start[F_OVER_12], row.stop[F_OVER_12], &row.over_12)
                and self.flag(p, row.start[F_COVERAGE], row.stop[F_COVERAGE], &row.coverage)
                and self.flag(p, row.start[F_TERMINATED], row.stop[F_TERMINATED],
                              &row.terminated)):
            return False
        return True

    cdef inline bint same(self, const unsigned char* p, Row* x, Row* y, int field) noexcept:
        cdef Py_ssize_t n = x.stop[field] - x.start[field]
        return n == y.stop[field] - y.start[field] and memcmp(p + x.start[field],
                                                               p + y.start[field], n) == 0

    cdef inline bint same_key(self, const unsigned char* p, Row* x, Row* y) noexcept:
        return (self.same(p, x, y, F_EMPLOYER) and self.same(p, x, y, F_EMPLOYEE)
                and self.same(p, x, y, F_PAY_DATE))

    # --- one employee's pay date ----------------------------------------------------------

    cdef int name(self, const unsigned char* p, Row* row, char* out) except -2:
        """DED07 for the row (``abbreviate_name``): here for a one-word ASCII last name
        (its letters, no suffix to drop), else by the codec's own function; -1 when it
        refuses the name."""
        cdef Py_ssize_t a = row.start[F_LAST], b = row.stop[F_LAST]
        cdef Py_ssize_t fa = row.start[F_FIRST], fb = row.stop[F_FIRST]
        cdef Py_ssize_t i
        cdef int n = 0, last = 0, given = 0, room
        cdef unsigned char c
        cdef char surname[64]
        cdef char first[64]
        if b - a > 64 or fb - fa > 64:
            return self.name_by_codec(p, row, out)
        for i in range(a, b):
            c = p[i]
            if c == 32 or c == 46 or c == 44:
                return self.name_by_codec(p, row, out)  # words: a suffix may go
            if 97 <= (c | 32) <= 122:
                surname[last] = c & ~32
                last += 1
        if last == 0:
            return -1
        for i in range(fa, fb):
            c = p[i]
            if 97 <= (c | 32) <= 122:
                first[given] = c & ~32
                given += 1
        if given == 0:
            memcpy(out, surname, min(last, 7))
            return min(last, 7)
        if last >= 7:
            memcpy(out, surname, 7)
            n = 7
            room = 3
        else:
            memcpy(out, surname, last)
            n = last
            out[n] = 44
            n += 1
            room = 10 - last - 1
        memcpy(out + n, first, min(room, given))
        return n + min(room, given)

    cdef int name_by_codec(self, const unsigned char* p, Row* row, char* out) except -2:
        cdef Py_ssize_t a = row.start[F_LAST], b = row.stop[F_LAST]
        cdef Py_ssize_t fa = row.start[F_FIRST], fb = row.stop[F_FIRST]
        made = self.name_of(PyUnicode_DecodeLatin1(<const char*>p + a, b - a, NULL),
                            PyUnicode_DecodeLatin1(<const char*>p + fa, fb - fa, NULL))
        if made is None or not made.isascii() or len(made) > self.name_max:
            return -1
        encoded = <bytes>made.encode("ascii")
        memcpy(out, <char*>encoded, len(encoded))
        return len(encoded)

    cdef bint formula(self, const unsigned char* p, Row* row, int field) noexcept:
        """A report cell a spreadsheet would read as a formula (the writer's slow way)."""
        if row.start[field] == row.stop[field]:
            return False
        cdef unsigned char c = p[row.start[field]]
        return c == 61 or c == 43 or c == 45 or c == 64

    cdef int ssn_like(self, const unsigned char* p, Py_ssize_t a, Py_ssize_t b) noexcept:
        """``looks_like_ssn`` of an employee id: 9 digits, NNN-NN-NNNN or NNN NN NNNN."""
        cdef Py_ssize_t n = b - a, i
        if n == 9:
            for i in range(a, b):
                if not is_digit(p[i]):
                    return False
            return True
        if n != 11 or not (p[a + 3] == p[a + 6] and (p[a + 3] == 45 or p[a + 3] == 32)):
            return False
        for i in range(a, b):
            if i != a + 3 and i != a + 6 and not is_digit(p[i]):
                return False
        return True

    cdef int emit(self, const unsigned char* p, Row* rows, int count, int64_t first_row) except -1:
        """The group as the planner and the output would make it; 0 when it is not the
        common case (nothing is changed then)."""
        cdef Row* first = &rows[0]
        cdef Row* row
        cdef int i, j, n, name_size
        cdef int64_t withheld = 0, limit, fee = 0, headroom, due, amount, so_far = 0
        cdef int64_t amounts[MAX_GROUP]
        cdef int percent
        cdef bint reached
        cdef char names[MAX_GROUP][16]
        cdef int name_sizes[MAX_GROUP]
        cdef Sdu* sdu
        cdef Py_ssize_t a, b
        cdef char text[128]
        cdef char* line
        if not self.employer_ready:
            return 0
        n = first.stop[F_EMPLOYER] - first.start[F_EMPLOYER]
        if (n != len(self.employer_text)
                or memcmp(p + first.start[F_EMPLOYER], <char*>self.employer_text, n) != 0):
            return 0
        if (self.last_employee is not None
                and len(self.last_employee) == first.stop[F_EMPLOYEE] - first.start[F_EMPLOYEE]
                and memcmp(p + first.start[F_EMPLOYEE], <char*>self.last_employee,
                           len(self.last_employee)) == 0):
            return 0  # the same employee's next pay date: the fee ledger still counts
        date_text = <str><object>first.date_text
        if self.sequence + count > self.max_sequence or self.records + 2 * count > self.max_records:
            return 0
        for i in range(count):
            row = &rows[i]
            if row.terminated:
                return 0
            if i:
                # what group_pay's _close compares, and no case twice
                if not (self.same(p, row, first, F_LAST) and self.same(p, row, first, F_FIRST)
                        and memcmp(row.ssn, first.ssn, 9) == 0 and row.income == first.income
                        and row.other_family == first.other_family
                        and row.over_12 == first.over_12):
                    return 0
                for j in range(i):
                    if self.same(p, row, &rows[j], F_CASE):
                        return 0
            due = row.current + row.medical + row.arrears
            if due <= 0:
                return 0
            withheld += due
            sdu = &self.sdus[row.sdu]
            if not sdu.ready or date_text not in <set><object>sdu.remitted:
                return 0
            if self.report and (self.formula(p, row, F_EMPLOYER) or self.formula(p, row, F_LAST)
                                or self.formula(p, row, F_FIRST) or self.formula(p, row, F_CASE)
                                or self.formula(p, row, F_SDU)
                                or self.formula(p, row, F_EMPLOYEE)):
                return 0
            name_sizes[i] = self.name(p, row, names[i])
            if name_sizes[i] < 0:
                return 0
        percent = self.percents[first.other_family * 2 + first.over_12]
        limit = (first.income if first.income > 0 else 0) * percent // 100
        reached = withheld > limit
        if reached:
            # the limit is shared (withholding.withhold); the first employees of the run
            # whose limit was reached are kept with their whole result, by the planner
            if limit <= 0 or not self.limited_full or withheld >= SAFE or first.income >= SAFE:
                return 0
            if not self.withhold(rows, count, limit, first.income, percent, amounts):
                return 0
            withheld = 0
            for i in range(count):
                withheld += amounts[i]
        else:
            for i in range(count):
                amounts[i] = rows[i].current + rows[i].medical + rows[i].arrears
        # the fee (FeeLedger.fee), with earlier runs' fees when the record has them
        employee = self.next_employee  # order() took it from this group's first row
        if employee is None:
            employee = (<const char*>p)[first.start[F_EMPLOYEE]:first.stop[F_EMPLOYEE]]
        key = None
        cdef char key_text[320]
        cdef Py_ssize_t id_size, key_size
        if self.per_period > 0:
            id_size = len(self.employer_id)
            key_size = id_size + 1 + len(employee)
            if key_size > 320:
                return 0
            memcpy(key_text, <char*>self.employer_id, id_size)
            key_text[id_size] = 31
            memcpy(key_text + id_size + 1, <char*>employee, len(employee))
            key = PyUnicode_DecodeLatin1(key_text, key_size, NULL)
            if self.history:
                # earlier runs' fees this month, on other pay dates (FeeRecord.charged), of
                # the employees the driver fetched for this buffer
                if (self.window is None or date_text[:7] != self.window_month
                        or key < self.window_low
                        or (self.window_high is not None and key >= self.window_high)):
                    return 0
                days = (<dict>self.window).get(key)
                if days:
                    for day, cents in (<dict>days).items():
                        if day != date_text:
                            so_far += <int64_t>cents
            fee = self.per_period
            if self.has_cap and self.monthly_cap - so_far < fee:
                fee = self.monthly_cap - so_far
            headroom = (limit if self.within_limit else first.income) - withheld
            if headroom < fee:
                fee = headroom
            if fee < 0:
                fee = 0
        # --- committed from here on: nothing below declines the group
        if fee:
            self.fee_total += fee
            if self.fees:  # flat, as the fee record sends them: employee, pay date, cents
                self.fee_rows.append(key)
                self.fee_rows.append(date_text)
                self.fee_rows.append(self.per_period_cents if fee == self.per_period else fee)
            self.last_fee_key = key
            self.last_fee_date = date_text
            self.last_fee_cents = so_far + fee
        else:
            self.last_fee_key = None
        self.last_employee = employee
        self.employees += 1
        self.rows += count
        if reached:
            self.limited += 1
        grow(&self.lines, 192 * count)
        if self.report:
            grow(&self.report_lines, LINE_ROOM * count)
        for i in range(count):
            row = &rows[i]
            sdu = &self.sdus[row.sdu]
            due = row.current + row.medical + row.arrears
            amount = amounts[i]
            self.sequence += 1
            self.records += 2
            self.entries += 1
            self.entry_hash += sdu.rdfi
            if sdu.debit:
                self.debit += amount
            else:
                self.credit += amount
            self.sdu_total[row.sdu] += amount
            self.sdu_payments[row.sdu] += 1
            # the entry: the template with amount, identification and trace filled in
            if self.lines.size:
                put_char(&self.lines, 10)
            line = self.lines.data + self.lines.size
            memcpy(line, sdu.entry, 94)
            zero_filled(line + self.entry_amount[0], amount,
                        self.entry_amount[1] - self.entry_amount[0])
            a, b = row.start[F_EMPLOYEE], row.stop[F_EMPLOYEE]
            n = self.entry_identification[1] - self.entry_identification[0]
            memset(line + self.entry_identification[0], 32, n)
            memcpy(line + self.entry_identification[0], p + a, min(n, b - a))
            memcpy(line + self.entry_trace[0], self.odfi, 8)
            zero_filled(line + self.entry_trace[0] + 8, self.sequence, 7)
            self.lines.size += 94
            put_char(&self.lines, 10)
            # the addenda: its DED and the entry's sequence number
            line = self.lines.data + self.lines.size
            memcpy(line, sdu.addenda, 94)
            n = 0
            memcpy(text, <char*>self.head, len(self.head))
            n = len(self.head)
            text[n] = self.separator
            n += 1
            memcpy(text + n, p + row.start[F_CASE], row.stop[F_CASE] - row.start[F_CASE])
            n += row.stop[F_CASE] - row.start[F_CASE]
            text[n] = self.separator
            a = first.start[F_PAY_DATE]
            text[n + 1], text[n + 2] = p[a + 2], p[a + 3]
            text[n + 3], text[n + 4] = p[a + 5], p[a + 6]
            text[n + 5], text[n + 6] = p[a + 8], p[a + 9]
            text[n + 7] = self.separator
            n += 8
            n += decimal(text + n, amount)
            text[n] = self.separator
            memcpy(text + n + 1, row.ssn, 9)
            text[n + 10] = self.separator
            text[n + 11] = 89 if row.coverage else 78
            text[n + 12] = self.separator
            n += 13
            memcpy(text + n, names[i], name_sizes[i])
            n += name_sizes[i]
            text[n] = self.separator
            n += 1
            memcpy(text + n, sdu.fips, sdu.fips_size)
            n += sdu.fips_size
            while n and text[n - 1] == self.separator:
                n -= 1
            text[n] = self.terminator
            n += 1
            j = self.addenda_info[1] - self.addenda_info[0]
            memset(line + self.addenda_info[0], 32, j)
            memcpy(line + self.addenda_info[0], text, n)
            zero_filled(line + self.addenda_sequence[0], self.sequence,
                        self.addenda_sequence[1] - self.addenda_sequence[0])
            self.lines.size += 94
            self.line_count += 2
            if self.report:
                self.report_row(p, row, due, amount, fee if i == 0 else 0)
        return 1

    cdef void report_row(self, const unsigned char* p, Row* row, int64_t due, int64_t amount,
                         int64_t fee) noexcept:
        """``ReportWriter.orders``'s plain line for an order withheld in full."""
        cdef Buffer* out = &self.report_lines
        cdef Py_ssize_t a, b
        if self.report_count:
            put_char(out, 10)
        put(out, <const char*>p + row.start[F_EMPLOYER], row.stop[F_EMPLOYER] - row.start[F_EMPLOYER])
        put_char(out, 44)
        a, b = row.start[F_EMPLOYEE], row.stop[F_EMPLOYEE]
        if not self.full_ssn and self.ssn_like(p, a, b):
            put(out, b"***-**-", 7)
            put(out, <const char*>p + b - 4, 4)
        else:
            put(out, <const char*>p + a, b - a)
        put_char(out, 44)
        put(out, <const char*>p + row.start[F_LAST], row.stop[F_LAST] - row.start[F_LAST])
        put_char(out, 44)
        put(out, <const char*>p + row.start[F_FIRST], row.stop[F_FIRST] - row.start[F_FIRST])
        put_char(out, 44)
        if self.full_ssn:
            put(out, row.ssn, 9)
        else:
            put(out, b"***-**-", 7)
            put(out, row.ssn + 5, 4)
        put_char(out, 44)
        put(out, <const char*>p + row.start[F_CASE], row.stop[F_CASE] - row.start[F_CASE])
        put_char(out, 44)
        a, b = row.start[F_SDU], row.stop[F_SDU]
        while a < b:
            put_char(out, p[a] - 32 if 97 <= p[a] <= 122 else p[a])
            a += 1
        put_char(out, 44)
        put(out, <const char*>p + row.start[F_PAY_DATE], 10)
        put_char(out, 44)
        put_dollars(out, due)
        put_char(out, 44)
        put_dollars(out, amount)
        put_char(out, 44)
        put_dollars(out, fee)
        put_char(out, 44)
        put_dollars(out, due - amount)
        put_char(out, 44)
        if amount < due:  # the reasons; csv quotes them when they hold a comma
            if memchr(self.note.data, 44, self.note.size) != NULL:
                put_char(out, 34)
                put(out, self.note.data, self.note.size)
                put_char(out, 34)
            else:
                put(out, self.note.data, self.note.size)
        self.report_count += 1

    cdef bint withhold(self, Row* rows, int count, int64_t limit, int64_t disposable,
                       int percent, int64_t* amounts) except -1:
        """``withholding.withhold`` for a limit that does not cover everything ordered:
        tiers filled in order, the first that does not fit shared; the reasons in
        ``self.note``. False when an order would get nothing (the planner says so)."""
        cdef int64_t tier1[MAX_GROUP]
        cdef int64_t tier2[MAX_GROUP]
        cdef int64_t shares1[MAX_GROUP]
        cdef int64_t shares2[MAX_GROUP]
        cdef int64_t room = limit, due1 = 0, due2 = 0, current, medical, arrears
        cdef Buffer* note = &self.note
        cdef char digits[24]
        cdef int i
        note.size = 0
        grow(note, NOTE_ROOM)
        for i in range(count):
            tier1[i] = rows[i].current + rows[i].medical
            tier2[i] = rows[i].arrears
            due1 += tier1[i]
            due2 += tier2[i]
        put(note, b"limit ", 6)
        put(note, digits, decimal(digits, percent))
        put(note, b"% of ", 5)
        put_words_dollars(note, disposable)
        put(note, b" = ", 3)
        put_words_dollars(note, limit)
        if due1 <= room:
            for i in range(count):
                shares1[i] = tier1[i]
            room -= due1
        else:
            allocate(room, tier1, count, self.exact, shares1)
            put(note, b"; current support cut from ", 27)
            self.cut(due1, room, count)
            room = 0
        if due2 <= room:
            for i in range(count):
                shares2[i] = tier2[i]
        elif room == 0:
            for i in range(count):
                shares2[i] = 0
            put(note, b"; arrears of ", 13)
            put_words_dollars(note, due2)
            put(note, b" not withheld: limit reached", 28)
        else:
            allocate(room, tier2, count, self.exact, shares2)
            put(note, b"; arrears cut from ", 19)
            self.cut(due2, room, count)
        for i in range(count):
            current = min(shares1[i], rows[i].current)
            medical = min(shares1[i] - rows[i].current, rows[i].medical)
            arrears = min(shares2[i], rows[i].arrears)
            amounts[i] = max(current, 0) + max(medical, 0) + max(arrears, 0)
            if amounts[i] == 0:
                return False
        return True

    cdef void cut(self, int64_t due, int64_t room, int count) noexcept:
        cdef Buffer* note = &self.note
        cdef char digits[24]
        put_words_dollars(note, due)
        put(note, b" to ", 4)
        put_words_dollars(note, room)
        if count > 1:
            put(note, b", shared across ", 16)
            put(note, digits, decimal(digits, count))
            put(note, b" orders", 7)
        put(note, b": limit reached", 15)

    # --- the run ----------------------------------------------------------------------------

    def run(self, bytes data, Py_ssize_t position, int64_t row_number, bint final,
            int64_t most_lines):
        """Take groups from ``data[position:]`` (whole lines; ``final``: nothing follows).

        Returns ``(status, position, row_number, end)``: where the lane stopped and the row
        number there, and for a span where it ends (``end`` is exclusive). ``most_lines`` is
        how many lines to make before returning (the driver flushes them).
        """
        cdef const unsigned char* p = <const unsigned char*>PyBytes_AS_STRING(data)
        cdef Py_ssize_t size = PyBytes_GET_SIZE(data)
        cdef Py_ssize_t pos = position, stop, next_pos, group_start = position
        cdef int64_t row = row_number, group_row = row_number
        cdef Row rows[MAX_GROUP + 1]
        cdef int count = 0
        cdef bint plain
        if len(self.dates) > 4096:  # a file of many pay dates: memory stays flat (no row
            self.dates = {}           # of an earlier run still points into these)
            self.date_texts = {}
            self.last_date_value = None
        self.employer_bytes = (None if self.sort_employer is None
                               else (<str>self.sort_employer).encode("utf-8"))
        while pos < size:
            if not line_at(p, pos, size, final, &stop, &next_pos):
                break
            plain = self.parse(p, pos, stop, &rows[count])
            if plain and count and self.same_key(p, &rows[count], &rows[0]):
                if count == MAX_GROUP:
                    return self.span(p, size, group_start, group_row, final)
                count += 1
                pos = next_pos
                row += 1
                continue
            if not plain:
                if count:
                    return self.span(p, size, group_start, group_row, final)
                return self.span(p, size, pos, row, final)
            if count:
                # the open group is complete: the row at pos starts another
                if not self.emit(p, rows, count, group_row):
                    return (SPAN, group_start, group_row, pos)
                self.commit(p, &rows[0])
                memcpy(&rows[0], &rows[count], cython.sizeof(Row))
                count = 0
                group_start, group_row = pos, row
                if self.line_count >= most_lines:
                    return (MORE, pos, row, pos)
            # group_pay_sorted's checks for a new group (nothing changes until it is taken)
            status = self.order(p, &rows[0])
            if status == UNSORTED_EMPLOYER or status == UNSORTED_EMPLOYEE:
                return (status, pos, row, pos)
            if status == SPAN:
                return self.span(p, size, pos, row, final)
            count = 1
            group_start, group_row = pos, row
            pos = next_pos
            row += 1
        if count:
            if not final:
                return (DONE, group_start, group_row, group_start)
            if not self.emit(p, rows, count, group_row):
                return (SPAN, group_start, group_row, size)
            self.commit(p, &rows[0])
        return (DONE, pos, row, pos)

    cdef int order(self, const unsigned char* p, Row* first) except -1:
        """``group_pay_sorted`` on the first row of a group: DONE when in order,
        UNSORTED_* when the rows are not sorted, SPAN when this row is a pay date that
        came before (the Python pipeline says so). What changes is kept for :meth:`commit`."""
        cdef Py_ssize_t a = first.start[F_EMPLOYER], n = first.stop[F_EMPLOYER] - a
        cdef bytes before
        self.next_employer = None
        self.next_employee = None
        if not (self.employer_bytes is not None and n == len(self.employer_bytes)
                and memcmp(p + a, <char*>self.employer_bytes, n) == 0):
            employer = PyUnicode_DecodeLatin1(<const char*>p + a, n, NULL)
            if employer in self.employers_done:
                return UNSORTED_EMPLOYER
            self.next_employer = employer
            self.next_employee = (<const char*>p)[first.start[F_EMPLOYEE]:first.stop[F_EMPLOYEE]]
            return DONE  # a new employer: any employee id, no pay dates yet
        a, n = first.start[F_EMPLOYEE], first.stop[F_EMPLOYEE] - first.start[F_EMPLOYEE]
        before = self.employee_bytes
        if not (before is not None and n == len(before)
                and memcmp(p + a, <char*>before, n) == 0):
            employee = (<const char*>p)[a:a + n]
            if before is not None:
                self.next_as_text = self.as_text and employee > before
                self.next_by_length = self.by_length and (
                    len(employee) > len(before)
                    or (len(employee) == len(before) and employee > before))
                if not (self.next_as_text or self.next_by_length):
                    return UNSORTED_EMPLOYEE
            else:
                self.next_as_text, self.next_by_length = self.as_text, self.by_length
            self.next_employee = employee
            return DONE
        if self._pay_dates is not None:
            if <object>first.date in self._pay_dates:
                return SPAN
        elif self.only_date is not None and (
                <object>first.date is self.only_date or <object>first.date == self.only_date):
            return SPAN
        return DONE

    cdef int commit(self, const unsigned char* p, Row* first) except -1:
        """The group whose first row :meth:`order` took was taken: the grouping state
        moves past it."""
        if self.next_employer is not None:
            if self.sort_employer is not None:
                self.employers_done.add(self.sort_employer)
            self.sort_employer = self.next_employer
            self.employer_bytes = self.next_employer.encode("latin-1")
            self.as_text = self.by_length = True
        elif self.next_employee is not None:
            self.as_text, self.by_length = self.next_as_text, self.next_by_length
        if self.next_employee is not None:  # a new employee: one pay date so far
            self.employee_bytes = self.next_employee
            self.employee_stale = True
            self._pay_dates = None
            self.only_date = <object>first.date
        else:
            self.pay_dates.add(<object>first.date)
        return 0

    cdef tuple span(self, const unsigned char* p, Py_ssize_t size, Py_ssize_t start,
                    int64_t row, bint final):
        """The span from ``start``: up to the first line boundary after a line that is not
        taken where a plain row follows a plain row of another group."""
        cdef Row before, after
        cdef Py_ssize_t pos = start, stop, next_pos
        cdef bint before_plain = False, after_plain
        cdef bint first = True
        while pos < size:
            if not line_at(p, pos, size, final, &stop, &next_pos):
                break
            after_plain = self.parse(p, pos, stop, &after)
            if not first and before_plain and after_plain and not self.same_key(p, &before,
                                                                                 &after):
                return (SPAN, start, row, pos)
            first = False
            memcpy(&before, &after, cython.sizeof(Row))
            before_plain = after_plain
            pos = next_pos
        if final:
            return (SPAN, start, row, size)
        return (REST, start, row, size)
