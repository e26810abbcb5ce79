"""``nacha-cs testkit``: files for banks and vendors testing their child-support parsing.

``make`` writes valid files of a given shape, reproducible by seed; ``mutate`` writes one
known-bad variant per rule from a valid file, each with the findings it must raise.
"""

from __future__ import annotations

from pathlib import Path

import click

from nacha_cs.ach.writer import OutputExistsError
from nacha_cs.bank.kit import KINDS, NEWLINES, KitRejected, make_kit
from nacha_cs.bank.run import BaseNotValid, mutate_file
from nacha_cs.cli._output import fail, stdout_console

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=_CONTEXT)
def testkit() -> None:
    """Test files for banks: valid kits by seed, and one known-bad variant per rule."""


@testkit.command("make", context_settings=_CONTEXT,
                 epilog="Example: nacha-cs testkit make --kind mixed --entries 1000 --seed 7 "
                 "-o kit/")
@click.option("--kind", type=click.Choice(KINDS), required=True,
              help="ccd+ (DED addenda), ctx (820s), mixed, prenote, termination, returns.")
@click.option("--entries", type=click.IntRange(min=1), default=100, show_default=True,
              help="Entry detail records per file (streamed: a million is fine).")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same seed gives the same bytes.")
@click.option("--newline", "newlines", type=click.Choice(tuple(NEWLINES)), multiple=True,
              help="Line ends to write (repeat; default all: lf, crlf and none = unbroken).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the files and their .manifest.json.")
@click.option("--force", is_flag=True, help="Replace files that exist.")
def make(kind: str, entries: int, seed: int, newlines: tuple[str, ...], output: Path,
         force: bool) -> None:
    """Write valid files of one kind, each checked by our validator as it is written."""
    try:
        made = make_kit(kind, entries, seed, output, newlines or tuple(NEWLINES), force=force)
    except (KitRejected, OutputExistsError, ValueError) as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot write to {output}: {error.strerror or error}")
    console = stdout_console()
    for item in made:
        summary = item.manifest["summary"]
        console.print(f"{item.path}: {summary['batches']} batches, {summary['entries']} "
                      f"entries, {summary['addenda']} addenda ({item.manifest_path.name})")


@testkit.command("mutate", context_settings=_CONTEXT,
                 epilog="Example: nacha-cs testkit mutate kit/mixed-7-lf.ach -o bad/ "
                 "--rule DED014 --rule X12017")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the variants and manifest.json.")
@click.option("--rule", "rules", multiple=True, help="Only variants for this rule (repeat).")
@click.option("--no-wild", is_flag=True, help="Leave out the variants seen in the wild.")
@click.option("--force", is_flag=True, help="Replace files that exist.")
def mutate(file: Path, output: Path, rules: tuple[str, ...], no_wild: bool,
           force: bool) -> None:
    """One variant per applicable rule, each made by one edit, with its expected findings."""
    try:
        outcomes = mutate_file(file, output, rules, wild=not no_wild, force=force)
    except (BaseNotValid, OutputExistsError) as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot read {file} or write to {output}: {error.strerror or error}")
    if not outcomes:
        fail(f"no variant of {file} for rule(s) {', '.join(rules) or 'any'}", code=1)
    console = stdout_console()
    disagree = [o for o in outcomes if o.disagreements]
    console.print(f"{len(outcomes)} variants ({len({o.variant.rule for o in outcomes})} rules) "
                  f"in {output}; manifest.json lists the expected findings")
    for outcome in disagree:
        console.print(f"[bold]validator disagrees[/] on {outcome.path.name}: "
                      + "; ".join(outcome.disagreements), markup=True)
