"""The panel aggregations give identical results on DuckDB and on Spark (local mode).

Spark is an optional extra (`make test-spark` installs it); without pyspark the Spark half is
skipped and the DuckDB half still runs against an independent SQL computation.
"""

from __future__ import annotations

import importlib.util

import duckdb
import pandas as pd
import pytest

from helpers import panel
from helpers.errors import InputError
from helpers.paths import processed_dir

DATA = processed_dir()
pytestmark = pytest.mark.skipif(not (DATA / "manifest.json").exists(),
                                reason="needs the ingested DEMO data (make data)")
HAS_SPARK = importlib.util.find_spec("pyspark") is not None

QUERIES = [
    ("by flow, year, month", {"by": ["flow", "year", "month"]}),
    ("Xinjiang by partner", {"by": ["flow", "year", "partner_iso3"], "province": "Xinjiang"}),
    ("by province", {"by": ["flow", "province"], "year": [2019, 2020]}),
    ("US exports by HS-4", {"by": ["year"], "hs_level": 4, "flow": "export",
                            "partner_iso3": "USA", "province": "Xinjiang"}),
]


def run(backend: str) -> dict[str, pd.DataFrame]:
    table = panel.open_panel(DATA, backend)
    return {name: panel.totals(table, **spec) for name, spec in QUERIES}


@pytest.fixture(scope="module")
def on_duckdb() -> dict[str, pd.DataFrame]:
    return run("duckdb")


def test_duckdb_matches_plain_sql(on_duckdb: dict[str, pd.DataFrame]) -> None:
    glob = str(DATA / "trade" / "**" / "*.parquet")
    expected = duckdb.sql(f"""
        SELECT flow, province, sum(round(value_usd * 100)::BIGINT) AS cents, count(*) AS rows
        FROM read_parquet('{glob}', hive_partitioning=true)
        WHERE year IN (2019, 2020) GROUP BY ALL ORDER BY flow, province NULLS LAST""").df()
    got = on_duckdb["by province"]
    assert got["cents"].tolist() == expected["cents"].tolist()
    assert got["rows"].sum() == expected["rows"].sum()


def test_growth_of_us_exports(on_duckdb: dict[str, pd.DataFrame]) -> None:
    table = panel.open_panel(DATA, "duckdb")
    out = panel.growth(table, ["partner_iso3"], 2020, 2019, province="Xinjiang", flow="export")
    us = out.set_index("partner_iso3").loc["USA"]
    assert us["growth_pct"] == pytest.approx((us["cents"] / us["base_cents"] - 1) * 100)


def test_unknown_backend() -> None:
    with pytest.raises(InputError, match="unknown backend"):
        panel.backend_name("oracle")


@pytest.mark.skipif(not HAS_SPARK, reason="pyspark not installed (make test-spark)")
def test_spark_gives_exactly_the_same_results(on_duckdb: dict[str, pd.DataFrame]) -> None:
    on_spark = run("spark")
    for name, expected in on_duckdb.items():
        got = on_spark[name]
        assert list(got.columns) == list(expected.columns), name
        pd.testing.assert_frame_equal(
            got.astype(expected.dtypes.to_dict()).reset_index(drop=True),
            expected.reset_index(drop=True), check_dtype=False, obj=name)
