"""Run a command in its own process tree and report wall time and peak resident memory.

`ru_maxrss` of a process leaves out its children, and Spark's work happens in a JVM that the
Python driver starts as a child: measured that way Spark looked as small as DuckDB. Here the
whole tree is sampled (RSS summed over the process and every descendant, every 50 ms), and the
larger of that and the process's own exact `ru_maxrss` (which a short spike between samples
cannot escape) is reported.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil

SAMPLE_SECONDS = 0.05


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += p.memory_info().rss  # a process may end between listing and reading
    return total


def run_measured(command: Sequence[str], cwd: Path | None = None) -> dict[str, Any]:
    """Run `command`; its last stdout line may be JSON with its own `peak_rss_mb`.

    Returns the JSON's fields (e.g. `phases`), with `seconds` (the work as the child timed it;
    else the wall time), wall_seconds (including interpreter start-up) and peak_rss_mb (the
    tree's).
    """
    started = time.perf_counter()
    child = psutil.Popen(list(command), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                peak = max(peak, _tree_rss(child))
            except psutil.NoSuchProcess:
                return
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({child.returncode}):\n{stderr[-2000:]}")
    lines = stdout.strip().splitlines()
    reported: dict[str, Any] = {}
    if lines and lines[-1].startswith("{"):
        reported = json.loads(lines[-1])
    own = float(reported.get("peak_rss_mb", 0.0))
    return {**reported, "seconds": float(reported.get("seconds", seconds)),
            "wall_seconds": seconds, "peak_rss_mb": max(own, peak / 2**20)}
