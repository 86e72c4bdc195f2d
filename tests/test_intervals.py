"""Qualifier words to bounds, and bounds carried through arithmetic."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from helpers.analysis.intervals import (
    Interval,
    OneOf,
    from_qualifier,
    in_words,
    rounding_tolerance,
)


@pytest.mark.parametrize(("text", "tolerance"), [("116", 0.5), ("14.6", 0.05), ("3,265", 0.5),
                                                 ("81.4", 0.05), ("0.25", 0.005)])
def test_rounding_tolerance_is_half_the_last_digit(text: str, tolerance: float) -> None:
    assert rounding_tolerance(text) == pytest.approx(tolerance)


def test_more_than_is_open_and_unbounded() -> None:
    bound = from_qualifier(7000, "more than")
    assert 7000 not in bound and 7001 in bound and 1e9 in bound
    assert bound.hi == math.inf


def test_almost_is_just_below() -> None:
    quarter = from_qualifier(25, "almost")
    assert 24 in quarter and 25 in quarter and 22.5 in quarter
    assert 25.5 not in quarter and 20 not in quarter


def test_negative_almost_is_a_fall_of_slightly_less() -> None:
    fall = from_qualifier(-10, "almost")  # "fell almost 10 per cent"
    assert -9.8 in fall and -10.5 not in fall and -8 not in fall


def test_just_over_a_fall() -> None:
    fall = from_qualifier(-1, "just over", tolerance=0.5)  # "fell by just over 1 per cent"
    assert -1.1 in fall and -1.0 not in fall and -0.9 not in fall and -2 not in fall


def test_ranges_and_vague_counts() -> None:
    assert 75 in from_qualifier(50, "range", high=100)
    assert 300 in from_qualifier(200, "a few hundred", high=500)
    with pytest.raises(ValueError, match="needs an upper value"):
        from_qualifier(24, "dozens")
    with pytest.raises(ValueError, match="unknown qualifier"):
        from_qualifier(1, "roughly-ish")


def test_the_articles_labour_ratio() -> None:
    # 644 recruited of more than 7,000 employees: at most 9.2 %.
    share = Interval.point(644) / from_qualifier(7000, "more than") * 100
    assert share.hi == pytest.approx(644 / 7000 * 100)
    assert share.hi_open and share.lo == 0
    assert 9.2 in share and 9.3 not in share


def test_division_by_an_interval_holding_zero() -> None:
    with pytest.raises(ZeroDivisionError):
        Interval(1, 2) / Interval(-1, 1)


def test_invalid_interval() -> None:
    with pytest.raises(ValueError):
        Interval(2, 1)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@given(value=finite, qualifier=st.sampled_from(["exact", "about", "almost", "just over"]),
       tolerance=st.floats(min_value=0, max_value=100))
def test_bounds_contain_or_touch_the_stated_value(value: float, qualifier: str,
                                                  tolerance: float) -> None:
    bound = from_qualifier(value, qualifier, tolerance)
    assert bound.lo <= value <= bound.hi


@given(value=positive, qualifier=st.sampled_from(["more than", "at least"]))
def test_lower_bounds_start_at_the_value(value: float, qualifier: str) -> None:
    bound = from_qualifier(value, qualifier)
    assert bound.lo == value and bound.hi == math.inf


@given(a=positive, b=positive, c=positive, d=positive, x=positive)
def test_ratio_bounds_are_monotone(a: float, b: float, c: float, d: float, x: float) -> None:
    lo_num, hi_num = sorted((a, b))
    lo_den, hi_den = sorted((c, d))
    ratio = Interval(lo_num, hi_num) / Interval(lo_den, hi_den)
    # A larger numerator can only raise the bounds; a larger denominator only lower them.
    more = Interval(lo_num + x, hi_num + x) / Interval(lo_den, hi_den)
    wider_den = Interval(lo_den + x, hi_den + x)
    less = Interval(lo_num, hi_num) / wider_den
    assert more.lo >= ratio.lo * (1 - 1e-12) and more.hi >= ratio.hi * (1 - 1e-12)
    assert less.lo <= ratio.lo * (1 + 1e-12) and less.hi <= ratio.hi * (1 + 1e-12)


@given(a=finite, b=finite, c=finite, d=finite)
def test_sums_and_products_contain_every_pointwise_result(a: float, b: float, c: float,
                                                         d: float) -> None:
    x, y = Interval(*sorted((a, b))), Interval(*sorted((c, d)))
    for p in (x.lo, x.hi, x.midpoint):
        for q in (y.lo, y.hi, y.midpoint):
            assert (x + y).lo - 1e-6 <= p + q <= (x + y).hi + 1e-6
            product = x * y
            assert product.lo - 1e-3 * (1 + abs(p * q)) <= p * q <= product.hi + 1e-3 * (
                1 + abs(p * q))


@given(a=finite, b=finite)
def test_midpoint_lies_inside(a: float, b: float) -> None:
    assume(a != b)
    x = Interval(*sorted((a, b)))
    assert x.contains(x.midpoint)


def test_subtracting_an_interval_from_a_number() -> None:
    x = 1 - Interval(0.2, 0.5)
    assert (x.lo, x.hi) == (0.5, 0.8)


def test_unbounded_ends_are_open_and_carry_into_ratios() -> None:
    more = from_qualifier(7000, "more than")
    assert more.hi_open and not more.contains(math.inf)
    share = Interval.point(644) / more * 100
    assert share.lo == 0 and share.lo_open  # approached, never reached
    assert str(share) == "(0, 9.2)"


def test_points_print_as_numbers() -> None:
    assert str(Interval.point(64)) == "64"
    assert str(Interval(60, 70)) == "[60, 70]"


def test_within_and_overlaps_respect_open_ends() -> None:
    claim = Interval(45, 50)
    assert Interval(46, 49).within(claim) and Interval(45, 50).within(claim)
    assert not Interval(44.5, 45.5).within(claim) and Interval(44.5, 45.5).overlaps(claim)
    assert not Interval(40, 44).overlaps(claim)
    assert Interval(40, 45).overlaps(claim)  # touches the closed edge
    assert not Interval(40, 45, hi_open=True).overlaps(claim)
    assert not Interval(45, 46).within(Interval(45, 50, lo_open=True))


def test_one_of_a_few_values_excludes_those_between() -> None:
    months = OneOf((12, 3, 3))
    assert months.values == (3.0, 12.0) and str(months) == "{3, 12}"
    assert 3 in months and 10 not in months and (months.lo, months.hi) == (3.0, 12.0)
    assert not months.overlaps(Interval(4, 11)) and months.overlaps(Interval(12, 12))
    assert months.within(Interval(3, 12)) and not months.within(Interval(3, 12, hi_open=True))
    with pytest.raises(ValueError):
        OneOf(())


@pytest.mark.parametrize(("interval", "words"), [
    (Interval.point(9.2), "9.2 %"),
    (Interval.point(644) / from_qualifier(7000, "more than") * 100, "less than 9.2 %"),
    (Interval.point(644) / from_qualifier(7000, "at least") * 100, "at most 9.2 %"),
    (Interval(5, math.inf, lo_open=True), "more than 5.0 %"),
    (Interval(5, math.inf), "at least 5.0 %"),
    (Interval(2.86, 7.14), "2.9 to 7.1 %")])
def test_an_interval_in_words_says_its_open_ends(interval: Interval, words: str) -> None:
    assert in_words(interval) == words
