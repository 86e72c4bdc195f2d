"""Ingest speed and memory: `helpers ingest` against DuckDB's own scan and plain pandas.

All three read the same generated GACC-layout CSV (UTF-8, one flow) in the same run and do the
same cleaning: thousands separators, HS codes as strings, period to year/month, partner code to
ISO3, yuan/dollar conversion at monthly rates, parquet partitioned by flow and year. Each
candidate runs in its own process (so peak RSS is its own), in rotation, several times; the
medians and the ratios to DuckDB are printed and written to benchmarks/out/ingest.csv.

    python benchmarks/ingest.py [--rows 2000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from measure import run_measured

OUT = Path(__file__).resolve().parent / "out"


def candidate_helpers(csv_path: Path, out: Path) -> dict[str, float]:
    """`helpers ingest`, as `make report` runs it; returns its seconds per stage."""
    from helpers.ingest import ingest

    return ingest([csv_path], out, flow="export", progress=False).phases


def _lookups() -> tuple[object, object]:
    from helpers.ingest import codes, currency

    partners = codes.partner_table()[["gacc_code", "iso3"]]
    fx = currency.monthly_rates().dropna(subset=["month"])[["year", "month", "cny_per_usd"]]
    return partners, fx.astype({"month": "int64", "year": "int64"})


def candidate_duckdb(csv_path: Path, out: Path) -> None:
    """DuckDB's own scan with the same output columns and lookups, written by hand."""
    import duckdb

    from helpers.ingest import PARTITION_FLUSH_ROWS, codes

    partners, fx = _lookups()
    names = codes.partner_table()[["gacc_code", "name_zh", "name_en"]]
    provinces = codes.province_table()[["gacc_code", "name_en"]]
    con = duckdb.connect(config={"preserve_insertion_order": False})
    # The same partitioned-write buffer as helpers.ingest, so the ratio measures our work and
    # not a setting (with DuckDB's default it holds 2.1 GB at 10M rows).
    con.execute(f"SET partitioned_write_flush_threshold = {PARTITION_FLUSH_ROWS}")
    for name, frame in (("partners", partners), ("fx", fx), ("names", names),
                        ("provinces", provinces)):
        con.register(name, frame)
    out.mkdir(parents=True)
    number = "TRY_CAST(replace({}, ',', '') AS DOUBLE)"
    con.execute(f"""
        COPY (
          SELECT 'export' AS flow, TRY_CAST(left(数据年月, 4) AS INTEGER) AS year,
                 TRY_CAST(right(数据年月, 2) AS INTEGER) AS month,
                 left(数据年月, 4) || '-' || right(数据年月, 2) AS period,
                 商品编码 AS hs_code, length(商品编码) AS hs_level, 商品名称 AS hs_name,
                 r.贸易伙伴编码 AS partner_code, p.iso3 AS partner_iso3,
                 n.name_zh AS partner_name_zh, n.name_en AS partner_name_en,
                 注册地编码 AS province_code, v.name_en AS province,
                 'registration' AS province_basis, 贸易方式编码 AS regime_code,
                 贸易方式名称 AS regime_name,
                 {number.format('第一数量')} AS quantity_1, 第一计量单位 AS unit_1,
                 {number.format('第二数量')} AS quantity_2, 第二计量单位 AS unit_2,
                 {number.format('美元')} * fx.cny_per_usd AS value_cny,
                 {number.format('美元')} AS value_usd, 'USD' AS currency_reported,
                 fx.cny_per_usd AS fx_cny_per_usd, DEMO = 'DEMO' AS is_demo,
                 '{csv_path.name}' AS source_file
          FROM read_csv('{csv_path}', header=true, all_varchar=true) r
          LEFT JOIN partners p ON p.gacc_code = r.贸易伙伴编码
          LEFT JOIN names n ON n.gacc_code = r.贸易伙伴编码
          LEFT JOIN provinces v ON v.gacc_code = r.注册地编码
          LEFT JOIN fx ON fx.year = TRY_CAST(left(数据年月, 4) AS INTEGER)
                      AND fx.month = TRY_CAST(right(数据年月, 2) AS INTEGER)
        ) TO '{out}' (FORMAT parquet, PARTITION_BY (flow, year))""")


