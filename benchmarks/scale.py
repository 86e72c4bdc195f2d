"""How cost grows with rows: ingest (helpers against the same job as one hand-written DuckDB
statement, and pandas) and the panel aggregations (DuckDB vs Spark local), measured side by side
at each size in one run, with where the ingest's time goes.

    python benchmarks/scale.py --sizes 2000000,10000000,100000000 [--repeat 3]

Writes reports/benchmarks.csv and reports/benchmarks.html (log-log chart). pandas is skipped
above 10M rows (it needs the whole file in memory). Each measurement runs in its own process so
peak RSS is its own, `--repeat` times in rotation up to 10M rows (the median is kept: run-to-run
noise here is 10-25 %), once above. Where the time goes: `helpers ingest`'s seconds per stage
(`phase: ...` columns, medians) and, from one more profiled run of each scan statement, DuckDB's
CPU seconds per job (`cpu: ...` columns, benchmarks/scan_profile.py). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from measure import run_measured
from scan_profile import JOBS
from scan_profile import measure as profile_scan

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
REPORTS = ROOT / "reports"
PANDAS_MAX_ROWS = 10_000_000
REPEAT_MAX_ROWS = 10_000_000  # larger sizes run once: 100M rows take ~10 min per candidate
COLOURS = {"duckdb": "tab:blue", "helpers": "tab:orange", "pandas": "tab:green",
           "spark": "tab:red"}  # one colour per candidate across both panels


def _child(code: str) -> dict[str, float]:
    """Run `code` in a fresh Python; seconds from before its imports, memory of its tree."""
    wrapper = (f"import json, resource, time\nstarted = time.perf_counter()\n{code}\n"
               "print(json.dumps({'seconds': time.perf_counter() - started, 'peak_rss_mb': "
               "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))")
    return run_measured([sys.executable, "-c", wrapper], cwd=ROOT)


def _ingest(candidate: str, csv_path: Path, keep: Path | None = None) -> dict[str, float]:
    command = [sys.executable, str(ROOT / "benchmarks" / "ingest.py"), "--candidate", candidate,
               "--csv", str(csv_path)]
    return run_measured(command + (["--keep", str(keep)] if keep else []))


def _aggregate(backend: str, data_dir: Path) -> dict[str, float]:
    """The questions notebooks 00-04 ask (helpers.analysis.trade), timed from a cold start: imports,
    engine start-up (the JVM for Spark) and every query."""
    return _child(
        "from helpers.analysis import inventory, trade\n"
        f"data = trade.open_trade({str(data_dir)!r}, 'demo', backend={backend!r})\n"
        "s = trade.scope('Xinjiang', 'USA', 'export', 2020, 2019)\n"
        "inventory.summary(data)\n"
        "inventory.monthly_totals(data, 'Xinjiang')\n"
        "trade.partner_growth(data, s)\n"
        "trade.hs_prefix_totals(data, s, ['8502', '9505', '291711'])\n"
        "trade.top_products(data, s, level=6, n=10)\n"
        "trade.monthly(data, s, hs_prefix='9505')")


def _summary(step: str, candidate: str, rows: int,
             runs: list[dict[str, Any]]) -> dict[str, object]:
    """Median time of the runs (this machine's speed varies by 10-25 % from run to run), their
    range, the highest peak memory, and the median seconds of each stage the runs report."""
    seconds = [r["seconds"] for r in runs]
    phases = {name for r in runs for name in r.get("phases", {})}
    return {"step": step, "candidate": candidate, "rows": rows, "runs": len(runs),
            "seconds": statistics.median(seconds), "min_seconds": min(seconds),
            "max_seconds": max(seconds), "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            **{f"phase: {name}": round(statistics.median(r["phases"].get(name, 0.0)
                                                         for r in runs), 3)
               for name in sorted(phases)}}


def measure(rows: int, repeat: int) -> list[dict[str, object]]:
    """Every candidate at one size, in rotation, `repeat` times up to REPEAT_MAX_ROWS rows."""
    data = OUT / f"scale-{rows}"
    if not any(data.glob("*.csv")):
        subprocess.run([sys.executable, "-m", "helpers", "demo-data", "--rows", str(rows),
                        "--rows-per-file", "0", "--encoding", "utf-8", "--flows", "export",
                        "--out", str(data)], check=True)
    csv_path = next(data.glob("*.csv"))
    rounds = repeat if rows <= REPEAT_MAX_ROWS else 1
    ingested = OUT / f"ingested-{rows}"  # the helpers run's output, aggregated below
    ingests = [c for c in ("helpers", "duckdb", "pandas")
               if c != "pandas" or rows <= PANDAS_MAX_ROWS]
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(rounds):
        for candidate in ingests:
            keep = ingested if candidate == "helpers" else None
            runs.setdefault(("ingest", candidate), []).append(_ingest(candidate, csv_path, keep))
    for _ in range(rounds):
        for backend in ("duckdb", "spark"):
            runs.setdefault(("aggregate", backend), []).append(_aggregate(backend, ingested))
    results = [_summary(step, candidate, rows, r) for (step, candidate), r in runs.items()]
    for result in results:  # one profiled run of each scan statement: where its CPU goes
        if result["step"] == "ingest" and result["candidate"] in ("helpers", "duckdb"):
            jobs = profile_scan(csv_path, str(result["candidate"]))
            result.update({f"cpu: {job}": jobs[job] for job in (*JOBS, "statement_cpu")})
    for r in results:
        print(f"  {r['rows']:>11,} {r['step']:<9} {r['candidate']:<8} {r['seconds']:7.2f} s "
              f"({r['min_seconds']:.2f}-{r['max_seconds']:.2f}, {r['runs']} run(s)) "
              f"{r['peak_rss_mb']:7.0f} MB", flush=True)
    return results


def chart(frame) -> str:  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for ax, step in zip(axes, ("ingest", "aggregate"), strict=True):
        part = frame[frame["step"] == step]
        for candidate, rows in part.groupby("candidate"):
            ax.plot(rows["rows"], rows["seconds"], "o-", label=candidate,
                    color=COLOURS.get(str(candidate)))
        # A line of slope 1 through the smallest DuckDB point: cost growing linearly with rows.
        base = part[part["candidate"] == "duckdb"].sort_values("rows").iloc[0]
        xs = sorted(part["rows"].unique())
        ax.plot(xs, [base["seconds"] * x / base["rows"] for x in xs], ":", color="grey",
                label="linear from DuckDB's first point")
        ax.set(xscale="log", yscale="log", xlabel="rows", ylabel="seconds", title=step)
        ax.legend(fontsize=8)
    fig.suptitle("Cost against rows (log-log; DEMO panels from helpers demo-data, 2-core machine)")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def with_ratios(frame):  # type: ignore[no-untyped-def]
    """Each time as a multiple of DuckDB's at the same step and size."""
    duckdb = frame[frame["candidate"] == "duckdb"].set_index(["step", "rows"])["seconds"]
    keys = list(zip(frame["step"], frame["rows"], strict=True))
    frame["ratio_to_duckdb"] = (frame["seconds"] / duckdb.reindex(keys).to_numpy()).round(2)
    return frame


def main() -> int:
    import pandas as pd

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000000,10000000,100000000")
    parser.add_argument("--repeat", type=int, default=3,
                        help=f"runs per measurement up to {REPEAT_MAX_ROWS:,} rows (median kept)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows += measure(size, max(1, args.repeat))
    frame = with_ratios(pd.DataFrame(rows))
    REPORTS.mkdir(exist_ok=True)
    frame.to_csv(REPORTS / "benchmarks.csv", index=False)
    table = frame.to_html(index=False, float_format=lambda v: f"{v:,.2f}")
    (REPORTS / "benchmarks.html").write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Benchmarks</title>"
        f"</head><body style='font-family:system-ui;margin:2em'><h1>How cost grows with rows</h1>"
        f"<p>Measured {time.strftime('%Y-%m-%d')} on this machine; each time is the median of "
        f"the runs in column <code>runs</code> ({args.repeat} up to {REPEAT_MAX_ROWS:,} rows, "
        "one above), each in its own process and in rotation, with their range; this "
        "machine's speed varies by 10-25 % from run to run. Ingest: the same generated "
        "GACC-layout CSV (UTF-8, one flow) into "
        "parquet partitioned by flow and year, by <code>helpers ingest</code>, by DuckDB's own "
        "<code>read_csv</code> with the same output columns and lookups, and by pandas (only "
        f"up to {PANDAS_MAX_ROWS:,} rows: it holds the whole file). Aggregate: the questions "
        "notebooks 00-04 ask, from a cold start, on DuckDB and on Spark local[2]. Peak memory "
        "is the whole process tree's (Spark's JVM included).</p>"
        f"<img alt='seconds against rows, log-log' "
        f"src='data:image/png;base64,{chart(frame)}'>{table}</body></html>", encoding="utf-8")
    same_job = frame[(frame["step"] == "ingest") & (frame["candidate"] == "helpers")]
    print("same job, helpers ingest / one hand-written DuckDB statement: " + ", ".join(
        f"{int(r.rows):,} rows {r.ratio_to_duckdb:.2f}x" for r in same_job.itertuples()))
    print(f"-> {REPORTS / 'benchmarks.csv'}, {REPORTS / 'benchmarks.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
