"""Re-running ingest: a first ingest, an unchanged re-run, and one changed file, side by side.

The inputs look like a researcher's real downloads: pages of the platform's size (10,000 rows)
for each year, here 2019 and 2020, in GB18030. Each case runs as its own process, in rotation
with the others, `--repeat` times; medians and the ratio to the first (full) ingest are printed
and written to benchmarks/out/incremental.csv. Nothing is asserted.

    python benchmarks/incremental.py [--rows 2000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parent / "out"
PAGE = 10_000


def pages(rows: int, folder: Path) -> Path:
    """DEMO exports cut into one-year pages of the platform's size; returns one 2020 page."""
    raw = folder / "generated"
    subprocess.run([sys.executable, "-m", "helpers", "demo-data", "--rows", str(rows),
                    "--rows-per-file", str(PAGE), "--flows", "export", "--out", str(raw)],
                   check=True, capture_output=True)
    pages = folder / "pages"
    pages.mkdir()
    for index, path in enumerate(sorted(raw.glob("*.csv"))):
        frame = pd.read_csv(path, encoding="gb18030", dtype=str)
        for year in ("2019", "2020"):
            part = frame[frame["数据年月"].str.startswith(year)]
            part.to_csv(pages / f"DEMO-export-{year}-page{index:04d}.csv", index=False,
                        encoding="gb18030")
    shutil.rmtree(raw)
    return sorted(pages.glob("DEMO-export-2020-*.csv"))[0]


def ingest(pages: Path, out: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "helpers", "ingest", str(pages), "--out", str(out),
                    "--quiet", *extra], check=True, capture_output=True)
    return time.perf_counter() - started


def change(page: Path, versions: tuple[bytes, bytes]) -> None:
    """Swap the page between two versions (one dollar more on its first row)."""
    page.write_bytes(versions[1] if page.read_bytes() == versions[0] else versions[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        folder = Path(tmp)
        page = pages(args.rows, folder)
        original = page.read_bytes()
        frame = pd.read_csv(page, encoding="gb18030", dtype=str)
        frame.loc[0, "美元"] = str(int(frame.loc[0, "美元"].replace(",", "")) + 1)
        versions = (original, frame.to_csv(index=False).encode("gb18030"))
        out = folder / "out"
        ingest(folder / "pages", out)  # the table every re-run starts from
        times: dict[str, list[float]] = {"full ingest (--full)": [], "unchanged re-run": [],
                                         "one page of 2020 changed": []}
        for _ in range(args.repeat):
            times["full ingest (--full)"].append(ingest(folder / "pages", folder / "full",
                                                        "--full"))
            times["unchanged re-run"].append(ingest(folder / "pages", out))
            change(page, versions)
            times["one page of 2020 changed"].append(ingest(folder / "pages", out))
    full = statistics.median(times["full ingest (--full)"])
    lines = ["case,files,rows,median_seconds,ratio_to_full,runs"]
    files = 2 * -(-args.rows // PAGE)
    for case, runs in times.items():
        median = statistics.median(runs)
        lines.append(f"{case},{files},{args.rows},{median:.2f},{median / full:.3f},{len(runs)}")
    (OUT / "incremental.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
