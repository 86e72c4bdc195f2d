"""Ingest customs-platform downloads into one validated, partitioned parquet table.

Why it is built this way:
- DuckDB scans the CSV and writes parquet in one streaming pass, so a multi-GB national export
  never sits whole in memory. Every check (bad number, impossible month or HS code, unknown
  partner) is an expression in that same pass that raises on the first bad row; only then, on
  the error path, a second single-threaded scan finds the line to report.
- Output goes to a staging folder beside `--out` and replaces it with a rename, so a failed or
  interrupted run never leaves half a table, and a re-run replaces rather than appends.
- Nothing is guessed silently: the flow comes from `--flow` or the file name, the period from
  the file, `--period` or the file name, and the manifest says which.
- The table's contract (helpers.schema, pandera) is checked by tests/test_ingest_contract.py over
  generated downloads in every layout, not on a sample at run time: the SQL depends only on the
  layout, and the run-time check (pandera's import plus a second query competing with the scan
  for the cores) cost about 1 s a run, a fifth of a 1M-row ingest (benchmarks/ingest.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

import duckdb
import pandas as pd
from tqdm import tqdm

from helpers import codes, currency
from helpers.errors import InputError
from helpers.readers import Sniffed, sniff, to_utf8_csv

TABLE = "trade"
MANIFEST = "manifest.json"
INPUT_SUFFIXES = {".csv", ".tsv", ".xlsx"}
MISSING_MARKERS = ("", "-", "--", "—", "－", "——", "N/A", "n/a")
LARGE_INPUT_BYTES = 32 * 1024 * 1024
_ERROR_TAG = "HELPERS¦"

#: The processed table's columns, in order (partition columns flow and year included).
COLUMNS = (
    "flow", "year", "month", "period", "hs_code", "hs_level", "hs_name", "partner_code",
    "partner_iso3", "partner_name_zh", "partner_name_en", "province_code", "province",
    "province_basis", "regime_code", "regime_name", "quantity_1", "unit_1", "quantity_2",
    "unit_2", "value_cny", "value_usd", "currency_reported", "fx_cny_per_usd", "is_demo",
    "source_file",
)
KEY_COLUMNS = ("flow", "period", "hs_code", "partner_code", "province_code", "province_basis",
               "regime_code")


@dataclass
class InputFile:
    """One input file with everything decided about it before any data is read."""

    path: Path
    label: str  # how it is named in the output: relative to the folder given, else the name
    sniffed: Sniffed
    flow: str
    flow_source: str
    period: str | None  # fixed period for files without a period column
    period_source: str
    is_demo: bool
    csv_path: Path | None = None
    sha256: str = ""
    rows: int = 0


@dataclass
class IngestResult:
    """What an ingest run did, for the one-screen summary and the manifest."""

    out_dir: Path
    files: list[dict[str, object]]
    rows: int
    duplicates_dropped: int
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    totals: list[dict[str, object]] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"ingested {len(self.files)} file(s), {self.rows:,} rows -> "
                 f"{self.out_dir / TABLE} ({self.seconds:.1f} s)"]
        for t in self.totals:
            demo = " DEMO" if t["is_demo"] else ""
            lines.append(
                f"  {t['flow']:<6}{demo} {t['first']}..{t['last']}: {int(t['rows']):>10,} rows, "
                f"{int(t['partners'])} partners, {int(t['provinces'])} provinces, "
                f"US$ {float(t['value_usd'] or 0):,.0f}"
            )
        if self.duplicates_dropped:
            lines.append(f"  dropped {self.duplicates_dropped:,} rows repeated across files")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        lines.append(f"  manifest: {self.out_dir / MANIFEST}")
        return "\n".join(lines)


# --- deciding about each file ---------------------------------------------------------------

_EXPORT = re.compile(r"(?<![a-z])(exports?|exp)(?![a-z])|出口")
_IMPORT = re.compile(r"(?<![a-z])(imports?|imp)(?![a-z])|进口")
_NAME_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-_.]?(0[1-9]|1[0-2]))?(?!\d)")


def flow_from_name(path: Path) -> str | None:
    """'export' or 'import' when the file name says so unambiguously, else None."""
    name = path.stem.lower()
    is_export, is_import = bool(_EXPORT.search(name)), bool(_IMPORT.search(name))
    if is_export == is_import:
        return None
    return "export" if is_export else "import"


def _decide_flow(path: Path, flow: str | None) -> tuple[str, str]:
    named = flow_from_name(path)
    if flow is not None and named is not None and named != flow:
        raise InputError(path, f"the file name says {named} but --flow {flow} was given: rename "
                         "the file or ingest it in a separate run with the right --flow")
    if flow is not None:
        return flow, "--flow"
    if named is not None:
        return named, "file name"
    raise InputError(path, "cannot tell whether this file holds exports or imports (the "
                     "platform does not write the flow into the file): pass --flow export or "
                     "--flow import, or name the file export-... / import-... (出口 / 进口)")


def normalise_period(text: str) -> str:
    """'2020', '202010', '2020-10' -> '2020' or '2020-10'; raises ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d{4})(?:[-/._年]?\s*(\d{1,2})月?)?\s*", text)
    if not match:
        raise ValueError(text)
    year, month = int(match.group(1)), match.group(2)
    if not 1980 <= year <= 2100 or (month is not None and not 1 <= int(month) <= 12):
        raise ValueError(text)
    return f"{year}" if month is None else f"{year}-{int(month):02d}"


