"""Build reports/: execute every notebook, render HTML pages, the claims table and an index.

Everything is built in a staging folder and moved into place at the end, so a failed run never
leaves an old page looking current: a notebook that fails appears on the index as failed, with
its error, and the command exits non-zero. Pages are self-contained: figures are embedded and
the CDN scripts nbconvert's template would load (require.js, MathJax, mermaid) are removed, so a
page opens offline and looks the same in ten years.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from tqdm import tqdm

from helpers import claims
from helpers.errors import InputError
from helpers.paths import PACKAGE_ROOT, processed_dir, raw_dir, reports_dir
from helpers.reports.notebook import DEMO_MARK
from helpers.reports.runner import RUNS, all_notebooks, declared_parameters, run_notebook

#: One typeface for the index, and for the header and footer added to every notebook page (the
#: exported notebook's own CSS, --jp-content-font-family of the lab template, is this stack).
FONT = ('system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, arial, '
        'sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol"')
STATUS_COLOURS = {"reproduced": "#1e8449", "consistent": "#2874a6", "differs": "#c0392b",
                  "inconclusive": "#8e44ad", "demo": "#b9770e", "unverifiable": "#7f8c8d"}
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*"
                              r"</script>", re.S | re.I)
_EXTERNAL_SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>",
                                  re.I)


@dataclass
class PageResult:
    notebook: Path
    ok: bool
    seconds: float
    error: str = ""
    is_demo: bool = False
    question: str = ""
    claim_cells: dict[str, str] = field(default_factory=dict)  # claim_id -> cell anchor

    @property
    def page(self) -> str:
        return f"{self.notebook.stem}.html"


def git_commit() -> str:
    try:
        # The code's own checkout, also when the notebooks run in a copy (helpers.reports.testbed).
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PACKAGE_ROOT,
                             capture_output=True, text=True, check=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() + ("+local changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _question(nb: nbformat.NotebookNode) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    # Plain text for titles and links: Markdown's escapes (\$ keeps a dollar
                    # sign from starting maths) are not shown.
                    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!$])", r"\1", line[2:].strip())
    return ""


def _claim_cells(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Which cell printed each claim record: the anchor the index links to."""
    found: dict[str, str] = {}
    for cell in nb.cells:
        text = "".join(str(o.get("text", "")) for o in cell.get("outputs", []))
        for claim_id in re.findall(r"^([a-z0-9-]+): stated ", text, re.M):
            found.setdefault(claim_id, f"cell-id={cell.get('id', '')}")
    return found


def _execute(notebook: Path, staging: Path, parameters: dict[str, object]) -> PageResult:
    started = time.perf_counter()
    try:
        run_notebook(notebook, parameters, out=staging / "executed" / notebook.name)
        failed = None
    except InputError as exc:
        failed = str(exc)
    seconds = time.perf_counter() - started
    executed = staging / "executed" / notebook.name
    nb = nbformat.read(executed if executed.exists() else notebook, as_version=4)
    text = "".join(str(o.get("text", "")) for c in nb.cells for o in c.get("outputs", []))
    shown = "".join(str(o.get("data", {}).get("text/plain", ""))
                    for c in nb.cells for o in c.get("outputs", []))
    # DEMO data used: the notebook's source, or any table or figure title it shows (the
    # inventory lists every kind ingested, whichever source the notebook reads).
    uses_demo = "data source: DEMO" in text or DEMO_MARK in shown
    return PageResult(notebook, failed is None, seconds, failed or "",
                      is_demo=uses_demo, question=_question(nb),
                      claim_cells=_claim_cells(nb) if failed is None else {})


def input_checksums() -> list[tuple[str, str]]:
    """(file, sha256) of every input: shipped raw files and the ingested downloads."""
    rows: list[tuple[str, str]] = []
    manifest = raw_dir() / "MANIFEST.csv"
    if manifest.exists():
        with manifest.open(encoding="utf-8") as handle:
            rows += [(f"data/raw/{r['path']}", r["sha256"]) for r in csv.DictReader(handle)]
    ingested = processed_dir() / "manifest.json"
    if ingested.exists():
        record = json.loads(ingested.read_text(encoding="utf-8"))
        rows += [(f"data/raw/{f['file']}", str(f["sha256"])) for f in record["files"]]
    return rows


def self_contained(body: str) -> str:
    """Drop scripts that would fetch from the network; the notebooks need none of them."""
    body = _EXTERNAL_SCRIPT_SRC.sub("", body)
    return _EXTERNAL_SCRIPT.sub("", body)


