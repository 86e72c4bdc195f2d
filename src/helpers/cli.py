"""`python -m helpers COMMAND`: ingest, demo-data, run, baseline, testbed, report, lab.

Errors a user can fix print one line, `error: FILE[:LINE]: what is wrong, and how to fix it`,
and exit with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from helpers.errors import InputError
from helpers.paths import processed_dir, raw_dir


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="read customs-platform downloads into parquet")
    ingest.add_argument("paths", nargs="+", help="CSV/XLSX files or folders of them")
    ingest.add_argument("--out", default=str(processed_dir()),
                        help="output folder, replaced as a whole (default: data/processed)")
    ingest.add_argument("--flow", choices=("export", "import"),
                        help="flow of every file (else taken from each file name)")
    ingest.add_argument("--period", help="YYYY or YYYY-MM for files without a period column")
    ingest.add_argument("--quiet", action="store_true", help="no progress bars")
    ingest.add_argument("--full", action="store_true",
                        help="read every input again (default: only what changed since the "
                        "last ingest into --out)")
    ingest.add_argument("--no-wait", action="store_true",
                        help="fail at once if another ingest is writing the same folder")

    demo = sub.add_parser("demo-data", help="write seeded synthetic DEMO downloads")
    demo.add_argument("--rows", type=int, default=None,
                      help="total rows (default: the calibrated core plus a small background)")
    demo.add_argument("--out", default=str(raw_dir() / "demo"), help="folder for the files")
    demo.add_argument("--seed", type=int, default=20210120, help="random seed")
    demo.add_argument("--rows-per-file", type=int, default=10_000,
                      help="split like the platform's 10,000-row cap (0: one file per flow)")
    demo.add_argument("--encoding", default="gbk", choices=("gbk", "utf-8", "utf-8-sig"),
                      help="file encoding (the platform's Chinese site writes GBK)")
    demo.add_argument("--flows", default="export,import",
                      help="comma-separated flows to write (default: export,import)")

    run = sub.add_parser("run", help="execute one notebook with papermill")
    run.add_argument("notebook", help="path or number, e.g. notebooks/01-... or 01")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                     metavar=("NAME", "VALUE"), help="notebook parameter (repeatable)")
    run.add_argument("--out", help="executed notebook path (default: reports/runs/, beside "
                     "the report build's reports/executed/)")

    baseline = sub.add_parser("baseline", help="re-execute notebooks on DEMO data and store "
                              "their outputs in notebooks/ as the nbval baseline")
    baseline.add_argument("notebooks", nargs="*", help="numbers or paths (default: all)")

    testbed = sub.add_parser("testbed", help="build the DEMO-only copy of the project the tests "
                             "run in")
    testbed.add_argument("target", help="folder to create (replaced if present)")

    report = sub.add_parser("report", help="execute every notebook and render reports/")
    report.add_argument("--with-code", action="store_true", help="show code cells in the HTML")
    report.add_argument("--jobs", type=int, default=2, help="notebooks run in parallel")
    report.add_argument("--no-wait", action="store_true",
                        help="fail at once if another report build is writing reports/")
    sub.add_parser("lab", help="trust the notebooks and open them in JupyterLab; further "
                   "arguments go to JupyterLab, e.g. --no-browser --port 8899")
    return parser


def _flows(text: str) -> tuple[str, ...]:
    flows = tuple(f.strip() for f in text.split(",") if f.strip())
    if not flows or set(flows) - {"export", "import"}:
        raise InputError("--flows", f"cannot read {text!r}: use export, import or export,import")
    return flows


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "lab":  # only JupyterLab takes arguments this parser does not
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    _CTRL_C.clear()
    watching = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, _note_ctrl_c) if watching else None
    try:
        return _run(args, rest)
    finally:
        if watching:
            signal.signal(signal.SIGINT, previous)


def _run(args: argparse.Namespace, rest: list[str]) -> int:
    try:
        if args.command == "ingest":
            from helpers.ingest import ingest

            result = ingest(args.paths, args.out, flow=args.flow, period=args.period,
                            progress=not args.quiet, wait=not args.no_wait, full=args.full)
            print(result.summary())
        elif args.command == "demo-data":
            from helpers.ingest.demo import write_demo_files

            written = write_demo_files(Path(args.out), rows=args.rows, seed=args.seed,
                                       rows_per_file=args.rows_per_file, encoding=args.encoding,
                                       flows=_flows(args.flows))
            print(f"wrote {len(written.files)} DEMO file(s), {written.rows:,} rows -> {args.out}")
        elif args.command == "run":
            from helpers.reports.runner import run_notebook

            executed = run_notebook(args.notebook, dict(args.parameter), out=args.out)
            print(f"executed -> {executed}")
        elif args.command == "baseline":
            from helpers.reports.runner import refresh_baseline, resolve

            refresh_baseline([resolve(n) for n in args.notebooks] or None)
        elif args.command == "testbed":
            from helpers.reports.testbed import build

            print(f"DEMO-only test copy of the project -> {build(args.target)}")
        elif args.command == "lab":
            from helpers.reports.lab import open_lab

            open_lab(rest)
        elif args.command == "report":
            from helpers.locking import exclusive
            from helpers.paths import reports_dir
            from helpers.reports.site import build_reports

            with exclusive(reports_dir(), "report build", wait=not args.no_wait):
                return build_reports(with_code=args.with_code, jobs=args.jobs)
    except InputError as exc:
        print(f"error: {exc}{_kept_table(args)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; nothing was replaced", file=sys.stderr)
        return 130
    except Exception as exc:
        if not _is_interrupt(exc):
            raise
        print("error: interrupted; nothing was replaced", file=sys.stderr)
        return 130
    return 0


def _kept_table(args: argparse.Namespace) -> str:
    """After a refused ingest, that the folder still holds the last one's table, which the
    notebooks go on reading (it no longer matches the downloads); '' when there is none."""
    from helpers.ingest import MANIFEST

    out = Path(args.out) if args.command == "ingest" else None
    if out is None or not (out / MANIFEST).is_file():
        return ""
    return (f" [nothing was replaced: {out} still holds the table of the last ingest, which "
            "the notebooks read until an ingest succeeds]")


#: Ctrl-C seen by this process (`_note_ctrl_c`): what a library reports after it is Ctrl-C.
_CTRL_C: list[int] = []


def _note_ctrl_c(number: int, frame: object) -> None:
    """Python's own reaction to Ctrl-C (KeyboardInterrupt), remembered: libraries that catch it
    raise their own error instead (DuckDB 'Query interrupted', pandas' ParserError)."""
    _CTRL_C.append(number)
    raise KeyboardInterrupt


def _is_interrupt(exc: BaseException) -> bool:
    """Whether `exc` is Ctrl-C in another library's words, which printed a traceback."""
    return bool(_CTRL_C) or type(exc).__name__ == "InterruptException" or (
        isinstance(exc, RuntimeError) and str(exc).strip() == "Query interrupted")