def candidate_pandas(csv_path: Path, out: Path) -> None:
    import pandas as pd

    partners, fx = _lookups()
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    number = lambda s: pd.to_numeric(s.str.replace(",", "", regex=False), errors="coerce")  # noqa: E731
    clean = pd.DataFrame({
        "flow": "export", "year": frame["数据年月"].str[:4].astype(int),
        "month": frame["数据年月"].str[4:6].astype(int), "hs_code": frame["商品编码"],
        "hs_level": frame["商品编码"].str.len(), "gacc_code": frame["贸易伙伴编码"],
        "province_code": frame["注册地编码"], "quantity_1": number(frame["第一数量"]),
        "value_usd": number(frame["美元"])})
    clean = clean.merge(partners, on="gacc_code", how="left").merge(fx, on=["year", "month"],
                                                                     how="left")
    clean["value_cny"] = clean["value_usd"] * clean["cny_per_usd"]
    clean.drop(columns=["cny_per_usd"]).to_parquet(out, partition_cols=["flow", "year"])


CANDIDATES = {"helpers": candidate_helpers, "duckdb": candidate_duckdb, "pandas": candidate_pandas}


def run_one(name: str, csv_path: Path, keep: Path | None = None) -> dict[str, object]:
    """Run one candidate in this process and report its time and peak RSS.

    `keep` names a folder to leave the output in (scale.py aggregates the helpers output
    instead of ingesting the same file a second time); otherwise it is deleted.
    """
    out = keep or OUT / f"parquet-{name}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    phases = CANDIDATES[name](csv_path, out) or {}
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if keep is None:
        shutil.rmtree(out, ignore_errors=True)
    return {"seconds": seconds, "peak_rss_mb": rss_mb, "phases": phases}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--candidates", default=",".join(CANDIDATES),
                        help="which to run, comma-separated (default: all; duckdb is the "
                             "baseline and always runs)")
    parser.add_argument("--candidate", choices=sorted(CANDIDATES), help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.candidate:
        print(json.dumps(run_one(args.candidate, args.csv, args.keep)))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / f"demo-{args.rows}"
    if not any(data.glob("*.csv")):
        subprocess.run([sys.executable, "-m", "helpers", "demo-data", "--rows", str(args.rows),
                        "--rows-per-file", "0", "--encoding", "utf-8", "--flows", "export",
                        "--out", str(data)], check=True)
    csv_path = next(data.glob("*.csv"))
    print(f"input: {csv_path.name}, {csv_path.stat().st_size / 1e6:.0f} MB, "
          f"{args.rows:,} rows; {args.repeat} rounds")
    chosen = {"duckdb", *args.candidates.split(",")}
    unknown = chosen - set(CANDIDATES)
    if unknown:
        parser.error(f"unknown candidate(s) {', '.join(sorted(unknown))}: choose from "
                     f"{', '.join(CANDIDATES)}")
    results: dict[str, list[dict[str, float]]] = {n: [] for n in CANDIDATES if n in chosen}
    for round_ in range(args.repeat):
        for name in results:
            results[name].append(run_measured([sys.executable, __file__, "--candidate", name,
                                               "--csv", str(csv_path)]))
            print(f"  round {round_ + 1} {name:<8} {results[name][-1]['seconds']:6.2f} s")
    base = statistics.median(r["seconds"] for r in results["duckdb"])
    lines = ["candidate,rows,median_seconds,ratio_to_duckdb,peak_rss_mb"]
    for name, runs in results.items():
        median = statistics.median(r["seconds"] for r in runs)
        rss = max(r["peak_rss_mb"] for r in runs)
        lines.append(f"{name},{args.rows},{median:.3f},{median / base:.2f},{rss:.0f}")
    (OUT / "ingest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