def _decide_period(sniffed: Sniffed, period: str | None) -> tuple[str | None, str]:
    if "period" in sniffed.layout.fields:
        return None, "column"
    if period is not None:
        return period, "--period"
    found = {f"{m.group(1)}-{m.group(2)}" if m.group(2) else m.group(1)
             for m in _NAME_PERIOD.finditer(sniffed.path.stem)}
    if len(found) == 1:
        return found.pop(), "file name"
    raise InputError(sniffed.path, "the file has no 数据年月 / Date of data column (an annual "
                     "query?) and its name does not give one year: pass --period 2020 (or "
                     "--period 2020-10)")


def expand_inputs(paths: Sequence[str | Path]) -> list[tuple[Path, str]]:
    """Files to read, each with its label; folders are searched recursively, sorted by name."""
    found: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(path, "no such file or directory: check the path")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in INPUT_SUFFIXES
                           and not p.name.startswith((".", "~$")))
            if not files:
                raise InputError(path, "the folder holds no .csv or .xlsx files: put the "
                                 "platform downloads there")
            found.extend((f, f"{path.name}/{f.relative_to(path).as_posix()}") for f in files)
        else:
            found.append((path, path.name))
    seen: dict[Path, str] = {}
    unique = []
    for path, label in found:
        if path.resolve() not in seen:
            seen[path.resolve()] = label
            unique.append((path, label))
    return unique


def plan_inputs(paths: Sequence[str | Path], flow: str | None = None,
                period: str | None = None) -> list[InputFile]:
    """Sniff every file and decide flow and period, before anything is read or written."""
    if flow is not None and flow not in ("export", "import"):
        raise InputError("--flow", f"unknown flow {flow!r}: use export or import")
    if period is not None:
        try:
            period = normalise_period(period)
        except ValueError:
            raise InputError("--period", f"cannot read period {period!r}: use YYYY or YYYY-MM, "
                             "e.g. 2020 or 2020-10") from None
    planned = []
    for path, label in expand_inputs(paths):
        sniffed = sniff(path)
        chosen_flow, flow_source = _decide_flow(path, flow)
        fixed_period, period_source = _decide_period(sniffed, period)
        planned.append(InputFile(path, label, sniffed, chosen_flow, flow_source, fixed_period,
                                 period_source, "demo" in path.name.lower()))
    return planned


# --- SQL -------------------------------------------------------------------------------------

def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _col(f: InputFile, name: str) -> str | None:
    index = f.sniffed.layout.fields.get(name)
    return None if index is None else f'"c{index}"'


def _scan_sql(f: InputFile) -> str:
    assert f.csv_path is not None
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(f.sniffed.layout.columns)))
    return (f"read_csv({_q(str(f.csv_path))}, header=false, skip={f.sniffed.header_line}, "
            f"delim={_q(f.sniffed.delimiter)}, quote='\"', escape='\"', columns={{{columns}}}, "
            "auto_detect=false, null_padding=false)")


