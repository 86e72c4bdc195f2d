"""Parameters: declared, typed like their defaults, unknown names refused."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers.errors import InputError
from helpers.reports.runner import all_notebooks, check_parameters, coerce, declared_parameters


def notebook_with(tmp_path: Path, source: str, tagged: bool = True) -> Path:
    nb = new_notebook()
    cell = new_code_cell(source)
    if tagged:
        cell.metadata["tags"] = ["parameters"]
    nb.cells.append(cell)
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_values_take_the_type_of_the_default() -> None:
    assert coerce("hs", "0101", "850231") == "0101"
    assert coerce("year", "2019", 2020) == 2019
    assert coerce("codes", "0101,9505", ["850231"]) == ["0101", "9505"]
    assert coerce("codes", '["0101", "9505"]', ["850231"]) == ["0101", "9505"]
    assert coerce("flag", "no", True) is False
    assert coerce("share", "0.5", 1.0) == 0.5


def test_unreadable_values_name_the_parameter() -> None:
    with pytest.raises(InputError, match="cannot read 'next year' as int"):
        coerce("year", "next year", 2020)


def test_a_pair_assigned_together_is_two_parameters(tmp_path: Path) -> None:
    path = notebook_with(tmp_path, "low, high = 200, 500  # a few hundred\nn = 7000\nx = y = 1")
    assert declared_parameters(path) == {"low": 200, "high": 500, "n": 7000, "x": 1, "y": 1}
    assert check_parameters(path, {"low": "150"}) == {"low": 150}
    with pytest.raises(InputError, match=r"parameter \(low, high\) is not a literal"):
        declared_parameters(notebook_with(tmp_path, "low, high = range(2)"))


def test_unknown_parameter_is_an_error(tmp_path: Path) -> None:
    path = notebook_with(tmp_path, 'partner = "USA"\nyear = 2020')
    assert declared_parameters(path) == {"partner": "USA", "year": 2020}
    with pytest.raises(InputError, match="unknown parameter"):
        check_parameters(path, {"parter": "DEU"})


def test_missing_parameters_cell_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="exactly one cell tagged 'parameters'"):
        declared_parameters(notebook_with(tmp_path, "x = 1", tagged=False))


def test_parameters_must_be_literals(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a literal"):
        declared_parameters(notebook_with(tmp_path, "import os\nx = os.getcwd()"))


def test_every_suite_notebook_declares_literal_parameters() -> None:
    notebooks = all_notebooks()
    assert notebooks, "the suite has notebooks"
    for path in notebooks:
        declared_parameters(path)  # raises on a missing or non-literal parameters cell


def test_a_notebook_runs_in_its_folder_without_changing_the_process_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports build two notebooks at once in threads: a process-wide chdir would let one
    kernel start in the directory the other restored."""
    import os

    from helpers.reports.runner import run_notebook

    folder = tmp_path / "notebooks"
    folder.mkdir()
    path = notebook_with(folder, "x = 1")
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell("import os\nprint(os.getcwd())"))
    nbformat.write(nb, path)

    here, chdir = os.getcwd(), os.chdir

    def refuse_elsewhere(target: str) -> None:  # papermill re-enters the same directory
        if Path(target).resolve() != Path(here).resolve():
            raise AssertionError(f"process-wide chdir to {target}")
        chdir(target)

    monkeypatch.setattr(os, "chdir", refuse_elsewhere)
    executed = nbformat.read(run_notebook(path, out=tmp_path / "out.ipynb"), as_version=4)
    assert executed.cells[-1].outputs[0]["text"].strip() == str(folder.resolve())


def test_dollar_signs_in_markdown_are_escaped() -> None:
    """An unescaped $ starts a maths span in the renderer: "US$190 million** ... US$14.6" then
    shows its asterisks. Prose writes \\$ (rendered as $)."""
    import re

    import nbformat

    from helpers.reports.runner import all_notebooks

    bare = [(path.name, i) for path in all_notebooks()
            for i, cell in enumerate(nbformat.read(path, as_version=4).cells)
            if cell.cell_type == "markdown" and re.search(r"(?<!\\)\$", cell.source)]
    assert bare == [], "write \\$ for a dollar sign in Markdown cells"


