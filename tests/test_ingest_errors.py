"""Every bad input gets one clear line, exit status 2, and nothing written under --out."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import CHINESE_HEADER, chinese_row, csv_bytes

from helpers.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["ingest", *args, "--quiet"])
    return status, capsys.readouterr().err


def make(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def valid_csv(rows: list[list[str]] | None = None) -> bytes:
    return csv_bytes(CHINESE_HEADER, rows if rows is not None else [chinese_row()])


def corrupt_xlsx(tmp_path: Path) -> bytes:
    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    book.active.append(CHINESE_HEADER)
    book.save(good)
    return good.read_bytes()[:600]  # cut in the middle of the zip


def merged_partner_xlsx(tmp_path: Path) -> bytes:
    """A workbook whose partner cells are merged over two rows: openpyxl, like Excel, keeps
    the value in the first row only."""
    path = tmp_path / "merged.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(CHINESE_HEADER)
    sheet.append(chinese_row())
    sheet.append(chinese_row(period="202011"))
    sheet.merge_cells("D2:D3")
    sheet.merge_cells("E2:E3")
    book.save(path)
    return path.read_bytes()


CASES = [
    # (file name, content builder, expected fragment, line)
    ("export.csv", lambda t: b"", "the file is empty", None),
    ("export.csv", lambda t: b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image, not a table",
     None),
    ("export.csv", lambda t: b"\xff\xd8\xff\xe0" + bytes(200), "JPEG image", None),
    ("export.xlsx", corrupt_xlsx, "truncated or corrupt", None),
    ("export.xlsx", lambda t: b"PK\x03\x04" + bytes(100), "truncated or corrupt", None),
    ("export.csv", lambda t: "数据年月,商品名称,贸易伙伴名称\n202010,马,美国\n".encode(),
     "missing required column(s): 商品编码", 1),
    ("export.csv", lambda t: b"name,age\nann,3\n", "no header row", 1),
    ("export.csv", lambda t: valid_csv([chinese_row(), chinese_row(value="abc", period="202011")]),
     "cannot read 'abc' in column 人民币 as a number", 3),
    ("export.csv", lambda t: valid_csv([chinese_row(value="-5")]),
     "negative number '-5' in column 人民币", 2),
    # DuckDB reads these as doubles; a customs value never is one.
    ("export.csv", lambda t: valid_csv([chinese_row(), chinese_row(value="nan")]),
     "cannot read 'nan' in column 人民币 as a number", 3),
    ("export.csv", lambda t: valid_csv([chinese_row(qty="Infinity")]),
     "cannot read 'Infinity' in column 第一数量 as a number", 2),
    ("export.csv", lambda t: valid_csv([chinese_row(value="-inf")]),
     "cannot read '-inf' in column 人民币 as a number", 2),
    ("export.csv", lambda t: valid_csv([chinese_row(), chinese_row(qty="-3", period="202011")]),
     "negative number '-3' in column 第一数量", 3),
    ("export.csv", lambda t: valid_csv([chinese_row(value="")]), "missing value in column 人民币",
     2),
    ("export.csv", lambda t: valid_csv([chinese_row(period="202013")]),
     "impossible period '202013'", 2),
    ("export.csv", lambda t: valid_csv([chinese_row(period="20x0")]), "impossible period", 2),
    ("export.csv", lambda t: valid_csv([chinese_row(), chinese_row(hs="7701", period="202011")]),
     "impossible HS code '7701'", 3),
    ("export.csv", lambda t: valid_csv([chinese_row(hs="8502310A")]), "impossible HS code", 2),
    # A subtotal line without its label: its code is empty, the rest filled in.
    ("export.csv", lambda t: valid_csv([chinese_row(), chinese_row(hs="")]),
     "empty 商品编码 on a row with other cells filled: a subtotal line", 3),
    ("export.xlsx", lambda t: merged_partner_xlsx(t),
     "merged cells (one partner or product over several rows)", 3),
    ("export.csv", lambda t: valid_csv([chinese_row(hs="8502.31.00")]),
     "HS code '8502.31.00' in column 商品编码 is written with dots", 2),
    ("export.csv", lambda t: valid_csv([chinese_row(hs="8502.31")]),
     "HS code '8502.31' in column 商品编码 is written with dots", 2),
    ("export.csv", lambda t: valid_csv([chinese_row(hs="123456789")]), "impossible HS code", 2),
    ("export.csv", lambda t: valid_csv([chinese_row(partner="999")]),
     "unknown trading partner '999'", 2),
    # An aggregate row by name only, its code blank: the message names the name's column.
    ("export.csv", lambda t: valid_csv([chinese_row(), [*chinese_row(partner="")[:4],
                                                        "全部国家(地区)", *chinese_row()[5:]]]),
     "unknown trading partner '全部国家(地区)' in column 贸易伙伴名称", 3),
    ("export.csv", lambda t: valid_csv([chinese_row(province="99")]), "unknown province '99'", 2),
    ("data.csv", lambda t: valid_csv(), "cannot tell whether this file holds exports or imports",
     None),
    ("export-and-import.csv", lambda t: valid_csv(), "imports and exports together", None),
    ("export-2020-import-2019.csv", lambda t: valid_csv(), "cannot tell whether", None),
    ("export.csv", lambda t: (",".join(CHINESE_HEADER) + "\n202010,85023100,x,502,美国,10,x,65,"
                              "x,1,台,,,56,121,645\n").encode(), "does not match the header", 2),
    # The English platform ends its header with a comma; rows that do not, with an unquoted
    # 12,345, are as wide as the header, and 345 fell into the column with no name (read: 12).
    ("export_2020.csv", lambda t: (
        b'"Date of data","Trading partner code","Trading partner","Commodity code","Commodity",'
        b'"Quantity","Unit","Supplimentary Quantity","Supplimentary Unit","US dollar",\r\n'
        b"202001,502,United States,85023100,Wind-powered generating sets,5,Set,-,-,12,345\r\n"
        ), "a cell '345' in a column with no header", 2),
    ("出口_2020.csv", lambda t: (",".join(CHINESE_HEADER) + ",\r\n"
                               "202010,85023100,风力发电机组,502,美国,10,一般贸易,65,新疆,5,台,,,"
                               "2,500\r\n").encode("gbk"), "a cell '500' in a column with no", 2),
    ("export.csv", lambda t: valid_csv() + b'"202011,85023100', "quoted field is never closed",
     None),
    ("export.csv", lambda t: valid_csv() + "202011,中".encode()[:-1] + b"\n",
     "invalid", None),
]


@pytest.mark.parametrize(("name", "build", "fragment", "line"), CASES,
                         ids=[f"{i}-{c[2][:30]}" for i, c in enumerate(CASES)])
def test_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, build,
                   fragment: str, line: int | None) -> None:
    path = make(tmp_path, name, build(tmp_path))
    before = path.read_bytes()
    out = tmp_path / "out"
    status, err = run_cli(capsys, str(path), "--out", str(out))
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {path}"), err
    assert fragment in lines[0], err
    if line is not None:
        assert lines[0].startswith(f"error: {path}:{line}: "), err
    assert "Traceback" not in err
    assert not out.exists()
    # No staging folder left; only the (empty-lock) file that serialises runs on this folder.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] in ([], [".out.lock"])
    assert path.read_bytes() == before


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run_cli(capsys, str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out"))
    assert status == 2 and "no such file or directory" in err


def test_flow_conflict_with_the_file_name(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = make(tmp_path, "import-2020.csv", valid_csv())
    status, err = run_cli(capsys, str(path), "--flow", "export", "--out", str(tmp_path / "o"))
    assert status == 2 and "the file name says import but --flow export" in err


def test_annual_file_without_any_period(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    header = [h for h in CHINESE_HEADER if h != "数据年月"]
    path = make(tmp_path, "export.csv", csv_bytes(header, [chinese_row()[1:]]))
    status, err = run_cli(capsys, str(path), "--out", str(tmp_path / "o"))
    assert status == 2 and "pass --period 2020" in err


@pytest.mark.parametrize(("name", "period", "refused"), [
    ("export_2019.csv", "2020", True), ("export_202010.csv", "2020-11", True),
    ("export_2020.csv", "2020-10", True), ("export_202010.csv", "2020", True),
    ("export_2019.csv", "2019", False), ("export_202010.csv", "2020-10", False),
    ("export.csv", "2020", False)])
def test_a_period_option_that_contradicts_the_file_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, period: str,
        refused: bool) -> None:
    header = [h for h in CHINESE_HEADER if h != "数据年月"]
    path = make(tmp_path, name, csv_bytes(header, [chinese_row()[1:]]))
    status, err = run_cli(capsys, str(path), "--period", period, "--out", str(tmp_path / "o"))
    if refused:
        assert status == 2 and f"but --period {period} was given" in err, err
    else:
        assert status == 0, err


def test_conflicting_repeats_across_files(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    make(folder, "export-a.csv", valid_csv([chinese_row(value="100")]))
    make(folder, "export-b.csv", valid_csv([chinese_row(value="200")]))
    status, err = run_cli(capsys, str(folder), "--out", str(tmp_path / "o"))
    assert status == 2 and "with different values" in err
    assert not (tmp_path / "o").exists()


def test_failed_run_keeps_the_previous_output(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    good = make(tmp_path, "export.csv", valid_csv())
    out = tmp_path / "out"
    assert main(["ingest", str(good), "--out", str(out), "--quiet"]) == 0
    manifest = (out / "manifest.json").read_bytes()
    bad = make(tmp_path, "export-bad.csv", valid_csv([chinese_row(value="x")]))
    status, _ = run_cli(capsys, str(bad), "--out", str(out))
    assert status == 2
    assert (out / "manifest.json").read_bytes() == manifest


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = make(tmp_path, "export.csv", valid_csv())
    home = tmp_path / "precious"
    home.mkdir()
    (home / "thesis.tex").write_text("keep me")
    status, err = run_cli(capsys, str(path), "--out", str(home))
    assert status == 2 and "not empty and was not written by helpers ingest" in err
    assert (home / "thesis.tex").read_text() == "keep me"


def test_command_line_prints_no_traceback(tmp_path: Path) -> None:
    path = make(tmp_path, "export.csv", b"\x89PNG\r\n\x1a\n")
    done = subprocess.run([sys.executable, "-m", "helpers", "ingest", str(path), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def test_xlsx_that_is_a_renamed_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    status, err = run_cli(capsys, str(path), "--out", str(tmp_path / "o"))
    assert status == 2 and "XLSX" in err
