"""What a file is, from its first bytes, before anyone reads it as ACH records.

A gzip archive or a UTF-16 export read as records gives dozens of findings (lengths, record
types, characters) that all say one thing badly. Looking at the first bytes first names the
format in one finding, with what to do about it. Pure: takes bytes, returns data.
"""

from __future__ import annotations

import attrs

from nacha_cs.findings import Finding, rule

HEAD_BYTES = 512
"""How much of the start of a file :func:`sniff` wants to see."""

FOREIGN_FORMAT = rule(
    "FMT001",
    "error",
    "The file is another format, not ACH text",
    "Send the plain ACH text file: unpack an archive, export text as ASCII without a byte "
    "order mark, do not send a scan or a PDF of it.",
)
UNREADABLE_PATH = rule(
    "IO001",
    "error",
    "The path cannot be read",
    "Check the path and its permissions; a folder is not a file.",
)


@attrs.frozen
class Format:
    """A format recognised by its first bytes."""

    name: str
    """What the file is, as a sentence fragment: ``a gzip-compressed file``."""
    signature: bytes
    """The bytes it starts with (empty for a format recognised another way)."""
    advice: str


# Longer signatures that share a start with shorter ones come first (UTF-32 LE before UTF-16 LE).
FORMATS: tuple[Format, ...] = (
    Format("a gzip-compressed file", b"\x1f\x8b", "gunzip it and check what is inside"),
    Format("a bzip2-compressed file", b"BZh", "bunzip2 it and check what is inside"),
    Format("an xz-compressed file", b"\xfd7zXZ\x00", "unxz it and check what is inside"),
    Format("a ZIP archive", b"PK\x03\x04", "unzip it and check the ACH file inside"),
    Format("an empty ZIP archive", b"PK\x05\x06", "the archive holds no file at all"),
    Format("a 7-Zip archive", b"7z\xbc\xaf\x27\x1c", "unpack it and check the ACH file inside"),
    Format("a PNG image", b"\x89PNG\r\n\x1a\n", "an image of a file cannot be checked"),
    Format("a JPEG image", b"\xff\xd8\xff", "an image of a file cannot be checked"),
    Format("a PDF document", b"%PDF-", "ask for the ACH text file itself, not a PDF of it"),
    Format(
        "a Microsoft Office (OLE) document",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "export the ACH text, not a spreadsheet or document",
    ),
    Format(
        "UTF-32 text (byte order mark FF FE 00 00)",
        b"\xff\xfe\x00\x00",
        "save it as plain ASCII text",
    ),
    Format(
        "UTF-32 text (byte order mark 00 00 FE FF)",
        b"\x00\x00\xfe\xff",
        "save it as plain ASCII text",
    ),
    Format(
        "UTF-16 text (little-endian, byte order mark FF FE)",
        b"\xff\xfe",
        "save it as plain ASCII text: every character now takes two bytes",
    ),
    Format(
        "UTF-16 text (big-endian, byte order mark FE FF)",
        b"\xfe\xff",
        "save it as plain ASCII text: every character now takes two bytes",
    ),
    Format(
        "UTF-8 text with a byte order mark (EF BB BF)",
        b"\xef\xbb\xbf",
        "save it as plain ASCII without the byte order mark; the mark shifts every column "
        "of the first record",
    ),
)
UTF16_WITHOUT_MARK = Format(
    "UTF-16 text without a byte order mark (every other byte is zero)",
    b"",
    "save it as plain ASCII text: every character now takes two bytes",
)


def sniff(head: bytes) -> Format | None:
    """The format ``head`` (the first bytes of a file) shows, or None when it may be ACH text."""
    for candidate in FORMATS:
        if head.startswith(candidate.signature):
            return candidate
    if _utf16_without_mark(head):
        return UTF16_WITHOUT_MARK
    return None


def _utf16_without_mark(head: bytes) -> bool:
    """ASCII saved as UTF-16: a zero in every other byte (ACH text holds no zero bytes)."""
    if len(head) < 32:
        return False
    for zeros, text in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) <= 0.1 * len(text):
            return True
    return False


def sniff_finding(head: bytes) -> Finding | None:
    """One FMT001 finding naming the format, or None when ``head`` may be ACH text."""
    found = sniff(head)
    if found is None:
        return None
    shown = " ".join(f"{byte:02X}" for byte in head[: max(2, len(found.signature))][:8])
    return FOREIGN_FORMAT.finding(
        f"this is {found.name}, not ACH text (it starts with bytes {shown}); {found.advice}",
        line=1,
        column=1,
    )


def unreadable_finding(reason: str) -> Finding:
    """The finding that stands for a path that could not be opened or read."""
    return UNREADABLE_PATH.finding(f"cannot read the file: {reason}")
