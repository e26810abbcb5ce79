"""The generator's configuration, read from TOML.

One file describes who sends (the originator and its bank), for whom (one employer, or a payroll
agent's several employers, each becoming its own batch), where the money goes (the SDU of each
state: bank account, FIPS code, CCD+ or CTX), and how the payroll export and withholding rules
look (column names, proration method, fee policy). ``fixtures/config/sample.toml`` is a
complete, commented example.

Every problem in the file is collected and raised together in one :class:`ConfigError`, each
message naming its key (``sdu.OK.routing: ...``): a config is fixed once, before any payroll is
read, so there is no row-by-row reporting to do here. Money is written as a string of dollars
(``"5.00"``); a TOML float is refused, because binary fractions have no place near cents.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any, Literal, cast

import attrs

from nacha_cs.ach.routing import is_valid_routing
from nacha_cs.amounts import parse_amount
from nacha_cs.employer.ccdplus import DEFAULT_REMIT_DAYS, AccountType, Sdu, SduFormat
from nacha_cs.employer.payroll import DEFAULT_FORMAT, FIELDS, PayrollFormat
from nacha_cs.employer.withholding import (
    CCPA_LIMITS,
    NO_FEE,
    PRORATIONS,
    FeePolicy,
    LimitTable,
    Proration,
    StateLaw,
)
from nacha_cs.validate.profiles import ProfileError, StateProfile, for_state, load_profile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_ENTRY_DESCRIPTION = "CHILD SUPP"
DEFAULT_EMPLOYER = ""
"""The employer id rows without an ``employer`` column belong to."""


class ConfigError(ValueError):
    """The configuration cannot be used; ``problems`` lists every reason, key first."""

    def __init__(self, problems: list[str], path: str | None = None) -> None:
        self.problems = problems
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(where + "; ".join(problems))


@attrs.frozen(slots=True)
class Originator:
    """The sender of the file and the bank (ODFI) that takes it into the ACH network."""

    odfi_routing: str
    immediate_destination: str
    immediate_origin: str
    immediate_destination_name: str = ""
    immediate_origin_name: str = ""
    file_id_modifier: str = "A"
    reference_code: str = ""


@attrs.frozen(slots=True)
class Employer:
    """One employer: one batch. ``state`` is where the employees work, whose law sets the
    withholding limit, the proration and the fee."""

    id: str
    company_name: str
    company_id: str
    state: str
    discretionary_data: str = ""
    account: str = ""
    account_type: AccountType = "checking"


@attrs.frozen(slots=True)
class Config:
    originator: Originator
    employers: tuple[Employer, ...]
    sdus: Mapping[str, Sdu]
    entry_description: str = DEFAULT_ENTRY_DESCRIPTION
    fees: Mapping[str, FeePolicy] = attrs.field(factory=dict)
    proration: Proration = "exact"
    limits: LimitTable = CCPA_LIMITS
    payroll: PayrollFormat = DEFAULT_FORMAT
    laws: Mapping[str, StateLaw] = attrs.field(factory=dict)
    """The withholding law of each work state the config names (employers, [states.XX])."""

    def employer(self, employer_id: str) -> Employer | None:
        """The employer a row names; a blank id means the only (or first) employer."""
        if not employer_id:
            return self.employers[0] if len(self.employers) == 1 else None
        for employer in self.employers:
            if employer.id == employer_id:
                return employer
        return None

    @property
    def employer_ids(self) -> frozenset[str] | None:
        """Ids payroll rows may name; ``None`` when there is one employer and rows need not."""
        ids = frozenset(e.id for e in self.employers)
        return ids if len(self.employers) > 1 or any(ids) else None

    def fee_policy(self, state: str) -> FeePolicy:
        """The fee the law of a work state allows."""
        return self.law(state).fee

    def law(self, state: str) -> StateLaw:
        """The withholding law of the state where the employees work (42 USC 666(b)(6)):
        the config's ``[states.XX]``, else the state's shipped profile, else the defaults
        (``[withholding]``, ``[fees.default]``)."""
        law = self.laws.get(state.upper())
        if law is None:
            law = _resolve_law(state.upper(), {}, self, None)
        return law


class _Reader:
    """Pulls typed values out of nested TOML tables, collecting problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def table(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            self.problems.append(f"{where}{key}: must be a table")
            return {}
        return value

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        default: str = "",
        max_length: int | None = None,
    ) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problems.append(f"{where}{key}: missing")
            return default
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # an unquoted id such as company_id = 1234567890
        if not isinstance(value, str):
            self.problems.append(f"{where}{key}: must be a string")
            return default
        value = value.strip()
        if required and not value:
            self.problems.append(f"{where}{key}: must not be blank")
        if max_length is not None and len(value) > max_length:
            self.problems.append(
                f"{where}{key}: {value!r} is {len(value)} characters, the field holds {max_length}"
            )
        if not value.isascii():
            self.problems.append(f"{where}{key}: {value!r} must be plain ASCII for ACH files")
        return value

    def routing(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = self.text(data, key, where, required=True)
        if value and not is_valid_routing(value):
            self.problems.append(
                f"{where}{key}: {value!r} is not a 9-digit routing number with a valid check digit"
            )
        return value

    def money(self, data: Mapping[str, Any], key: str, where: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (float, bool)):
            self.problems.append(f'{where}{key}: write money as a string, e.g. "5.00"')
            return None
        cents = parse_amount(str(value)) if isinstance(value, (str, int)) else None
        if cents is None:
            self.problems.append(f"{where}{key}: {value!r} is not an amount of dollars")
        return cents

    def integer(
        self, data: Mapping[str, Any], key: str, where: str, default: int, low: int, high: int
    ) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problems.append(f"{where}{key}: must be a whole number from {low} to {high}")
            return default
        return value

    def flag(self, data: Mapping[str, Any], key: str, where: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problems.append(f"{where}{key}: must be true or false")
            return default
        return value

    def choice(
        self, data: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...], default: str
    ) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or value.lower() not in allowed:
            self.problems.append(f"{where}{key}: must be one of {', '.join(allowed)}")
            return default
        return value.lower()

    def unknown_keys(self, data: Mapping[str, Any], known: set[str], where: str) -> None:
        for key in data:
            if key not in known:
                self.problems.append(f"{where}{key}: unknown setting (a typo?)")


def _originator(r: _Reader, data: Mapping[str, Any]) -> Originator:
    w = "originator."
    origin = r.text(data, "immediate_origin", w, required=True)
    if origin and not (
        is_valid_routing(origin) or (len(origin) == 10 and origin.isascii() and origin.isalnum())
    ):
        r.problems.append(
            f"{w}immediate_origin: {origin!r} must be a valid routing number "
            "or the 10-character id your bank gave you"
        )
    modifier = r.text(data, "file_id_modifier", w, default="A")
    if len(modifier) != 1 or not (modifier.isupper() or modifier.isdigit()):
        r.problems.append(f"{w}file_id_modifier: must be one character, A-Z or 0-9")
    return Originator(
        odfi_routing=r.routing(data, "odfi_routing", w),
        immediate_destination=r.routing(data, "immediate_destination", w),
        immediate_origin=origin,
        immediate_destination_name=r.text(data, "immediate_destination_name", w, max_length=23),
        immediate_origin_name=r.text(data, "immediate_origin_name", w, max_length=23),
        file_id_modifier=modifier,
        reference_code=r.text(data, "reference_code", w, max_length=8),
    )


_EMPLOYER_KEYS = {
    "id",
    "company_name",
    "company_id",
    "state",
    "discretionary_data",
    "account",
    "account_type",
}


def _employer(r: _Reader, data: Mapping[str, Any], where: str, default_id: str) -> Employer:
    return Employer(
        id=r.text(data, "id", where, default=default_id),
        company_name=r.text(data, "company_name", where, required=True, max_length=16),
        company_id=r.text(data, "company_id", where, required=True, max_length=10),
        state=r.text(data, "state", where, required=True, max_length=2).upper(),
        discretionary_data=r.text(data, "discretionary_data", where, max_length=20),
        account=r.text(data, "account", where, max_length=35),
        account_type=cast(
            AccountType,
            r.choice(data, "account_type", where, ("checking", "savings"), "checking"),
        ),
    )


def _employers(
    r: _Reader, document: Mapping[str, Any], originator: Mapping[str, Any]
) -> tuple[Employer, ...]:
    listed = document.get("employers")
    if listed is None:
        # A single employer sending its own file: its details sit in [originator].
        return (_employer(r, originator, "originator.", DEFAULT_EMPLOYER),)
    if not isinstance(listed, list) or not listed:
        r.problems.append("employers: must be a non-empty array of tables ([[employers]])")
        return ()
    employers: list[Employer] = []
    for number, item in enumerate(listed, start=1):
        where = f"employers[{number}]."
        if not isinstance(item, Mapping):
            r.problems.append(f"{where[:-1]}: must be a table")
            continue
        r.unknown_keys(item, _EMPLOYER_KEYS, where)
        employer = _employer(r, item, where, "")
        if not employer.id:
            r.problems.append(f"{where}id: missing (payroll rows name their employer by it)")
        employers.append(employer)
    ids = [e.id for e in employers]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        r.problems.append(f"employers: id {duplicate!r} is listed twice")
    return tuple(employers)


_SDU_KEYS = {
    "name",
    "routing",
    "account",
    "account_type",
    "fips",
    "format",
    "profile",
    "remit_days",
    "receiver_id",
}


def _sdu(r: _Reader, state: str, data: Mapping[str, Any]) -> Sdu:
    w = f"sdu.{state}."
    r.unknown_keys(data, _SDU_KEYS, w)
    sdu_format = cast(SduFormat, r.choice(data, "format", w, ("ccd+", "ctx"), "ccd+"))
    # CCD receiving company name is 22 characters, CTX receiving company name/id 16.
    name = r.text(data, "name", w, required=True, max_length=16 if sdu_format == "ctx" else 22)
    account = r.text(data, "account", w, required=True, max_length=17)
    fips = r.text(data, "fips", w)
    if fips and (len(fips) not in (5, 7) or not fips.isalnum()):
        r.problems.append(f"{w}fips: {fips!r} must be 5 or 7 letters or digits (DED08)")
    profile_name = _profile(r, data, w)
    profile = _loaded(profile_name) or for_state(state)
    if profile is not None and profile.fips_prefix and fips and not fips.startswith(
        profile.fips_prefix
    ):
        r.problems.append(
            f"{w}fips: {fips!r} is not a {profile.state} FIPS code (they start "
            f"{profile.fips_prefix})"
        )
    default_remit = profile.remit_days if profile is not None else DEFAULT_REMIT_DAYS
    return Sdu(
        state=state,
        name=name,
        routing=r.routing(data, "routing", w),
        account=account,
        account_type=cast(
            AccountType, r.choice(data, "account_type", w, ("checking", "savings"), "checking")
        ),
        fips=fips,
        format=sdu_format,
        profile=profile_name,
        remit_days=r.integer(data, "remit_days", w, default_remit, 0, 60),
        receiver_id=r.text(data, "receiver_id", w, max_length=15),
    )


def _profile(r: _Reader, data: Mapping[str, Any], where: str) -> str:
    """A shipped state profile name or a profile TOML path; blank means the general rules."""
    name = r.text(data, "profile", where)
    if name:
        try:
            load_profile(name)
        except ProfileError as error:
            r.problems.append(f"{where}profile: {error}")
    return name


def _loaded(name: str) -> StateProfile | None:
    try:
        return load_profile(name) if name else None
    except ProfileError:
        return None  # said already by _profile


def _fee(r: _Reader, policy: Mapping[str, Any], w: str) -> FeePolicy:
    r.unknown_keys(policy, {"per_period", "monthly_cap", "within_limit"}, w)
    within = policy.get("within_limit", True)
    return FeePolicy(
        per_period=r.money(policy, "per_period", w) or 0,
        monthly_cap=r.money(policy, "monthly_cap", w),
        within_limit=r.flag(policy, "within_limit", w) if "within_limit" in policy else within,
    )


def _fees(r: _Reader, data: Mapping[str, Any]) -> dict[str, FeePolicy]:
    fees: dict[str, FeePolicy] = {}
    for state, policy in data.items():
        w = f"fees.{state}."
        if not isinstance(policy, Mapping):
            r.problems.append(f"{w[:-1]}: must be a table")
            continue
        fees[state.upper()] = _fee(r, policy, w)
    return fees


def _limits(r: _Reader, data: Mapping[str, Any], w: str, base: LimitTable) -> LimitTable:
    limits = r.table(data, "limits", w)
    names = ("other_family", "other_family_arrears", "single", "single_arrears")
    r.unknown_keys(limits, set(names), f"{w}limits.")
    values = {
        name: r.integer(limits, name, f"{w}limits.", getattr(base, name), 0, 65) for name in names
    }
    return LimitTable(**values)


def _resolve_law(
    state: str, data: Mapping[str, Any], config: Config, r: _Reader | None
) -> StateLaw:
    """One work state's law: ``[states.XX]`` over ``[fees.XX]`` over the state's profile
    (its SDU's, else the shipped one) over the config's defaults."""
    sdu = config.sdus.get(state)
    profile = (_loaded(sdu.profile) if sdu is not None else None) or for_state(state)
    proration: Proration = config.proration
    fee = config.fees.get(state) or config.fees.get("DEFAULT") or NO_FEE
    if profile is not None:
        proration = cast(Proration, profile.proration)
        if state not in config.fees and profile.admin_fee_per_period:
            fee = FeePolicy(
                per_period=profile.admin_fee_per_period,
                monthly_cap=profile.admin_fee_monthly_cap or None,
                within_limit=profile.fee_within_limit,
            )
    limits = config.limits
    if r is not None and data:
        w = f"states.{state}."
        r.unknown_keys(data, {"proration", "limits", "fee"}, w)
        proration = cast(Proration, r.choice(data, "proration", w, PRORATIONS, proration))
        limits = _limits(r, data, w, limits)
        if "fee" in data:
            fee = _fee(r, r.table(data, "fee", w), f"{w}fee.")
    return StateLaw(state=state, limits=limits, proration=proration, fee=fee)


def _withholding(r: _Reader, data: Mapping[str, Any]) -> tuple[Proration, LimitTable]:
    w = "withholding."
    r.unknown_keys(data, {"proration", "limits"}, w)
    proration = cast(Proration, r.choice(data, "proration", w, PRORATIONS, "exact"))
    return proration, _limits(r, data, w, CCPA_LIMITS)


def _payroll(r: _Reader, data: Mapping[str, Any]) -> PayrollFormat:
    w = "payroll."
    r.unknown_keys(data, {"columns", "date_format", "amount_unit", "delimiter"}, w)
    columns = r.table(data, "columns", w)
    mapped: dict[str, str] = {}
    for field, column in columns.items():
        if field not in FIELDS:
            r.problems.append(f"{w}columns.{field}: unknown field; known: {', '.join(FIELDS)}")
        elif not isinstance(column, str) or not column.strip():
            r.problems.append(f"{w}columns.{field}: must name a column")
        else:
            mapped[field] = column.strip()
    delimiter = r.text(data, "delimiter", w, default=",")
    if len(delimiter) != 1:
        r.problems.append(f"{w}delimiter: must be one character")
        delimiter = ","
    return PayrollFormat(
        columns=mapped,
        date_format=r.text(data, "date_format", w, default="%Y-%m-%d"),
        amount_unit=cast(
            Literal["dollars", "cents"],
            r.choice(data, "amount_unit", w, ("dollars", "cents"), "dollars"),
        ),
        delimiter=delimiter,
    )


_TOP_KEYS = {
    "entry_description",
    "originator",
    "employers",
    "sdu",
    "fees",
    "withholding",
    "states",
    "payroll",
}
_ORIGINATOR_KEYS = {
    "odfi_routing",
    "immediate_destination",
    "immediate_destination_name",
    "immediate_origin",
    "immediate_origin_name",
    "file_id_modifier",
    "reference_code",
} | _EMPLOYER_KEYS


def parse_config(document: Mapping[str, Any], path: str | None = None) -> Config:
    """Build a :class:`Config` from parsed TOML; raises :class:`ConfigError` with every
    problem found."""
    r = _Reader()
    r.unknown_keys(document, _TOP_KEYS, "")
    originator_data = r.table(document, "originator", "")
    r.unknown_keys(originator_data, _ORIGINATOR_KEYS, "originator.")
    originator = _originator(r, originator_data)
    employers = _employers(r, document, originator_data)
    sdus: dict[str, Sdu] = {}
    for state, data in r.table(document, "sdu", "").items():
        if not isinstance(data, Mapping):
            r.problems.append(f"sdu.{state}: must be a table")
            continue
        sdus[state.upper()] = _sdu(r, state.upper(), data)
    if not sdus:
        r.problems.append("sdu: no SDU configured; add an [sdu.XX] table per state")
    if any(sdu.format == "ctx" for sdu in sdus.values()):
        # The 820's BPR names the account paid from and the 10-character company id.
        for number, employer in enumerate(employers, start=1):
            where = "originator." if "employers" not in document else f"employers[{number}]."
            if not employer.account:
                r.problems.append(
                    f"{where}account: missing; a CTX SDU's 820 names the account paid from"
                )
            if len(employer.company_id) != 10:
                r.problems.append(
                    f"{where}company_id: {employer.company_id!r} must be 10 characters "
                    "for the 820 (BPR10, usually 1 + EIN)"
                )
    entry_description = r.text(
        document, "entry_description", "", default=DEFAULT_ENTRY_DESCRIPTION, max_length=10
    )
    fees = _fees(r, r.table(document, "fees", ""))
    proration, limits = _withholding(r, r.table(document, "withholding", ""))
    payroll = _payroll(r, r.table(document, "payroll", ""))
    config = Config(
        originator=originator,
        employers=employers,
        sdus=sdus,
        entry_description=entry_description or DEFAULT_ENTRY_DESCRIPTION,
        fees=fees,
        proration=proration,
        limits=limits,
        payroll=payroll,
    )
    states = {key.upper(): value for key, value in r.table(document, "states", "").items()}
    laws: dict[str, StateLaw] = {}
    for state in sorted({e.state.upper() for e in employers} | set(states)):
        data = states.get(state, {})
        if not isinstance(data, Mapping):
            r.problems.append(f"states.{state}: must be a table")
            data = {}
        laws[state] = _resolve_law(state, data, config, r)
    if r.problems:
        raise ConfigError(r.problems, path)
    return attrs.evolve(config, laws=laws)


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and check a TOML config file; I/O and syntax errors become :class:`ConfigError`."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as stream:
            document = tomllib.load(stream)
    except OSError as error:
        raise ConfigError([f"cannot read: {error.strerror}"], name) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"not valid TOML: {error}"], name) from None
    return parse_config(document, name)


def loads_config(text: str) -> Config:
    """Parse config TOML given as text (tests, embedded defaults)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"not valid TOML: {error}"]) from None
    return parse_config(document)
