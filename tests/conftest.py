"""Shared fixtures: writers for files in the customs platform's real layouts."""

from __future__ import annotations

import atexit
import csv
import functools
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

# The suite runs on a DEMO-only copy of the project (reports.testbed), never on the user's own
# data/processed or reports: `make test` builds one and points HELPERS_PROJECT_ROOT at it; a bare
# `pytest tests` builds its own here.


def _scratch(prefix: str) -> Path:
    """A temporary folder removed when the test run ends (not left in /tmp run after run)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


if "HELPERS_PROJECT_ROOT" not in os.environ:
    from helpers.reports.testbed import build

    os.environ["HELPERS_PROJECT_ROOT"] = str(build(_scratch("helpers-testbed-") / "project"))
# Notebook runs under nbval record claims; keep them out of reports/.
if "HELPERS_CLAIMS_DIR" not in os.environ:
    os.environ["HELPERS_CLAIMS_DIR"] = str(_scratch("helpers-test-claims-"))


def _skip_html_in_nbval() -> None:
    """nbval compares every mimetype but images; pandas' HTML tables change between versions
    (STYLE.md), so compare their text/plain twin instead."""
    try:
        from nbval.plugin import IPyNbFile
    except ImportError:  # nbval not installed: nothing to configure
        return
    original = IPyNbFile.__init__

    def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        self.skip_compare = (*self.skip_compare, "text/html")

    IPyNbFile.__init__ = init


_skip_html_in_nbval()

CHINESE_HEADER = ["数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称",
                  "贸易方式编码", "贸易方式名称", "注册地编码", "注册地名称", "第一数量",
                  "第一计量单位", "第二数量", "第二计量单位", "人民币"]
ENGLISH_HEADER = ["Date of data", "Trading partner code", "Trading partner", "Commodity code",
                  "Commodity", "Customs Regime code", "Customs Regime", "Quantity", "Unit",
                  "Supplimentary Quantity", "Supplimentary Unit", "US dollar"]


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8",
              trailing_comma: bool = False, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow([*row, ""] if trailing_comma else row)
    return buffer.getvalue().encode(encoding)


def read_table(out: Path) -> pd.DataFrame:
    """The table an ingest wrote under `out`, in a stable row order."""
    glob = str(out / "trade" / "**" / "*.parquet")
    return duckdb.sql(f"SELECT * FROM read_parquet('{glob}', hive_partitioning=true) "
                      "ORDER BY source_file, period, hs_code").df()


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """write_file(name, header, rows, encoding=..., ...) -> path under tmp_path/raw/."""

    def write(name: str, header: list[str], rows: list[list[str]], **kwargs: object) -> Path:
        path = tmp_path / "raw" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(csv_bytes(header, rows, **kwargs))  # type: ignore[arg-type]
        return path

    return write


def chinese_row(period: str = "202010", hs: str = "85023100", partner: str = "502",
                value: str = "56,121,645", province: str = "65", regime: str = "10",
                qty: str = "12") -> list[str]:
    """A row of CHINESE_HEADER; the partner's and the place's names are those of their codes
    (a code beside another entry's name is refused), blank for a code no list has."""
    return [period, hs, "风力发电机组", partner, _names("partner").get(partner, ""), regime,
            "一般贸易", province, _names("province").get(province[:2], ""), qty, "台", "", "",
            value]


@functools.lru_cache(maxsize=2)
def _names(kind: str) -> dict[str, str]:
    from helpers.ingest import codes

    table = codes.partner_table() if kind == "partner" else codes.province_table()
    return dict(zip(table["gacc_code"], table["name_zh"], strict=True))