def _is_missing_sql(cell: str) -> str:
    """Whether a (trimmed) cell says "no value": NULL, empty, a dash, N/A."""
    markers = ", ".join(_q(m) for m in MISSING_MARKERS)
    return f"coalesce({cell}, '') IN ({markers})"


def _texts_sql(f: InputFile) -> str:
    """First layer: each used column trimmed once, codes and numbers cleaned once."""
    parts = []
    for name, index in f.sniffed.layout.fields.items():
        text = f'trim("c{index}")'
        if name.endswith("_code"):
            # Spreadsheets write codes as 85023100.0 or with a leading apostrophe; undo both.
            text = (f"CASE WHEN contains({text}, '.') OR starts_with({text}, '''') THEN "
                    f"regexp_replace(regexp_replace({text}, '^''', ''), '\\.0$', '') "
                    f"ELSE {text} END")
        parts.append(f"{text} AS t_{name}")
        if name.startswith(("quantity", "value")):
            parts.append(f"{_is_missing_sql(text)} AS m_{name}")
            parts.append(f"TRY_CAST(CASE WHEN contains({text}, '，') OR contains({text}, ' ') "
                         f"THEN regexp_replace({text}, '[,， ]', '', 'g') "
                         f"ELSE replace({text}, ',', '') END AS DOUBLE) AS n_{name}")
    return f"SELECT {', '.join(parts)} FROM {_scan_sql(f)}"


def _not_a_count_sql(number: str) -> str:
    """Unread, negative, or one of DuckDB's readings of 'nan' and 'inf': never a customs figure."""
    return f"coalesce({number} < 0 OR NOT isfinite({number}), true)"


def _parsed_sql(f: InputFile) -> str:
    """Row-wise parsing of one file: values typed, plus a *_bad flag per check."""
    has = f.sniffed.layout.fields.__contains__
    parts: list[str] = []
    if has("period"):
        regex = r"'^(\d{4})(?:[-/._年]?\s*(\d{1,2})月?)?$'"
        digits6 = ("(length(t_period) = 6 AND left(t_period, 1) IN ('1', '2') "
                   "AND TRY_CAST(t_period AS UINTEGER) IS NOT NULL)")
        parts += ["t_period AS raw_period",
                  f"CASE WHEN {digits6} THEN TRY_CAST(left(t_period, 4) AS INTEGER) ELSE "
                  f"TRY_CAST(regexp_extract(t_period, {regex}, 1) AS INTEGER) END AS p_year",
                  f"CASE WHEN {digits6} THEN TRY_CAST(right(t_period, 2) AS INTEGER) ELSE "
                  f"TRY_CAST(NULLIF(regexp_extract(t_period, {regex}, 2), '') AS INTEGER) END "
                  "AS p_month"]
    else:
        assert f.period is not None
        year, _, month = f.period.partition("-")
        parts += [f"{_q(f.period)} AS raw_period", f"{int(year)} AS p_year",
                  f"{int(month) if month else 'NULL'}::INTEGER AS p_month"]
    parts += ["t_hs_code AS raw_hs",
              "CASE WHEN length(t_hs_code) % 2 = 1 THEN '0' || t_hs_code ELSE t_hs_code END "
              "AS hs_code",
              "NOT coalesce(regexp_full_match(t_hs_code, '[0-9]{1,8}'), false) AS hs_bad_digits"]
    parts.append("t_hs_name AS hs_name" if has("hs_name") else "NULL::VARCHAR AS hs_name")
    for name in ("partner_code", "partner_name", "regime_code", "regime_name"):
        parts.append(f"NULLIF(t_{name}, '') AS {name}" if has(name)
                     else f"NULL::VARCHAR AS {name}")
    for name in ("unit_1", "unit_2"):
        parts.append(f"CASE WHEN {_is_missing_sql(f't_{name}')} THEN NULL "
                     f"ELSE t_{name} END AS {name}" if has(name) else f"NULL::VARCHAR AS {name}")
    code, name = f.sniffed.layout.province_fields
    parts.append(f"NULLIF(left(t_{code}, 2), '') AS raw_province_code" if code
                 else "NULL::VARCHAR AS raw_province_code")
    parts.append(f"NULLIF(t_{name}, '') AS raw_province_name" if name
                 else "NULL::VARCHAR AS raw_province_name")
    for name in ("quantity_1", "quantity_2"):
        if has(name):
            parts += [f"t_{name} AS raw_{name}",
                      f"CASE WHEN m_{name} THEN NULL ELSE n_{name} END AS {name}",
                      f"(NOT m_{name} AND {_not_a_count_sql(f'n_{name}')}) AS {name}_bad"]
        else:
            parts += [f"NULL AS raw_{name}", f"NULL::DOUBLE AS {name}", f"false AS {name}_bad"]
    value = "value_cny" if has("value_cny") else "value_usd"
    parts += [f"t_{value} AS raw_value", f"n_{value} AS value",
              f"(m_{value} OR {_not_a_count_sql(f'n_{value}')}) AS value_bad"]
    flag = "true" if f.is_demo else "false"
    parts.append(f"({flag} OR coalesce(upper(t_demo_flag) = 'DEMO', false)) AS is_demo"
                 if has("demo_flag") else f"{flag} AS is_demo")
    return f"SELECT {', '.join(parts)} FROM ({_texts_sql(f)})"


