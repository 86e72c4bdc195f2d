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

import csv
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from helpers.analysis.intervals import Interval, OneOf
from helpers.claims.evidence import cannot_judge, evidence_of
from helpers.claims.ledger import allowed, claim, load_ledger
from helpers.paths import reports_dir

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
EXTRA_COLUMNS = ("qualifier", "allowed_interval", "detail", "would_settle", "computed_full",
                 "source")


def status_for(claim_id: str, computed: float | Interval | OneOf, evidence: str) -> str:
    """The status evidence gives a claim: inside its allowed interval, outside it, or, for
    evidence that is itself a range, `inconclusive` when the two overlap without the evidence
    lying inside (never a knife-edge call on one point of a range). A set of possible values
    (`OneOf`: the months that could be the peak) is judged the same way on its members only:
    all allowed, none, or some."""
    if evidence not in EVIDENCE_STATUS:
        raise ValueError(f"unknown evidence {evidence!r}: use one of {', '.join(EVIDENCE_STATUS)}")
    if not isinstance(computed, Interval | OneOf) and math.isnan(computed):
        return "unverifiable"
    inside, outside = EVIDENCE_STATUS[evidence]
    claimed = allowed(claim_id)
    if not isinstance(computed, Interval | OneOf):
        return inside if claimed.contains(computed) else outside
    if computed.within(claimed):
        return inside
    if not computed.overlaps(claimed):
        return outside
    return "demo" if evidence == "demo" else "inconclusive"


@dataclass
class Recorded:
    claim_id: str
    computed_value: float  # NaN when the evidence is a range or a set (computed_interval)
    evidence: str
    status: str
    notebook: str
    detail: str
    computed_interval: str = ""  # as printed (six significant digits): [lo, hi] or {a, b}
    computed_low: float = float("nan")  # the interval's ends (a set's extremes), full precision
    computed_high: float = float("nan")
    source: str = ""  # what the evidence is, in words: files and digest, or the citation

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
    """Where notebooks leave their records: $HELPERS_CLAIMS_DIR (the report build sets its
    own), else reports/runs/claims.d/, beside the runs of `helpers run` and JupyterLab."""
    env = os.environ.get("HELPERS_CLAIMS_DIR")
    return Path(env) if env else reports_dir() / "runs" / "claims.d"


class Recorder:
    """Collects one notebook's claim records and keeps its fragment file current."""

    def __init__(self, notebook: str) -> None:
        self.notebook = notebook
        self.records: dict[tuple[str, str], Recorded] = {}

    def record(self, claim_id: str, computed: float | Interval | OneOf, source: object,
               detail: str = "", gap: str | None = None) -> Recorded:
        """Record a value computed on `source`; prints and returns the row with its status.

        `source` is what the value was computed on (see `evidence_of`): its evidence kind, and so
        the status rule, follows from it. `gap` is why the data cannot speak to the claim (e.g.
        "December 2020 not in the downloads", from helpers.analysis.coverage): the claim is then
        `unverifiable`, no value is filed, and the reason becomes the detail. A NaN value is
        treated the same way.
        """
        claim(claim_id)  # fails early on a typo
        kind = evidence_of(source)
        evidence = kind.kind
        interval = computed if isinstance(computed, Interval | OneOf) else None
        if interval is not None and interval.lo == interval.hi:  # one point is a value
            computed, interval = interval.lo, None
        value = float("nan") if interval else float(computed)
        if gap is None and interval is None and math.isnan(value):
            gap = ("the computed value is missing (NaN): no rows to compute it from, or a "
                   "growth from a zero base")
        if gap is not None:
            value, interval, detail = float("nan"), None, gap
        status = status_for(claim_id, interval or value, evidence)
        context = cannot_judge(claim_id, kind)
        if context and status != "unverifiable":
            status = "unverifiable"
            detail = f"context only, sets no status: {context}" + (f". {detail}" if detail else "")
        result = Recorded(claim_id, value, evidence, status, self.notebook, detail,
                          str(interval) if interval else "",
                          interval.lo if interval else float("nan"),
                          interval.hi if interval else float("nan"), kind.source)
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
                                    "source": str,
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
            shown, full = _computed_text(rec, _decimals(row["stated_value"]))
            rows.append({**base, "computed_value": shown, "computed_full": full,
                         "evidence": rec["evidence"], "status": rec["status"],
                         "notebook": rec["notebook"], "detail": _text(rec.get("detail")),
                         "source": _text(rec.get("source"))})
    return pd.DataFrame(rows, columns=[*REPORT_COLUMNS, *EXTRA_COLUMNS])


def _text(value: object) -> str:
    """A fragment's text cell: '' for one left empty (read back as NaN) or missing."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _decimals(stated_text: str) -> int:
    """The decimals the claim states ("14.6" -> 1, "3,265" -> 0): computed values are shown
    to the same precision, so a page never shows float noise such as 81.3999."""
    text = str(stated_text).replace(",", "")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _computed_text(rec: pd.Series, decimals: int) -> tuple[str, str]:
    """A record's computed value one decimal finer than the claim's precision, unless it is a
    whole figure at that precision (a month, a count): where it lies against the claim's edge
    sets the status, and 24.7 against "more than 25" shown at the claim's precision read 25, and
    26.5 read 26 (rounded half to even). Also the value at full precision."""
    interval = rec.get("computed_interval", "")
    if isinstance(interval, str) and interval.startswith("{"):  # a set of possible values
        values = [float(v.replace(",", "")) for v in interval[1:-1].split(", ")]
        return "{" + ", ".join(f"{v:.{decimals}f}" for v in values) + "}", interval
    if isinstance(interval, str) and interval and interval[0] in "[(":
        low, high = float(rec.get("computed_low", "nan")), float(rec.get("computed_high", "nan"))
        if math.isnan(low):  # a fragment written before the ends were kept: as printed
            return interval, interval
        ends = (low, high)  # one decimal more than the claim: where an end lies decides
        shown = ", ".join("inf" if math.isinf(v) else f"{v:.{decimals + 1}f}" for v in ends)
        full = ", ".join(repr(v) for v in ends)
        return f"{interval[0]}{shown}{interval[-1]}", f"{interval[0]}{full}{interval[-1]}"
    value = float(rec["computed_value"])
    if math.isnan(value):
        return "", ""
    plain = abs(value - round(value, decimals)) <= 1e-9 * max(1.0, abs(value))  # 10, a count
    return f"{value:.{decimals if plain else decimals + 1}f}", repr(value)


def write_report(path: Path | None = None, records: pd.DataFrame | None = None) -> Path:
    """Write reports/claims.csv atomically (temporary file, then rename)."""
    path = path or reports_dir() / "claims.csv"
    table = build_table(collect() if records is None else records)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".csv.tmp")
    table.to_csv(temp, index=False, quoting=csv.QUOTE_MINIMAL)
    temp.replace(path)
    return path
