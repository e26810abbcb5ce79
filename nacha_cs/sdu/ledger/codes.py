"""The code lists the ledger stores: suspense reasons, e-IWO actions and dispositions (OCSS
e-IWO Appendix D, as summarised in shared/SDU.md), order frequencies, state FIPS codes."""

from __future__ import annotations

SUSPENSE_REASONS: dict[str, str] = {
    "no_ded": "no readable DED addenda: nothing names the case",
    "zero_amount": "an amount of zero without a termination (DED09 is not Y)",
    "unknown_case": "the case is not in the orders register",
    "other_state": "the FIPS code is another state's",
    "ssn_mismatch": "the SSN does not match the case's NCP",
    "employer_unknown": "the sender is neither a registered employer nor an agent",
    "agent_not_linked": "the agent is not linked to the case's employer",
}
"""Why a payment could not be posted, in the order they are tested (the first one wins)."""

IWO_ACTIONS: dict[str, str] = {
    "ORG": "original order",
    "AMD": "amended order",
    "TRM": "termination of the order",
    "LUM": "lump-sum payment notice",
}

ACK_STATUSES: dict[str, str] = {"A": "accepted", "R": "rejected"}

ACK_REASONS: dict[str, str] = {
    "B": "name mismatch",
    "S": "suspended or not currently working",
    "W": "wrong FEIN",
    "D": "duplicate",
    "M": "the same order already in place from another state",
    "N": "no longer employed",
    "U": "never employed",
    "X": "unable to process",
    "Z": "unable to terminate",
}

FREQUENCIES: dict[str, str] = {
    "W": "weekly",
    "B": "every two weeks",
    "S": "twice a month",
    "M": "monthly",
}

ORDER_STATUSES = ("active", "terminated", "rejected")

STATE_FIPS: dict[str, str] = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56", "AS": "60", "GU": "66", "MP": "69", "PR": "72", "VI": "78",
}  # fmt: skip
"""Two-digit state FIPS codes (the first two digits of a DED08 county or locality code)."""

RETURN_KINDS = {"99": "return", "98": "noc"}
"""Addenda type codes of returns and notifications of change."""

PRENOTE_CODES = frozenset({"23", "28", "33", "38"})
"""Zero-dollar account tests: no money, no payment row."""

DEBIT_CODES = frozenset({"26", "27", "28", "29", "36", "37", "38", "39"})


def company_ein(company_id: str) -> str:
    """The EIN inside a company identification: ``1123456789`` -> ``123456789`` (NACHA's
    IRS-number convention puts one digit before the nine); other text is kept as written."""
    text = company_id.strip()
    if len(text) == 10 and text[1:].isdigit():
        return text[1:]
    return text