#: Parsed columns the output needs; raw_* and *_bad stay behind (only errors need them).
_CLEAN = ("p_month", "hs_code", "hs_name", "partner_code", "partner_name", "regime_code",
          "regime_name", "unit_1", "unit_2", "raw_province_code", "raw_province_name",
          "quantity_1", "quantity_2", "value", "is_demo")


def _checked_sql(f: InputFile, index: int) -> str:
    """Parsed rows with every row-wise check applied before any join (narrow rows join fast)."""
    return (f"SELECT {', '.join(_CLEAN)}, {_guarded_year(index)} AS p_year "
            f"FROM ({_parsed_sql(f)})")


#: per check: the predicate on the parsed row, the raw value shown, the layout field.
_CHECKS = {
    "period": ("p_year IS NULL OR p_year NOT BETWEEN 1980 AND 2100 "
               "OR (p_month IS NOT NULL AND p_month NOT BETWEEN 1 AND 12)", "raw_period", "period"),
    "hs_code": ("hs_bad_digits OR left(hs_code, 2) IN ('00', '77')", "raw_hs", "hs_code"),
    "quantity_1": ("quantity_1_bad", "raw_quantity_1", "quantity_1"),
    "quantity_2": ("quantity_2_bad", "raw_quantity_2", "quantity_2"),
    "value": ("value_bad", "raw_value", "value"),
}


def _guarded_year(index: int) -> str:
    """The year column, computed so that any failed check raises a tagged DuckDB error.

    The tag carries the file index, the check and the raw value, for `_translate_duckdb_error`.
    """
    whens = []
    for check, (predicate, raw, _) in _CHECKS.items():
        message = f"{_q(f'{_ERROR_TAG}{index}¦{check}¦')} || coalesce({raw}, '')"
        whens.append(f"WHEN {predicate} THEN error({message})")
    return f"CASE {' '.join(whens)} ELSE p_year END"


