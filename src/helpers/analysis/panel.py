"""The customs panel's aggregations written once, as Ibis expressions, for DuckDB or Spark.

A province and two years fit DuckDB on a laptop; the national panel (every province, partner,
8-digit code and month over a decade) may not. The same expressions run on either backend, chosen
by `HELPERS_BACKEND=duckdb|spark` or an argument. Sums are taken in integer cents so that both
backends give exactly the same answer whatever order they add rows in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from helpers.errors import InputError
from helpers.ingest import TABLE

BACKENDS = ("duckdb", "spark")

#: A row condition beyond equalities (e.g. national rows in one year, provinces in another).
Predicate = Callable[[ir.Table], ir.BooleanValue]


def backend_name(name: str | None = None) -> str:
    chosen = (name or os.environ.get("HELPERS_BACKEND") or "duckdb").lower()
    if chosen not in BACKENDS:
        raise InputError("HELPERS_BACKEND", f"unknown backend {chosen!r}: use duckdb or spark")
    return chosen


def _spark_session():  # type: ignore[no-untyped-def]
    """A local Spark session (or the cluster's, when SPARK_REMOTE / spark-submit provide one)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError("HELPERS_BACKEND", "spark needs pyspark: pip install -e '.[spark]' "
                         "(make test-spark does)") from None
    builder = SparkSession.builder.appName("xinjiang-notebooks")
    if not os.environ.get("SPARK_REMOTE"):
        builder = (builder.master(os.environ.get("HELPERS_SPARK_MASTER", "local[2]"))
                   .config("spark.ui.enabled", "false")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.sql.shuffle.partitions", "4"))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def open_panel(data_dir: str | Path, backend: str | None = None) -> ir.Table:
    """The ingested trade table as an Ibis table on the chosen backend.

    Spark reads `HELPERS_SPARK_TABLE` when set (a copy of data/processed/trade/ on storage the
    cluster can read: hdfs://, s3a://, abfss://, a shared file system), else the local folder.
    """
    name = backend_name(backend)
    folder = Path(data_dir) / TABLE
    remote = os.environ.get("HELPERS_SPARK_TABLE") if name == "spark" else None
    if not remote and not any(folder.glob("**/*.parquet")):
        raise InputError(folder, "the ingested table has no rows: ingest some downloads (or "
                         "`make data` for the DEMO data) first")
    if name == "duckdb":
        table = ibis.duckdb.connect().read_parquet(str(folder / "**" / "*.parquet"),
                                                   hive_partitioning=True)
    else:
        table = ibis.pyspark.connect(_spark_session()).read_parquet(remote or str(folder))
    # Partition columns come back as int32 on Spark and int64 on DuckDB: one type for both.
    return table.mutate(year=table.year.cast("int64"),
                        cents=(table.value_usd * 100).round().cast("int64"))


def where(table: ir.Table, hs_prefix: str = "", predicate: Predicate | None = None,
          **filters: object) -> ir.Table:
    """Rows matching equalities (a list or tuple means "one of"), an HS code prefix and an
    optional predicate."""
    if predicate is not None:
        table = table.filter(predicate(table))
    for column, value in filters.items():
        table = table.filter(table[column].isin(list(value)) if isinstance(value, list | tuple)
                             else table[column] == value)
    if hs_prefix:
        table = table.filter(table.hs_code.startswith(hs_prefix))
    return table


def _cut_hs(table: ir.Table, keys: list[str], hs_level: int | None) -> tuple[ir.Table, list[str]]:
    """Codes cut to `hs_level` digits as column `hs`; shorter codes cannot be cut and drop out."""
    if hs_level is None:
        return table, keys
    table = table.filter(table.hs_level >= hs_level)
    return table.mutate(hs=table.hs_code.substr(0, hs_level)), [*keys, "hs"]


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows in key order, so results compare equal whichever backend grouped them."""
    return frame.sort_values(keys).reset_index(drop=True) if keys else frame


def totals(table: ir.Table, by: Sequence[str], hs_level: int | None = None,
           hs_prefix: str = "", distinct: Sequence[str] = (), predicate: Predicate | None = None,
           **filters: object) -> pd.DataFrame:
    """Sum of value (integer US cents) and row count by the given columns, sorted by them.

    `hs_level` cuts hs_code to 2, 4 or 6 digits first (column `hs`); `filters` are equalities,
    e.g. province="Xinjiang", flow="export"; `distinct` adds a count of distinct values of each
    named column (`n_<column>`).
    """
    table, keys = _cut_hs(where(table, hs_prefix, predicate, **filters), list(by), hs_level)
    metrics = {"cents": table.cents.sum(), "rows": table.count()}
    metrics |= {f"n_{column}": table[column].nunique() for column in distinct}
    return _sorted(table.group_by(keys).aggregate(**metrics).execute(), keys)


def growth(table: ir.Table, by: Sequence[str], year: int, base_year: int,
           hs_level: int | None = None, predicate: Predicate | None = None,
           **filters: object) -> pd.DataFrame:
    """Value in the base year and the year (integer cents, 0 where nothing was traded) and
    growth in per cent (NaN from nothing), by the given columns.

    One pass with conditional sums rather than two grouped results joined: keys that exist in
    one year only keep a 0 for the other, and null keys (an unmapped partner) are not lost.
    """
    table, keys = _cut_hs(where(table, predicate=predicate, year=[base_year, year], **filters),
                          list(by), hs_level)
    result = table.group_by(keys).aggregate(
        base_cents=ibis.coalesce(table.cents.sum(where=table.year == base_year), 0),
        cents=ibis.coalesce(table.cents.sum(where=table.year == year), 0))
    return _with_growth_pct(_sorted(result.execute(), keys))


def _with_growth_pct(frame: pd.DataFrame) -> pd.DataFrame:
    """Cents as int64 and growth from base_cents to cents by `growth.growth_pct`'s rule."""
    from helpers.analysis.growth import growth_pct

    frame[["base_cents", "cents"]] = frame[["base_cents", "cents"]].astype("int64")
    frame["growth_pct"] = [growth_pct(now, before) for now, before in
                           zip(frame["cents"], frame["base_cents"], strict=True)]
    return frame


def prefix_growth(table: ir.Table, prefixes: Sequence[str], year: int, base_year: int,
                  predicate: Predicate | None = None, **filters: object) -> pd.DataFrame:
    """Value (cents) of every code starting with each prefix, in both years, in one pass, with
    growth.

    Prefixes may overlap ('85' and '8502'): each is a separate conditional sum, so a row counts
    towards every prefix it starts with.
    """
    table = where(table, predicate=predicate, year=[base_year, year], **filters)
    metrics = {}
    for i, prefix in enumerate(prefixes):
        match = table.hs_code.startswith(prefix)
        for name, y in (("base_cents", base_year), ("cents", year)):
            metrics[f"{name}_{i}"] = ibis.coalesce(
                table.cents.sum(where=match & (table.year == y)), 0)
    row = table.aggregate(**metrics).execute().iloc[0] if prefixes else {}
    return _with_growth_pct(pd.DataFrame({
        "hs": list(prefixes),
        "base_cents": [int(row[f"base_cents_{i}"]) for i in range(len(prefixes))],
        "cents": [int(row[f"cents_{i}"]) for i in range(len(prefixes))]}))
