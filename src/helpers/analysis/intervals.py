"""Interval arithmetic for numbers stated with words: "more than 7,000", "a few hundred", "almost".

A journalist's "more than 7,000 employees" is a bound, not a number. Carrying such bounds through
a ratio ("644 of more than 7,000" is at most 9.2 %) says exactly what the article supports and no
more. Intervals here are closed or open at each end and may be unbounded (math.inf).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

#: Relative width used for "almost" and "just over" when the ledger gives no tolerance.
ALMOST_FRACTION = 0.10
JUST_OVER_FRACTION = 0.10

QUALIFIERS = ("exact", "about", "almost", "more than", "at least", "just over", "range",
              "a few hundred", "dozens")


@dataclass(frozen=True)
class Interval:
    """The set of values between lo and hi; open ends exclude the bound itself."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def __post_init__(self) -> None:
        if math.isnan(self.lo) or math.isnan(self.hi) or self.lo > self.hi or (
                self.lo == self.hi and (self.lo_open or self.hi_open or math.isinf(self.lo))):
            raise ValueError(f"empty or invalid interval [{self.lo}, {self.hi}]")
        # No number equals infinity: an unbounded end is always open.
        if math.isinf(self.lo):
            object.__setattr__(self, "lo_open", True)
        if math.isinf(self.hi):
            object.__setattr__(self, "hi_open", True)

    @classmethod
    def point(cls, value: float) -> Interval:
        return cls(float(value), float(value))

    def contains(self, value: float) -> bool:
        if value is None or math.isnan(value):
            return False
        above = value > self.lo or (value == self.lo and not self.lo_open)
        below = value < self.hi or (value == self.hi and not self.hi_open)
        return above and below

    __contains__ = contains

    def within(self, other: Interval) -> bool:
        """Every value of this interval lies in `other` (an open end of `other` excludes it)."""
        low_ok = self.lo > other.lo or (
            self.lo == other.lo and (self.lo_open or not other.lo_open))
        high_ok = self.hi < other.hi or (
            self.hi == other.hi and (self.hi_open or not other.hi_open))
        return low_ok and high_ok

    def overlaps(self, other: Interval) -> bool:
        """Some value lies in both."""
        if self.hi < other.lo or other.hi < self.lo:
            return False
        if self.hi == other.lo:
            return not (self.hi_open or other.lo_open)
        if other.hi == self.lo:
            return not (other.hi_open or self.lo_open)
        return True

    @property
    def width(self) -> float:
        return self.hi - self.lo

    @property
    def midpoint(self) -> float:
        if math.isinf(self.lo) or math.isinf(self.hi):
            return self.lo if math.isinf(self.hi) else self.hi
        return (self.lo + self.hi) / 2

    def __add__(self, other: Interval | float) -> Interval:
        o = _as_interval(other)
        return Interval(self.lo + o.lo, self.hi + o.hi, self.lo_open or o.lo_open,
                        self.hi_open or o.hi_open)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, self.hi_open, self.lo_open)

    def __sub__(self, other: Interval | float) -> Interval:
        return self + (-_as_interval(other))

    def __rsub__(self, other: float) -> Interval:
        return _as_interval(other) - self

    def __mul__(self, other: Interval | float) -> Interval:
        o = _as_interval(other)
        candidates = []
        for a, a_open in ((self.lo, self.lo_open), (self.hi, self.hi_open)):
            for b, b_open in ((o.lo, o.lo_open), (o.hi, o.hi_open)):
                product = 0.0 if 0.0 in (a, b) else a * b  # 0 * inf counts as 0
                candidates.append((product, a_open or b_open))
        return _hull(candidates)

    def __truediv__(self, other: Interval | float) -> Interval:
        o = _as_interval(other)
        if o.contains(0.0) or (o.lo == 0.0 and o.hi == 0.0):
            raise ZeroDivisionError(f"dividing by an interval that contains 0: {o}")
        inverse = Interval(1.0 / o.hi if o.hi else math.copysign(math.inf, o.lo),
                           1.0 / o.lo if o.lo else math.copysign(math.inf, o.hi),
                           o.hi_open, o.lo_open)
        return self * inverse

    def __rtruediv__(self, other: float) -> Interval:
        return _as_interval(other) / self

    __radd__ = __add__
    __rmul__ = __mul__

    def __str__(self) -> str:
        if self.lo == self.hi:
            return _fmt(self.lo)  # a point, not a range
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"{left}{_fmt(self.lo)}, {_fmt(self.hi)}{right}"


