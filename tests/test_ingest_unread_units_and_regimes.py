"""Two ways a download could give wrong totals without a sign, found by a review with files
written in the platform's layouts: a unit above the table whose multiplier the unit pattern
missed (values 1,000 or 10,000 times too small), and a subtotal row whose label, in the customs
regime column, is spelt in none of the known ways (summed in as one more regime). Each is now
read right or refused at its line; none gives a number silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import csv_bytes, read_table
from downloads import WAN_YUAN, cli, one_error_line, row, write

from helpers.ingest import ingest

#: The platform's monthly export layout by customs regime, in dollars, with its regime code.
BY_REGIME = ["数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "贸易方式编码",
             "贸易方式名称", "美元"]
#: The same, with the regime by name only (the site's 贸易方式 column).
BY_REGIME_NAME = [*BY_REGIME[:5], "贸易方式", "美元"]
WIND = ["202001", "85023100", "风力发电机组", "502", "美国"]


def _titled(tmp_path: Path, title: str, column: str) -> Path:
    path = tmp_path / "export-202010.csv"
    path.write_bytes(f"{title}\r\n".encode("gb18030")
                     + csv_bytes([*WAN_YUAN[:-1], column], [row("202010", "1,000")],
                                 encoding="gb18030"))
    return path


@pytest.mark.parametrize(("title", "column"), [
    ("单位：人民币 万元", "人民币"), ("金额单位：人民币 千元", "人民币"),
    ("单位：（万元）", "人民币"), ("单位 万元", "人民币"),
    ("Unit of value: RMB 10,000", "人民币"),
    ("In RMB 10,000", "人民币"), ("Unit: RMB 10 thousand yuan.", "人民币"),
    ("Unit: USD thousand (2020)", "美元"), ("Unit: USD thousand. Source: GACC", "美元"),
    ("Unit: thousand USD | 2020", "美元"),
    ("单位：US$ thousand", "美元"), ('"Unit: US dollar, thousand"', "美元"),
    ('"Unit: USD, 1,000"', "美元"),
    # a second review: no 单位 / Unit beside the multiplier
    ("金额：万元", "人民币"), ("人民币：万元", "人民币"), ("（万元）", "人民币"),
    ("出口额（人民币万元）", "人民币"), ("货值（千元）", "人民币"), ("以万元计", "人民币"),
    ("(USD thousand)", "美元"), ("In thousands of US dollars", "美元"), ("US$ '000", "美元"),
    ("Value: USD thousand", "美元"), ("Currency: USD thousand", "美元"),
    # a third review: after a comma, a bare $, 美金, mln, $m, 10 thousand, "in thousands"
    ('"China\'s exports by partner, USD thousand"', "美元"),
    ('"China exports, 2020, USD million"', "美元"), ("2020年10月出口,万元", "人民币"),
    ("Values in thousands", "美元"), ("Unit: USD (values in thousands)", "美元"),
    ("Value ($ thousand)", "美元"), ("(USD mln)", "美元"),
    ("(US$m)", "美元"), ("(USD 10 thousand)", "美元"), ("(USD hundred million)", "美元"),
    ("出口额（千美金）", "美元"), ("单位：美元 百万", "美元"), ("（百万美元）", "美元"),
    # a fourth review: a bare bracketed 万, traditional characters, full-width digits, 000s,
    # k, thous., mil., a multiplier alone, another currency
    ("2020年10月出口（万）", "人民币"), ("出口（美元，千）", "美元"), ("金額（萬元）", "人民币"),
    ("金额（仟元）", "人民币"), ("金额（１，０００元）", "人民币"), ("Exports (US$000)", "美元"),
    ("Values in US$ 000s", "美元"), ("Exports (USD k)", "美元"), ("Exports (kUSD)", "美元"),
    ("Unit: USD thous.", "美元"), ("Exports (USD mil.)", "美元"), ("Value: thousand", "美元"),
    ("Value: RMB ten thousand", "人民币"), ("Exports (10 thousand yuan)", "人民币"),
    ("Unit: EUR thousand", "美元"), ("ＵＳＤ ｔｈｏｕｓａｎｄ", "美元")])
def test_a_title_unit_whose_multiplier_is_not_read_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, column: str) -> None:
    """Each of these was read as plain yuan or dollars (x1): refused now, at the title's line,
    with the way out."""
    path = _titled(tmp_path, title, column)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:1:" in line and "cannot be read safely" in line
    assert "value column's header" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("title", "column", "factor"), [
    ("单位：万元 第2页", "人民币", 1e4), ("单位：万元 2020年12月", "人民币", 1e4),
    ("2020年1-12月 新疆出口 第1页 共3页 单位：美元", "美元", 1),
    ("2020年 第3页 单位：元", "人民币", 1),
    ("Unit: US$ 1,000", "美元", 1e3), ("Unit: 10,000 RMB; 2020", "人民币", 1e4),
    ("单位：千美元，2020年", "美元", 1e3), ("(Unit: RMB 10,000 yuan)", "人民币", 1e4),
    # unquoted, the CSV splits these titles at their commas
    ("Unit: USD thousand, 2020", "美元", 1e3), ("Unit: RMB 10,000, 2020", "人民币", 1e4),
    ("Unit: RMB, page 2 of 3", "人民币", 1),
    # 单位 with a space in it (a second review found them read as x1), Units:
    ("单 位：万元", "人民币", 1e4), ("单\u3000位：万元", "人民币", 1e4),
    ("Units: RMB 10,000", "人民币", 1e4),
    # the value's unit, then the quantity's, a product, a place, a count or a note: a second
    # review found each refused for the 千 of 千克, 万向节, 千里达, 万宁市 or the 10,000 of a count
    ("金额单位：元 计量单位：千克", "人民币", 1), ("单位：元　计量单位：千克", "人民币", 1),
    ("单位：元,计量单位：千克", "人民币", 1), ("单位:元 数量单位:千克", "人民币", 1),
    ("单位：美元，数量单位：千克", "美元", 1), ("单位：万元；计量单位：千克", "人民币", 1e4),
    ("单位：美元、千克", "美元", 1), ("单位：万元、千克", "人民币", 1e4),  # listed with 、
    ("金额单位：人民币元   数量单位：万件", "人民币", 1),
    ("Value unit: US dollar; Quantity unit: thousand pieces", "美元", 1),
    ("Unit: USD; Quantity: 1,000 kg", "美元", 1),
    ("单位：元 商品：万向节", "人民币", 1), ("单位：元 贸易伙伴：千里达和多巴哥", "人民币", 1),
    ("单位：元 地区：万宁市", "人民币", 1),
    ("单位：人民币元 商品编码：85023100 千瓦以上风力发电机组", "人民币", 1),
    ("单位：元 共1,000条", "人民币", 1), ("单位：元 第1页/共10,000条", "人民币", 1),
    ("单位：元 注：不含1万元以下", "人民币", 1), ("Unit: USD, 10,000 rows max", "美元", 1),
    ("Unit: USD, Source: GACC, 1,000 records", "美元", 1),
    # thresholds and amounts in a title are no unit (a third review found them refused)
    ("出口额百万美元以上的商品 单位：美元", "美元", 1),
    ("出口额超过千万美元的商品 单位：美元", "美元", 1),
    ("出口额亿元以上企业 单位：元", "人民币", 1),
    ("单位：元 注：仅列出金额在百万元以上的商品", "人民币", 1),
    ("单位：美元 合计约1.5万亿美元", "美元", 1), ("单位：美金（千）", "美元", 1e3),
    ("单位：百万美元", "美元", 1e6),
    # traditional characters, full-width digits and signs, a unit in square brackets
    ("單位：萬元", "人民币", 1e4), ("单位：１，０００美元", "美元", 1e3),
    ("【单位：万元】", "人民币", 1e4), ("［单位：千美元］", "美元", 1e3),
    # a fifth review: units the fourth round's broader rule refused, and words in other senses
    ("Unit: USD k", "美元", 1e3), ("Unit: kUSD", "美元", 1e3), ("Unit: US$000", "美元", 1e3),
    ("Unit: US$ '000", "美元", 1e3), ("Unit: USD 000", "美元", 1e3),
    ("Partner: MN (Mongolia)", "美元", 1), ("Total: 10 000 rows", "美元", 1),
    ("Filter: value over USD 1 million", "美元", 1), ("单位：千克", "人民币", 1),
    ("Quantity unit: thousand", "人民币", 1), ("Unit: USD '000", "美元", 1e3),
    ("Unit: $'000", "美元", 1e3)])
def test_titles_with_other_numbers_still_read(tmp_path: Path, title: str, column: str,
                                              factor: float) -> None:
    """Years, months and page numbers in a title are no multiplier: these titles still apply."""
    ingest([_titled(tmp_path, title, column)], tmp_path / "out", progress=False)
    field = "value_usd" if column == "美元" else "value_cny"
    assert read_table(tmp_path / "out")[field].iloc[0] == 1_000 * factor


def test_a_unit_in_the_header_outranks_an_unread_title(tmp_path: Path) -> None:
    """The title's unit applies only to value columns without one: a header that states its
    unit is read by it where the title says the same."""
    ingest([_titled(tmp_path, "单位：人民币 万元", "人民币(万元)")], tmp_path / "out",
           progress=False)
    assert read_table(tmp_path / "out")["value_cny"].iloc[0] == 10_000_000


GOOD = [[*WIND, "10", "一般贸易", "1,000"], [*WIND, "14", "来料加工装配贸易", "500"]]


@pytest.mark.parametrize("label", ["合计 ：", "合  计", "Total :", "Subtotal：", "TOTAL：",
                                   "全部合计", "总计（美元）", "小计(所有贸易方式)", "*小计",
                                   "总额", "共计"])
@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_subtotal_in_the_regime_column_is_refused_not_summed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str, encoding: str) -> None:
    """A subtotal row with an empty regime code and its label in 贸易方式名称 (the rest filled
    in) doubled the total: it is refused at its line now, naming the label."""
    path = write(tmp_path, "export-202001.csv", BY_REGIME,
                 [*GOOD, [*WIND, "", label, "1,500"]], encoding=encoding)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:4:" in line and repr(label) in line
    assert "customs_regimes.csv" in line and "delete it" in line


@pytest.mark.parametrize("label", ["所有贸易方式", "合计 ：", "Total :"])
def test_a_subtotal_in_a_regime_name_only_download_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str) -> None:
    rows = [[*WIND, "一般贸易", "1,000"], [*WIND, "来料加工装配贸易", "500"],
            [*WIND, label, "1,500"]]
    path = write(tmp_path, "export-202001.csv", BY_REGIME_NAME, rows, encoding="gbk")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and f"{path}:4:" in one_error_line(err)


def test_an_unknown_regime_code_is_refused(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "export-202001.csv", BY_REGIME, [*GOOD, [*WIND, "98", "x", "7"]])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and f"{path}:4:" in one_error_line(err) and "'98'" in err


def test_known_regimes_and_english_names_are_kept(tmp_path: Path) -> None:
    """Regimes in the code list (by code, or by Chinese name only) and English regime names
    beside their code read as before; the known 小计 is still dropped, not refused."""
    by_code = write(tmp_path / "a", "export-202001.csv", BY_REGIME,
                    [*GOOD, [*WIND, "", "小计", "1,500"]])
    by_name = write(tmp_path / "b", "export-202002.csv", BY_REGIME_NAME,
                    [["202002", *WIND[1:], "一般贸易", "3"]])
    english = write(tmp_path / "c", "export-202003.csv", BY_REGIME,
                    [["202003", *WIND[1:], "10", "General trade", "4"]])
    ingest([by_code, by_name, english], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out").sort_values(["period", "regime_code"])
    assert table["value_usd"].tolist() == [1_000, 500, 3, 4]
    assert table["regime_code"].tolist() == ["10", "14", "10", "10"]


@pytest.mark.parametrize("label", ["-", "--", "*", "N/A", "0", "99", "All", "ALL", "Sum",
                                   "All customs regimes", "Overall"])
@pytest.mark.parametrize("header", [BY_REGIME_NAME, BY_REGIME])
def test_ascii_text_in_the_regime_column_is_refused_not_summed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str,
        header: list[str]) -> None:
    """A second review found any ASCII text without a code kept as an "English regime": a
    subtotal written '-' or 'All customs regimes' was summed in, doubling the total."""
    good = ([[*WIND, "一般贸易", "700"], [*WIND, "进料加工贸易", "500"]] if header == BY_REGIME_NAME
            else GOOD)
    blank = [""] if header == BY_REGIME else []
    path = write(tmp_path, "export-202001.csv", header,
                 [*good, [*WIND, *blank, label, "1,200"]], encoding="gbk")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:4:" in line and repr(label) in line, line
    assert not (tmp_path / "out").exists()


def test_an_english_regime_name_without_its_code_is_refused_saying_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'General trade' without a code cannot be checked, and would not meet 一般贸易 (10) of the
    same trade from the Chinese site: the two were kept as two regimes, counted twice."""
    chinese = write(tmp_path / "in", "export-cn-202001.csv", BY_REGIME_NAME,
                    [[*WIND, "一般贸易", "700"]], encoding="gbk")
    english = write(tmp_path / "in", "export-en-202001.csv",
                    ["Date of data", "Commodity code", "Commodity", "Trading partner code",
                     "Trading partner", "Customs Regime", "US dollar"],
                    [["202001", "85023100", "Wind", "502", "United States", "General trade",
                      "700"]])
    status, _, err = cli(capsys, str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{english}:2:" in line and "'General trade'" in line, line
    assert "Customs Regime code" in line
    assert ingest([chinese], tmp_path / "cn", progress=False).rows == 1


@pytest.mark.parametrize(("name", "code"), [
    ("国家间，国际组织无偿援助和赠送的物资", "11"), ("国家间,国际组织无偿援助和赠送的物资", "11"),
    ("国家间/国际组织无偿援助和赠送的物资", "11"), ("外商投资企业作为投资进口的设备，物品", "25"),
    ("海关特殊监管区域物流货物", "34"), ("海关特殊监管区域进口设备", "35"), ("一般 贸易", "10")])
def test_regime_names_written_with_other_separators_are_the_lists(
        tmp_path: Path, name: str, code: str) -> None:
    """The long names are written with 、 in the code list and with ，/,// in some downloads;
    the platform names 34 and 35 with a leading 海关. Each is the list's regime, by its code."""
    path = write(tmp_path, "export-202001.csv", BY_REGIME_NAME, [[*WIND, name, "700"]],
                 encoding="gbk")
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["regime_code"].tolist() == [code]


def test_every_regime_of_the_list_reads_by_name_alone(tmp_path: Path) -> None:
    from helpers.ingest import codes

    regimes = codes.regime_table()
    rows = [[*WIND, name, "1"] for name in regimes["regime_name_zh"]]
    ingest([write(tmp_path, "export-202001.csv", BY_REGIME_NAME, rows, encoding="gbk")],
           tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert sorted(table["regime_code"]) == sorted(regimes["regime_code"])


@pytest.mark.parametrize("lines", [["单位：", "万元"], ["金额单位：", "（万元）"],
                                   ["出口商品统计表", "（人民币万元）"], ["Unit:", "USD thousand"]])
def test_a_unit_on_the_line_below_its_label_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str]) -> None:
    """A title whose unit stands on the line below its label was read as x1."""
    path = tmp_path / "export-202010.csv"
    path.write_bytes("".join(f"{line}\r\n" for line in lines).encode("gb18030")
                     + csv_bytes([*WAN_YUAN[:-1], "人民币" if "元" in lines[-1] else "美元"],
                                 [row("202010", "1,000")], encoding="gb18030"))
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:2:" in line and "cannot be read safely" in line, line


