"""Sortable tables, their CSV, and the server-drawn SVG chart."""

from __future__ import annotations

import csv
import datetime
import io
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

from nacha_cs.web.chart import bar_chart
from nacha_cs.web.tables import Column, make_table

COLUMNS = (Column("case", "Case"), Column("amount", "Amount", money=True))
ROWS = [
    {"case": "B2", "amount": 500},
    {"case": "A1", "amount": None},
    {"case": "C3", "amount": 27000},
]


def test_rows_sort_by_the_column_asked_for_with_blanks_last() -> None:
    table = make_table("t", COLUMNS, ROWS, {"sort": "amount", "dir": "asc"}, "/payments")
    assert [r["case"] for r in table.rows] == ["B2", "C3", "A1"]
    table = make_table("t", COLUMNS, ROWS, {"sort": "case", "dir": "desc"}, "/payments")
    assert [r["case"] for r in table.rows] == ["C3", "B2", "A1"]


def test_an_unknown_sort_key_keeps_the_order_given() -> None:
    table = make_table("t", COLUMNS, ROWS, {"sort": "nope"}, "/p")
    assert [r["case"] for r in table.rows] == ["B2", "A1", "C3"]
    assert table.sort is None


def test_sort_links_keep_the_filters_and_flip_the_direction() -> None:
    table = make_table("t", COLUMNS, ROWS, {"case": "B2", "sort": "case", "dir": "asc"}, "/p")
    link = urlsplit(table.sort_link(COLUMNS[0]))
    assert link.path == "/p"
    assert parse_qs(link.query) == {
        "case": ["B2"],
        "table": ["t"],
        "sort": ["case"],
        "dir": ["desc"],
    }
    assert table.aria_sort(COLUMNS[0]) == "ascending"
    assert table.aria_sort(COLUMNS[1]) is None
    assert parse_qs(urlsplit(table.csv_link()).query)["format"] == ["csv"]


def test_a_sort_meant_for_another_table_is_ignored() -> None:
    table = make_table("t", COLUMNS, ROWS, {"table": "other", "sort": "case"}, "/p")
    assert [r["case"] for r in table.rows] == ["B2", "A1", "C3"]


def test_cells_show_dollars_and_the_csv_keeps_cents() -> None:
    rows = [{"case": "A1", "amount": 123456, "when": datetime.date(2026, 11, 20)}]
    columns = (*COLUMNS, Column("when", "When"))
    table = make_table("t", columns, rows, {}, "/p")
    assert table.cell(rows[0], COLUMNS[1]) == "$1,234.56"
    parsed = list(csv.DictReader(io.StringIO(table.csv_text())))
    assert parsed == [{"case": "A1", "amount": "123456", "when": "2026-11-20"}]


def test_chart_is_well_formed_svg_with_one_bar_per_value() -> None:
    svg = bar_chart("Paid per day <all>", [("2026-11-20", 40547), ("2026-11-21", 0)])
    root = ET.fromstring(svg)
    bars = [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "bar"]
    assert len(bars) == 2
    assert float(bars[1].get("height", "1")) == 0
    assert "style=" not in svg  # the CSP allows no inline style
    assert root.get("aria-label") == "Paid per day <all>"


def test_chart_without_data_says_so() -> None:
    assert "nothing to show yet" in bar_chart("Paid per employer", [])


def test_the_streamed_csv_is_the_same_text_in_pieces() -> None:
    from nacha_cs.web.tables import iter_csv, rows_csv

    pieces = list(iter_csv(COLUMNS, ROWS, per_chunk=1))
    assert len(pieces) == 4  # header with the first row, one per row after, the rest
    assert "".join(pieces) == rows_csv(COLUMNS, ROWS)


def test_a_cell_a_spreadsheet_would_run_is_quoted_in_the_csv() -> None:
    table = make_table("t", COLUMNS, [{"case": "=HYPERLINK(1)", "amount": -500}], {}, "/p")
    parsed = list(csv.DictReader(io.StringIO(table.csv_text())))
    assert parsed == [{"case": "'=HYPERLINK(1)", "amount": "-500"}]
