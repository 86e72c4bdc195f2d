"""Which SCMP claims a customs computation speaks to, so notebooks record them only then.

The SCMP figures are about Xinjiang, 2020 against 2019, by registration of the trading firm.
A notebook run for another province, year or flow computes the same quantities but must not
file them against the article's claims.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterable

import pandas as pd

from helpers.analysis.conversion import Conversion
from helpers.analysis.coverage import ScopeCoverage
from helpers.analysis.growth import growth_pct
from helpers.analysis.intervals import Interval, OneOf
from helpers.claims.evidence import Evidence

#: (claim_id, computed value, why the data cannot speak to it or None): what a notebook files.
#: The value is an Interval when it rests on yuan converted to dollars (analysis.conversion),
#: and a OneOf for a peak or low month that conversion could move to another month.
Figure = tuple[str, float | Interval | OneOf, str | None]

#: (flow, partner ISO3) -> {quantity: claim_id}; values in US$ million, growth in per cent.
PARTNER_CLAIMS: dict[tuple[str, str], dict[str, str]] = {
    ("export", "USA"): {"growth": "scmp-us-growth"},
    ("export", "DEU"): {"value": "scmp-deu-value", "growth": "scmp-deu-growth"},
    ("export", "BEL"): {"value": "scmp-bel-value", "growth": "scmp-bel-growth"},
    ("export", "ITA"): {"growth": "scmp-ita-growth"},
    ("export", "CAN"): {"growth": "scmp-can-growth"},
    ("export", "GBR"): {"value": "scmp-gbr-value", "growth": "scmp-gbr-growth"},
    ("import", "USA"): {"growth": "scmp-us-to-xj-growth"},
    ("import", "DEU"): {"value": "scmp-deu-to-xj-value"},
}

#: HS code (as the notebooks' hs_codes parameter spells it) -> {quantity: claim_id}, US exports.
PRODUCT_CLAIMS: dict[str, dict[str, str]] = {
    "850231": {"growth": "scmp-wind-growth", "share": "scmp-wind-share"},
    "950510": {"growth": "scmp-xmas-growth", "value": "scmp-xmas-value"},  # Christmas, not 9505
    "6702": {"growth": "scmp-flowers-growth"},
    "29171": {"value": "scmp-polycarboxylic-value"},  # acyclic: 291711-291719, not all of 2917
}

ARTICLE_PARTNERS = ("USA", "DEU", "BEL", "ITA", "CAN", "GBR")

#: How the article's figures place trade in Xinjiang: by the trading firm's registration (注册地).
ARTICLE_BASIS = "registration"


def basis_gap(cov: ScopeCoverage) -> str | None:
    """Why rows that place trade in the province another way (by the source of the goods, 境内
    货源地) cannot check the article's figures, or None: the two measures differ, often by
    much, so a gap between them says nothing about the article."""
    if not cov.basis or set(cov.basis) == {ARTICLE_BASIS}:
        return None
    return (f"the downloads give {cov.province} by {' and '.join(cov.basis)}, the article's "
            "figures by the trading firm's registration (注册地): download the query by 注册地 "
            "to check it")


def claim_gap(cov: ScopeCoverage, periods: Iterable[str]) -> str | None:
    """Why the downloads cannot check a claim about `periods`: another basis, or a gap."""
    return basis_gap(cov) or cov.gap(periods)


def total_gap(cov: ScopeCoverage, periods: Iterable[str]) -> str | None:
    """`claim_gap` for a claim that needs the total of all products (a partner's value or
    growth, a product's share of it, the monthly totals): a download of a few products is no
    such total (`ScopeCoverage.selection_gap`). A product's own figures need `claim_gap` only."""
    return basis_gap(cov) or cov.total_gap(periods)


def conversion_note(conv: Conversion, claim_id: str) -> str:
    """The words on yuan conversion for one claim's detail, about the periods the claim rests
    on as the ledger gives them (`2020-10`, `2020 vs 2019`, `2020-12 vs 2019-12`): October
    2020 from a dollar download says nothing of the base year's yuan file."""
    from helpers.claims import ledger

    found = ledger.periods_of(str(ledger.claim(claim_id)["period"]))
    months = {month for _, month in found}
    month = months.pop() if len(months) == 1 else None
    return conv.note(*(year for year, _ in found), month=month)


def applies(province: str, year: int, base_year: int) -> bool:
    """True when a computation has the article's scope: Xinjiang, 2020 against 2019."""
    return province == "Xinjiang" and year == 2020 and base_year == 2019


def claim_partner(claim_id: str) -> str:
    """The partner (ISO3) a claim of PARTNER_CLAIMS is about."""
    return next(iso3 for (_, iso3), wanted in PARTNER_CLAIMS.items()
                if claim_id in wanted.values())


def partner_figures(table: pd.DataFrame, flow: str,
                    coverage_of: Callable[[str], ScopeCoverage], year: int,
                    base_year: int, conversion_of: Callable[[str], Conversion]) -> list[Figure]:
    """Every partner claim of `flow`, with the value `table` gives and the coverage gap, if any.

    `table` is `trade.partner_growth`'s frame (value in US$ million, growth_pct); claims come in
    the order of PARTNER_CLAIMS, value before growth. A value needs the year's total, a growth
    both years', each of all products and judged on that partner's own coverage
    (`coverage_of(iso3)`: a download of one partner covers no other); a partner without rows
    gets NaN and says so. Values resting on yuan come back as the interval that partner's
    conversion (`conversion_of(iso3)`) allows: a yuan file of one partner's converts no other's.
    """
    by_partner = table.set_index("partner_iso3")
    figures: list[Figure] = []
    for (claim_flow, iso3), wanted in PARTNER_CLAIMS.items():
        if claim_flow != flow:
            continue
        row = by_partner.loc[iso3] if iso3 in by_partner.index else None
        absent = None if row is not None else f"no rows for partner {iso3} in the data"
        cov, conv = coverage_of(iso3), conversion_of(iso3)
        if "value" in wanted:
            value = math.nan if row is None else float(row["value"])
            figures.append((wanted["value"], conv.level(value, year),
                            total_gap(cov, [str(year)]) or absent))
        if "growth" in wanted:
            growth = math.nan if row is None else float(row["growth_pct"])
            figures.append((wanted["growth"], conv.growth(growth, year, base_year),
                            total_gap(cov, [str(base_year), str(year)]) or absent))
    return figures


def product_figures(chosen: pd.DataFrame, cov: ScopeCoverage, year: int,
                    base_year: int, conv: Conversion) -> list[Figure]:
    """The product claims `chosen` (trade.hs_prefix_totals plus share_pct) speaks to: a
    product's own value and growth need its rows only, its share the total of all products."""
    figures: list[Figure] = []
    both, this = claim_gap(cov, [str(base_year), str(year)]), claim_gap(cov, [str(year)])
    whole = total_gap(cov, [str(year)])
    for row in chosen.itertuples():
        wanted = PRODUCT_CLAIMS.get(str(row.hs), {})
        note = getattr(row, "note", "") or None  # a code finer than the downloads
        if "growth" in wanted:
            figures.append((wanted["growth"], conv.growth(float(row.growth_pct), year, base_year),
                            both or note))
        if "share" in wanted:
            figures.append((wanted["share"], conv.share(float(row.share_pct), year), whole or note))
        if "value" in wanted:
            figures.append((wanted["value"], conv.level(float(row.value), year), this or note))
    return figures


def monthly_figures(series: pd.DataFrame, cov: ScopeCoverage, year: int,
                    base_year: int, conv: Conversion) -> list[Figure]:
    """The October peak and December low claims from `trade.monthly`'s frame.

    Which month is the highest or lowest needs all twelve months of the year: a month nobody
    downloaded must not become "the annual low". `series` is of all products (notebook 03), so
    every figure needs a download of all products, not of a few.
    """
    this = series[series["year"] == year].set_index("month")["value"]
    before = series[series["year"] == base_year].set_index("month")["value"]
    whole_year = total_gap(cov, [f"{year}-{m:02d}" for m in range(1, 13)])
    december = total_gap(cov, [f"{year}-12", f"{base_year}-12"])
    return [
        ("scmp-oct-peak-month", conv.extreme_month(this, year, highest=True), whole_year),
        ("scmp-oct-value", conv.level(float(this[10]), year, 10), total_gap(cov, [f"{year}-10"])),
        ("scmp-dec-annual-low", conv.extreme_month(this, year, highest=False), whole_year),
        ("scmp-dec-value", conv.level(float(this[12]), year, 12), total_gap(cov, [f"{year}-12"])),
        ("scmp-dec-growth", conv.growth(growth_pct(float(this[12]), float(before[12])), year,
                                        base_year, 12), december),
    ]


def month_name(month: float) -> str:
    """'October' for 10; '(none)' for a missing month."""
    return calendar.month_name[int(month)] if not math.isnan(month) else "(none)"


#: Claims that are part of Xinjiang's 2020 exports to the US, and what a published total says.
PARTS_OF_US_EXPORTS = ("scmp-oct-value", "scmp-dec-value", "scmp-polycarboxylic-value",
                       "scmp-xmas-value")


def published_bounds(claim_ids: Iterable[str]) -> list[tuple[str, Interval, Evidence, str]]:
    """Upper bounds that published figures put on the SCMP's parts of Xinjiang's 2020 exports to
    the US: a month or a product cannot exceed the year's total (4.528 billion yuan, from the
    2020 statistical bulletin as quoted, in dollars at any 2020 rate), and Xinjiang's Christmas
    decorations cannot exceed all US imports of them from China (US Census Bureau).

    Each comes back as (claim_id, interval, evidence, detail) for `Recorder.record`: a bound is
    an interval from zero, so a claim below it is `inconclusive` (not contradicted, not shown)
    and one above it `differs`.
    """
    from helpers.claims import published

    figures = published.xinjiang_trade()
    dollars, said = us_exports_2020()
    bounds = []
    for claim_id in claim_ids:
        if claim_id not in PARTS_OF_US_EXPORTS:
            continue
        rows, limit, detail = figures.loc[["xj-2020-exports-us"]], dollars.hi, said
        if claim_id == "scmp-xmas-value":
            census = figures.loc["us-2020-xmas-imports-china"]
            rows = figures.loc[["xj-2020-exports-us", "us-2020-xmas-imports-china"]]
            limit = min(limit, census["value"] + census["tolerance"])
            detail += (f"; all US imports of Christmas decorations from China in 2020: "
                       f"US$ {census['value']:,.0f} million ({census['outlet']})")
        bounds.append((claim_id, Interval(0.0, limit, lo_open=True), published.evidence(rows),
                       f"a part cannot exceed the whole: {detail}"))
    return bounds


def us_exports_2020() -> tuple[Interval, str]:
    """Xinjiang's 2020 exports to the US as published (4.528 billion yuan, rounded to the
    million), in dollars at any rate of 2020: a cross-check for downloads of the same scope."""
    from helpers.claims import published
    from helpers.ingest import currency

    total = published.xinjiang_trade().loc["xj-2020-exports-us"]
    yuan = Interval(total["value"] - total["tolerance"], total["value"] + total["tolerance"])
    dollars = currency.usd_interval(yuan, int(total["year"]))
    return dollars, (f"Xinjiang's 2020 exports to the US: {total['value']:,.0f} million yuan "
                     f"({total['outlet']}, quoting the 2020 statistical bulletin), US$ {dollars} "
                     f"million at 2020's range of ECB rates")


def check_us_exports_2020(computed: float | Interval, label: str, is_demo: bool,
                          cov: ScopeCoverage | None = None) -> str:
    """Whether a computed total of Xinjiang's 2020 exports to the US agrees with the published
    one (in words, for the notebook): a download that misses files or doubles them shows here.
    Rows on another basis than the published total's (`cov`), or of a few products only, are
    not compared."""
    published_total, said = us_exports_2020()
    other_basis = (basis_gap(cov) or cov.selection_gap([2020])) if cov is not None else None
    if other_basis:
        return f"cross-check: {said}; not compared: {other_basis}"
    if not isinstance(computed, Interval) and math.isnan(computed):
        return f"cross-check: {said}; the {label} hold no complete 2020 total to compare"
    mine = computed if isinstance(computed, Interval) else Interval.point(computed)
    verdict = ("consistent with it" if published_total.overlaps(mine) else
               "not consistent with it (DEMO values are synthetic)" if is_demo else
               "NOT consistent with it: check that every month and partner was downloaded once")
    return f"cross-check: {said}; the {label} give US$ {mine} million: {verdict}"