@pytest.mark.parametrize(("cells", "factor"), [
    (["单位：", "千美元"], 1e3), (["单位", "千美元"], 1e3), (["Unit", "USD 1,000"], 1e3),
    (["Unit:", "USD thousand"], 1e3), (["单位：美元", "计量单位：千克"], 1),
    (["金额单位：", "千美元", "计量单位：", "千克"], 1e3)])
def test_a_unit_split_into_two_workbook_cells_reads(tmp_path: Path, cells: list[str],
                                                    factor: float) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(cells)
    sheet.append([*WAN_YUAN[:-1], "美元"])
    sheet.append(row("202010", "1,000"))
    path = tmp_path / "export-202010.xlsx"
    book.save(path)
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_usd"].iloc[0] == 1_000 * factor


def test_codes_written_with_decimal_zeros_are_codes(tmp_path: Path) -> None:
    """A re-saved download writes codes as 10.00 or 502.00: the regime and partner they are."""
    path = write(tmp_path, "export-202001.csv", [*BY_REGIME[:5], "贸易方式编码", "美元"],
                 [["202001", "85023100.00", "风力发电机组", "502.00", "美国", "10.00", "7"]])
    ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert table[["hs_code", "partner_code", "regime_code"]].values.tolist() == [
        ["85023100", "502", "10"]]


