"""Two runs writing the same folder, and a run killed half-way, with real processes.

A second ingest into a folder another one is writing waits (or fails at once with --no-wait)
instead of both reporting success while the last silently wins; a run killed with SIGKILL leaves
its staging folder behind, and the next run removes it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from downloads import WAN_YUAN, monthly_rows, write

from helpers.ingest import read_manifest

PY = sys.executable


def _ingest(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([PY, "-m", "helpers", "ingest", *args, "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _hold_lock(out: Path, what: str = "ingest") -> subprocess.Popen[str]:
    """Another process holding the folder's lock, as a running ingest does, until killed."""
    code = ("import sys, time\nfrom helpers.locking import exclusive\n"
            f"with exclusive({str(out)!r}, {what!r}):\n"
            "    print('held', flush=True)\n    time.sleep(120)\n")
    holder = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "gacc"
    write(folder, "export-2020.csv", WAN_YUAN, monthly_rows(2020))
    return folder


def test_a_second_ingest_fails_clearly_with_no_wait(downloads: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = _hold_lock(out)
    try:
        second = _ingest(str(downloads), "--out", str(out), "--no-wait")
        _, err = second.communicate(timeout=60)
        assert second.returncode == 2
        assert f"another ingest (pid {holder.pid}) is writing this folder" in err
        assert not out.exists()  # nothing written
    finally:
        holder.kill()
        holder.wait()


def test_a_second_ingest_waits_for_the_first(downloads: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = _hold_lock(out)
    second = _ingest(str(downloads), "--out", str(out))
    try:
        # Its first words on stderr, however long a busy machine takes to start it (a fixed
        # sleep let a slow start reach the lock only after the holder had gone).
        assert second.stderr is not None
        said = second.stderr.readline()
        assert "waiting: another ingest" in said, said
        time.sleep(0.5)
        assert second.poll() is None, "the second ingest must wait while the folder is locked"
        assert not out.exists()
    finally:
        holder.kill()  # the lock goes with its holder, however it ends
        holder.wait()
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, said + err
    assert read_manifest(out)["files"]


@pytest.mark.slow
def test_a_killed_ingest_leaves_nothing_the_next_run_keeps(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    subprocess.run([PY, "-m", "helpers", "demo-data", "--rows", "200000", "--rows-per-file",
                    "200000", "--flows", "export", "--out", str(raw)], check=True,
                   capture_output=True)
    out = tmp_path / "out"
    first = _ingest(str(raw), "--out", str(out))
    deadline = time.monotonic() + 60
    # The work folder is made just after the staging folder: wait for both, else a kill in
    # between leaves one.
    while not (list(tmp_path.glob(".out.staging-*")) and list(tmp_path.glob(".out.work-*"))):
        assert first.poll() is None, "the ingest ended before its staging folder was seen"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    left = list(tmp_path.glob(".out.staging-*")) + list(tmp_path.glob(".out.work-*"))
    assert len(left) == 2 and not out.exists()  # killed: half a table, in hidden folders only
    rerun = _ingest(str(raw), "--out", str(out))
    stdout, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert not list(tmp_path.glob(".out.staging-*")) and not list(tmp_path.glob(".out.work-*"))
    # Its half table and its temporary files (UTF-8 copies, DuckDB's spill) both go.
    assert "removed 2 file(s) or folder(s) left by an ingest that did not finish" in stdout
    assert read_manifest(out)["rows"] == 200000


def test_a_second_report_build_fails_clearly_with_no_wait() -> None:
    from helpers.paths import reports_dir

    holder = _hold_lock(reports_dir(), "report build")
    try:
        second = subprocess.run([PY, "-m", "helpers", "report", "--no-wait"],
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 2
        assert f"another report build (pid {holder.pid}) is writing" in second.stderr
    finally:
        holder.kill()
        holder.wait()


def test_ctrl_c_during_the_scan_says_interrupted_without_a_traceback(tmp_path: Path) -> None:
    """DuckDB stops a query on Ctrl-C with its own error ('Query interrupted'), which printed a
    traceback and exit status 1; the command says it was interrupted (130) and keeps nothing."""
    raw = tmp_path / "raw"
    subprocess.run([PY, "-m", "helpers", "demo-data", "--rows", "300000", "--rows-per-file",
                    "300000", "--flows", "export", "--out", str(raw)], check=True,
                   capture_output=True)
    codes = []
    for delay in (0.05, 0.3, 0.6):
        out = tmp_path / f"out{delay}"
        run = _ingest(str(raw), "--out", str(out))
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(f".{out.name}.work-*")) and run.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(delay)
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=120)
        codes.append(run.returncode)
        assert "Traceback" not in err, err
        assert run.returncode in (0, 130), err
        if run.returncode == 130:
            assert err.strip().endswith("error: interrupted; nothing was replaced")
            assert not out.exists() and not list(tmp_path.glob(f".{out.name}.staging-*"))
    assert 130 in codes


def test_the_command_line_reads_duckdbs_interrupt_as_ctrl_c(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    from helpers import cli, ingest

    for raised in (RuntimeError("Query interrupted"), duckdb.InterruptException("x")):
        def stopped(*args: object, error: Exception = raised, **kwargs: object) -> None:
            raise error

        monkeypatch.setattr(ingest, "ingest", stopped)
        assert cli.main(["ingest", "somewhere", "--quiet"]) == 130
        assert capsys.readouterr().err == "error: interrupted; nothing was replaced\n"
    monkeypatch.setattr(ingest, "ingest", lambda *a, **k: (_ for _ in ()).throw(
        RuntimeError("something else")))
    with pytest.raises(RuntimeError, match="something else"):
        cli.main(["ingest", "somewhere", "--quiet"])


def test_ctrl_c_while_the_table_is_put_in_place_is_held_until_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the two renames, Ctrl-C left no table at all (the run's clean-up deleted the
    finished one); now the swap finishes, and says it was asked to stop."""
    from helpers.ingest import publish

    out, staging = tmp_path / "out", tmp_path / ".out.staging-1"
    for folder, text in ((out, "old"), (staging, "new")):
        folder.mkdir()
        (folder / "manifest.json").write_text(text)
    rename = Path.rename

    def rename_then_ctrl_c(self: Path, target: Path) -> Path:
        moved = rename(self, target)
        if self == out:  # the old table moved aside, the new one not yet in place
            os.kill(os.getpid(), signal.SIGINT)
        return moved

    monkeypatch.setattr(Path, "rename", rename_then_ctrl_c)
    assert publish.swap_into_place(staging, out) is True
    assert (out / "manifest.json").read_text() == "new" and not staging.exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_error_raised_while_handling_ctrl_c_is_read_as_ctrl_c(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """pandas, stopped by Ctrl-C while reading a file, raises its ParserError from it."""
    from helpers import cli, ingest

    def stopped(*args: object, **kwargs: object) -> None:
        try:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, as the terminal sends it
            time.sleep(5)
        except KeyboardInterrupt:
            raise ValueError("Calling read(nbytes) on source failed") from None

    monkeypatch.setattr(ingest, "ingest", stopped)
    assert cli.main(["ingest", "somewhere", "--quiet"]) == 130
    assert "interrupted" in capsys.readouterr().err
