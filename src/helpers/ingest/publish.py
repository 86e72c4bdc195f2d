"""Publish an ingest: the manifest beside the table, and an atomic swap into place.

Output is built in a staging folder beside `--out` and replaces it with renames, so a failed or
interrupted run never leaves half a table, and a re-run replaces rather than appends.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import duckdb

from helpers.errors import InputError
from helpers.ingest import currency

TABLE = "trade"
MANIFEST = "manifest.json"


def check_out_dir(out: Path) -> None:
    """Refuse an output path that is a file, or a folder this ingest did not write."""
    if out.exists() and not out.is_dir():
        raise InputError(out, "--out must be a folder, and this is a file: choose another path")
    if out.is_dir():
        contents = [p for p in out.iterdir() if not p.name.startswith(".")]
        if contents and not (out / MANIFEST).exists():
            raise InputError(out, "the output folder is not empty and was not written by "
                             "helpers ingest: choose an empty or new folder (ingest replaces "
                             "the whole folder)")


#: Characters DuckDB reads as wildcards in the file patterns the table is read by.
GLOB_CHARACTERS = "[]*?"


def check_out_path(out: Path) -> None:
    """Refuse an output path DuckDB would read as a pattern: `out[1]` matched other folders
    (the run crashed; its clean-up removed another run's files)."""
    found = sorted({c for c in str(out.resolve()) if c in GLOB_CHARACTERS})
    if found:
        raise InputError(out, f"the output path holds {' '.join(found)}, which the table's file "
                         "patterns read as wildcards: choose a path without [ ] * ?")


def restore_interrupted_swap(out: Path) -> str:
    """Put back a table a run killed between the two renames of `swap_into_place` left beside
    `out` (call only while holding its lock): the new one, complete once its manifest is
    written, else the old one. Returns what was done, for a warning, or ""."""
    if out.exists():
        return ""
    for pattern, which in ((".{}.staging-*", "the finished table"),
                           (".{}.old-*", "the table before it")):
        for folder in sorted(out.parent.glob(pattern.format(glob.escape(out.name)))):
            if (folder / MANIFEST).is_file():
                folder.rename(out)
                return (f"an ingest was stopped while publishing: {which} was put back in "
                        f"place ({folder.name})")
    return ""


def remove_temporary_manifests(out: Path) -> list[Path]:
    """Half-written manifests a killed run left inside `out` (rewrite_manifest's temporary
    files): never read, and copied into every later table by swap_into_place."""
    found = sorted(out.glob(f".{MANIFEST}.*.tmp")) if out.is_dir() else []
    for path in found:
        path.unlink(missing_ok=True)
    return found


def write_manifest(path: Path, record: dict[str, object], columns: tuple[str, ...]) -> None:
    """The manifest: files with checksums, totals, coverage, warnings, versions."""
    files = record.get("files", [])
    totals = record.get("totals", [])
    record = {**record,
              "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "table": TABLE, "partitioning": ["flow", "year"], "columns": list(columns),
              "any_demo": any(bool(f["is_demo"]) for f in files)  # type: ignore[union-attr]
              or any(bool(t["is_demo"]) for t in totals),  # type: ignore[union-attr]
              "fx_source": currency.source_note(),
              "helpers_version": version("xinjiang-supply-chain-notebooks"),
              "duckdb_version": duckdb.__version__}
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")


def rewrite_manifest(path: Path, record: dict[str, object]) -> None:
    """Replace a manifest in place (temporary file, then rename): a reader never sees half."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")
    temp.replace(path)


def partitions_in(table: Path) -> set[tuple[str, int]]:
    """The (flow, year) partitions a table folder holds (hive layout flow=X/year=Y)."""
    return {(f.name.split("=", 1)[1], int(y.name.split("=", 1)[1]))
            for f in table.glob("flow=*") for y in f.glob("year=*")}


def carry_over(old: Path, new: Path, skip: set[tuple[str, int]]) -> None:
    """Put every partition of the published table `old` that is not in `skip` into `new`, as
    hard links where the file system allows (no copy of the data), else as copies."""
    for flow, year in partitions_in(old) - skip:
        folder = f"flow={flow}/year={year}"
        (new / folder).mkdir(parents=True, exist_ok=True)
        for part in (old / folder).iterdir():
            try:
                os.link(part, new / folder / part.name)
            except OSError:
                shutil.copy2(part, new / folder / part.name)


def swap_into_place(staging: Path, out: Path) -> bool:
    """Replace `out` by `staging` with renames, keeping dotfiles such as a .gitignore; returns
    whether Ctrl-C came meanwhile.

    Ctrl-C is held until the swap is done: stopped between the two renames, the run's clean-up
    deleted the finished table and left no `out` at all; stopped while the old table was being
    removed, the new one was in place and the message said nothing was replaced. (A run killed
    outright between the renames is put right by `restore_interrupted_swap`.)"""
    with _interrupts_held() as caught:
        old = None
        if out.exists():
            for keep in out.glob(".*"):
                if (keep.is_file() and not (staging / keep.name).exists()
                        and not keep.name.startswith(f".{MANIFEST}.")):
                    shutil.copy2(keep, staging / keep.name)
            old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.time_ns()}")
            out.rename(old)
        staging.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return bool(caught)


@contextmanager
def _interrupts_held() -> Iterator[list[int]]:
    """SIGINT noted, not raised, inside the block (main thread only: elsewhere Python delivers
    no signal anyway)."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, previous)


def read_manifest(data_dir: str | Path) -> dict[str, object]:
    """The manifest of an ingested folder (raises InputError with a fix when absent)."""
    path = Path(data_dir) / MANIFEST
    if not path.exists():
        raise InputError(path, "no ingested data here: run `make data` or "
                         "`python -m helpers ingest data/raw/demo` first")
    return json.loads(path.read_text(encoding="utf-8"))
