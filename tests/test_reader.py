"""The reader: LF, CRLF and unbroken input; structure problems located; junk in, findings out."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import a_batch, a_file, ach_files, an_entry, batch_specs, file_specs

from nacha_cs.ach import reader
from nacha_cs.ach.builder import build_file
from nacha_cs.ach.model import AchFile
from nacha_cs.ach.reader import iter_raw_records, read_file, read_stream, read_text
from nacha_cs.ach.writer import render
from nacha_cs.findings import Finding, count_errors

PAD = "9" * 94
DED = "DED*CS*ZC146*250101*12345*123456789*N*SMITH,HARR\\"


def small_file() -> AchFile:
    """Eight records and two padding lines: header, CCD batch with an addenda, CTX batch."""
    return a_file(
        a_batch([an_entry(addenda=(DED,)), an_entry(amount=99)]),
        a_batch([an_entry(receiver_name="OK SDU", addenda=("ISA", "GS"))], sec_code="CTX"),
    )


SMALL = small_file()
LINES = render(SMALL).splitlines()


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def read_lines(lines: list[str]) -> tuple[AchFile | None, list[Finding]]:
    return read_text("".join(line + "\n" for line in lines))


# --- iter_raw_records ---------------------------------------------------------------------------


def records_of(data: bytes) -> list[tuple[int, str]]:
    return list(iter_raw_records(io.BytesIO(data)))


def layouts_of(text: str) -> dict[str, bytes]:
    unbroken = text.replace("\n", "")
    return {
        "lf": text.encode(),
        "crlf": text.replace("\n", "\r\n").encode(),
        "lf-no-final-newline": text.rstrip("\n").encode(),
        "crlf-no-final-newline": text.replace("\n", "\r\n").rstrip("\r\n").encode(),
        "unbroken": unbroken.encode(),
        "unbroken-final-lf": (unbroken + "\n").encode(),
        "unbroken-final-crlf": (unbroken + "\r\n").encode(),
    }


@pytest.mark.parametrize("layout", list(layouts_of("x\n")))
def test_all_line_layouts_give_the_same_records(layout: str) -> None:
    data = layouts_of(render(SMALL))[layout]
    assert records_of(data) == list(enumerate(LINES, start=1))


@pytest.mark.parametrize("layout", list(layouts_of("x\n")))
def test_all_line_layouts_read_to_the_same_model(layout: str) -> None:
    ach, problems = read_stream(io.BytesIO(layouts_of(render(SMALL))[layout]))
    assert problems == []
    assert ach == SMALL


@pytest.mark.parametrize("chunk_size", [1, 2, 7, 93, 94, 95, 100, 187, 188, 1000])
@pytest.mark.parametrize("layout", ["lf", "crlf", "unbroken", "crlf-no-final-newline"])
def test_records_do_not_depend_on_chunk_boundaries(
    monkeypatch: pytest.MonkeyPatch, layout: str, chunk_size: int
) -> None:
    monkeypatch.setattr(reader, "CHUNK_SIZE", chunk_size)
    data = layouts_of(render(SMALL))[layout]
    assert records_of(data) == list(enumerate(LINES, start=1))


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(
        st.sampled_from(["", "\r", "1" * 93, "5" * 94, "6" * 94 + "\r", "7" * 95, "8" * 188]),
        max_size=12,
    ),
    final_newline=st.booleans(),
    extra=st.integers(0, 300),
)
def test_chunk_size_never_changes_the_records(
    lines: list[str], final_newline: bool, extra: int
) -> None:
    """Carries across chunk boundaries lose nothing and invent nothing.

    The chunk always holds the first line break (if any): whether input is an unbroken stream
    is decided on the first chunk, as it must be when streaming.
    """
    data = ("\n".join(lines) + ("\n" if final_newline else "")).encode()
    expected = records_of(data)
    first_line = len(lines[0]) if lines else 0
    saved, reader.CHUNK_SIZE = reader.CHUNK_SIZE, first_line + 2 + extra
    try:
        assert records_of(data) == expected
    finally:
        reader.CHUNK_SIZE = saved


def test_one_record_without_a_newline() -> None:
    assert records_of(LINES[0].encode()) == [(1, LINES[0])]


def test_odd_lengths_are_kept_as_they_are() -> None:
    data = f"{LINES[0]}\n{'1' * 93}\n{'1' * 95}\n\n{'1' * 188}\n".encode()
    assert records_of(data) == [
        (1, LINES[0]),
        (2, "1" * 93),
        (3, "1" * 95),
        (4, ""),
        (5, "1" * 94),  # a line of two whole records is two records
        (6, "1" * 94),
    ]


def test_unbroken_stream_with_a_short_tail() -> None:
    assert records_of(("1" * 94 * 2 + "5" * 10).encode()) == [
        (1, "1" * 94),
        (2, "1" * 94),
        (3, "5" * 10),
    ]


def test_empty_input_has_no_records() -> None:
    assert records_of(b"") == []


def test_bytes_are_latin1_so_every_byte_is_one_character() -> None:
    line = LINES[0][:50] + "\u00e9" + LINES[0][51:]
    ((number, text),) = records_of(line.encode("latin-1"))
    assert (number, len(text), text[50]) == (1, 94, "\u00e9")


# --- whole files --------------------------------------------------------------------------------


def test_read_file(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "small.ach"  # type: ignore[operator]
    path.write_text(render(SMALL, "\r\n"), newline="")
    assert read_file(path) == (SMALL, [])


def test_read_text_takes_str_or_bytes() -> None:
    assert read_text(render(SMALL)) == read_text(render(SMALL).encode()) == (SMALL, [])


def test_ctx_entries_are_read_with_the_ctx_layout() -> None:
    ach, _ = read_text(render(SMALL))
    assert ach is not None
    ctx = ach.batches[1].entries[0]
    assert type(ctx).__name__ == "CtxEntry"
    assert ctx.number_of_addenda_records == 2  # type: ignore[union-attr]
    assert [a.payment_related_information for a in ctx.addenda] == ["ISA", "GS"]


def test_padding_may_be_missing() -> None:
    """The block count is the validator's business; the reader still builds the model."""
    ach, problems = read_lines(LINES[:12])
    assert (ach, problems) == (SMALL, [])


