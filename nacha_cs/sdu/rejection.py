"""The letter an SDU sends back with a file it cannot accept: each problem restated in plain
words with where it is and how to fix it, SSNs masked.

Built from the validator's :class:`~nacha_cs.validate.Report`, so it says exactly what
`nacha-cs validate` says. One structure, two renderings: Markdown here (to paste into an e-mail
or print), HTML by whoever shows it.
"""

from __future__ import annotations

import datetime

import attrs

from nacha_cs.findings import RULES, Finding
from nacha_cs.privacy import mask_ded_text
from nacha_cs.validate.present import group_findings
from nacha_cs.validate.state import Report

MAX_PLACES = 10
"""Places listed per problem; a file with a thousand of one defect needs the rule, not a list."""


@attrs.frozen
class Problem:
    """One rule the file breaks, with where and how to fix it."""

    code: str
    severity: str
    title: str
    fix: str
    count: int
    places: tuple[str, ...]


@attrs.frozen
class Letter:
    file_name: str
    date: datetime.date
    accepted: bool
    errors: int
    warnings: int
    entries: int
    problems: tuple[Problem, ...]

    @property
    def subject(self) -> str:
        if self.accepted:
            return f"File {self.file_name} accepted"
        return f"File {self.file_name} rejected: {self.errors} error(s) to correct"


def place(finding: Finding, full_ssn: bool = False) -> str:
    """Where a finding is and what it says: ``line 4, columns 25-30, DED04: ...``."""
    where = []
    if finding.line:
        where.append(f"line {finding.line}")
    if finding.column:
        if finding.end_column in (None, finding.column):
            where.append(f"column {finding.column}")
        else:
            where.append(f"columns {finding.column}-{finding.end_column}")
    if finding.field:
        where.append(finding.field)
    message = finding.message if full_ssn else mask_ded_text(finding.message)
    return f"{', '.join(where)}: {message}" if where else message


def rejection_letter(report: Report, file_name: str, date: datetime.date) -> Letter:
    """The letter for one validated file (an accepted file's letter lists its warnings)."""
    problems = []
    for group in group_findings(report):
        first = group[0]
        known = RULES.get(first.code)
        problems.append(
            Problem(
                code=first.code,
                severity=first.severity,
                title=known.title if known else mask_ded_text(first.message),
                fix=first.hint or (known.hint if known else ""),
                count=len(group),
                places=tuple(place(f) for f in group[:MAX_PLACES]),
            )
        )
    return Letter(
        file_name=file_name,
        date=date,
        accepted=report.valid(),
        errors=report.errors,
        warnings=report.warnings,
        entries=report.summary.entries,
        problems=tuple(problems),
    )


def letter_markdown(letter: Letter) -> str:
    """The letter as Markdown: readable as plain text, and renders where Markdown does.

    >>> from nacha_cs.validate.state import Summary
    >>> text = letter_markdown(rejection_letter(Report("a.ach", [], Summary()), "a.ach",
    ...                        datetime.date(2026, 12, 3)))
    >>> text.splitlines()[0]
    '# File a.ach accepted'
    """
    lines = [
        f"# {letter.subject}",
        "",
        f"Date: {letter.date.isoformat()}",
        "",
    ]
    if letter.accepted:
        lines.append(
            f"The State Disbursement Unit checked the file `{letter.file_name}` "
            f"({letter.entries:,} entries) and accepts it."
        )
    else:
        lines.append(
            f"The State Disbursement Unit checked the file `{letter.file_name}` "
            f"({letter.entries:,} entries) and cannot accept it: it has {letter.errors} "
            f"error(s) and {letter.warnings} warning(s). Please correct each error below and "
            "send the whole file again; none of its payments has been posted."
        )
    if letter.problems:
        lines += ["", "## What to correct" if not letter.accepted else "## Warnings", ""]
    for number, problem in enumerate(letter.problems, 1):
        lines += [
            f"### {number}. {problem.code} ({problem.severity}): {problem.title}",
            "",
            f"Found {problem.count} time(s):",
            "",
        ]
        lines += [f"- {where}" for where in problem.places]
        if problem.count > len(problem.places):
            lines.append(f"- ... and {problem.count - len(problem.places)} more")
        lines += ["", f"**How to fix it:** {problem.fix}", ""]
    lines += [
        "",
        "Line numbers count the records of the file from 1; columns count the characters of a "
        "record from 1. Social Security numbers are shown masked.",
    ]
    return "\n".join(lines).rstrip() + "\n"
