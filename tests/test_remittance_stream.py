"""The streaming remittance reader gives the model's rows, in order, on any input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nacha_cs.ach.reader import read_stream
from nacha_cs.bank.kit import KINDS, kit_lines
from nacha_cs.bank.mutate import iter_variants
from nacha_cs.sdu.remittance import remittances
from nacha_cs.sdu.remittance_stream import BatchStream

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())


def assert_same_rows(data: bytes) -> None:
    model, _ = read_stream(io.BytesIO(data))
    stream = BatchStream(io.BytesIO(data))
    batches = list(stream)
    assert stream.readable == (model is not None)
    if model is None:
        return
    assert [row for _, _, rows in batches for row in rows] == remittances(model)
    assert [header for _, header, _ in batches] == [batch.header for batch in model.batches]
    assert [position for position, _, _ in batches] == list(range(1, len(model.batches) + 1))


def test_readable_is_unknown_until_the_stream_is_read() -> None:
    assert BatchStream(io.BytesIO(b"")).readable is None


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_gives_the_models_rows(path: Path) -> None:
    assert_same_rows(path.read_bytes())


@pytest.mark.parametrize("kind", KINDS)
def test_every_kit_variant_gives_the_models_rows(kind: str) -> None:
    for variant in iter_variants(list(kit_lines(kind, 20, 9))):
        assert_same_rows(("\r\n".join(variant.lines) + "\r\n").encode("latin-1"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(KINDS),
    cuts=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 93), st.binary(max_size=3)), max_size=4
    ),
    drops=st.lists(st.integers(0, 10_000), max_size=2),
)
def test_damaged_files_give_the_models_rows(
    kind: str, cuts: list[tuple[int, int, bytes]], drops: list[int]
) -> None:
    lines = [line.encode("ascii") for line in kit_lines(kind, 12, 4)]
    for index, column, text in cuts:
        at = index % len(lines)
        lines[at] = lines[at][:column] + text + lines[at][column + len(text) :]
    for index in drops:
        if len(lines) > 1:
            del lines[index % len(lines)]
    assert_same_rows(b"\n".join(lines) + b"\n")