# Line numbers of LINES: 1 file header, 2 batch header, 3 entry, 4 addenda, 5 entry,
# 6 batch control, 7 batch header (CTX), 8 entry, 9 addenda, 10 addenda, 11 batch control,
# 12 file control, then 8 lines of padding.
assert len(LINES) == 20 and LINES[11][0] == "9" and LINES[12] == PAD


@pytest.mark.parametrize(
    ("lines", "expected", "has_model"),
    [
        pytest.param([], [("FILE001", None)], False, id="empty"),
        pytest.param(LINES[1:], [("FILE008", 1)], False, id="no-file-header"),
        pytest.param(LINES[:11], [("FILE006", None)], False, id="no-file-control"),
        pytest.param(
            LINES[:10] + LINES[11:], [("FILE005", 11)], True, id="no-batch-control-before-9"
        ),
        pytest.param(LINES[:5] + LINES[6:], [("FILE005", 6)], True, id="no-batch-control-before-5"),
        pytest.param(LINES[:10], [("FILE005", 10), ("FILE006", None)], False, id="cut-in-batch"),
        pytest.param([*LINES[:12], LINES[2], *LINES[13:]], [("FILE007", 13)], True, id="after-9"),
        pytest.param([*LINES[:2], "0" * 94, *LINES[2:]], [("FILE003", 3)], True, id="type-0"),
        pytest.param([*LINES[:6], LINES[2], *LINES[6:]], [("FILE004", 7)], True, id="entry-out"),
        pytest.param([*LINES[:6], LINES[3], *LINES[6:]], [("FILE004", 7)], True, id="addenda-out"),
        pytest.param(
            [*LINES[:2], LINES[3], *LINES[2:]], [("FILE004", 3)], True, id="addenda-first"
        ),
        pytest.param([*LINES[:6], LINES[5], *LINES[6:]], [("FILE004", 7)], True, id="8-twice"),
        pytest.param(LINES[:1] + LINES[:1] + LINES[1:], [("FILE004", 2)], True, id="1-twice"),
        pytest.param([*LINES[:11], PAD, *LINES[11:]], [("FILE004", 12)], True, id="pad-early"),
        pytest.param(
            LINES[1:3] + LINES[:1] + LINES[3:],
            [("FILE008", 1), ("FILE004", 3)],
            True,
            id="1-inside-batch",
        ),
    ],
)
def test_structure_problems(
    lines: list[str], expected: list[tuple[str, int | None]], has_model: bool
) -> None:
    ach, problems = read_lines(lines)
    assert [(p.code, p.line) for p in problems] == expected
    assert all(p.severity == "error" for p in problems)
    assert (ach is not None) == has_model


