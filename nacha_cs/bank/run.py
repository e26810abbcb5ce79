"""Write a file's variants and check each one against our validator as it is made.

The expected findings come from :mod:`nacha_cs.bank.mutate` and :mod:`nacha_cs.bank.segments`;
this module only reads the base file, writes each variant (atomically, with the base file's line
ends) beside a manifest, and records where the validator disagrees.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from nacha_cs.ach.writer import OutputExistsError, atomic_output
from nacha_cs.bank.mutate import Variant, compare, iter_variants
from nacha_cs.validate import Options, validate_path, validate_stream


class BaseNotValid(ValueError):
    """The file to mutate already has errors: a variant's findings would not be its own."""


@attrs.frozen
class Outcome:
    variant: Variant
    path: Path
    disagreements: tuple[str, ...]


def read_lines(path: Path) -> tuple[list[str], str]:
    """The records of a file and its line end (``\\n``, ``\\r\\n`` or none at all)."""
    data = path.read_bytes().decode("latin-1")
    if "\n" not in data and len(data) % 94 == 0:
        return [data[i:i + 94] for i in range(0, len(data), 94)], ""
    newline = "\r\n" if "\r\n" in data else "\n"
    return data.split(newline)[:-1] if data.endswith(newline) else data.split(newline), newline


def write_bytes_atomically(target: Path, data: bytes, *, force: bool = False) -> None:
    """Like :func:`atomic_output`, for bytes: some variants hold a Latin-1 byte on purpose."""
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; use --force to replace it")
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def encode(lines: Sequence[str], newline: str) -> bytes:
    return "".join(line + newline for line in lines).encode("latin-1")


def mutate_file(path: Path, folder: Path, rules: Sequence[str] = (), *, wild: bool = True,
                options: Options | None = None, force: bool = False) -> list[Outcome]:
    """One variant per applicable rule (``rules`` narrows them), each written and validated."""
    base = validate_path(path, options)
    if base.errors:
        first = next(f for f in base.findings if f.severity == "error")
        raise BaseNotValid(f"{path} has {base.errors} errors already (first: {first.code} at "
                           f"line {first.line}); mutate a valid file")
    lines, newline = read_lines(path)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {code.upper() for code in rules}
    outcomes = []
    manifest: list[dict[str, Any]] = []
    for variant in iter_variants(lines, unbroken=not newline):
        if wanted and variant.rule not in wanted:
            continue
        if variant.wild and not wild and not wanted:
            continue
        data = encode(variant.lines, newline)
        report = validate_stream(io.BytesIO(data), options, variant.name)
        problems = tuple(compare(variant.expected, report.findings))
        target = folder / f"{variant.name}.ach"
        write_bytes_atomically(target, data, force=force)
        outcomes.append(Outcome(variant, target, problems))
        manifest.append({
            "file": target.name, "rule": variant.rule, "what": variant.what,
            "wild": variant.wild,
            "expected": [e.as_json() for e in variant.expected],
            "validator_agrees": not problems, "disagreements": list(problems),
        })
    with atomic_output(folder / "manifest.json", force=force) as out:
        out.write(json.dumps({"base": path.name, "variants": manifest}, indent=2,
                             sort_keys=True) + "\n")
    return outcomes