@pytest.mark.parametrize(("code", "name"), [
    ("10", "进料加工贸易"), ("15", "一般贸易"), ("14", "一般 贸易"),
    ("34", "海关特殊监管区域进口设备")])
@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_regime_code_beside_another_regimes_name_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], code: str, name: str,
        encoding: str) -> None:
    """A row `10,进料加工贸易` (columns shifted, or edited by hand) was kept as 10 without a sign:
    whether the trade is general trade or processing with imported materials cannot be told."""
    path = write(tmp_path, "export-202001.csv", BY_REGIME,
                 [*GOOD, [*WIND, code, name, "300"]], encoding=encoding)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:4:" in line, line
    assert repr(code) in line and repr(name) in line and "two different regimes" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["一般 贸易", "General trade", "一般贸易（10）", "一般貿易", ""])
def test_a_regime_code_beside_its_own_name_in_another_spelling_reads(
        tmp_path: Path, name: str) -> None:
    """Only a name that is another regime of the list is a contradiction: the code's own name
    spelt otherwise, an English name or a name the list lacks is read by the code, as before."""
    path = write(tmp_path, "export-202001.csv", BY_REGIME, [[*WIND, "10", name, "300"]],
                 encoding="utf-8")
    ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert table["regime_code"].tolist() == ["10"] and table["value_usd"].tolist() == [300]
