"""How far dollars converted from yuan can be from the platform's own dollars.

A download in yuan is converted at the mean ECB rate of its period (helpers.ingest.currency). The
platform converts with its own rate, which we do not ship; it lies somewhere in the range of the
ECB's daily rates around the period (`currency.rate_range`). The gap is a fraction of a per cent
for a month and several per cent for a year, more than many claims' rounding, so a value computed
on converted rows is filed as the interval of what it could be, never as one number.

`Conversion` holds, per year, the factors by which the converted dollars may be off (from the
rows' periods and the rates used) and turns a level, a growth rate or a share into an interval.
A scope with no converted rows gives back the plain number.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from helpers.analysis.intervals import Interval, OneOf
from helpers.ingest import currency

#: (year, month or None for an annual download, rate used in CNY per USD)
Period = tuple[int, int | None, float]


@dataclass(frozen=True)
class Conversion:
    """The periods of a scope that were converted from yuan, with the rate each used."""

    periods: tuple[Period, ...] = ()

    @classmethod
    def of(cls, periods: Iterable[Period]) -> Conversion:
        return cls(tuple(sorted(set(periods), key=lambda p: (p[0], p[1] or 0))))

    def factors(self, year: int, month: int | None = None) -> tuple[float, float]:
        """The lowest and highest ratio of possible to converted dollars for the year (or one
        month of it): rate used / highest possible rate, rate used / lowest."""
        lows, highs = [], []
        for y, m, used in self.periods:
            if y != year or (month is not None and m is not None and m != month):
                continue
            low, high = currency.rate_range(y, m)
            lows.append(used / high)
            highs.append(used / low)
        return (min(lows), max(highs)) if lows else (1.0, 1.0)

    def converted(self, year: int, month: int | None = None) -> bool:
        """True when the year (or that month of it; an annual download holds every month) rests
        on rows converted from yuan."""
        return any(y == year and (month is None or m is None or m == month)
                   for y, m, _ in self.periods)

    def note(self, *years: int, month: int | None = None) -> str:
        """Words for a claim's detail: which of `years` (or their `month`) were converted and
        how far they may be off. Only the periods the claim rests on: an October figure from a
        dollar download must not read as converted because its base year's file was in yuan."""
        parts = []
        for year in sorted(set(years)):
            if self.converted(year, month):
                lo, hi = self.factors(year, month)
                when = f"{calendar.month_name[month]} {year}" if month else str(year)
                parts.append(f"{when} converted from yuan at ECB rates ({(lo - 1) * 100:+.1f} % "
                             f"to {(hi - 1) * 100:+.1f} % from the platform's own dollars)")
        return "; ".join(parts)

    def level(self, value: float, year: int, month: int | None = None) -> float | Interval:
        """A value in US$ as the interval the platform's dollars could give."""
        lo, hi = self.factors(year, month)
        if math.isnan(value) or (lo, hi) == (1.0, 1.0):
            return value
        return Interval(value * lo, value * hi)

    def growth(self, pct: float, year: int, base_year: int,
               month: int | None = None) -> float | Interval:
        """Growth in per cent, with each year's value free to move within its own factors."""
        lo, hi = self.factors(year, month)
        base_lo, base_hi = self.factors(base_year, month)
        if math.isnan(pct) or (lo, hi, base_lo, base_hi) == (1.0, 1.0, 1.0, 1.0):
            return pct
        ratio = 1 + pct / 100
        return Interval((ratio * lo / base_hi - 1) * 100, (ratio * hi / base_lo - 1) * 100)

    def share(self, pct: float, year: int) -> float | Interval:
        """A share of one year's total. Part and whole may move apart even in one annual yuan
        table: the platform's annual dollars add up each month's dollars at that month's rate,
        so a product shipped in other months than the rest has another effective rate."""
        lo, hi = self.factors(year)
        if math.isnan(pct) or (lo, hi) == (1.0, 1.0):
            return pct
        return Interval(pct * lo / hi, pct * hi / lo)

    def extreme_month(self, values: pd.Series, year: int, highest: bool) -> float | OneOf:
        """The month (1-12) with the highest (or lowest) value of `values` (indexed by month),
        or, when conversion could reorder the months, the set of the months that could be it: a
        lead smaller than the months' rate ranges picks no month. A set, not the interval from
        the first to the last of them: the months between could not be it, and a claim naming
        one of those differs."""
        known = values.dropna()
        if known.empty:
            return math.nan
        bounds = {int(m): (v * self.factors(year, int(m))[0], v * self.factors(year, int(m))[1])
                  for m, v in known.items()}
        if highest:
            floor = max(lo for lo, _ in bounds.values())
            could = [m for m, (_, hi) in bounds.items() if hi >= floor]
        else:
            ceiling = min(hi for _, hi in bounds.values())
            could = [m for m, (lo, _) in bounds.items() if lo <= ceiling]
        return float(could[0]) if len(could) == 1 else OneOf(tuple(could))
