"""Monthly ECB cross rates, checked against the converter's own daily rates."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from currency_converter import CurrencyConverter, RateNotFoundError

from helpers.ingest import currency


def _independent_month_mean(year: int, month: int) -> float:
    converter = CurrencyConverter()
    values = []
    day = dt.date(year, month, 1)
    while day.month == month:
        with contextlib.suppress(RateNotFoundError):  # no fixing that day
            values.append(converter.convert(1, "USD", "CNY", day))
        day += dt.timedelta(days=1)
    return sum(values) / len(values)


@pytest.mark.parametrize(("year", "month"), [(2019, 12), (2020, 10), (2021, 5)])
def test_monthly_average_is_the_mean_of_daily_fixings(year: int, month: int) -> None:
    assert currency.cny_per_usd(year, month) == pytest.approx(_independent_month_mean(year, month))


def test_annual_average_lies_within_the_months() -> None:
    months = [currency.cny_per_usd(2020, m) for m in range(1, 13)]
    assert min(months) <= currency.cny_per_usd(2020) <= max(months)


def test_rates_are_plausible_for_the_2020s() -> None:
    # The yuan traded between 6 and 7.5 per dollar throughout 2019-2022.
    for year in (2019, 2020, 2021, 2022):
        assert 6.0 < currency.cny_per_usd(year) < 7.5


def test_missing_period_raises() -> None:
    with pytest.raises(LookupError, match="no ECB CNY/USD rates for 1990-01"):
        currency.cny_per_usd(1990, 1)


def test_rates_before_a_date_are_strictly_earlier() -> None:
    rates = currency.rates_before(dt.date(2021, 5, 16), business_days=5)
    assert len(rates) == 5
    assert rates["date"].max() < dt.datetime(2021, 5, 16)
    assert rates["date"].is_monotonic_increasing


@pytest.mark.parametrize("day", [dt.date(2005, 4, 1), dt.date(2019, 12, 31), dt.date(2021, 5, 14),
                                 dt.date(2021, 5, 15)])
def test_daily_rates_equal_the_converters(day: dt.date) -> None:
    converter = CurrencyConverter()
    try:
        expected = converter.convert(1, "USD", "CNY", day)
    except RateNotFoundError:
        expected = None
    got = currency.daily_cny_per_usd(day)
    assert (got is None) == (expected is None)
    if expected is not None:
        assert got == pytest.approx(expected, rel=1e-12)
