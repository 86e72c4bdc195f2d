"""What the downloads cover, and the scopes queries ask for: a month, a partner or a product
nobody downloaded is missing, never zero; province "China" is the national scope; the claims
that need what is missing are unverifiable with the reason, through to the notebooks.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from downloads import (
    ARTICLE_SCOPE,
    BY_SOURCE,
    NATIONAL,
    WAN_YUAN,
    every_product,
    monthly_rows,
    notebook_text,
    row,
    write,
    write_xlsx,
)

from helpers import claims
from helpers.analysis import inventory, trade
from helpers.errors import InputError
from helpers.ingest import currency, ingest, read_manifest


@pytest.fixture
def national_and_provinces(tmp_path: Path) -> trade.TradeData:
    folder = tmp_path / "gacc"
    for year in (2019, 2020):
        write(folder, f"export-national-{year}.csv", NATIONAL,
              [row(f"{year}{m:02d}", "1,000,000", province=None) for m in range(1, 13)],
              encoding="gbk")
        write(folder, f"export-xinjiang-{year}.csv", WAN_YUAN, monthly_rows(year, "3"))
    ingest([folder], tmp_path / "out", progress=False)
    return trade.open_trade(tmp_path / "out")


def test_province_china_takes_the_national_rows(national_and_provinces: trade.TradeData) -> None:
    data = national_and_provinces
    s = trade.scope("China", "USA", "export", 2020, 2019)
    cov = trade.coverage(data, s)
    assert "national rows" in cov.source
    us = trade.partner_growth(data, s).set_index("partner_iso3").loc["USA"]
    assert us["value"] == pytest.approx(12.0, abs=1e-6)  # 12 months x US$1,000,000
    xj = trade.partner_growth(data, trade.scope("Xinjiang", "USA", "export", 2020, 2019))
    assert xj.set_index("partner_iso3").loc["USA", "value"] < 1  # 12 x 3 万元


def test_the_inventory_never_adds_national_rows_to_a_provinces(tmp_path: Path) -> None:
    """Notebook 00's monthly chart and inventory on a national download beside Xinjiang's (the
    same partner, product and month) and an annual file: national rows and the provinces' sum
    are two lines, never one (Xinjiang counted twice), and annual rows are listed apart."""
    folder = tmp_path / "gacc"
    write(folder, "export-national-202001.csv", NATIONAL,
          [row("202001", "5,000,000", province=None)], encoding="gbk")
    write(folder, "export-xinjiang-202001.csv", [*WAN_YUAN[:-1], "美元"],
          [row("202001", "1,000,000")])
    write(folder, "出口_2020.csv", [h for h in NATIONAL if h != "数据年月"],
          [row("202001", "6,080,000", partner="304", province=None)[1:]])
    ingest([folder], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    monthly = inventory.monthly_totals(data).set_index("where")["value_usd_million"]
    assert monthly.to_dict() == {"national": pytest.approx(5.0),
                                 "sum of provinces": pytest.approx(1.0)}
    annual = inventory.annual_totals(data)
    assert annual[["where", "year", "rows"]].values.tolist() == [["national", 2020, 1]]
    assert annual["value_usd_million"].tolist() == [pytest.approx(6.1)]
    summary = inventory.summary(data).set_index("where")
    assert summary.loc["national", "value_usd_million"].sum() == pytest.approx(11.1)
    assert summary.loc["sum of provinces", "value_usd_million"] == pytest.approx(1.0)


def test_province_china_without_national_rows_sums_every_province(tmp_path: Path) -> None:
    from helpers.ingest.codes import province_table

    codes = province_table()["gacc_code"].tolist()
    rows = {year: [r for code in codes for r in monthly_rows(year, "100" if code == "65" else
                                                               "50", province=code)]
            for year in (2019, 2020)}
    folder = tmp_path / "gacc"
    for year in (2019, 2020):
        write(folder, f"export-{year}.csv", WAN_YUAN, rows[year])
    ingest([folder], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    s = trade.scope("China", "USA", "export", 2020, 2019)
    cov = trade.coverage(data, s)
    assert cov.source == "China's exports: the sum over the 31 provinces for 2019, 2020"
    assert cov.year_gap(2020) is None
    total = trade.monthly(data, s)
    one = trade.monthly(data, trade.scope("Xinjiang", "USA", "export", 2020, 2019))
    assert total["value"].iloc[0] == pytest.approx(one["value"].iloc[0] * (100 + 30 * 50) / 100)


def test_a_sum_over_some_provinces_is_no_national_figure(tmp_path: Path) -> None:
    """Without national rows, China's figure is the sum over every province; a sum over some
    of them is missing, with the reason, never shown as China's."""
    folder = tmp_path / "gacc"
    for year in (2019, 2020):
        write(folder, f"export-{year}.csv", WAN_YUAN,
              monthly_rows(year, "100") + monthly_rows(year, "50", province="44"))
    ingest([folder], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    s = trade.scope("China", "USA", "export", 2020, 2019)
    cov = trade.coverage(data, s)
    assert cov.source == ("China's exports: no national figure for 2019, 2020: no national "
                          "rows, and only 2 of 31 provinces ingested")
    assert cov.year_gap(2020) == ("2020 has no national rows and only 2 of 31 provinces "
                                  "(Guangdong, Xinjiang): their sum is not China's total; "
                                  "ingest national downloads (no province column) or every "
                                  "province")
    assert trade.monthly(data, s)["value"].isna().all()
    us = trade.partner_growth(data, s).set_index("partner_iso3").loc["USA"]
    assert math.isnan(us["value"]) and math.isnan(us["growth_pct"])


def test_an_empty_scope_says_why(national_and_provinces: trade.TradeData, tmp_path: Path) -> None:
    folder = tmp_path / "imports"
    write(folder, "import-2020.csv", NATIONAL,
          [row(f"2020{m:02d}", "9", province=None) for m in range(1, 13)])
    ingest([folder], tmp_path / "only-national", progress=False)
    data = trade.open_trade(tmp_path / "only-national")
    cov = trade.coverage(data, trade.scope("Xinjiang", "USA", "import", 2020, 2019))
    assert cov.empty_reason == ("no rows for Xinjiang imports: the ingested imports are national "
                                "(no province column); set province = 'China' for the national "
                                "figure")
    cov = trade.coverage(data, trade.scope("Xinjiang", "USA", "export", 2020, 2019))
    assert cov.empty_reason == "no exports in the ingested GACC customs downloads (only imports)"
    cov = trade.coverage(national_and_provinces,
                         trade.scope("Guangdong", "USA", "export", 2020, 2019))
    assert cov.empty_reason == ("no rows for Guangdong exports: the ingested exports cover "
                                "Xinjiang and national rows")


@pytest.fixture
def december_missing(tmp_path: Path) -> trade.TradeData:
    folder = tmp_path / "gacc"
    write(folder, "export-xinjiang-2019.csv", WAN_YUAN, every_product(monthly_rows(2019, "10")),
          encoding="gbk")
    write_xlsx(folder, "export-xinjiang-2020.xlsx", WAN_YUAN,
               every_product(monthly_rows(2020, "20")[:11]))
    ingest([folder], tmp_path / "out", progress=False)
    return trade.open_trade(tmp_path / "out")


def test_coverage_is_recorded_per_flow_and_province(december_missing: trade.TradeData) -> None:
    from helpers.analysis.coverage import merged

    manifest = read_manifest(december_missing.data_dir)
    entries = manifest["coverage"]
    assert sorted(e["file"] for e in entries) == ["gacc/export-xinjiang-2019.csv",
                                                  "gacc/export-xinjiang-2020.xlsx"]
    assert all(f["partners"] == ["502"] for f in manifest["files"])
    entry = merged(entries)[0]
    assert (entry["flow"], entry["province"], entry["is_demo"]) == ("export", "Xinjiang", False)
    assert "2020-11" in entry["periods"] and "2020-12" not in entry["periods"]
    assert len(entry["periods"]) == 23


def test_a_missing_month_is_missing_and_its_year_not_totalled(
        december_missing: trade.TradeData) -> None:
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    series = trade.monthly(december_missing, s).set_index(["year", "month"])["value"]
    assert math.isnan(series[(2020, 12)])
    assert series[(2019, 12)] > 0 and series[(2020, 11)] > 0
    us = trade.partner_growth(december_missing, s).set_index("partner_iso3").loc["USA"]
    assert math.isnan(us["value"]) and math.isnan(us["growth_pct"]) and us["base_value"] > 0
    cov = trade.coverage(december_missing, s)
    assert cov.year_gap(2020) == "December 2020 not in the downloads"
    assert cov.gap(["2020-11"]) is None and cov.gap(["2019"]) is None


def test_claims_that_need_a_missing_month_are_unverifiable(
        december_missing: trade.TradeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers.claims import scmp

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    cov = trade.coverage(december_missing, s)
    record = claims.Recorder("test").record
    for claim_id, value, gap in scmp.monthly_figures(trade.monthly(december_missing, s), cov,
                                                     2020, 2019,
                                                     trade.conversion(december_missing, s)):
        record(claim_id, value, december_missing, gap=gap)
    table = claims.build_table(claims.collect(tmp_path / "claims")).set_index("claim_id")
    for claim_id in ("scmp-dec-annual-low", "scmp-dec-value", "scmp-dec-growth",
                     "scmp-oct-peak-month"):
        assert table.loc[claim_id, "status"] == "unverifiable", claim_id
        assert table.loc[claim_id, "computed_value"] == ""
        assert "December 2020 not in the downloads" in table.loc[claim_id, "detail"]
    # October is there: its value is evidence (here it differs from the article's US$190M).
    assert table.loc["scmp-oct-value", "status"] == "differs"


def test_nan_is_never_evidence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path))
    got = claims.Recorder("test").record("scmp-us-growth", math.nan, claims.ARTICLE)
    assert got.status == "unverifiable" and "NaN" in got.detail


