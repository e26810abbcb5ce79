"""What the ledger needs to know about its SDU: the SSN key and, optionally, its state.

SSNs are personal data, so the ledger keeps only HMAC-SHA256(key, SSN) and the last four
digits. The key comes from ``NACHA_CS_SSN_KEY`` or ``ssn_key`` in the ``[ledger]`` table of a
TOML config; without one nothing that would store an SSN starts. The ledger remembers a
fingerprint of its key, so a second key (whose hashes would never match) is refused too.
"""

from __future__ import annotations

import hmac
import os
import sys
from collections.abc import Mapping
from typing import Any

import attrs
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from nacha_cs.sdu.ledger.codes import STATE_FIPS
from nacha_cs.sdu.ledger.db import LedgerError
from nacha_cs.sdu.ledger.schema import ledger_meta

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

KEY_VARIABLE = "NACHA_CS_SSN_KEY"
STATE_VARIABLE = "NACHA_CS_SDU_STATE"
MIN_KEY_LENGTH = 16
_CHECK_TEXT = b"nacha-cs ledger: key check"


class MissingKey(LedgerError):
    """No SSN key, or one too short to be a secret."""


@attrs.frozen
class LedgerSettings:
    ssn_key: bytes = attrs.field(repr=False)
    state: str | None = None
    """The SDU's state (``OK``); a payment whose FIPS code is another state's goes to suspense.
    None: the FIPS code is not checked."""

    def ssn_hash(self, ssn: str) -> str:
        return hmac.digest(self.ssn_key, ssn.encode("ascii", "replace"), "sha256").hex()

    @property
    def state_fips(self) -> str | None:
        return STATE_FIPS[self.state] if self.state else None

    def key_check(self) -> str:
        return hmac.digest(self.ssn_key, _CHECK_TEXT, "sha256").hex()


def load_settings(
    config: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    state: str | None = None,
) -> LedgerSettings:
    """Settings from the environment, else the config's ``[ledger]`` table; MissingKey without
    a key, LedgerError for a config that cannot be read or a state that is not one."""
    env = os.environ if environ is None else environ
    table: dict[str, Any] = {}
    if config is not None:
        try:
            with open(config, "rb") as stream:
                table = tomllib.load(stream).get("ledger", {})
        except OSError as error:
            raise LedgerError(f"cannot read {config}: {error.strerror or error}") from error
        except tomllib.TOMLDecodeError as error:
            raise LedgerError(f"{config} is not valid TOML: {error}") from error
    key = env.get(KEY_VARIABLE) or table.get("ssn_key")
    if not key:
        raise MissingKey(f"no SSN key: set {KEY_VARIABLE} (or ssn_key in the [ledger] table of "
                         "the config); the ledger stores SSNs only as keyed hashes")
    if not isinstance(key, str) or len(key) < MIN_KEY_LENGTH:
        raise MissingKey(f"the SSN key must be a text of at least {MIN_KEY_LENGTH} characters")
    chosen = state or env.get(STATE_VARIABLE) or table.get("state")
    if chosen is not None:
        chosen = str(chosen).upper()
        if chosen not in STATE_FIPS:
            raise LedgerError(f"{chosen!r} is not a state's postal code (OK, TX, ...)")
    return LedgerSettings(key.encode("utf-8"), chosen)


def check_key(connection: Connection, settings: LedgerSettings) -> None:
    """Remember the key's fingerprint on first use; LedgerError if another key filled the
    ledger (its hashes would never match these)."""
    check = settings.key_check()
    stored = connection.execute(
        select(ledger_meta.c.value).where(ledger_meta.c.key == "ssn_key_check")
    ).scalar_one_or_none()
    if stored is None:
        connection.execute(ledger_meta.insert().values(key="ssn_key_check", value=check))
    elif not hmac.compare_digest(stored, check):
        raise LedgerError("this SSN key is not the one the ledger was filled with: SSNs would "
                          f"not match their cases; set {KEY_VARIABLE} to the ledger's key")


def ensure_key(engine: Engine, settings: LedgerSettings) -> None:
    """:func:`check_key` in its own transaction (two first ingests may race to record it)."""
    try:
        with engine.begin() as connection:
            check_key(connection, settings)
    except IntegrityError:
        with engine.begin() as connection:
            check_key(connection, settings)
