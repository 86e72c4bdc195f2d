"""Small arithmetic the articles rely on: growth, shares, implied levels, months between dates.

Kept apart from the queries so each formula has its own unit test, and notebooks state the
question, not the arithmetic.
"""

from __future__ import annotations

import datetime as dt
import math


def growth_pct(now: float, before: float) -> float:
    """Per cent change from `before` to `now`; NaN when there was nothing before."""
    if before is None or now is None or before == 0 or math.isnan(before) or math.isnan(now):
        return math.nan
    return (now / before - 1.0) * 100.0


def share_pct(part: float, whole: float) -> float:
    """`part` as a per cent of `whole`; NaN for an empty whole."""
    if not whole or math.isnan(whole):
        return math.nan
    return part / whole * 100.0


def implied_before(now: float, growth: float) -> float:
    """The earlier level that a stated growth (per cent) implies: now / (1 + g/100)."""
    if growth <= -100:
        raise ValueError(f"growth of {growth} % leaves nothing to grow from")
    return now / (1.0 + growth / 100.0)


def contribution_pct(part_now: float, part_before: float, total_now: float,
                     total_before: float) -> float:
    """How much of the total's change one part explains, in per cent of that change."""
    change = total_now - total_before
    if change == 0:
        return math.nan
    return (part_now - part_before) / change * 100.0


def months_between(start: dt.date, year: int, month: int) -> int:
    """Whole calendar months from `start`'s month to (year, month): June 2020 -> Oct 2020 = 4."""
    return (year - start.year) * 12 + (month - start.month)