def _footer(result: PageResult, commit: str, inputs: list[tuple[str, str]]) -> str:
    params = declared_parameters(result.notebook)
    rows = "".join(f"<li><code>{html.escape(name)}</code> sha256 <code>{digest[:16]}…</code></li>"
                   for name, digest in inputs)
    return (f'<footer class="report-footer" style="border-top:1px solid #ccc;margin:2em 0;'
            f'padding:1em;font-size:0.85em;font-family:{html.escape(FONT)}">'
            f"<p><b>Parameters:</b> <code>{html.escape(json.dumps(params, ensure_ascii=False))}"
            f"</code></p><p><b>Commit</b> {html.escape(commit)} · <b>run time</b> "
            f"{result.seconds:.1f} s · "
            f"<b>{'DEMO data used' if result.is_demo else 'no DEMO data used'}</b> · "
            f'<a href="index.html">all reports and claims</a></p>'
            f"<details><summary>Input files and checksums</summary><ul>{rows}</ul></details>"
            f"</footer>")


def _render(result: PageResult, staging: Path, with_code: bool, commit: str,
            inputs: list[tuple[str, str]]) -> None:
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    executed = staging / "executed" / result.notebook.name
    if not result.ok or not executed.exists():
        return
    nb = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(exclude_input=not with_code, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    # With --with-code, cells tagged hide-input (set-up boilerplate) still show only output.
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags=("hide-input",),
                                                         enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    body = self_contained(body)
    banner = ('<div class="demo-banner" role="alert" style="background:#fdecea;border:3px solid '
              f'#c0392b;padding:10px;margin:8px;font-weight:bold;font-family:{html.escape(FONT)}">'
              "DEMO DATA: this page was computed on synthetic data; no number on it is evidence "
              "about Xinjiang.</div>" if result.is_demo else "")
    header = (f'<header class="report-header" style="padding:8px 12px;font-size:0.9em;'
              f'color:#555;font-family:{html.escape(FONT)}">'
              f'Question: {html.escape(result.question)} · '
              f'<a href="index.html">all reports</a></header>')
    body = re.sub(r"<title>.*?</title>", f"<title>{html.escape(result.question)}</title>", body,
                  count=1, flags=re.S)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + header + banner, body, count=1)
    body = body.replace("</head>", f"<style>{_TABLE_STYLE}</style></head>", 1)
    body = body.replace("</body>", _footer(result, commit, inputs) + f"<script>{_SORT_SCRIPT}"
                        "</script></body>", 1)
    (staging / result.page).write_text(body, encoding="utf-8")


