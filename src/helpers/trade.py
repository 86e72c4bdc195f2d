"""Read the ingested customs table and answer the notebooks' questions with small frames.

Notebooks never read parquet themselves: they ask here, so the choice between real downloads
and DEMO rows is made in one place and always reported with the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from helpers.errors import InputError
from helpers.ingest import MANIFEST, TABLE, read_manifest

DATA_SOURCES = ("auto", "real", "demo")


@dataclass
class TradeData:
    """A DuckDB view over the processed table, restricted to real or DEMO rows."""

    con: duckdb.DuckDBPyConnection
    data_dir: Path
    source: str  # 'real' or 'demo' after resolving 'auto'
    manifest: dict[str, object]

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"

    @property
    def label(self) -> str:
        """Words for titles and captions: says DEMO whenever the numbers are synthetic."""
        return "DEMO data (synthetic)" if self.is_demo else "GACC customs downloads"

    def sql(self, query: str, **params: object) -> pd.DataFrame:
        return self.con.execute(query, params or None).df()


def open_trade(data_dir: str | Path, source: str = "auto") -> TradeData:
    """Open `data_dir` (the ingest output) and choose real or DEMO rows.

    'auto' takes real rows whenever any exist (a user who dropped platform downloads into
    data/raw/ wants them used) and falls back to DEMO; it never mixes the two.
    """
    if source not in DATA_SOURCES:
        raise InputError("parameter data_source", f"unknown data source {source!r}: use one of "
                         f"{', '.join(DATA_SOURCES)}")
    data_dir = Path(data_dir)
    manifest = read_manifest(data_dir)
    con = duckdb.connect()
    files = sorted((data_dir / TABLE).glob("**/*.parquet"))
    if not files:
        raise InputError(data_dir / MANIFEST, "the ingested table has no rows: ingest some "
                         "downloads (or `make data` for the DEMO data) first")
    glob = str(data_dir / TABLE / "**" / "*.parquet").replace("'", "''")
    con.execute(f"CREATE VIEW all_trade AS SELECT * REPLACE (year::INTEGER AS year) "
                f"FROM read_parquet('{glob}', hive_partitioning=true)")
    has_real, has_demo = con.execute(
        "SELECT bool_or(NOT is_demo), bool_or(is_demo) FROM all_trade").fetchone()  # type: ignore[misc]
    if source == "auto":
        source = "real" if has_real else "demo"
    if source == "real" and not has_real:
        raise InputError("parameter data_source", "no real customs downloads are ingested: put "
                         "the platform's files in data/raw/gacc/ and run `make data`, or use "
                         "data_source='auto'")
    if source == "demo" and not has_demo:
        raise InputError("parameter data_source", "no DEMO rows are ingested: run `make data`")
    con.execute(f"CREATE VIEW trade AS SELECT * FROM all_trade WHERE is_demo = "
                f"{'true' if source == 'demo' else 'false'}")
    return TradeData(con, data_dir, source, manifest)


def inventory(data: TradeData) -> pd.DataFrame:
    """Rows and value by flow, year and data kind: what the notebooks can draw on."""
    return data.sql("""
        SELECT flow, year, CASE WHEN is_demo THEN 'DEMO' ELSE 'real' END AS data,
               count(*) AS rows, count(DISTINCT partner_code) AS partners,
               count(DISTINCT province_code) AS provinces,
               count(DISTINCT hs_code) AS hs_codes,
               round(sum(value_usd) / 1e6, 1) AS value_usd_million
        FROM all_trade GROUP BY ALL ORDER BY flow, year, data""")


def input_files(data: TradeData) -> pd.DataFrame:
    """The ingested files with checksums, from the manifest."""
    files = pd.DataFrame(data.manifest["files"])  # type: ignore[arg-type]
    columns = ["file", "flow", "rows", "encoding", "currency", "is_demo", "sha256"]
    frame = files[columns].copy()
    frame["sha256"] = frame["sha256"].str[:12] + "…"
    return frame


def monthly_totals(data: TradeData, province: str | None = None) -> pd.DataFrame:
    """Monthly value by flow (US$ million), for the chosen data kind; annual rows excluded."""
    where = "AND province = $province" if province else ""
    return data.sql(f"""
        SELECT flow, make_date(year, month, 1) AS month, sum(value_usd) / 1e6 AS value_usd_million
        FROM trade WHERE month IS NOT NULL {where}
        GROUP BY ALL ORDER BY flow, month""", **({"province": province} if province else {}))
