"""nacha_cs.testing draws what it promises: DEDs and files our own validator accepts."""

from __future__ import annotations

import io
import subprocess
import sys

from hypothesis import given, settings
from strategies import a_file_spec

from nacha_cs.ach.builder import BatchSpec, build_file
from nacha_cs.ach.writer import render
from nacha_cs.codecs import ded as ded_codec
from nacha_cs.testing import child_support_files, ded_segments, deds, payments
from nacha_cs.validate import validate_stream


@given(ded_segments())
def test_every_ded_segment_decodes_without_a_finding(segment: str) -> None:
    assert len(segment) <= 80 and segment.endswith("\\")
    value, findings = ded_codec.decode(segment)
    assert findings == [] and value is not None
    assert ded_codec.encode(value) == segment


@given(deds(terminated=True))
def test_terminated_deds_may_pay_nothing(ded: ded_codec.Ded) -> None:
    assert ded.terminated and ded.amount >= 0


@settings(max_examples=30)
@given(payments())
def test_payments_make_files_our_validator_accepts(entry: object) -> None:
    batch = BatchSpec("ACME TOOLS INC", "1123456789", "CHILD SUPP",
                      a_file_spec().created.date().replace(day=3), "07100030" + "1",
                      (entry,))  # type: ignore[arg-type]
    text = render(build_file(a_file_spec(), [batch]))
    report = validate_stream(io.BytesIO(text.encode("ascii")))
    assert report.errors == 0, [(f.code, f.message) for f in report.findings]


@settings(max_examples=15, deadline=None)
@given(child_support_files(max_entries=8))
def test_child_support_files_are_valid(text: str) -> None:
    report = validate_stream(io.BytesIO(text.encode("ascii")))
    assert report.errors == 0 and report.warnings == 0


def test_nothing_else_in_the_package_imports_the_testing_module() -> None:
    code = ("import sys, pkgutil, importlib, nacha_cs\n"
            "for m in pkgutil.walk_packages(nacha_cs.__path__, 'nacha_cs.'):\n"
            "    if m.name not in ('nacha_cs.testing', 'nacha_cs.__main__'):\n"
            "        importlib.import_module(m.name)\n"
            "print('nacha_cs.testing' in sys.modules, 'hypothesis' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]
