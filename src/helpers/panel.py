"""The customs panel's aggregations written once, as Ibis expressions, for DuckDB or Spark.

A province and two years fit DuckDB on a laptop; the national panel (every province, partner,
8-digit code and month over a decade) may not. The same expressions run on either backend, chosen
by `HELPERS_BACKEND=duckdb|spark` or an argument. Sums are taken in integer cents so that both
backends give exactly the same answer whatever order they add rows in.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from helpers.errors import InputError
from helpers.ingest import TABLE

BACKENDS = ("duckdb", "spark")


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
    """The ingested trade table as an Ibis table on the chosen backend."""
    name = backend_name(backend)
    folder = Path(data_dir) / TABLE
    if not any(folder.glob("**/*.parquet")):
        raise InputError(folder, "no ingested parquet here: run `make data` first")
    if name == "duckdb":
        table = ibis.duckdb.connect().read_parquet(str(folder / "**" / "*.parquet"),
                                                   hive_partitioning=True)
    else:
        table = ibis.pyspark.connect(_spark_session()).read_parquet(str(folder))
    # Partition columns come back as int32 on Spark and int64 on DuckDB: one type for both.
    return table.mutate(year=table.year.cast("int64"),
                        cents=(table.value_usd * 100).round().cast("int64"))


def totals(table: ir.Table, by: Sequence[str], hs_level: int | None = None,
           **filters: object) -> pd.DataFrame:
    """Sum of value (integer US cents) and row count by the given columns, sorted by them.

    `hs_level` cuts hs_code to 2, 4 or 6 digits first (column `hs`); `filters` are equalities,
    e.g. province="Xinjiang", flow="export"; a list or tuple means "one of".
    """
    for column, value in filters.items():
        table = table.filter(table[column].isin(list(value)) if isinstance(value, list | tuple)
                             else table[column] == value)
    keys = list(by)
    if hs_level is not None:
        table = table.filter(table.hs_level >= hs_level).mutate(
            hs=table.hs_code.substr(0, hs_level))
        keys = [*keys, "hs"]
    result = table.group_by(keys).aggregate(cents=table.cents.sum(), rows=table.count())
    frame = result.execute()
    return frame.sort_values(keys).reset_index(drop=True)


def growth(table: ir.Table, by: Sequence[str], year: int, base_year: int,
           **filters: object) -> pd.DataFrame:
    """Value in both years (cents) and growth in per cent, by the given columns."""
    both = totals(table, [*by, "year"], year=[base_year, year], **filters)
    wide = both.pivot_table(index=list(by), columns="year", values="cents", aggfunc="sum",
                            fill_value=0)
    wide = wide.reindex(columns=[base_year, year], fill_value=0)
    wide.columns = ["base_cents", "cents"]
    wide["growth_pct"] = (wide["cents"] / wide["base_cents"].where(wide["base_cents"] != 0) - 1) \
        * 100
    return wide.reset_index()