def test_an_empty_national_scope_is_an_error_free_empty_result(tmp_path: Path) -> None:
    write(tmp_path / "g", "export-2020.csv", WAN_YUAN, monthly_rows(2020))
    ingest([tmp_path / "g"], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    s = trade.scope("China", "USA", "import", 2020, 2019)
    assert trade.partner_growth(data, s).empty
    assert trade.coverage(data, s).empty_reason == ("no imports in the ingested GACC customs "
                                                    "downloads (only exports)")
    with pytest.raises(InputError, match="unknown province"):
        trade.scope("Mars", "USA", "import", 2020, 2019)


@pytest.mark.slow
def test_notebook_01_gives_the_national_figure(national_and_provinces: trade.TradeData,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.reports.runner import run_notebook

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    executed = run_notebook("01", {**ARTICLE_SCOPE, "province": "China",
                                   "data_dir": str(national_and_provinces.data_dir)},
                            out=tmp_path / "01.ipynb")
    text = notebook_text(executed)
    assert "China's exports to United States, 2020 vs 2019" in text
    assert "coverage: China's exports: national rows (downloads without a province column)" in text
    assert "US$ 12.0M / US$ 12.0M - 1 = +0.0 %" in text
    assert "no claims recorded" in text  # the article's claims are about Xinjiang


@pytest.mark.slow
def test_notebooks_on_a_download_without_december(december_missing: trade.TradeData,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.reports.runner import run_notebook

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    params = {**ARTICLE_SCOPE, "data_dir": str(december_missing.data_dir)}
    text = notebook_text(run_notebook("03", params, out=tmp_path / "03.ipynb"))
    assert "2020: 11 of 12 months; December 2020 not in the downloads" in text
    assert ("months without a figure (shown as gaps, never as zeros): [12]; December 2020 not "
            "in the downloads") in text
    text = notebook_text(run_notebook("01", params, out=tmp_path / "01.ipynb"))
    assert "2020 not totalled: December 2020 not in the downloads" in text
    table = claims.build_table(claims.collect(tmp_path / "claims")).set_index("claim_id")
    for claim_id in ("scmp-us-growth", "scmp-us-more-than-doubled", "scmp-dec-value",
                     "scmp-dec-annual-low", "scmp-oct-peak-month", "scmp-deu-value"):
        rows = table.loc[[claim_id]]
        rows = rows[rows["evidence"] == "customs download"]  # a published bound is no download
        assert len(rows) and (rows["status"] == "unverifiable").all(), claim_id
        assert (rows["computed_value"] == "").all(), claim_id
    assert "December 2020 not in the downloads" in table.loc["scmp-us-growth", "detail"]
    assert "no rows for partner DEU" in table.loc["scmp-deu-value", "detail"]


@pytest.fixture
def us_without_december_beside_germany(tmp_path: Path) -> trade.TradeData:
    """Per-partner downloads: the US file lacks December 2020, the German one is complete."""
    folder = tmp_path / "gacc"
    for year in (2019, 2020):
        us = monthly_rows(year, "5")
        write(folder, f"export-usa-{year}.csv", WAN_YUAN,
              every_product(us[:11] if year == 2020 else us))
        write(folder, f"export-deu-{year}.csv", WAN_YUAN,
              every_product(monthly_rows(year, "7", partner="304")))
    ingest([folder], tmp_path / "out", progress=False)
    return trade.open_trade(tmp_path / "out")


def test_a_partner_downloaded_alone_lacks_its_own_missing_months(
        us_without_december_beside_germany: trade.TradeData) -> None:
    """US December is missing, not 0, although Germany's file has December."""
    data = us_without_december_beside_germany
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    series = trade.monthly(data, s).set_index(["year", "month"])["value"]
    assert math.isnan(series[(2020, 12)]) and series[(2020, 11)] > 0
    table = trade.partner_growth(data, s).set_index("partner_iso3")
    assert math.isnan(table.loc["USA", "value"]) and table.loc["DEU", "value"] > 0
    germany = trade.monthly(data, trade.scope("Xinjiang", "DEU", "export", 2020, 2019))
    assert germany["value"].notna().all()


def test_a_code_finer_than_the_downloads_is_missing_not_zero(tmp_path: Path) -> None:
    folder = tmp_path / "gacc"
    for year in (2019, 2020):
        write(folder, f"export-{year}.csv", WAN_YUAN, monthly_rows(year, "5", hs="2917"))
    ingest([folder], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    got = trade.hs_prefix_totals(data, s, ["29171", "2917", "29"]).set_index("hs")
    assert math.isnan(got.loc["29171", "value"])
    assert got.loc["29171", "note"] == "the downloads hold HS 2917 (4 digits), not finer"
    assert got.loc["2917", "value"] > 0 and got.loc["29", "value"] > 0
    assert trade.top_products(data, s, level=6).empty
    assert "at most 4 digits" in trade.levels_note(data, s, 6)


def test_yuan_without_an_ecb_rate_are_missing_not_zero(tmp_path: Path) -> None:
    last = currency.daily_rates()["date"].max()
    year = last.year + 1  # no ECB rate for any month of it in the shipped data
    folder = tmp_path / "gacc"
    write(folder, f"export-{year - 1}.csv", WAN_YUAN,
          [row(f"{year - 1}{m:02d}", "5") for m in range(1, 13)])
    write(folder, f"export-{year}.csv", WAN_YUAN,
          [row(f"{year}{m:02d}", "5") for m in range(1, 13)])
    result = ingest([folder], tmp_path / "out", progress=False)
    assert any("outside the ECB rates' dates" in w for w in result.warnings)
    data = trade.open_trade(tmp_path / "out")
    cov = trade.coverage(data, trade.scope("Xinjiang", "USA", "export", year, year - 1))
    assert "no ECB rate to convert the yuan" in cov.year_gap(year)


@pytest.fixture
def national_2019_xinjiang_2020(tmp_path: Path) -> trade.TradeData:
    """National rows for 2019, Xinjiang's rows only for 2020."""
    folder = tmp_path / "gacc"
    write(folder, "export-china-2019.csv", NATIONAL,
          [row(f"2019{m:02d}", "1,000", province=None) for m in range(1, 13)])
    write(folder, "export-xinjiang-2020.csv", WAN_YUAN, monthly_rows(2020, "3"))
    ingest([folder], tmp_path / "out", progress=False)
    return trade.open_trade(tmp_path / "out")


def test_national_rows_one_year_and_a_province_the_other_are_not_compared(
        national_2019_xinjiang_2020: trade.TradeData) -> None:
    data = national_2019_xinjiang_2020
    s = trade.scope("China", "USA", "export", 2020, 2019)
    assert "not comparable with the national rows of 2019" in trade.coverage(data, s).year_gap(2020)
    assert trade.partner_growth(data, s)["growth_pct"].isna().all()


def test_a_file_of_some_partners_covers_only_those(tmp_path: Path) -> None:
    """US+Japan lack December; Germany+Belgium are complete: US December is missing."""
    folder = tmp_path / "gacc"
    for year in (2019, 2020):
        us_jp = monthly_rows(year, "5") + monthly_rows(year, "2", partner="116")
        if year == 2020:
            us_jp = [r for r in us_jp if r[0] != "202012"]
        write(folder, f"export-us-jp-{year}.csv", WAN_YUAN, us_jp)
        write(folder, f"export-de-{year}.csv", WAN_YUAN, monthly_rows(year, "7", partner="304"))
    ingest([folder], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    assert trade.coverage(data, s).year_gap(2020) == "December 2020 not in the downloads"
    assert math.isnan(trade.monthly(data, s).set_index(["year", "month"])["value"][(2020, 12)])
    table = trade.partner_growth(data, s).set_index("partner_iso3")
    assert math.isnan(table.loc["USA", "value"]) and table.loc["DEU", "value"] > 0


def test_partner_claims_are_judged_on_each_partners_coverage(
        us_without_december_beside_germany: trade.TradeData) -> None:
    from helpers.claims import scmp

    data = us_without_december_beside_germany
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    figures = {c: (v, gap) for c, v, gap in scmp.partner_figures(
        trade.partner_growth(data, s), "export", trade.coverage_of(data, s), 2020, 2019,
        trade.conversion_of(data, s))}
    assert figures["scmp-deu-value"][1] is None and figures["scmp-deu-value"][0].lo > 0
    assert figures["scmp-us-growth"][1] == "December 2020 not in the downloads"


def test_national_months_are_not_compared_with_a_provinces(
        national_2019_xinjiang_2020: trade.TradeData) -> None:
    series = trade.monthly(national_2019_xinjiang_2020,
                           trade.scope("China", "USA", "export", 2020, 2019))
    assert series[series["year"] == 2020]["value"].isna().all()
    assert series[series["year"] == 2019]["value"].notna().all()


def test_a_product_with_no_rows_for_any_partner_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    for year in (2019, 2020):
        write(folder, f"export-{year}.csv", WAN_YUAN, monthly_rows(year, "5"))
    ingest([folder], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    got = trade.hs_prefix_totals(data, trade.scope("Xinjiang", "USA", "export", 2020, 2019),
                                 ["2917", "8502"]).set_index("hs")
    assert math.isnan(got.loc["2917", "value"])
    assert "no rows with HS 2917" in got.loc["2917", "note"]
    assert got.loc["8502", "value"] > 0


@pytest.mark.slow
def test_a_download_by_source_of_goods_checks_no_claim_by_registration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The article's Xinjiang figures are by the trading firm's registration (注册地); rows by
    the source of the goods (境内货源地) measure something else and must not be filed against
    them, however complete."""
    from helpers.reports.runner import run_notebook

    for year in (2019, 2020):
        write(tmp_path / "g", f"export-{year}.csv", BY_SOURCE, monthly_rows(year))
    ingest([tmp_path / "g"], tmp_path / "out", progress=False)
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    params = {**ARTICLE_SCOPE, "data_dir": str(tmp_path / "out")}
    text = notebook_text(run_notebook("01", params, out=tmp_path / "01.ipynb"))
    assert "coverage: Xinjiang exports (province by source of goods)" in text
    assert "not compared: the downloads give Xinjiang by source of goods" in text
    table = claims.build_table(claims.collect(tmp_path / "claims")).set_index("claim_id")
    for claim_id in ("scmp-us-growth", "scmp-us-more-than-doubled"):
        row = table.loc[claim_id]
        assert row["status"] == "unverifiable", claim_id
        assert "by the trading firm's registration (注册地)" in row["detail"], claim_id


def test_a_partner_without_rows_is_zero_where_downloaded_and_missing_where_not(
        tmp_path: Path) -> None:
    """A download of all partners holds Japan (for Guangdong): Xinjiang's trade with Japan is
    zero, not missing. Vietnam is in no download: missing, saying so."""
    for year in (2019, 2020):
        write(tmp_path / "g", f"export-{year}.csv", WAN_YUAN,
              every_product(monthly_rows(year) + monthly_rows(year, partner="116", province="44")))
    ingest([tmp_path / "g"], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    answers = {}
    for partner in ("USA", "JPN", "VNM"):
        s = trade.scope("Xinjiang", partner, "export", 2020, 2019)
        answers[partner] = trade.partner_values(trade.partner_growth(data, s), s,
                                                trade.coverage(data, s))
    value, base, why = answers["USA"]  # 12 x 10 万元 a year, about US$ 0.17M
    assert 0.15 < value < 0.2 and 0.15 < base < 0.2 and why is None
    assert answers["JPN"] == (0.0, 0.0, "no exports to Japan in either year: growth undefined")
    value, base, why = answers["VNM"]
    assert math.isnan(value) and math.isnan(base) and why is not None
    assert why.startswith("no rows for partner")


def test_a_title_over_both_kinds_of_data_says_so() -> None:
    from helpers.reports import notebook

    assert notebook.title("t", True) == "DEMO (synthetic data) — t"
    assert notebook.title("t", [False, False]) == "t"
    assert notebook.title("t", [True, False]) == (
        "DEMO (synthetic data) and real data, told apart row by row — t")


@pytest.mark.slow
def test_the_inventory_of_demo_and_real_files_labels_both(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Notebook 00 lists every file ingested: read as DEMO or as real data, a table holding
    both kinds says so, and a page with any DEMO row says DEMO data was used."""
    import nbformat

    from helpers.paths import raw_dir
    from helpers.reports.runner import run_notebook

    write(tmp_path / "gacc", "export-2020.csv", WAN_YUAN, monthly_rows(2020))
    ingest([raw_dir() / "demo", tmp_path / "gacc"], tmp_path / "out", progress=False)
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    for source in ("demo", "real"):
        executed = nbformat.read(run_notebook("00", {"data_dir": str(tmp_path / "out"),
                                                     "data_source": source},
                                              out=tmp_path / f"00-{source}.ipynb"), as_version=4)
        text = "\n".join(str(o.get("data", {}).get("text/plain", ""))
                         for c in executed.cells for o in c.get("outputs", []))
        for caption in ("the input files", "the processed table, by data kind and flow"):
            assert (f"Table: DEMO (synthetic data) and real data, told apart row by row — "
                    f"{caption}") in text, (source, caption)


def test_months_of_a_year_held_only_as_annual_figures_are_named(tmp_path: Path) -> None:
    """An annual download has no months: the peak-month claim needs all twelve and is told
    so ("its months"), the October value is told of October, not of January."""
    from downloads import ANNUAL, ANNUAL_ROW, OTHER_CHAPTERS

    from helpers.claims import scmp

    folder = tmp_path / "gacc"
    rows = [ANNUAL_ROW] + [[hs, "其他", *ANNUAL_ROW[2:-1], "5"] for hs in OTHER_CHAPTERS]
    for year in (2019, 2020):
        write(folder, f"新疆出口_{year}.csv", ANNUAL, rows, encoding="gb18030")
    ingest([folder], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    gaps = {claim_id: gap for claim_id, _, gap in scmp.monthly_figures(
        trade.monthly(data, s), trade.coverage(data, s), 2020, 2019, trade.conversion(data, s))}
    assert gaps["scmp-oct-peak-month"] == ("2020 has only annual figures (no 数据年月 / Date of "
                                           "data column): its months cannot be told apart")
    assert gaps["scmp-oct-value"].endswith(": October cannot be told apart")
    assert gaps["scmp-dec-growth"].count("December cannot be told apart") == 2
    assert "January" not in " ".join(gaps.values())


def test_a_claims_row_names_the_downloads_it_rests_on(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The claims table says which files a value was computed on and one digest of them: the
    same claim on other downloads is told apart, and the page shows count and digest."""
    import hashlib

    from helpers.reports.site import _source_line

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    folder = tmp_path / "gacc"
    for year in (2019, 2020):
        write(folder, f"export-xinjiang-{year}.csv", WAN_YUAN, monthly_rows(year, "3"),
              encoding="gbk")
    sources = []
    for value in ("3", "4"):  # the same names, other numbers in 2020
        write(folder, "export-xinjiang-2020.csv", WAN_YUAN, monthly_rows(2020, value),
              encoding="gbk")
        ingest([folder], tmp_path / "out", progress=False, full=True)
        data = trade.open_trade(tmp_path / "out")
        claims.Recorder("t").record("scmp-dec-value", 14.6, data)
        table = claims.build_table(claims.collect(tmp_path / "claims")).set_index("claim_id")
        sources.append(str(table.loc["scmp-dec-value", "source"]))
        files = sorted((f["file"], f["sha256"]) for f in read_manifest(tmp_path / "out")["files"])
        digest = hashlib.sha256("".join(f"{n}\t{h}\n" for n, h in files).encode()).hexdigest()
        assert sources[-1] == (f"GACC customs downloads: 2 files (gacc/export-xinjiang-2019.csv, "
                               f"gacc/export-xinjiang-2020.csv); inputs sha256 {digest[:16]}, "
                               "each file's in out/manifest.json")
        assert _source_line(sources[-1]) == f"<br><small>2 files, inputs {digest[:16]}</small>"
    assert sources[0] != sources[1]
    assert _source_line("p1 (USGS Mineral Commodity Summaries 2022)") == ""


def test_notebook_04_says_why_an_article_partner_has_no_machinery_figure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A partner nobody downloaded, or a chapter no row holds, is a blank cell in notebook 04's
    machinery table: the notebook says which and why, not a bare NaN."""
    from helpers.reports.runner import run_notebook

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    folder = tmp_path / "gacc"
    for year in (2019, 2020):
        write(folder, f"import-xinjiang-{year}.csv", WAN_YUAN,
              every_product(monthly_rows(year, "3")), encoding="gbk")
    ingest([folder], tmp_path / "out", flow="import", progress=False)
    params = {**ARTICLE_SCOPE, "flow": "import", "data_dir": str(tmp_path / "out")}
    text = notebook_text(run_notebook("04", params, out=tmp_path / "04.ipynb"))
    assert "USA: no figure, no rows with HS 84 for any partner in the downloads" in text
    assert "BEL: no figure, no rows for partner BEL in the GACC customs downloads" in text


def test_notebook_04_notes_conversion_only_for_the_periods_a_claim_rests_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Germany's 2020 shipments downloaded in dollars, 2019 in yuan: the 2020 value claims are
    the platform's own dollars, and their detail says nothing of 2019's conversion."""
    from helpers.reports.runner import run_notebook

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    folder = tmp_path / "gacc"
    dollars = [*WAN_YUAN[:-1], "美元"]
    for year, header in ((2019, WAN_YUAN), (2020, dollars)):
        rows = every_product(monthly_rows(year, "3,000,000", partner="304", hs="84099990"))
        write(folder, f"import-deu-{year}.csv", header, rows, encoding="gbk")
    ingest([folder], tmp_path / "out", flow="import", progress=False)
    params = {**ARTICLE_SCOPE, "flow": "import", "data_dir": str(tmp_path / "out")}
    run_notebook("04", params, out=tmp_path / "04.ipynb")
    table = claims.build_table(claims.collect(tmp_path / "claims")).set_index("claim_id")
    for claim_id in ("scmp-deu-to-xj-value", "scmp-deu-to-xj-machinery"):
        row = table.loc[[claim_id]]
        row = row[row["evidence"] == "customs download"].iloc[0]
        assert row["status"] == "differs", claim_id  # 36 against 134 and 41: a value, no range
        assert "2019" not in row["detail"], (claim_id, row["detail"])
