"""Columns that contradict each other: a field in two columns (当月 and 累计 dollars side by side,
a code column twice) and a code beside another entry's name (columns shifted by hand). Each
was read without a word: the first of two columns won, and the code won over the name."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read_table
from downloads import cli, one_error_line, write, write_xlsx

from helpers.ingest import ingest

HEADER = ["数据年月", "商品编码", "贸易伙伴编码", "贸易伙伴名称", "注册地编码", "注册地名称",
          "美元"]


def _refused(capsys: pytest.CaptureFixture[str], path: Path, out: Path) -> str:
    status, _, err = cli(capsys, str(path), "--out", str(out))
    line = one_error_line(err)
    assert status == 2, line
    assert not out.exists() or not any(out.rglob("*.parquet")), "nothing is written"
    return line


def test_month_and_cumulative_dollars_side_by_side_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Under a row 累计 / 当月 the first 美元 column, the year so far, was summed as months."""
    path = tmp_path / "export.csv"
    path.write_text(",,,,累计,当月\n数据年月,商品编码,贸易伙伴编码,注册地编码,美元,美元\n"
                    "202001,85023100,502,65,1000,1000\n202002,85023100,502,65,3000,2000\n",
                    encoding="gbk")
    line = _refused(capsys, path, tmp_path / "out")
    assert f"{path}:2:" in line and "'美元' and '美元'" in line and "累计" in line, line


def test_two_value_columns_of_one_currency_in_a_workbook_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_xlsx(tmp_path, "export.xlsx", ["数据年月", "商品编码", "贸易伙伴编码",
                                                "人民币(万元)", "人民币"],
                      [["202001", "85023100", "502", 1.5, 15000]])
    line = _refused(capsys, path, tmp_path / "out")
    assert "'人民币(万元)' and '人民币'" in line, line


def test_a_code_column_twice_is_refused(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Two 商品编码 columns (two products' rows merged side by side): the second was lost."""
    header = ["数据年月", "商品编码", "商品编码", "贸易伙伴编码", "美元"]
    path = write(tmp_path, "export.csv", header, [["202001", "85023100", "95051000", "502", "1"]])
    line = _refused(capsys, path, tmp_path / "out")
    assert "'商品编码' and '商品编码'" in line and "hs_code" in line, line


@pytest.mark.parametrize(("partner", "place", "said"), [
    (("304", "美国"), ("65", "新疆"), "partner code '304' and name '美国'"),
    (("502", "德国"), ("65", "新疆"), "partner code '502' and name '德国'"),
    (("502", "Germany"), ("65", "新疆"), "'Germany' is partner 304"),
    (("502", "美国"), ("65", "广东省"), "'广东省' is place 44"),
    (("502", "美国"), ("44", "新疆"), "place code '44' and name '新疆'"),
])
def test_a_code_beside_another_entrys_name_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], partner: tuple[str, str],
        place: tuple[str, str], said: str) -> None:
    path = write(tmp_path, "export.csv", HEADER,
                 [["202001", "85023100", "502", "美国", "65", "新疆", "5"],
                  ["202002", "85023100", *partner, *place, "1,000"]], encoding="gbk")
    line = _refused(capsys, path, tmp_path / "out")
    assert f"{path}:3:" in line and said in line and "two different" in line, line


def test_a_city_code_beside_a_provinces_name_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = [*HEADER[:4], "境内货源地编码", "境内货源地名称", "美元"]
    path = write(tmp_path, "export.csv", header,
                 [["202001", "85023100", "502", "美国", "65011", "广东省", "5"]])
    line = _refused(capsys, path, tmp_path / "out")
    assert "place code '65011' and name '广东省'" in line, line


@pytest.mark.parametrize(("partner", "place"), [
    (("502", "美国"), ("65", "新疆维吾尔自治区")),
    (("502", "United States"), ("65", "Xinjiang")),
    (("502", "美利坚合众国"), ("65", "新疆")),  # a spelling the list lacks: no conflict
    (("502", "美国"), ("65", "")),  # the name left blank, the code given
])
def test_a_code_with_its_own_name_or_an_unlisted_spelling_reads(
        tmp_path: Path, partner: tuple[str, str], place: tuple[str, str]) -> None:
    path = write(tmp_path, "export.csv", HEADER,
                 [["202001", "85023100", *partner, *place, "1,000"]])
    ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert table[["partner_iso3", "province_code", "value_usd"]].values.tolist() == [
        ["USA", "65", 1000.0]]


def test_a_city_by_code_and_its_own_name_reads(tmp_path: Path) -> None:
    header = [*HEADER[:4], "境内货源地编码", "境内货源地名称", "美元"]
    path = write(tmp_path, "export.csv", header,
                 [["202001", "85023100", "502", "美国", "65011", "乌鲁木齐", "7"]])
    ingest([path], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["place"].tolist() == ["65011"]


def test_a_second_unit_column_named_as_the_first_is_told_to_be_renamed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Quantity, Unit, Quantity, Unit: the second pair is the supplementary one; deleting it
    ("keep one") would lose it."""
    path = write(tmp_path, "export.csv", ["Date of data", "Commodity code", "Trading partner code",
                                          "Quantity", "Unit", "Quantity", "Unit", "US dollar"],
                 [["202001", "85023100", "502", "1", "台", "2", "千克", "10"]])
    line = _refused(capsys, path, tmp_path / "out")
    assert "第二数量" in line and "Supplementary" in line, line
