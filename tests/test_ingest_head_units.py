"""The unit of the values where the head of a file states it twice or beside the column: a
title and the value column's own header that disagree (单位：万元 above 人民币(元)), a unit in a
header cell beside the value column (…,人民币,单位：万元), a title in another currency than the
column, and a semicolon- or tab-separated file whose 1.000 may be a thousand. Each was read by
one of the two statements without a sign (a fourth review); now refused at its line, or read
where both agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import csv_bytes, read_table
from downloads import NATIONAL, WAN_YUAN, cli, one_error_line, row

from helpers.ingest import ingest


def _file(tmp_path: Path, title: str | None, header: list[str], rows: list[list[str]],
          encoding: str = "gbk", delimiter: str = ",") -> Path:
    path = tmp_path / "export-202010.csv"
    head = f"{title}\r\n".encode(encoding) if title is not None else b""
    path.write_bytes(head + csv_bytes(header, rows, encoding=encoding, delimiter=delimiter))
    return path


@pytest.mark.parametrize(("title", "column"), [
    ("单位：万元", "人民币(元)"), ("单位：千元", "人民币(万元)"), ("单位：元", "人民币(万元)"),
    ("China's exports, USD thousand", "美元(美元)"), ("Unit: USD million", "美元(千美元)"),
    ("（万元）", "人民币(千元)")])
def test_a_title_and_a_header_unit_that_differ_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, column: str) -> None:
    path = _file(tmp_path, title, [*WAN_YUAN[:-1], column], [row("202010", "1,000")])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:1:" in line and "they differ" in line, line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("title", "column", "factor"), [
    ("单位：万元", "人民币(万元)", 1e4), ("单位：人民币 万元", "人民币(万元)", 1e4),
    ("Unit: USD thousand", "美元(千美元)", 1e3), ("单位：百万美元", "美元(百万美元)", 1e6),
    ("单位：美元", "美元(美元)", 1), ("单位：万元", "美元(千美元)", 1e3),
    ("出口额超百万美元商品", "美元(千美元)", 1e3)])
def test_a_title_and_a_header_unit_that_agree_read(tmp_path: Path, title: str, column: str,
                                                   factor: float) -> None:
    """The same unit twice reads; a title in yuan above a dollar column with its own unit says
    nothing of that column."""
    path = _file(tmp_path, title, [*WAN_YUAN[:-1], column], [row("202010", "1,000")])
    ingest([path], tmp_path / "out", progress=False)
    field = "value_usd" if "美元" in column else "value_cny"
    assert read_table(tmp_path / "out")[field].iloc[0] == 1_000 * factor


@pytest.mark.parametrize("cell", ["单位：万元", "（万元）", "单位:千美元", "(USD thousand)",
                                  "万元"])
def test_a_unit_in_a_header_cell_beside_the_value_column_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str) -> None:
    """…,人民币,单位：万元 with rows ending "1,000",: the cell was an ignored column and the
    values were read as yuan, 10,000 times too small."""
    path = _file(tmp_path, None, [*WAN_YUAN[:-1], "人民币", cell],
                 [[*row("202010", "1,000"), ""]])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:1:" in line and repr(cell) in line, line


def test_other_columns_the_ingest_does_not_read_are_still_ignored(tmp_path: Path) -> None:
    path = _file(tmp_path, None, [*WAN_YUAN[:-1], "人民币", "运输方式", "备注"],
                 [[*row("202010", "1,000"), "水路运输", "万向节"]])
    assert ingest([path], tmp_path / "out", progress=False).rows == 1


@pytest.mark.parametrize(("title", "column"), [("2020年新疆出口（美元）", "人民币"),
                                               ("Exports (RMB)", "美元"),
                                               ("出口【人民币】", "美元")])
def test_a_title_in_another_currency_than_the_column_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, column: str) -> None:
    path = _file(tmp_path, title, [*WAN_YUAN[:-1], column], [row("202010", "1,000")])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:1:" in line and "another currency" in line, line


@pytest.mark.parametrize(("delimiter", "by"), [(";", "semicolons"), ("\t", "tabs")])
@pytest.mark.parametrize("value", ["1.000", "2.500", "12.500.000", " 1.000 "])
def test_a_dot_before_three_digits_in_a_semicolon_or_tab_file_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, delimiter: str,
        by: str) -> None:
    """A file separated by semicolons or tabs is what a European-locale spreadsheet writes, with
    1.000 for a thousand: read as 1.0, every value under a million was 1,000 times too small.
    No other number here shows the dots are decimal points (7 and 1,000 have none)."""
    rows = [row("202001", "7", province=None), row("202002", value, province=None),
            row("202003", "1000", province=None)]
    path = _file(tmp_path, None, NATIONAL, rows, encoding="gbk", delimiter=delimiter)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:3:" in line and by in line, line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("delimiter", "value", "expected"), [
    (";", "1000", 1000), (";", "12.5", 12.5), (";", "0.1234", 0.1234), (",", "1.000", 1.0),
    ("\t", "2.50", 2.5), ("\t", "1000", 1000)])
def test_other_numbers_of_a_semicolon_file_and_dots_elsewhere_read(
        tmp_path: Path, delimiter: str, value: str, expected: float) -> None:
    path = _file(tmp_path, None, NATIONAL, [row("202001", value, province=None)],
                 encoding="utf-8", delimiter=delimiter)
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_usd"].iloc[0] == expected


@pytest.mark.parametrize("delimiter", [";", "\t"])
@pytest.mark.parametrize("decimal", ["3.5", "0.25", "1234.500", "0.1234"])
def test_one_decimal_dot_anywhere_in_the_file_reads_its_three_decimals(
        tmp_path: Path, delimiter: str, decimal: str) -> None:
    """A European-locale spreadsheet writes no dot before one, two or four digits, nor after
    four: one such number, even on the last line, shows the file's dots are decimal points."""
    rows = [row("202001", "2.500", province=None), row("202002", "7", province=None),
            row("202003", decimal, province=None)]
    path = _file(tmp_path, None, NATIONAL, rows, encoding="utf-8", delimiter=delimiter)
    ingest([path], tmp_path / "out", progress=False)
    values = read_table(tmp_path / "out").sort_values("period")["value_usd"].tolist()
    assert values == [2.5, 7.0, float(decimal)]


