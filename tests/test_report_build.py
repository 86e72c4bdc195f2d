"""The report build fails loudly and never leaves a stale page looking current."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers.paths import PACKAGE_ROOT
from helpers.reports.site import build_reports, self_contained


def write_notebook(path: Path, title: str, code: str) -> None:
    nb = new_notebook(cells=[new_markdown_cell(f"# {title}"),
                             new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                             new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data" / "raw").mkdir(parents=True)
    shutil.copy(PACKAGE_ROOT / "data" / "raw" / "claims.csv", tmp_path / "data" / "raw")
    monkeypatch.setenv("HELPERS_PROJECT_ROOT", str(tmp_path))
    return tmp_path


def test_a_failing_notebook_fails_the_build_and_shows_on_the_index(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_notebook(project / "notebooks" / "01-fine.ipynb", "01 · Fine", "print(x + 1)")
    write_notebook(project / "notebooks" / "02-broken.ipynb", "02 · Broken",
                   "raise ValueError('the data are missing')")
    assert build_reports(jobs=2) == 1
    err = capsys.readouterr().err
    assert "02-broken.ipynb: cell 2 raised ValueError: the data are missing" in err
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "FAILED" in index and "the data are missing" in index
    assert (project / "reports" / "01-fine.html").exists()
    assert not (project / "reports" / "02-broken.html").exists()


def test_a_page_from_an_earlier_run_does_not_survive_a_failure(project: Path) -> None:
    path = project / "notebooks" / "01-flaky.ipynb"
    write_notebook(path, "01 · Flaky", "print(x)")
    assert build_reports(jobs=1) == 0
    assert (project / "reports" / "01-flaky.html").exists()
    write_notebook(path, "01 · Flaky", "raise RuntimeError('now broken')")
    assert build_reports(jobs=1) == 1
    assert not (project / "reports" / "01-flaky.html").exists()
    assert not list((project / "reports").glob(".building-*"))


def test_a_notebook_without_parameters_cell_stops_the_build(project: Path) -> None:
    nb = new_notebook(cells=[new_code_cell("print(1)")])
    nbformat.write(nb, project / "notebooks" / "01-untagged.ipynb")
    from helpers.errors import InputError

    with pytest.raises(InputError, match="exactly one cell tagged 'parameters'"):
        build_reports()


def test_external_scripts_are_removed() -> None:
    page = ('<head><script src="https://cdnjs.cloudflare.com/x.js"></script>'
            '<script type="module">import m from "https://cdnjs.cloudflare.com/m.mjs";</script>'
            '<script>var local = 1;</script></head>')
    cleaned = self_contained(page)
    assert "cdnjs" not in cleaned and "var local = 1;" in cleaned


def test_with_code_shows_code_except_hide_input_cells(project: Path) -> None:
    nb = new_notebook(cells=[new_markdown_cell("# 01 · Code"),
                             new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                             new_code_cell("visible_marker = 2"),
                             new_code_cell("hidden_marker = 3", metadata={"tags": ["hide-input"]})])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, project / "notebooks" / "01-code.ipynb")
    assert build_reports(with_code=True, jobs=1) == 0
    page = (project / "reports" / "01-code.html").read_text(encoding="utf-8")
    assert "visible_marker" in page and "hidden_marker" not in page
    assert build_reports(with_code=False, jobs=1) == 0
    page = (project / "reports" / "01-code.html").read_text(encoding="utf-8")
    assert "visible_marker" not in page
