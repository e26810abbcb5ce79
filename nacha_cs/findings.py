"""Findings and the rule catalogue.

Every check in the project, from a field that holds letters where digits belong to an 820 whose
SE count is off, reports a :class:`Finding` built from a registered :class:`Rule`. Rules are
registered once, at import time, by the module that owns them, so ``nacha-cs rules`` can list the
whole catalogue and a code never means two things.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

Severity = Literal["error", "warning"]
Profile = Literal["nacha", "child-support"]


@attrs.frozen(slots=True)
class Finding:
    """One defect, located as precisely as the check could locate it.

    ``line`` is the 1-based record number (or row number for payroll input), ``column`` and
    ``end_column`` the 1-based inclusive column span inside that record.
    """

    code: str
    severity: Severity
    message: str
    line: int | None = None
    column: int | None = None
    end_column: int | None = None
    field: str | None = None
    hint: str | None = None

    def at(
        self,
        line: int | None = None,
        column_offset: int = 0,
    ) -> Finding:
        """Place a finding made inside a sub-field (a DED in an addenda) into its record."""
        return attrs.evolve(
            self,
            line=line if line is not None else self.line,
            column=None if self.column is None else self.column + column_offset,
            end_column=None if self.end_column is None else self.end_column + column_offset,
        )


@attrs.frozen(slots=True)
class Rule:
    code: str
    severity: Severity
    title: str
    hint: str
    profile: Profile = "nacha"

    def finding(
        self,
        message: str | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        end_column: int | None = None,
        field: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=message or self.title,
            line=line,
            column=column,
            end_column=end_column if end_column is not None else column,
            field=field,
            hint=self.hint,
        )


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title: str, hint: str, profile: Profile = "nacha") -> Rule:
    """Register a rule; a code registered twice is a programming error."""
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    registered = Rule(code, severity, title, hint, profile)
    RULES[code] = registered
    return registered


def count_errors(findings: Iterable[Finding]) -> int:
    return sum(1 for f in findings if f.severity == "error")
