"""The panel aggregations give identical results on DuckDB and on Spark (local mode).

Spark is an optional extra (`make test-spark` installs it); without pyspark the Spark half is
skipped and the DuckDB half still runs against an independent SQL computation.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb
import nbformat
import pandas as pd
import pytest

from helpers.analysis import inventory, panel, trade
from helpers.errors import InputError
from helpers.paths import processed_dir
from helpers.reports.runner import run_notebook

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


def notebook_questions(backend: str) -> dict[str, pd.DataFrame]:
    """What notebooks 00-04 ask, through helpers.analysis.trade, on one backend."""
    data = trade.open_trade(DATA, "demo", backend=backend)
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    return {"inventory": inventory.summary(data),
            "monthly totals": inventory.monthly_totals(data, "Xinjiang"),
            "partner growth": trade.partner_growth(data, s),
            "HS prefixes": trade.hs_prefix_totals(data, s, ["85", "8502", "950510", "9505"]),
            "top products": trade.top_products(data, s, level=6, n=10),
            "monthly": trade.monthly(data, s, hs_prefix="9505")}


def test_notebook_questions_match_plain_sql_on_duckdb() -> None:
    got = notebook_questions("duckdb")
    glob = str(DATA / "trade" / "**" / "*.parquet")
    expected = duckdb.sql(f"""
        SELECT partner_code, sum(round(value_usd * 100)::BIGINT) FILTER (WHERE year = 2020)
        FROM read_parquet('{glob}', hive_partitioning=true)
        WHERE is_demo AND province = 'Xinjiang' AND flow = 'export'
        GROUP BY ALL HAVING sum(value_usd) FILTER (WHERE year = 2020) > 0""").fetchall()
    growth = got["partner growth"].set_index("partner_code")["value"]
    assert {code: round(growth[code] * 1e8) for code, _ in expected} == dict(expected)
    assert len(got["monthly"]) == 24 and got["top products"]["hs"].str.len().eq(6).all()


@pytest.mark.skipif(not HAS_SPARK, reason="pyspark not installed (make test-spark)")
def test_notebook_questions_are_the_same_on_spark() -> None:
    on_duckdb, on_spark = notebook_questions("duckdb"), notebook_questions("spark")
    for name, expected in on_duckdb.items():
        pd.testing.assert_frame_equal(on_spark[name], expected, check_dtype=False,
                                      check_exact=True, obj=name)


def _printed(path: Path) -> tuple[list[str], list[str]]:
    """What a notebook printed (lines) and displayed as plain text (tables included), apart.

    Kept apart because where the kernel cuts a cell's stdout into stream outputs, and so
    whether a display lands between two pieces, depends on timing, not on the numbers.
    """
    nb = nbformat.read(path, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    stdout = "".join(str(o.get("text", "")) for o in outputs if o.get("name") == "stdout")
    shown = [str(o.get("data", {}).get("text/plain", "")) for o in outputs if "data" in o]
    return stdout.splitlines(), shown


@pytest.mark.skipif(not HAS_SPARK, reason="pyspark not installed (make test-spark)")
@pytest.mark.parametrize("notebook", ["01", "03"])
def test_a_notebook_prints_the_same_on_spark(notebook: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    printed = {}
    for backend in ("duckdb", "spark"):
        monkeypatch.setenv("HELPERS_BACKEND", backend)
        executed = run_notebook(notebook, out=tmp_path / f"{backend}.ipynb")
        lines, shown = _printed(executed)
        assert f"query engine: {backend}" in "\n".join(lines)
        printed[backend] = ([line for line in lines if not line.startswith("query engine:")],
                            shown)
    assert printed["spark"] == printed["duckdb"]


@pytest.mark.skipif(not HAS_SPARK, reason="pyspark not installed (make test-spark)")
def test_spark_reads_the_table_where_the_cluster_keeps_it(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """On a cluster the parquet lives elsewhere; the local folder keeps only the manifest."""
    import shutil

    local = tmp_path / "processed"
    local.mkdir()
    shutil.copy(DATA / "manifest.json", local / "manifest.json")
    shutil.copytree(DATA / "trade", tmp_path / "cluster-storage" / "trade")
    with pytest.raises(InputError, match="no rows"):
        trade.open_trade(local, backend="spark")
    monkeypatch.setenv("HELPERS_SPARK_TABLE", (tmp_path / "cluster-storage" / "trade").as_uri())
    data = trade.open_trade(local, "demo", backend="spark")
    expected = inventory.summary(trade.open_trade(DATA, "demo", backend="duckdb"))
    pd.testing.assert_frame_equal(inventory.summary(data), expected, check_dtype=False)
