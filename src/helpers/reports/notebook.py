"""What every notebook does the same way: display settings, DEMO banner, data statement.

Pinning display options here keeps the notebooks' text outputs stable across machines, which is
what the nbval regression baseline compares.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from helpers.analysis.coverage import ScopeCoverage
    from helpers.analysis.trade import Scope, TradeData

SEED = 20210120


def setup() -> None:
    """Fixed pandas display, a quiet matplotlib/seaborn style and seeded randomness."""
    import matplotlib as mpl
    import seaborn as sns

    pd.set_option("display.width", 120)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_rows", 40)
    pd.set_option("display.float_format", lambda v: f"{v:,.2f}")
    sns.set_theme(style="whitegrid", context="notebook")
    mpl.rcParams.update({"figure.figsize": (8, 4.2), "figure.dpi": 100,
                         "savefig.bbox": "tight", "axes.titleweight": "bold"})
    random.seed(SEED)
    np.random.seed(SEED)


#: How a title starts when its numbers are synthetic (reports.site looks for it on a page).
DEMO_MARK = "DEMO (synthetic data)"


def title(text: str, is_demo: bool | Iterable[bool]) -> str:
    """A chart or table title that starts with DEMO whenever the data are synthetic.

    `is_demo` may be one flag per row of a table that lists both kinds (the inventory): the
    title then says that both are there, and the table's own column tells them apart.
    """
    kinds = {bool(is_demo)} if isinstance(is_demo, bool) else {bool(k) for k in is_demo}
    if kinds == {True, False}:
        return f"{DEMO_MARK} and real data, told apart row by row — {text}"
    return f"{DEMO_MARK} — {text}" if kinds == {True} else text


def at_least(name: str, value: object, low: float, high: float = math.inf,
             whole: bool = False) -> float:
    """A numeric parameter checked against the values that have a meaning (0 staff, 0 fixings,
    month 13): an InputError naming it, rather than inf %, an average of nothing or 2020-13."""
    from helpers.errors import InputError

    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"parameter {name}", f"{value!r} is not a number") from None
    if whole and not number.is_integer():
        raise InputError(f"parameter {name}", f"{value!r}: must be a whole number")
    if not low <= number <= high:
        limit = f"at least {low:g}" if math.isinf(high) else f"from {low:g} to {high:g}"
        raise InputError(f"parameter {name}", f"{value!r}: must be {limit}")
    return number


def above(name: str, value: object, low: float) -> float:
    """A numeric parameter that must exceed `low` (an amount of money: 0 yuan converts to no
    rate at all)."""
    from helpers.errors import InputError

    number = at_least(name, value, -math.inf)
    if not number > low:
        raise InputError(f"parameter {name}", f"{value!r}: must be more than {low:g}")
    return number


def one_of(name: str, value: object, choices: Iterable[str]) -> str:
    """A text parameter that must be one of `choices`."""
    from helpers.errors import InputError

    listed = list(choices)
    if value not in listed:
        raise InputError(f"parameter {name}", f"{value!r}: choose one of {', '.join(listed)}")
    return str(value)


def usd(value: float) -> str:
    """US$ million as prose writes it, or 'no figure' where the value is missing (never 'nan')."""
    return "no figure" if pd.isna(value) else f"US$ {value:,.1f}M"


#: What a hatched band on a chart means, for its footnote.
MISSING_NOTE = "Hatched: not in the downloads (missing, not zero)."


def mark_missing(ax, centres: Iterable[float], values: Iterable[float], width: float,
                 horizontal: bool = False) -> str:
    """Hatch the place of every bar whose value is missing (NaN), so that no bar reads as zero
    there; returns the footnote's sentence, or '' when nothing is missing.

    `centres` are the bars' positions (x, or y for horizontal bars) and `width` their width.
    """
    missing = [c for c, v in zip(centres, values, strict=True) if pd.isna(v)]
    for centre in missing:
        span = ax.axhspan if horizontal else ax.axvspan
        span(centre - width / 2, centre + width / 2, facecolor="none", edgecolor="#999999",
             hatch="///", linewidth=0, zorder=0)
    return MISSING_NOTE if missing else ""


#: Tables longer than this get sortable columns on the HTML pages (reports.site adds the script).
SORTABLE_ROWS = 8


def table(frame: pd.DataFrame, text: str, is_demo: bool | Iterable[bool],
          decimals: int | None = None,
          index: bool = False) -> None:
    """Show a table as a real HTML table with its caption (sortable when long), and as aligned
    plain text for the notebook regression test and for terminals.

    The caption starts with DEMO whenever the numbers are synthetic; `decimals` fixes the
    floats' precision (thousands separated), otherwise pandas' display setting applies.
    """
    import html

    from IPython.display import display

    fmt = (lambda v: f"{v:,.{decimals}f}") if decimals is not None else None
    shown = title(text, is_demo)
    plain = f"Table: {shown}\n" + frame.to_string(index=index, float_format=fmt)
    # Rows grouped under a MultiIndex (rowspans) or headers on two levels would sort wrongly.
    flat = frame.index.nlevels == 1 and frame.columns.nlevels == 1
    classes = ["data-table"] + (["sortable"] if flat and len(frame) > SORTABLE_ROWS else [])
    markup = frame.to_html(index=index, float_format=fmt, classes=classes, border=0,
                           na_rep="NaN", notebook=False)
    markup = re.sub(r"(<table[^>]*>)", lambda m: m.group(1) + f"<caption>{html.escape(shown)}"
                    "</caption>", markup, count=1)
    display({"text/plain": plain, "text/html": markup}, raw=True)


def banner(is_demo: bool, source_label: str, engine: str | None = None) -> None:
    """Show which data this notebook uses; a loud box when it is DEMO data.

    `engine` names the backend that computed the numbers (duckdb or spark), so a page run on a
    cluster says so; the figures are the same on both (tests/test_panel_backends.py).
    """
    from IPython.display import HTML, display

    if is_demo:
        html = ('<div class="demo-banner" style="border:3px solid #c0392b;background:#fdecea;'
                'padding:8px 12px;font-weight:bold">DEMO DATA: every number below comes from '
                'synthetic data generated by <code>python -m helpers demo-data</code>. '
                'It shows how the analysis works; it is not evidence about Xinjiang.</div>')
    else:
        html = (f'<div class="data-banner" style="border:2px solid #1e8449;padding:8px 12px">'
                f"Data: {source_label}.</div>")
    display(HTML(html))
    print(f"data source: {'DEMO (synthetic)' if is_demo else source_label}")
    if engine:
        print(f"query engine: {engine} (set HELPERS_BACKEND=duckdb|spark to choose)")


def data_statement(files: Iterable[dict[str, object]], is_demo: bool) -> str:
    """Markdown data-availability statement for the end of a notebook."""
    lines = ["**Data used.** " + (
        "DEMO data: synthetic files in the customs platform's layout, generated with a fixed "
        "seed by `python -m helpers demo-data`. They are calibrated to the article's own figures, "
        "so agreement with the article here proves nothing." if is_demo else
        "Customs downloads from the GACC online query platform placed in `data/raw/`.")]
    lines.append("")
    lines.append("| file | rows | sha256 |")
    lines.append("|---|---:|---|")
    for f in files:
        if bool(f.get("is_demo")) == is_demo:
            lines.append(f"| {f['file']} | {int(f['rows']):,} | `{str(f['sha256'])[:16]}…` |")
    lines.append("")
    lines.append("**Real data.** Query the GACC platform (http://stats.customs.gov.cn/) for the "
                 "flow, period, partner and province needed, download CSV or XLSX, put the files "
                 "in `data/raw/gacc/` and run `make report`: the same cells then use them.")
    return "\n".join(lines)


class Start(NamedTuple):
    """What a customs notebook works with, as `s, data, cov, record = notebook.start(...)`."""

    scope: Scope  #: the validated parameters: province, partner, flow and the two years
    data: TradeData  #: the opened table, real downloads or DEMO, and which it is
    coverage: ScopeCoverage  #: the months the data hold for this scope, and the reasons if not
    record: Callable[..., object]  #: files a computed value against a claim (claims.Recorder)


def start(notebook: str, province: object, partner: object, flow: object, year: object,
          base_year: object, data_dir: str, data_source: str) -> Start:
    """Open a customs notebook the same way every time: fixed display settings, parameters
    checked (with a message that says the fix), the data opened, a banner saying which data, the
    scope and its coverage printed, and the recorder for the claims this notebook files.

    One call instead of the same eight lines in notebooks 01-04, so a student reads the question,
    not the plumbing; each step is still a plain function here.
    """
    from helpers import claims
    from helpers.analysis import trade

    setup()
    scope = trade.scope(province, partner, flow, year, base_year)
    data = trade.open_trade(data_dir, data_source)
    record = claims.Recorder(notebook).record
    banner(data.is_demo, data.label, engine=data.backend)
    print(scope.describe())
    coverage = trade.coverage(data, scope)
    print(coverage.note())
    return Start(scope, data, coverage, record)
