"""Writers for hand-made files in the customs platform's real layouts, shared by the tests of
ingest's rules and of coverage and scope.

Not the DEMO generator: a test that round-trips our own generator's assumptions proves nothing
about what users download.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import csv_bytes

from helpers.cli import main

#: The article's scope, passed whole to a customs notebook by every test whose expected output
#: depends on it: a student who changes a notebook's default breaks only its own baseline.
ARTICLE_SCOPE = {"province": "Xinjiang", "partner": "USA", "flow": "export", "year": "2020",
                 "base_year": "2019"}

# The platform's monthly query by registration place, values in 万元 (ten thousand yuan).
WAN_YUAN = ["数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "注册地编码",
            "注册地名称", "第一数量", "第一计量单位", "人民币(万元)"]
# The same query by 境内货源地 (domestic source of goods) instead of 注册地.
BY_SOURCE = [*WAN_YUAN[:5], "境内货源地编码", "境内货源地名称", *WAN_YUAN[7:]]
# The default query: no province column at all (national figures), in US dollars.
NATIONAL = ["数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "第一数量",
            "第一计量单位", "美元"]


def row(period: str, value: str, hs: str = "85023100", partner: str = "502",
        province: str | None = "65") -> list[str]:
    """A row of WAN_YUAN (or NATIONAL when province is None)."""
    names = {"502": "美国", "304": "德国", "116": "日本"}
    head = [period, hs, "风力发电机组", partner, names.get(partner, "x")]
    where = [] if province is None else [province, {"65": "新疆", "44": "广东"}.get(province, "")]
    return [*head, *where, "1", "台", value]


def write(folder: Path, name: str, header: list[str], rows: list[list[str]],
          encoding: str = "utf-8", **kwargs: object) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(header, rows, encoding=encoding, **kwargs))  # type: ignore[arg-type]
    return path


def write_xlsx(folder: Path, name: str, header: list[str], rows: list[list[object]]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["海关统计数据在线查询平台"])  # the title row the platform puts above the table
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["ingest", *args, "--quiet"])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def monthly_rows(year: int, value: str = "10", **kwargs: str) -> list[list[str]]:
    return [row(f"{year}{m:02d}", value, **kwargs) for m in range(1, 13)]


#: One 8-digit code in each of ten chapters besides 85's wind sets: a file holding these beside
#: its own rows is a download of every product, not a query of a few (coverage.MIN_CHAPTERS).
OTHER_CHAPTERS = ("02023000", "08061000", "20029019", "39012000", "52010000", "61091000",
                  "62034200", "64029900", "73089000", "94036000")


def every_product(rows: list[list[str]], value: str = "0") -> list[list[str]]:
    """`rows` and, for each year, partner and place in them, one row of each OTHER_CHAPTERS
    code in the first period given, worth `value` (0: the totals stay those of `rows`). For
    tests of a partner's totals, which a query of a few products cannot give."""
    extra, seen = [], set()
    for r in rows:
        key = (r[0][:4], *r[3:-3])  # year, partner and place (code and name)
        if key not in seen:
            seen.add(key)
            extra += [[r[0], hs, *r[2:-1], value] for hs in OTHER_CHAPTERS]
    return rows + extra


def notebook_text(path: Path) -> str:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return "\n".join(str(o.get("text", "")) for c in nb.cells for o in c.get("outputs", []))


# The platform's annual query (no 数据年月 column) by registration place, in dollars.
ANNUAL = ["商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "注册地编码", "注册地名称",
          "美元"]
ANNUAL_ROW = ["85023100", "风力发电机组", "502", "美国", "65", "新疆", "1,000"]


def titled_annual(folder: Path, title: str, name: str = "新疆出口_2020.csv") -> Path:
    """An annual download with one title line, in GB18030 as the platform writes (GBK lacks
    the wave dash and the minus sign)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    body = csv_bytes(ANNUAL, [ANNUAL_ROW], encoding="gb18030")
    path.write_bytes(f"{title}\r\n".encode("gb18030") + body)
    return path


def read_or_refused(capsys: pytest.CaptureFixture[str], path: Path, out: Path,
                    says: str | None, period: str = "2020") -> None:
    """Ingest `path`: with `says` None it must read as `period`; else be refused with one
    error line holding `says`."""
    from conftest import read_table

    status, _, err = cli(capsys, str(path), "--out", str(out))
    if says is None:
        assert status == 0, err
        assert set(read_table(out)["period"]) == {period}
    else:
        line = one_error_line(err)
        assert status == 2 and says in line, line
