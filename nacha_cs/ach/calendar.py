"""Federal Reserve banking days.

ACH effective entry dates must be days the Federal Reserve Banks are open, and remittance
deadlines count business days. The holiday table is computed by rule for any year instead of
coming from the ``holidays`` package: the rules are eleven lines, a dependency would pin us to
someone else's release cycle, and the Fed's weekend rule is the part general-purpose calendars
get wrong for banking. The rule, as the Fed publishes it:

* a holiday that falls on a Sunday closes the Monday after;
* a holiday that falls on a Saturday does **not** close the Friday before (federal offices
  close that Friday, the Reserve Banks stay open).

Juneteenth National Independence Day was first observed by the Reserve Banks in 2022; the table
leaves it out for earlier years. Other holidays are computed with today's rules for every year,
which is right from 1971 (Monday holidays) and 1986 (Martin Luther King Jr. Day) on.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

_ONE_DAY = dt.timedelta(days=1)
_MONDAY, _THURSDAY, _SATURDAY, _SUNDAY = 0, 3, 5, 6
JUNETEENTH_FIRST_YEAR = 2022
"""First year the Federal Reserve Banks closed for Juneteenth."""


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month (n >= 1)."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    """The last given weekday of a month."""
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last = next_month - _ONE_DAY
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def holidays_on_calendar(year: int) -> dict[dt.date, str]:
    """The year's holidays on their calendar dates, before any weekend shift.

    >>> holidays_on_calendar(2026)[dt.date(2026, 11, 26)]
    'Thanksgiving Day'
    """
    days = {
        dt.date(year, 1, 1): "New Year's Day",
        _nth_weekday(year, 1, _MONDAY, 3): "Birthday of Martin Luther King, Jr.",
        _nth_weekday(year, 2, _MONDAY, 3): "Washington's Birthday",
        _last_weekday(year, 5, _MONDAY): "Memorial Day",
        dt.date(year, 7, 4): "Independence Day",
        _nth_weekday(year, 9, _MONDAY, 1): "Labor Day",
        _nth_weekday(year, 10, _MONDAY, 2): "Columbus Day",
        dt.date(year, 11, 11): "Veterans Day",
        _nth_weekday(year, 11, _THURSDAY, 4): "Thanksgiving Day",
        dt.date(year, 12, 25): "Christmas Day",
    }
    if year >= JUNETEENTH_FIRST_YEAR:
        days[dt.date(year, 6, 19)] = "Juneteenth National Independence Day"
    return dict(sorted(days.items()))


@lru_cache(maxsize=256)
def closed_days(year: int) -> dict[dt.date, str]:
    """Weekdays of ``year`` on which the Reserve Banks are closed for a holiday.

    A Sunday holiday moves to Monday (marked "observed"); a Saturday holiday is dropped,
    because the Fed stays open on the Friday before.

    >>> closed_days(2027)[dt.date(2027, 7, 5)]
    'Independence Day (observed)'
    >>> dt.date(2027, 12, 24) in closed_days(2027)
    False
    """
    closed: dict[dt.date, str] = {}
    for day, name in holidays_on_calendar(year).items():
        if day.weekday() == _SUNDAY:
            closed[day + _ONE_DAY] = f"{name} (observed)"
        elif day.weekday() != _SATURDAY:
            closed[day] = name
    return closed


def holiday_name(day: dt.date) -> str | None:
    """Name of the holiday on ``day`` (its calendar date or the Monday it is observed on).

    Saturday holidays are named too, although that Saturday is closed anyway; the Friday
    before them is an ordinary banking day and gets ``None``.

    >>> holiday_name(dt.date(2026, 6, 19))
    'Juneteenth National Independence Day'
    >>> holiday_name(dt.date(2026, 7, 3)) is None
    True
    """
    name = closed_days(day.year).get(day)
    if name is not None:
        return name
    return holidays_on_calendar(day.year).get(day)


def is_banking_day(day: dt.date) -> bool:
    """True when the Federal Reserve Banks are open: a weekday that is not a closed holiday.

    >>> is_banking_day(dt.date(2026, 7, 3))  # Friday before a Saturday July 4th
    True
    >>> is_banking_day(dt.date(2026, 12, 25))
    False
    """
    return day.weekday() < _SATURDAY and day not in closed_days(day.year)


def next_banking_day(day: dt.date) -> dt.date:
    """The first banking day strictly after ``day``.

    >>> next_banking_day(dt.date(2026, 12, 24))
    datetime.date(2026, 12, 28)
    """
    return add_banking_days(day, 1)


def banking_day_on_or_after(day: dt.date) -> dt.date:
    """``day`` itself when it is a banking day, else the next one."""
    return day if is_banking_day(day) else next_banking_day(day)


def add_banking_days(day: dt.date, n: int) -> dt.date:
    """Move ``n`` banking days from ``day`` (backwards when ``n`` is negative).

    ``day`` itself does not count, so a deadline of "7 business days after the pay date" is
    ``add_banking_days(pay_date, 7)`` whatever kind of day the pay date is. ``n == 0`` returns
    ``day`` unchanged.

    >>> add_banking_days(dt.date(2026, 11, 25), 1)  # Wednesday before Thanksgiving
    datetime.date(2026, 11, 27)
    >>> add_banking_days(dt.date(2027, 1, 4), -1)  # Monday after New Year's Day
    datetime.date(2026, 12, 31)
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if is_banking_day(day):
            remaining -= 1
    return day


def banking_days_between(start: dt.date, end: dt.date) -> int:
    """Banking days in the half-open interval (start, end]; negative when end < start."""
    if end < start:
        return -banking_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if is_banking_day(day):
            count += 1
    return count
