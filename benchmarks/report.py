"""Report build time: every notebook executed and rendered, one at a time against two at a time.

The issue's target is a full rebuild in at most 30 s on the 2-core machine with the environment
in place. Both builds run in this process, one after the other, and the ratio is printed with
the times; nothing is asserted.

    python benchmarks/report.py
"""

from __future__ import annotations

import time
from pathlib import Path

from helpers.reports.site import build_reports

OUT = Path(__file__).resolve().parent / "out"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    times = {}
    for jobs in (1, 2):
        started = time.perf_counter()
        status = build_reports(jobs=jobs)
        times[jobs] = time.perf_counter() - started
        if status:
            return status
    lines = ["jobs,seconds,ratio_to_serial",
             *(f"{j},{t:.1f},{t / times[1]:.2f}" for j, t in times.items())]
    (OUT / "report.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
