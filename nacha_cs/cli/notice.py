"""`nacha-cs notice KIND`: letter drafts (Markdown, printable HTML) staff review and send."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from nacha_cs.cli._output import fail
from nacha_cs.cli._sdu import date_option, facts_of, remit_days

EXAMPLE = """\b
Examples:
  nacha-cs notice defective-file incoming.ach --to "ACME TIMBER" -o acme-rejected.html
  nacha-cs notice contact --employer 931111111 --as-of 2026-06-03 -o acme-contact.md
  nacha-cs notice ecl1 --employer 931111111 --format both -o letters/acme-ecl1
  nacha-cs notice ecl2 --agent 944444444 -o partners-ecl2.md
  nacha-cs notice mandate --employer 932222222 --state oregon -o bolt-eft.html
"""


def _common(function: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--date", "letter_date", callback=date_option, metavar="DATE",
                     help="Date printed on the letter (default today)."),
        click.option("--format", "output_format",
                     type=click.Choice(["markdown", "html", "both"]), default=None,
                     help="Default: from the -o suffix (.md, .html), else markdown."),
        click.option("-o", "--output", type=click.Path(dir_okay=False),
                     help="Write here (atomically); with --format both, PATH.md and "
                          "PATH.html."),
        click.option("--force", is_flag=True, help="Replace existing output files."),
        click.option("--attention", default="", help="Attn: line and salutation."),
        click.option("--sender-name", default="State Disbursement Unit", show_default=True),
        click.option("--sender-office", default="Employer Services", show_default=True),
        click.option("--sender-contact", default="", help="Phone or email under the closing."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _party_options(function: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--employer", metavar="EIN", help="Write to this employer."),
        click.option("--agent", metavar="ID", help="Write to this agent (payroll provider): "
                     "only employers that linked it appear."),
        click.option("--as-of", callback=date_option, metavar="DATE",
                     help="Facts as of this day (default: the letter's date)."),
        click.option("--db", metavar="URL", help="Ledger database URL."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group(epilog=EXAMPLE)
def notice() -> None:
    """Draft a letter in the agency's structure (seed 003): the opening names and thanks the
    addressee, each concern is stated with a specific response, the closing thanks and sums
    up. Letters carry only the addressee's own employees (an agent's: its linked employers'),
    SSNs masked. Review before sending; record what you send with `compliance record`."""


def _write(letter: Any, output: str | None, output_format: str | None, force: bool) -> None:
    from nacha_cs.ach.writer import OutputExistsError, atomic_output
    from nacha_cs.sdu.notices import to_html, to_markdown

    fmt = output_format
    if fmt is None:
        suffix = Path(output).suffix.lower() if output else ""
        fmt = "html" if suffix in (".html", ".htm") else "markdown"
    if output is None:
        if fmt == "both":
            fail("--format both needs -o PATH (PATH.md and PATH.html are written)")
        click.echo(to_html(letter) if fmt == "html" else to_markdown(letter), nl=False)
        return
    if fmt == "both":
        base = Path(output)
        base = base.with_suffix("") if base.suffix.lower() in (".md", ".html", ".htm") else base
        targets = [(f"{base}.md", to_markdown(letter)), (f"{base}.html", to_html(letter))]
    else:
        targets = [(output, to_html(letter) if fmt == "html" else to_markdown(letter))]
    if not force:
        for path, _ in targets:
            if Path(path).exists():
                fail(f"{path} exists; use --force to replace it")
    for path, text in targets:
        try:
            with atomic_output(path, force=force, encoding="utf-8") as out:
                out.write(text)
        except OutputExistsError as error:
            fail(str(error))
        except OSError as error:
            fail(f"cannot write {path}: {error.strerror or error}")
        click.echo(f"wrote {letter.kind} letter to {path}", err=True)


def _sender(name: str, office: str, contact: str) -> Any:
    from nacha_cs.sdu.notices import Agency

    return Agency(name, office, contact)


def _addressee(facts: Any, employer: str | None, agent: str | None, attention: str) -> Any:
    from nacha_cs.sdu.notices import Party

    if bool(employer) == bool(agent):
        fail("name the addressee: --employer EIN or --agent ID (one of them)")
    if employer:
        known = facts.employer(employer)
        if known is None:
            fail(f"no employer {employer} in the ledger")
        return Party(known.name or employer, "employer", ein=employer, attention=attention)
    found = facts.agent(agent)
    if found is None:
        fail(f"no agent {agent} in the ledger")
    return Party(found.name or str(agent), "agent", acting_for=found.employers,
                 attention=attention)


@notice.command("defective-file", epilog=EXAMPLE)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--to", "to_name", help="The sender of the file (default: the file header's "
              "origin name).")
@click.option("--ein", default="", help="The sender's EIN, printed under the subject.")
@click.option("--state", metavar="NAME", help="Validate under this state profile.")
@click.option("--received", callback=date_option, metavar="DATE", help="When it arrived.")
@click.option("--full-ssn", is_flag=True, help="Leave SSNs in finding messages unmasked.")
@_common
def defective_file(path: str, to_name: str | None, ein: str, state: str | None,
                   received: dt.date | None, full_ssn: bool, letter_date: dt.date | None,
                   output_format: str | None, output: str | None, force: bool, attention: str,
                   sender_name: str, sender_office: str, sender_contact: str) -> None:
    """A rejected or defective file: every finding of `nacha-cs validate` restated in plain
    words, where it is, and its fix from the rule catalogue."""
    from nacha_cs.ach.reader import read_file
    from nacha_cs.sdu.notices import Party, defective_file_letter
    from nacha_cs.sdu.notices.build import NothingToSay
    from nacha_cs.validate import Options, validate_path
    from nacha_cs.validate.profiles import ProfileError, load_profile

    try:
        options = Options(state=load_profile(state)) if state else Options()
    except ProfileError as error:
        fail(str(error))
    try:
        report = validate_path(path, options)
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    name = to_name
    if not name:
        try:
            ach_file, _ = read_file(path)
        except OSError:
            ach_file = None
        if ach_file is not None:
            name = ach_file.header.immediate_origin_name.strip() or (
                ach_file.batches[0].header.company_name.strip() if ach_file.batches else "")
    if not name:
        fail("the file does not name its sender; say whom to write to with --to NAME")
    try:
        letter = defective_file_letter(
            Party(name, ein=ein, attention=attention), Path(path).name, report.findings,
            date=letter_date or dt.date.today(), received=received,
            sender=_sender(sender_name, sender_office, sender_contact), full_ssn=full_ssn)
    except NothingToSay as error:
        fail(str(error), code=1)
    _write(letter, output, output_format, force)


def _compliance_kind(kind: str) -> Callable[..., None]:
    def command(employer: str | None, agent: str | None, as_of: dt.date | None,
                db: str | None, state: str | None, letter_date: dt.date | None,
                output_format: str | None, output: str | None, force: bool, attention: str,
                sender_name: str, sender_office: str, sender_contact: str) -> None:
        from nacha_cs.sdu.compliance import Settings, evaluate
        from nacha_cs.sdu.notices import compliance_letter, ecl1_letter, ecl2_letter
        from nacha_cs.sdu.notices.build import NothingToSay

        day = letter_date or dt.date.today()
        settings = Settings(remit_days=remit_days(state))
        with facts_of(db) as facts:
            party = _addressee(facts, employer, agent, attention)
            rows = evaluate(facts.orders, facts.payments, facts.actions, as_of or day, settings)
        build = {"contact": compliance_letter, "ecl1": ecl1_letter, "ecl2": ecl2_letter}[kind]
        try:
            letter = build(party, rows, facts.orders, date=day,
                           sender=_sender(sender_name, sender_office, sender_contact),
                           employer_names=facts.employer_names)
        except NothingToSay as error:
            fail(str(error), code=1)
        _write(letter, output, output_format, force)
        if kind in ("ecl1", "ecl2"):
            cases = dict(letter.references).get("Cases", "")
            click.echo(f"once sent, record it: nacha-cs compliance record --case CASE "
                       f"--{kind} DATE (cases: {cases})", err=True)

    return command


HELP = {
    "contact": "A compliance contact: every case of the addressee that needs its action "
               "(payments stopped, IWO unanswered, amount differs, late payments).",
    "ecl1": "Employer Compliance Letter 1: cases whose payments stopped 30+ days ago or whose "
            "IWO went unanswered 45+ days; asks for a response within 30 days.",
    "ecl2": "Employer Compliance Letter 2: cases whose ECL1 went unanswered 30+ days.",
}
for _kind, _help in HELP.items():
    _command = _compliance_kind(_kind)
    _command.__doc__ = _help
    _command = _common(_command)
    _command = click.option("--state", metavar="NAME",
                            help="State profile for the remit days.")(_command)
    _command = _party_options(_command)
    notice.command(_kind, epilog=EXAMPLE, help=_help)(_command)


@notice.command("mandate", epilog=EXAMPLE)
@_party_options
@click.option("--state", default="oregon", show_default=True, help="Whose EFT rule.")
@_common
def mandate_notice(employer: str | None, agent: str | None, as_of: dt.date | None,
                   db: str | None, state: str, letter_date: dt.date | None,
                   output_format: str | None, output: str | None, force: bool, attention: str,
                   sender_name: str, sender_office: str, sender_contact: str) -> None:
    """Whether the employer must pay by EFT, with the section of the rule that decides."""
    from nacha_cs.sdu.facts import histories, with_exemptions
    from nacha_cs.sdu.mandate import decide_all, state_code
    from nacha_cs.sdu.notices import mandate_letter
    from nacha_cs.sdu.notices.build import NothingToSay

    try:
        state_code(state)
    except ValueError as error:
        fail(str(error))
    day = letter_date or dt.date.today()
    with facts_of(db) as facts:
        party = _addressee(facts, employer, agent, attention)
        decisions = decide_all(state, with_exemptions(facts), histories(facts, 7, as_of or day))
    try:
        letter = mandate_letter(party, decisions, date=day,
                                sender=_sender(sender_name, sender_office, sender_contact),
                                employer_names=facts.employer_names)
    except NothingToSay as error:
        fail(str(error), code=1)
    _write(letter, output, output_format, force)
