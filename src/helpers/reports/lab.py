"""`make lab`: the notebooks in JupyterLab, trusted, on the project's own Python.

A newcomer who opens a notebook from a fresh clone should see its committed outputs (the DEMO
banners are HTML, which Jupyter hides in untrusted notebooks), run it with the packages this
project pins, and find the data where the parameters cell says (`../data/processed`): so the
notebooks are signed first, and the server runs from the project's virtual environment with
the notebooks folder as its root (a kernel starts in its notebook's folder).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from helpers.errors import InputError
from helpers.paths import processed_dir, project_root


def trust(notebooks: Sequence[Path]) -> int:
    """Sign each notebook as `jupyter trust` does, so its HTML and charts show when opened.

    The signature covers the file's content: a notebook edited outside Jupyter is untrusted
    again until the next `make lab` (one saved in JupyterLab is re-signed by Jupyter itself).
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if not notary.check_signature(nb):
            notary.sign(nb)
    return len(notebooks)


def lab_command(folder: Path, extra: Sequence[str] = ()) -> list[str]:
    """The JupyterLab server this project's Python runs, rooted at the notebooks folder.

    As root (a container's usual user) JupyterLab refuses to start without --allow-root.
    """
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", *as_root,
            *extra]


def open_lab(extra: Sequence[str] = ()) -> None:
    """Trust the notebooks and replace this process with JupyterLab (Ctrl-C stops it)."""
    if importlib.util.find_spec("jupyterlab") is None:
        raise InputError("jupyterlab", "not installed in this environment: install it with "
                         "`.venv/bin/python -m pip install -c requirements/constraints.txt "
                         "-e '.[lab]'` (conda: the same pip line in the environment)")
    folder = project_root() / "notebooks"
    if not (processed_dir() / "manifest.json").exists():
        print("note: no ingested data yet: run `make data` (make lab does) or the notebooks "
              "will say the table is missing", file=sys.stderr)
    count = trust(sorted(folder.glob("*.ipynb")))
    print(f"{count} notebooks trusted; JupyterLab serves {folder}", flush=True)
    command = lab_command(folder, extra)
    os.execv(command[0], command)
