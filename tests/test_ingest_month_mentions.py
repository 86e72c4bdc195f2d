"""Months left in an annual download's title or name (session 16).

A second review of the period rules found some forty more spellings of part of a year that
were filed as the whole year: days without their year (1月1日至10月31日, Jan 1 - Oct 31),
年初至10月, 10个月, 10M2020, a bare 1-10 after a query word, 月份=1-10, 2020年1、2、3月, names
such as export_2020_to_oct.csv and export_202001_202010.csv. The rule is now turned round: a
title or name of a file filed as a year may mention months only in the senses known to leave
the year whole, and these tests hold both sides of it: the spellings are refused, and the whole
year said in other words (January through December 2020, 01.01.2020-31.12.2020, a source dated
after the year, a policy date, twelve months, pages and chapters) still reads.

Hand-written files in the platform's annual layout (no 数据年月 column): GB18030 CSV, as the
platform writes, and XLSX with a date cell in the title row.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from conftest import csv_bytes, read_table
from downloads import cli, one_error_line, write

ANNUAL = ["商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "注册地编码", "注册地名称",
          "美元"]
ANNUAL_ROW = ["85023100", "风力发电机组", "502", "美国", "65", "新疆", "1,000"]


def _titled(folder: Path, title: str) -> Path:
    path = folder / "新疆出口_2020.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"{title}\r\n".encode("gb18030") + csv_bytes(ANNUAL, [ANNUAL_ROW],
                                                                 encoding="gb18030"))
    return path


@pytest.mark.parametrize("title", [
    # another year after a source word: the year the figures are of, not when they were taken
    "Source: GACC 2021 Xinjiang exports", "数据来源：海关总署 2021年新疆出口",
    # this year's running total, beside a note that the whole year is still to come
    "本年累计（注：全年数据将于2021年1月发布）",
    # days without their year
    "2020年新疆出口 1月1日至10月31日", "2020年新疆出口 01-01~10-31",
    "Xinjiang exports 2020 (Jan 1 - Oct 31)", "Xinjiang exports 2020 1/1-10/31",
    "Xinjiang exports 2020, 1 January to 31 October",
    # months the data run to, in words the period rules do not know
    "2020年新疆出口 年初至10月", "2020年新疆出口 至10月底", "Xinjiang exports 2020 (to October)",
    "Xinjiang exports, Source: GACC 2020 to October", "Xinjiang exports updated 2020 to October",
    "2020年新疆出口（10个月）", "Xinjiang exports 2020 (10 mos)", "Xinjiang exports 10M2020",
    "Xinjiang exports 10M 2020", "新疆出口 2020年以来", "2020年新疆出口 年初至今",
    "Xinjiang exports 2020 so far", "2020年新疆出口 上旬",
    # the months of a query, as a bare range or a list
    "2020年新疆出口 查询：2020 1-10", "2020年新疆出口 查询：2020 (1-10)", "导出 2020年度 1-10",
    "2020年新疆出口 查询条件：月份 1-10", "2020年新疆出口 查询条件：月份=1-10",
    "2020年新疆出口 起始月份：1 截止月份：10", "2020年1、2、3月新疆出口",
    "Xinjiang exports 2020 (Jan, Feb, Mar)",
    # when the figures were taken, inside the year, in other spellings
    "Xinjiang exports 2020, published 2020 Oct", "Xinjiang exports 2020 downloaded 05-Oct-2020",
    "Xinjiang exports 2020 downloaded 2020 Oct 5", "Xinjiang exports 2020 downloaded 2020-Oct-05",
    "Xinjiang exports 2020 downloaded 2020 M10",
    # data said to run to the end of the year before
    "2020年新疆出口 截至20191231"])
def test_a_title_mentioning_months_of_the_year_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = _titled(tmp_path, title)
    for given in ((), ("--period", "2020")):
        status, _, err = cli(capsys, str(path), *given, "--out", str(tmp_path / "out"))
        line = one_error_line(err)
        assert status == 2 and f"{path}:1:" in line, line
        assert repr(unicodedata.normalize("NFKC", title).strip()[:80]) in line, line
        assert not (tmp_path / "out").exists()


def test_the_refusal_names_the_words_it_could_not_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _titled(tmp_path, "2020年新疆出口 年初至10月")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "mentions '年初'" in line and "whole year 2020" in line, line
    assert "delete the title line" in line and "download the query by month" in line, line


@pytest.mark.parametrize("title", [
    "Xinjiang exports January through December 2020",
    "Xinjiang exports January until December 2020", "统计时间：01.01.2020-31.12.2020",
    "2020年新疆出口 数据来源：海关总署，2021年1月",
    "Xinjiang exports 2020. Source: GACC, January 2021", "2020年新疆出口 2020年7月1日之后新增",
    "2020年新疆出口 查询时间：2020年1月 to 2020年12月",
    "Xinjiang exports 2020 (HS codes as of 1 January 2017)",
    "Xinjiang exports 2020, figures may be revised", "2020年新疆出口（1-12月）",
    "2020年新疆出口 第1-3页", "2020年新疆出口 HS第1-9章", "Exports 2020, Dec YTD",
    "Xinjiang exports 2020, downloaded 5 January 2021", "2020年新疆出口 截至2020年底",
    "Xinjiang exports 2020 (revised May 2021)", "2020年新疆出口 前10位贸易伙伴"])
def test_the_whole_year_in_other_words_still_reads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = _titled(tmp_path, title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert set(read_table(tmp_path / "out")["period"]) == {"2020"}


@pytest.mark.parametrize("name", [
    "export_202001_202010.csv", "export_2020-01_2020-10.csv", "export_2020_to_oct.csv",
    "export_2020_thru_oct.csv", "export_2020_through_october.csv", "export_2020_10m.csv",
    "export_2020_10个月.csv", "export_2020_05.10.2020.csv", "export_2020_10-05-2020.csv",
    "export_2020_S1.csv", "export_2020_janoct.csv", "export_2020_oct.csv"])
def test_a_name_mentioning_months_is_refused_with_or_without_period(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = write(tmp_path, name, ANNUAL, [ANNUAL_ROW], encoding="gbk")
    for given in ((), ("--period", "2020")):
        status, _, err = cli(capsys, str(path), *given, "--out", str(tmp_path / "out"))
        line = one_error_line(err)
        assert status == 2 and str(path) in line, line
        assert not (tmp_path / "out").exists()
    status, _, err = cli(capsys, str(path), "--period", "2020", "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert "part of a year" in line or "may say the months it covers" in line, line


@pytest.mark.parametrize("name", [
    "export_2020_1.csv", "export_2020_2.csv", "export_2020_part3.csv", "新疆出口_2020_第2页.csv",
    "export_2020_downloaded_2021-01-05.csv", "export_2020_05.01.2021.csv",
    "export_2020_xinjiang_hs85.csv", "export_2020_usd.csv", "export-2020-01-01_2020-12-31.csv",
    "export_202001-202012.csv", "export_01.01.2020-31.12.2020.csv"])
def test_pages_and_later_dates_in_a_name_read_with_period(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = write(tmp_path, name, ANNUAL, [ANNUAL_ROW], encoding="gbk")
    status, _, err = cli(capsys, str(path), "--period", "2020", "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert set(read_table(tmp_path / "out")["period"]) == {"2020"}


def _workbook_titled(folder: Path, label: str, value: object, fmt: str | None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([label, value])
    if fmt is not None:
        sheet.cell(1, 2).number_format = fmt
    sheet.append(ANNUAL)
    sheet.append([*ANNUAL_ROW[:-1], 1000])
    path = folder / "新疆出口_2020.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


@pytest.mark.parametrize(("label", "value", "fmt", "says"), [
    ("下载日期", dt.datetime(2021, 1, 5), "yyyy-mm-dd", None),
    ("下载日期", dt.datetime(2021, 1, 5), None, None),
    ("下载日期", dt.datetime(2021, 1, 5, 9, 30), "yyyy-mm-dd hh:mm", None),
    ("下载日期", dt.datetime(2020, 10, 5), "yyyy-mm-dd", "part of a year"),
    ("统计期", dt.datetime(2020, 10, 1), 'yyyy"年"m"月"', "says 2020-10"),
    ("统计期", dt.datetime(2021, 1, 1), "mmm-yy", "says 2021-01")])
def test_a_date_cell_in_a_workbook_title_is_read_as_excel_shows_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str, value: dt.datetime,
        fmt: str | None, says: str | None) -> None:
    """A download date of 5 January 2021 above 2020's figures was read as the month 202101 (as
    a 数据年月 cell is) and refused as a title saying 2021-01; a cell shown as a month is that
    month."""
    path = _workbook_titled(tmp_path, label, value, fmt)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    if says is None:
        assert status == 0, err
        assert set(read_table(tmp_path / "out")["period"]) == {"2020"}
    else:
        line = one_error_line(err)
        assert status == 2 and says in line, line
