"""Validation: the rule catalogue, the streaming engine and the rules grouped by scope.

Import from here (``from nacha_cs.validate import validate_path``): the modules behind these
names may be split or renamed, these names stay.
"""

from nacha_cs.validate.engine import (
    Options,
    Report,
    Summary,
    Validator,
    validate_path,
    validate_stream,
)

__all__ = ["Options", "Report", "Summary", "Validator", "validate_path", "validate_stream"]
