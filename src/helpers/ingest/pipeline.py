"""The ingest run: plan the inputs, scan them into parquet, check the whole table, publish.

DuckDB scans every CSV and writes parquet in one streaming pass (helpers.ingest.scan), so a
multi-GB national export never sits whole in memory; row checks raise inside that pass
(helpers.ingest.sql). What only the whole table shows (repeats, mixed granularity, currency
cross-checks, coverage) is checked on the staged parquet before it is published
(helpers.ingest.checks).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from helpers import locking
from helpers.analysis.coverage import holes, merged
from helpers.errors import InputError
from helpers.ingest import checks, currency, incremental, publish
from helpers.ingest.plan import SKIPPED_PREFIX, InputFile, list_inputs, plan_inputs
from helpers.ingest.publish import MANIFEST, TABLE, check_out_dir, swap_into_place, write_manifest
from helpers.ingest.readers import ends_with_line_break
from helpers.ingest.scan import Phases, connect, scan_files

PLATFORM_ROW_CAP = 10_000  # rows one platform download holds at most

#: The processed table's columns, in order (partition columns flow and year included).
COLUMNS = (
    "flow", "year", "month", "period", "hs_code", "hs_level", "hs_name", "partner_code",
    "partner_iso3", "partner_name_zh", "partner_name_en", "province_code", "province",
    "province_basis", "place", "regime_code", "regime_name", "quantity_1", "unit_1", "quantity_2",
    "unit_2", "value_cny", "value_usd", "currency_reported", "fx_cny_per_usd", "is_demo",
    "source_file",
)


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
    coverage: list[dict[str, object]] = field(default_factory=list)
    repeats: list[dict[str, object]] = field(default_factory=list)  # dropped, per partition
    rerun: str = ""  # what this run read: everything, only what changed, or nothing
    #: Seconds per stage of this run (Phases), so a slow ingest says where its time went.
    phases: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"ingested {len(self.files)} file(s), {self.rows:,} rows -> "
                 f"{self.out_dir / TABLE} ({self.seconds:.1f} s)"]
        if self.rerun:
            lines.append(f"  {self.rerun}")
        for t in self.totals:
            demo = " DEMO" if t["is_demo"] else ""
            lines.append(
                f"  {t['flow']:<6}{demo} {t['first']}..{t['last']}: {int(t['rows']):>10,} rows, "
                f"{int(t['partners'])} partner(s), {_where(t)}, "
                f"US$ {_dollars(t['value_usd'])}"
            )
        lines.extend(f"  {gap}" for gap in coverage_gaps(self.coverage))
        if self.duplicates_dropped:
            lines.append(f"  dropped {self.duplicates_dropped:,} exactly repeated rows")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        yuan = [str(f["file"]) for f in self.files if f.get("currency") == "CNY"
                and not f.get("is_demo")]
        if yuan:
            lines.append(f"  note: {len(yuan)} file(s) in yuan only ({', '.join(yuan[:3])}"
                         f"{' ...' if len(yuan) > 3 else ''}): their dollars are converted at ECB "
                         "rates, not the platform's, so claims in dollars computed on them are "
                         "filed as ranges; download in US dollars (美元) for the platform's "
                         "figures")
        lines.append(f"  manifest: {self.out_dir / MANIFEST}")
        return "\n".join(lines)


def _dollars(value: object) -> str:
    number = float(value or 0)  # type: ignore[arg-type]
    return "unknown (no ECB rate for its yuan)" if number != number else f"{number:,.0f}"


def _where(total: dict[str, object]) -> str:
    provinces = int(total["provinces"])  # type: ignore[call-overload]
    if not provinces:
        return "national rows only"
    return f"{provinces} provinces" + (" + national rows" if total["national"] else "")


def coverage_gaps(coverage: list[dict[str, object]]) -> list[str]:
    """One line per flow and province whose months have holes between the first and last."""
    lines = []
    for entry in merged(coverage):
        missing = holes(entry["periods"])  # type: ignore[arg-type]
        if missing:
            where = entry["province"] or "national"
            demo = " DEMO" if entry["is_demo"] else ""
            shown = ", ".join(missing[:6]) + (" ..." if len(missing) > 6 else "")
            lines.append(f"missing months: {entry['flow']}{demo} {where}: {shown} (no rows; "
                         "read as missing, never as zero)")
    return lines


def _check_table(con: duckdb.DuckDBPyConnection, staging: Path, files: list[InputFile]
                 ) -> tuple[list[dict[str, object]], list[str]]:
    """Whole-table checks on the staged parquet; returns the repeats dropped (per partition)
    and warnings."""
    target = staging / TABLE
    glob = str(target / "**" / "*.parquet")
    path_of: dict[str, object] = {f.label: f.path for f in files}
    repeats = checks.find_repeats(con, glob)
    checks.refuse_repeats_beside_unread_columns(
        repeats, path_of, {f.label: f.ignored_columns for f in files})
    checks.refuse_conflicting_repeats(repeats, path_of, {f.label: f.currency for f in files})
    dropped: list[dict[str, object]] = []
    if not repeats.empty:
        deduped = staging / f"{TABLE}-dedup"
        dropped = checks.drop_exact_repeats(con, glob, str(deduped), repeats, COLUMNS)
        shutil.rmtree(target)
        deduped.rename(target)
    checks.refuse_mixed_granularity(con, glob, path_of)
    checks.refuse_place_spellings(con, glob, path_of)
    return dropped, checks.currency_disagreements(con, glob, path_of)


def ingest(paths: Sequence[str | Path], out: str | Path, flow: str | None = None,
           period: str | None = None, progress: bool = True, wait: bool = True,
           full: bool = False) -> IngestResult:
    """Read the inputs, validate, convert and write `out/trade/` plus `out/manifest.json`.

    Raises InputError (nothing written under `out`) on any problem a user can fix. A re-run
    reads only what changed (helpers.ingest.incremental; `full` reads everything). One ingest
    writes a folder at a time: another one waits for it (or, with wait=False, fails at once);
    folders left by an ingest that died are removed first.
    """
    started = time.perf_counter()
    out = Path(out)
    out = out.resolve() if out.is_symlink() else out  # write where the link points, lock there
    arguments = {"flow": flow, "period": period}
    phases = Phases()
    publish.check_out_path(out)
    with locking.exclusive(out, "ingest", wait):
        restored = publish.restore_interrupted_swap(out)
        leftovers = locking.remove_leftovers(out, (".{name}.staging-*", ".{name}.old-*",
                                                   ".{name}.work-*"))
        leftovers += publish.remove_temporary_manifests(out)
        listing = list_inputs(paths)
        skipped = listing.skipped_warning()
        last = incremental.last_ingest(out, arguments, COLUMNS)
        previous = None if full else incremental.unchanged(last, paths, listing.files)
        if previous is not None:
            reused = _reuse(out, previous, {}, started, "inputs unchanged since the last "
                            "ingest: nothing read or written", skipped)
            reused.warnings += _cleanup_said(restored, leftovers)
            return reused
        distrust: frozenset[str] = frozenset()
        while True:
            with phases("plan inputs"):
                files = plan_inputs(paths, flow, period, listing,
                                    incremental.reusable_records(last, full, distrust))
                check_out_dir(out)
                rerun = incremental.plan_rerun(files, last, full, distrust)
            if rerun.unchanged:
                reused = _reuse(out, rerun.previous or {}, {f.label: f for f in files},
                                started, rerun.describe(), skipped)
                reused.warnings += _cleanup_said(restored, leftovers)
                return reused
            try:
                result = _staged(files, rerun, out, progress, phases, started, arguments,
                                 skipped)
            except incremental.StaleRecord as stale:
                if stale.labels <= distrust:
                    raise  # planned afresh already: cannot happen twice for the same files
                distrust |= stale.labels
                continue
            result.warnings += _cleanup_said(restored, leftovers)
            result.seconds = time.perf_counter() - started
            return result


def _staged(files: list[InputFile], rerun: incremental.Rerun, out: Path, progress: bool,
            phases: Phases, started: float, arguments: dict[str, object], skipped: str | None
            ) -> IngestResult:
    """Build the table in a staging folder beside `out` and swap it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would outlive the rename
    # Temporary files (UTF-8 copies, DuckDB's spill) beside the output, where the next run
    # finds them if this one is killed.
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.work-", dir=out.parent))
    try:
        result = _build(files, rerun, out, staging, work, progress, phases)
        result.warnings[:0] = [skipped] if skipped else []
        with phases("publish"):
            result.seconds = time.perf_counter() - started
            record = {k: v for k, v in asdict(result).items() if k != "out_dir"}
            write_manifest(staging / MANIFEST, record | {
                "code_fingerprint": incremental.code_fingerprint(),
                "arguments": arguments}, COLUMNS)
            if swap_into_place(staging, out):
                result.warnings.append("Ctrl-C came while the new table was being put in "
                                       "place: it was finished first, and is published")
        # The clean-up is said by this run only (the caller adds it), not kept in the
        # manifest: a later run that reuses this one's result would repeat it as if another
        # ingest had just died.
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _cleanup_said(restored: str, leftovers: list[Path]) -> list[str]:
    said = [restored] if restored else []
    if leftovers:
        said.append(f"removed {len(leftovers)} file(s) or folder(s) left by an ingest that did "
                    f"not finish: {', '.join(p.name for p in leftovers)}")
    return said


