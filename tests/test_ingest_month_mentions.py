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
from downloads import ANNUAL, ANNUAL_ROW, cli, one_error_line, read_or_refused, titled_annual, write


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
    "2020年新疆出口 截至20191231",
    # a second review (helper-17): May the month, start dates without a rule, 1H2020, days
    # written day first, two-digit years, twelve months counted back, labels of a query
    "Xinjiang exports, May", "Exports 2020 (May only)", "Exports 2020, excluding May",
    "2020年新疆出口 自2020年7月1日起", "Xinjiang exports 2020 (since 1 July 2020)",
    "Exports 2020 starting 1 July 2020", "Xinjiang exports 1H2020", "Xinjiang exports 3Q20",
    "Exports 9M20", "2020年新疆出口 截至31/10", "Exports 2020 (01.01.–31.10.)",
    "Exports 2020 downloaded 10/05/20", "Xinjiang exports 2020 (10 of 12 months)",
    "Exports 2020, trailing 12 months", "2020年新疆出口 近12个月", "2020年新疆出口 截至目前",
    "2020年 起：1 止：10", "2020年新疆出口 1⁓10", "Exports 2020, 1 - 10 incl.",
    "Xinjiang exports 2020 (partial year)",
    # a third review (helper-18): a day of December short of its end, start dates beside words
    # that are no rule, rolling windows, weeks, 2020M10, two-digit years of another period, FY
    "2020年新疆出口 截至12月20日", "Xinjiang exports 2020, data through Dec 15",
    "Xinjiang exports 2020 (as of December 20)",
    "Xinjiang exports 2020 by HS code, from 1 July 2020",
    "2020年新疆出口（按商品编码） 自2020年7月1日起", "2020年新疆出口 近四个季度",
    "Exports 2020 through May include re-exports", "Exports 2020, 12-month rolling total",
    "Exports 2020, latest 12 months", "Exports 2020 (TTM)", "2020年新疆出口（近一年）",
    "Xinjiang exports 2020 (10m)", "Exports 2020 (10 of 12)", "2020年新疆出口 第1-10期",
    "Exports 2020 W1-W43", "Xinjiang exports 2020M10", "Xinjiang exports Oct-21", "Exports FY2019",
    "2020年新疆出口（不含第四季度）", "2020年新疆出口 第1-43周", "2020年新疆出口 前十個月",
    "2020年新疆出口（10个半月）",
    # a fourth review (helper-19): month ranges before /YEAR, split years, a single month with
    # no month given, an issue number of a monthly report, seasons, days and halves of months
    "Exports 01-10/2020", "Exports 1-10.2020", "出口 1-10/2020", "2020 01-10 新疆出口",
    "2020/21年度新疆棉花出口", "Exports 2020/21 marketing year", "2020年新疆出口（当月）",
    "2020年新疆出口（本月）", "海关统计月报2020年第10期", "Exports 2020 (spring)",
    "2020年新疆出口（国庆后）", "2020年新疆出口（前300天）"])
def test_a_title_mentioning_months_of_the_year_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = titled_annual(tmp_path, title)
    for given in ((), ("--period", "2020")):
        status, _, err = cli(capsys, str(path), *given, "--out", str(tmp_path / "out"))
        line = one_error_line(err)
        assert status == 2 and f"{path}:1:" in line, line
        assert repr(unicodedata.normalize("NFKC", title).strip()[:80]) in line, line
        assert not (tmp_path / "out").exists()


