"""Published figures transcribed into data/raw/published/, each row with its citation.

These are evidence of the kind "published figure": someone else's measurement, read in a cited
source and typed in by hand (see data/raw/MANIFEST.csv). Loading checks that every row says
where it came from, so an uncited number cannot slip into a notebook.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

from helpers.analysis.intervals import Interval, from_qualifier, hull, rounding_tolerance
from helpers.claims.evidence import Evidence, cannot_judge, published_figure
from helpers.claims.status import Recorded
from helpers.paths import raw_dir

REQUIRED = ("source", "outlet", "reference", "read_at", "licence", "year")


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


def xinjiang_trade() -> pd.DataFrame:
    """Official and US figures on Xinjiang's trade and US imports, each with its rounding
    (`tolerance`, in the figure's unit): bounds and cross-checks for the SCMP's claims."""
    frame = _load("xinjiang_trade.csv")
    frame[["value", "tolerance"]] = frame[["value", "tolerance"]].apply(pd.to_numeric)
    return frame.set_index("figure_id", drop=False)


def as_interval(row: pd.Series) -> Interval:
    """A figure as an interval: a point, or the published bounds ('over half' = (50, 100])."""
    if not math.isnan(row["share_pct"]):
        return Interval.point(float(row["share_pct"]))
    return Interval(float(row["share_low"]), float(row["share_high"]),
                    lo_open=str(row.get("note", "")).startswith("'over"))


FILES = ("battery_supply_chain_shares.csv", "polysilicon.csv", "xinjiang_trade.csv")


@lru_cache(maxsize=4)
def _index(folder: str) -> pd.DataFrame:
    frames = [_load(name).rename(columns={"quantity": "measure"})[
        ["figure_id", "outlet", "year", "reference", "measure"]] for name in FILES]
    index = pd.concat(frames, ignore_index=True)
    repeated = index["figure_id"][index["figure_id"].duplicated()]
    if len(repeated):
        raise ValueError(f"{folder}: figure_id {sorted(set(repeated))} used twice")
    return index.assign(period=index["year"].astype(str)).set_index("figure_id")


def figures_index() -> pd.DataFrame:
    """Every transcribed figure by figure_id: outlet, period, reference and what it measures,
    which evidence is read from (claims.evidence.published_figure), never typed."""
    return _index(str(raw_dir() / "published"))


def evidence(rows: pd.DataFrame | pd.Series) -> Evidence:
    """The evidence one or several transcribed rows give, by their figure ids: the claims
    ledger reads their outlets and periods to tell an independent, same-period figure from
    context (claims.evidence.cannot_judge)."""
    rows = rows.to_frame().T if isinstance(rows, pd.Series) else rows
    if rows.empty:
        raise ValueError("no published figure to cite")
    return published_figure(*rows["figure_id"])


def independent(rows: pd.DataFrame, claim_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows that may judge the claim, and the rest (context only, with `why` they may not):
    the article's own outlet, or a period later than the article (claims.cannot_judge)."""
    why = pd.Series([cannot_judge(claim_id, evidence(r)) or "" for _, r in rows.iterrows()],
                    index=rows.index, dtype=str)
    return rows[why == ""], rows[why != ""].assign(why=why[why != ""])


def record_figures(record: Callable[..., Recorded], claim_id: str, rows: pd.DataFrame,
                   what: str) -> Recorded | None:
    """File a claim against every transcribed figure for it: the span of the independent,
    same-period ones sets the status; when there are none, the others are filed as context
    (`unverifiable`, value shown); with no figure at all nothing is filed and the ledger keeps
    the claim `unverifiable` with what would settle it."""
    usable, context = independent(rows, claim_id)
    chosen = usable if len(usable) else context
    if chosen.empty:
        print(f"{claim_id}: no transcribed figure for {what}; stays unverifiable")
        return None
    listed = ", ".join(f"{r['figure_id']} ({r['outlet']}, {r['year']}: {span(chosen.loc[[i]])})"
                       for i, r in chosen.iterrows())
    return record(claim_id, span(chosen), evidence(chosen), detail=f"{what}: {listed}")


def span(rows: pd.DataFrame) -> Interval:
    """What several figures for one quantity say together: the hull of their intervals (two
    defensible sources giving 64 % and 'over half' say (50, 100], not one of them)."""
    return hull(as_interval(r) if "share_pct" in r else figure_interval(r["value"], r["note"])
                for _, r in rows.iterrows())


def figure_interval(value: float, note: object = "") -> Interval:
    """A transcribed figure as the interval its wording allows: "about 45%" is 44.5-45.5 (half
    a unit of its last digit), not the point 45 that a claim's closed edge could catch."""
    text = str(note or "").strip("'\" ").lower()
    if text.startswith("about"):
        return from_qualifier(float(value), "about", rounding_tolerance(f"{value:g}"))
    if text.startswith("over"):  # 'over 80%': a lower bound only
        return Interval(float(value), math.inf, lo_open=True)
    return Interval.point(float(value))


def hhi_lower_bound(top_share_pct: float) -> float:
    """Smallest Herfindahl-Hirschman index (0-10,000) a market can have if one country holds
    `top_share_pct`: the rest may be split into many tiny shares, so HHI >= s^2."""
    return float(top_share_pct) ** 2
