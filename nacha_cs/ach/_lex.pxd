# cython: language_level=3
"""Byte tests shared by the compiled scanner (validate/_scan.pyx) and extractor (_extract.pyx).

Inline C over one 94-byte record: where its line ends, printable ASCII, digit and blank runs, numbers, and the DED
grammar the scanner proves (one reading of it, so the two cannot drift apart).
"""

from libc.stdint cimport int64_t, uint64_t
from libc.string cimport memchr, memcmp, memcpy


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


cdef inline bint line_end(const unsigned char* p, Py_ssize_t pos, Py_ssize_t end,
                          Py_ssize_t* next_pos) noexcept nogil:
    """Whether a 94-byte record (the one length every reader here takes) at ``pos`` ends its line (LF or CRLF) inside the buffer."""
    if pos + 94 >= end:
        return False
    if p[pos + 94] == 10:
        next_pos[0] = pos + 94 + 1
        return True
    if p[pos + 94] == 13 and pos + 94 + 1 < end and p[pos + 94 + 1] == 10:
        next_pos[0] = pos + 94 + 2
        return True
    return False


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


cdef inline int64_t ded_read(const unsigned char* f, int* starts, int* ends,
                             int* count) noexcept nogil:
    """DED04 of the 80 bytes at ``f`` (an addenda's columns 4-83) when they hold a DED that
    cannot draw any finding, else -1; ``starts``/``ends`` (room for 8) get DED02.. offsets
    into ``f`` and ``count`` how many elements were sent.

    The same verdict as ``nacha_cs.codecs.ded_fast.amount_reader`` (strict policy, YYMMDD):
    DED*CS, a case of 1-20, a real pay date, 1-10 digits of cents, an issuable SSN, Y or N,
    then an optional name (1-10), FIPS (5 or 7) and Y, no empty last element, the backslash,
    spaces to column 83. A zero amount passes only with DED09 = Y.
    """
    cdef int size = 80
    cdef int stop
    cdef const unsigned char* found
    cdef int i, begin, n
    cdef int parts = 0
    cdef const unsigned char* v
    cdef int64_t cents
    cdef uint64_t word
    if memcmp(f, b"DED*CS*", 7) != 0:
        return -1
    found = <const unsigned char*>memchr(f + 7, 92, size - 7)
    if found == NULL:
        return -1
    stop = found - f
    i = stop + 1
    while i + 8 <= size:  # spaces to the end, a word at a time
        memcpy(&word, f + i, 8)
        if word != 0x2020202020202020ULL:
            return -1
        i += 8
    while i < size:
        if f[i] != 32:
            return -1
        i += 1
    if f[stop - 1] == 42:
        return -1  # an empty last element
    begin = 7
    while True:
        found = <const unsigned char*>memchr(f + begin, 42, stop - begin)
        if found == NULL:
            break
        if parts == 7:
            return -1  # a tenth element
        starts[parts] = begin
        ends[parts] = found - f
        parts += 1
        begin = ends[parts - 1] + 1
    starts[parts] = begin
    ends[parts] = stop
    parts += 1
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
    count[0] = parts
    return cents
