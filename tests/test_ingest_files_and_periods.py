"""Which files of a folder are read, and what a name or title says of the period (a review):
spreadsheets ingest cannot read were skipped without a word (a page lost from every total),
a title saying part of a year (2020年1-10月) or another year was ignored, a name saying part of
a year was filed as the year given by --period, a wide table of month columns was read from
its total column alone, and a monthly download titled 累计 was read as each month's own."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import csv_bytes, read_table
from downloads import WAN_YUAN, cli, one_error_line, row, write

#: An annual download by registration place in dollars: no 数据年月 column.
ANNUAL = ["商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "注册地编码", "注册地名称",
          "美元"]
ANNUAL_ROW = ["85023100", "风力发电机组", "502", "美国", "65", "新疆", "1,000"]


def _titled(folder: Path, name: str, title: str, header: list[str] | None = None,
            rows: list[list[str]] | None = None) -> Path:
    """A GBK download with one title line above its header, as the platform writes it."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"{title}\r\n".encode("gbk") + csv_bytes(
        header or ANNUAL, rows or [ANNUAL_ROW], encoding="gbk"))
    return path


def _xlsm(path: Path, partner: str) -> Path:
    """A macro-enabled workbook as Excel saves one: the workbook's content type says so and
    a VBA project sits beside the sheets."""
    import openpyxl

    plain = path.with_suffix(".tmp.xlsx")
    book = openpyxl.Workbook()
    book.active.append(WAN_YUAN)
    book.active.append(row("202010", "7", partner=partner))
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main")
                assert b"macroEnabled" in data
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(60))
    plain.unlink()
    return path


def _pages(folder: Path) -> None:
    write(folder, "export_p1.csv", WAN_YUAN, [row("202010", "5", partner="502")])
    write(folder, "export_p2.CSV", WAN_YUAN, [row("202010", "5", partner="304")])


