"""Dates and month ranges in titles and names, in the spellings a review found read wrong
(session 15): `更新于2020年10月`, `（至10月）`, `2020M1-M10` above an annual file were filed as
the whole year 2020; whole-year date ranges (`2020-01-01至2020-12-31`) and the date a rule took
effect (`2020年1月1日起执行`) were refused as dates inside the year; `export2020_1-6.csv` and
`export_2020_jan_jun.csv --period 2020` were filed as the year; a download date in a name
(`export_2020_downloaded_2021-01-05.csv`) was refused as months 1 to 5.

Hand-written GBK CSV files in the platform's annual layout (no 数据年月 column), one title line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read_table
from downloads import ANNUAL, ANNUAL_ROW, cli, one_error_line, titled_annual, write


@pytest.mark.parametrize("title", [
    "2020年新疆出口 更新于2020年10月", "2020年新疆出口 2020年10月更新",
    "Xinjiang exports 2020 (last updated: October 2020)",
    "Xinjiang exports 2020. Downloaded: Oct 2020",
    "Xinjiang exports 2020, data updated to 2020-10", "2020年新疆出口 导出时间：20201005",
    "Xinjiang exports 2020 10/05/2020", "2020年新疆出口（至10月）", "2020年新疆出口（10月止）",
    "新疆出口 截至本年10月", "Xinjiang exports 2020M1-M10", "2020年新疆出口 导出时间：2020-12-15",
    "统计时间：2020-01-01至2020-10-31", "Exports, January 1, 2020 - October 31, 2020",
    "2020年1月1日至2020年10月31日 新疆出口", "2020年新疆出口 数据来源：海关总署 2020年10月"])
def test_a_title_saying_part_of_a_year_in_other_words_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = titled_annual(tmp_path, title)
    for given in ((), ("--period", "2020")):
        status, _, err = cli(capsys, str(path), *given, "--out", str(tmp_path / "out"))
        line = one_error_line(err)
        assert status == 2 and f"{path}:1:" in line and "part of a year" in line, line
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("title", [
    "统计时间：2020-01-01至2020-12-31", "2020年1月1日至2020年12月31日 新疆出口",
    "新疆出口（2020/1/1-2020/12/31）", "Exports, January 1, 2020 - December 31, 2020",
    "Exports 1 Jan 2020 to 31 Dec 2020", "2020年新疆出口（2020年1月1日起执行新版商品编码）",
    "2020年新疆出口 查询时间：2020年1月至2020年12月",
    "Xinjiang exports 2020, published January 14, 2021",
    "2020年新疆出口 数据来源：海关总署 2021年1月", "2020年新疆出口 下载于2021年1月5日",
    "2020年新疆出口 更新于2021年1月"])
def test_a_title_naming_the_whole_year_or_a_later_date_reads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = titled_annual(tmp_path, title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert set(read_table(tmp_path / "out")["period"]) == {"2020"}


@pytest.mark.parametrize("title", [
    # a range after a download or query word (the word blanked the rest of the line)
    "2020年新疆出口 查询时间：2020年1月至2020年10月", "2020年新疆出口 查询时间：2020年1-10月",
    "2020年新疆出口 导出时间：2020年1-10月", "2020年新疆出口 数据更新：1-10月",
    "2020年新疆出口 查询条件：前三季度", "2020年新疆出口 查询条件：上半年",
    "2020年新疆出口 查询时间：2020.01-2020.10",
    # a range whose end has no year, after 自 / 从 / from / since
    "2020年新疆出口 自2020年1月1日至10月31日", "2020年新疆出口 从2020年1月1日到10月31日",
    "Xinjiang exports from 1 January 2020 to 31 October",
    "Xinjiang exports, data from 2020-01-01 to 10-31",
    "Xinjiang exports since 1 January 2020 (to 31 October)",
    # the last day data run to, in other spellings
    "Xinjiang exports, data as of 31 October 2020", "Xinjiang exports as of 10/31/2020",
    "Xinjiang exports as of 31/10/2020", "Xinjiang exports (until 31.10.2020)",
    "2020年新疆出口 截至20201031", "Xinjiang exports 2020 (data to 31 Oct)",
    "Xinjiang exports 2020 (year to Oct)",
    # months counted or listed
    "Xinjiang exports 2020 (10 months)", "Xinjiang exports, first ten months of 2020",
    "2020年新疆出口 统计月份：1-10", "2020年新疆出口 月份：1~10",
    # a second review: wave dashes and minus signs NFKC leaves alone; M1-M10 after a source
    "2020年1〜10月新疆出口", "2020年1−10月新疆出口", "Xinjiang exports 2020 Jan thru Oct",
    "2020年新疆出口 数据来源：海关总署 2020M1-M10", "Xinjiang exports, Source: GACC 2020 M1-M10"])
def test_a_title_saying_part_of_a_year_in_words_a_review_found_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = titled_annual(tmp_path, title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:1:" in line and "part of a year" in line, line


@pytest.mark.parametrize("title", [
    "Xinjiang exports 2020. Source: GACC (January-December 2020)",
    "Xinjiang exports 2020. Source: GACC Jan.-Dec. 2020",
    "统计时间：2020年1月1日至12月31日", "统计时间：2020-01-01至12-31", "统计时间：2020.1.1-12.31",
    "统计时间：2020-01-01 00:00:00至2020-12-31 23:59:59",
    "2020年新疆出口 注：2020年6月起新增商品编码", "2020年新疆出口 注：2020年1月1日后实施",
    "新疆出口 截至2020年12月", "2020年新疆出口（全年累计）", "Xinjiang exports 2020 (12 months)"])
def test_a_title_naming_the_whole_year_in_words_a_review_found_reads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = titled_annual(tmp_path, title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert set(read_table(tmp_path / "out")["period"]) == {"2020"}


@pytest.mark.parametrize(("name", "period"), [
    ("export_2020_20201005.csv", None), ("2020_export_10months.csv", None),
    ("export-2020-01-01_2020-12-31.csv", "2020"), ("export_2020_20210105.csv", "2020")])
def test_dates_and_month_counts_in_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, period: str | None
        ) -> None:
    """A download date without marks inside the year, or ten months, is part of a year; a
    range of the whole year, or a date after it, is not."""
    path = write(tmp_path, name, ANNUAL, [ANNUAL_ROW], encoding="gbk")
    status, _, err = cli(capsys, str(path), "--period", "2020", "--out", str(tmp_path / "out"))
    if period is None:
        line = one_error_line(err)
        assert status == 2 and "part of a year" in line, line
    else:
        assert status == 0, err
        assert set(read_table(tmp_path / "out")["period"]) == {period}


def test_a_whole_year_range_of_another_year_is_that_year(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = titled_annual(tmp_path, "统计时间：2019-01-01至2019-12-31")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "says 2019" in line and "the file name says 2020" in line, line


@pytest.mark.parametrize("name", [
    "export_1-6_2020.csv", "export_2020(1-6).csv", "export_2020_jan_jun.csv",
    "export_2020_1to6.csv", "export_2020_m1-m6.csv", "export2020_1-6.csv", "EXPORT2020_1-6.csv"])
def test_a_name_with_a_range_of_months_is_refused_with_period(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = write(tmp_path, name, ANNUAL, [ANNUAL_ROW], encoding="gbk")
    status, _, err = cli(capsys, str(path), "--period", "2020", "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "part of a year" in line, line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["export_pages_1-3_2020.csv", "export_part_1-2_2020.csv",
                                  "新疆出口_第1-3页_2020.csv"])
def test_page_numbers_in_a_name_are_no_months(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = write(tmp_path, name, ANNUAL, [ANNUAL_ROW], encoding="gbk")
    status, _, err = cli(capsys, str(path), "--period", "2020", "--out", str(tmp_path / "out"))
    assert status == 0, err


def test_a_download_date_in_a_name_is_not_its_period(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Dated after the year it is named for, the file reads as that year, with or without
    --period; dated inside it, it is refused as part of a year."""
    later = write(tmp_path / "a", "export_2020_downloaded_2021-01-05.csv", ANNUAL, [ANNUAL_ROW],
                  encoding="gbk")
    for given in ((), ("--period", "2020")):
        status, _, err = cli(capsys, str(later), *given, "--out", str(tmp_path / "o1"))
        assert status == 0, err
        assert set(read_table(tmp_path / "o1")["period"]) == {"2020"}
    inside = write(tmp_path / "b", "export_2020_downloaded_2020-10-05.csv", ANNUAL,
                   [ANNUAL_ROW], encoding="gbk")
    status, _, err = cli(capsys, str(inside), "--out", str(tmp_path / "o2"))
    line = one_error_line(err)
    assert status == 2 and "a date inside 2020 (2020-10-05)" in line, line