#: Inline (pages stay self-contained): click a column header of a long table (notebook.table
#: marks it `sortable`) to sort its rows; numbers sort as numbers, text as text, a second click
#: reverses, and non-numbers ("NaN", "-") go after the numbers.
_SORT_SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  const heads = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
  heads.forEach(function (th, col) {
    th.style.cursor = 'pointer';
    th.title = 'sort by this column';
    th.addEventListener('click', function () {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const key = function (row) {
        const text = row.cells[col] ? row.cells[col].textContent.trim() : '';
        const plain = text.replace(/\u2212/g, '-').replace(/,/g, '').replace(/ ?%$/, '');
        return /^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(plain) ?
          parseFloat(plain) : text;
      };
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort(function (a, b) {
        const x = key(a), y = key(b);
        const nx = typeof x === 'number', ny = typeof y === 'number';
        if (nx !== ny) return nx ? -1 : 1;
        const order = nx ? x - y : String(x).localeCompare(String(y));
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""

#: Captions read as the table's title; a sortable table's headers say they can be clicked.
_TABLE_STYLE = ("table.data-table caption{caption-side:top;text-align:left;font-weight:bold;"
                "padding:4px 0}table.sortable thead tr:first-child th{cursor:pointer}"
                "table.sortable thead tr:first-child th::after{content:' \\2195';color:#999;"
                "font-weight:normal}"
                "table.sortable th[aria-sort=ascending]::after{content:' \\2191'}"
                "table.sortable th[aria-sort=descending]::after{content:' \\2193'}")

_INDEX_SCRIPT = """
function filterClaims() {
  const status = document.getElementById('status-filter').value;
  const text = document.getElementById('text-filter').value.toLowerCase();
  let shown = 0;
  for (const row of document.querySelectorAll('#claims tbody tr')) {
    const ok = (!status || row.dataset.status === status) &&
               (!text || row.textContent.toLowerCase().includes(text));
    row.hidden = !ok;
    if (ok) shown += 1;
  }
  document.getElementById('shown').textContent = shown;
}
"""


def _summary(table_rows: list[dict[str, str]]) -> str:
    """Counts per article and status, each with a bar of the same proportions: the state of
    every claim at a glance, before the long table."""
    import pandas as pd

    from helpers.paths import raw_dir

    path = raw_dir() / "articles.csv"  # absent in a bare project: articles named by their file
    outlets = (pd.read_csv(path, dtype=str).set_index("seed_file")["outlet"] if path.exists()
               else pd.Series(dtype=str))
    by_article: dict[str, dict[str, int]] = {}
    for row in table_rows:
        article = str(outlets.get(row["seed_file"], row["seed_file"]))
        counts = by_article.setdefault(article, dict.fromkeys(STATUS_COLOURS, 0))
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    totals = {s: sum(c[s] for c in by_article.values()) for s in STATUS_COLOURS}
    lines = []
    for article, counts in [*by_article.items(), ("all articles", totals)]:
        n = sum(counts.values())
        x, bar = 0.0, []
        for status, k in counts.items():
            if k:
                width = 240 * k / n
                bar.append(f'<rect x="{x:.1f}" width="{width:.1f}" height="14" fill='
                           f'"{STATUS_COLOURS[status]}"><title>{status}: {k}</title></rect>')
                x += width
        cells = "".join(f'<td class="n">{k or ""}</td>' for k in counts.values())
        lines.append(f"<tr><th>{html.escape(article)}</th>{cells}<td class=\"n\">{n}</td>"
                     f'<td><svg width="240" height="14" role="img" aria-label="'
                     f'{html.escape(article)}: statuses">{"".join(bar)}</svg></td></tr>')
    heads = "".join(f'<th style="color:{c}">{s}</th>' for s, c in STATUS_COLOURS.items())
    return (f'<table id="summary"><thead><tr><th>article</th>{heads}<th>results</th><th></th>'
            f"</tr></thead><tbody>{''.join(lines)}</tbody></table><p><small>A result is one "
            "claim with one kind of evidence: a claim checked on DEMO data and bounded by a "
            "published figure counts twice.</small></p>")


def _source_line(source: str) -> str:
    """Under a claim's evidence, what downloads it rests on: the number of files and the
    inputs' digest (trade.TradeData.provenance; the names are in the tooltip and claims.csv).
    Other evidence (a citation) stays in the tooltip."""
    found = re.search(r": (\d+ files?) \(.*inputs sha256 ([0-9a-f]+)", source)
    if found is None:
        return ""
    return f"<br><small>{found[1]}, inputs {found[2]}</small>"


def _index(results: list[PageResult], table_rows: list[dict[str, str]], commit: str) -> str:
    anchors = {r.notebook.stem: r.claim_cells for r in results}
    pages = "\n".join(
        f'<li class="ok"><a href="{r.page}">{html.escape(r.question or r.notebook.stem)}</a>'
        f"{' <b class=demo>DEMO</b>' if r.is_demo else ''} <small>({r.seconds:.1f} s)</small></li>"
        if r.ok else
        f'<li class="failed"><b>FAILED</b> {html.escape(r.notebook.stem)}: '
        f"<pre>{html.escape(r.error)}</pre></li>" for r in results)
    rows = []
    for row in table_rows:
        notebook = row["notebook"]
        anchor = anchors.get(notebook, {}).get(row["claim_id"], "")
        link = (f'<a href="{html.escape(notebook)}.html#{html.escape(anchor)}">'
                f"{html.escape(notebook)}</a>" if notebook else "")
        colour = STATUS_COLOURS.get(row["status"], "#000")
        rows.append(
            f'<tr data-status="{html.escape(row["status"])}"><td>{html.escape(row["claim_id"])}'
            f'</td><td>{html.escape(row["quote"])}</td><td class="stated">'
            f'{html.escape(row["stated_value"])} {html.escape(row["unit"])}</td>'
            f'<td class="computed">{html.escape(row["computed_value"])}</td>'
            f'<td title="{html.escape(row["source"])}">{html.escape(row["evidence"])}'
            f'{_source_line(row["source"])}</td><td class="status" style="color:{colour};'
            f'font-weight:bold">{html.escape(row["status"])}</td><td>{link}</td></tr>')
    counts = {s: sum(1 for r in table_rows if r["status"] == s) for s in STATUS_COLOURS}
    options = "".join(f'<option value="{s}">{s} ({n})</option>' for s, n in counts.items())
    failed = [r for r in results if not r.ok]
    warning = (f'<p class="failed-banner" style="color:#c0392b;font-weight:bold">'
               f"{len(failed)} notebook(s) FAILED in this build: their claims are missing."
               "</p>" if failed else "")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Xinjiang supply-chain claims: reports</title>
<style>body{{font-family:{FONT};margin:2em;max-width:90em}}td.n{{text-align:right}}
table{{border-collapse:collapse;font-size:0.9em}}td,th{{border:1px solid #ccc;padding:4px 8px;
vertical-align:top}}li.failed{{color:#c0392b}}{_TABLE_STYLE}</style>
<script>{_INDEX_SCRIPT}</script></head>
<body><h1>Xinjiang in global supply chains: the articles' claims, recomputed</h1>
<h2>At a glance</h2>{_summary(table_rows)}
<p>Commit {html.escape(commit)}. Status: <b>reproduced</b> (independent real data agree within
the claim's stated precision), <b>consistent</b> (the article's own numbers agree),
<b>differs</b> (real evidence lies outside the claim's interval), <b>inconclusive</b> (the
evidence is itself a range, e.g. "about 45 %" or the exchange rates of several days, that
overlaps the claim's interval without lying inside it: neither confirmed nor contradicted),
<b>demo</b> (only run on synthetic DEMO data: not evidence), <b>unverifiable</b> (nothing here
can check it, or the data do not cover the period it needs). A published figure sets a status
only when it comes from an outlet other than the article's and describes the claim's period, no
later than the article; otherwise it is shown as <i>context only</i> and the claim stays
unverifiable. Dollars converted from yuan downloads count as the range the platform's own
dollars could take, not one number.</p>{warning}
<h2>Reports</h2><ul id="pages">{pages}</ul>
<h2>Claims</h2><p><a href="claims.csv">claims.csv</a> ·
<label>status <select id="status-filter" onchange="filterClaims()"><option value="">all</option>
{options}</select></label> <label>search <input id="text-filter" oninput="filterClaims()"></label>
· <span id="shown">{len(table_rows)}</span> rows shown</p>
<table id="claims" class="sortable"><thead><tr><th>claim</th><th>quote</th><th>stated</th>
<th>computed</th><th>evidence</th><th>status</th><th>notebook</th></tr></thead><tbody>
{''.join(rows)}</tbody></table><script>{_SORT_SCRIPT}</script></body></html>"""


def build_reports(with_code: bool = False, jobs: int = 2,
                  parameters: dict[str, dict[str, object]] | None = None) -> int:
    """Execute and render everything into reports/; return a process exit status.

    `parameters` maps a notebook's number ("01") to parameters that replace its defaults: the
    browser test passes the article's scope, so a student's new default changes only that
    notebook's own baseline, not the claims the test compares with the README.
    """
    started = time.perf_counter()
    notebooks = all_notebooks()
    for nb in notebooks:
        declared_parameters(nb)  # fails loudly on a missing parameters cell
    target = reports_dir()
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=target))
    staging.chmod(0o755)
    os.environ["HELPERS_CLAIMS_DIR"] = str(staging / "claims.d")
    commit = git_commit()
    inputs = input_checksums()
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(_execute, nb, staging, (parameters or {}).get(nb.name[:2], {}))
                       for nb in notebooks]
            results = [f.result() for f in tqdm(futures, desc="notebooks", unit="nb",
                                                disable=None)]
        for result in results:
            _render(result, staging, with_code, commit, inputs)
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
    print(f"reports: {len(results) - len(failed)} of {len(results)} notebooks ok in "
          f"{time.perf_counter() - started:.1f} s -> {target / 'index.html'}")
    return 1 if failed else 0


def _publish(staging: Path, target: Path) -> None:
    """Replace the previous build's files with the new ones (each by rename)."""
    for old in target.iterdir():
        if (old.name.startswith(".") or old == staging or old.name in ("screenshots", RUNS)
                or old.name.startswith("benchmarks.")):  # written by make bench, not by us
            continue
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    for item in staging.iterdir():
        if item.name == "claims.d":
            continue
        item.rename(target / item.name)
