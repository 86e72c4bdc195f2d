"""Ingest's rules on real platform downloads: units, currencies, flows, periods, DEMO marker,
numbers, rows and sheets, repeats and granularity.

Every file is written by hand in one of the platform's layouts (tests/downloads.py): Chinese and
English headers, GBK and UTF-8, CSV and XLSX, yuan and dollars, annual and monthly.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import ENGLISH_HEADER, csv_bytes, read_table
from downloads import (
    BY_SOURCE,
    NATIONAL,
    WAN_YUAN,
    cli,
    monthly_rows,
    one_error_line,
    row,
    write,
    write_xlsx,
)

from helpers.ingest import currency, ingest, period_from_name


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_ten_thousand_yuan_are_read_as_ten_thousand_yuan(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "出口-新疆-202010.csv", WAN_YUAN, [row("202010", "1,000")],
                 encoding=encoding)
    result = ingest([path], tmp_path / "out", progress=False)
    got = read_table(tmp_path / "out").iloc[0]
    assert got["value_cny"] == 10_000_000  # 1,000 万元
    assert got["value_usd"] == pytest.approx(10_000_000 / currency.cny_per_usd(2020, 10))
    assert 1.4e6 < got["value_usd"] < 1.6e6  # about US$1.5 million, not US$144
    assert result.files[0]["value_scales"] == {"value_cny": 10_000.0}


@pytest.mark.parametrize(("header", "cell", "dollars"), [
    ("美元(千美元)", "1,234.5", 1_234_500), ("美元（万美元）", "12", 120_000),
    ("美元[美元]", "77", 77), ("US dollar (thousand)", "5", 5_000),
    ("US dollar (USD million)", "1.5", 1_500_000)])
def test_dollar_units(tmp_path: Path, header: str, cell: str, dollars: float) -> None:
    columns = [*ENGLISH_HEADER[:-1], header]
    rows = [["202003", "502", "United States", "85023100", "Wind sets", "10", "一般贸易", "1",
             "台", "", "", cell]]
    path = write(tmp_path, "export-202003.csv", columns, rows, trailing_comma=True)
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_usd"].iloc[0] == pytest.approx(dollars)


def test_units_in_an_xlsx_download(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, "export.xlsx", WAN_YUAN, [row("202010", "2.5")])
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_cny"].iloc[0] == 25_000


@pytest.mark.parametrize("header", ["人民币(公斤)", "美元(万元)", "US dollar (per ton)"])
def test_an_unknown_unit_is_an_error_naming_the_header(tmp_path: Path, header: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    columns = [*WAN_YUAN[:-1], header]
    path = write(tmp_path, "export-202010.csv", columns, [row("202010", "5")])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"cannot read the unit of column '{header}'" in line
    assert line.startswith(f"error: {path}:1:")
    assert not (tmp_path / "out").exists()


def test_both_currencies_use_the_platforms_dollars_and_check_the_yuan(tmp_path: Path) -> None:
    rate = currency.cny_per_usd(2020, 10)
    header = [*WAN_YUAN[:-1], "人民币(万元)", "美元(万美元)"]
    consistent = [[*row("202010", "")[:-1], f"{100 * rate:.2f}", "100"]]
    path = write(tmp_path, "export-a.csv", header, consistent)
    result = ingest([path], tmp_path / "out", progress=False)
    got = read_table(tmp_path / "out").iloc[0]
    assert got["value_usd"] == 1_000_000 and got["currency_reported"] == "USD+CNY"
    from helpers.ingest.schema import validate

    validate(read_table(tmp_path / "out"))
    assert got["value_cny"] == pytest.approx(1_000_000 * rate, rel=1e-5)  # 万元 to 2 decimals
    assert not result.warnings
    # Yuan a third above the month's rate (another rate, or edited): the dollars are used.
    wrong = [[*row("202010", "")[:-1], f"{130 * rate:.2f}", "100"]]
    path = write(tmp_path, "export-b.csv", header, wrong)
    result = ingest([path], tmp_path / "out2", progress=False)
    assert read_table(tmp_path / "out2")["value_usd"].iloc[0] == 1_000_000  # dollars used
    assert any("yuan and dollar columns imply" in w for w in result.warnings), result.warnings


@pytest.mark.parametrize(("yuan_header", "dollar_header", "yuan", "dollars", "says"), [
    # The dollars in 万美元 under a header without the unit (US$ 1,000,000 written as 100).
    ("人民币(万元)", "美元", "{:.2f}", "100", "10,000 times too many yuan"),
    # The yuan in plain yuan under a header that says 万元.
    ("人民币(万元)", "美元(万美元)", "{:.0f}e4", "100", "10,000 times too many yuan"),
    # The yuan in 万元 under a header without the unit.
    ("人民币", "美元", "{:.2f}", "1,000,000", "10,000 times too few yuan"),
    ("人民币(万元)", "美元", "{:.2f}", "1,000,000", None)])  # consistent: read
def test_two_currencies_a_power_of_ten_apart_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], yuan_header: str, dollar_header: str,
        yuan: str, dollars: str, says: str | None) -> None:
    """Which of the two headers lacks its unit cannot be told, and keeping the dollars was
    10,000 times off whenever the unit was theirs."""
    rate = currency.cny_per_usd(2020, 10)
    cny = f"{100 * rate * 1e4:.0f}" if yuan.endswith("e4") else yuan.format(100 * rate)
    header = [*WAN_YUAN[:-1], yuan_header, dollar_header]
    path = write(tmp_path, "export-202010.csv", header,
                 [[*row("202010", "")[:-1], cny, dollars]], encoding="gbk")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    if says is None:
        assert status == 0, err
        assert read_table(tmp_path / "out")["value_usd"].iloc[0] == 1_000_000
        return
    line = one_error_line(err)
    assert status == 2 and says in line and "lacks its unit" in line, line
    assert line.startswith(f"error: {path}: in 2020-10 "), line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["新疆进出口数据.csv", "xinjiang-import-and-export-2020.csv",
                                  "Total_Trade_2020.csv", "imports & exports 2020.csv",
                                  "新疆进、出口2020.csv"])
def test_a_name_that_says_both_flows_needs_flow(tmp_path: Path, name: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, name, WAN_YUAN, [row("202010", "5")], encoding="gbk")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and "pass --flow export or --flow import" in one_error_line(err)
    status, _, _ = cli(capsys, str(path), "--flow", "export", "--out", str(tmp_path / "out"))
    assert status == 0
    assert set(read_table(tmp_path / "out")["flow"]) == {"export"}


@pytest.mark.parametrize(("name", "period"), [
    ("export_202003.csv", "2020-03"), ("export-2020-03.csv", "2020-03"),
    ("出口2020年3月.csv", "2020-03"), ("export_2020_page_3.csv", "2020"),
    ("export 2020 (2).csv", "2020"), ("出口-新疆-2020.csv", "2020"),
    ("export-2019-2020.csv", None), ("export-202003-202004.csv", None),
    ("export_3.csv", None),
    # part of a year, or a number that may be a month or a page: the name does not say
    ("出口-新疆-2020年1-6月.csv", None), ("出口2020年1月至6月.csv", None),
    ("export_202001-06.csv", None), ("export_2020-01~06.csv", None), ("export_2020_3.csv", None),
    ("export-2020.03.csv", None), ("export_2020Q1.csv", None), ("export-2020-H1.csv", None),
    ("出口2020年上半年.csv", None), ("export-2020-12pages.csv", None),
    ("export_2020(1-6).csv", None), ("export 1-6 2020.csv", None),
    ("export_2020_jan-jun.csv", None), ("export_Jun_2020.csv", None)])
def test_a_period_from_a_name_only_when_explicit(name: str, period: str | None) -> None:
    assert period_from_name(Path(name)) == period


def test_demo_comes_from_the_generators_marker_not_the_name(tmp_path: Path) -> None:
    named = write(tmp_path, "demo-export-202010.csv", WAN_YUAN, [row("202010", "5")])
    result = ingest([named], tmp_path / "a", progress=False)
    assert not read_table(tmp_path / "a")["is_demo"].any() and not result.files[0]["is_demo"]
    marked = write(tmp_path, "export-202010.csv", [*WAN_YUAN, "DEMO"],
                   [[*row("202010", "5"), "DEMO"]])
    result = ingest([marked], tmp_path / "b", progress=False)
    assert read_table(tmp_path / "b")["is_demo"].all() and result.files[0]["is_demo"]


def test_annual_next_to_monthly_is_refused(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "gacc"
    write(folder, "export-monthly.csv", WAN_YUAN, monthly_rows(2020), encoding="gbk")
    annual = [r[1:] for r in monthly_rows(2020)[:1]]
    write(folder, "export-annual-2020.csv", WAN_YUAN[1:], annual, encoding="gbk")
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2
    assert "gacc/export-annual-2020.csv and gacc/export-monthly.csv" in line
    assert "annual rows" in line and "monthly rows" in line and "count the same trade twice" in line
    assert not (tmp_path / "out").exists()


def test_a_heading_next_to_its_subheadings_is_refused(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "gacc"
    write(folder, "export-hs8.csv", WAN_YUAN, monthly_rows(2020, hs="85023100"))
    write_xlsx(folder, "export-hs4.xlsx", WAN_YUAN, monthly_rows(2020, hs="8502"))
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "HS 4-digit codes (8502)" in line and "HS 8-digit codes" in line
    # Another partner's 4-digit total does not overlap the US's 8-digit detail.
    (folder / "export-hs4.xlsx").unlink()
    write_xlsx(folder, "export-hs4.xlsx", WAN_YUAN, monthly_rows(2020, hs="8502", partner="304"))
    assert cli(capsys, str(folder), "--out", str(tmp_path / "out"))[0] == 0


@pytest.mark.parametrize("years", [(2020, 2020), (2019, 2020)])
def test_a_province_by_two_bases_is_refused(tmp_path: Path, years: tuple[int, int],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """注册地 next to 境内货源地 for a partner: in one year the trade would count twice; from one
    year to the next a growth rate would compare two different things."""
    folder = tmp_path / "gacc"
    write(folder, "export-reg.csv", WAN_YUAN, monthly_rows(years[0]))
    write(folder, "export-source.csv", BY_SOURCE, monthly_rows(years[1]))
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "注册地" in line and "境内货源地" in line and "any year" in line


def test_a_regime_breakdown_next_to_totals_is_refused(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "gacc"
    write(folder, "export-total.csv", WAN_YUAN, monthly_rows(2020))
    regimes = [*WAN_YUAN[:5], "贸易方式编码", "贸易方式名称", *WAN_YUAN[5:]]
    write(folder, "export-regimes.csv", regimes,
          [[*r[:5], "10", "一般贸易", *r[5:]] for r in monthly_rows(2020)])
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / "out"))
    assert status == 2 and "贸易方式" in one_error_line(err)


def test_one_file_mixing_levels_is_refused_naming_it(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "export-2020.csv", WAN_YUAN,
                 [row("202001", "5", hs="8502"), row("202001", "3", hs="85023100")])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}: the file mixes granularities")
    assert "download the query again at one level" in line and "files" not in line, line


def test_repeats_within_one_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "export.csv", WAN_YUAN, [row("202001", "5"), row("202001", "6")])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and "repeat another row of the same file with different values" in err
    same = write(tmp_path, "export-2.csv", WAN_YUAN, [row("202001", "5"), row("202001", "5")])
    result = ingest([same], tmp_path / "out", progress=False)
    assert result.rows == 1 and result.duplicates_dropped == 1
    assert any("repeat other rows of the same file (the same period" in w for w in result.warnings)


@pytest.mark.parametrize("values", [("1,000", "1,000"), ("1,000", "2,000")])
def test_rows_told_apart_only_by_a_column_ingest_does_not_read_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], values: tuple[str, str]) -> None:
    """A download broken down by a column ingest does not read (运输方式, transport mode) has
    rows that look like repeats: dropping them would lose trade, so the file is refused."""
    header = ["数据年月", "商品编码", "贸易伙伴编码", "运输方式", "美元"]
    rows = [["202010", "85023100", "502", "水路运输", values[0]],
            ["202010", "85023100", "502", "公路运输", values[1]]]
    path = write(tmp_path, "export.csv", header, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "they may differ in 运输方式, which ingest does not read" in line, line
    assert not (tmp_path / "out").exists()


def test_the_same_query_in_yuan_and_in_dollars_is_refused_saying_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, column, value in (("export-usd.csv", "美元", "1,000"),
                                ("export-cny.csv", "人民币", "6,900")):
        write(tmp_path / "in", name, ["数据年月", "商品编码", "贸易伙伴编码", column],
              [["202010", "85023100", "502", value]])
    status, _, err = cli(capsys, str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "one file in USD and the other in CNY" in line, line
    assert "the same query downloaded in both currencies" in line


@pytest.mark.parametrize("cell", ["1.23E+11", "5e3", "1_000"])
def test_scientific_notation_is_refused_with_its_line(tmp_path: Path, cell: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "export.csv", WAN_YUAN, [row("202001", "5"), row("202002", cell)])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}:3:")
    assert ("scientific notation" in line) == ("e" in cell.lower())
    assert "re-export" in line or "cannot read" in line


def test_demo_and_real_rows_are_never_compared(tmp_path: Path) -> None:
    """`make report` ingests the DEMO files beside the user's: a real download with the DEMO's
    keys, or at another granularity, is neither a repeat nor an overlap of DEMO rows."""
    demo = write(tmp_path, "demo/export-demo.csv", [*WAN_YUAN, "DEMO"],
                 [[*r, "DEMO"] for r in monthly_rows(2020, "5")])
    same_keys = write(tmp_path, "gacc/export-same-keys.csv", WAN_YUAN, monthly_rows(2020, "7"))
    result = ingest([demo, same_keys], tmp_path / "a", progress=False)
    assert result.rows == 24 and result.duplicates_dropped == 0
    heading = write(tmp_path, "gacc2/export-heading.csv", WAN_YUAN,
                    monthly_rows(2020, "7", hs="8502"))
    assert ingest([demo, heading], tmp_path / "b", progress=False).rows == 24


def test_an_annual_file_beside_monthly_files_of_the_same_partner_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Even for other products: the annual row would make 2020 look complete."""
    folder = tmp_path / "gacc"
    write(folder, "export-wind-2020.csv", WAN_YUAN, monthly_rows(2020)[:6])
    write(folder, "export-acids-2020.csv", WAN_YUAN[1:], [row("", "5", hs="29171900")[1:]])
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / "out"))
    assert status == 2 and "annual rows" in one_error_line(err)


