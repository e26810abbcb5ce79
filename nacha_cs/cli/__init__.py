"""The command line: click commands and rich output only; the work happens in the core modules."""

from __future__ import annotations

import click

from nacha_cs import __version__
from nacha_cs.cli.ded import ded
from nacha_cs.cli.describe import describe
from nacha_cs.cli.generate import generate
from nacha_cs.cli.remittance import remittance
from nacha_cs.cli.validate import rules, validate


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=(
        "Example: nacha-cs generate fixtures/payroll/sample.csv "
        "--config fixtures/config/sample.toml -o out.ach"
    ),
)
@click.version_option(__version__, prog_name="nacha-cs")
def main() -> None:
    """Generate and validate NACHA ACH files carrying child-support payments
    (CCD+ entries with a DED addenda, CTX entries carrying an X12 820)."""


main.add_command(generate)
main.add_command(validate)
main.add_command(rules)
main.add_command(describe)
main.add_command(ded)
main.add_command(remittance)
