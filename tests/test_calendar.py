"""Federal Reserve holiday table and banking-day arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nacha_cs.ach import calendar
from nacha_cs.ach.calendar import (
    add_banking_days,
    banking_day_on_or_after,
    banking_days_between,
    closed_days,
    holiday_name,
    is_banking_day,
    next_banking_day,
)

D = dt.date

# The Federal Reserve's published schedule: the days the Reserve Banks are closed.
CLOSED_2026 = {
    D(2026, 1, 1): "New Year's Day",
    D(2026, 1, 19): "Birthday of Martin Luther King, Jr.",
    D(2026, 2, 16): "Washington's Birthday",
    D(2026, 5, 25): "Memorial Day",
    D(2026, 6, 19): "Juneteenth National Independence Day",
    # July 4th 2026 is a Saturday: no weekday closure at all.
    D(2026, 9, 7): "Labor Day",
    D(2026, 10, 12): "Columbus Day",
    D(2026, 11, 11): "Veterans Day",
    D(2026, 11, 26): "Thanksgiving Day",
    D(2026, 12, 25): "Christmas Day",
}
CLOSED_2027 = {
    D(2027, 1, 1): "New Year's Day",
    D(2027, 1, 18): "Birthday of Martin Luther King, Jr.",
    D(2027, 2, 15): "Washington's Birthday",
    D(2027, 5, 31): "Memorial Day",
    # Juneteenth 2027 is a Saturday: Friday June 18 stays open.
    D(2027, 7, 5): "Independence Day (observed)",  # July 4th is a Sunday
    D(2027, 9, 6): "Labor Day",
    D(2027, 10, 11): "Columbus Day",
    D(2027, 11, 11): "Veterans Day",
    D(2027, 11, 25): "Thanksgiving Day",
    # Christmas 2027 is a Saturday: Friday December 24 stays open.
}


@pytest.mark.parametrize(("year", "expected"), [(2026, CLOSED_2026), (2027, CLOSED_2027)])
def test_published_schedule(year: int, expected: dict[dt.date, str]) -> None:
    assert closed_days(year) == expected


@pytest.mark.parametrize(
    ("day", "open_", "why"),
    [
        (D(2026, 6, 19), False, "Juneteenth on a Friday"),
        (D(2026, 7, 3), True, "Friday before a Saturday Independence Day"),
        (D(2026, 7, 4), False, "Saturday"),
        (D(2027, 6, 18), True, "Friday before a Saturday Juneteenth"),
        (D(2027, 7, 5), False, "Monday after a Sunday Independence Day"),
        (D(2027, 12, 24), True, "Friday before a Saturday Christmas"),
        (D(2027, 12, 31), True, "Friday before a Saturday New Year's Day 2028"),
        (D(2022, 6, 20), False, "Juneteenth 2022 (Sunday) observed Monday"),
        (D(2021, 6, 18), True, "the Fed did not close for Juneteenth in 2021"),
        (D(2026, 3, 4), True, "an ordinary Wednesday"),
        (D(2026, 3, 8), False, "an ordinary Sunday"),
    ],
)
def test_weekend_rules(day: dt.date, open_: bool, why: str) -> None:
    assert is_banking_day(day) is open_, why


def test_holiday_names() -> None:
    assert holiday_name(D(2027, 7, 5)) == "Independence Day (observed)"
    assert holiday_name(D(2027, 7, 4)) == "Independence Day"
    assert holiday_name(D(2027, 12, 25)) == "Christmas Day"  # a Saturday, named anyway
    assert holiday_name(D(2027, 12, 24)) is None
    assert holiday_name(D(2026, 3, 4)) is None


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 12, 24), 1, D(2026, 12, 28)),  # over Christmas and a weekend
        (D(2026, 11, 25), 1, D(2026, 11, 27)),  # over Thanksgiving
        (D(2026, 7, 2), 1, D(2026, 7, 3)),  # Friday July 3rd is open
        (D(2027, 7, 2), 1, D(2027, 7, 6)),  # Monday July 5th is closed
        (D(2026, 6, 12), 7, D(2026, 6, 24)),  # 7 business days over Juneteenth
        (D(2026, 3, 7), 0, D(2026, 3, 7)),  # zero moves nowhere, even from a Saturday
        (D(2027, 1, 4), -1, D(2026, 12, 31)),  # backwards over New Year's Day
    ],
)
def test_add_banking_days(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_banking_days(start, n) == expected


def test_next_and_on_or_after() -> None:
    assert next_banking_day(D(2026, 3, 4)) == D(2026, 3, 5)
    assert banking_day_on_or_after(D(2026, 3, 4)) == D(2026, 3, 4)
    assert banking_day_on_or_after(D(2026, 12, 25)) == D(2026, 12, 28)


def test_banking_days_between() -> None:
    assert banking_days_between(D(2026, 6, 12), D(2026, 6, 24)) == 7
    assert banking_days_between(D(2026, 6, 24), D(2026, 6, 12)) == -7
    assert banking_days_between(D(2026, 6, 12), D(2026, 6, 12)) == 0


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)), st.integers(0, 40))
def test_add_then_count_round_trips(start: dt.date, n: int) -> None:
    end = add_banking_days(start, n)
    assert banking_days_between(start, end) == n
    if n:
        assert is_banking_day(end)
    if is_banking_day(start):
        assert add_banking_days(end, -n) == start


@given(st.integers(1990, 2100))
def test_every_year_has_its_holidays(year: int) -> None:
    calendar_days = calendar.holidays_on_calendar(year)
    assert len(calendar_days) == (11 if year >= calendar.JUNETEENTH_FIRST_YEAR else 10)
    assert all(day.year == year for day in calendar_days)
    weekend = sum(1 for day in calendar_days if day.weekday() == 5)
    assert len(closed_days(year)) == len(calendar_days) - weekend
    assert all(day.weekday() < 5 for day in closed_days(year))


def test_agrees_with_holidays_package() -> None:
    """Cross-check against the ``holidays`` package where it is installed (not a dependency)."""
    holidays = pytest.importorskip("holidays")
    for year in range(2022, 2041):
        theirs = {
            day
            for day in holidays.financial_holidays("XFED", years=year)
            if day.weekday() < 5 and day.year == year
        }
        assert theirs == set(closed_days(year)), year