def test_cities_of_one_province_are_not_repeats(tmp_path: Path) -> None:
    rows = [[*row("202001", "5")[:5], "65011", "乌鲁木齐", "1", "台", "5"],
            [*row("202001", "5")[:5], "65021", "克拉玛依", "1", "台", "5"]]
    path = write(tmp_path, "export.csv", BY_SOURCE, rows)
    result = ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert result.rows == 2 and result.duplicates_dropped == 0
    assert sorted(table["place"]) == ["65011", "65021"] and set(table["province"]) == {"Xinjiang"}


def test_regimes_given_by_name_only_are_not_repeats(tmp_path: Path) -> None:
    header = [*WAN_YUAN[:5], "贸易方式", *WAN_YUAN[5:]]
    rows = [[*row("202001", "5")[:5], "一般贸易", *row("202001", "5")[5:]],
            [*row("202001", "5")[:5], "边境小额贸易", *row("202001", "5")[5:]]]
    result = ingest([write(tmp_path, "export.csv", header, rows)], tmp_path / "out",
                    progress=False)
    assert result.rows == 2 and result.duplicates_dropped == 0


@pytest.mark.parametrize(("first", "second"), [
    ((["贸易方式编码", "贸易方式名称"], ["10", "一般贸易"]), (["贸易方式"], ["一般贸易"])),
    ((["贸易方式编码"], ["10"]), (["贸易方式名称"], ["一般贸易"])),
    ((["注册地编码", "注册地名称"], ["65", "新疆维吾尔自治区"]),
     (["注册地"], ["新疆维吾尔自治区"])),
    ((["注册地编码"], ["65"]), (["注册地名称"], ["新疆"])),
    ((["境内货源地编码"], ["65"]), (["境内货源地"], ["新疆维吾尔自治区"]))])
