"""The JSON document is written as it is encoded, and is byte for byte what json.dumps made.

docs/json-contract.md fixes the document; writing it in batches (so a file with tens of
thousands of findings does not hold its whole text and the encoder's pieces at once) must not
change a byte of it.
"""

from __future__ import annotations

import io
import json
import sys

import pytest

from nacha_cs.cli import _output


@pytest.mark.parametrize("findings", [0, 1, 3_000])
def test_echo_json_writes_what_json_dumps_makes(monkeypatch: pytest.MonkeyPatch,
                                                findings: int) -> None:
    document = {"files": [{
        "path": "b\u00e9d\\file\".ach", "valid": findings == 0, "errors": findings,
        "warnings": 0, "summary": {"batches": 1, "entries": 2, "total_debit": None},
        "findings": [{"code": "ED001", "severity": "error", "line": n, "column": None,
                      "field": "check_digit", "message": f"finding {n} \x1b[31m\u2028"}
                     for n in range(findings)],
    }]}
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(_output, "JSON_CHUNKS", 7)  # many batches even for a small document
    _output.echo_json(document)
    assert out.getvalue() == json.dumps(document, indent=2) + "\n"
