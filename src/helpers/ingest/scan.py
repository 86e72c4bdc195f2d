"""Scan planned files into parquet: DuckDB's connection, the COPY statements, the progress bar.

Each file's rows are parsed, checked and looked up by one SELECT (helpers.ingest.sql); a batch
of files is one COPY ... PARTITION_BY (flow, year) statement, written in one streaming pass so a
multi-GB national export never sits whole in memory. Files beyond one statement's batch run as
several statements side by side. A row check that fails raises inside the pass, and the error is
turned into a message naming the file and line (helpers.ingest.refusal).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path

import duckdb
from tqdm import tqdm

from helpers.errors import InputError
from helpers.ingest import codes, currency, incremental
from helpers.ingest.lookups import names_tables_sql, regime_key_sql
from helpers.ingest.plan import InputFile
from helpers.ingest.readers import ProgressFn, has_rows_below_header, to_utf8_csv
from helpers.ingest.refusal import translate_error
from helpers.ingest.sql import final_sql, locale_sql, q, scan_sql

PARTITION_FLUSH_ROWS = 122_880  # DuckDB's row-group size
FILES_PER_STATEMENT = 16  # inputs scanned by one COPY statement (memory grows with the number)
LARGE_INPUT_BYTES = 32 * 1024 * 1024


class Phases(dict[str, float]):
    """Wall seconds per stage of one run: `with phases("scan"): ...` adds to "scan"."""

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self[name] = round(self.get(name, 0.0) + time.perf_counter() - started, 3)


def _session(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Settings DuckDB keeps per connection: set on the first and on every cursor."""
    # DuckDB tracks a statement's progress only with its progress bar on (query_progress() is
    # -1 otherwise, and the scan's bar stood at 0 % to the end); tqdm draws it instead.
    con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
    # PARTITION_BY buffers 524,288 rows per thread and partition before writing by default:
    # 2.1 GB resident for a 10M-row file, against 0.45 GB for the same unpartitioned COPY.
    # Flushing every row group (122,880 rows) holds 0.9 GB and is no slower (benchmarks/).
    con.execute(f"SET partitioned_write_flush_threshold = {PARTITION_FLUSH_ROWS}")
    return con


def connect(work: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"temp_directory": str(work / "duckdb-tmp"),
                                 "preserve_insertion_order": False,
                                 "memory_limit": os.environ.get("HELPERS_DUCKDB_MEMORY", "2GB")})
    _session(con)
    # DuckDB cannot estimate the rows of a CSV read with explicit columns (it guessed ~46 for
    # 2M rows) and then builds its hash tables on the big side of every lookup join: twice as
    # slow. Every join here is big table LEFT JOIN small code list, so keep the order written.
    # And DuckDB turns an IN-list of constants into a join per list: nine joins per file for
    # the missing-value markers and total-row labels, dearer than the comparisons they replace.
    con.execute("SET disabled_optimizers = 'build_side_probe_side,in_clause'")
    partners = codes.partner_table()[["gacc_code", "name_zh", "iso3", "name_en"]]
    provinces = codes.province_table()[["gacc_code", "name_zh", "name_en"]].copy()
    provinces["short_zh"] = provinces["name_zh"].str.rstrip("省市")
    fx = currency.monthly_rates()[["year", "month", "cny_per_usd"]].copy()
    fx["month"] = fx["month"].fillna(0).astype("int32")
    regimes = codes.regime_table()
    for name, frame in (("partners", partners), ("provinces", provinces), ("fx", fx),
                        ("regimes", regimes)):
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(f"{name}_df")
    con.execute(names_tables_sql())
    con.execute(f"ALTER TABLE regimes ADD COLUMN name_key VARCHAR; "
                f"UPDATE regimes SET name_key = {regime_key_sql('regime_name_zh')}")
    return con


def _execute_with_progress(con: duckdb.DuckDBPyConnection, sql: str, total_bytes: int,
                           show: bool) -> None:
    """Run one statement; on large inputs show DuckDB's own progress as a tqdm bar."""
    if not show or total_bytes < LARGE_INPUT_BYTES:
        con.execute(sql)
        return
    failure: list[BaseException] = []

    def work() -> None:
        try:
            con.execute(sql)
        except BaseException as exc:  # re-raised in the calling thread
            failure.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    with tqdm(total=100, desc="scan + write parquet", unit="%", leave=False) as bar:
        while thread.is_alive():
            thread.join(0.2)
            bar.update(max(0, int(_progress(con)) - bar.n))
        if not failure:
            bar.update(100 - bar.n)
    if failure:
        raise failure[0]


def _progress(con: duckdb.DuckDBPyConnection) -> float:
    """Percent of the running statement done (0 when DuckDB cannot tell)."""
    try:
        return min(100.0, max(0.0, float(con.query_progress())))
    except duckdb.Error:
        return 0.0