@dataclass(frozen=True)
class OneOf:
    """One of a few values, not known which: the months that could be a year's peak when
    conversion from yuan could reorder them. Not an interval: the values between are excluded
    (a peak in March or December is no peak in October), so a claim of October differs.

    It answers `within` and `overlaps` as an Interval does, which is all the status rules ask.
    """

    values: tuple[float, ...]

    def __post_init__(self) -> None:
        values = tuple(sorted({float(v) for v in self.values}))
        if not values or any(math.isnan(v) for v in values):
            raise ValueError(f"one of no values, or of a missing one: {self.values}")
        object.__setattr__(self, "values", values)

    @property
    def lo(self) -> float:
        return self.values[0]

    @property
    def hi(self) -> float:
        return self.values[-1]

    def contains(self, value: float) -> bool:
        return value is not None and float(value) in self.values

    __contains__ = contains

    def within(self, other: Interval) -> bool:
        """Every possible value lies in `other`."""
        return all(other.contains(v) for v in self.values)

    def overlaps(self, other: Interval) -> bool:
        """Some possible value lies in `other`."""
        return any(other.contains(v) for v in self.values)

    def __str__(self) -> str:
        """'{3, 12}': braces, never brackets, so it cannot be read as the range 3 to 12."""
        return "{" + ", ".join(_fmt(v) for v in self.values) + "}"


def _fmt(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _as_interval(value: Interval | float) -> Interval:
    return value if isinstance(value, Interval) else Interval.point(float(value))


def _hull(points: list[tuple[float, bool]]) -> Interval:
    lo = min(p for p, _ in points)
    hi = max(p for p, _ in points)
    lo_open = all(o for p, o in points if p == lo)
    hi_open = all(o for p, o in points if p == hi)
    return Interval(lo, hi, lo_open, hi_open)


def hull(intervals: Iterable[Interval]) -> Interval:
    """The smallest interval holding all of them: what two defensible sources say together."""
    items = list(intervals)
    if not items:
        raise ValueError("the hull of no intervals is undefined")
    return _hull([(i.lo, i.lo_open) for i in items] + [(i.hi, i.hi_open) for i in items])


def rounding_tolerance(text: str) -> float:
    """Half a unit of the last stated digit: '116' -> 0.5, '14.6' -> 0.05, '3,265' -> 0.5."""
    text = text.replace(",", "").strip()
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return 0.5 * 10.0 ** (-decimals)


def from_qualifier(value: float, qualifier: str, tolerance: float | None = None,
                   high: float | None = None) -> Interval:
    """The values a stated number with a qualifier allows.

    - exact/about: value +- tolerance (tolerance defaults to 0).
    - almost: up to `ALMOST_FRACTION` short of the value in magnitude ("fell almost 10 %"
      is a fall of 9-10 %).
    - more than / at least: beyond the value in magnitude, unbounded.
    - just over: beyond the value in magnitude by at most max(tolerance, 10 % of it).
    - range, a few hundred, dozens: [value, high].
    """
    q = qualifier.strip().lower()
    tol = 0.0 if tolerance is None or math.isnan(tolerance) else abs(float(tolerance))
    sign = -1.0 if value < 0 else 1.0
    magnitude = abs(value)
    if q in ("exact", "about"):
        return Interval(value - tol, value + tol)
    if q == "almost":
        inner = Interval(magnitude * (1 - ALMOST_FRACTION) - tol, magnitude + tol)
    elif q == "more than":
        inner = Interval(magnitude, math.inf, lo_open=True)
    elif q == "at least":
        inner = Interval(magnitude, math.inf)
    elif q == "just over":
        width = max(tol, JUST_OVER_FRACTION * magnitude)
        inner = Interval(magnitude, magnitude + width, lo_open=width > 0)  # "just over 0": 0
    elif q in ("range", "a few hundred", "dozens"):
        if high is None or math.isnan(high):
            raise ValueError(f"qualifier {qualifier!r} needs an upper value (stated_high)")
        return Interval(min(value, high), max(value, high))
    else:
        raise ValueError(f"unknown qualifier {qualifier!r}: use one of {', '.join(QUALIFIERS)}")
    return inner if sign > 0 else -inner


def in_words(interval: Interval, unit: str = " %", decimals: int = 1) -> str:
    """An interval as prose says it: 9.2 %, less than 9.2 % (an open end: 644 of more than
    7,000), at most 9.2 %, more than 5 %, 2.9 to 7.1 %. A lower end at or below 0 is left
    unsaid: a share is never negative."""
    def number(v: float) -> str:
        return f"{v:,.{decimals}f}{unit}"

    if interval.lo == interval.hi:
        return number(interval.lo)
    if interval.lo <= 0 and not math.isinf(interval.hi):
        return f"{'less than' if interval.hi_open else 'at most'} {number(interval.hi)}"
    if math.isinf(interval.hi):
        return f"{'more than' if interval.lo_open else 'at least'} {number(interval.lo)}"
    return f"{interval.lo:,.{decimals}f} to {number(interval.hi)}"
