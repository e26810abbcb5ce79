"""Letter builders: facts in, a :class:`~.model.Letter` out, filtered to what the addressee may
see before a word is written."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from nacha_cs.findings import RULES, Finding
from nacha_cs.privacy import mask_ded_text
from nacha_cs.sdu.compliance import ComplianceRow, OrderFacts
from nacha_cs.sdu.mandate import MandateDecision
from nacha_cs.sdu.notices.model import Agency, Concern, Letter, Party, format_ein

KINDS: Mapping[str, str] = {
    "defective-file": "a rejected or defective file: every finding with its fix",
    "contact": "a compliance contact: each case that needs the employer's action",
    "ecl1": "Employer Compliance Letter 1: payments stopped or no answer to the IWO",
    "ecl2": "Employer Compliance Letter 2: no answer to ECL1 within 30 days",
    "mandate": "whether the employer must pay by EFT, and the rule's section that decides",
}

ECL1_CODES = ("CMP-ESC-30", "CMP-IWO-45")
ECL1_RESPONSE_DAYS = 30
MAX_LOCATIONS = 12
"""Record locations listed under one finding code; the rest are counted."""


class NothingToSay(ValueError):
    """No fact the addressee may see calls for this letter (the message says why)."""


def money(cents: int) -> str:
    """Dollars for a letter.

    >>> money(123456)
    '$1,234.56'
    """
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


def _day(value: object) -> str:
    return value.strftime("%B %-d, %Y") if isinstance(value, dt.date) else str(value)


def _employee(order: OrderFacts | None, case_id: str) -> str:
    if order is None:
        return f"case {case_id}"
    who = order.employee_name.strip() or "the employee"
    ssn = f", SSN ***-**-{order.ssn_last4}" if order.ssn_last4 else ""
    return f"{who}{ssn} (case {case_id})"


def _visible(addressee: Party, rows: Iterable[ComplianceRow], orders: Iterable[OrderFacts]
             ) -> tuple[list[ComplianceRow], dict[tuple[str, str], OrderFacts]]:
    seen = [r for r in rows if addressee.may_see(r.employer_ein)]
    mine = {(o.employer_ein, o.case_id): o for o in orders if addressee.may_see(o.employer_ein)}
    return seen, mine


def _opening(addressee: Party, why: str) -> tuple[str, ...]:
    on_behalf = (" for the employers you pay on behalf of" if addressee.kind == "agent" else "")
    return (
        f"We are writing to {addressee.name}{on_behalf} {why}.",
        f"Thank you for the support payments {addressee.name} sends for the families of "
        f"{'the employees you pay' if addressee.kind == 'agent' else 'your employees'}, and "
        "for your help with the matters below.",
    )


def _closing(concerns: Sequence[Concern], extra: str = "") -> tuple[str, ...]:
    items = "; ".join(c.summary or c.statement for c in concerns)
    matters = "this matter" if len(concerns) == 1 else "these matters"
    closing = [f"Thank you for your prompt attention to {matters}.", f"In summary: {items}."]
    if extra:
        closing.append(extra)
    return tuple(closing)


def _references(addressee: Party, eins: Iterable[str], names: Mapping[str, str]
                ) -> list[tuple[str, str]]:
    refs = []
    if addressee.kind == "agent":
        refs.append(("Agent", addressee.name))
    for ein in sorted(set(eins)):
        name = names.get(ein, "")
        refs.append(("Employer", f"{name} (EIN {format_ein(ein)})" if name
                     else f"EIN {format_ein(ein)}"))
    return refs


def _concern(row: ComplianceRow, order: OrderFacts | None, names: Mapping[str, str],
             agent: bool) -> Concern:
    """The employer-facing statement of a compliance row and the specific request."""
    f = row.facts
    who = _employee(order, row.case_id)
    employer = names.get(row.employer_ein) or f"EIN {format_ein(row.employer_ein)}"
    at = f" at {employer}" if agent else ""
    if row.code == "CMP-ESC-30":
        return Concern(
            f"No payment has been received for {who}{at} since {_day(f['last_payment_received'])}"
            f" ({row.days} days), and we have no word that the employment ended.",
            "If the employee still works for you, please resume withholding under the order and "
            "send the payments. If the employment ended, please tell us the last day worked, "
            "the last pay date and, if you know it, the new employer's name and address.",
            (f"Last payment: {money(int(str(f['last_amount'])))} for the pay date "
             f"{_day(f['last_pay_date'])}, received {_day(f['last_payment_received'])}.",),
            f"payments to resume for case {row.case_id}, or the termination date",
        )
    if row.code == "CMP-IWO-45":
        return Concern(
            f"An income withholding order for {who}{at} was sent on {_day(f['iwo_sent'])} "
            f"({row.days} days ago); we have received neither an acknowledgment nor a payment.",
            "Please begin withholding under the order and acknowledge it. If this person does "
            "not work for you, or no longer does, please tell us so we can close the order "
            "with you.",
            (),
            f"acknowledge and withhold for case {row.case_id}",
        )
    if row.code == "CMP-AMOUNT":
        return Concern(
            f"The amount received for {who}{at} for the pay date {_day(f['pay_date'])} was "
            f"{money(int(str(f['received'])))}; the current order asks for "
            f"{money(int(str(f['expected'])))} per {f['pay_frequency']} pay period.",
            "Please set the withholding to the amount of the current order. An amended income "
            "withholding order is enclosed; if the employee's pay is too low to withhold the "
            "full amount within the legal limits, please tell us.",
            (f"Current order: {money(int(str(f['order_amount'])))} {f['order_frequency']}, "
             f"dated {_day(f['order_date'])}.",),
            f"amount for case {row.case_id} set to {money(int(str(f['expected'])))}",
        )
    if row.code == "CMP-LATE":
        late = [_day(d) for d in f["late_pay_dates"]]  # type: ignore[attr-defined]
        return Concern(
            f"The payment for {who}{at} for the pay date {_day(f['pay_date'])} arrived on "
            f"{_day(f['received'])}, {row.days} business day{'s' * (row.days != 1)} after it "
            f"was due ({_day(f['due'])}).",
            f"Payments are due within {f['remit_days']} business days of the pay date (42 USC "
            "666(b)(6)). Please send each payment so that it reaches us by then.",
            (f"Late pay dates in the last months: {', '.join(late)}.",),
            f"payments for case {row.case_id} on time",
        )
    if row.code == "CMP-ECL2-REVIEW":
        return Concern(
            f"We sent Employer Compliance Letter 1 about {who}{at} on {_day(f['ecl1_sent'])} "
            f"({row.days} days ago) and have received no response and no payment since.",
            "Please respond within 30 days of this letter: send the payments due under the "
            "order, or tell us why withholding is not possible. An employer that fails to "
            "withhold as ordered is liable for the amounts it should have withheld.",
            (),
            f"a response on case {row.case_id} within 30 days",
        )
    raise ValueError(f"no letter wording for {row.code}")


def compliance_letter(
    addressee: Party,
    rows: Iterable[ComplianceRow],
    orders: Iterable[OrderFacts],
    *,
    date: dt.date,
    sender: Agency | None = None,
    employer_names: Mapping[str, str] | None = None,
    kind: str = "contact",
    ecl1_sent: dt.date | None = None,
) -> Letter:
    """A compliance contact, ECL1 or ECL2 to an employer or agent, one concern per case.

    Only rows and orders of employers the addressee may see are used; rows of other codes than
    the letter's kind (ECL1: stopped payments and unanswered IWOs; ECL2: unanswered ECL1s) are
    left for other letters.
    """
    names = dict(employer_names or {})
    seen, mine = _visible(addressee, rows, orders)
    wanted = {"ecl1": ECL1_CODES, "ecl2": ("CMP-ECL2-REVIEW",)}.get(kind)
    if wanted is not None:
        seen = [r for r in seen if r.code in wanted]
    if not seen:
        raise NothingToSay(f"no case of {addressee.name} calls for a {kind} letter")
    agent = addressee.kind == "agent"
    concerns = tuple(_concern(r, mine.get((r.employer_ein, r.case_id)), names, agent)
                     for r in seen)
    refs = _references(addressee, (r.employer_ein for r in seen), names)
    refs.append(("Cases", ", ".join(sorted({r.case_id for r in seen}))))
    if kind == "ecl1":
        subject = "Employer Compliance Letter 1: income withholding"
        why = "with Employer Compliance Letter 1, about income withholding for child support"
        extra = (f"Please respond within {ECL1_RESPONSE_DAYS} days of the date of this letter.")
    elif kind == "ecl2":
        subject = "Employer Compliance Letter 2: income withholding"
        first = f" of {_day(ecl1_sent)}" if ecl1_sent else ""
        why = (f"with Employer Compliance Letter 2, following our Employer Compliance Letter 1"
               f"{first}")
        extra = "Please respond within 30 days of the date of this letter."
    else:
        subject = "Child support income withholding: action needed"
        why = "about income withholding for child support"
        extra = "Please reply to the office below with what you have done or found."
    return Letter(kind, date, addressee, sender or Agency(), subject, _opening(addressee, why),
                  concerns, _closing(concerns, extra), tuple(refs))


def ecl1_letter(addressee: Party, rows: Iterable[ComplianceRow], orders: Iterable[OrderFacts],
                *, date: dt.date, sender: Agency | None = None,
                employer_names: Mapping[str, str] | None = None) -> Letter:
    return compliance_letter(addressee, rows, orders, date=date, sender=sender,
                             employer_names=employer_names, kind="ecl1")


def ecl2_letter(addressee: Party, rows: Iterable[ComplianceRow], orders: Iterable[OrderFacts],
                *, date: dt.date, sender: Agency | None = None,
                employer_names: Mapping[str, str] | None = None) -> Letter:
    rows = list(rows)
    sent = [r.since for r in rows if r.code == "CMP-ECL2-REVIEW" and addressee.may_see(
        r.employer_ein)]
    return compliance_letter(addressee, rows, orders, date=date, sender=sender,
                             employer_names=employer_names, kind="ecl2",
                             ecl1_sent=min(sent) if sent else None)


def _sentence_start(text: str) -> str:
    """Only the first letter raised: ``str.capitalize`` would lower field names (DED04)."""
    return text[:1].upper() + text[1:]


def _where(finding: Finding) -> str:
    parts = []
    if finding.line is not None:
        parts.append(f"record {finding.line}")
    if finding.column is not None:
        end = finding.end_column
        parts.append(f"columns {finding.column}-{end}" if end and end != finding.column
                     else f"column {finding.column}")
    if finding.field:
        parts.append(f"field {finding.field}")
    return ", ".join(parts) or "the file as a whole"


def defective_file_letter(
    addressee: Party,
    file_name: str,
    findings: Iterable[Finding],
    *,
    date: dt.date,
    received: dt.date | None = None,
    sender: Agency | None = None,
    full_ssn: bool = False,
) -> Letter:
    """Every finding of a file, grouped by rule: what is wrong in plain words, where, and the
    fix from the rule catalogue. A file with errors was rejected; with warnings only, accepted.

    The file is the addressee's own, so its employees may be named; SSNs are still masked.
    """
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_code[f.code].append(f)
    if not by_code:
        raise NothingToSay(f"{file_name} has no findings: nothing to correct")
    errors = any(f.severity == "error" for group in by_code.values() for f in group)
    concerns = []
    order = sorted(by_code.items(), key=lambda kv: (kv[1][0].severity != "error",
                                                   kv[1][0].line or 0, kv[0]))
    for code, group in order:
        known = RULES.get(code)
        title = known.title if known else group[0].message
        hint = (known.hint if known else group[0].hint) or "Please correct it and send again."
        details = [f"{_sentence_start(_where(f))}: {_masked(f.message, full_ssn)}."
                   for f in group[:MAX_LOCATIONS]]
        if len(group) > MAX_LOCATIONS:
            details.append(f"... and {len(group) - MAX_LOCATIONS} more places with the same "
                           "problem.")
        severity = "Error" if group[0].severity == "error" else "Warning"
        times = f" ({len(group)} places)" if len(group) > 1 else ""
        concerns.append(Concern(f"{severity} {code}: {title}{times}.", hint, tuple(details),
                                f"{code} ({len(group)})"))
    when = f" received on {_day(received)}" if received else ""
    verdict = ("could not be accepted: it has errors that stop us from posting its payments"
               if errors else
               "was accepted, but has problems that may delay posting a payment")
    why = f"about the payment file {file_name}{when}, which {verdict}"
    extra = ("Please correct the file and send it again; none of its payments were posted."
             if errors else "No resend is needed; please correct these in your next file.")
    concerns_t = tuple(concerns)
    refs = [("File", file_name)]
    if addressee.ein:
        refs.append(("Company", f"{addressee.name} (EIN {format_ein(addressee.ein)})"))
    subject = "Payment file rejected" if errors else "Payment file accepted with warnings"
    return Letter("defective-file", date, addressee, sender or Agency(), subject,
                  _opening(addressee, why), concerns_t, _closing(concerns_t, extra), tuple(refs))


def _masked(message: str, full_ssn: bool) -> str:
    return (message if full_ssn else mask_ded_text(message)).rstrip(".")


def mandate_letter(
    addressee: Party,
    decisions: Iterable[MandateDecision],
    *,
    date: dt.date,
    sender: Agency | None = None,
    employer_names: Mapping[str, str] | None = None,
) -> Letter:
    """Whether each employer the addressee may see must pay by EFT, with the deciding section."""
    names = dict(employer_names or {})
    mine = [d for d in decisions if addressee.may_see(d.ein)]
    if not mine:
        raise NothingToSay(f"no EFT decision for an employer {addressee.name} may see")
    concerns = []
    for d in mine:
        who = names.get(d.ein) or f"EIN {format_ein(d.ein)}"
        reasons = "; ".join(f"section {s.section}: {s.reason}" for s in d.deciding)
        if d.required:
            response = (f"Under {d.rule}, {who} must remit all support payments by electronic "
                        f"funds transfer ({reasons}).")
            if d.state == "OR":
                response += (" Each EFT payment must identify the employee, the amount and the "
                             "child support case number (section (5)).")
            summary = f"{who}: EFT required ({', '.join(d.sections)})"
        elif d.deciding:
            response = (f"Under {d.rule}, {who} is not required to pay by EFT at this time "
                        f"({reasons}). We will tell you if that changes.")
            summary = f"{who}: exempt ({', '.join(d.sections)})"
        else:
            response = (f"Under {d.rule}, {who} is not required to pay by EFT on the facts we "
                        "have; EFT is still the fastest way for payments to reach families.")
            summary = f"{who}: EFT not required"
        details = tuple(f"Also met, outweighed as the rule says: section {s.section}: {s.reason}."
                        for s in d.also_met)
        details += tuple(f"Not decided: {u}; please tell us." for u in d.unknown)
        concerns.append(Concern(f"Whether {who} must pay child support by electronic funds "
                                "transfer.", response, details, summary))
    concerns_t = tuple(concerns)
    refs = _references(addressee, (d.ein for d in mine), names)
    return Letter("mandate", date, addressee, sender or Agency(),
                  "Paying child support by electronic funds transfer",
                  _opening(addressee, "about paying child support by electronic funds transfer"),
                  concerns_t, _closing(concerns_t), tuple(refs))