def test_the_refusal_names_the_words_it_could_not_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = titled_annual(tmp_path, "2020年新疆出口 年初至10月")
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
    "Xinjiang exports 2020 (revised May 2021)", "2020年新疆出口 前10位贸易伙伴",
    # a second review: 年中 in 中美 / 中亚, 年初步, tables, units, products, dates in numerals,
    # whole years said by their days, month numbers or quarters, Excel's sep= line, a partner
    "2020年中美贸易新疆出口", "2020年中亚五国贸易", "2020年初步统计数据", "表1-2 2020年新疆出口",
    "Table 2-1 Xinjiang exports 2020", "Top 1-10 partners, 2020", "2020年新疆出口 2-3兆瓦风机",
    "Exports 2020, 1-3 MW turbines", "Exports 2020 (rates 1-5%)", "2020年新疆月饼出口",
    "2020年新疆出口 下载日期：二〇二一年一月五日", "Exports Jan 1 – Dec 31, 2020",
    "2020年新疆出口（1月1日-12月31日）", "2020年新疆出口 查询：2020 1-12",
    "Exports 2020 (months 1-12)", "Exports, Months: Jan-Dec 2020", "2020年新疆出口 月份：1-12月",
    "Xinjiang exports 2020. Source: GACC, Jan-21", "sep=,",
    "Exports 2020 to Svalbard and Jan Mayen",
    "2020年M8螺栓出口", "Xinjiang exports 2020. Source: GACC (2021)", "2020年新疆四季豆出口",
    "Exports 2020 Q1-Q4", "2020年1-4季度新疆出口", "Exports 2020 (Dec. 31 close)",
    "2020年新疆出口 截至2020年12月31日 24:00", "Figures for 2020 may be revised",
    # a third review: places, products, units and days of the week with 天, 周, 星期, 月, 截止,
    # Q235 steel, m3, M6 screws; query rows saying every month; parts of a split file; sizes;
    # ranks; the whole year in other words; download years with a time word or a mark after
    "2020年天津出口", "2020年新疆天然气出口", "2020年对周边国家出口",
    "2020年新疆出口 下载时间：2021年1月20日 周三", "2020年新疆出口 下载时间：2021/1/20 星期三",
    "2020年新疆截止阀出口", "2020年新疆Q235钢材出口", "数量单位：m3", "2020年新疆出口 M6内六角螺钉",
    "2020年江西鹰潭月湖区出口", "年份：2020 月份：全部", "Year: 2020; Month: All",
    "2020年新疆出口 汇率：月平均汇率", "2020年新疆出口 本表按月汇总", "2020年新疆出口（1/2）",
    "2020年新疆出口 3/4英寸阀门", "2020年新疆出口 2-8℃冷链疫苗",
    "Exports 2020, 6-10 kV transformers",
    "2020年新疆出口 HS01-05", "2020年新疆出口 排名1-10", "Exports 2020: half-finished products",
    "Exports 2020 (all four quarters)", "2020年新疆出口 下载于2021年元旦",
    "2020年新疆出口 导出于2021年初",
    "Exports 2020. Downloaded 2021 from stats.customs.gov.cn",
    "2020年新疆出口 下载于2021年，来源：海关总署", "2020年季戊四醇出口",
    "2020年新疆出口（未经季节调整）",
    "Exports 2020 H1+H2", "2020年新疆出口 上半年+下半年", "2020年新疆出口 第一至第四季度",
    "Exports 2020. Cite as: GACC (2021)", "2020年新疆出口 2020.01.01-2020.12.31",
    # a fourth review: rolling stock and bearings, 截止日期 with a later date, months said to be
    # the whole year, MOS, W18Cr4V steel and 100W lamps, brands and holidays, the year in days,
    # sheets of a file, sizes and ages, versions, up to date, whole years by labelled months
    "2020年新疆滚动轴承出口", "Exports 2020: railway rolling stock", "数据截止日期：2021年1月20日",
    "统计截止日期：2020年12月31日", "月份：全年", "Month: Total", "（全年，不分月份）",
    "2020年新疆MOS管出口",
    "2020年高速钢W18Cr4V出口", "2020年LED灯 100W 200W出口", "2020年春节礼品出口", "制表人：张国庆",
    "2020年新疆出口 统一月报口径", "Exports 2020, 365 days", "2020年新疆出口（全年52周）",
    "Exports 2020 (Sheet 2 of 12)", "Exports 2020, 1/2 HP motors", "2020年玩具（3-6岁）出口",
    "2020年新疆棉花出口 1-2级", "Exports 2020, containers 1-5 L", "Generated with Python 3.8.10",
    "Exports 2020, up to date as of 2021-01-20", "起始时间：2020年01月 截止时间：2020年12月",
    "起始年月：202001；截止年月：202012", "Exports 2020, Q1+Q2+Q3+Q4",
    "Exports 2020: quarter-turn valves", "2020年杭州四季青出口", "Exports 2020 — may be revised"])
def test_the_whole_year_in_other_words_still_reads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = titled_annual(tmp_path, title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert set(read_table(tmp_path / "out")["period"]) == {"2020"}


@pytest.mark.parametrize("name", [
    "export_202001_202010.csv", "export_2020-01_2020-10.csv", "export_2020_to_oct.csv",
    "export_2020_thru_oct.csv", "export_2020_through_october.csv", "export_2020_10m.csv",
    "export_2020_10个月.csv", "export_2020_05.10.2020.csv", "export_2020_10-05-2020.csv",
    "export_2020_S1.csv", "export_2020_janoct.csv", "export_2020_oct.csv",
    "export_2020_to_10.csv", "export_2020_thru_10.csv", "export_1H2020.csv", "export_3Q20.csv",
    "export_2020_downloaded_10-05-20.csv", "export_2020_1031.csv", "export_2020M10.csv",
    "export_2020_year_to_date.csv", "export_2020_ttm.csv", "export_2020_last_12_months.csv",
    "export_2020_wk43.csv", "export_2020_thru_12-20.csv", "export_2020_to_1220.csv",
    "export_2020_01-01_10-31.csv", "export_2020_through_dec_20.csv", "export_2020_Oct-21.csv",
    "export_2019_2020.csv", "export_2020-21.csv", "export_2020_21.csv", "新疆出口_2020_当月.csv",
    "export_2020_rolling12m.csv", "export_2020_12m_rolling.csv", "新疆出口_2020_第10期.csv"])
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
    "export_202001-202012.csv", "export_01.01.2020-31.12.2020.csv", "export_2020_jan-dec.csv",
    "export_2020_12months.csv", "export_2020_through_december.csv", "export_2020_dec31.csv",
    "export_2020_p1-3.csv", "export_2020_下载于2021年1月5日.csv", "export_2020_may_be_revised.csv",
    "export_2020_jan_mayen.csv", "export_2020_M8_bolts.csv", "新疆出口2020年1-12月.csv",
    "export_2020_q1-q4.csv", "export_2020_1231.csv", "export_2020_5m_usd.csv",
    "export_2020_downloaded_05-01-21.csv", "export_2020 (1).csv", "天津出口_2020.csv",
    "export_2020_Q235.csv", "export_2020_halffinished.csv", "export_2020_0901.csv",
    "export_2020_1-20.csv", "export_2020_10-15.csv", "export_2020_12m.csv", "export_2020_m3.csv",
    "新疆出口_2020_滚动轴承.csv", "export_2020_downloaded_Jan2021.csv"])
