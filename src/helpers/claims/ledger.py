"""The claims ledger and its articles, as typed by hand from the seed articles.

`data/raw/claims.csv` holds one row per number an article states (a short quote, the stated
value, its qualifier and tolerance, the period it is about); `data/raw/articles.csv` says which
outlet published each article and when. Everything here is read, never computed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.analysis.intervals import Interval, from_qualifier, rounding_tolerance
from helpers.paths import raw_dir


def ledger_path() -> Path:
    return raw_dir() / "claims.csv"


@lru_cache(maxsize=4)
def _load(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in ("stated_value", "stated_high", "tolerance"):
        frame[column + "_num"] = pd.to_numeric(frame[column].str.replace(",", ""),
                                               errors="coerce")
    return frame.set_index("claim_id", drop=False)


def load_ledger(path: str | Path | None = None) -> pd.DataFrame:
    """The ledger as a frame indexed by claim_id (strings kept as typed, plus numeric twins)."""
    return _load(str(path or ledger_path())).copy()


def claim(claim_id: str) -> pd.Series:
    ledger = load_ledger()
    if claim_id not in ledger.index:
        raise KeyError(f"unknown claim {claim_id!r}: see data/raw/claims.csv")
    return ledger.loc[claim_id]


def stated(claim_id: str) -> float:
    """The stated number of a claim, as a float (e.g. 116.0 for +116 %)."""
    return float(claim(claim_id)["stated_value_num"])


def allowed(claim_id: str) -> Interval:
    """The values the claim's words allow: qualifier plus tolerance (rounding by default)."""
    row = claim(claim_id)
    tolerance = row["tolerance_num"]
    if math.isnan(tolerance) and row["qualifier"] in ("exact", "about"):
        tolerance = rounding_tolerance(row["stated_value"])
    high = row["stated_high_num"]
    return from_qualifier(float(row["stated_value_num"]), row["qualifier"],
                          None if math.isnan(tolerance) else tolerance,
                          None if math.isnan(high) else high)


_DATE = re.compile(r"(?<!\d)(\d{4})(?:-(0[1-9]|1[0-2])(?:-(\d{2}))?)?(?!\d)")


def periods_of(period: str) -> list[tuple[int, int | None]]:
    """The years (and months, where given) a ledger period names: "2020-12 vs 2019-12" is
    [(2020, 12), (2019, 12)], "2020 vs 2019" [(2020, None), (2019, None)]."""
    return [(int(year), int(month) if month else None)
            for year, month, _ in _DATE.findall(str(period))]


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period as the ledger writes it: "2021", "2021-05",
    "2020-06-17 to 2020-10", "2017-2022", "2020 vs 2019" (both years)."""
    days = []
    for year, month, day in _DATE.findall(str(period)):
        y = int(year)
        if day:
            first = last = dt.date(y, int(month), int(day))
        elif month:
            first = dt.date(y, int(month), 1)
            last = dt.date(y, int(month), calendar.monthrange(y, int(month))[1])
        else:
            first, last = dt.date(y, 1, 1), dt.date(y, 12, 31)
        days += [first, last]
    if not days or re.search(r"\d{4}\s*/\s*\d{2}(?!\d)", str(period)):
        raise ValueError(f"cannot read the period {period!r}: write 2021, 2021-05, 2021-05-16 "
                         f"or 2017 to 2021")
    return min(days), max(days)


@lru_cache(maxsize=4)
def _articles(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("seed_file")


def article_of(claim_id: str) -> pd.Series:
    """The article a claim comes from (data/raw/articles.csv): outlet, its other names, date."""
    return _articles(str(raw_dir() / "articles.csv")).loc[claim(claim_id)["seed_file"]]


def article_day(claim_id: str) -> dt.date:
    """The day the claim's article appeared; a date known to the month counts from its start."""
    published = str(article_of(claim_id)["published"])
    return dt.date.fromisoformat(published if len(published) == 10 else published[:7] + "-01")
