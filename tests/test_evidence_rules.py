"""The evidence rules the claims ledger enforces itself, whatever a notebook does: a published
figure judges a claim only when independent and of the claim's period; values converted from
yuan are filed as the range the platform's own dollars could take; real published figures bound
the SCMP's claims.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from downloads import NATIONAL, OTHER_CHAPTERS, WAN_YUAN, monthly_rows, row, write

from helpers import claims
from helpers.analysis import trade
from helpers.analysis.conversion import Conversion
from helpers.analysis.intervals import Interval, OneOf
from helpers.claims import published, scmp
from helpers.ingest import currency, ingest


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims.d"))
    return claims.Recorder("99-test").record


# --- rule 4: independent and not later ---------------------------------------------------------

@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch):
    """The transcribed figures plus made-up rows (id -> outlet, period[, measure]) for one
    test."""
    real = published.figures_index()

    def add(**rows: tuple[str, ...]) -> None:
        extra = pd.DataFrame([{"figure_id": k, "outlet": o, "year": p, "period": p,
                               "reference": f"made up for a test ({k})",
                               "measure": m[0] if m else "a share"}
                              for k, (o, p, *m) in rows.items()]).set_index("figure_id")
        monkeypatch.setattr(published, "figures_index", lambda: pd.concat([real, extra]))
    return add


def test_the_articles_own_outlet_cannot_confirm_it(record, figures) -> None:
    figures(nyt=("The New York Times", "2021"), nyt_short=("NYT", "2021"),
            via=("Benchmark Minerals via nytimes.com", "2021"), iea=("IEA", "2021"))
    got = record("nyt-cells-share", 80, claims.published_figure("nyt"))
    assert got.status == "unverifiable"
    assert "context only" in got.detail and "the article's own outlet" in got.detail
    assert got.computed_value == 80  # shown as context, labelled
    for other_name in ("nyt_short", "via"):  # the outlet under its other names
        assert "own outlet" in claims.cannot_judge("nyt-cells-share",
                                                   claims.published_figure(other_name))
    # The same value from another outlet, same period: it judges the claim.
    assert record("nyt-cells-share", 80, claims.published_figure("iea")).status == "reproduced"


def test_a_share_of_capacity_judges_no_claim_of_output(record, figures) -> None:
    """China 'processes' lithium and 'makes' cells: a share of capacity is context (capacity is
    not output, as notebook 07 reads polysilicon), a share of what was processed judges."""
    figures(cap=("IEA", "2021", "China's share of processing and refining capacity"),
            out=("IEA", "2021", "China's share of processing volume"))
    got = record("nyt-processing-lithium", 75, claims.published_figure("cap"))
    assert got.status == "unverifiable" and "capacity is not output" in got.detail, got.detail
    assert record("nyt-processing-lithium", 75, claims.published_figure("out")).status == (
        "reproduced")
    for claim_id, figure in (("nyt-processing-graphite", "iea-2022-graphite"),
                             ("nyt-cells-share", "iea-2021-cells")):  # the shipped rows
        assert "capacity is not output" in claims.cannot_judge(
            claim_id, claims.published_figure(figure))


def test_a_figure_for_a_later_period_sets_no_status(record, figures) -> None:
    figures(later=("IEA", "2023"), day_after=("pv magazine", "2021-05-17"),
            same_day=("pv magazine", "2021-05-16"))
    # The article is of June 2022: a 2023 figure says what happened next.
    later = record("nyt-li-ion-share", 75, claims.published_figure("later"))
    assert later.status == "unverifiable" and "later than the article" in later.detail
    # Bloomberg's article is dated 16 May 2021: a figure for the day after is later.
    assert "later than the article" in claims.cannot_judge(
        "bbg-four-plants-half", claims.published_figure("day_after"))
    assert claims.cannot_judge("bbg-four-plants-half",
                               claims.published_figure("same_day")) is None


def test_a_figure_outside_the_claims_period_is_context(record) -> None:
    old = record("nyt-processing-cobalt", 64, claims.published_figure("usgs-2017-cobalt"))
    assert old.status == "unverifiable" and "outside the claim's period" in old.detail
    # Filed together with a figure of the period, the old one still makes them context.
    both = claims.published_figure("usgs-2017-cobalt", "iea-2022-cobalt")
    assert "usgs-2017-cobalt: it describes 2017" in claims.cannot_judge("nyt-processing-cobalt",
                                                                        both)


def test_evidence_cannot_be_typed(record) -> None:
    real = claims.published_figure("bmi-2023-cobalt")  # the Times' own 2023 graphic
    forged = [
        claims.Evidence("published figure", "trust me"),
        claims.Evidence("published figure", real.source, ("IEA",), "2021-01-01", "2021-12-31",
                        real.figures),  # restated as another outlet and year
        claims.Evidence("ECB rates", "NYT May 2023 graphic"),
        claims.Evidence("article arithmetic", "a number I like"),
    ]
    for fake in forged:
        with pytest.raises(TypeError):
            record("nyt-processing-cobalt", 73, fake)
    assert record("nyt-processing-cobalt", 73, real).status == "unverifiable"
    with pytest.raises(ValueError, match="cannot read the period"):
        claims.period_bounds("2021/22")


@pytest.mark.parametrize(("period", "first", "last"), [
    ("2021", "2021-01-01", "2021-12-31"),
    ("2020-02", "2020-02-01", "2020-02-29"),
    ("2020-06-17 to 2020-10", "2020-06-17", "2020-10-31"),
    ("2017-2022", "2017-01-01", "2022-12-31"),
    ("2020-12 vs 2019-12", "2019-12-01", "2020-12-31"),
])
def test_periods_are_read_as_the_ledger_writes_them(period: str, first: str, last: str) -> None:
    assert tuple(d.isoformat() for d in claims.period_bounds(period)) == (first, last)


def test_every_claim_has_its_articles_outlet_and_date() -> None:
    for claim_id in claims.load_ledger().index:
        article = claims.article_of(claim_id)
        assert article["outlet"] and claims.period_bounds(article["published"])


def test_two_sources_give_a_range_and_the_status_does_not_depend_on_a_choice(
        record, figures) -> None:
    figures(a=("USGS", "2021"), b=("IEA", "2021"), c=("The New York Times", "2023"))
    rows = pd.DataFrame({
        "figure_id": ["a", "b", "c"], "share_pct": [64.0, math.nan, 93.0],
        "share_low": [math.nan, 50.0, math.nan], "share_high": [math.nan, 100.0, math.nan],
        "note": ["", "'over half'", ""], "year": [2021, 2021, 2023],
        "outlet": ["USGS", "IEA", "The New York Times"], "reference": ["r1", "r2", "r3"]})
    usable, context = published.independent(rows, "nyt-processing-cobalt")
    assert list(usable["figure_id"]) == ["a", "b"] and list(context["figure_id"]) == ["c"]
    assert published.span(usable) == Interval(50, 100, lo_open=True)
    got = published.record_figures(record, "nyt-processing-cobalt", rows, "cobalt")
    assert got.status == "reproduced" and got.computed_interval == "(50, 100]"
    # Only the Times' own later figure: context, whatever its value.
    got = published.record_figures(record, "nyt-processing-cobalt", rows.iloc[[2]], "cobalt")
    assert got.status == "unverifiable" and "context only" in got.detail


# --- rule 7: yuan converted at ECB rates are not the platform's dollars ------------------------

def _ingested(tmp_path: Path, files: dict[str, tuple[list[str], list[list[str]]]]
              ) -> trade.TradeData:
    folder = tmp_path / "gacc"
    for name, (header, rows) in files.items():
        write(folder, name, header, rows)
    ingest([folder], tmp_path / "out", progress=False)
    return trade.open_trade(tmp_path / "out")


def test_monthly_yuan_give_the_range_of_the_months_rates(tmp_path: Path) -> None:
    data = _ingested(tmp_path, {f"export-{y}.csv": (WAN_YUAN, monthly_rows(y, "1,000"))
                                for y in (2019, 2020)})
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    conv = trade.conversion(data, s)
    lo, hi = conv.factors(2020, 10)
    low, high = currency.rate_range(2020, 10)
    used = currency.cny_per_usd(2020, 10)
    assert (lo, hi) == pytest.approx((used / high, used / low))
    october = conv.level(100.0, 2020, 10)
    assert isinstance(october, Interval) and october.contains(100.0)
    assert october.width > 0.5  # wider than the rounding of "US$190 million" relative to it
    # The same monthly yuan in both years: growth 0 in yuan, a range around 0 in dollars.
    growth = conv.growth(0.0, 2020, 2019)
    assert growth.lo < 0 < growth.hi
    assert "converted from yuan" in conv.note(2019, 2020)


def test_a_claims_detail_speaks_of_the_periods_it_rests_on(tmp_path: Path) -> None:
    """2019 downloaded in yuan, 2020 in dollars: the October 2020 value and the 2020 share rest
    on dollars only and their detail says nothing of conversion; growth against 2019 names
    2019; a monthly claim names its month and the month's narrower range, not the year's."""
    dollars = [*WAN_YUAN[:-1], "美元"]
    data = _ingested(tmp_path, {"export-2019.csv": (WAN_YUAN, monthly_rows(2019, "1,000")),
                                "export-2020.csv": (dollars, monthly_rows(2020, "2,000"))})
    conv = trade.conversion(data, trade.scope("Xinjiang", "USA", "export", 2020, 2019))
    assert scmp.conversion_note(conv, "scmp-oct-value") == ""
    assert scmp.conversion_note(conv, "scmp-wind-share") == ""
    growth = scmp.conversion_note(conv, "scmp-us-growth")
    assert growth.startswith("2019 converted from yuan") and "2020" not in growth
    december = scmp.conversion_note(conv, "scmp-dec-growth")
    assert december.startswith("December 2019 converted from yuan"), december
    lo, hi = conv.factors(2019, 12)
    assert f"{(lo - 1) * 100:+.1f} % to {(hi - 1) * 100:+.1f} %" in december
    assert conv.factors(2019, 12) != conv.factors(2019)  # a month's range, not the year's


def test_one_partners_yuan_file_converts_no_other_partners_dollars(tmp_path: Path) -> None:
    """The US downloaded in dollars, Germany in yuan: the US claims are the
    dollars' plain numbers and their detail says nothing of yuan; Germany's are intervals."""
    dollars = [*WAN_YUAN[:-1], "美元"]
    files = {f"新疆出口_美国_{y}.csv": (dollars, monthly_rows(y, f"{v:,}"))
             for y, v in ((2019, 100_000), (2020, 250_000))}
    files |= {f"新疆出口_德国_{y}.csv": (WAN_YUAN, monthly_rows(y, "1,000", partner="304"))
              for y in (2019, 2020)}
    data = _ingested(tmp_path, files)
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    us = trade.conversion(data, s)
    assert not us.converted(2020) and not us.converted(2019)
    assert scmp.conversion_note(us, "scmp-dec-growth") == ""
    figures = {c: v for c, v, _ in scmp.partner_figures(
        trade.partner_growth(data, s), "export", trade.coverage_of(data, s), 2020, 2019,
        trade.conversion_of(data, s))}
    assert figures["scmp-us-growth"] == pytest.approx(150.0)  # 3.0M against 1.2M: a number
    assert isinstance(figures["scmp-deu-value"], Interval)
    assert figures["scmp-deu-value"].contains(12 * 1e7 / currency.cny_per_usd(2020) / 1e6)
    assert trade.conversion_of(data, s)("DEU").converted(2020)


def test_an_annual_yuan_download_gets_the_whole_years_range(tmp_path: Path) -> None:
    data = _ingested(tmp_path, {"export-2020.csv": (WAN_YUAN, [row("2020", "50,000")]),
                                "export-2019.csv": (WAN_YUAN, [row("2019", "40,000")])})
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    conv = trade.conversion(data, s)
    low, high = currency.rate_range(2020)
    assert high / low > 1.05  # 2020's rates moved by more than 5 %
    value = conv.level(10.0, 2020)
    assert value.width == pytest.approx(10.0 * currency.cny_per_usd(2020) * (1 / low - 1 / high))
    # Not even a share of one annual yuan table is exact: the platform's annual dollars add up
    # monthly conversions, so a product shipped in other months has another effective rate.
    share = conv.share(24.0, 2020)
    assert isinstance(share, Interval) and share.contains(24.0) and share.width > 2


def test_dollar_downloads_stay_plain_numbers(tmp_path: Path) -> None:
    rows = {f"export-{y}.csv": (NATIONAL, [row(f"{y}{m:02d}", "1,000", province=None)
                                           for m in range(1, 13)]) for y in (2019, 2020)}
    data = _ingested(tmp_path, rows)
    conv = trade.conversion(data, trade.scope("China", "USA", "export", 2020, 2019))
    assert conv.periods == () and conv.level(5.0, 2020) == 5.0
    assert conv.growth(116.0, 2020, 2019) == 116.0


def test_a_claim_computed_on_yuan_is_filed_as_a_range(tmp_path: Path, record) -> None:
    # October 2020 of US$190 million, downloaded in yuan: 190 million dollars at the month's
    # mean ECB rate. The platform's own dollars may differ by more than the claim's rounding.
    rate = currency.cny_per_usd(2020, 10)
    rows = {"export-2020.csv": (WAN_YUAN, [row("202010", f"{190e6 * rate / 1e4:.2f}")] + [
        row(f"2020{m:02d}", "10") for m in range(1, 13) if m != 10])}
    data = _ingested(tmp_path, rows)
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    figures = {c: v for c, v, _ in scmp.monthly_figures(
        trade.monthly(data, s), trade.coverage(data, s), 2020, 2019, trade.conversion(data, s))}
    october = figures["scmp-oct-value"]
    assert isinstance(october, Interval) and october.contains(190.0)
    got = record("scmp-oct-value", october, data)
    assert got.status == "inconclusive"  # not "reproduced" on the mean rate's knife edge


def test_ingest_tells_users_to_download_dollars(tmp_path: Path) -> None:
    folder = tmp_path / "gacc"
    write(folder, "export-2020.csv", WAN_YUAN, monthly_rows(2020))
    summary = ingest([folder], tmp_path / "out", progress=False).summary()
    assert "in yuan only" in summary and "download in US dollars" in summary


# --- real published figures bound the SCMP's claims -------------------------------------------

def test_published_figures_bound_the_scmp_parts_of_us_exports(record) -> None:
    bounds = {c: (b, e, d) for c, b, e, d in scmp.published_bounds(
        ["scmp-oct-value", "scmp-xmas-value", "scmp-us-growth"])}
    assert set(bounds) == {"scmp-oct-value", "scmp-xmas-value"}  # a growth has no bound here
    low, _ = currency.rate_range(2020)
    bound, evidence, _ = bounds["scmp-oct-value"]
    assert bound.hi == pytest.approx(4528.5 / low) and bound.lo == 0 and bound.lo_open
    assert claims.cannot_judge("scmp-oct-value", evidence) is None  # not the SCMP, 2020
    assert record("scmp-oct-value", bound, evidence).status == "inconclusive"
    assert "US Census Bureau" in bounds["scmp-xmas-value"][1].outlets
    # A part above the whole would differ: a claimed October of US$ 900 million.
    assert not Interval(899.5, 900.5).overlaps(bound)


def test_a_download_total_is_checked_against_the_published_one() -> None:
    assert "consistent with it" in scmp.check_us_exports_2020(660.0, "downloads", False)
    assert "NOT consistent" in scmp.check_us_exports_2020(1320.0, "downloads", False)
    assert "synthetic" in scmp.check_us_exports_2020(800.0, "DEMO data", True)
    assert "no complete 2020 total" in scmp.check_us_exports_2020(math.nan, "downloads", False)
    assert Conversion().level(math.nan, 2020) != Conversion().level(math.nan, 2020)  # NaN stays


def test_which_month_is_highest_is_not_decided_by_conversion_noise(tmp_path: Path) -> None:
    # February's and October's dollars at the months' mean ECB rates 0.5 % apart: the
    # platform's own rates could reverse them, so no single month is filed.
    rows = [row(f"2020{m:02d}", "1,000") for m in range(1, 13)]
    february = 1910 * currency.cny_per_usd(2020, 2) / currency.cny_per_usd(2020, 10) / 1.005
    rows[1], rows[9] = row("202002", f"{february:.2f}"), row("202010", "1,910")
    data = _ingested(tmp_path, {"export-2020.csv": (WAN_YUAN, rows)})
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    figures = {c: v for c, v, _ in scmp.monthly_figures(
        trade.monthly(data, s), trade.coverage(data, s), 2020, 2019, trade.conversion(data, s))}
    assert figures["scmp-oct-peak-month"] == OneOf((2, 10))
    # In dollars the same values decide it.
    assert Conversion().extreme_month(pd.Series({2: 190.0, 10: 191.0}), 2020, True) == 10.0


#: The platform's shortest monthly query by registration place: codes only, values in 万元.
CODES_ONLY = ["数据年月", "商品编码", "贸易伙伴编码", "注册地编码", "人民币(万元)"]


def test_a_month_between_the_possible_peaks_differs(tmp_path: Path, record) -> None:
    """March and December are within the rates' ranges of each other in dollars, so either may
    be the peak; October, between them and the year's lowest, cannot be: the claim differs."""
    values = {3: "2000", 10: "500", 12: "1865"}  # March's 2000 万元 ~ December's 1865 in US$
    rows = [[f"{y}{m:02d}", "85023100", "502", "65", values.get(m, "1000")]
            for y in (2019, 2020) for m in range(1, 13)]
    rows += [[f"{y}01", hs, "502", "65", "0"] for y in (2019, 2020) for hs in OTHER_CHAPTERS]
    write(tmp_path / "gacc", "export.csv", CODES_ONLY, rows, encoding="gbk")
    ingest([tmp_path / "gacc"], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    figures = {c: (v, gap) for c, v, gap in scmp.monthly_figures(
        trade.monthly(data, s), trade.coverage(data, s), 2020, 2019, trade.conversion(data, s))}
    peak, gap = figures["scmp-oct-peak-month"]
    assert peak == OneOf((3, 12)) and gap is None and 10 not in peak
    assert record("scmp-oct-peak-month", peak, data).status == "differs"
    assert record("scmp-dec-annual-low", figures["scmp-dec-annual-low"][0],
                  data).status == "differs"  # October alone is the lowest
    table = claims.build_table(claims.collect()).set_index("claim_id")
    assert table.loc["scmp-oct-peak-month", "computed_value"] == "{3, 12}"
    assert table.loc["scmp-dec-annual-low", "computed_value"] == "10"