def _build(files: list[InputFile], rerun: incremental.Rerun, out: Path, staging: Path,
           work: Path, progress: bool, phases: Phases) -> IngestResult:
    """Scan what must be read into `staging`, carry the rest over, check the whole table."""
    with phases("open DuckDB and the code lists"):
        con = connect(work)
    target = staging / TABLE
    target.mkdir()
    hasher = ThreadPoolExecutor(max_workers=1)  # checksums, while DuckDB scans
    try:
        hashes = {f.path: hasher.submit(incremental.sha256_of, f.path) for f in rerun.changed}
        header_only = scan_files(con, rerun.changed, files, target, work, progress, "new", phases)
        previous = {str(r["file"]): r for r in rerun.previous["files"]  # type: ignore[union-attr]
                    } if rerun.previous and not rerun.why_full else {}
        affected: set[incremental.Partition] | None = None
        if previous:
            affected = rerun.old_partitions({f.label for f in rerun.changed}
                                            | {str(r["file"]) for r in rerun.removed})
            affected |= publish.partitions_in(target)
            again = [f for f in rerun.kept if rerun.old_partitions({f.label}) & affected]
            header_only += _scan_kept(con, again, files, target, work, progress, phases,
                                      affected)
            with phases("carry over"):
                publish.carry_over(out / TABLE, target, affected)
            header_only += [f for f in rerun.kept if previous[f.label].get("header_only")]
        with phases("checksums (after the scan)"):
            for f in rerun.changed:
                f.sha256 = hashes[f.path].result()
    finally:
        hasher.shutdown(wait=True)
    for f in files:
        try:
            stat = f.path.stat()
        except FileNotFoundError:
            raise InputError(f.path, "the file was removed while it was being read: run ingest "
                             "again on the files you mean to keep") from None
        if (stat.st_size, stat.st_mtime_ns) != (f.size, f.mtime_ns):
            raise InputError(f.path, "the file changed while it was being read (a download "
                             "still being written?): run ingest again when it is complete")
    empty = {f.label for f in header_only}  # labels: dataclass equality compares every field
    readable = [f for f in files if f.label not in empty]
    if not any(target.rglob("*.parquet")):
        readable = []  # nothing left to publish: an empty table, not an error
    glob = str(target / "**" / "*.parquet")
    # Where each file's rows are before repeats are dropped: a file whose rows all repeat
    # another's must still be read again when its partition is rebuilt.
    with phases("whole-table checks"):
        partitions = checks.partitions(con, glob if readable else None, previous, affected)
        dropped, warnings = _check_table(con, staging, readable) if readable else ([], [])
    if affected is not None:  # repeats dropped earlier in the partitions carried over
        dropped += [r for r in rerun.previous.get("repeats", [])  # type: ignore[union-attr]
                    if (r["flow"], r["year"]) not in affected]
    warnings = ([f"{f.label}: only a header, no data rows (an empty query result?)"
                 for f in files if f.label in empty]  # in the inputs' order, as --full says
                + checks.repeat_warnings(dropped) + warnings)
    with phases("summary"):
        totals, per_file = checks.tally(con, glob if readable else None)
        partners = checks.file_partners(con, glob) if readable else {}
        coverage = checks.coverage(con, glob) if readable else []
    missing_fx = int(sum(int(t.pop("missing_fx")) for t in totals))
    if missing_fx:
        warnings.append(f"{missing_fx:,} row(s) fall outside the ECB rates' dates "
                        f"({currency.source_note()}): their converted value is empty")
    # The cap is on the rows a download holds, counted before repeats are dropped (a page
    # that repeats part of another still stopped at the cap). DEMO files are written in pages
    # of exactly the cap by the generator: no page of theirs is missing.
    read = {f.label: checks.rows_read(partitions.get(f.label, [])) for f in files
            if not f.is_demo}
    warnings += [f"{label}: exactly {PLATFORM_ROW_CAP:,} rows, the platform's cap for one "
                 "download: if the query had more, its next page is needed (a missing page "
                 "leaves months or products short without any other sign)"
                 for label, n in read.items()
                 if (per_file.get(label, 0) if n is None else n) == PLATFORM_ROW_CAP]
    warnings += [f"{label}: no data rows, only blank, total or subtotal lines (an empty query "
                 "result?)" for label, n in read.items() if n == 0 and label not in empty]
    warnings += [f"{f.label}: the file does not end with a line break, as a complete download "
                 "does: was it cut short? Its last row may be incomplete (a value cut after a "
                 "digit still reads); download it again if so" for f in files
                 if not ends_with_line_break(f.path, f.kind)]
    for f in files:
        f.rows = int(per_file.get(f.label, 0))
        f.partners = partners.get(f.label, [])
    records = [_file_record(f, f.label in empty, partitions.get(f.label, [])) for f in files]
    return IngestResult(out, records, sum(f.rows for f in files),
                        sum(int(r["extra"]) for r in dropped), warnings, 0.0, totals,
                        coverage, dropped, rerun.describe(), phases)


