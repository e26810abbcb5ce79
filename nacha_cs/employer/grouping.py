"""Grouping payroll rows into each employee's pay date: the unit withholding works on.

Rows of one employee and pay date must be adjacent (PAY010): withholding split rows twice
would apply the limit twice. :func:`group_pay` takes rows in any order and remembers one key
per group; :func:`group_pay_sorted` proves from the order alone that no group can come back,
remembering only the current employee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from nacha_cs.employer.payroll import EmployeePay, PayrollRow
from nacha_cs.employer.rules import DUPLICATE_CASE, INCONSISTENT_EMPLOYEE, NOT_ADJACENT
from nacha_cs.findings import Finding
from nacha_cs.privacy import mask_identification

# Fields every order row of one employee and pay date must agree on.
_SHARED = (
    "ssn",
    "last_name",
    "first_name",
    "disposable_income",
    "supports_other_family",
    "arrears_over_12_weeks",
    "terminated",
)


def group_pay(items: Iterable[PayrollRow | Finding]) -> Iterator[EmployeePay | Finding]:
    """Gather adjacent rows of one employee and pay date; findings pass straight through.

    A group whose rows disagree, repeat a case, or reappear later in the input is reported and
    dropped: withholding it would apply the limit twice or to the wrong pay. Remembering which
    groups were seen costs one key per group, not the rows (a key, not its hash: a collision
    must never report a row that is in order).
    """
    seen: set[tuple[str, str, dt.date]] = set()
    current: list[PayrollRow] = []
    current_key: tuple[str, str, dt.date] | None = None
    for item in items:
        if type(item) is Finding:
            yield item
            continue
        assert isinstance(item, PayrollRow)
        key = (item.employer, item.employee_id, item.pay_date)
        if key == current_key:
            current.append(item)
            continue
        if current:
            yield from _close(current)
        current = []
        current_key = None
        if key in seen:
            yield NOT_ADJACENT.finding(
                f"employee {mask_identification(item.employee_id)} "
                f"on {item.pay_date.isoformat()} appeared "
                "earlier, separated by other rows",
                line=item.row,
            )
            continue
        seen.add(key)
        current = [item]
        current_key = key
    if current:
        yield from _close(current)


@attrs.frozen(slots=True)
class Unsorted:
    """The rows are not in an order :func:`group_pay_sorted` can prove safe; ``reason`` says
    where. The last item it yields: the caller goes again with :func:`group_pay`, which
    remembers every group instead."""

    reason: str


@attrs.define
class SortState:
    """Where :func:`group_pay_sorted` is in the rows: the employers done, the current
    employer and employee, whether ids grew as text and by length, the employee's pay dates.

    Passed in, it lets one pass over the rows go on in several pieces (the compiled lane of
    :mod:`nacha_cs.employer.lane` takes the plain stretches between them)."""

    employers_done: set[str] = attrs.field(factory=set)
    employer: str | None = None
    employee: str | None = None
    as_text: bool = True
    by_length: bool = True
    pay_dates: set[dt.date] = attrs.field(factory=set)


def group_pay_sorted(
    items: Iterable[PayrollRow | Finding],
    state: SortState | None = None,
) -> Iterator[EmployeePay | Finding | Unsorted]:
    """:func:`group_pay` for exports sorted by employer and employee, in memory that does not
    grow with the rows: only the current employee's pay dates are remembered.

    A group can only reappear if its employee does, so it is enough to see that each
    employer's rows are together and that, within an employer, employee ids only grow (as
    text, or by length then text, which orders ``E9`` before ``E10``). While that holds, the
    items are exactly those of :func:`group_pay`; when it does not, an :class:`Unsorted`
    comes last (nothing said before it is wrong, only unproven).
    """
    current: list[PayrollRow] = []
    current_key: tuple[str, str, dt.date] | None = None
    if state is None:
        state = SortState()
    employers_done = state.employers_done
    employer, employee = state.employer, state.employee
    as_text, by_length = state.as_text, state.by_length
    pay_dates = state.pay_dates
    for item in items:
        if type(item) is Finding:
            yield item
            continue
        assert isinstance(item, PayrollRow)
        key = (item.employer, item.employee_id, item.pay_date)
        if key == current_key:
            current.append(item)
            continue
        if current:
            if len(current) == 1:  # most groups: one order, nothing to compare
                yield EmployeePay((current[0],))
            else:
                yield from _close(current)
        current = []
        current_key = None
        if item.employer != employer:
            if item.employer in employers_done:
                yield Unsorted(f"row {item.row}: employer {item.employer!r} appeared earlier")
                return
            if employer is not None:
                employers_done.add(employer)
            employer, employee = item.employer, None
            as_text = by_length = True
        employee_id = item.employee_id
        if employee_id != employee:
            if employee is not None:
                as_text = as_text and employee_id > employee
                by_length = by_length and (
                    len(employee_id) > len(employee)
                    or (len(employee_id) == len(employee) and employee_id > employee)
                )
                if not (as_text or by_length):
                    yield Unsorted(f"row {item.row}: employee ids are not in order")
                    return
            employee = employee_id
            pay_dates = set()
        if item.pay_date in pay_dates:
            yield NOT_ADJACENT.finding(
                f"employee {mask_identification(item.employee_id)} "
                f"on {item.pay_date.isoformat()} appeared "
                "earlier, separated by other rows",
                line=item.row,
            )
            continue
        pay_dates.add(item.pay_date)
        current = [item]
        current_key = key
    if current:
        yield from _close(current)
    state.employer, state.employee = employer, employee
    state.as_text, state.by_length = as_text, by_length
    state.pay_dates = pay_dates


def _close(rows: list[PayrollRow]) -> list[EmployeePay | Finding]:
    """One employee's rows as a group, or the findings that make the group unusable."""
    if len(rows) == 1:
        return [EmployeePay((rows[0],))]
    first = rows[0]
    problems: list[EmployeePay | Finding] = []
    cases = {first.case_id}
    for row in rows[1:]:
        if row.case_id in cases:
            problems.append(
                DUPLICATE_CASE.finding(
                    f"case {row.case_id} appears twice for employee "
                    f"{mask_identification(row.employee_id)} "
                    f"on {row.pay_date.isoformat()}",
                    line=row.row,
                )
            )
        cases.add(row.case_id)
        for name in _SHARED:
            if getattr(row, name) != getattr(first, name):
                problems.append(
                    INCONSISTENT_EMPLOYEE.finding(
                        f"{name} differs from row {first.row} of the same employee",
                        line=row.row,
                        field=name,
                    )
                )
    return problems or [EmployeePay(tuple(rows))]