def _final_sql(f: InputFile, index: int) -> str:
    """One file's rows in the output schema, with lookups, conversions and raising checks."""
    partner_join = ("p.gacc_code = r.partner_code" if _col(f, "partner_code")
                    else "(p.name_zh = r.partner_name OR lower(p.name_en) = lower(r.partner_name))")
    partner_missing = (f"CASE WHEN p.gacc_code IS NULL THEN error("
                       f"{_q(f'{_ERROR_TAG}{index}¦partner¦')} || "
                       "coalesce(r.partner_code, r.partner_name, '')) END")
    province_join = ("v.gacc_code = r.raw_province_code" if f.sniffed.layout.province_fields[0]
                     else "starts_with(r.raw_province_name, v.short_zh)")
    province_missing = (f"CASE WHEN v.gacc_code IS NULL AND (r.raw_province_code IS NOT NULL OR "
                        f"r.raw_province_name IS NOT NULL) THEN error("
                        f"{_q(f'{_ERROR_TAG}{index}¦province¦')} || coalesce(r.raw_province_code, "
                        "r.raw_province_name, '')) END")
    usd = "r.value" if f.sniffed.layout.currency == "USD" else "r.value / fx.cny_per_usd"
    cny = "r.value" if f.sniffed.layout.currency == "CNY" else "r.value * fx.cny_per_usd"
    basis = f.sniffed.layout.province_basis
    return f"""
    SELECT {_q(f.flow)} AS flow,
           r.p_year::SMALLINT AS year,
           r.p_month::TINYINT AS month,
           CASE WHEN r.p_month IS NULL THEN r.p_year::VARCHAR
                ELSE r.p_year::VARCHAR || '-' || lpad(r.p_month::VARCHAR, 2, '0') END AS period,
           r.hs_code, length(r.hs_code)::TINYINT AS hs_level, r.hs_name,
           coalesce(p.gacc_code, {partner_missing}) AS partner_code,
           p.iso3 AS partner_iso3, p.name_zh AS partner_name_zh, p.name_en AS partner_name_en,
           coalesce(v.gacc_code, {province_missing}) AS province_code, v.name_en AS province,
           {_q(basis) if basis else 'NULL::VARCHAR'} AS province_basis,
           r.regime_code, coalesce(r.regime_name, g.regime_name_zh) AS regime_name,
           r.quantity_1, r.unit_1, r.quantity_2, r.unit_2,
           {cny} AS value_cny, {usd} AS value_usd,
           {_q(f.sniffed.layout.currency)} AS currency_reported,
           fx.cny_per_usd AS fx_cny_per_usd,
           r.is_demo, {_q(f.label)} AS source_file
    FROM ({_checked_sql(f, index)}) r
    LEFT JOIN partners p ON {partner_join}
    LEFT JOIN provinces v ON {province_join}
    LEFT JOIN regimes g ON g.regime_code = r.regime_code
    LEFT JOIN fx ON fx.year = r.p_year AND fx.month = coalesce(r.p_month, 0)"""


# --- running ---------------------------------------------------------------------------------

PARTITION_FLUSH_ROWS = 122_880  # DuckDB's row-group size


def _connect(work: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"temp_directory": str(work / "duckdb-tmp"),
                                 "preserve_insertion_order": False,
                                 "memory_limit": os.environ.get("HELPERS_DUCKDB_MEMORY", "2GB")})
    con.execute("SET enable_progress_bar_print = false")  # tqdm shows progress instead
    # DuckDB cannot estimate the rows of a CSV read with explicit columns (it guessed ~46 for
    # 2M rows) and then builds its hash tables on the big side of every lookup join: twice as
    # slow. Every join here is big table LEFT JOIN small code list, so keep the order written.
    con.execute("SET disabled_optimizers = 'build_side_probe_side'")
    # PARTITION_BY buffers 524,288 rows per thread and partition before writing by default:
    # 2.1 GB resident for a 10M-row file, against 0.45 GB for the same unpartitioned COPY.
    # Flushing every row group (122,880 rows) holds 0.9 GB and is no slower (benchmarks/).
    con.execute(f"SET partitioned_write_flush_threshold = {PARTITION_FLUSH_ROWS}")
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
    return con


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


CHUNK = 4 * 1024 * 1024


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
            try:
                done = max(0.0, float(con.query_progress()))
            except duckdb.Error:
                done = 0.0
            bar.update(max(0.0, min(100.0, done) - bar.n))
    if failure:
        raise failure[0]


def _locate(con: duckdb.DuckDBPyConnection, f: InputFile, check: str) -> int | None:
    """Line (or sheet row) of the first row failing `check`, by a single-threaded rescan."""
    con.execute("SET threads = 1; SET preserve_insertion_order = true")
    if check == "partner":
        lookup = ("partner_code NOT IN (SELECT gacc_code FROM partners)" if _col(f, "partner_code")
                  else "partner_name NOT IN (SELECT name_zh FROM partners) AND lower(partner_name)"
                       " NOT IN (SELECT lower(name_en) FROM partners WHERE name_en IS NOT NULL)")
        predicate = lookup
    elif check == "province":
        predicate = ("raw_province_code NOT IN (SELECT gacc_code FROM provinces)"
                     if f.sniffed.layout.province_fields[0] else
                     "NOT EXISTS (SELECT 1 FROM provinces v WHERE "
                     "starts_with(raw_province_name, v.short_zh))")
    else:
        predicate = _CHECKS[check][0]
    sql = (f"SELECT rn FROM (SELECT row_number() OVER () AS rn, * FROM ({_parsed_sql(f)})) "
           f"WHERE {predicate} LIMIT 1")
    row = con.execute(sql).fetchone()
    return None if row is None else f.sniffed.header_line + int(row[0])