def test_one_row_written_two_ways_in_two_files_counts_once(
        tmp_path: Path, first: tuple[list[str], list[str]],
        second: tuple[list[str], list[str]]) -> None:
    """A regime by code or by Chinese name, a registration place by code or by name: the same
    row from two downloads of one query is one row, not two."""
    for name, (columns, cells) in (("export-a.csv", first), ("export-b.csv", second)):
        header = ["数据年月", "商品编码", "贸易伙伴编码", *columns, "美元"]
        write(tmp_path / "in", name, header, [["202010", "85023100", "502", *cells, "1,000"]])
    result = ingest([tmp_path / "in"], tmp_path / "out", progress=False)
    assert result.rows == 1 and result.duplicates_dropped == 1
    assert read_table(tmp_path / "out")["value_usd"].sum() == 1_000


@pytest.mark.parametrize("column", ["注册地编码", "境内货源地编码"])
def test_places_within_a_province_are_kept_apart_and_never_beside_it(
        tmp_path: Path, column: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Two cities of one province are two rows; the province's own rows beside its cities'
    rows (for the same products) would count the same trade twice: refused."""
    header = ["数据年月", "商品编码", "贸易伙伴编码", column, "美元"]
    cities = [["202010", "85023100", "502", "65011", "1,000"],
              ["202010", "85023100", "502", "65021", "1,000"]]
    write(tmp_path / "in", "export-cities.csv", header, cities)
    result = ingest([tmp_path / "in"], tmp_path / "out", progress=False)
    assert result.rows == 2 and read_table(tmp_path / "out")["value_usd"].sum() == 2_000
    write(tmp_path / "in", "export-province.csv", header,
          [["202010", "85023100", "502", "65", "2,000"]])
    status, _, err = cli(capsys, str(tmp_path / "in"), "--out", str(tmp_path / "out2"))
    line = one_error_line(err)
    assert status == 2 and "hold the same trade at different granularity" in line, line
    assert "places within the province (65011)" in line and "the province as a whole (65)" in line


def test_a_workbook_with_tables_on_two_sheets_is_refused(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    path = write_xlsx(tmp_path, "export-2020.xlsx", WAN_YUAN, [row("202001", "5")])
    book = openpyxl.load_workbook(path)
    second = book.create_sheet("Sheet2")
    second.append(WAN_YUAN)
    second.append(row("202002", "6"))
    book.save(path)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and "customs tables on 2 sheets" in one_error_line(err)


def test_a_unit_stated_in_the_title_row_applies(tmp_path: Path) -> None:
    header = [*WAN_YUAN[:-1], "人民币"]
    path = tmp_path / "export-202010.csv"
    path.write_bytes("2020年出口 金额单位：万元\r\n".encode("gbk")
                      + csv_bytes(header, [row("202010", "1,000")], encoding="gbk"))
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_cny"].iloc[0] == 10_000_000


@pytest.mark.parametrize(("header", "factor", "field"), [
    ("人民币(单位:万元)", 1e4, "value_cny"), ("US dollar (1 000 USD)", 1e3, "value_usd"),
    ("金额(万元)", 1e4, "value_cny"), ("金额（美元）", 1, "value_usd"),
    ("Value (US$)", 1, "value_usd"), ("RMB Yuan", 1, "value_cny")])
def test_more_spellings_of_value_headers(tmp_path: Path, header: str, factor: float,
                                        field: str) -> None:
    path = write(tmp_path, "export-202010.csv", [*WAN_YUAN[:-1], header], [row("202010", "3")])
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")[field].iloc[0] == pytest.approx(3 * factor)


def test_blank_and_total_rows_are_not_data(tmp_path: Path) -> None:
    rows = [row("202001", "5"), row("202002", "6"), [""] * len(WAN_YUAN),
            ["合计", "", "", "", "", "", "", "", "", "11"]]
    result = ingest([write(tmp_path, "export.csv", WAN_YUAN, rows)], tmp_path / "out",
                    progress=False)
    assert result.rows == 2


#: WAN_YUAN with the customs regime, as the platform gives it when asked for 贸易方式.
WITH_REGIME = [*WAN_YUAN[:7], "贸易方式编码", "贸易方式名称", *WAN_YUAN[7:]]


@pytest.mark.parametrize("column", [0, 1, 2, 3, 4, 5, 6, 7, 8])
@pytest.mark.parametrize("label", ["小计", "合计", " Total ", "TOTAL", "小\u3000计", "合计：",
                                   "Subtotal", "Grand total", "总值"])
def test_a_total_row_is_not_data_whichever_column_holds_its_label(tmp_path: Path, column: int,
                                                                   label: str) -> None:
    """A subtotal with everything else filled in (period, HS code, partner, value) is skipped
    whether its label stands in the period, the HS code or name, the partner code or name, the
    place's code or name, or the customs regime's code or name."""
    total = [*row("202001", "11")[:7], "10", "一般贸易", *row("202001", "11")[7:]]
    total[column] = label
    rows = [[*r[:7], "10", "一般贸易", *r[7:]] for r in (row("202001", "5"), row("202002", "6"))]
    path = write(tmp_path, "export.csv", WITH_REGIME, [rows[0], total, rows[1]])
    result = ingest([path], tmp_path / "out", progress=False)
    assert result.rows == 2
    assert read_table(tmp_path / "out")["value_cny"].sum() == 110_000


@pytest.mark.parametrize("label", ["小计", "Total"])
def test_a_total_row_is_not_data_in_a_download_with_partner_names_only(tmp_path: Path,
                                                                      label: str) -> None:
    header = ["Date of data", "Commodity code", "Trading partner", "Registration place",
              "US dollar"]
    rows = [["202001", "85023100", "United States", "新疆", "5"],
            ["202001", "85023100", label, "新疆", "11"]]
    path = write(tmp_path, "export.csv", header, rows)
    assert ingest([path], tmp_path / "out", progress=False).rows == 1


def test_a_bad_row_beside_a_total_row_is_still_refused(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    rows = [row("202001", "5"), ["合计", "", "", "", "", "", "", "", "", "11"],
            row("202002", "5", partner="999")]
    path = write(tmp_path, "export.csv", WAN_YUAN, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}:4:") and "'999'" in line, line


@pytest.mark.parametrize(("space", "encoding"), [
    ("\u3000", "gbk"), ("\u3000", "utf-8"), ("\u00a0", "utf-8")])  # GBK has no U+00A0
def test_unicode_spaces_at_either_end_of_a_cell_are_trimmed(tmp_path: Path, space: str,
                                                            encoding: str) -> None:
    """GBK files and spreadsheets pad cells with U+3000 or U+00A0 alone, at one end only."""
    padded = ["202002" + space, "85023100" + space, space + "风力发电机组", space + "502",
              "美国" + space, "65" + space, "新疆", "3" + space, "台" + space, "1,234" + space]
    rows = [row("202001", "5"), padded, row("202002", "1,234"),  # the same row, unpadded
            [space] * len(WAN_YUAN), ["合计" + space, "", "", "", "", "", "", "", "", "11"]]
    rows[2][7] = "3"
    path = write(tmp_path, "export.csv", WAN_YUAN, rows, encoding=encoding)
    result = ingest([path], tmp_path / "out", progress=False)
    assert result.rows == 2 and result.duplicates_dropped == 1  # the padded row repeats the other
    got = read_table(tmp_path / "out").sort_values("period").iloc[1]
    assert (got["period"], got["hs_code"], got["hs_name"], got["partner_code"], got["place"],
            got["unit_1"], got["quantity_1"]) == ("2020-02", "85023100", "风力发电机组", "502",
                                                  "65", "台", 3)
    assert got["value_cny"] == 12_340_000


@pytest.mark.parametrize(("bad", "message"), [
    (["202002", "", "风力发电机组", "502", "美国", "65", "新疆", "1", "台", "6"], "empty 商品编码"),
    (["", "85023100", "风力发电机组", "502", "美国", "65", "新疆", "1", "台", "6"],
     "empty 数据年月"),
    (["202002", "85023100", "风力发电机组", "502", "", "65", "新疆", "1", "台", "abc"], "'abc'"),
    (["202002", "85023100", "x", "", "", "65", "新疆", "1", "台", "6"],
     "empty trading partner in column 贸易伙伴编码")])
# A bad figure on the next line: the line given is the first bad row's, not the next one's (a
# partner is looked up after the row checks, so for that case the next row is good).
def test_a_bad_row_with_empty_cells_is_refused_at_its_line(tmp_path: Path, bad: list[str],
                                                           message: str,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    rows = [row("202001", "5"), ["合计", "", "", "", "", "", "", "", "", "11"], bad,
            row("202003", "7" if "partner" in message else "xyz")]
    path = write(tmp_path, "export.csv", WAN_YUAN, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}:4:") and message in line, line


def test_an_unknown_province_is_refused_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = ["数据年月", "商品编码", "贸易伙伴名称", "注册地名称", "人民币"]
    rows = [["202001", "85023100", "美国", "新疆", "5"],
            ["202001", "85023100", "美国", "广东", "5"],
            ["202002", "85023100", "美国", "火星", "6"]]
    path = write(tmp_path, "export.csv", header, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}:4:") and "'火星'" in line, line


@pytest.mark.parametrize(("header", "good", "bad", "shown"), [
    (["数据年月", "商品编码", "贸易伙伴编码", "注册地编码", "人民币"], ["502", "65"], ["999", "65"],
     "'999'"),
    (["数据年月", "商品编码", "贸易伙伴名称", "注册地编码", "人民币"], ["美国", "65"],
     ["美洲国", "65"], "'美洲国'"),
    (["Date of data", "Commodity code", "Trading partner", "Registration place", "RMB"],
     ["united states", "新疆"], ["Unitd States", "新疆"], "'Unitd States'"),
    (["数据年月", "商品编码", "贸易伙伴编码", "注册地编码", "人民币"], ["502", "65"], ["502", "66"],
     "'66'"),
    (["数据年月", "商品编码", "贸易伙伴名称", "注册地名称", "人民币"], ["美国", "新疆"],
     ["美国", "火星"], "'火星'")])
def test_a_row_no_code_list_has_is_refused_at_its_line(tmp_path: Path, header: list[str],
                                                       good: list[str], bad: list[str],
                                                       shown: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Partners and provinces by code or by name, after a good row, a blank row and a total
    row, with a good row after the bad one: the line is the bad row's."""
    rows = [["202001", "85021100", *good, "5"], ["", "", "", "", ""],
            ["202001", "85023100", *good, "5"], ["合计", "", "", "", "10"],
            ["202002", "85023100", *bad, "6"], ["202003", "85023100", *good, "7"]]
    path = write(tmp_path, "export.csv", header, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}:6:") and shown in line, line


def test_excel_dates_and_year_spellings_in_the_period_column(tmp_path: Path) -> None:
    import datetime as dt

    path = write_xlsx(tmp_path, "export.xlsx", WAN_YUAN,
                      [[dt.datetime(2020, 3, 1), *row("", "5")[1:]]])
    ingest([path], tmp_path / "a", progress=False)
    assert read_table(tmp_path / "a")["period"].tolist() == ["2020-03"]
    annual = write(tmp_path, "export-y.csv", WAN_YUAN, [row("2020年", "5")])
    ingest([annual], tmp_path / "b", progress=False)
    assert read_table(tmp_path / "b")["period"].tolist() == ["2020"]


@pytest.mark.parametrize(("cell", "period"), [
    ("202009", "2020-09"), ("2020.9", "2020-09"), ("2020.09", "2020-09"), ("2020.10", "2020-10"),
    ("2020_9", "2020-09"), ("2020-9", "2020-09"), ("2020/09", "2020-09"), ("2020 09", "2020-09"),
    ("2020年9月", "2020-09"), ("2020年09月", "2020-09"), ("20209", "2020-09"),
    # A column formatted as dates and saved as CSV: the month's first day.
    ("2020-09-01", "2020-09"), ("2020/9/1", "2020-09"), ("2020/09/01", "2020-09"),
    ("2020.09.01", "2020-09"), ("2020年9月1日", "2020-09"), ("2020-12-01", "2020-12")])
def test_every_spelling_of_a_month_is_that_month(tmp_path: Path, cell: str, period: str) -> None:
    path = write(tmp_path, "export.csv", WAN_YUAN, [row(cell, "5")])
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["period"].tolist() == [period]


@pytest.mark.parametrize(("cell", "message"), [
    ("2020.1", "ambiguous period '2020.1'"), ("2020.13", "impossible period '2020.13'"),
    ("2020+1", "impossible period"), ("2020.0", "impossible period"),
    ("20201.", "impossible period"), ("202.09", "impossible period"),
    ("2020-09-15", "a day, not a month: '2020-09-15'"), ("2020/9/30", "a day, not a month"),
    ("2020年9月30日", "a day, not a month"),
    ("2020-09-011", "impossible period"), ("2020-9-1-1", "impossible period")])
def test_a_period_that_is_no_month_or_two_is_refused(tmp_path: Path, cell: str, message: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "export.csv", WAN_YUAN, [row("202001", "5"), row(cell, "5")])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}:3:") and message in line, line


