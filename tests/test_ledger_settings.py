"""Where the ledger's SSN key and state come from, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from nacha_cs.sdu.ledger import LedgerError, MissingKey, load_settings


def test_the_environment_comes_before_the_config(tmp_path: Path) -> None:
    config = tmp_path / "sdu.toml"
    config.write_text('[ledger]\nssn_key = "config-key-0123456789"\nstate = "tx"\n')
    from_config = load_settings(config, environ={})
    assert (from_config.ssn_key, from_config.state, from_config.state_fips) == (
        b"config-key-0123456789", "TX", "48")
    from_env = load_settings(config, environ={"NACHA_CS_SSN_KEY": "env-key-0123456789ab",
                                              "NACHA_CS_SDU_STATE": "ok"})
    assert (from_env.ssn_key, from_env.state) == (b"env-key-0123456789ab", "OK")
    assert "env-key" not in repr(from_env)  # the key is never shown


def test_no_key_or_a_short_one_is_refused() -> None:
    with pytest.raises(MissingKey, match="no SSN key"):
        load_settings(environ={})
    with pytest.raises(MissingKey, match="at least 16 characters"):
        load_settings(environ={"NACHA_CS_SSN_KEY": "short"})


def test_a_bad_state_or_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="not a state's postal code"):
        load_settings(environ={"NACHA_CS_SSN_KEY": "k" * 20, "NACHA_CS_SDU_STATE": "ZZ"})
    broken = tmp_path / "broken.toml"
    broken.write_text("[ledger\n")
    with pytest.raises(LedgerError, match="is not valid TOML"):
        load_settings(broken, environ={})
    with pytest.raises(LedgerError, match="cannot read"):
        load_settings(tmp_path / "missing.toml", environ={})


def test_hashes_depend_on_the_key() -> None:
    one = load_settings(environ={"NACHA_CS_SSN_KEY": "a" * 20})
    two = load_settings(environ={"NACHA_CS_SSN_KEY": "b" * 20})
    assert one.ssn_hash("512340001") == one.ssn_hash("512340001")
    assert one.ssn_hash("512340001") != two.ssn_hash("512340001")
    assert "512340001" not in one.ssn_hash("512340001")