def _explain(f: InputFile, check: str, raw: str) -> str:
    layout = f.sniffed.layout
    header = lambda name: layout.columns[layout.fields[name]]  # noqa: E731
    if check == "period":
        return (f"impossible period {raw!r} in column {header('period')}: expected YYYYMM with a "
                "month 01-12, e.g. 202010")
    if check == "hs_code":
        return (f"impossible HS code {raw!r} in column {header('hs_code')}: expected 2 to 8 "
                "digits of a real HS chapter (01-97, not 77), e.g. 85023100")
    if check == "partner":
        column = header("partner_code") if "partner_code" in layout.fields else header(
            "partner_name")
        return (f"unknown trading partner {raw!r} in column {column}: not in the platform's "
                "code list (data/raw/gacc-codes/partners.csv); check the download")
    if check == "province":
        return (f"unknown province {raw!r}: not in the platform's registration-place list "
                "(data/raw/gacc-codes/registration_places.csv); check the download")
    name = {"value": "value_cny" if "value_cny" in layout.fields else "value_usd"}.get(check, check)
    column = header(name)
    if raw.strip() in MISSING_MARKERS and check == "value":
        return f"missing value in column {column}: every row of a download needs a value"
    if raw.strip().startswith("-") and raw.strip("- ").replace(",", "")[:1].isdigit():
        return (f"negative number {raw!r} in column {column}: customs values and quantities are "
                "never negative; check the download")
    return (f"cannot read {raw!r} in column {column} as a number: expected digits with optional "
            "thousands separators, e.g. 56,121,645")


def _translate_duckdb_error(exc: duckdb.Error, con: duckdb.DuckDBPyConnection,
                            files: list[InputFile]) -> InputError:
    text = str(exc)
    if _ERROR_TAG in text:
        tail = text.split(_ERROR_TAG, 1)[1]
        index_text, check, raw = [*tail.split("¦", 2), "", ""][:3]
        raw = raw.split("\n", 1)[0]
        f = files[int(index_text)]
        line = _locate(con, f, check)
        return InputError(f.path, _explain(f, check, raw), line=line)
    match = re.search(r"CSV Error on Line: (\d+)", text)
    by_path = {str(f.csv_path): f for f in files}
    culprit = next((f for p, f in by_path.items() if p in text), files[0] if len(files) == 1
                   else None)
    where = culprit.path if culprit else "input"
    line = int(match.group(1)) if match else None
    if "Expected Number of Columns" in text:
        found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
        detail = (f" ({found.group(2)} fields where the header has {found.group(1)})"
                  if found else "")
        return InputError(where, f"a row does not match the header{detail}: a number with "
                          "thousands separators that is not in quotes, or a stray delimiter; "
                          "re-export the file with quoted fields", line=line)
    if "Invalid unicode" in text:
        return InputError(where, "invalid UTF-8 bytes in the middle of the file (it mixes "
                          "encodings or is damaged): re-download it or save it as UTF-8",
                          line=line)
    if "quote" in text.lower():
        return InputError(where, "a quoted field is never closed (the file was cut short?): "
                          "download it again", line=line)
    first = text.splitlines()[0] if text else type(exc).__name__
    return InputError(where, f"cannot read the file as a table: {first[:160]}", line=line)


def _check_out_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(out, "--out must be a folder, and this is a file: choose another path")
    if out.is_dir():
        contents = [p for p in out.iterdir() if not p.name.startswith(".")]
        if contents and not (out / MANIFEST).exists():
            raise InputError(out, "the output folder is not empty and was not written by "
                             "helpers ingest: choose an empty or new folder (ingest replaces "
                             "the whole folder)")


def _duplicates(con: duckdb.DuckDBPyConnection, table_glob: str) -> pd.DataFrame:
    keys = ", ".join(KEY_COLUMNS)
    return con.execute(f"""
        SELECT {keys}, count(*) AS n, count(DISTINCT source_file) AS n_files,
               min(source_file) AS keep, max(source_file) AS other,
               count(DISTINCT (value_cny, value_usd, quantity_1, quantity_2)) AS n_values
        FROM read_parquet({_q(table_glob)}, hive_partitioning=true)
        GROUP BY ALL HAVING count(DISTINCT source_file) > 1""").df()


