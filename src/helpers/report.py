"""Build reports/: execute every notebook, render HTML pages, the claims table and an index.

Everything is built in a staging folder and moved into place at the end, so a failed run never
leaves an old page looking current: a notebook that fails appears on the index as failed.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
from tqdm import tqdm

from helpers import claims
from helpers.errors import InputError
from helpers.paths import project_root, reports_dir
from helpers.runner import all_notebooks, declared_parameters, run_notebook

STATUS_COLOURS = {"reproduced": "#1e8449", "consistent": "#2874a6", "differs": "#c0392b",
                  "demo": "#b9770e", "unverifiable": "#7f8c8d"}


@dataclass
class PageResult:
    notebook: Path
    ok: bool
    seconds: float
    error: str = ""
    is_demo: bool = False

    @property
    def page(self) -> str:
        return f"{self.notebook.stem}.html"


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project_root(),
                             capture_output=True, text=True, check=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=project_root(), capture_output=True, text=True, timeout=10)
        return out.stdout.strip() + ("+local changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _execute(notebook: Path, staging: Path) -> PageResult:
    started = time.perf_counter()
    try:
        run_notebook(notebook, out=staging / "executed" / notebook.name)
        executed = nbformat.read(staging / "executed" / notebook.name, as_version=4)
        text = "".join(str(o.get("text", "")) for c in executed.cells
                       for o in c.get("outputs", []))
        return PageResult(notebook, True, time.perf_counter() - started,
                          is_demo="data source: DEMO" in text)
    except InputError as exc:
        return PageResult(notebook, False, time.perf_counter() - started, str(exc))


def _render(result: PageResult, staging: Path, with_code: bool, commit: str) -> None:
    from nbconvert import HTMLExporter

    executed = staging / "executed" / result.notebook.name
    if not executed.exists():
        return
    nb = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(exclude_input=not with_code, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    params = declared_parameters(result.notebook)
    banner = ('<div class="demo-banner" style="background:#fdecea;border:3px solid #c0392b;'
              'padding:10px;font-weight:bold">DEMO DATA: this page was computed on synthetic '
              'data; no number on it is evidence.</div>') if result.is_demo else ""
    footer = (f'<footer style="border-top:1px solid #ccc;margin-top:2em;padding:1em;'
              f'font-size:0.85em">Parameters: <code>{html.escape(repr(params))}</code> · '
              f"commit {html.escape(commit)} · run time {result.seconds:.1f} s · "
              f"{'DEMO data used' if result.is_demo else 'no DEMO data'} · "
              f'<a href="index.html">all reports</a></footer>')
    body = body.replace("<body", "<body", 1)
    body = body.replace("</body>", f"{footer}</body>", 1)
    body = body.replace("<main>", f"<main>{banner}", 1) if "<main>" in body else body.replace(
        "</head>", "</head>" + banner, 1)
    (staging / result.page).write_text(body, encoding="utf-8")


def _index(results: list[PageResult], table_rows: list[dict[str, str]], commit: str) -> str:
    pages = "\n".join(
        f'<li><a href="{r.page}">{html.escape(r.notebook.stem)}</a> '
        f"{'<b>DEMO</b>' if r.is_demo else ''} ({r.seconds:.1f} s)</li>" if r.ok else
        f'<li class="failed"><b>FAILED</b> {html.escape(r.notebook.stem)}: '
        f"<pre>{html.escape(r.error)}</pre></li>" for r in results)
    rows = "\n".join(
        f'<tr data-status="{html.escape(row["status"])}"><td>{html.escape(row["claim_id"])}</td>'
        f'<td>{html.escape(row["quote"])}</td><td>{html.escape(row["stated_value"])} '
        f'{html.escape(row["unit"])}</td><td>{html.escape(row["computed_value"])}</td>'
        f'<td>{html.escape(row["evidence"])}</td><td style="color:'
        f'{STATUS_COLOURS.get(row["status"], "#000")};font-weight:bold">'
        f'{html.escape(row["status"])}</td><td>'
        + (f'<a href="{html.escape(row["notebook"])}.html">{html.escape(row["notebook"])}</a>'
           if row["notebook"] else "") + "</td></tr>" for row in table_rows)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Xinjiang supply-chain claims: reports</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:80em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}
</style></head><body>
<h1>Xinjiang in global supply chains: the articles' claims, recomputed</h1>
<p>Commit {html.escape(commit)}. Status: reproduced (real data agrees), consistent (the article's
own numbers agree), differs, demo (only run on synthetic DEMO data: not evidence), unverifiable.</p>
<h2>Reports</h2><ul>{pages}</ul>
<h2>Claims</h2><p><a href="claims.csv">claims.csv</a></p>
<table><thead><tr><th>claim</th><th>quote</th><th>stated</th><th>computed</th><th>evidence</th>
<th>status</th><th>notebook</th></tr></thead><tbody>{rows}</tbody></table>
</body></html>"""


def build_reports(with_code: bool = False, jobs: int = 2) -> int:
    """Execute and render everything into reports/; return a process exit status."""
    notebooks = all_notebooks()
    for nb in notebooks:
        declared_parameters(nb)  # fails loudly on a missing parameters cell
    target = reports_dir()
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=target))
    staging.chmod(0o755)
    os.environ["HELPERS_CLAIMS_DIR"] = str(staging / "claims.d")
    commit = git_commit()
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(_execute, nb, staging) for nb in notebooks]
            results = [f.result() for f in tqdm(futures, desc="notebooks", unit="nb",
                                                disable=None)]
        for result in results:
            _render(result, staging, with_code, commit)
        records = claims.collect(staging / "claims.d")
        claims.write_report(staging / "claims.csv", records)
        table = claims.build_table(records).fillna("").astype(str).to_dict("records")
        (staging / "index.html").write_text(_index(results, table, commit), encoding="utf-8")
        _publish(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"error: {r.error}", file=sys.stderr)
    print(f"reports: {len(results) - len(failed)} of {len(results)} notebooks ok -> "
          f"{target / 'index.html'}")
    return 1 if failed else 0


def _publish(staging: Path, target: Path) -> None:
    """Replace the previous build's files with the new ones (each by rename)."""
    for old in target.iterdir():
        if old.name.startswith(".") or old == staging:
            continue
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    for item in staging.iterdir():
        if item.name == "claims.d":
            continue
        item.rename(target / item.name)