def test_an_xlsx_period_stored_as_a_number_is_shown_as_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Excel keeps 2020.10 as the number 2020.1: refused as ambiguous, shown as 2020.1."""
    path = write_xlsx(tmp_path, "export.xlsx", WAN_YUAN, [[2020.10, *row("", "5")[1:]]])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and "ambiguous period '2020.1'" in one_error_line(err), err


@pytest.mark.parametrize("stated", ['<dimension ref="A1:J4"/>', '<dimension ref="A1"/>', ""])
def test_an_xlsx_that_states_a_wrong_size_is_read_whole(tmp_path: Path, stated: str) -> None:
    """Some writers state a stale size (or none) in the sheet; every row is read all the same."""
    import re
    import zipfile

    path = write_xlsx(tmp_path, "built.xlsx", WAN_YUAN, monthly_rows(2020, "10"))
    fixed = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(fixed, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension[^>]*/>", stated.encode(), data)
            target.writestr(item, data)
    result = ingest([fixed], tmp_path / "out", progress=False)
    assert result.rows == 12
    assert read_table(tmp_path / "out")["value_cny"].sum() == 12 * 10 * 10_000


def test_an_english_download_with_its_first_gbk_character_late_is_read(tmp_path: Path) -> None:
    """The encoding is told from the first non-ASCII byte, however far into the file."""
    header = ["Date of data", "Commodity code", "Trading partner code", "First quantity",
              "US dollar"]
    rows = [["202001", f"{85023100 + i}", "502", "1", "5"] for i in range(20_000)]
    rows[-1][3] = "—"  # a missing quantity, GBK bytes A1 AA, after some 600 KB of ASCII
    path = write(tmp_path, "export.csv", header, rows, encoding="gbk")
    assert ingest([path], tmp_path / "out", progress=False).rows == 20_000


@pytest.mark.parametrize(("cell", "message"), [
    ("1.000,5", "decimal comma"), ("99,999,999,999,999,999,999", "implausibly large")])
def test_misread_numbers_are_refused(tmp_path: Path, cell: str, message: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "export.csv", WAN_YUAN, [row("202001", cell)])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and message in one_error_line(err)


@pytest.mark.parametrize(("cell", "wan_yuan"), [
    ("1,766,340", 1_766_340), ("1766340", 1_766_340), ("1，766，340", 1_766_340),
    ("1 766 340", 1_766_340), ("12,345.25", 12_345.25), ("0.5", 0.5), (".5", 0.5),
    ("999", 999), ("1,000", 1_000)])
def test_every_way_the_platform_writes_a_figure_is_read(tmp_path: Path, cell: str,
                                                        wan_yuan: float) -> None:
    path = write(tmp_path, "export.csv", WAN_YUAN, [row("202001", cell)])
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_cny"].iloc[0] == pytest.approx(wan_yuan * 1e4)


@pytest.mark.parametrize(("cell", "message"), [
    ("12,5", "decimal comma"), ("1,2,3", "not a thousands separator"),
    ("12,34,567", "not a thousands separator"), ("1,2345", "not a thousands separator"),
    ("1,234.", "not a thousands separator"), ("inf", "cannot read"), ("5 kg", "cannot read"),
    ("1.2.3", "cannot read"), ("-1,234", "negative")])
def test_a_figure_in_any_other_form_is_refused(tmp_path: Path, cell: str, message: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "export.csv", WAN_YUAN, [row("202001", "5"), row("202002", cell)])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}:3:") and message in line, line


def test_a_blank_cross_check_currency_is_allowed(tmp_path: Path) -> None:
    header = [*WAN_YUAN[:-1], "人民币(万元)", "美元(万美元)"]
    path = write(tmp_path, "export.csv", header, [[*row("202010", "")[:-1], "", "100"]])
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_usd"].iloc[0] == 1_000_000


def test_the_same_row_from_the_chinese_and_the_english_site_counts_once(tmp_path: Path) -> None:
    chinese = [*NATIONAL[:5], "贸易方式编码", "贸易方式名称", *NATIONAL[5:-1], "人民币"]
    english = [*ENGLISH_HEADER[:-1], "RMB Yuan"]
    national = row("202001", "100", province=None)
    write(tmp_path / "g", "export-cn.csv", chinese,
          [[*national[:5], "10", "一般贸易", *national[5:]]], encoding="gbk")
    write(tmp_path / "g", "export-en.csv", english,
          [["202001", "502", "United States", "85023100", "Wind", "10", "General trade", "1",
            "台", "-", "-", "100"]], trailing_comma=True)
    result = ingest([tmp_path / "g"], tmp_path / "out", progress=False)
    assert result.rows == 1 and result.duplicates_dropped == 1


def test_which_copy_of_a_repeat_is_kept_does_not_change_between_runs(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    write(folder, "export-a.csv", WAN_YUAN, monthly_rows(2020, "5"))
    write(folder, "export-b.csv", WAN_YUAN, monthly_rows(2020, "5"))
    for run in range(3):
        ingest([folder], tmp_path / f"out{run}", progress=False)
        assert set(read_table(tmp_path / f"out{run}")["source_file"]) == {"g/export-a.csv"}


def test_an_error_line_counts_the_skipped_blank_rows(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    rows = [row("202001", "5"), [""] * len(WAN_YUAN), [""] * len(WAN_YUAN), row("202002", "x")]
    path = write(tmp_path, "export.csv", WAN_YUAN, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and one_error_line(err).startswith(f"error: {path}:5:")


def test_a_file_at_the_platforms_row_cap_is_flagged(tmp_path: Path) -> None:
    rows = [row(f"2020{1 + i % 12:02d}", "5", hs=f"85{i // 12:06d}") for i in range(10_000)]
    result = ingest([write(tmp_path, "export.csv", WAN_YUAN, rows)], tmp_path / "out",
                    progress=False)
    assert any("exactly 10,000 rows" in w for w in result.warnings)
    demo = write(tmp_path, "demo/export-demo.csv", [*WAN_YUAN, "DEMO"],
                 [[*r, "DEMO"] for r in rows])
    result = ingest([demo], tmp_path / "out-demo", progress=False)
    assert result.rows == 10_000 and not [w for w in result.warnings if "10,000 rows" in w], (
        "the DEMO generator writes pages of exactly the cap: none of theirs is missing")


def test_a_capped_page_that_repeats_another_is_still_flagged(tmp_path: Path) -> None:
    """The cap is on the rows a download holds: a page of 10,000 rows, five of which repeat
    the previous page, stopped at the cap even though it keeps 9,995 rows. So it stays on an
    incremental run that carries its partition over."""
    rows = [row(f"2020{1 + i % 12:02d}", "5", hs=f"85{i // 12:06d}") for i in range(10_000)]
    write(tmp_path / "in", "export_2020_page_1.csv", WAN_YUAN, rows[:5] + [
        row("202001", "5", hs=f"84{i:06d}") for i in range(5)])
    write(tmp_path / "in", "export_2020_page_2.csv", WAN_YUAN, rows)
    result = ingest([tmp_path / "in"], tmp_path / "out", progress=False)
    assert result.duplicates_dropped == 5
    flagged = [w for w in result.warnings if "exactly 10,000 rows" in w]
    assert len(flagged) == 1 and "page_2" in flagged[0], result.warnings
    write(tmp_path / "in", "export_2019.csv", WAN_YUAN, monthly_rows(2019))
    again = ingest([tmp_path / "in"], tmp_path / "out", progress=False)
    assert again.rerun == "1 new or changed, 0 removed, 2 unchanged file(s)"  # 2020 carried
    assert [w for w in again.warnings if "exactly 10,000 rows" in w] == flagged


def test_hs_levels_that_differ_between_years_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "g"
    write(folder, "export-2019.csv", WAN_YUAN, monthly_rows(2019, "5", hs="8502"))
    write(folder, "export-2020.csv", WAN_YUAN, monthly_rows(2020, "5", hs="85023100"))
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / "out"))
    assert status == 2 and "HS 4-digit codes" in one_error_line(err)


@pytest.mark.parametrize(("title", "column", "factor"), [
    ("2020年出口 金额单位：1,000美元", "美元", 1e3),
    ('"2020年出口 金额单位：1,000美元"', "美元", 1e3),
    ("单位：10,000元", "人民币", 1e4), ('"单位：10，000元"', "人民币", 1e4),
    ('"Unit: 1,000 US dollars"', "美元", 1e3), ("Unit: 1,000 US dollars", "美元", 1e3),
    ('"Exports, Unit: USD 1,000"', "美元", 1e3), ('"Unit: RMB 10,000"', "人民币", 1e4),
    ('"单位：1,000 美元"', "美元", 1e3), ("单位：1000 美元", "美元", 1e3),
    ("单位：美元 (1,000)", "美元", 1e3), ("单位：美元（千）", "美元", 1e3),
    ('"Unit: USD thousand, 2020"', "美元", 1e3)])
def test_a_title_unit_written_with_grouped_thousands_applies(tmp_path: Path, title: str,
                                                             column: str, factor: float) -> None:
    """A unit above the table may be a figure with its thousands grouped; a CSV title cell
    without quotes is split at that comma."""
    path = tmp_path / "export-202010.csv"
    path.write_bytes(f"{title}\r\n".encode("gbk")
                     + csv_bytes([*WAN_YUAN[:-1], column], [row("202010", "1,000")],
                                 encoding="gbk"))
    ingest([path], tmp_path / "out", progress=False)
    field = "value_usd" if column == "美元" else "value_cny"
    assert read_table(tmp_path / "out")[field].iloc[0] == 1_000 * factor


@pytest.mark.parametrize("title", ["查询条件：新疆 计量单位：千克", "Quantity unit: thousand",
                                   "Quantity_unit: 1,000"])
def test_a_quantity_unit_in_the_title_is_not_a_value_unit(tmp_path: Path, title: str) -> None:
    path = tmp_path / "export-202010.csv"
    path.write_bytes(f"{title}\r\n".encode("gbk")
                     + csv_bytes([*WAN_YUAN[:-1], "人民币"], [row("202010", "7")], encoding="gbk"))
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_cny"].iloc[0] == 7


def test_small_xlsx_numbers_are_not_written_in_exponent_form(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, "export.xlsx", WAN_YUAN, [[*row("202001", "")[:-1], 0.00001]])
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_cny"].iloc[0] == pytest.approx(0.1)  # 万元


def test_many_pages_are_read_side_by_side_and_a_bad_one_is_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """40 pages run as several statements at once: every row arrives once, and a bad row in a
    late page is refused with that page and its line."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in range(40):
        rows = [row(f"2020{month:02d}", str(page * 100 + month), hs=f"8502{page:04d}")
                for month in range(1, 13)]
        write(folder, f"export-2020-page{page:02d}.csv", WAN_YUAN, rows)
    result = ingest([folder], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert result.rows == len(table) == 480 and table["hs_code"].nunique() == 40
    assert table["value_cny"].sum() == sum((p * 100 + m) * 1e4 for p in range(40)
                                           for m in range(1, 13))
    bad = [row("202001", "1"), row("202002", "1.000,5")]
    path = write(folder, "export-2020-page33.csv", WAN_YUAN, bad)
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / "out2"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}:3:") and "decimal comma" in line, line
    assert not (tmp_path / "out2").exists()


