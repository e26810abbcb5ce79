"""Shared fixtures.

``tests/`` has no ``__init__.py``, so pytest puts this folder on sys.path and test modules import
the shared strategies and factories as ``from strategies import ...``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PEER_TESTDATA = SHARED / "peer-testdata"


@pytest.fixture
def peer_testdata() -> Path:
    """moov-io/ach's test files, read from ../shared beside the repo (never copied in)."""
    if not PEER_TESTDATA.is_dir():
        pytest.skip("../shared/peer-testdata not found beside the repo")
    return PEER_TESTDATA