def test_pages_and_later_dates_in_a_name_read_with_period(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = write(tmp_path, name, ANNUAL, [ANNUAL_ROW], encoding="gbk")
    status, _, err = cli(capsys, str(path), "--period", "2020", "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert set(read_table(tmp_path / "out")["period"]) == {"2020"}


def _workbooktitled_annual(folder: Path, label: str, value: object, fmt: str | None) -> Path:
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
    path = _workbooktitled_annual(tmp_path, label, value, fmt)
    read_or_refused(capsys, path, tmp_path / "out", says)


@pytest.mark.parametrize("title", ["数据截至：2020年10月", "截至: 2020年10月",
                                   "Data as of: October 2020", "统计截止：2020年10月",
                                   "累计至：2020年10月"])
def test_data_to_a_month_after_a_colon_is_a_running_total_not_that_month(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    """Above an annual file named for October, data said to run to October (the colon kept
    截至 from being read) were filed as October: a January-October total as one month."""
    path = tmp_path / "export_202010.csv"
    path.write_bytes(f"{title}\r\n".encode("gb18030") + csv_bytes(ANNUAL, [ANNUAL_ROW],
                                                                   encoding="gb18030"))
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "part of a year" in line, line


@pytest.mark.parametrize(("cells", "says"), [
    (["统计时间：", dt.datetime(2020, 1, 1), "至", dt.datetime(2020, 12, 31)], None),
    (["Period:", dt.datetime(2020, 1, 1), "to", dt.datetime(2020, 12, 31)], None),
    (["统计月份", 1, "至", 12], None), (["Year", 2020, "Months", "1-12"], None),
    (["统计时间：", dt.datetime(2020, 1, 1), "至", dt.datetime(2020, 10, 31)], "part of a year"),
    (["From", 1, "To", 10], "mentions")])
def test_a_range_split_over_title_cells_is_read_as_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], cells: list[object],
        says: str | None) -> None:
    """A workbook's title row with a range over four cells: the whole year was refused as a
    date inside it (the cells are joined with commas, and no range was seen)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(cells)
    for column, value in enumerate(cells, start=1):
        if isinstance(value, dt.datetime):
            sheet.cell(1, column).number_format = "yyyy-mm-dd"
    sheet.append(ANNUAL)
    sheet.append([*ANNUAL_ROW[:-1], 1000])
    path = tmp_path / "新疆出口_2020.xlsx"
    book.save(path)
    read_or_refused(capsys, path, tmp_path / "out", says)


@pytest.mark.parametrize(("title", "says"), [
    ("2020年10月 新疆出口（年初至今）", "mentions"),
    ("Exports, 12 months ending October 2020", "mentions"),
    ("2020年10月新疆出口（近12个月）", "mentions"),
    ("Exports Oct 2020 (since January)", "mentions"),
    ("Exports 10M2020", "mentions"), ("2020年10月 上旬", "mentions"),
    ("2020年10月1日-15日", "mentions"),
    ("Exports 1-15 October 2020", "mentions"), ("Exports October 2020 (week 43)", "mentions"),
    ("2020年10月 新疆出口", None), ("2020年10月1日-31日", None),
    ("Exports Oct 2020 (1 Oct - 31 Oct)", None), ("数据来源：海关总署，2020年11月20日", None),
    ("Exports 2020M10", None), ("累计至2020年12月", "mentions"),
    ("2020年10月（1-15日）", "mentions"),
    ("2020年10月上半月", "mentions"), ("2020年10月前两周", "mentions"),
    ("2020年10月（国庆黄金周）", "mentions"), ("2020-10-01至2020-10-31", None),
    ("2020年10月（当月）", None), ("统计月份：2020年10月", None)])
def test_a_file_filed_as_one_month_may_mention_that_month_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, says: str | None) -> None:
    """An annual query of October alone, named for it: a title saying the year to date, twelve
    months to October or the first half of the month was filed as October."""
    path = titled_annual(tmp_path, title, name="export_202010.csv")
    read_or_refused(capsys, path, tmp_path / "out", says, period="2020-10")


def test_another_year_in_a_title_names_both_fixes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Renaming as told was the only fix offered: a download year read as the period would
    have filed 2020's figures as 2021."""
    path = titled_annual(tmp_path, "Source: GACC 2021 Xinjiang exports")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "says 2021" in line and "If the figures are of 2021" in line, line
    assert "delete it from the title" in line, line
