"""A download of a few products is no partner's total: the claims that need the total of all
products (a partner's value or growth, a product's share, the monthly totals) are unverifiable
with the reason; a product's own figures are still judged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from downloads import ARTICLE_SCOPE, OTHER_CHAPTERS, notebook_text, write

from helpers import claims
from helpers.analysis import trade
from helpers.analysis.coverage import MIN_CHAPTERS, Products
from helpers.claims import scmp
from helpers.ingest import ingest

#: The platform's monthly query by product, partner and registration place, in US dollars.
DOLLARS = ["数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "注册地编码",
           "注册地名称", "第一数量", "第一计量单位", "第二数量", "第二计量单位", "美元"]
#: The article's four products: wind sets, Christmas decorations, flowers, polycarboxylic acids.
ARTICLE_CODES = ("85023100", "95051000", "67029090", "29171100")
PARTNERS = {"502": "美国", "304": "德国"}
SELECTED = ("the downloads hold only 4 HS codes in 4 chapters for Xinjiang's exports (every "
            "partner) in 2019 and 2020 (29, 67, 85, 95): too few for a total of all products "
            "(a query of selected products?)")


def _rows(codes: tuple[str, ...]) -> list[list[str]]:
    """Every month of 2019 and 2020 for each code and partner; 2020 a third above 2019."""
    return [[f"{y}{m:02d}", hs, "商品", code, name, "65", "新疆", "10", "千克", "-", "-",
             f"{(1_000_000 if y == 2019 else 1_300_000) + m * 1000}"]
            for y in (2019, 2020) for m in range(1, 13) for hs in codes
            for code, name in PARTNERS.items()]


def _data(tmp_path: Path, codes: tuple[str, ...]) -> trade.TradeData:
    write(tmp_path / "gacc", "export.csv", DOLLARS, _rows(codes), encoding="gbk")
    ingest([tmp_path / "gacc"], tmp_path / "out", progress=False)
    return trade.open_trade(tmp_path / "out")


@pytest.fixture
def four_products(tmp_path: Path) -> trade.TradeData:
    return _data(tmp_path, ARTICLE_CODES)


def _figures(data: trade.TradeData) -> dict[str, tuple[object, str | None]]:
    """Every SCMP export claim notebooks 01-03 file for the US, as (value, gap)."""
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    cov, conv = trade.coverage(data, s), trade.conversion(data, s)
    chosen = trade.hs_prefix_totals(data, s, list(scmp.PRODUCT_CLAIMS))
    total = trade.partner_growth(data, s).set_index("partner_iso3").loc["USA", "value"]
    chosen["share_pct"] = chosen["value"] / total * 100
    found = [*scmp.partner_figures(trade.partner_growth(data, s), "export",
                                   trade.coverage_of(data, s), 2020, 2019,
                                   trade.conversion_of(data, s)),
             *scmp.product_figures(chosen, cov, 2020, 2019, conv),
             *scmp.monthly_figures(trade.monthly(data, s), cov, 2020, 2019, conv)]
    return {c: (v, gap) for c, v, gap in found}


def test_a_query_of_four_products_gives_no_partner_total(four_products: trade.TradeData) -> None:
    figures = _figures(four_products)
    for claim_id in ("scmp-us-growth", "scmp-wind-share", "scmp-oct-peak-month",
                     "scmp-oct-value", "scmp-dec-annual-low", "scmp-dec-value",
                     "scmp-dec-growth"):
        assert figures[claim_id][1] is not None, claim_id
        assert figures[claim_id][1].startswith(SELECTED.split(" in 2019")[0]), claim_id
    assert figures["scmp-us-growth"][1].startswith(SELECTED)
    assert "(29, 67, 85, 95)" in figures["scmp-wind-share"][1]
    assert "(every partner) in 2020 (29, 67, 85, 95)" in figures["scmp-deu-value"][1]
    # A product's own value and growth need its rows only: they are judged.
    for claim_id in ("scmp-wind-growth", "scmp-xmas-value", "scmp-xmas-growth",
                     "scmp-flowers-growth", "scmp-polycarboxylic-value"):
        assert figures[claim_id][1] is None, claim_id


def test_the_reason_reaches_the_recorder_and_the_cross_check(
        four_products: trade.TradeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    record = claims.Recorder("99-test").record
    for claim_id, (value, gap) in _figures(four_products).items():
        record(claim_id, value, four_products, gap=gap)
    table = claims.build_table(claims.collect(tmp_path / "claims")).set_index("claim_id")
    for claim_id in ("scmp-us-growth", "scmp-deu-value", "scmp-deu-growth", "scmp-wind-share"):
        assert table.loc[claim_id, "status"] == "unverifiable", claim_id
        assert table.loc[claim_id, "computed_value"] == "", claim_id
        assert "a query of selected products" in table.loc[claim_id, "detail"], claim_id
    assert table.loc["scmp-wind-growth", "status"] == "differs"  # +30 %, not +3,265 %
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    cov = trade.coverage(four_products, s)
    _, _, why = trade.partner_values(trade.partner_growth(four_products, s), s, cov)
    assert why.startswith(SELECTED)
    said = scmp.check_us_exports_2020(60.0, "downloads", False, cov)
    assert "not compared: the downloads hold only 4 HS codes" in said
    assert "products: the downloads hold only 4 HS codes" in cov.note()


def test_every_chapter_is_a_total_and_nine_are_not(tmp_path: Path) -> None:
    data = _data(tmp_path / "all", (*ARTICLE_CODES, *OTHER_CHAPTERS))
    figures = _figures(data)
    assert figures["scmp-us-growth"][1] is None and figures["scmp-deu-value"][1] is None
    assert figures["scmp-wind-share"][1] is None and figures["scmp-oct-value"][1] is None
    nine = _data(tmp_path / "nine", (*ARTICLE_CODES, *OTHER_CHAPTERS[:5]))
    assert "9 HS codes in 9 chapters" in _figures(nine)["scmp-us-growth"][1]
    assert MIN_CHAPTERS == 10 and not Products(10, tuple(f"{c:02d}" for c in range(10))).selection
    assert not Products(0, ()).selection  # nothing traded is no selection: a zero


@pytest.mark.slow
def test_notebooks_file_no_total_from_a_query_of_four_products(
        four_products: trade.TradeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.reports.runner import run_notebook

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    params = {**ARTICLE_SCOPE, "data_dir": str(four_products.data_dir)}
    text = notebook_text(run_notebook("01", params, out=tmp_path / "01.ipynb"))
    assert "products: " + SELECTED in text
    composition = notebook_text(run_notebook(
        "02", {**params, "hs_codes": "850231,950510,6702,29171"}, out=tmp_path / "02.ipynb"))
    # A share of the four products downloaded is no share of the total: none is shown.
    assert "HS 850231: no share or contribution: the downloads hold only" in composition
    assert " share 2020 = " not in composition
    run_notebook("03", params, out=tmp_path / "03.ipynb")
    table = claims.build_table(claims.collect(tmp_path / "claims"))
    downloads = table[table["evidence"] == "customs download"].set_index("claim_id")
    for claim_id in ("scmp-us-growth", "scmp-us-more-than-doubled", "scmp-wind-share",
                     "scmp-oct-peak-month", "scmp-oct-value", "scmp-dec-growth"):
        assert downloads.loc[claim_id, "status"] == "unverifiable", claim_id
        assert "a query of selected products" in downloads.loc[claim_id, "detail"], claim_id
    assert downloads.loc["scmp-wind-growth", "status"] == "differs"


def test_a_small_partner_in_few_chapters_beside_a_whole_download_is_judged(
        tmp_path: Path) -> None:
    """One query of every product: the US in twelve chapters, Belgium in two. Belgium's whole
    trade lying in few chapters says nothing of a selection: its total is judged."""
    us = [*ARTICLE_CODES, *OTHER_CHAPTERS]
    rows = [[f"{y}{m:02d}", hs, "商品", "502", "美国", "65", "新疆", "10", "千克", "-", "-", "5"]
            for y in (2019, 2020) for m in range(1, 13) for hs in us]
    rows += [[f"{y}{m:02d}", hs, "商品", "301", "比利时", "65", "新疆", "10", "千克", "-", "-",
              "7"] for y in (2019, 2020) for m in range(1, 13) for hs in ARTICLE_CODES[:2]]
    write(tmp_path / "gacc", "export.csv", DOLLARS, rows, encoding="gbk")
    ingest([tmp_path / "gacc"], tmp_path / "out", progress=False)
    data = trade.open_trade(tmp_path / "out")
    cov = trade.coverage(data, trade.scope("Xinjiang", "BEL", "export", 2020, 2019))
    assert cov.total_gap(["2019", "2020"]) is None
