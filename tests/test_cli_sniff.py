"""Files in another format named in one finding; unreadable paths still in the JSON document;
the summary line kept whole when piped."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nacha_cs.ach.sniff import FOREIGN_FORMAT, sniff, sniff_finding
from nacha_cs.cli import main

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "ccd-plus-ded.ach"
ACH = FIXTURE.read_bytes()


def zipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payments.ach", data)
    return buffer.getvalue()


FOREIGN = {
    "gzip": (gzip.compress(ACH), "a gzip-compressed file"),
    "zip": (zipped(ACH), "a ZIP archive"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "a PNG image"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + ACH[:300], "a PDF document"),
    "utf-16": (ACH.decode("ascii").encode("utf-16"), "UTF-16 text (little-endian"),
    "utf-16-be": (b"\xfe\xff" + ACH.decode("ascii").encode("utf-16-be"), "UTF-16 text (big"),
    "utf-16-no-bom": (ACH.decode("ascii").encode("utf-16-le"), "without a byte order mark"),
    "utf-32": (ACH.decode("ascii").encode("utf-32"), "UTF-32 text"),
    "utf-8-bom": (b"\xef\xbb\xbf" + ACH, "UTF-8 text with a byte order mark"),
}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_sniff_names_the_format(kind: str) -> None:
    data, name = FOREIGN[kind]
    found = sniff(data[:512])
    assert found is not None and name in found.name
    finding = sniff_finding(data[:512])
    assert finding is not None and finding.code == FOREIGN_FORMAT.code == "FMT001"
    assert finding.severity == "error" and (finding.line, finding.column) == (1, 1)
    assert name in finding.message and "not ACH text" in finding.message


@pytest.mark.parametrize(
    "data",
    [ACH, ACH.replace(b"\n", b"\r\n"), b"", b"1", b"hello world\n", b"\x00\xff" * 3, b"9" * 94],
    ids=["ach", "crlf", "empty", "one-byte", "text", "short-binary", "nines"],
)
def test_ach_text_and_short_junk_are_left_to_the_validator(data: bytes) -> None:
    assert sniff(data[:512]) is None and sniff_finding(data[:512]) is None


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_validate_gives_one_finding_instead_of_dozens(tmp_path: Path, kind: str) -> None:
    data, name = FOREIGN[kind]
    path = tmp_path / f"incoming-{kind}.ach"
    path.write_bytes(data)
    document = json.loads(run("validate", "--format", "json", str(path)).stdout)
    (entry,) = document["files"]
    assert entry["valid"] is False and entry["errors"] == 1
    assert [f["code"] for f in entry["findings"]] == ["FMT001"]
    assert name in entry["findings"][0]["message"]
    text = run("validate", str(path))
    assert text.exit_code == 1
    assert "FMT001 error" in text.stdout and name in text.stdout


def test_without_the_sniff_a_gzip_file_is_a_heap_of_findings(tmp_path: Path) -> None:
    """Why FMT001 exists: read as records, a gzip archive gives many findings that say less."""
    path = tmp_path / "payments.ach.gz"
    path.write_bytes(FOREIGN["gzip"][0])
    document = json.loads(run("validate", "--format", "json", "--disable", "FMT001",
                              str(path)).stdout)
    codes = [f["code"] for f in document["files"][0]["findings"]]
    assert len(codes) > 3 and "FMT001" not in codes


@pytest.mark.parametrize("kind", ["gzip", "utf-16", "utf-8-bom"])
def test_describe_names_the_format_and_exits_1(tmp_path: Path, kind: str) -> None:
    data, name = FOREIGN[kind]
    path = tmp_path / "incoming.ach"
    path.write_bytes(data)
    result = run("describe", str(path))
    assert result.exit_code == 1
    assert name in result.stderr and "not ACH text" in result.stderr
    assert result.stdout == ""


# --- unreadable paths in the JSON document -----------------------------------------------------


@pytest.mark.parametrize("what", ["missing", "folder"])
def test_json_names_an_unreadable_path_and_its_reason(tmp_path: Path, what: str) -> None:
    path = tmp_path / "nowhere.ach"
    if what == "folder":
        path.mkdir()
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 2
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["path"] == str(path) and entry["valid"] is False
    (finding,) = entry["findings"]
    assert finding["code"] == "IO001" and finding["severity"] == "error"
    reason = "No such file or directory" if what == "missing" else "Is a directory"
    assert reason in finding["message"]
    assert f"nacha-cs: cannot read {path}: {reason}" in result.stderr


def test_text_output_of_an_unreadable_path_is_a_message_and_exit_2(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere.ach"), str(FIXTURE))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr and "VALID" in result.stdout


# --- the summary line stays one line when piped ------------------------------------------------


def test_the_summary_line_does_not_wrap_when_piped(tmp_path: Path) -> None:
    folder = tmp_path / ("a-rather-long-folder-name-for-incoming-files-" * 3)
    folder.mkdir()
    path = folder / "ccd-plus-ded.ach"
    path.write_bytes(ACH)
    result = run("validate", str(path))
    assert result.exit_code == 0
    (summary,) = [line for line in result.stdout.splitlines() if "VALID" in line]
    assert summary.startswith(str(path)) and "credits $" in summary and len(summary) > 140
