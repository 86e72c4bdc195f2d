"""What the SCMP article's own numbers imply, carried as intervals from its words.

No data enters here: only the ledger's stated values and qualifiers (`claims.allowed`). The
result says what the article commits to (e.g. a range for the unstated US total) and whether
its figures can all be true at once.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.analysis.growth import months_between
from helpers.analysis.intervals import Interval
from helpers.claims.ledger import allowed


def _ratio(growth_claim: str) -> Interval:
    """1 + g/100 as an interval, for a growth claim in per cent."""
    return allowed(growth_claim) / 100 + 1


def us_total_2020() -> Interval:
    """Bounds on Xinjiang's 2020 exports to the US (US$ million), which the article never states.

    October (the largest month) and December (the smallest) are stated; each of the other ten
    months lies between them.
    """
    october, december = allowed("scmp-oct-value"), allowed("scmp-dec-value")
    others = Interval(december.lo * 10, october.hi * 10)
    return october + december + others


def implications() -> pd.DataFrame:
    """Derived quantities with their intervals and how each follows from the quotes."""
    total = us_total_2020()
    wind_share = allowed("scmp-wind-share") / 100
    rows = [
        ("US total 2020, US$ million", total,
         "Oct + Dec + ten months between the Dec low and the Oct peak"),
        ("US total 2019, US$ million", total / _ratio("scmp-us-growth"),
         "2020 total / (1 + 116 %)"),
        ("December 2019, US$ million", allowed("scmp-dec-value") / _ratio("scmp-dec-growth"),
         "US$14.6M / (1 + 1.4 %)"),
        ("wind sets 2020, US$ million", total * wind_share, "almost a quarter of the total"),
        ("wind sets' share in 2019, %",
         wind_share * _ratio("scmp-us-growth") / _ratio("scmp-wind-growth") * 100,
         "share 2020 x (1 + 116 %) / (1 + 3,265 %)"),
        ("wind sets' part of the total's growth, %",
         _wind_contribution(), "wind increase / total increase, both relative to the 2020 total"),
        ("Christmas articles 2019, US$ million",
         allowed("scmp-xmas-value") / _ratio("scmp-xmas-growth"), "more than US$25M / 2.32"),
        ("Germany 2019, US$ million", allowed("scmp-deu-value") / _ratio("scmp-deu-growth"),
         "US$111.6M / (1 - 1.2 %)"),
        ("Belgium 2019, US$ million", allowed("scmp-bel-value") / _ratio("scmp-bel-growth"),
         "US$124.5M / (1 + 223 %)"),
        ("UK 2019, US$ million", allowed("scmp-gbr-value") / _ratio("scmp-gbr-growth"),
         "US$136.8M / (1 - almost 10 %)"),
    ]
    return pd.DataFrame([{"quantity": q, "low": i.lo, "high": i.hi, "interval": str(i),
                          "reasoning": how} for q, i, how in rows])


def _wind_contribution() -> Interval:
    """(w20 - w19) / (T20 - T19) = s (1 - 1/gw) / (1 - 1/gt), s the wind share in 2020."""
    share = allowed("scmp-wind-share") / 100
    wind = 1 - 1 / _ratio("scmp-wind-growth")
    whole = 1 - 1 / _ratio("scmp-us-growth")
    return share * wind / whole * 100


#: The law the article counts its "four months" from: the policy timeline's event naming it.
ARTICLE_ACT = "Uyghur Human Rights Policy Act"


def is_article_act(event: pd.Series) -> bool:
    """Whether a timeline row is the law the article names (the act parameter may pick another:
    months from another event are not the article's claim)."""
    return ARTICLE_ACT.casefold() in str(event["event"]).casefold()


def months_after_act(act_signed: dt.date, year: int = 2020, month: int = 10) -> int:
    """Calendar months from the Act's signing to the peak month ("four months after")."""
    return months_between(act_signed, year, month)
