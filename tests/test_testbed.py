"""The tests run on a DEMO-only copy of the project: a user's downloads never reach them."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.ingest import read_manifest
from helpers.paths import PACKAGE_ROOT, processed_dir, project_root, raw_dir
from helpers.reports import testbed


def test_this_suite_runs_on_a_demo_only_copy() -> None:
    assert project_root() != PACKAGE_ROOT
    files = read_manifest(processed_dir())["files"]
    assert files and all(f["is_demo"] for f in files)
    assert [p.name for p in (raw_dir() / "gacc").iterdir()] in ([], ["README.md"])


def test_a_users_downloads_neither_reach_nor_are_touched_by_the_copy(tmp_path: Path) -> None:
    source = tmp_path / "project"
    shutil.copytree(project_root() / "notebooks", source / "notebooks")
    shutil.copytree(project_root() / "data" / "raw", source / "data" / "raw")
    broken = source / "data" / "raw" / "gacc" / "export-2020.csv"
    broken.write_text("this would fail any ingest\n", encoding="utf-8")
    (source / "data" / "processed").mkdir()
    (source / "data" / "processed" / "manifest.json").write_text("{}", encoding="utf-8")

    copy = testbed.build(tmp_path / "copy", source=source)
    assert not (copy / "data" / "raw" / "gacc" / "export-2020.csv").exists()
    assert all(f["is_demo"] for f in read_manifest(copy / "data" / "processed")["files"])
    assert broken.read_text(encoding="utf-8") == "this would fail any ingest\n"
    assert (source / "data" / "processed" / "manifest.json").read_text() == "{}"
    assert sorted(p.name for p in (copy / "notebooks").glob("*.ipynb")) == sorted(
        p.name for p in (source / "notebooks").glob("*.ipynb"))
