"""State profiles: what one State Disbursement Unit adds to the general child-support rules.

Profiles are data (TOML files in ``nacha_cs/validate/states/``), so a new state needs no code: a
case-number pattern, whether a FIPS code is required (and the state's two FIPS digits),
whether medical indicator ``W`` is accepted, how many business days an employer has to remit,
and the state's withholding law for employers whose employees work there: the proration
method and the administrative fee.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

import attrs

from nacha_cs.codecs.ded import DedPolicy

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib


@attrs.frozen
class StateProfile:
    name: str
    state: str
    case_id_pattern: str | None = None
    case_id_description: str = ""
    fips_required: bool = False
    fips_prefix: str | None = None
    medical_w_allowed: bool = False
    blank_ssn_allowed: bool = False
    remit_days: int = 7
    """Business days from the pay date to remit (42 USC 666(b)(6) allows at most 7)."""
    admin_fee_per_period: int = 0
    """Cents the employer may keep per pay period; 0: the state allows no fee."""
    admin_fee_monthly_cap: int = 0
    """Cents a month at most; 0: no monthly cap."""
    fee_within_limit: bool = True
    """Whether support and fee together must fit inside the withholding limit."""
    proration: str = "exact"
    """How several orders share the limit: ``exact`` or the guide's ``worksheet``."""

    @property
    def ded_policy(self) -> DedPolicy:
        """What this SDU accepts beyond the strict DED convention."""
        return DedPolicy(
            allow_medical_w=self.medical_w_allowed, allow_blank_ssn=self.blank_ssn_allowed
        )

    @property
    def case_id_regex(self) -> re.Pattern[str] | None:
        return re.compile(self.case_id_pattern) if self.case_id_pattern else None

    def case_id_problem(self, case_id: str) -> str | None:
        """What is wrong with a case number under this state's format (``None``: nothing).

        The one source of the rule: the validator's ST001 and the generator's row check both
        say this, with ST001's severity.

        >>> idaho = StateProfile("Idaho", "ID", case_id_pattern="^[0-9]{6}$",
        ...                      case_id_description="six digits")
        >>> idaho.case_id_problem("12345")
        "case '12345' does not follow the Idaho case-number format (six digits)"
        >>> idaho.case_id_problem("123456") is None
        True
        """
        pattern = self.case_id_regex
        if pattern is None or not case_id or pattern.fullmatch(case_id):
            return None
        return (
            f"case {case_id!r} does not follow the {self.name} case-number format "
            f"({self.case_id_description or self.case_id_pattern})"
        )


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the problem."""


def _from_mapping(data: dict[str, object], source: str) -> StateProfile:
    known = {a.name for a in attrs.fields(StateProfile)}
    unknown = set(data) - known
    if unknown:
        raise ProfileError(f"{source}: unknown keys {', '.join(sorted(unknown))}")
    try:
        profile = StateProfile(**data)  # type: ignore[arg-type]
        if profile.case_id_pattern:
            re.compile(profile.case_id_pattern)
        if profile.proration not in ("exact", "worksheet"):
            raise TypeError(f"proration {profile.proration!r} is not exact or worksheet")
    except (TypeError, re.error) as error:
        raise ProfileError(f"{source}: {error}") from None
    return profile


def for_state(state: str) -> StateProfile | None:
    """The shipped profile of a state by its postal code (``OK``), if one is shipped.

    >>> for_state("va").remit_days
    4
    >>> for_state("ZZ") is None
    True
    """
    for name in builtin_names():
        profile = load_profile(name)
        if profile.state.upper() == state.upper():
            return profile
    return None


def builtin_names() -> list[str]:
    folder = resources.files("nacha_cs.validate") / "states"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_profile(name_or_path: str) -> StateProfile:
    """A shipped profile by name (``oklahoma``) or a TOML file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text, source = path.read_text(encoding="utf-8"), str(path)
    else:
        resource = resources.files("nacha_cs.validate") / "states" / f"{name_or_path.lower()}.toml"
        if not resource.is_file():
            raise ProfileError(
                f"no state profile {name_or_path!r}; shipped: {', '.join(builtin_names())}"
            )
        text, source = resource.read_text(encoding="utf-8"), f"profile {name_or_path}"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{source}: {error}") from None
    return _from_mapping(data, source)