def _scan_kept(con: duckdb.DuckDBPyConnection, again: list[InputFile], files: list[InputFile],
               target: Path, work: Path, progress: bool, phases: Phases,
               affected: set[incremental.Partition]) -> list[InputFile]:
    """Scan the kept files of rebuilt partitions, hashing them meanwhile: a file taken as
    unchanged by its size and time stamp was planned from its record, so if its bytes are not
    the recorded ones (replaced by a file of the same size, its time copied along) the plan is
    wrong, and incremental.StaleRecord has it planned afresh, whatever the scan made of it."""
    def differs(f: InputFile) -> bool:
        try:
            return incremental.sha256_of(f.path) != f.sha256
        except OSError:  # removed meanwhile: said by the check after the scan
            return False

    with ThreadPoolExecutor(max_workers=2) as pool:
        stale = {f.label: pool.submit(differs, f) for f in again}
        try:
            return scan_files(con, again, files, target, work, progress, "kept", phases,
                              affected)
        finally:
            if labels := {label for label, hit in stale.items() if hit.result()}:
                raise incremental.StaleRecord(labels)


def _reuse(out: Path, previous: dict[str, object], touched: dict[str, InputFile],
           started: float,
           said: str, skipped: str | None) -> IngestResult:
    """The last ingest's result, for inputs that did not change: nothing is read. The manifest
    is rewritten only to remember the new mtimes and paths of `touched` files (content
    unchanged; the same folder given by another spelling of its path), so the next run takes
    the quick path again instead of hashing them each time. The mtime remembered is the one
    planned, before the file was hashed, never a later look: a file rewritten since has
    another and is read next time. The warning on files skipped is this run's (the folder may
    hold other notes than last time)."""
    files = [dict(r) for r in previous["files"]]  # type: ignore[union-attr]
    moved = False
    for record in files:
        if str(record["file"]) in touched:
            f = touched[str(record["file"])]
            mtime, where = f.mtime_ns, str(f.path.resolve())
            moved |= record.get("mtime_ns") != mtime or record.get("path") != where
            record["mtime_ns"], record["path"] = mtime, where
    result = IngestResult(out, files, int(previous["rows"]),  # type: ignore[call-overload]
                          int(previous["duplicates_dropped"]),  # type: ignore[call-overload]
                          [*([skipped] if skipped else []), *(
                              w for w in previous["warnings"]  # type: ignore[attr-defined]
                              if not str(w).startswith(SKIPPED_PREFIX))],
                          time.perf_counter() - started,
                          list(previous["totals"]),  # type: ignore[call-overload]
                          list(previous["coverage"]),  # type: ignore[call-overload]
                          list(previous.get("repeats", [])), said)  # type: ignore[call-overload]
    if moved:
        publish.rewrite_manifest(out / MANIFEST, {**previous, "files": files})
    return result


