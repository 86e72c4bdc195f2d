"""What the processed table holds, for notebook 00: the files, rows and value by flow, year,
data kind and scope, the months covered, and the monthly and annual totals.

National rows and rows by province are kept apart in every total (`where`): a province's trade
is part of China's, so adding the two counts it twice.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from helpers.analysis import panel
from helpers.analysis.coverage import holes, merged
from helpers.analysis.trade import TradeData, million, monthly_rows


def _by_where(table: ir.Table) -> ir.Table:
    """The table with `where`: national rows, or rows by province. The two are never summed
    together: a province's trade is part of China's, and a national download beside Xinjiang's
    counted Xinjiang twice."""
    return table.mutate(where=ibis.ifelse(table.province_code.isnull(), "national",
                                          "sum of provinces"))


def summary(data: TradeData) -> pd.DataFrame:
    """Rows and value by flow, year, data kind and scope: what the notebooks can draw on."""
    found = panel.totals(_by_where(data.everything), ["flow", "year", "is_demo", "where"],
                         distinct=["partner_code", "province_code", "hs_code"])
    return pd.DataFrame({
        "flow": found["flow"], "year": found["year"].astype("int64"),
        "data": found["is_demo"].map({True: "DEMO", False: "real"}), "where": found["where"],
        "rows": found["rows"], "partners": found["n_partner_code"],
        "provinces": found["n_province_code"], "hs_codes": found["n_hs_code"],
        "value_usd_million": million(found["cents"]).round(1),
    }).sort_values(["flow", "year", "data"]).reset_index(drop=True)


def input_files(data: TradeData) -> pd.DataFrame:
    """The ingested files with checksums, from the manifest."""
    files = pd.DataFrame(data.manifest["files"])  # type: ignore[arg-type]
    columns = ["file", "flow", "rows", "encoding", "currency", "is_demo", "sha256"]
    frame = files[columns].copy()
    frame["sha256"] = frame["sha256"].str[:12] + "…"
    return frame


def coverage_table(data: TradeData) -> pd.DataFrame:
    """What the downloads cover, per flow: provinces (or national rows) with the same periods
    are one row, with the months missing between the first and the last."""
    rows = []
    for e in merged(data.coverage_entries):
        periods = [str(p) for p in e["periods"]]  # type: ignore[union-attr]
        months = sorted(p for p in periods if len(p) == 7)
        rows.append({"flow": e["flow"], "where": e["province"] or "national",
                     "first month": months[0] if months else "-",
                     "last month": months[-1] if months else "-", "months": len(months),
                     "annual": ", ".join(sorted(p for p in periods if len(p) == 4)) or "-",
                     "missing months": ", ".join(holes(periods)) or "none"})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    keys = ["flow", "first month", "last month", "months", "annual", "missing months"]
    grouped = frame.groupby(keys, sort=True)["where"].agg(
        lambda w: w.iloc[0] if len(w) == 1 else f"{len(w)} provinces" if "national" not in
        set(w) else f"national + {len(w) - 1} provinces")
    return grouped.reset_index()[["flow", "where", *keys[1:]]]


def monthly_totals(data: TradeData, province: str | None = None) -> pd.DataFrame:
    """Monthly value by flow (US$ million) of one province, or by flow and `where` (national
    rows apart from the provinces' sum), for the chosen data kind; annual rows are in
    `annual_totals`."""
    filters = {"province": province} if province else {}
    found = panel.totals(_by_where(monthly_rows(data)), ["flow", "where", "year", "month"],
                         **filters)
    return pd.DataFrame({
        "flow": found["flow"], "where": province or found["where"],
        "month": pd.to_datetime(dict(year=found["year"], month=found["month"], day=1)),
        "value_usd_million": million(found["cents"])})


def annual_totals(data: TradeData) -> pd.DataFrame:
    """Rows without a month (annual downloads) by flow, `where` and year, US$ million: what a
    monthly chart leaves out, to be said under it."""
    table = data.table.filter(data.table.month.isnull())
    found = panel.totals(_by_where(table), ["flow", "where", "year"])
    return pd.DataFrame({"flow": found["flow"], "where": found["where"],
                         "year": found["year"].astype("int64"), "rows": found["rows"],
                         "value_usd_million": million(found["cents"]).round(1)})
