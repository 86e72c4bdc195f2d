"""Published figures transcribed into data/raw/published/, each row with its citation.

These are evidence of the kind "published figure": someone else's measurement, read in a cited
source and typed in by hand (see data/raw/MANIFEST.csv). Loading checks that every row says
where it came from, so an uncited number cannot slip into a notebook.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.intervals import Interval, from_qualifier, rounding_tolerance
from helpers.paths import raw_dir

REQUIRED = ("source", "reference", "read_at", "licence", "year")


def _load(name: str) -> pd.DataFrame:
    path = raw_dir() / "published" / name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in REQUIRED:
        empty = frame[column].str.strip() == ""
        if empty.any():
            raise ValueError(f"{path}: rows {list(frame.loc[empty].index + 2)} have no {column}")
    frame["year"] = frame["year"].astype(int)
    return frame


def battery_shares() -> pd.DataFrame:
    """China's shares of battery supply-chain stages, one row per published figure."""
    frame = _load("battery_supply_chain_shares.csv")
    for column in ("share_pct", "share_low", "share_high"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    both = frame["share_pct"].isna() & (frame["share_low"].isna() | frame["share_high"].isna())
    if both.any():
        raise ValueError("each share needs share_pct or both share_low and share_high")
    return frame


def polysilicon() -> pd.DataFrame:
    frame = _load("polysilicon.csv")
    frame["value"] = pd.to_numeric(frame["value"])
    return frame


def as_interval(row: pd.Series) -> Interval:
    """A figure as an interval: a point, or the published bounds ('over half' = (50, 100])."""
    if not math.isnan(row["share_pct"]):
        return Interval.point(float(row["share_pct"]))
    return Interval(float(row["share_low"]), float(row["share_high"]),
                    lo_open=str(row.get("note", "")).startswith("'over"))


def figure_interval(value: float, note: object = "") -> Interval:
    """A transcribed figure as the interval its wording allows: "about 45%" is 44.5-45.5 (half
    a unit of its last digit), not the point 45 that a claim's closed edge could catch."""
    text = str(note or "").strip("'\" ").lower()
    if text.startswith("about"):
        return from_qualifier(float(value), "about", rounding_tolerance(f"{value:g}"))
    return Interval.point(float(value))


def hhi_lower_bound(top_share_pct: float) -> float:
    """Smallest Herfindahl-Hirschman index (0-10,000) a market can have if one country holds
    `top_share_pct`: the rest may be split into many tiny shares, so HHI >= s^2."""
    return float(top_share_pct) ** 2
