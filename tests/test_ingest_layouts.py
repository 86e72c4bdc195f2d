"""Each real layout of the customs platform ingests with every row and the right values."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import CHINESE_HEADER, ENGLISH_HEADER, chinese_row, read_table

from helpers.ingest import currency, ingest


def test_gbk_csv_in_yuan(write_file, tmp_path: Path) -> None:
    rows = [chinese_row("202010", "85023100", "502", "56,121,645"),
            chinese_row("202012", "95051000", "304", "1,234", qty="1,200"),
            chinese_row("201912", "29171900", "301", "7")]
    path = write_file("出口-2020.csv", CHINESE_HEADER, rows, encoding="gbk")
    result = ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert result.rows == 3 and len(table) == 3
    assert set(table["flow"]) == {"export"}
    wind = table[table["hs_code"] == "85023100"].iloc[0]
    assert wind["value_cny"] == 56_121_645
    assert wind["value_usd"] == pytest.approx(56_121_645 / currency.cny_per_usd(2020, 10))
    assert wind["fx_cny_per_usd"] == pytest.approx(currency.cny_per_usd(2020, 10))
    assert (wind["partner_iso3"], wind["province"], wind["hs_level"]) == ("USA", "Xinjiang", 8)
    assert wind["period"] == "2020-10" and wind["year"] == 2020 and wind["month"] == 10
    assert table.loc[table["hs_code"] == "95051000", "quantity_1"].iloc[0] == 1200
    assert table["currency_reported"].eq("CNY").all()
    assert not table["is_demo"].any()


def test_utf8_bom_csv_in_dollars_without_regime_columns(write_file, tmp_path: Path) -> None:
    header = ["数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "注册地编码",
              "注册地名称", "第一数量", "第一计量单位", "第二数量", "第二计量单位", "美元"]
    rows = [["202001", "01012100", "马", "116", "日本", "65", "新疆", "3", "头", "", "", "9,000"],
            ["202002", "0101", "马", "133", "韩国", "65", "新疆", "4", "头", "", "", "12,500"]]
    path = write_file("export_2020.csv", header, rows, encoding="utf-8-sig")
    ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert list(table["hs_code"]) == ["01012100", "0101"]  # leading zeros kept
    assert list(table["hs_level"]) == [8, 4]
    assert table["regime_code"].isna().all()
    assert table["value_usd"].tolist() == [9000, 12500]
    assert table["partner_iso3"].tolist() == ["JPN", "KOR"]


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "进口2020.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2020年进口查询结果"])  # a title row above the header
    sheet.append(CHINESE_HEADER)
    sheet.append([202005, 84335900, "棉花收获机", 502, "美国", 10, "一般贸易", 65, "新疆", 30,
                  "台", None, None, 123456789])
    sheet.append([202006, 1012100, "马", 502, "美国", 10, "一般贸易", 65, "新疆", 2, "头", None,
                  None, "1,000"])
    book.save(path)
    result = ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert result.rows == 2
    assert set(table["flow"]) == {"import"}
    assert list(table["hs_code"]) == ["84335900", "01012100"]  # numeric cell lost its zero
    assert list(table["value_cny"]) == [123456789, 1000]
    assert result.files[0]["header_line"] == 2


def test_english_platform_layout(write_file, tmp_path: Path) -> None:
    rows = [["202010", "502", "United States", "85023100", "Wind-powered generating sets", "10",
             "General trade", "12", "Unit", "—", "—", "56,121,645"],
            ["202011", "304", "Germany", "95051000", "Christmas articles", "10",
             "General trade", "1,000", "Kilogram", "-", "-", "1,234"]]
    path = write_file("exports-2020-en.csv", ENGLISH_HEADER, rows, trailing_comma=True)
    ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert table["quantity_2"].isna().all() and table["unit_2"].isna().all()
    assert table["value_usd"].tolist() == [56_121_645, 1234]
    assert table["partner_iso3"].tolist() == ["USA", "DEU"]
    assert table["province"].isna().all()  # the query did not group by province


def test_tab_separated_with_unquoted_thousands(write_file, tmp_path: Path) -> None:
    rows = [chinese_row(value="56,121,645", qty="1,200")]
    path = write_file("export.tsv", CHINESE_HEADER, rows, delimiter="\t")
    ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert table["value_cny"].tolist() == [56_121_645]
    assert table["quantity_1"].tolist() == [1200]


def test_annual_query_takes_the_period_from_the_option_or_the_name(write_file,
                                                                  tmp_path: Path) -> None:
    header = [h for h in CHINESE_HEADER if h != "数据年月"]
    rows = [chinese_row()[1:]]
    by_name = write_file("export-2019.csv", header, rows)
    result = ingest([by_name], tmp_path / "a", progress=False)
    assert result.files[0]["period_source"] == "file name"
    assert read_table(tmp_path / "a")["period"].tolist() == ["2019"]
    table = read_table(tmp_path / "a")
    assert table["fx_cny_per_usd"].iloc[0] == pytest.approx(currency.cny_per_usd(2019))
    unnamed = write_file("export-annual.csv", header, rows)
    ingest([unnamed], tmp_path / "b", period="2020", progress=False)
    assert read_table(tmp_path / "b")["period"].tolist() == ["2020"]


def test_domestic_source_of_goods_instead_of_registration(write_file, tmp_path: Path) -> None:
    header = ["数据年月", "商品编码", "贸易伙伴编码", "境内货源地编码", "境内货源地名称", "人民币"]
    rows = [["202010", "85023100", "502", "65019", "新疆维吾尔自治区乌鲁木齐", "100"]]
    path = write_file("export.csv", header, rows)
    ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert table["province"].tolist() == ["Xinjiang"]
    assert table["province_basis"].tolist() == ["source of goods"]


def test_folder_of_pieces_with_repeated_rows(write_file, tmp_path: Path) -> None:
    first = [chinese_row(period=f"2020{m:02d}") for m in range(1, 7)]
    second = [chinese_row(period=f"2020{m:02d}") for m in range(5, 13)]  # May, June repeat
    write_file("pieces/export-part1.csv", CHINESE_HEADER, first)
    write_file("pieces/export-part2.csv", CHINESE_HEADER, second, encoding="gbk")
    result = ingest([tmp_path / "raw" / "pieces"], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert len(table) == 12 and result.rows == 12
    assert sorted(table["month"]) == list(range(1, 13))
    assert result.duplicates_dropped == 2
    assert any("2 row(s) of pieces/export-part2.csv repeat" in w for w in result.warnings)


def test_rerun_is_idempotent_and_raw_files_untouched(write_file, tmp_path: Path) -> None:
    path = write_file("export.csv", CHINESE_HEADER, [chinese_row()], encoding="gbk")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    ingest([path], tmp_path / "out", progress=False)
    first = read_table(tmp_path / "out")
    ingest([path], tmp_path / "out", progress=False)
    second = read_table(tmp_path / "out")
    pd.testing.assert_frame_equal(first, second)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"][0]["sha256"] == before
    assert manifest["rows"] == 1 and manifest["any_demo"] is False
    # No staging or old folders are left beside the output, only the lock file of its runs.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "raw"]


def test_header_only_file_is_a_warning_not_a_crash(write_file, tmp_path: Path) -> None:
    path = write_file("export.csv", CHINESE_HEADER, [])
    result = ingest([path], tmp_path / "out", progress=False)
    assert result.rows == 0
    assert any("only a header" in w for w in result.warnings)


def test_demo_marker_column_and_name(write_file, tmp_path: Path) -> None:
    path = write_file("export-x.csv", [*CHINESE_HEADER, "DEMO"], [[*chinese_row(), "DEMO"]])
    result = ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["is_demo"].all()
    assert result.totals[0]["is_demo"]


def test_every_layout_meets_the_schema(write_file, tmp_path: Path) -> None:
    from helpers.ingest.schema import validate

    write_file("all/export-a.csv", CHINESE_HEADER, [chinese_row(), chinese_row(period="2019")],
               encoding="gbk")
    write_file("all/export-b.csv", ENGLISH_HEADER,
               [["202010", "304", "Germany", "95051000", "x", "10", "General", "1", "kg", "—",
                 "—", "1,234"]], trailing_comma=True)
    ingest([tmp_path / "raw" / "all"], tmp_path / "out", progress=False)
    validate(read_table(tmp_path / "out"))


def test_the_schema_rejects_broken_rows(write_file, tmp_path: Path) -> None:
    from pandera.errors import SchemaErrors

    from helpers.ingest.schema import validate

    path = write_file("export.csv", CHINESE_HEADER, [chinese_row()])
    ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    broken = table.assign(hs_code="7701", value_cny=-1.0)
    with pytest.raises(SchemaErrors):
        validate(broken)


def test_spaces_around_cells_are_ignored(write_file, tmp_path: Path) -> None:
    row = ["\u3000202010 ", " 85023100 ", " 风力发电机组\u3000", "502 ", "\u00a0美国\u00a0", " 10",
           "一般贸易 ", "65", "\u3000新疆", " 1 200 ", " 台 ", " - ", "", " 56，121，645 "]
    write_file("spaces/export-a.csv", CHINESE_HEADER, [row])
    by_name = ["数据年月", "商品编码", "贸易伙伴名称", "注册地名称", "人民币"]
    write_file("spaces/export-b.csv", by_name,
               [["202011", "85023100", "\u3000日本 ", " 新疆维吾尔自治区", "7"]])
    ingest([tmp_path / "raw" / "spaces"], tmp_path / "out", progress=False)
    first, second = read_table(tmp_path / "out").itertuples()
    assert (first.period, first.hs_code, first.hs_name) == ("2020-10", "85023100", "风力发电机组")
    assert (first.partner_iso3, first.regime_name) == ("USA", "一般贸易")
    assert first.province == "Xinjiang"
    assert (first.quantity_1, first.unit_1, first.value_cny) == (1200, "台", 56_121_645)
    assert pd.isna(first.quantity_2) and pd.isna(first.unit_2)
    assert (second.partner_iso3, second.province, second.value_cny) == ("JPN", "Xinjiang", 7)



@pytest.mark.parametrize("lines", [
    [[""] * 8, [""] * 8],
    [["合计", "", "", "", "", "", "", "1,000"]],
    [[""] * 8, ["总计：", "", "", "", "", "", "", "1,000"], [""] * 8]])
def test_a_download_of_only_blank_or_total_lines_is_said_to_have_no_rows(
        tmp_path: Path, lines: list[list[str]]) -> None:
    """A query with no result may come back as blank lines or a total of nothing: the file then
    adds no row, and says so, as a file with only its header does."""
    from downloads import NATIONAL, row, write

    empty = write(tmp_path / "in", "export-2020-empty.csv", NATIONAL, lines, encoding="gbk")
    write(tmp_path / "in", "export-2019.csv", NATIONAL, [row("201901", "5", province=None)])
    result = ingest([tmp_path / "in"], tmp_path / "out", progress=False)
    said = [w for w in result.warnings if "no data rows" in w]
    assert result.rows == 1 and len(said) == 1 and empty.name in said[0], said


@pytest.mark.parametrize(("ending", "encoding", "warned"), [
    (b"20", "gbk", True), (b"2000\r\n", "gbk", False), (b"2000\n", "utf-8", False),
    (b"2000\r\n", "utf-16", False), (b"20", "utf-16", True)])
def test_a_file_that_does_not_end_with_a_line_break_is_said_to_be_perhaps_cut(
        tmp_path: Path, ending: bytes, encoding: str, warned: bool) -> None:
    """A download stopped mid-way may end inside its last value, 2000 cut to 20, which still
    reads as a number: such a file ends without a line break, which every complete one has."""
    eol = "\n" if ending.endswith(b"\n") and not ending.endswith(b"\r\n") else "\r\n"
    text = (f"数据年月,商品编码,贸易伙伴编码,注册地编码,美元{eol}202001,85023100,502,65,1000{eol}"
            "202002,85023100,502,65," + ending.decode())
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    result = ingest([path], tmp_path / "out", progress=False)
    said = [w for w in result.warnings if "does not end with a line break" in w]
    assert len(said) == int(warned) and result.rows == 2, result.warnings
