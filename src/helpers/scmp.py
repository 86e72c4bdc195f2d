"""Which SCMP claims a customs computation speaks to, so notebooks record them only then.

The SCMP figures are about Xinjiang, 2020 against 2019, by registration of the trading firm.
A notebook run for another province, year or flow computes the same quantities but must not
file them against the article's claims.
"""

from __future__ import annotations

import pandas as pd

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
    "9505": {"growth": "scmp-xmas-growth", "value": "scmp-xmas-value"},
    "6702": {"growth": "scmp-flowers-growth"},
    "291719": {"value": "scmp-polycarboxylic-value"},
}

ARTICLE_PARTNERS = ("USA", "DEU", "BEL", "ITA", "CAN", "GBR")


def applies(province: str, year: int, base_year: int) -> bool:
    """True when a computation has the article's scope: Xinjiang, 2020 against 2019."""
    return province == "Xinjiang" and year == 2020 and base_year == 2019


def partner_figures(table: pd.DataFrame, flow: str) -> list[tuple[str, float]]:
    """(claim_id, computed value) for every partner claim of `flow` that `table` covers.

    `table` is `trade.partner_growth`'s frame (value in US$ million, growth_pct); claims come in
    the order of PARTNER_CLAIMS, value before growth.
    """
    by_partner = table.set_index("partner_iso3")
    figures = []
    for (claim_flow, iso3), wanted in PARTNER_CLAIMS.items():
        if claim_flow != flow or iso3 not in by_partner.index:
            continue
        row = by_partner.loc[iso3]
        if "value" in wanted:
            figures.append((wanted["value"], float(row["value"])))
        if "growth" in wanted:
            figures.append((wanted["growth"], float(row["growth_pct"])))
    return figures
