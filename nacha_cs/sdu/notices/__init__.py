"""Letters staff can send, drafted in the agency's own structure (seed 003).

Every letter has the three parts the agency's response guideline names: an acknowledgment
(the opening names the addressee and thanks them), a statement of each concern with a specific
response, and a thank you with a summary. Letters are values (:class:`Letter`) built by the
functions in :mod:`.build`, then rendered as Markdown or printable HTML by :mod:`.render`.

Confidentiality is enforced where letters are built, not left to whoever renders them: a
builder keeps only the facts of employers the addressee may see (an employer its own; an agent
those that linked it), and an employee appears with the SSN masked.
"""

from nacha_cs.sdu.notices.build import (
    KINDS,
    compliance_letter,
    defective_file_letter,
    ecl1_letter,
    ecl2_letter,
    mandate_letter,
)
from nacha_cs.sdu.notices.model import Agency, Concern, Letter, Party
from nacha_cs.sdu.notices.render import to_html, to_markdown

__all__ = [
    "KINDS",
    "Agency",
    "Concern",
    "Letter",
    "Party",
    "compliance_letter",
    "defective_file_letter",
    "ecl1_letter",
    "ecl2_letter",
    "mandate_letter",
    "to_html",
    "to_markdown",
]
