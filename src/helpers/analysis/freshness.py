"""Whether an opened ingest folder is still the one a notebook opened.

The table is read through a file pattern that each query expands again, while what it covers
comes from the manifest read at open. After a re-ingest in another terminal (`make data` with
a notebook open) the two disagree: months whose file was removed summed to 0 instead of being
missing. `Opened` remembers the manifest it was opened with and tells a later ingest from it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from helpers.errors import InputError
from helpers.ingest import MANIFEST, read_manifest


def stamp(data_dir: Path) -> tuple[int, int, int]:
    """(inode, mtime, size) of the manifest; (0, 0, 0) where there is none. Each publish writes
    a new file, so an unchanged stamp is the same ingest without reading anything."""
    try:
        found = (data_dir / MANIFEST).stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def identity(manifest: dict[str, object]) -> str:
    """A digest of what the table holds by the manifest: each file's content (sha256), rows and
    partitions, the coverage and the totals. Not the files' times or paths: a re-run that found
    every file unchanged but touched rewrites the manifest and keeps the table as it was."""
    files = [(f.get("file"), f.get("sha256"), f.get("rows"), f.get("partitions"))
             for f in manifest.get("files", [])]  # type: ignore[union-attr]
    held = [files, manifest.get("coverage"), manifest.get("totals")]
    return hashlib.sha256(json.dumps(held, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Opened:
    """The manifest an ingest folder had when a notebook opened it."""

    data_dir: Path
    stamp: tuple[int, int, int]
    identity: str

    @classmethod
    def read(cls, data_dir: Path) -> tuple[Opened, dict[str, object]]:
        """The folder's manifest and its record, read so that a publish in between is seen."""
        before = stamp(data_dir)
        manifest = read_manifest(data_dir)
        return cls(data_dir, before, identity(manifest)), manifest

    def check(self) -> None:
        """Raise InputError if the folder was ingested again, with other contents, since."""
        now = stamp(self.data_dir)
        if now == self.stamp:
            return
        try:
            same = identity(read_manifest(self.data_dir)) == self.identity
        except (InputError, ValueError, OSError):  # being published right now, or removed
            same = False
        if not same:
            raise InputError(self.data_dir, "the data were ingested again after this notebook "
                             "opened them, and the table and what it covers changed under it: "
                             "run the notebook again from the top (Kernel > Restart and Run "
                             "All)")
        self.stamp = now