def scan_files(con: duckdb.DuckDBPyConnection, scan: list[InputFile], files: list[InputFile],
          target: Path, work: Path, progress: bool, name: str, phases: Phases,
          only: set[incremental.Partition] | None = None) -> list[InputFile]:
    """Parse, check and write `scan` into `target` (partitioned by flow and year), keeping only
    the partitions `only` when given; returns the files with a header and no rows."""
    if not scan:
        return []
    total_bytes = sum(f.size for f in scan)  # as planned; a file that changes is refused later
    show = progress and total_bytes >= LARGE_INPUT_BYTES
    with phases("prepare inputs"), tqdm(
            total=total_bytes, desc="prepare inputs", unit="B", unit_scale=True,
            disable=not show or all(f.sniffed.encoding.startswith("utf-8") for f in scan),
            leave=False) as bar:
        converted = _convert_workbooks([f for f in scan if f.sniffed.kind == "xlsx"], files,
                                       work, bar.update)
        for f in scan:
            f.csv_path = converted.get(f.label) or to_utf8_csv(
                f.sniffed, work / f"input-{files.index(f)}.csv", bar.update)
            if (locale := locale_sql(f)) is not None:
                f.dots_may_group, f.commas_may_be_decimal = map(
                    bool, con.execute(locale).fetchone())  # type: ignore[arg-type]
        header_only = [f for f in scan if _is_header_only(con, f)]
    readable = [f for f in scan if f not in header_only]
    if not readable:
        return header_only
    # One statement per batch of files: DuckDB sets up every branch of a UNION ALL at once (a
    # CSV reader's buffers each), and 50 files of one platform page each ran out of 2 GB.
    try:
        with phases("scan and write parquet"):
            if len(readable) <= FILES_PER_STATEMENT:
                sql = copy_sql(readable, files, target, f"{name}0", only)
                _execute_with_progress(con, sql, total_bytes, show)
            else:
                _scan_side_by_side(con, readable, files, target, name, only, show)
    except duckdb.InterruptException:
        raise  # Ctrl-C, no fault of the file (the command line says "interrupted")
    except duckdb.Error as exc:
        raise translate_error(exc, con, files) from None
    return header_only


def _scan_side_by_side(con: duckdb.DuckDBPyConnection, readable: list[InputFile],
                       files: list[InputFile], target: Path, name: str,
                       only: set[incremental.Partition] | None, show: bool) -> None:
    """More files than one statement takes: batches of them, as many statements at once as
    DuckDB has threads.

    A platform page (10,000 rows, under 2 MB) is read by one thread, and the branches of one
    statement run one after another: 400 pages kept one of two cores busy. Running statements
    side by side, each on its own cursor with FILES_PER_STATEMENT / threads files, keeps as
    many CSV readers open as one full statement does.
    """
    row = con.execute("SELECT current_setting('threads')").fetchone()
    workers = max(1, int(row[0]) if row else 1)
    size = max(1, FILES_PER_STATEMENT // workers)
    batches = [readable[i:i + size] for i in range(0, len(readable), size)]

    def run(index: int, batch: list[InputFile]) -> int:
        cursor = _session(con.cursor())
        try:
            cursor.execute(copy_sql(batch, files, target, f"{name}{index}", only))
        finally:
            cursor.close()
        return sum(f.size for f in batch)

    with ThreadPoolExecutor(max_workers=workers) as pool, tqdm(
            total=sum(f.size for f in readable), desc="scan + write parquet", unit="B",
            unit_scale=True, disable=not show, leave=False) as bar:
        running = [pool.submit(run, i * size, batch) for i, batch in enumerate(batches)]
        try:
            for done in as_completed(running):
                bar.update(done.result())
        finally:
            for future in running:
                future.cancel()


def copy_sql(batch: list[InputFile], files: list[InputFile], target: Path, name: str,
             only: set[incremental.Partition] | None = None) -> str:
    """The statement that scans `batch` into `target` (parquet partitioned by flow and year,
    files named after `name`), keeping only the partitions `only` when given."""
    union = "\nUNION ALL\n".join(final_sql(f, files.index(f)) for f in batch)
    if only is not None:
        wanted = ", ".join(f"({q(flow)}, {year})" for flow, year in sorted(only))
        union = f"SELECT * FROM ({union}) WHERE (flow, year) IN ({wanted})"
    return (f"COPY ({union}) TO {q(str(target))} (FORMAT parquet, PARTITION_BY (flow, year), "
            f"OVERWRITE_OR_IGNORE true, FILENAME_PATTERN '{name}_{{i}}')")


def _convert_workbooks(workbooks: list[InputFile], files: list[InputFile], work: Path,
                       progress: ProgressFn) -> dict[str, Path]:
    """Workbooks converted to CSV in worker processes, one per core, by label; {} for fewer
    than two. Reading a sheet is pure Python (openpyxl parses every cell's XML): a platform
    page of 10,000 rows takes seconds, and one process would keep one core busy."""
    workers = min(len(workbooks), os.cpu_count() or 1)
    if workers < 2:
        return {}
    import multiprocessing

    # Not fork: the DuckDB connection's threads are running in this process.
    context = multiprocessing.get_context("spawn")
    done: dict[str, Path] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        running = {pool.submit(to_utf8_csv, f.sniffed,
                               work / f"input-{files.index(f)}.csv"): f for f in workbooks}
        try:
            for future in as_completed(running):
                done[running[future].label] = future.result()
                progress(running[future].size)
        finally:
            for future in running:
                future.cancel()
    return done


def _is_header_only(con: duckdb.DuckDBPyConnection, f: InputFile) -> bool:
    try:
        row = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {scan_sql(f)} LIMIT 1)").fetchone()
    except duckdb.InterruptException:
        raise
    except duckdb.Error as exc:
        raise translate_error(exc, con, [f]) from None
    empty = row is not None and int(row[0]) == 0
    if empty and f.csv_path is not None and has_rows_below_header(f.sniffed, f.csv_path):
        raise InputError(f.path, "rows below the header could not be read (the reader found "
                         "none where the file has some): save the file again as UTF-8 CSV "
                         "with one line per row and report it")
    return empty


