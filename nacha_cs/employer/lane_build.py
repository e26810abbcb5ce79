"""Whether `generate`'s compiled lane is built and switched on.

Apart from :mod:`nacha_cs.employer.lane` (which brings the whole employer pipeline with it) so
that ``nacha-cs --version`` can say so without importing it.
"""

from __future__ import annotations

import os
from typing import Any

from nacha_cs.ach.reader import NO_SCAN_VARIABLE, PURE_VARIABLE

compiled: Any
try:
    from nacha_cs.employer import _lane as compiled
except ImportError:  # built without the extension: the Python pipeline alone
    compiled = None


def fields_match() -> bool:
    """The extension reads the payroll's fields in the order the row parser keeps them."""
    from nacha_cs.employer.payroll import FIELDS

    return compiled is not None and tuple(compiled.FIELD_ORDER) == FIELDS


def switched_off() -> str | None:
    """The variable that turns the compiled code off, when one does (as for the scanner)."""
    for variable in (PURE_VARIABLE, NO_SCAN_VARIABLE):
        if os.environ.get(variable) == "1":
            return variable
    return None


def status() -> str:
    """What ``nacha-cs --version`` says about the lane."""
    if compiled is None:
        return "not built, Python pipeline"
    if not fields_match():
        return "built, but its fields differ from the payroll's: Python pipeline"
    variable = switched_off()
    return f"compiled, turned off by {variable}=1" if variable else "compiled"