@pytest.mark.parametrize(("name", "content"), [
    ("export_p3.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),  # a real Excel 97 file
    ("export_p3.xls", csv_bytes(WAN_YUAN, [row("202010", "5", partner="116")])),
    ("export_p3.XLSB", b"PK\x03\x04" + bytes(60)), ("export_p3.ods", b"PK\x03\x04" + bytes(60)),
    ("export_p3.et", b"\xd0\xcf\x11\xe0" + bytes(60)), ("export_p3.numbers", b"PK\x03\x04")])
def test_a_spreadsheet_ingest_cannot_read_is_refused_not_skipped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes) -> None:
    folder = tmp_path / "in"
    _pages(folder)
    (folder / name).write_bytes(content)
    _xlsm(folder / "export_p4.xlsm", "116")
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{folder / name}:" in line and "save it as .xlsx or as CSV UTF-8" \
        in line, line
    assert not (tmp_path / "out").exists()
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / name).write_bytes(content)
    status, _, err = cli(capsys, str(alone), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{alone / name}:" in line and "holds no" not in line, line
    status, _, err = cli(capsys, str(alone / name), "--flow", "export", "--out",
                         str(tmp_path / "out"))
    assert status == 2 and "save it as .xlsx or as CSV UTF-8" in one_error_line(err)


def test_an_apple_numbers_package_folder_is_refused(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    _pages(folder)
    package = folder / "export_p3.numbers"
    (package / "Data").mkdir(parents=True)
    (package / "Index.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / "out"))
    assert status == 2 and f"{package}:" in one_error_line(err), err


def test_a_macro_enabled_workbook_in_a_folder_is_read(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    _pages(folder)
    _xlsm(folder / "export_p4.xlsm", "116")
    status, out, err = cli(capsys, str(folder), "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert "ingested 3 file(s)" in out and "warning" not in out, out
    assert sorted(read_table(tmp_path / "out")["partner_code"]) == ["116", "304", "502"]


def test_files_skipped_in_a_folder_are_named_in_one_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    _pages(folder)
    for quiet in ("README.md", "readme.txt", "LICENSE", "notes.md", ".DS_Store", "~$export.xlsx",
                  ".hidden/export_p9.txt"):
        (folder / quiet).parent.mkdir(parents=True, exist_ok=True)
        (folder / quiet).write_text("x")
    status, out, err = cli(capsys, str(folder), "--out", str(tmp_path / "quiet"))
    assert status == 0 and "warning" not in out, out + err
    (folder / "export_p3.txt").write_text("x")
    (folder / "sub").mkdir()
    (folder / "sub" / "query.json").write_text("{}")
    for target in ("loud", "loud"):  # the second run reads nothing and still says so
        status, out, err = cli(capsys, str(folder), "--out", str(tmp_path / target))
        warnings = [w for w in out.splitlines() if "warning:" in w]
        assert status == 0 and len(warnings) == 1, out + err
        assert "in/export_p3.txt, in/sub/query.json" in warnings[0], warnings
        assert "README" not in warnings[0] and "LICENSE" not in warnings[0], warnings
    (folder / "export_p3.txt").unlink()
    status, out, _ = cli(capsys, str(folder), "--out", str(tmp_path / "loud"))
    assert status == 0 and "export_p3.txt" not in out and "in/sub/query.json" in out, out


PART_OF_YEAR_TITLES = [
    "2020年1-10月 新疆出口 (按注册地)", "2020年1至10月 新疆出口", "2020年一至十月 新疆出口",
    "2020年1月-10月", "2020年Q1 新疆出口", "2020年第一季度", "2020年上半年 新疆出口",
    "Xinjiang exports H1 2020", "Exports Jan-Oct 2020", "Exports, January-October 2020",
    "2020年累计至10月", "2020年 截至10月", "Exports 2020, year to date", "2020年前10个月"]


@pytest.mark.parametrize("title", PART_OF_YEAR_TITLES)
def test_a_title_that_says_part_of_a_year_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    path = _titled(tmp_path, "新疆出口_2020.csv", title)
    for period in ((), ("--period", "2020")):
        status, _, err = cli(capsys, str(path), *period, "--out", str(tmp_path / "out"))
        line = one_error_line(err)
        assert status == 2 and f"{path}:1:" in line, line
        assert "part of a year cannot be filed as one period" in line and "数据年月" in line
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("title", "name", "period", "says"), [
    ("2019年 新疆出口 (按注册地)", "新疆出口_2020.csv", None, "2019"),
    ("2020年10月 新疆出口", "新疆出口_2020.csv", None, "2020-10"),
    ("Xinjiang exports 2019", "export.csv", "2020", "2019"),
    ("2020年 新疆出口", "export_202010.csv", None, "2020")])
def test_a_title_naming_another_period_than_the_name_or_option_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, name: str,
        period: str | None, says: str) -> None:
    path = _titled(tmp_path, name, title)
    given = ("--period", period) if period else ()
    status, _, err = cli(capsys, str(path), *given, "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    filed = period or name.split("_")[-1][:-4]
    filed = f"{filed[:4]}-{filed[4:]}" if len(filed) == 6 else filed
    assert status == 2 and f"{path}:1:" in line, line
    assert f"says {says} " in line and f"says {filed}" in line, line


@pytest.mark.parametrize("title", [
    "2020年 新疆出口 (按注册地)", "2020年1-12月 新疆出口", "2020年新疆出口（与2019年同比）",
    "2020年新疆出口，比2019年增长5%", "Xinjiang exports 2020, compared with 2019",
    "2020年 新疆出口 导出时间：2021-01-05 10:22", "2020年 HS 2017 版 出口额2000万美元以上",
    "2020年1-12月累计"])
def test_a_title_is_read_for_its_period_not_for_years_in_another_sense(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    """Comparisons, dates with their day, editions and amounts are no period: the title is
    read by the year it files, and the same title for another year is refused."""
    path = _titled(tmp_path / "a", "新疆出口_2020.csv", title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert set(read_table(tmp_path / "out")["period"]) == {"2020"}
    other = _titled(tmp_path / "b", "新疆出口_2020.csv", title.replace("2020", "2018", 1))
    status, _, err = cli(capsys, str(other), "--out", str(tmp_path / "out2"))
    assert status == 2 and "says 2018" in one_error_line(err), err


@pytest.mark.parametrize(("title", "fine"), [
    ("2020年1-10月累计 新疆出口", "2020年1-10月 新疆出口"),
    ("Xinjiang exports, cumulative", "Xinjiang exports, monthly"),
    ("Exports year-to-date", "本表为当月值，非累计"),
    (",,,,,,,,,累计", ",,,,,,,,,当月")])  # a super-header above the value column
def test_a_monthly_download_titled_cumulative_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, fine: str) -> None:
    rows = [row("202009", "5"), row("202010", "9")]
    path = _titled(tmp_path / "a", "export-2020.csv", title, WAN_YUAN, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:1:" in line and "cumulative" in line, line
    path = _titled(tmp_path / "b", "export-2020.csv", fine, WAN_YUAN, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 0, err


@pytest.mark.parametrize("name", [
    "新疆出口2020年1-10月.csv", "export_2020Q1.csv", "export-2020-H1.csv", "出口2020年上半年.csv",
    "export_2020_jan-jun.csv", "export_202001-06.csv", "出口2020年1月至6月.csv"])
def test_a_name_that_says_part_of_a_year_is_refused_whatever_period_says(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = write(tmp_path, name, ANNUAL, [ANNUAL_ROW])
    for given in (("--period", "2020"), ("--period", "2020-06"), ()):
        status, _, err = cli(capsys, str(path), *given, "--out", str(tmp_path / "out"))
        line = one_error_line(err)
        assert status == 2 and "part of a year cannot be filed as one period" in line, line
        assert "by month (数据年月" in line and "--period 20" not in line, line
    monthly = write(tmp_path / "m", name, WAN_YUAN, [row("202001", "5"), row("202006", "5")])
    status, _, err = cli(capsys, str(monthly), "--out", str(tmp_path / "out"))
    assert status == 0, err  # a query by month over those months is fine


@pytest.mark.parametrize("months", [["一月", "二月", "三月"], ["1月", "2月", "3月"],
                                    ["Jan", "Feb", "Mar"], ["January", "February", "March"]])
def test_a_header_with_columns_named_for_months_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], months: list[str]) -> None:
    header = ["商品编码", "贸易伙伴编码", *months, "美元"]
    path = write(tmp_path, "export_2020.csv", header, [["85023100", "502", "1", "2", "3", "6"]])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:1:" in line and months[0] in line, line
    assert "数据年月 as a column" in line and not (tmp_path / "out").exists()


@pytest.mark.parametrize("title", [
    "2020年数据（2021年1月公布）", "（2021年1月发布）", "数据截至2021年1月20日",
    "Data as of January 20, 2021", "Source: GACC (January 2021 release)", "2020年（2021年修订）",
    "查询时间：2021年1月", "2020年（上年同期：2019年）", "统计时间：2020/1-2020/12",
    "统计时间：2020.1-2020.12", "Exports, 01/2020-12/2020", "2020年 HS-2017",
    "2020年12月累计", "新疆出口 2020年1-12月累计", "Exports 2020, Dec YTD"])
def test_release_dates_and_whole_year_ranges_in_a_title_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    """Found on real-layout files: when the data were published or taken (the verb after the
    date, 截至 a later date, as of January 20, 2021), a whole year written 2020/1-2020/12, and
    a running total to December were refused as another period or part of a year."""
    path = _titled(tmp_path, "新疆出口_2020.csv", title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert set(read_table(tmp_path / "out")["period"]) == {"2020"}


@pytest.mark.parametrize(("title", "said"), [
    ("2020年10月累计", "part of a year"), ("数据截至2020年10月31日", "part of a year"),
    ("2020年（累计）", "a running total without the month it runs to"),
    ("Exports 2020, Oct YTD", "part of a year")])
def test_a_running_total_short_of_december_or_without_its_month_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, said: str) -> None:
    path = _titled(tmp_path, "新疆出口_2020.csv", title)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and said in line, line


@pytest.mark.parametrize("title", ["（当月数，不含累计）", "本表不是累计数", "当月值（累计值另表）",
                                   "Monthly values (not year-to-date)", "Monthly, not YTD"])
def test_a_monthly_download_whose_title_denies_running_totals_reads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    rows = [row("202009", "5"), row("202010", "9")]
    path = _titled(tmp_path, "export-2020.csv", title, WAN_YUAN, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    assert status == 0, err
