"""A deliberately small model of a monthly trade series: seasonality plus a policy step.

With two years of monthly data (24 points) any model is fragile: a month-of-year effect uses 11
degrees of freedom, leaving a dozen for everything else. The model is here to put an honest
uncertainty on "did the level change after date X?", not to forecast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class StepEstimate:
    """Estimated change in log level after `step_date`, and what it means in per cent."""

    step_date: pd.Timestamp
    coefficient: float  # on log(value)
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    residual_dof: float
    seasonal: bool

    @property
    def change_pct(self) -> tuple[float, float, float]:
        """Point estimate and 95 % interval of the level change, in per cent."""
        to_pct = lambda c: (math.exp(c) - 1) * 100  # noqa: E731
        return to_pct(self.coefficient), to_pct(self.ci_low), to_pct(self.ci_high)

    def __str__(self) -> str:
        point, low, high = self.change_pct
        model = "month-of-year effects + step" if self.seasonal else "step only"
        return (f"level after {self.step_date.date()}: {point:+.0f} % (95 % CI {low:+.0f} % to "
                f"{high:+.0f} %, p = {self.p_value:.2f}); {model}; n = {self.n}, "
                f"residual dof = {self.residual_dof:.0f}")


def step_model(series: pd.DataFrame, step_date: str | pd.Timestamp,
               seasonal: bool = True) -> StepEstimate:
    """OLS of log(value) on month-of-year dummies and a 0/1 step from `step_date` on.

    `series` needs columns date and value (> 0); zero months are dropped (log undefined) and
    the count says so through `n`.
    """
    import statsmodels.formula.api as smf

    frame = series[series["value"] > 0].copy()
    step = pd.Timestamp(step_date)
    frame["log_value"] = np.log(frame["value"])
    frame["after"] = (frame["date"] >= step).astype(int)
    frame["month_of_year"] = frame["date"].dt.month.astype(str)
    needed = 14 if seasonal else 3  # one more than the parameters, so a residual is left
    if len(frame) < needed:
        raise ValueError(f"only {len(frame)} month(s) with a positive value: the model needs "
                         f"at least {needed}")
    if frame["after"].nunique() < 2:
        raise ValueError(f"every month lies on one side of {step.date()}: nothing to compare")
    formula = "log_value ~ after + C(month_of_year)" if seasonal else "log_value ~ after"
    fit = smf.ols(formula, data=frame).fit()
    low, high = fit.conf_int().loc["after"]
    return StepEstimate(step, float(fit.params["after"]), float(low), float(high),
                        float(fit.pvalues["after"]), int(fit.nobs), float(fit.df_resid),
                        seasonal)


def load_timeline() -> pd.DataFrame:
    """The cited US policy dates of 2020 (data/raw/reference/us_policy_timeline_2020.csv)."""
    from helpers.paths import reference_file

    frame = pd.read_csv(reference_file("us_policy_timeline_2020.csv"), dtype=str)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def timeline_event(words: str) -> pd.Series:
    """The one cited timeline row whose event names `words` (date, event, source, url).

    Notebooks look dates up here instead of typing them, so every date in the prose has its
    citation in data/raw/reference/us_policy_timeline_2020.csv.
    """
    from helpers.errors import InputError

    timeline = load_timeline()
    hits = timeline[timeline["event"].str.contains(words, case=False, regex=False)]
    if len(hits) != 1:
        found = "no event" if hits.empty else f"{len(hits)} events"
        raise InputError("parameter act", f"{found} in the policy timeline name {words!r}: use "
                         "words from one event of data/raw/reference/us_policy_timeline_2020.csv")
    return hits.iloc[0]

