"""The README's layout section is the map a newcomer reads first: it lists the package as it is."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from helpers.paths import PACKAGE_ROOT

PACKAGE = PACKAGE_ROOT / "src" / "helpers"


def readme_modules(readme: str) -> set[str]:
    """The modules the README's layout block names under src/helpers/, as paths in the package."""
    block = readme.split("## Layout", 1)[1].split("```")[1]
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("src/helpers/"))
    named, folder = set(), ""
    for line in lines[start + 1:]:
        if not line.startswith(" "):  # the next top-level entry ends the package's part
            break
        head = re.match(r"\s{2}(\w+)/", line)
        if head:
            folder = head.group(1) + "/"
        elif re.match(r"\s{2}\S", line):  # a module of the package's top level
            folder = ""
        named |= {folder + name for name in re.findall(r"\b[\w]+\.py\b", line)}
    return named


def package_modules(package: Path) -> set[str]:
    return {path.relative_to(package).as_posix() for path in package.rglob("*.py")}


def test_the_readme_layout_lists_every_module_of_the_package_and_no_other() -> None:
    named = readme_modules((PACKAGE_ROOT / "README.md").read_text(encoding="utf-8"))
    present = package_modules(PACKAGE)
    assert named, "no modules found in the README's layout section"
    assert sorted(present - named) == [], "modules missing from the README's layout section"
    assert sorted(named - present) == [], "the README's layout names modules that do not exist"


def test_the_layout_reader_notices_a_module_the_readme_does_not_name(tmp_path: Path) -> None:
    readme = ("## Layout\n\n```\nsrc/helpers/   the package\n  cli.py\n"
              "  ingest/   pipeline.py\ntests/\n```\n")
    (tmp_path / "ingest").mkdir()
    for name in ("cli.py", "ingest/pipeline.py", "ingest/extra.py"):
        (tmp_path / name).write_text("")
    assert readme_modules(readme) == {"cli.py", "ingest/pipeline.py"}
    assert package_modules(tmp_path) - readme_modules(readme) == {"ingest/extra.py"}


def test_each_stage_of_the_pipeline_is_a_folder() -> None:
    stages = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()}
    assert stages == {"ingest", "analysis", "claims", "reports"}


def test_an_older_notebooks_flat_import_still_runs_and_says_the_new_one() -> None:
    import subprocess
    import sys

    code = ("import warnings; warnings.simplefilter('always')\n"
            "from helpers import trade\n"
            "from helpers.codes import hs_description\n"
            "import helpers.report\n"
            "import helpers.analysis.trade, helpers.reports.site\n"
            "print(trade.__name__, hs_description.__module__, helpers.report.__name__)\n"
            "print(trade is helpers.analysis.trade, helpers.report is helpers.reports.site)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["helpers.analysis.trade", "helpers.ingest.codes",
                                   "helpers.reports.site", "True", "True"]
    assert done.stderr.count("FutureWarning") == 3
    assert "from helpers.analysis import trade" in done.stderr
    assert "from helpers.ingest import codes" in done.stderr
    assert "from helpers.reports import site" in done.stderr


def test_make_help_names_every_target() -> None:
    makefile = (PACKAGE_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.MULTILINE))
    help_block = makefile.split("\nhelp:", 1)[1].split("\n\n", 1)[0]
    listed = set(re.findall(r"make ([a-z][a-z0-9-]*)", help_block))
    assert len(targets) >= 15
    assert sorted(targets - listed) == [], "targets missing from make help"


@pytest.mark.parametrize(("names", "passed"), [
    ((), False), (("README.md", ".gitkeep"), False), (("export.csv",), True),
    (("新疆出口.XLSX",), True), (("export.xlsm",), True), (("export.xls",), True),
    (("notes.pdf",), True)])
def test_make_data_gives_ingest_any_download_in_the_gacc_folder(
        tmp_path: Path, names: tuple[str, ...], passed: bool) -> None:
    """Only an .xlsm, or an .xls, in data/raw/gacc/ was never given to ingest: the reports
    fell back to DEMO data without a word. Now every file but the README goes to ingest, which
    reads it or says why not."""
    gacc = tmp_path / "gacc"
    gacc.mkdir()
    for name in names:
        (gacc / name).write_bytes(b"x")
    done = subprocess.run(["make", "-n", "data", f"GACC={gacc}", "STAMP=/dev/null"],
                          cwd=PACKAGE_ROOT, capture_output=True, text=True, check=True)
    ingest = next(line for line in done.stdout.splitlines() if " ingest " in line)
    assert (str(gacc) in ingest) is passed, ingest
