"""Where an ingest's time goes: DuckDB's profiler on the scan statement of `helpers ingest` and
on the hand-written baseline statement (benchmarks/ingest.py), operator by operator.

Each statement runs once with DuckDB's JSON profiling on, in its own process; operator times
are CPU seconds summed over DuckDB's threads, grouped by the job they do:

- read CSV: the CSV reader;
- parse and check: projections and filters (trimming, parsing numbers and periods, the checks
  that raise on a bad row), and the small joins DuckDB makes of IN-lists (missing markers,
  total-row labels);
- code lookups: the joins against the partner, province, regime and exchange-rate tables;
- write parquet: the partitioned COPY.

    python benchmarks/scan_profile.py CSV [--candidate helpers|duckdb]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
JOBS = ("read CSV", "parse and check", "code lookups", "write parquet", "other")


def _operators(node: dict[str, object]) -> Iterator[dict[str, object]]:
    yield node
    for child in node.get("children", []):  # type: ignore[union-attr]
        yield from _operators(child)  # type: ignore[arg-type]


def _job(node: dict[str, object]) -> str:
    kind = str(node.get("type", ""))
    children = [str(c.get("type")) for c in node.get("children", [])]  # type: ignore[union-attr]
    if kind == "TABLE_SCAN" and "READ_CSV" in json.dumps(node.get("extra_info", "")).upper():
        return "read CSV"
    if kind == "COPY_TO_FILE":
        return "write parquet"
    if kind == "HASH_JOIN":
        # An IN-list is joined as a small in-memory list (COLUMN_DATA_SCAN); a code list or
        # the exchange rates are tables (TABLE_SCAN) or registered frames.
        return "parse and check" if "COLUMN_DATA_SCAN" in children else "code lookups"
    if kind in ("PROJECTION", "FILTER"):
        return "parse and check"
    return "other"


def breakdown(profile: dict[str, object]) -> dict[str, float]:
    """CPU seconds per job, and the statement's own CPU and wall seconds."""
    jobs = dict.fromkeys(JOBS, 0.0)
    for root in profile["operator"]:  # type: ignore[union-attr]
        for node in _operators(root):
            jobs[_job(node)] += float(node.get("timing", 0.0))  # type: ignore[arg-type]
    query = profile["query"]  # type: ignore[index]
    return {**{k: round(v, 3) for k, v in jobs.items()},
            "statement_cpu": round(float(query["cpu_time"]), 3),  # type: ignore[index]
            "statement_wall": round(float(query["total_time"]), 3)}  # type: ignore[index]


def _profiled(con: duckdb.DuckDBPyConnection, sql: str, folder: Path) -> dict[str, object]:
    output = folder / "profile.json"
    con.execute("SET enable_profiling = 'json'")
    con.execute(f"SET profiling_output = '{output}'")
    con.execute(sql)
    return json.loads(output.read_text(encoding="utf-8"))


def profile_helpers(csv_path: Path, folder: Path) -> dict[str, object]:
    """The COPY statement `helpers ingest` runs for this file, on its own connection settings."""
    from helpers.ingest import scan
    from helpers.ingest.plan import plan_inputs
    from helpers.ingest.readers import to_utf8_csv

    planned = plan_inputs([csv_path], "export", None)
    planned[0].csv_path = to_utf8_csv(planned[0].sniffed, folder / "input.csv", lambda n: None)
    con = scan.connect(folder)
    sql = scan.copy_sql(planned, planned, folder / "trade", "new0")
    return _profiled(con, sql, folder)


def profile_duckdb(csv_path: Path, folder: Path) -> dict[str, object]:
    """The baseline's statement, captured as benchmarks/ingest.py runs it."""
    sys.path.insert(0, str(HERE))
    import ingest

    captured: dict[str, object] = {}
    connect = duckdb.connect

    class Profiling:
        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self.con = con

        def execute(self, sql: str, *args: object) -> object:
            if sql.lstrip().startswith("COPY"):
                captured.update(_profiled(self.con, sql, folder))
                return None
            return self.con.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self.con, name)

    duckdb.connect = lambda *a, **k: Profiling(connect(*a, **k))  # type: ignore[assignment]
    try:
        ingest.candidate_duckdb(csv_path, folder / "trade")
    finally:
        duckdb.connect = connect
    return captured


def measure(csv_path: Path, candidate: str) -> dict[str, float]:
    """One profiled run of `candidate` in a fresh process."""
    done = subprocess.run([sys.executable, __file__, str(csv_path), "--candidate", candidate],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--candidate", choices=("helpers", "duckdb"))
    args = parser.parse_args()
    if args.candidate is None:
        for candidate in ("helpers", "duckdb"):
            print(candidate, json.dumps(measure(args.csv, candidate)))
        return 0
    (HERE / "out").mkdir(exist_ok=True)  # a fresh clone has none
    folder = Path(tempfile.mkdtemp(prefix="profile-", dir=HERE / "out"))
    try:
        run = profile_helpers if args.candidate == "helpers" else profile_duckdb
        print(json.dumps(breakdown(run(args.csv, folder))))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