def test_wrong_length_is_located() -> None:
    short = LINES[2][:90]
    long = LINES[5] + "XY"
    ach, problems = read_lines([*LINES[:2], short, *LINES[3:5], long, *LINES[6:]])
    assert ach is not None
    assert [(p.code, p.line, p.column, p.end_column) for p in problems] == [
        ("FILE002", 3, 91, 94),
        ("FLD001", 3, 80, 94),  # the cut trace number reads as digits and blanks
        ("FILE002", 6, 95, 96),
    ]
    assert "4 short" in problems[0].message and "2 too many" in problems[2].message


def test_field_problems_carry_their_record_number() -> None:
    bad = LINES[4][:29] + "00000 0099" + LINES[4][39:]
    ach, problems = read_lines([*LINES[:4], bad, *LINES[5:]])
    assert [(p.code, p.line, p.column, p.field) for p in problems] == [("FLD001", 5, 30, "amount")]
    assert ach is not None and ach.batches[0].entries[1].amount is None


def test_unclosed_batch_is_left_out_of_the_model_but_reported() -> None:
    ach, problems = read_lines(LINES[:10] + LINES[11:])
    assert codes(problems) == ["FILE005"]
    assert ach is not None and len(ach.batches) == 1


# --- junk in, findings out ----------------------------------------------------------------------


def read_junk(data: bytes) -> tuple[AchFile | None, list[Finding]]:
    ach, problems = read_stream(io.BytesIO(data))
    assert isinstance(problems, list)
    assert all(isinstance(p, Finding) for p in problems)
    return ach, problems


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    ach, problems = read_junk(data)
    if ach is None:
        assert count_errors(problems) > 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*LINES[:12], PAD, "", "1" * 93, "7" * 95]), max_size=30))
def test_shuffled_records_never_raise(lines: list[str]) -> None:
    ach, problems = read_junk("\n".join(lines).encode())
    if ach is None:
        assert count_errors(problems) > 0


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_random_bytes_spliced_into_a_valid_file_never_raise(data: st.DataObject) -> None:
    text = render(SMALL).encode()
    at = data.draw(st.integers(0, len(text)))
    junk = data.draw(st.binary(min_size=1, max_size=50))
    read_junk(text[:at] + junk + text[at:])


def end_of_file_control() -> int:
    """Characters up to and including the file control record."""
    return sum(len(line) + 1 for line in LINES[:12]) - 1


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_every_prefix_of_a_valid_file(newline: str) -> None:
    text = render(SMALL, newline).encode()
    control_end = end_of_file_control() + (len(newline) - 1) * 11
    for length in range(len(text) + 1):
        ach, problems = read_junk(text[:length])
        if length < control_end:
            assert count_errors(problems) > 0, length
            continue
        assert ach == SMALL, length  # cut inside the padding: the model is whole
        last_line_whole = (
            length == control_end
            or text[length - 1 : length] in (b"\n", b"\r")
            or text[length : length + 1] in (b"\n", b"\r")
        )
        if last_line_whole:
            assert problems == [], length
        else:  # a piece of a padding line
            assert codes(problems) == ["FILE002", "FILE007"], length