@pytest.mark.parametrize(("rows", "line", "said"), [
    ([["", "", "", "", "", "", "", "", "", "(万元)"], row("202010", "1,000")], 2,
     "a unit row under the header"),
    ([row("202010", "1,000"), ["单位：万元", "", "", "", "", "", "", "", "", ""]], 3,
     "a unit note '单位：万元' inside the table")])
def test_a_unit_row_inside_the_table_is_named_as_such(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: list[list[str]], line: int,
        said: str) -> None:
    """A header in merged cells leaves its unit on the row below; a note below the table may
    carry the unit: both were refused as an "impossible period ''"."""
    path = _file(tmp_path, None, [*WAN_YUAN[:-1], "人民币"], rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    message = one_error_line(err)
    assert status == 2 and f"{path}:{line}:" in message and said in message, message
    assert "人民币(万元)" in message


@pytest.mark.parametrize(("fmt", "refused"), [
    ("#,##0,", True), ('0.0,,"M"', True), ('0"万"', True), ("0!.0000", True),
    ("0\\.0000", True), ('0"."0000', True), ("#,##0", False), ("0.00", False),
    ("#,##0_);(#,##0)", False), ("General", False), ('_-* #,##0_-;-* #,##0_-', False)])
def test_an_xlsx_value_column_shown_scaled_by_its_format_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, refused: bool) -> None:
    """Stored 1,000,000 and shown 1,000 (#,##0,) under 美元(千美元): the stored figure was read
    and the header's x1000 applied on top, 1,000 times too large."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*WAN_YUAN[:-1], "美元(千美元)"])
    sheet.append([*row("202010", "")[:-1], 1_000_000])
    sheet.cell(row=2, column=len(WAN_YUAN)).number_format = fmt
    path = tmp_path / "export.xlsx"
    book.save(path)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    if refused:
        line = one_error_line(err)
        assert status == 2 and f"{path}:2:" in line and "number format" in line, line
    else:
        assert status == 0, err
        assert read_table(tmp_path / "out")["value_usd"].iloc[0] == 1e9



def test_a_scaled_format_far_below_the_header_is_refused(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """Every value cell is looked at, not the first rows only (a review put the scaled cells
    from row 22 on)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*WAN_YUAN[:-1], "人民币(千元)"])
    for month in range(1, 13):
        for partner in ("502", "304", "116"):
            sheet.append([*row(f"2020{month:02d}", "", partner=partner)[:-1], 1_000_000])
    sheet.cell(row=30, column=len(WAN_YUAN)).number_format = "#,##0,"
    path = tmp_path / "export.xlsx"
    book.save(path)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:30:" in line and "number format" in line, line


@pytest.mark.parametrize(("delimiter", "by"), [(";", "semicolons"), ("\t", "tabs")])
@pytest.mark.parametrize("value", ["1,234", "12,500", " 1,000 "])
def test_a_comma_before_three_digits_in_a_semicolon_or_tab_file_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, delimiter: str,
        by: str) -> None:
    """The mirror of the dot: in a European-locale file 1,234 in a 千美元 column is 1.234
    thousand dollars; it was read as 1,234 thousand, 1,000 times too large."""
    header = [*NATIONAL[:-1], "美元(千美元)"]
    rows = [row("202001", "7", province=None), row("202002", value, province=None)]
    path = _file(tmp_path, None, header, rows, encoding="gbk", delimiter=delimiter)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:3:" in line and by in line and "decimal point" in line, line


@pytest.mark.parametrize("delimiter", [";", "\t"])
@pytest.mark.parametrize("proof", ["56,121,645", "1,234.5", "12.5"])
def test_a_number_showing_thousands_commas_reads_the_files_commas_so(
        tmp_path: Path, delimiter: str, proof: str) -> None:
    """1,234,567 or 1,234.5 (or a decimal dot: then the comma is not the decimal mark), even on
    the last line, shows the file's commas group thousands."""
    rows = [row("202001", "1,234", province=None), row("202002", proof, province=None)]
    path = _file(tmp_path, None, NATIONAL, rows, encoding="utf-8", delimiter=delimiter)
    ingest([path], tmp_path / "out", progress=False)
    values = read_table(tmp_path / "out").sort_values("period")["value_usd"].tolist()
    assert values == [1234.0, float(proof.replace(",", ""))]


@pytest.mark.parametrize("value", ["0,750", "00,001", "0,000,001", "0 750"])
def test_a_first_group_of_zero_is_no_thousands_separator(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    """No tool groups a number below a thousand: 0,750 is a decimal comma (0.75), read as 750."""
    path = _file(tmp_path, None, NATIONAL, [row("202001", value, province=None)],
                 encoding="utf-8", delimiter=",")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:2:" in line and "not a thousands separator" in line, line