def test_kernels_run_without_the_tcp_warning(tmp_path: Path) -> None:
    """Every notebook used to print "[IPKernelApp] WARNING | Kernel is running over TCP without
    encryption": the kernels now talk over local sockets, so there is nothing to warn about."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "HELPERS_CLAIMS_DIR": str(tmp_path / "claims")}
    done = subprocess.run([sys.executable, "-m", "helpers", "run", "08", "--out",
                           str(tmp_path / "08.ipynb")], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "TCP" not in done.stderr and "WARNING" not in done.stderr


def test_a_table_is_shown_as_html_with_its_caption_and_as_text(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import IPython.display
    import pandas as pd

    from helpers.reports import notebook

    shown: list[dict[str, str]] = []
    monkeypatch.setattr(IPython.display, "display", lambda data, raw=False: shown.append(data))
    long = pd.DataFrame({"partner": list("ABCDEFGHIJ"), "value": [1234.5678] + [float("nan")] * 9})
    notebook.table(long, "exports <by partner>", is_demo=True, decimals=1)
    notebook.table(long.head(3), "the first three", is_demo=False)
    html, plain = shown[0]["text/html"], shown[0]["text/plain"]
    assert plain.startswith("Table: DEMO (synthetic data) — exports <by partner>\n")
    assert "1,234.6" in plain and "1,234.6" in html and "1,234.57" not in html
    assert "<caption>DEMO (synthetic data) — exports &lt;by partner&gt;</caption>" in html
    assert 'class="dataframe data-table sortable"' in html
    assert 'class="dataframe data-table"' in shown[1]["text/html"]  # short: not sortable
    assert "DEMO" not in shown[1]["text/plain"]


def test_kernels_are_not_interrupted_to_shut_down() -> None:
    """The interrupt jupyter_client sends before a shutdown raced the kernel's last message and
    printed "KeyboardInterrupt caught in kernel" now and then; a cell timeout still interrupts."""
    import asyncio
    import signal

    from helpers.reports.runner import _local_kernel_manager

    sent: list[int] = []

    class Recording(_local_kernel_manager()):  # type: ignore[misc]
        has_kernel = True

        async def _async_signal_kernel(self, signum: int) -> None:
            sent.append(signum)

    manager = Recording(kernel_name="python3")
    manager.shutting_down = True
    asyncio.run(manager.interrupt_kernel())
    assert sent == []
    manager.shutting_down = False
    asyncio.run(manager.interrupt_kernel())
    assert sent == [signal.SIGINT]


@pytest.mark.parametrize("horizontal", [False, True])
def test_a_missing_bar_is_hatched_not_left_empty(horizontal: bool) -> None:
    """An empty slot in a bar chart reads as zero; a missing value is hatched instead."""
    import math

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.reports import notebook

    fig, ax = plt.subplots()
    values = [3.0, math.nan, 0.0, math.nan]
    (ax.barh if horizontal else ax.bar)(range(4), values, 0.4)
    before = len(ax.patches)
    note = notebook.mark_missing(ax, [i + 0.1 for i in range(4)], values, 0.4,
                                 horizontal=horizontal)
    hatched = [p for p in ax.patches[before:] if p.get_hatch()]
    assert note == notebook.MISSING_NOTE and len(hatched) == 2  # the zero is a bar, not a gap
    spans = sorted((p.get_y(), p.get_height()) if horizontal else (p.get_x(), p.get_width())
                   for p in hatched)
    assert spans == [pytest.approx((0.9, 0.4)), pytest.approx((2.9, 0.4))]
    assert notebook.mark_missing(ax, [0, 1], [1.0, 0.0], 0.4, horizontal=horizontal) == ""
    plt.close(fig)


def test_a_run_with_other_parameters_leaves_the_report_builds_files_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`helpers run` writes to reports/runs/ (its claims too), never over reports/executed/,
    whose notebooks the HTML pages show."""
    import shutil

    from helpers.paths import project_root
    from helpers.reports.runner import run_notebook

    copy = tmp_path / "project"
    shutil.copytree(project_root(), copy, ignore=shutil.ignore_patterns("reports", ".venv"))
    monkeypatch.setenv("HELPERS_PROJECT_ROOT", str(copy))
    monkeypatch.delenv("HELPERS_CLAIMS_DIR", raising=False)
    executed = run_notebook("05", {"peak_month": "11"})
    assert executed == copy / "reports" / "runs" / executed.name
    assert not (copy / "reports" / "executed").exists()
    assert list((copy / "reports" / "runs" / "claims.d").glob("*.csv"))
