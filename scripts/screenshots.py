"""Screenshots of the web page's main pages, for a person to look at.

Starts `nacha-cs serve` on 127.0.0.1, drives Debian's Chromium (NACHA_CS_CHROMIUM, or
/usr/bin/chromium; `source scripts/services/chromium.sh` installs it) and writes one PNG per page.

    .venv/bin/python scripts/screenshots.py -o screenshots/ [--force]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import (  # noqa: E402
    SAMPLE_KEY,
    browser_context,
    chromium_path,
    running_server,
    sample_ledger,
)

VALID = REPO / "fixtures" / "ccd-plus-ded.ach"


def several_defects(folder: Path) -> Path:
    """The valid sample with three defects of different rules, for a findings page worth
    looking at: a lowercase file ID modifier, a decimal DED amount, a bad SSN length."""
    lines = VALID.read_text(encoding="ascii").splitlines()
    lines[0] = lines[0][:33] + "a" + lines[0][34:]
    lines[3] = lines[3].replace("*27000*", "*270.0*", 1)
    lines[5] = lines[5].replace("*402345678*", "*40234567 *", 1)
    path = folder / "employer-file-with-defects.ach"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def shoot(page: Any, target: Path) -> None:
    """A full-page PNG written beside its target and renamed into place."""
    temporary = target.with_name(f".{target.name}.tmp.png")
    page.screenshot(path=str(temporary), full_page=True)
    os.replace(temporary, target)


def check(page: Any, url: str, path: Path) -> None:
    page.goto(url + "/")
    page.set_input_files("#file", str(path))
    page.click("#check")
    page.wait_for_selector("#verdict")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=Path("screenshots"))
    parser.add_argument("--force", action="store_true", help="replace existing PNGs")
    args = parser.parse_args(argv)
    executable = chromium_path()
    if executable is None:
        print("screenshots: no Chromium; source scripts/services/chromium.sh", file=sys.stderr)
        return 2
    output: Path = args.output
    output.mkdir(parents=True, exist_ok=True)
    existing = sorted(p.name for p in output.glob("*.png"))
    if existing and not args.force:
        print(
            f"screenshots: {output} already holds {existing[0]}...; --force replaces them",
            file=sys.stderr,
        )
        return 2
    pages: list[tuple[str, Callable[[Any, str], None]]] = []
    with tempfile.TemporaryDirectory() as scratch:
        defective = several_defects(Path(scratch))
        pages = [
            ("01-upload.png", lambda page, url: page.goto(url + "/")),
            ("02-valid-file.png", lambda page, url: check(page, url, VALID)),
            ("03-findings.png", lambda page, url: check(page, url, defective)),
            (
                "04-rejection-letter.png",
                lambda page, url: (check(page, url, defective), page.click("#letter")),
            ),
        ]
        ledger_pages: list[tuple[str, Callable[[Any, str], None]]] = [
            ("05-ingest.png", lambda page, url: page.goto(url + "/ingest")),
            ("06-files-received.png", lambda page, url: page.goto(url + "/files")),
            ("07-payments.png", lambda page, url: page.goto(url + "/payments")),
            ("08-suspense.png", lambda page, url: page.goto(url + "/suspense")),
            (
                "09-statement.png",
                lambda page, url: page.goto(
                    url + "/statements?employer=123456789&from=2025-03-01&to=2025-03-31"
                ),
            ),
            ("10-charts.png", lambda page, url: page.goto(url + "/charts")),
            (
                "11-compliance.png",
                lambda page, url: page.goto(url + "/compliance?as_of=2025-05-15"),
            ),
            ("12-mandate.png", lambda page, url: page.goto(url + "/mandate")),
        ]
        ledger = sample_ledger(Path(scratch))
        with browser_context(executable) as context:
            page = context.new_page()
            with running_server("--db", ledger, env={"NACHA_CS_SSN_KEY": SAMPLE_KEY}) as url:
                for name, visit in pages + ledger_pages:
                    visit(page, url)
                    shoot(page, output / name)
                    print(f"wrote {output / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
