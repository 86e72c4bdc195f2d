"""Growth arithmetic, the SCMP consistency intervals, and the monthly step model."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import growth, stats
from helpers.claims import consistency


def test_growth_share_and_implied_levels() -> None:
    assert growth.growth_pct(216, 100) == pytest.approx(116)
    assert math.isnan(growth.growth_pct(5, 0))
    assert growth.share_pct(25, 100) == 25
    assert math.isnan(growth.share_pct(1, 0))
    assert growth.implied_before(14.6, 1.4) == pytest.approx(14.6 / 1.014)
    with pytest.raises(ValueError):
        growth.implied_before(1, -100)
    # wind went 1 -> 34, total 10 -> 43: wind explains 33 of the 33 added
    assert growth.contribution_pct(34, 1, 43, 10) == pytest.approx(100)


@pytest.mark.parametrize(("start", "year", "month", "expected"), [
    (dt.date(2020, 6, 17), 2020, 10, 4), (dt.date(2019, 12, 31), 2020, 1, 1),
    (dt.date(2020, 10, 1), 2020, 10, 0), (dt.date(2020, 11, 5), 2020, 10, -1)])
def test_months_between(start: dt.date, year: int, month: int, expected: int) -> None:
    assert growth.months_between(start, year, month) == expected


def test_us_total_bounds_follow_from_october_and_december() -> None:
    total = consistency.us_total_2020()
    # Oct 190 (+-0.5), Dec 14.6 (+-0.05), ten months between 14.55 and 190.5 each.
    assert total.lo == pytest.approx(189.5 + 14.55 + 10 * 14.55)
    assert total.hi == pytest.approx(190.5 + 14.65 + 10 * 190.5)


def test_implied_wind_share_in_2019_is_small() -> None:
    table = consistency.implications().set_index("quantity")
    row = table.loc["wind sets' share in 2019, %"]
    point = 25 * 2.16 / 33.65  # the article's point values
    assert row["low"] <= point <= row["high"] < 2


def _series(step_effect: float, noise: float = 0.02, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2019-01-01", periods=24, freq="MS")
    seasonal = np.tile(np.linspace(0, 0.5, 12), 2)
    after = (dates >= "2020-07-01").astype(float)
    log_value = 3 + seasonal + step_effect * after + rng.normal(0, noise, 24)
    return pd.DataFrame({"date": dates, "value": np.exp(log_value)})


def test_step_model_recovers_a_known_step() -> None:
    estimate = stats.step_model(_series(np.log(2)), "2020-07-01")
    point, low, high = estimate.change_pct
    assert low < point < high
    assert low < 100 < high  # a doubling
    assert estimate.p_value < 0.001 and estimate.n == 24 and estimate.residual_dof == 11


def test_step_model_finds_no_step_where_there_is_none() -> None:
    estimate = stats.step_model(_series(0.0, seed=3), "2020-07-01")
    _, low, high = estimate.change_pct
    assert low < 0 < high


def test_step_model_drops_empty_months_and_refuses_one_sided_dates() -> None:
    series = _series(0.3)
    series.loc[0, "value"] = 0.0
    assert stats.step_model(series, "2020-07-01").n == 23
    with pytest.raises(ValueError, match="one side"):
        stats.step_model(series, "2030-01-01")


def test_timeline_dates_are_cited() -> None:
    timeline = stats.load_timeline()
    assert timeline["date"].is_monotonic_increasing
    assert (timeline["source"].str.len() > 20).all()
    assert timeline["url"].str.startswith("https://").all()
    assert pd.Timestamp("2020-06-17") in set(timeline["date"])


def test_dates_come_from_the_cited_timeline() -> None:
    import pytest

    from helpers.analysis.stats import timeline_event
    from helpers.errors import InputError

    act = timeline_event("Uyghur Human Rights Policy Act")
    assert str(act["date"].date()) == "2020-06-17" and "116-145" in act["source"]
    with pytest.raises(InputError, match="events in the policy timeline"):
        timeline_event("OFAC")  # names two events: which one?
    with pytest.raises(InputError, match="no event"):
        timeline_event("Tariff Act of 1930")
