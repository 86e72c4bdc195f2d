"""Which SCMP claims a customs computation speaks to, so notebooks record them only then.

The SCMP figures are about Xinjiang, 2020 against 2019, by registration of the trading firm.
A notebook run for another province, year or flow computes the same quantities but must not
file them against the article's claims.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable

import pandas as pd

from helpers.coverage import ScopeCoverage
from helpers.growth import growth_pct

#: (claim_id, computed value, why the data cannot speak to it or None): what a notebook files.
Figure = tuple[str, float, str | None]

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


def applies(province: str, year: int, base_year: int) -> bool:
    """True when a computation has the article's scope: Xinjiang, 2020 against 2019."""
    return province == "Xinjiang" and year == 2020 and base_year == 2019


def partner_figures(table: pd.DataFrame, flow: str,
                    coverage_of: Callable[[str], ScopeCoverage], year: int,
                    base_year: int) -> list[Figure]:
    """Every partner claim of `flow`, with the value `table` gives and the coverage gap, if any.

    `table` is `trade.partner_growth`'s frame (value in US$ million, growth_pct); claims come in
    the order of PARTNER_CLAIMS, value before growth. A value needs the year's total, a growth
    both years', each judged on that partner's own coverage (`coverage_of(iso3)`: a download of
    one partner covers no other); a partner without rows gets NaN and says so.
    """
    by_partner = table.set_index("partner_iso3")
    figures: list[Figure] = []
    for (claim_flow, iso3), wanted in PARTNER_CLAIMS.items():
        if claim_flow != flow:
            continue
        row = by_partner.loc[iso3] if iso3 in by_partner.index else None
        absent = None if row is not None else f"no rows for partner {iso3} in the data"
        cov = coverage_of(iso3)
        if "value" in wanted:
            figures.append((wanted["value"], math.nan if row is None else float(row["value"]),
                            cov.gap([str(year)]) or absent))
        if "growth" in wanted:
            figures.append((wanted["growth"],
                            math.nan if row is None else float(row["growth_pct"]),
                            cov.gap([str(base_year), str(year)]) or absent))
    return figures


def product_figures(chosen: pd.DataFrame, cov: ScopeCoverage, year: int,
                    base_year: int) -> list[Figure]:
    """The product claims `chosen` (trade.hs_prefix_totals plus share_pct) speaks to."""
    figures: list[Figure] = []
    both, this = cov.gap([str(base_year), str(year)]), cov.gap([str(year)])
    for row in chosen.itertuples():
        wanted = PRODUCT_CLAIMS.get(str(row.hs), {})
        note = getattr(row, "note", "") or None  # a code finer than the downloads
        if "growth" in wanted:
            figures.append((wanted["growth"], float(row.growth_pct), both or note))
        if "share" in wanted:
            figures.append((wanted["share"], float(row.share_pct), this or note))
        if "value" in wanted:
            figures.append((wanted["value"], float(row.value), this or note))
    return figures


def monthly_figures(series: pd.DataFrame, cov: ScopeCoverage, year: int,
                    base_year: int) -> list[Figure]:
    """The October peak and December low claims from `trade.monthly`'s frame.

    Which month is the highest or lowest needs all twelve months of the year: a month nobody
    downloaded must not become "the annual low".
    """
    this = series[series["year"] == year].set_index("month")["value"]
    before = series[series["year"] == base_year].set_index("month")["value"]
    whole_year = cov.gap([f"{year}-{m:02d}" for m in range(1, 13)])
    december = cov.gap([f"{year}-12", f"{base_year}-12"])
    return [
        ("scmp-oct-peak-month", float(this.idxmax()) if this.notna().any() else math.nan,
         whole_year),
        ("scmp-oct-value", float(this[10]), cov.gap([f"{year}-10"])),
        ("scmp-dec-annual-low", float(this.idxmin()) if this.notna().any() else math.nan,
         whole_year),
        ("scmp-dec-value", float(this[12]), cov.gap([f"{year}-12"])),
        ("scmp-dec-growth", growth_pct(float(this[12]), float(before[12])), december),
    ]


def month_name(month: float) -> str:
    """'October' for 10; '(none)' for a missing month."""
    return calendar.month_name[int(month)] if not math.isnan(month) else "(none)"