def _drop_duplicates(con: duckdb.DuckDBPyConnection, src: Path, dst: Path,
                     duplicates: pd.DataFrame) -> int:
    con.register("dups_df", duplicates)
    join = " AND ".join(f"s.{k} IS NOT DISTINCT FROM d.{k}" for k in KEY_COLUMNS)
    columns = ", ".join(f"s.{c}" for c in COLUMNS)
    glob = _q(str(src / "**" / "*.parquet"))
    before = con.execute(f"SELECT count(*) FROM read_parquet({glob})").fetchone()[0]  # type: ignore[index]
    con.execute(f"""COPY (SELECT {columns} FROM read_parquet({glob}, hive_partitioning=true) s
                 LEFT JOIN dups_df d ON {join} AND s.source_file <> d.keep
                 WHERE d.keep IS NULL)
                 TO {_q(str(dst))} (FORMAT parquet, PARTITION_BY (flow, year))""")
    after = con.execute(
        f"SELECT count(*) FROM read_parquet({_q(str(dst / '**' / '*.parquet'))})").fetchone()[0]  # type: ignore[index]
    return int(before) - int(after)


def ingest(paths: Sequence[str | Path], out: str | Path, flow: str | None = None,
           period: str | None = None, progress: bool = True) -> IngestResult:
    """Read every input, validate, convert and write `out/trade/` plus `out/manifest.json`.

    Raises InputError (nothing written under `out`) on any problem a user can fix.
    """
    started = time.perf_counter()
    out = Path(out)
    files = plan_inputs(paths, flow, period)
    _check_out_dir(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would outlive the rename
    work = Path(tempfile.mkdtemp(prefix="helpers-ingest-"))
    hasher = ThreadPoolExecutor(max_workers=1)  # checksums, while DuckDB scans
    try:
        hashes = {f.path: hasher.submit(_sha256, f.path) for f in files}
        total_bytes = sum(f.path.stat().st_size for f in files)
        show = progress and total_bytes >= LARGE_INPUT_BYTES
        with tqdm(total=total_bytes, desc="prepare inputs", unit="B", unit_scale=True,
                  disable=not show or all(f.sniffed.encoding.startswith("utf-8")
                                          for f in files), leave=False) as bar:
            for index, f in enumerate(files):
                f.csv_path = to_utf8_csv(f.sniffed, work / f"input-{index}.csv", bar.update)
        con = _connect(work)
        header_only = [f for f in files if _is_header_only(con, f)]
        readable = [f for f in files if f not in header_only]
        warnings = [f"{f.label}: only a header, no data rows (an empty query result?)"
                    for f in header_only]
        target = staging / TABLE
        target.mkdir()
        if readable:
            union = "\nUNION ALL\n".join(_final_sql(f, files.index(f)) for f in readable)
            sql = (f"COPY ({union}) TO {_q(str(target))} "
                   "(FORMAT parquet, PARTITION_BY (flow, year), OVERWRITE_OR_IGNORE true)")
            try:
                _execute_with_progress(con, sql, total_bytes, show)
            except duckdb.Error as exc:
                raise _translate_duckdb_error(exc, con, files) from None
        dropped = 0
        glob = str(target / "**" / "*.parquet")
        if len(readable) > 1:
            duplicates = _duplicates(con, glob)
            conflicts = duplicates[duplicates["n_values"] > 1]
            if not conflicts.empty:
                row = conflicts.iloc[0]
                key = ", ".join(f"{k}={row[k]}" for k in ("flow", "period", "hs_code",
                                                           "partner_code") if pd.notna(row[k]))
                raise InputError(row["other"], f"{len(conflicts):,} row(s) repeat rows of "
                                 f"{row['keep']} with different values (first: {key}): two "
                                 "downloads of the same query at different times? keep only one")
            if not duplicates.empty:
                deduped = staging / f"{TABLE}-dedup"
                dropped = _drop_duplicates(con, target, deduped, duplicates)
                shutil.rmtree(target)
                deduped.rename(target)
                pairs = duplicates.groupby(["keep", "other"]).size()
                warnings += [f"{int(n):,} row(s) of {other} repeat {keep}: kept those in {keep}"
                             for (keep, other), n in pairs.items()]
        totals, per_file = _tally(con, glob if readable else None)
        missing_fx = int(sum(int(t.pop("missing_fx")) for t in totals))
        if missing_fx:
            warnings.append(f"{missing_fx:,} row(s) fall outside the ECB rates' dates "
                            f"({currency.source_note()}): their converted value is empty")
        for f in files:
            f.sha256 = hashes[f.path].result()
            f.rows = int(per_file.get(f.label, 0))
        result = IngestResult(out, [_file_record(f) for f in files], sum(f.rows for f in files),
                              dropped, warnings, time.perf_counter() - started, totals)
        _write_manifest(staging / MANIFEST, result)
        _swap_into_place(staging, out)
        return result
    finally:
        hasher.shutdown(wait=True)
        shutil.rmtree(work, ignore_errors=True)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _is_header_only(con: duckdb.DuckDBPyConnection, f: InputFile) -> bool:
    try:
        row = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {_scan_sql(f)} LIMIT 1)").fetchone()
    except duckdb.Error as exc:
        raise _translate_duckdb_error(exc, con, [f]) from None
    return row is not None and int(row[0]) == 0