def _file_record(f: InputFile, header_only: bool, partitions: list[list[object]]
                 ) -> dict[str, object]:
    """The manifest's record of one file; what its head says is copied from the last record
    for a file that was not opened again."""
    if f.unopened:
        recorded = f.recorded or {}
        head = {k: recorded.get(k) for k in ("encoding", "header_line", "value_scales",
                                              "province_basis", "columns")}
    else:
        layout = f.sniffed.layout
        head = {"encoding": f.sniffed.encoding, "header_line": f.sniffed.header_line,
                "value_scales": layout.scales, "province_basis": layout.province_basis,
                "columns": layout.columns}
    return {"file": f.label, "path": str(f.path.resolve()), "sha256": f.sha256,
            "bytes": f.size, "mtime_ns": f.mtime_ns, "rows": f.rows,
            "header_only": header_only, "partitions": partitions, "kind": f.kind,
            "encoding": head["encoding"], "header_line": head["header_line"],
            "sheet": f.sheet, "flow": f.flow, "flow_source": f.flow_source,
            "period": f.period, "period_source": f.period_source, "currency": f.currency,
            "value_scales": head["value_scales"], "province_basis": head["province_basis"],
            "columns": head["columns"], "ignored_columns": f.ignored_columns,
            "is_demo": f.is_demo, "partners": f.partners}
