"""What a title's dates and a name's numbers say of the period, and HS codes cut short (a
review, session 14): an annual file titled 数据更新至2020年10月 or downloaded on 2020-10-05 was
filed as the whole year 2020 (ten months beside twelve would look like a fall); a name such
as export_2020_1-6.csv was filed as the year `--period 2020` gave; a code of five digits cut
from 2917 (29171) was read as 029171, a product of chapter 02 that does not exist.

Hand-written downloads in the platform's layouts: GBK CSV with the platform's title line,
UTF-8 CSV, and a workbook whose code column Excel holds as numbers.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pytest
from conftest import csv_bytes, read_table
from downloads import NATIONAL, WAN_YUAN, cli, one_error_line, row, write

ANNUAL = ["商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "注册地编码", "注册地名称",
          "美元"]
ANNUAL_ROW = ["85023100", "风力发电机组", "502", "美国", "65", "新疆", "1,000"]


def _titled(folder: Path, name: str, title: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"{title}\r\n".encode("gbk") + csv_bytes(ANNUAL, [ANNUAL_ROW],
                                                             encoding="gbk"))
    return path


@pytest.mark.parametrize(("title", "said"), [
    ("2020年新疆出口 数据更新至2020年10月", "更新至2020年10月"),
    ("数据统计至2020年10月", "统计至2020年10月"), ("数据截止到2020年10月", "数据截止到2020年10月"),
    ("2020年 更新至10月", "更新至10月"), ("Xinjiang exports 2020 (data updated to October 2020)",
                                     "updated to October 2020"),
    ("Exports through Oct 2020", "through Oct 2020")])
def test_a_title_saying_the_data_run_to_a_month_short_of_december_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, said: str) -> None:
    path = _titled(tmp_path, "新疆出口_2020.csv", title)
    for given in ((), ("--period", "2020")):
        status, _, err = cli(capsys, str(path), *given, "--out", str(tmp_path / "out"))
        line = one_error_line(err)
        assert status == 2 and f"{path}:1:" in line, line
        assert f"part of a year ({said!r}" in line, line
        assert "part of a year cannot be filed as one period" in line and "数据年月" in line
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("title", "taken"), [
    ("2020年新疆出口 数据更新时间：2020年10月5日", "更新时间：2020年10月5日"),
    ("2020年 新疆出口 导出时间：2020-10-05 10:22", "导出时间：2020-10-05 10:22"),
    ("Xinjiang exports 2020, downloaded 2020/10/05", "downloaded 2020/10/05"),
    ("Xinjiang exports 2020 (October 5, 2020)", "October 5, 2020")])
def test_a_title_dated_inside_the_year_filed_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, taken: str) -> None:
    """Figures downloaded or updated on 5 October 2020 cannot hold that year's November and
    December; the same title dated in January 2021 reads (tests of release dates beside)."""
    path = _titled(tmp_path / "a", "新疆出口_2020.csv", title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:1:" in line, line
    taken = unicodedata.normalize("NFKC", taken)  # messages quote the title as read
    assert f"a date inside 2020 ({taken!r}" in line and "part of a year" in line, line
    later = _titled(tmp_path / "b", "新疆出口_2020.csv",
                    title.replace("2020年10月5日", "2021年1月20日").replace(
                        "2020-10-05", "2021-01-20").replace("2020/10/05", "2021/01/20").replace(
                        "October 5, 2020", "January 20, 2021"))
    status, _, err = cli(capsys, str(later), "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert set(read_table(tmp_path / "out")["period"]) == {"2020"}


@pytest.mark.parametrize("title", ["数据截至2020年12月31日", "数据更新至2020年12月",
                                   "2020年新疆出口 导出时间：2021年1月"])
def test_a_title_running_to_december_or_taken_after_the_year_reads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = _titled(tmp_path, "新疆出口_2020.csv", title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 0, err


@pytest.mark.parametrize("name", ["export_2020_1-6.csv", "新疆出口2020 1至6.csv",
                                  "export-2020-1-6.csv"])
def test_a_name_with_a_range_of_months_after_its_year_is_refused_with_period(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """`export_2020_1-6.csv --period 2020` filed January to June as the year 2020."""
    path = write(tmp_path, name, ANNUAL, [ANNUAL_ROW], encoding="gbk")
    for given in (("--period", "2020"), ()):
        status, _, err = cli(capsys, str(path), *given, "--out", str(tmp_path / "out"))
        line = one_error_line(err)
        assert status == 2 and "a range of months beside the year" in line, line
        assert "export_2020.csv" in line and not (tmp_path / "out").exists()
    whole = write(tmp_path / "w", "export_2020_1-12.csv", ANNUAL, [ANNUAL_ROW])
    status, _, err = cli(capsys, str(whole), "--period", "2020", "--out", str(tmp_path / "o2"))
    assert status == 0, err


@pytest.mark.parametrize(("code", "heading"), [
    ("29171", "subheading 029171"), ("8502310", "subheading 085023"), ("851", "heading 0851"),
    # cut from chapters 90, 40, 71, 21, 81: their first six digits put back name no
    # subheading, though their headings (0901 coffee, 0401 milk, 0710 vegetables) exist
    ("9018909", "subheading 090189"), ("4011100", "subheading 040111"),
    ("7108120", "subheading 071081"), ("2106909", "subheading 021069"),
    ("8101940", "subheading 081019"), ("90189", "subheading 090189")])
def test_an_hs_code_cut_short_is_refused_not_filed_under_chapter_0x(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], code: str, heading: str) -> None:
    rows = [row("202010", "5"), row("202010", "7", hs=code)]
    path = write(tmp_path, "export-2020.csv", WAN_YUAN, rows, encoding="gbk")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:3:" in line, line
    assert f"HS code {code!r}" in line and f"no {heading}" in line, line
    assert not (tmp_path / "out").exists()


def test_codes_that_lost_their_leading_zero_in_excel_read_with_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A workbook holding the codes as numbers (Excel drops the zero of 090111, coffee) and a
    CSV saved from it: the codes read as 2, 4, 6 and 8 digits of chapters 01-09."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["海关统计数据在线查询平台"])
    sheet.append(NATIONAL)
    # 3051000: subheading 030510 of the 2017 edition (gone in 2022); 8052000: 080520 of 2012
    # (mandarins, gone in 2017); 1011000: 010110 of 2007: in the shipped list
    codes = [90111, 1012100, 307, 7, 3051000, 8052000, 1011000]
    for code in codes:
        sheet.append(["202010", code, "咖啡", "502", "美国", 1, "千克", 100])
    book.save(tmp_path / "export-2020-10.xlsx")
    write(tmp_path / "csv", "export-2020-11.csv", NATIONAL,
          [["202011", str(c), "咖啡", "502", "美国", "1", "千克", "100"] for c in codes])
    for source, out in ((tmp_path / "export-2020-10.xlsx", "o1"), (tmp_path / "csv", "o2")):
        status, _, err = cli(capsys, str(source), "--out", str(tmp_path / out))
        assert status == 0, err
        assert sorted(read_table(tmp_path / out)["hs_code"]) == [
            "01011000", "01012100", "03051000", "0307", "07", "08052000", "090111"], out


def test_a_cut_code_naming_a_real_product_is_refused_where_other_codes_keep_their_zero(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """2011000 cut from 20011000 (vegetables in vinegar) names 02011000 (beef) once a zero is
    put back; the file's 08061000 (grapes) kept its zero, so no spreadsheet stripped them."""
    rows = [row("202010", "5", hs="08061000"), row("202010", "7", hs="2011000")]
    path = write(tmp_path, "export-2020.csv", WAN_YUAN, rows, encoding="gbk")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:3:" in line, line
    assert "HS code '2011000'" in line and "keep their leading zero (08061000)" in line, line
    alone = write(tmp_path / "b", "export-2020.csv", WAN_YUAN, [row("202010", "7", hs="2011000"),
                                                             row("202010", "5", hs="8061000")])
    status, _, err = cli(capsys, str(alone), "--out", str(tmp_path / "o2"))
    assert status == 0, err  # every zero lost alike: read as 02011000 and 08061000
    assert sorted(read_table(tmp_path / "o2")["hs_code"]) == ["02011000", "08061000"]