def _tally(con: duckdb.DuckDBPyConnection,
           glob: str | None) -> tuple[list[dict[str, object]], dict[str, int]]:
    if glob is None:
        return [], {}
    source = f"read_parquet({_q(glob)}, hive_partitioning=true)"
    totals = con.execute(f"""
        SELECT flow, bool_or(is_demo) AS is_demo, min(period) AS first, max(period) AS last,
               count(*) AS rows, count(DISTINCT partner_code) AS partners,
               count(DISTINCT province_code) AS provinces, sum(value_usd) AS value_usd,
               count(*) FILTER (WHERE fx_cny_per_usd IS NULL) AS missing_fx
        FROM {source} GROUP BY flow ORDER BY flow""").df()
    per_file = con.execute(f"SELECT source_file, count(*) FROM {source} GROUP BY 1").fetchall()
    return totals.to_dict("records"), {str(k): int(v) for k, v in per_file}


def _file_record(f: InputFile) -> dict[str, object]:
    return {"file": f.label, "path": str(f.path), "sha256": f.sha256,
            "bytes": f.path.stat().st_size, "rows": f.rows, "kind": f.sniffed.kind,
            "encoding": f.sniffed.encoding, "header_line": f.sniffed.header_line,
            "sheet": f.sniffed.sheet, "flow": f.flow, "flow_source": f.flow_source,
            "period": f.period, "period_source": f.period_source,
            "currency": f.sniffed.layout.currency,
            "province_basis": f.sniffed.layout.province_basis,
            "columns": f.sniffed.layout.columns, "ignored_columns": f.sniffed.layout.unknown,
            "is_demo": f.is_demo}


def _write_manifest(path: Path, result: IngestResult) -> None:
    record = {k: v for k, v in asdict(result).items() if k not in ("out_dir",)}
    record.update({
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "table": TABLE, "partitioning": ["flow", "year"], "columns": list(COLUMNS),
        "any_demo": any(bool(f["is_demo"]) for f in result.files)
        or any(bool(t["is_demo"]) for t in result.totals),
        "fx_source": currency.source_note(),
        "helpers_version": version("xinjiang-supply-chain-notebooks"),
        "duckdb_version": duckdb.__version__,
    })
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")


def _swap_into_place(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` with renames, keeping dotfiles such as a .gitignore."""
    old = None
    if out.exists():
        for keep in out.glob(".*"):
            if keep.is_file() and not (staging / keep.name).exists():
                shutil.copy2(keep, staging / keep.name)
        old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.time_ns()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(data_dir: str | Path) -> dict[str, object]:
    """The manifest of an ingested folder (raises InputError with a fix when absent)."""
    path = Path(data_dir) / MANIFEST
    if not path.exists():
        raise InputError(path, "no ingested data here: run `make data` or "
                         "`python -m helpers ingest data/raw/demo` first")
    return json.loads(path.read_text(encoding="utf-8"))

