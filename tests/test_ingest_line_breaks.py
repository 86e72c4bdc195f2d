"""A line break inside a cell of the title or header rows (Alt+Enter in Excel, a two-line title
in one quoted field): the scan's reader, told to skip those rows of a CRLF file, returned no
rows at all, and the file was reported as "only a header" with success. Each layout below reads
every row now, with the unit its head states."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import csv_bytes, read_table
from downloads import WAN_YUAN, cli, one_error_line, row

from helpers.ingest import ingest

RMB = [*WAN_YUAN[:-1], "人民币"]
ROWS = [row("202010", "1,000"), row("202011", "2,500"), row("202012", "500")]


def _xlsx(path: Path, head: list[list[object]], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for r in [*head, *rows]:
        book.active.append(r)
    book.save(path)
    return path


@pytest.mark.parametrize(("head", "scale"), [
    ([[*WAN_YUAN[:-1], "人民币\n(万元)"]], 10_000), ([[*WAN_YUAN[:-1], "人民币\n万元"]], 10_000),
    ([["海关统计数据\n在线查询平台"], RMB], 1),
    ([["新疆出口（2020年）\n金额单位：万元"], RMB], 10_000),
    ([["数据\n年月", *RMB[1:]]], 1),
    ([["标题"], [], [*WAN_YUAN[:-1], "人民币\r\n(万元)"]], 10_000)])
@pytest.mark.parametrize("kind", ["csv-utf-8", "csv-gbk", "xlsx"])
def test_a_line_break_in_the_head_loses_no_row(tmp_path: Path, head: list[list[str]],
                                               scale: int, kind: str) -> None:
    if kind == "xlsx":
        path = _xlsx(tmp_path / "export.xlsx", head, ROWS)
    else:
        encoding = kind.removeprefix("csv-")
        path = tmp_path / "export.csv"
        path.write_bytes(csv_bytes(head[0], [*head[1:], *ROWS], encoding=encoding))
    result = ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert result.rows == 3 and not result.warnings
    assert sorted(table["value_cny"]) == [500 * scale, 1_000 * scale, 2_500 * scale]


def test_rows_the_reader_does_not_see_are_an_error_not_an_empty_query(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever makes the scan see no rows where the file has some (the line-break case above
    was one), the file is refused: "only a header" is said only of a file with no rows."""
    from helpers.errors import InputError
    from helpers.ingest import scan

    seen = scan.scan_sql
    monkeypatch.setattr(scan, "scan_sql", lambda f: f"(SELECT * FROM {seen(f)} WHERE false)")
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(RMB, ROWS))
    with pytest.raises(InputError, match="rows below the header could not be read"):
        ingest([path], tmp_path / "out", progress=False)
    header_only = tmp_path / "empty" / "export.csv"
    header_only.parent.mkdir()
    header_only.write_bytes(csv_bytes(RMB, [["", "", ""]]))
    result = ingest([header_only], tmp_path / "out2", progress=False)
    assert result.rows == 0 and "only a header" in " ".join(result.warnings)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_file_mixing_line_endings_is_told_so_not_to_download_again(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    """Pages with CRLF and LF joined into one: DuckDB's reader reported an open quote, and the
    message said to download again, which cannot help."""
    path = tmp_path / "export.csv"
    path.write_bytes(("数据年月,商品编码,贸易伙伴编码,注册地编码,美元\r\n202001,85023100,502,65,1000\r\n"
                      "202002,85023100,502,65,20\n202003,85023100,502,65,30\n").encode(encoding))
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "mixes line endings" in line and "download it again" not in line, line