def test_the_summary_never_adds_national_rows_to_provinces_rows(tmp_path: Path) -> None:
    """National rows and provinces' rows are the same trade twice: totalled apart."""
    write(tmp_path / "in", "export-national.csv", ["数据年月", "商品编码", "贸易伙伴编码", "美元"],
          [["202010", "85023100", "502", "1000"]])
    write(tmp_path / "in", "export-provinces.csv",
          ["数据年月", "商品编码", "贸易伙伴编码", "注册地编码", "美元"],
          [["202010", "85023100", "502", "65", "400"], ["202010", "85023100", "502", "44", "600"]])
    lines = ingest([tmp_path / "in"], tmp_path / "out", progress=False).summary().splitlines()
    assert [line.split(": ", 1)[1] for line in lines if line.startswith("  export")] == [
        "         1 rows, 1 partner(s), national rows only, US$ 1,000",
        "         2 rows, 1 partner(s), 2 provinces, US$ 1,000"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_pages_joined_into_one_file_are_read_whole(tmp_path: Path, encoding: str) -> None:
    """`cat page1.csv page2.csv`: the second page's header (and its BOM) stands between rows."""
    pages = [write(tmp_path, f"page{i}.csv", WAN_YUAN, monthly_rows(2020)[6 * i:6 * i + 6],
                   encoding=encoding) for i in (0, 1)]
    joined = tmp_path / "export-2020.csv"
    joined.write_bytes(pages[0].read_bytes() + pages[1].read_bytes())
    result = ingest([joined], tmp_path / "out", progress=False)
    assert result.rows == 12 and not result.warnings


def test_a_header_row_in_another_order_is_refused_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = write(tmp_path, "a.csv", WAN_YUAN, monthly_rows(2020)[:2])
    swapped = [WAN_YUAN[1], WAN_YUAN[0], *WAN_YUAN[2:]]
    other = write(tmp_path, "b.csv", swapped, [])
    joined = tmp_path / "export-2020.csv"
    joined.write_bytes(first.read_bytes() + other.read_bytes())
    status, _, err = cli(capsys, str(joined), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {joined}:4: a header row again"), line


@pytest.mark.parametrize("note", [
    "注：本表数据为初步统计数。", "注：本表数据为初步统计数。,,,,,,,,,",
    "Source: GACC online query platform, retrieved 2021-01-10"])
def test_a_note_below_the_table_is_named_as_one(tmp_path: Path, note: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(WAN_YUAN, [row("202001", "5")], encoding="gbk")
                     + f"\r\n{note}\r\n".encode("gbk"))
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and line.startswith(f"error: {path}:4: "), line
    assert "a note" in line and "Delete" in line and "thousands" not in line, line


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_error_line_counts_empty_lines(tmp_path: Path, kind: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """An empty line (a sheet's empty row) between rows still counts as a line."""
    rows: list[list[str]] = [row("202001", "5"), [], [], row("202002", "abc")]
    if kind == "csv":
        path = tmp_path / "export.csv"
        path.write_bytes(b"\r\n".join(",".join(r).encode("gbk") for r in [WAN_YUAN, *rows]))
        line = 5
    else:
        path = write_xlsx(tmp_path, "export.xlsx", WAN_YUAN, rows)  # a title row above
        line = 6
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    message = one_error_line(err)
    assert status == 2 and message.startswith(f"error: {path}:{line}: ") and "'abc'" in message


def test_xlsx_rows_ending_in_empty_cells_are_read(tmp_path: Path) -> None:
    """A row whose last cells are empty is a row of the table (a sheet stores it shorter)."""
    header = ["数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "美元",
              "第一数量", "第一计量单位", "第二数量", "第二计量单位", ""]
    rows: list[list[object]] = [
        ["202010", "85023100", "风力发电机组", "502", "美国", 1000, 1, "台", 5, "千克"],
        ["202011", "85023100", "风力发电机组", "502", "美国", 2000, 1, "台"],
        ["202012", "85023100", "风力发电机组", "502", "美国", 3000]]
    path = write_xlsx(tmp_path, "export.xlsx", header, rows)
    result = ingest([path], tmp_path / "out", progress=False)
    assert result.rows == 3
    assert read_table(tmp_path / "out")["value_usd"].sum() == 6000


@pytest.mark.parametrize(("by_code", "by_name"), [
    ((["境内货源地编码", "境内货源地名称"], ["65011", "乌鲁木齐"]),
     (["境内货源地"], ["新疆乌鲁木齐"])),
    ((["境内货源地编码"], ["65011"]), (["境内货源地名称"], ["新疆维吾尔自治区乌鲁木齐市"])),
    ((["注册地编码", "注册地名称"], ["65011", "乌鲁木齐"]), (["注册地"], ["新疆乌鲁木齐"]))])
def test_a_city_written_by_code_in_one_file_and_by_name_in_another_is_refused(
        tmp_path: Path, by_code: tuple[list[str], list[str]], by_name: tuple[list[str], list[str]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Without a list of city codes, 65011 and 新疆乌鲁木齐 cannot be told to be one place or
    two: kept apart, the same trade would be counted twice in Xinjiang's total. Refused, saying
    how to make the two downloads alike."""
    for name, (columns, cells) in (("export-a.csv", by_code), ("export-b.csv", by_name)):
        header = ["数据年月", "商品编码", "贸易伙伴编码", *columns, "美元"]
        write(tmp_path / "in", name, header, [["202010", "85023100", "502", *cells, "1,000"]])
    status, _, err = cli(capsys, str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "export-b.csv" in line and "codes" in line and "names" in line, line
    assert not (tmp_path / "out").exists()


def test_cities_written_the_same_way_in_two_files_are_kept(tmp_path: Path) -> None:
    """Two cities by name (one file each), two cities by code: no mix, so both read."""
    header = ["数据年月", "商品编码", "贸易伙伴编码", "境内货源地", "美元"]
    for name, city in (("export-a.csv", "新疆乌鲁木齐"), ("export-b.csv", "新疆克拉玛依")):
        write(tmp_path / "names", name, header, [["202010", "85023100", "502", city, "1,000"]])
    header = ["数据年月", "商品编码", "贸易伙伴编码", "境内货源地编码", "美元"]
    for name, city in (("export-a.csv", "65011"), ("export-b.csv", "65021")):
        write(tmp_path / "codes", name, header, [["202010", "85023100", "502", city, "1,000"]])
    for folder in ("names", "codes"):
        result = ingest([tmp_path / folder], tmp_path / f"out-{folder}", progress=False)
        assert result.rows == 2, folder
        table = read_table(tmp_path / f"out-{folder}")
        assert table["value_usd"].sum() == 2_000 and set(table["province"]) == {"Xinjiang"}


def test_the_label_test_knows_every_total_label_and_no_name() -> None:
    """The scan's label test (a length and first-character filter before the comparison with
    the list) finds each of the labels, and none of the partner, regime and place names it is
    run on beside them (their first characters include T, S and 合: Togo, Spain, 合作)."""
    import duckdb

    from helpers.ingest import codes
    from helpers.ingest.sql import TOTAL_LABELS, _labelled_sql

    names = [*codes.partner_table()["name_zh"], *codes.partner_table()["name_en"],
             *codes.province_table()["name_zh"], "合作区", "小额贸易", "总部", "Total trade",
             "tot", "85023100", "", "65"]
    cells = [*TOTAL_LABELS, *names]
    found = duckdb.execute(f"SELECT c, {_labelled_sql(['c'])} FROM unnest(?) t(c)",
                           [cells]).fetchall()
    assert {c for c, hit in found if hit} == set(TOTAL_LABELS)


@pytest.mark.parametrize("other", ["新疆维吾尔自治区乌鲁木齐市", "新疆乌鲁木齐市", "新疆乌鲁木齐"])
def test_one_city_by_name_spelt_two_ways_counts_once(tmp_path: Path, other: str) -> None:
    """A review found 新疆乌鲁木齐 in one download and 新疆维吾尔自治区乌鲁木齐市 in another
    kept as two places: the same trade counted twice. They are one place, and a repeat."""
    header = ["数据年月", "商品编码", "贸易伙伴编码", "境内货源地", "美元"]
    write(tmp_path / "in", "export-a.csv", header,
          [["202010", "85023100", "502", "新疆乌鲁木齐", "100"]])
    write(tmp_path / "in", "export-b.csv", header, [["202010", "85023100", "502", other, "100"]])
    result = ingest([tmp_path / "in"], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert result.rows == 1 and table["value_usd"].sum() == 100
    assert table["place"].tolist() == ["新疆乌鲁木齐"]
