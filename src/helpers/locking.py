"""One writer at a time per output folder, and no leftovers from runs that died.

Two ingests into the same folder used to both report success while the last one silently won.
A run now holds an exclusive lock on a hidden file beside its output (`.<name>.lock`) for as long
as it writes: a second run waits with a message, or fails at once with `wait=False`. The
operating system releases the lock when its holder exits, however it exits (even SIGKILL), so a
lock can never be left stale; whatever a dead run left behind (its `.<name>.staging-*` folder)
is removed by the next run that takes the lock, since no other run can be writing it.
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers.errors import InputError


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


def _holder(fd: int) -> str:
    """The pid the current holder wrote into the lock file, for the message."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return f"pid {text}" if text.isdigit() else "another process"


@contextmanager
def exclusive(target: str | Path, what: str, wait: bool = True) -> Iterator[None]:
    """Hold the lock of `target` (a folder that may not exist yet) while the block runs."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(target), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise InputError(target, f"another {what} ({holder}) is writing this folder: "
                                 "run again when it has finished, or without --no-wait to "
                                 "wait for it") from None
            print(f"waiting: another {what} ({holder}) is writing {target}; this run starts "
                  "when it finishes", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(target: Path, patterns: tuple[str, ...]) -> list[Path]:
    """Delete what dead runs left beside `target` (call only while holding its lock)."""
    removed = []
    for pattern in patterns:
        for path in sorted(target.parent.glob(pattern.format(name=glob.escape(target.name)))):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(
                missing_ok=True)
            removed.append(path)
    return removed
