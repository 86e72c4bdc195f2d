"""A download of many workbook pages: they are converted in worker processes, one per core
(openpyxl reads a 10,000-row page in seconds of pure Python), and what a worker finds wrong
reaches the user as it does from one workbook: the file, the line, the fix."""

from __future__ import annotations

import pickle
from pathlib import Path

import openpyxl
import pytest
from conftest import read_table
from downloads import WAN_YUAN, cli, one_error_line, row

from helpers.errors import InputError


def _page(path: Path, partner: str, value: int, months: range = range(1, 13)) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["海关统计数据在线查询平台"])
    sheet.append(WAN_YUAN)
    for month in months:
        sheet.append([*row(f"2020{month:02d}", "", partner=partner)[:-1], value])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_workbook_pages_read_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for index, (partner, value) in enumerate((("502", 3), ("304", 5), ("116", 7), ("502", 11))):
        months = range(1, 7) if index == 0 else range(7, 13) if index == 3 else range(1, 13)
        _page(tmp_path / "pages" / f"export-2020-p{index}.xlsx", partner, value, months)
    status, _, err = cli(capsys, str(tmp_path / "pages"), "--out", str(tmp_path / "out"))
    assert status == 0, err
    table = read_table(tmp_path / "out")
    assert len(table) == 6 + 12 + 12 + 6
    yuan = table.groupby("partner_code")["value_cny"].sum().to_dict()
    assert yuan == {"502": (6 * 3 + 6 * 11) * 1e4, "304": 12 * 5 * 1e4, "116": 12 * 7 * 1e4}
    assert sorted(set(table[table.partner_code == "502"]["month"])) == list(range(1, 13))


def test_a_problem_found_in_a_worker_names_its_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _page(tmp_path / "pages" / "export-2020-p1.xlsx", "502", 3)
    bad = _page(tmp_path / "pages" / "export-2020-p2.xlsx", "304", 5)
    book = openpyxl.load_workbook(bad)
    book.active.cell(row=9, column=len(WAN_YUAN)).number_format = "#,##0,"
    book.save(bad)
    _page(tmp_path / "pages" / "export-2020-p3.xlsx", "116", 7)
    status, _, err = cli(capsys, str(tmp_path / "pages"), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{bad}:9:" in line and "number format" in line, line
    assert not (tmp_path / "out").exists()


def test_an_input_error_crosses_a_process_boundary_whole() -> None:
    error = pickle.loads(pickle.dumps(InputError("export.xlsx", "a message", line=9)))
    assert (error.source, error.message, error.line) == ("export.xlsx", "a message", 9)
    assert str(error) == "export.xlsx:9: a message"
