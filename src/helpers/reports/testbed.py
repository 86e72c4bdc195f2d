"""A throwaway copy of the project that holds DEMO data only: where the tests and baselines run.

`make test` must pass for a user who has put real downloads into data/raw/gacc/, and must not
touch them or their reports: the notebook regression baselines are DEMO outputs, and a test that
read the user's table would fail (or pass) for reasons that have nothing to do with the code.
So the suite runs against a copy: the notebooks, the shipped reference files and the DEMO
downloads, ingested afresh into the copy's own data/processed/, with its own reports/.
`make report` keeps using the real project and the user's data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.paths import project_root

#: Folders of data/raw/ that hold user downloads or generated files, not shipped inputs.
_NOT_COPIED = {"gacc", "demo"}


def build(target: str | Path, source: str | Path | None = None) -> Path:
    """Create (or replace) a DEMO-only copy of the project at `target`; return its path.

    DEMO files are copied from the source project's data/raw/demo/ when present (`make` keeps
    them current) and generated otherwise; data/raw/gacc/ gets only its README.
    """
    from helpers.ingest import ingest
    from helpers.ingest.demo import write_demo_files

    root, src = Path(target).resolve(), Path(source or project_root()).resolve()
    if root == src:
        raise ValueError("the test copy cannot replace the project itself")
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(src / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    raw, raw_src = root / "data" / "raw", src / "data" / "raw"
    raw.mkdir(parents=True)
    for entry in raw_src.iterdir():
        if entry.name in _NOT_COPIED:
            continue
        (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, raw / entry.name)
    (raw / "gacc").mkdir()
    if (raw_src / "gacc" / "README.md").exists():
        shutil.copy2(raw_src / "gacc" / "README.md", raw / "gacc" / "README.md")
    if (raw_src / "demo" / "README.md").exists():
        shutil.copytree(raw_src / "demo", raw / "demo")
    else:
        write_demo_files(raw / "demo")
    ingest([raw / "demo"], root / "data" / "processed", progress=False)
    (root / "reports").mkdir()
    return root
