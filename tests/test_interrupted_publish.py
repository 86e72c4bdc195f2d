"""What a run killed while publishing leaves, and what the next run makes of it: a table put
back instead of rebuilt, no half-written manifest carried into every later table, no warning
repeated by runs that did not see the crash, and no output path DuckDB would read as a pattern.
The kill itself is simulated by leaving its traces by hand (tests/test_concurrent_runs.py kills
real processes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from downloads import WAN_YUAN, cli, monthly_rows, one_error_line, write

from helpers.ingest import ingest


@pytest.fixture
def ingested(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "gacc"
    write(folder, "export-2020.csv", WAN_YUAN, monthly_rows(2020, "3"), encoding="gbk")
    out = tmp_path / "out"
    ingest([folder], out, progress=False)
    return folder, out


def _table(out: Path) -> pd.DataFrame:
    frame = pd.read_parquet(out / "trade").astype({"flow": str, "year": int})
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.mark.parametrize("left", ["staging", "old"])
def test_a_table_left_between_the_two_renames_is_put_back(
        ingested: tuple[Path, Path], left: str) -> None:
    """Killed after `out` was renamed away and before the new table took its place: the output
    folder is gone, the finished table (or the one before) waits beside it. Both were deleted
    and everything rebuilt (minutes on a national panel)."""
    folder, out = ingested
    before = _table(out)
    out.rename(out.with_name(f".out.{left}-1234-5678"))
    result = ingest([folder], out, progress=False)
    assert "nothing read or written" in result.summary()
    assert any("put back in place" in w for w in result.warnings), result.warnings
    pd.testing.assert_frame_equal(_table(out), before)
    assert not list(out.parent.glob(".out.*-1234-5678"))


def test_a_half_written_table_without_its_manifest_is_not_put_back(
        ingested: tuple[Path, Path]) -> None:
    folder, out = ingested
    half = out.with_name(".out.staging-killed")
    shutil.copytree(out, half)
    (half / "manifest.json").unlink()  # the manifest is written last: this one never finished
    shutil.rmtree(out)
    result = ingest([folder], out, progress=False)
    assert not any("put back" in w for w in result.warnings)
    assert any("left by an ingest that did not finish" in w for w in result.warnings)
    assert not half.exists() and (out / "manifest.json").exists()


def test_the_clean_up_warning_is_said_once(ingested: tuple[Path, Path]) -> None:
    """It was kept in the manifest, and every later unchanged run said it again, as if another
    ingest had just died."""
    folder, out = ingested
    (out.parent / ".out.work-dead").mkdir()
    write(folder, "export-2021.csv", WAN_YUAN, monthly_rows(2021, "4"), encoding="gbk")
    said = ingest([folder], out, progress=False).warnings
    assert any(".out.work-dead" in w for w in said), said
    again = ingest([folder], out, progress=False).warnings
    assert not any("did not finish" in w for w in again), again


def test_a_half_written_manifest_is_removed_not_carried_into_the_next_table(
        ingested: tuple[Path, Path]) -> None:
    folder, out = ingested
    (out / ".gitignore").write_text("*\n", encoding="utf-8")
    (out / ".manifest.json.999.tmp").write_text('{"half":', encoding="utf-8")
    write(folder, "export-2021.csv", WAN_YUAN, monthly_rows(2021, "4"), encoding="gbk")
    ingest([folder], out, progress=False)
    assert (out / ".gitignore").exists(), "the user's dotfiles are kept"
    assert not list(out.glob(".manifest.json.*.tmp"))


@pytest.mark.parametrize("name", ["out[1]", "out*", "run?"])
def test_an_output_path_with_wildcards_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """DuckDB reads the table by file patterns: `out[1]` crashed the run with a traceback, and
    its clean-up of `.out[1].staging-*` removed another run's `.out1.staging-*`."""
    folder = tmp_path / "gacc"
    write(folder, "export-2020.csv", WAN_YUAN, monthly_rows(2020, "3"), encoding="gbk")
    neighbour = tmp_path / ".out1.staging-other"
    neighbour.mkdir()
    status, _, err = cli(capsys, str(folder), "--out", str(tmp_path / name))
    line = one_error_line(err)
    assert status == 2 and "wildcards" in line, line
    assert neighbour.exists()