def test_every_prefix_of_an_unbroken_file() -> None:
    text = render(SMALL).replace("\n", "").encode()
    for length in range(len(text) + 1):
        ach, problems = read_junk(text[:length])
        if length < 12 * 94:
            assert count_errors(problems) > 0, length
        elif length % 94 == 0:
            assert (ach, problems) == (SMALL, []), length


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"", ["FILE001"], id="empty"),
        pytest.param(b"\n", ["FILE008", "FILE002", "FILE003", "FILE006"], id="one-newline"),
        pytest.param(b"\r\n\r\n", ["FILE008", "FILE002", "FILE003"], id="blank-lines"),
        pytest.param(LINES[0][:93].encode(), ["FILE002", "FILE006"], id="93-characters"),
        pytest.param(
            LINES[0][:93].encode() + b"\n", ["FILE002", "FILE006"], id="93-characters-newline"
        ),
        pytest.param(b"\x00" * 94, ["FILE008", "FILE003", "FILE006"], id="nul-record"),
        pytest.param(b"\x00" * 5000, ["FILE008", "FILE003"], id="many-nuls"),
        pytest.param(b"\xff\xfe" * 300, ["FILE008", "FILE003"], id="non-ascii"),
        pytest.param("\u00e9".encode() * 200, ["FILE008", "FILE003"], id="utf8-accents"),
        pytest.param((PAD + "\n").encode() * 10, ["FILE008"], id="only-padding"),
        pytest.param(PAD.encode() * 10, ["FILE008"], id="only-padding-unbroken"),
        pytest.param(b"\x1f\x8b\x08\x00" + bytes(range(256)), ["FILE008"], id="gzip-like"),
        pytest.param(b"%PDF-1.4\n" * 40, ["FILE008", "FILE002", "FILE003"], id="pdf-like"),
    ],
)
def test_junk_gives_findings_not_exceptions(data: bytes, expected: list[str]) -> None:
    ach, problems = read_junk(data)
    assert ach is None
    found = codes(problems)
    for code in expected:
        assert code in found
    assert count_errors(problems) > 0


def test_nul_bytes_inside_a_valid_file_are_located() -> None:
    bad = LINES[2][:29] + "\x00" * 10 + LINES[2][39:]
    _, problems = read_lines([*LINES[:2], bad, *LINES[3:]])
    assert [(p.code, p.line, p.field) for p in problems] == [("FLD001", 3, "amount")]


def test_non_ascii_bytes_in_numbers_are_located() -> None:
    text = render(SMALL).encode()
    start = text.index(LINES[2].encode())
    data = text[: start + 35] + b"\xb2" + text[start + 36 :]  # superscript two in the amount
    _, problems = read_junk(data)
    assert [(p.code, p.line, p.column) for p in problems] == [("FLD001", 3, 30)]
    assert "column 36" in problems[0].message


# --- round trips --------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(ach_files())
def test_model_to_text_to_model_is_identity(ach: AchFile) -> None:
    assert read_text(render(ach)) == (ach, [])


@settings(max_examples=50, deadline=None)
@given(ach_files(), st.sampled_from(["lf", "crlf", "lf-no-final-newline", "unbroken"]))
def test_every_line_layout_reads_to_the_same_model(ach: AchFile, layout: str) -> None:
    assert read_stream(io.BytesIO(layouts_of(render(ach))[layout])) == (ach, [])


@settings(max_examples=100, deadline=None)
@given(ach_files(), st.sampled_from(["\n", "\r\n"]))
def test_text_to_model_to_text_gives_the_same_bytes(ach: AchFile, newline: str) -> None:
    text = render(ach, newline).encode("ascii")
    again, problems = read_stream(io.BytesIO(text))
    assert problems == []
    assert again is not None
    assert render(again, newline).encode("ascii") == text


@settings(max_examples=50, deadline=None)
@given(file_specs(), st.lists(batch_specs(), min_size=1, max_size=3))
def test_built_models_hold_what_the_file_holds(file_spec: object, batches: list[object]) -> None:
    ach = build_file(file_spec, batches)  # type: ignore[arg-type]
    assert read_text(render(ach))[0] == ach
