"""DEMO data: labelled everywhere, reproducible, and calibrated to the article's figures."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from conftest import read_table

from helpers import claims
from helpers.ingest import ingest
from helpers.ingest.demo import write_demo_files


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("demo")
    written = write_demo_files(root / "raw", rows=None, rows_per_file=10_000)
    assert written.rows > 10_000
    ingest([root / "raw"], root / "out", progress=False)
    return root / "raw", root / "out"


def q(out: Path, sql: str) -> list[tuple]:
    table = f"read_parquet('{out}/trade/**/*.parquet', hive_partitioning=true)"
    return duckdb.sql(sql.replace("TRADE", table)).fetchall()


def xinjiang_total(out: Path, flow: str, partner: str, year: int, extra: str = "") -> float:
    return q(out, f"SELECT sum(value_usd) FROM TRADE WHERE flow = '{flow}' AND province_code = "
             f"'65' AND partner_iso3 = '{partner}' AND year = {year} {extra}")[0][0]


def test_files_are_labelled_demo_and_split_like_the_platform(demo: tuple[Path, Path]) -> None:
    raw, out = demo
    files = sorted(raw.glob("*.csv"))
    assert files and all("DEMO" in f.name for f in files)
    for f in files:
        lines = f.read_bytes().count(b"\n")
        assert lines <= 10_001  # header + at most 10,000 rows
        f.read_bytes().decode("gbk")  # the Chinese platform's encoding
    assert q(out, "SELECT bool_and(is_demo), count(DISTINCT partner_code), "
                  "count(DISTINCT province_code) FROM TRADE")[0] == (True, 241, 31)


def test_same_seed_same_bytes(tmp_path: Path, demo: tuple[Path, Path]) -> None:
    raw, _ = demo
    again = write_demo_files(tmp_path / "again", rows=None)
    digest = lambda folder: {p.name: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
                             for p in folder.glob("*.csv")}
    assert digest(tmp_path / "again") == digest(raw)
    assert again.rows == sum(1 for p in raw.glob("*.csv") for _ in p.open("rb")) - len(
        list(raw.glob("*.csv")))


def growth(now: float, before: float) -> float:
    return (now / before - 1) * 100


@pytest.mark.parametrize(("claim_id", "flow", "partner"), [
    ("scmp-us-growth", "export", "USA"), ("scmp-deu-growth", "export", "DEU"),
    ("scmp-bel-growth", "export", "BEL"), ("scmp-ita-growth", "export", "ITA"),
    ("scmp-can-growth", "export", "CAN"), ("scmp-gbr-growth", "export", "GBR"),
    ("scmp-us-to-xj-growth", "import", "USA")])
def test_partner_growth_matches_the_article(demo: tuple[Path, Path], claim_id: str, flow: str,
                                            partner: str) -> None:
    _, out = demo
    value = growth(xinjiang_total(out, flow, partner, 2020), xinjiang_total(out, flow, partner,
                                                                            2019))
    assert claims.allowed(claim_id).contains(value), (claim_id, value)


def test_product_and_month_figures(demo: tuple[Path, Path]) -> None:
    _, out = demo
    us = lambda year, extra="": xinjiang_total(out, "export", "USA", year, extra)  # noqa: E731
    wind = "AND hs_code LIKE '850231%'"
    assert claims.allowed("scmp-wind-growth").contains(growth(us(2020, wind), us(2019, wind)))
    assert claims.allowed("scmp-wind-share").contains(us(2020, wind) / us(2020) * 100)
    xmas = "AND hs_code LIKE '950510%'"
    assert claims.allowed("scmp-xmas-value").contains(us(2020, xmas) / 1e6)
    months = q(out, "SELECT month, sum(value_usd) v FROM TRADE WHERE flow = 'export' AND "
               "province_code = '65' AND partner_iso3 = 'USA' AND year = 2020 GROUP BY 1 "
               "ORDER BY v")
    assert months[0][0] == claims.stated("scmp-dec-annual-low")
    assert months[-1][0] == claims.stated("scmp-oct-peak-month")
    assert claims.allowed("scmp-oct-value").contains(months[-1][1] / 1e6)
    machinery = q(out, "SELECT sum(value_usd) FROM TRADE WHERE flow = 'import' AND province_code"
                  " = '65' AND partner_iso3 = 'DEU' AND year = 2020 AND hs_code LIKE '84%'")[0][0]
    assert claims.allowed("scmp-deu-to-xj-machinery").contains(machinery / 1e6)


def test_rows_scale_for_benchmarks(tmp_path: Path) -> None:
    written = write_demo_files(tmp_path / "big", rows=60_000, rows_per_file=0,
                               encoding="utf-8")
    assert written.rows == 60_000
    assert len(written.files) == 2  # one file per flow


def test_encodings_carry_the_same_text_and_one_bom_at_most(tmp_path: Path) -> None:
    """Several batches per file: each encoding must give the same text, a BOM only at the top."""
    texts = {}
    for encoding in ("gbk", "utf-8", "utf-8-sig"):
        written = write_demo_files(tmp_path / encoding, rows=45_000, rows_per_file=20_000,
                                   encoding=encoding, flows=("export",))
        assert [f.name for f in written.files][-1].endswith("part0003.csv")
        raw = [f.read_bytes() for f in written.files]
        boms = [r.count(b"\xef\xbb\xbf") for r in raw]
        assert boms == ([1] * 3 if encoding == "utf-8-sig" else [0] * 3)
        assert all(r.startswith(b"\xef\xbb\xbf") for r in raw) == (encoding == "utf-8-sig")
        texts[encoding] = [r.decode(encoding) for r in raw]
    assert texts["gbk"] == texts["utf-8"] == texts["utf-8-sig"]
    lines = texts["utf-8"][0].split("\r\n")
    assert len(lines) == 20_000 + 2  # header, rows, and the empty string after the last CRLF
    assert lines[1].split(",")[0].isdigit() and lines[-1] == ""


def test_demo_table_meets_the_schema(demo: tuple[Path, Path]) -> None:
    from helpers.ingest.schema import validate

    _, out = demo
    validate(read_table(out))
