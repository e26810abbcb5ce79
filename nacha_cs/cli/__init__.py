"""The command line: click commands and rich output only; the work happens in the core modules.

Commands are imported when they run, not when the program starts: `nacha-cs validate` on a
million-entry file should not pay for loading the payroll generator.
"""

from __future__ import annotations

import importlib

import click

from nacha_cs import __version__

COMMANDS: dict[str, str] = {
    "generate": "nacha_cs.cli.generate:generate",
    "validate": "nacha_cs.cli.validate:validate",
    "rules": "nacha_cs.cli.validate:rules",
    "describe": "nacha_cs.cli.describe:describe",
    "remittance": "nacha_cs.cli.remittance:remittance",
    "ded": "nacha_cs.cli.ded:ded",
    "testkit": "nacha_cs.cli.testkit:testkit",
}


class LazyGroup(click.Group):
    """A group whose subcommands live in their own modules and load on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(
    cls=LazyGroup,
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
