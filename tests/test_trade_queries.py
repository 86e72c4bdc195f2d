"""The customs questions on a small hand-made table: HS prefixes, months, partners, scope."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import CHINESE_HEADER, chinese_row

from helpers.analysis import trade
from helpers.errors import InputError
from helpers.ingest import ingest

ROWS = [  # period, hs, partner, value (yuan)
    ("201910", "85023100", "502", "100"), ("202010", "85023100", "502", "300"),
    ("202010", "85023900", "502", "50"), ("202012", "95051000", "502", "40"),
    ("202005", "95059000", "502", "10"), ("201901", "01012100", "502", "7"),
    ("202003", "85023100", "304", "1000"), ("202003", "85023100", "502", "5"),
]
#: Every month of both years holds some trade (one small Japanese row), so the downloads cover
#: them: a month without any row would be missing, not zero (tests/test_coverage.py).
FILLER = [(f"{y}{m:02d}", "03011100", "116", "1") for y in (2019, 2020) for m in range(1, 13)]


@pytest.fixture
def data(write_file, tmp_path: Path) -> trade.TradeData:
    rows = [chinese_row(period=p, hs=h, partner=c, value=v) for p, h, c, v in ROWS + FILLER]
    path = write_file("export-test.csv", CHINESE_HEADER, rows)
    ingest([path], tmp_path / "out", progress=False)
    return trade.open_trade(tmp_path / "out")


#: The panel sums whole cents (exact on any backend): each row may move by half a cent.
HALF_CENT = 0.005 / 1e6  # in US$ million


def usd(data: trade.TradeData, year: int, month: int, yuan: float) -> float:
    """US$ million at the rate ingest stored for that month, read straight from the parquet."""
    glob = str(data.data_dir / "trade" / "**" / "*.parquet")
    rate = duckdb.sql(f"SELECT any_value(fx_cny_per_usd) FROM read_parquet('{glob}', "
                      f"hive_partitioning=true) WHERE year = {year} AND month = {month}"
                      ).fetchall()[0][0]
    return yuan / rate / 1e6


@pytest.mark.parametrize(("prefix", "expected_rows"), [
    ("85", [(2020, 10, 300), (2020, 10, 50), (2020, 3, 5)]),
    ("8502", [(2020, 10, 300), (2020, 10, 50), (2020, 3, 5)]),
    ("850231", [(2020, 10, 300), (2020, 3, 5)]),
    ("85023900", [(2020, 10, 50)]),
    ("9505", [(2020, 12, 40), (2020, 5, 10)])])
def test_hs_prefixes_at_every_level(data: trade.TradeData, prefix: str,
                                    expected_rows: list[tuple[int, int, int]]) -> None:
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    got = trade.hs_prefix_totals(data, s, [prefix]).iloc[0]
    assert got["value"] == pytest.approx(sum(usd(data, y, m, v) for y, m, v in expected_rows),
                                         abs=HALF_CENT * len(expected_rows))


def test_growth_by_partner(data: trade.TradeData) -> None:
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    table = trade.partner_growth(data, s).set_index("partner_iso3")
    us = table.loc["USA"]
    assert us["base_value"] == pytest.approx(usd(data, 2019, 10, 100) + usd(data, 2019, 1, 7),
                                             abs=2 * HALF_CENT)
    assert us["growth_pct"] == pytest.approx((us["value"] / us["base_value"] - 1) * 100)
    assert table.index[0] == "DEU"  # largest first


def test_monthly_series_has_every_month(data: trade.TradeData) -> None:
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    series = trade.monthly(data, s)
    assert len(series) == 24
    assert list(series["month"][:12]) == list(range(1, 13))
    assert (series.loc[(series["year"] == 2019) & (series["month"] == 2), "value"] == 0).all()
    october = series[(series["year"] == 2020) & (series["month"] == 10)]["value"].iloc[0]
    assert october == pytest.approx(usd(data, 2020, 10, 350), abs=2 * HALF_CENT)
    xmas = trade.monthly(data, s, hs_prefix="9505")
    assert xmas["value"].sum() == pytest.approx(usd(data, 2020, 12, 40) + usd(data, 2020, 5, 10),
                                                abs=2 * HALF_CENT)


def test_top_products_cut_codes_to_the_level(data: trade.TradeData) -> None:
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    top = trade.top_products(data, s, level=4, n=5)
    assert list(top["hs"]) == ["8502", "9505", "0101"]  # 0101: only in the base year
    assert top.iloc[-1]["value"] == 0


@pytest.mark.parametrize(("args", "message"), [
    (("Xinjiang", "XYZ", "export", 2020, 2019), "unknown partner 'XYZ'"),
    (("Xinjiang", "USA", "exports", 2020, 2019), "unknown flow"),
    (("Xinjiang", "USA", "export", "twenty", 2019), "is not a year"),
    (("Xinjiang", "USA", "export", 2020, 2020), "must differ"),
    (("Atlantis", "USA", "export", 2020, 2019), "unknown province")])
def test_bad_parameters_say_how_to_fix_them(args: tuple, message: str) -> None:
    with pytest.raises(InputError, match=message):
        trade.scope(*args)


def test_data_source_choice(data: trade.TradeData, tmp_path: Path) -> None:
    assert data.source == "real" and not data.is_demo
    with pytest.raises(InputError, match="no DEMO rows"):
        trade.open_trade(tmp_path / "out", "demo")
    with pytest.raises(InputError, match="unknown data source"):
        trade.open_trade(tmp_path / "out", "both")
    with pytest.raises(InputError, match="no ingested data"):
        trade.open_trade(tmp_path / "nothing")


def test_partner_figures_follow_the_ledger_order_and_carry_gaps() -> None:
    import math

    import pandas as pd

    from helpers.analysis.conversion import Conversion  # the table is in dollars: nothing converted
    from helpers.analysis.coverage import scope_coverage
    from helpers.claims import scmp

    table = pd.DataFrame({"partner_iso3": ["USA", "DEU", "JPN"], "value": [800.0, 111.6, 5.0],
                          "growth_pct": [116.0, -1.2, 3.0]})
    full = [{"is_demo": False, "flow": f, "province": "Xinjiang", "province_code": "65",
             "basis": ["registration"], "periods": [f"{y}-{m:02d}" for y in (2019, 2020)
                                                     for m in range(1, 13)]}
            for f in ("export", "import")]
    cov = scope_coverage(full, "export", "Xinjiang", [2019, 2020])
    figures = scmp.partner_figures(table, "export", lambda iso3: cov, 2020, 2019,
                                   lambda iso3: Conversion())
    assert [f[0] for f in figures] == [
        "scmp-us-growth", "scmp-deu-value", "scmp-deu-growth", "scmp-bel-value",
        "scmp-bel-growth", "scmp-ita-growth", "scmp-can-growth", "scmp-gbr-value",
        "scmp-gbr-growth"]
    assert figures[:3] == [("scmp-us-growth", 116.0, None), ("scmp-deu-value", 111.6, None),
                           ("scmp-deu-growth", -1.2, None)]
    # Belgium has no rows: NaN, and the reason says so.
    assert math.isnan(figures[3][1]) and "no rows for partner BEL" in figures[3][2]
    # December 2019 missing: growth needs both years, a 2020 value only 2020.
    full[0]["periods"].remove("2019-12")
    cov = scope_coverage(full, "export", "Xinjiang", [2019, 2020])
    by_id = {c: (v, gap) for c, v, gap in scmp.partner_figures(
        table, "export", lambda iso3: cov, 2020, 2019, lambda iso3: Conversion())}
    assert by_id["scmp-deu-value"] == (111.6, None)
    assert by_id["scmp-deu-growth"][1] == "December 2019 not in the downloads"
