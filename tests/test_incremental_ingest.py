"""A re-run of ingest reads only what changed, and ends with exactly the table a full run gives.

Hand-written downloads in the platform's layouts: Xinjiang's exports by month in 万元, one file
per year, plus a national file in dollars. Every incremental result is compared with a full
rebuild of the same inputs into another folder.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import csv_bytes
from downloads import NATIONAL, WAN_YUAN, monthly_rows, row, write, write_xlsx

from helpers.errors import InputError
from helpers.ingest import incremental, ingest


def _table(out: Path) -> pd.DataFrame:
    frame = pd.read_parquet(out / "trade")
    frame = frame.astype({"flow": str, "year": int})
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _files(out: Path) -> dict[str, tuple[int, int]]:
    """Every parquet file of the table: (inode, mtime) — the same pair means not rewritten."""
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (out / "trade").rglob("*.parquet")}


def _manifest(out: Path) -> dict[str, object]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _same_as_full(folder: Path, out: Path, tmp_path: Path) -> None:
    full = ingest([folder], tmp_path / "full", progress=False, full=True)
    pd.testing.assert_frame_equal(_table(out), _table(tmp_path / "full"))
    mine = _manifest(out)
    for key in ("rows", "duplicates_dropped", "totals", "coverage", "repeats"):
        theirs = json.loads(json.dumps(getattr(full, key), default=str))
        if key == "totals":  # sums in another order: equal to the last bits
            assert [t.pop("value_usd") for t in mine[key]] == pytest.approx(
                [t.pop("value_usd") for t in theirs], rel=1e-12)
        assert mine[key] == theirs, key
    assert mine["warnings"] == full.warnings  # the same words in the same order


@pytest.fixture
def gacc(tmp_path: Path) -> Path:
    folder = tmp_path / "gacc"
    for year in (2019, 2020):
        write(folder, f"export-{year}.csv", WAN_YUAN, monthly_rows(year, "3"), encoding="gbk")
    write(folder, "export-china-2021.csv", NATIONAL,
          [row(f"2021{m:02d}", "1,000", province=None) for m in range(1, 13)])
    return folder


def test_unchanged_inputs_are_neither_read_nor_written(
        gacc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.ingest import pipeline

    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    before, manifest = _files(out), (out / "manifest.json").stat().st_mtime_ns

    def no_opening(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged re-run must not open the inputs")

    monkeypatch.setattr(pipeline, "plan_inputs", no_opening)  # size and mtime are enough
    again = ingest([gacc], out, progress=False)
    assert "inputs unchanged since the last ingest: nothing read or written" in again.summary()
    assert _files(out) == before
    assert (out / "manifest.json").stat().st_mtime_ns == manifest
    assert again.rows == 36


def test_a_touched_file_is_hashed_not_reread(gacc: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    before = _files(out)
    path = gacc / "export-2019.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    again = ingest([gacc], out, progress=False)
    assert "nothing read or written" in again.summary() and _files(out) == before
    record = next(f for f in _manifest(out)["files"] if f["file"] == "gacc/export-2019.csv")
    assert record["mtime_ns"] == path.stat().st_mtime_ns  # remembered: no hashing next time


def test_a_changed_file_rebuilds_only_its_partitions(gacc: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    before = _files(out)
    write(gacc, "export-2020.csv", WAN_YUAN, monthly_rows(2020, "4"), encoding="gbk")
    again = ingest([gacc], out, progress=False)
    assert "1 new or changed, 0 removed, 2 unchanged file(s)" in again.summary()
    after = _files(out)
    kept = {k for k in before if "year=2020" not in k}
    assert kept and all(after[k][0] == before[k][0] for k in kept)  # same files, linked
    assert not any("year=2020" in k and k in before and after[k] == before[k] for k in after)
    _same_as_full(gacc, out, tmp_path)


def test_added_and_removed_files(gacc: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    write(gacc, "export-germany-2020.csv", WAN_YUAN, monthly_rows(2020, "7", partner="304"))
    (gacc / "export-china-2021.csv").unlink()
    again = ingest([gacc], out, progress=False)
    assert "1 new or changed, 1 removed, 2 unchanged" in again.summary()
    assert set(_table(out)["year"]) == {2019, 2020}
    _same_as_full(gacc, out, tmp_path)


def test_repeats_in_carried_partitions_keep_their_count_and_warning(
        gacc: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(gacc, "export-2019-again.csv", WAN_YUAN, monthly_rows(2019, "3")[:4])
    first = ingest([gacc], out, progress=False)
    assert first.duplicates_dropped == 4
    write(gacc, "export-china-2021.csv", NATIONAL,
          [row(f"2021{m:02d}", "2,000", province=None) for m in range(1, 13)])
    again = ingest([gacc], out, progress=False)
    assert again.duplicates_dropped == 4
    said = "gacc/export-2019.csv repeat gacc/export-2019-again.csv"
    assert any(said in w for w in again.warnings)
    _same_as_full(gacc, out, tmp_path)


def test_a_removed_file_brings_back_rows_it_had_repeated(gacc: Path, tmp_path: Path) -> None:
    # The copy of a repeated row is kept in the first file by name; remove that file and the
    # other file's rows must come back (they are read again, not taken from the old table).
    out = tmp_path / "out"
    write(gacc, "export-2019-again.csv", WAN_YUAN, monthly_rows(2019, "3"))
    ingest([gacc], out, progress=False)
    (gacc / "export-2019.csv").unlink()
    again = ingest([gacc], out, progress=False)
    assert again.rows == 36 and again.duplicates_dropped == 0
    _same_as_full(gacc, out, tmp_path)


def test_a_change_that_breaks_a_check_publishes_nothing(gacc: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    before = _table(out)
    # Annual rows beside the monthly ones of 2020: refused, naming both files.
    write(gacc, "export-annual-2020.csv", WAN_YUAN, [row("2020", "36")])
    with pytest.raises(InputError, match="different granularity"):
        ingest([gacc], out, progress=False)
    pd.testing.assert_frame_equal(_table(out), before)


def test_full_and_a_code_change_rebuild_everything(
        gacc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    before = _files(out)
    again = ingest([gacc], out, progress=False, full=True)
    assert "full rebuild: --full was given" in again.summary()
    assert not set(_files(out).values()) & set(before.values())
    monkeypatch.setattr(incremental, "code_fingerprint", lambda: "another version")
    again = ingest([gacc], out, progress=False)
    assert "full rebuild: the ingest code, code lists, engine or ECB rates" in again.summary()


def test_a_row_repeated_in_three_files_survives_removing_two(tmp_path: Path) -> None:
    # The same query downloaded three times: the middle file's rows were all dropped as
    # repeats, and must be read again when the others go.
    folder = tmp_path / "gacc"
    for name in ("a", "b", "c"):
        write(folder, f"{name}-export-2020.csv", WAN_YUAN, monthly_rows(2020, "3"))
    write(folder, "z-export-2021.csv", WAN_YUAN, monthly_rows(2021, "4"))
    out = tmp_path / "out"
    ingest([folder], out, progress=False)
    (folder / "a-export-2020.csv").unlink()
    (folder / "c-export-2020.csv").unlink()
    again = ingest([folder], out, progress=False)
    assert again.rows == 24
    _same_as_full(folder, out, tmp_path)


def test_a_missing_part_of_the_table_is_rebuilt(gacc: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    shutil.rmtree(out / "trade" / "flow=export" / "year=2019")
    again = ingest([gacc], out, progress=False)
    assert "full rebuild: part of the published table is missing" in again.summary()
    _same_as_full(gacc, out, tmp_path)


def test_another_file_under_the_same_name_and_size_is_read(gacc: Path, tmp_path: Path) -> None:
    # Another folder with a download of the same name, size and mtime (copied with cp -p):
    # its content, not its name, decides.
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    other = tmp_path / "elsewhere" / "gacc"
    shutil.copytree(gacc, other)
    write(other, "export-2020.csv", WAN_YUAN, monthly_rows(2020, "8"), encoding="gbk")
    stat = (gacc / "export-2020.csv").stat()
    os.utime(other / "export-2020.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (other / "export-2020.csv").stat().st_size == stat.st_size
    ingest([other], out, progress=False)
    _same_as_full(other, out, tmp_path)


def test_the_output_reached_through_a_link_is_written_where_it_points(
        gacc: Path, tmp_path: Path) -> None:
    real = tmp_path / "disk" / "processed"
    real.parent.mkdir()
    ingest([gacc], real, progress=False)
    link = tmp_path / "processed"
    link.symlink_to(real, target_is_directory=True)
    ingest([gacc], link, progress=False, full=True)
    assert link.is_symlink() and (real / "manifest.json").exists()
    assert not list(tmp_path.glob(".processed.*"))  # no lock or leftovers beside the link


def test_two_inputs_under_one_name_are_refused(tmp_path: Path) -> None:
    # x/gacc/export-2020.csv and y/gacc/export-2020.csv would both be "gacc/export-2020.csv" in
    # the manifest: one would hide the other from every later comparison.
    for top in ("x", "y"):
        write(tmp_path / top / "gacc", "export-2020.csv", WAN_YUAN, monthly_rows(2020, "3"))
    with pytest.raises(InputError, match=r"would both be named 'gacc/export-2020\.csv'"):
        ingest([tmp_path / "x" / "gacc", tmp_path / "y" / "gacc"], tmp_path / "out",
               progress=False)


def test_what_decides_the_rows_is_in_the_fingerprint_and_nothing_else() -> None:
    """The ingest's modules and the helpers modules they import are; the notebooks' and
    reports' code is not: editing a chart helper rebuilt a national panel at every report."""
    modules = {"/".join(p.parts[-2:]) for p in incremental._ingest_modules()}
    assert {"ingest/sql.py", "ingest/lookups.py", "analysis/coverage.py",
            "helpers/errors.py"} <= modules
    assert not modules & {"reports/notebook.py", "analysis/trade.py", "claims/scmp.py"}


def test_a_new_version_of_the_ecb_rates_changes_the_fingerprint(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An update of the package that ships the ECB rates changes value_usd of every yuan row;
    the last ingest's table, converted at the old rates, must not be reused."""
    import importlib.metadata

    incremental.code_fingerprint.cache_clear()
    before = incremental.code_fingerprint()
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "9.9" if name ==
                        "CurrencyConverter" else real(name))
    incremental.code_fingerprint.cache_clear()
    try:
        assert incremental.code_fingerprint() != before
    finally:
        incremental.code_fingerprint.cache_clear()


def test_the_same_folder_by_another_path_is_hashed_once_then_skipped(
        gacc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ingest gacc` then `ingest /abs/gacc`: the second run hashes the inputs to see they are
    the same; the record kept the old spelling, so every later run hashed them all again."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    ingest([Path("gacc")], out, progress=False)
    hashed: list[Path] = []
    real = incremental.sha256_of
    monkeypatch.setattr(incremental, "sha256_of", lambda p: hashed.append(p) or real(p))
    for _ in range(2):
        result = ingest([gacc.resolve()], out, progress=False)
        assert "nothing read or written" in result.summary()
    assert len(hashed) <= 3, hashed  # the first run with the new spelling only
    assert ingest([Path("gacc")], out, progress=False).phases.get("scan", 0) == 0


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the inputs whose head ingest reads from now on."""
    from helpers.ingest import plan

    seen: list[str] = []
    real = plan.sniff

    def counting(path: Path):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(plan, "sniff", counting)
    return seen


def test_a_changed_file_opens_only_the_files_of_its_partitions(
        gacc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One page changed among many: the others are planned from the manifest, unopened (30
    workbooks took 18-21 s to re-plan for one changed page); a kept file whose partition is
    rebuilt is opened, since it is read again."""
    write_xlsx(gacc, "export-germany-2019.xlsx", WAN_YUAN,
               monthly_rows(2019, "5", partner="304"))
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    records = {r["file"]: r for r in _manifest(out)["files"]}
    opened = _opened(monkeypatch)
    write(gacc, "export-2020.csv", WAN_YUAN, monthly_rows(2020, "4"), encoding="gbk")
    again = ingest([gacc], out, progress=False)
    assert opened == ["export-2020.csv"]
    assert "1 new or changed, 0 removed, 3 unchanged file(s)" in again.summary()
    after = {r["file"]: r for r in _manifest(out)["files"]}
    for label in ("gacc/export-2019.csv", "gacc/export-germany-2019.xlsx",
                  "gacc/export-china-2021.csv"):
        assert after[label] == records[label]  # what its head said, kept as it was
    _same_as_full(gacc, out, tmp_path)

    opened.clear()  # a page added to 2019: both 2019 files are read again, 2020/2021 are not
    write(gacc, "export-japan-2019.csv", WAN_YUAN, monthly_rows(2019, "6", partner="116"))
    again = ingest([gacc], out, progress=False)
    assert sorted(opened) == ["export-2019.csv", "export-germany-2019.xlsx",
                              "export-japan-2019.csv"]
    _same_as_full(gacc, out, tmp_path)


def test_a_file_planned_from_the_manifest_keeps_its_warnings(
        gacc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a kept, unopened file was warned of (a CSV cut short, an empty query) is said
    again on every run that rebuilds another partition, as a full run says it."""
    cut = gacc / "export-china-2021.csv"
    cut.write_bytes(cut.read_bytes().rstrip(b"\r\n"))
    write(gacc, "export-2018.csv", WAN_YUAN, [])
    out = tmp_path / "out"
    first = ingest([gacc], out, progress=False)
    said = [w for w in first.warnings if "export-china-2021" in w or "export-2018" in w]
    assert len(said) == 2
    opened = _opened(monkeypatch)
    write(gacc, "export-2020.csv", WAN_YUAN, monthly_rows(2020, "4"), encoding="gbk")
    again = ingest([gacc], out, progress=False)
    assert opened == ["export-2020.csv"]
    assert all(w in again.warnings for w in said)
    _same_as_full(gacc, out, tmp_path)


def test_other_arguments_plan_every_file_again(
        gacc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest's decisions hold for the arguments they were taken with: --flow given now
    where the names said it before is a decision of another source for every file."""
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    opened = _opened(monkeypatch)
    again = ingest([gacc], out, progress=False, flow="export")
    assert sorted(opened) == ["export-2019.csv", "export-2020.csv", "export-china-2021.csv"]
    assert {r["flow_source"] for r in _manifest(out)["files"]} == {"--flow"}
    assert "3 new or changed" in again.summary() or "full rebuild" in again.summary()


def _swap_keeping_size_and_time(path: Path, content: bytes) -> None:
    """Put other bytes of the same size in `path` and give it back its time stamp, as
    `cp -p` or `rsync -a` of another download of the same size does."""
    stat = path.stat()
    assert len(content) <= stat.st_size, "the stand-in must not be longer"
    title, rest = content.split(b"\r\n", 1)  # padded at the end of its title line
    path.write_bytes(title + b" " * (stat.st_size - len(content)) + b"\r\n" + rest)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _annual(title: str) -> bytes:
    """An annual download (no 数据年月 column) of Xinjiang's exports, GBK, with a title line."""
    header = ["商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "注册地编码",
              "注册地名称", "人民币(万元)"]
    rows = [["85023100", "风力发电机组", "304", "德国", "65", "新疆", "1,000"]]
    return f"{title}\r\n".encode("gbk") + csv_bytes(header, rows, encoding="gbk")


def _swap_a_kept_page(gacc: Path, tmp_path: Path, title: str) -> tuple[Path, Path]:
    """Ingest a second 2020 page, replace it by an annual file titled `title` of the same size
    and time stamp, and change the other 2020 page, so that the replaced one is read again."""
    page = write(gacc, "export-germany-2020.csv", WAN_YUAN,
                 monthly_rows(2020, "5", partner="304"), encoding="gbk")
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    _swap_keeping_size_and_time(page, _annual(title))
    write(gacc, "export-2020.csv", WAN_YUAN, monthly_rows(2020, "4"), encoding="gbk")
    return page, out


def test_a_kept_file_read_again_with_other_bytes_is_planned_afresh(
        gacc: Path, tmp_path: Path) -> None:
    """A page replaced by a download of the same size with its time stamp restored is taken
    as unchanged and planned from its record; when its partition is rebuilt it is read again,
    and what its bytes now say must be checked as a full run checks it: a Jan-Oct annual file
    was filed as the year 2020 (the title check runs at planning)."""
    page, out = _swap_a_kept_page(gacc, tmp_path, "2020年新疆出口 数据更新至2020年10月")
    with pytest.raises(InputError, match=r"part of a year \('更新至2020年10月'") as caught:
        ingest([gacc], out, progress=False)
    assert caught.value.source == str(page)
    with pytest.raises(InputError, match="part of a year"):
        ingest([gacc], tmp_path / "full", progress=False, full=True)


def test_a_monthly_page_replaced_by_an_annual_one_of_the_same_size_reads_as_in_a_full_run(
        gacc: Path, tmp_path: Path) -> None:
    """The record said monthly (period from the 数据年月 column); the bytes are now an annual
    file of the year 2020: the scan crashed on the plan's missing period."""
    page, out = _swap_a_kept_page(gacc, tmp_path, "2020年新疆出口（按注册地）")
    ingest([gacc], out, progress=False)
    record = {r["file"]: r for r in _manifest(out)["files"]}["gacc/export-germany-2020.csv"]
    assert record["period"] == "2020" and record["sha256"] == incremental.sha256_of(page)
    _same_as_full(gacc, out, tmp_path)


@pytest.mark.parametrize("key", ["period_source", "kind", "columns", "sha256"])
def test_a_record_missing_a_field_has_its_file_planned_afresh(
        gacc: Path, tmp_path: Path, key: str) -> None:
    """A manifest edited by hand or written by an older version: a record without one of the
    fields a file is planned from is not used (KeyError, or nulls copied forward)."""
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    manifest = _manifest(out)
    for r in manifest["files"]:  # type: ignore[union-attr]
        if r["file"] == "gacc/export-china-2021.csv":  # in a partition not rebuilt
            del r[key]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    write(gacc, "export-japan-2019.csv", WAN_YUAN, monthly_rows(2019, "6", partner="116"))
    ingest([gacc], out, progress=False)
    record = {r["file"]: r for r in _manifest(out)["files"]}["gacc/export-china-2021.csv"]
    assert all(record.get(k) is not None for k in ("period_source", "kind", "columns",
                                                   "sha256", "encoding"))
    _same_as_full(gacc, out, tmp_path)


def test_warnings_come_in_the_order_a_full_run_gives(gacc: Path, tmp_path: Path) -> None:
    """Two empty query results: after one of them is downloaded again (still empty), the
    re-run said the changed one first; a full run names them in the inputs' order."""
    write(gacc, "export-2018.csv", WAN_YUAN, [])
    write(gacc, "export-2023.csv", WAN_YUAN, [])
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    write(gacc, "export-2023.csv", WAN_YUAN, [], encoding="gbk", trailing_comma=True)
    again = ingest([gacc], out, progress=False)
    assert "1 new or changed" in again.summary()
    said = [w for w in again.warnings if "only a header" in w]
    assert [w.split(":")[0] for w in said] == ["gacc/export-2018.csv", "gacc/export-2023.csv"]
    _same_as_full(gacc, out, tmp_path)


def test_a_notebook_open_during_a_re_ingest_is_stopped_not_misled(tmp_path: Path) -> None:
    """The opened data read the table through a pattern, and what it covers from the manifest
    read at open: removing a file and ingesting again turned its months from missing into 0 in
    an open session. Now the session is told to run again; a re-run that only touched a file
    (manifest rewritten, table the same) keeps it going."""
    import math

    from helpers.analysis import trade

    folder = tmp_path / "gacc"
    write(folder, "export-2019.csv", WAN_YUAN, monthly_rows(2019, "3"), encoding="gbk")
    write(folder, "export-2020-h1.csv", WAN_YUAN, monthly_rows(2020, "3")[:6])
    second_half = write(folder, "export-2020-h2.csv", WAN_YUAN, monthly_rows(2020, "3")[6:])
    out = tmp_path / "out"
    ingest([folder], out, progress=False)
    data = trade.open_trade(out)
    s = trade.scope("Xinjiang", "USA", "export", 2020, 2019)
    assert trade.monthly(data, s).query("year == 2020")["value"].notna().all()
    first = folder / "export-2019.csv"
    os.utime(first, ns=(first.stat().st_atime_ns, first.stat().st_mtime_ns + 10**9))
    stamp = (out / "manifest.json").stat().st_mtime_ns
    ingest([folder], out, progress=False)  # touched: hashed, manifest rewritten, same table
    assert (out / "manifest.json").stat().st_mtime_ns != stamp
    assert len(trade.monthly(data, s)) == 24
    second_half.unlink()
    ingest([folder], out, progress=False)
    with pytest.raises(InputError, match="ingested again after this notebook opened them"):
        trade.monthly(data, s)
    fresh = trade.monthly(trade.open_trade(out), s).set_index(["year", "month"])["value"]
    assert math.isnan(fresh[(2020, 7)]) and fresh[(2020, 6)] > 0


def test_a_file_rewritten_while_it_is_hashed_is_not_trusted_later(
        gacc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A touched file is hashed and found equal to its record; rewritten at the same size
    right after (a browser finishing a re-download under the same name), its new mtime was
    remembered with the old sha256, and every later run kept the old numbers."""
    out = tmp_path / "out"
    ingest([gacc], out, progress=False)
    path = gacc / "export-2019.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    hashed, rewritten = incremental.sha256_of, []

    def hash_then_rewrite(p: Path) -> str:
        digest = hashed(p)
        if p == path and not rewritten:
            rewritten.append(p)
            body = p.read_bytes()
            assert body.count(b",3\r\n") == 12
            p.write_bytes(body.replace(b",3\r\n", b",4\r\n"))  # same size, other values
            os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 10**9))
        return digest

    monkeypatch.setattr(incremental, "sha256_of", hash_then_rewrite)
    with pytest.raises(InputError, match="the file changed while it was being read"):
        ingest([gacc], out, progress=False)  # this run saw it change: it says so
    monkeypatch.setattr(incremental, "sha256_of", hashed)
    ingest([gacc], out, progress=False)
    _same_as_full(gacc, out, tmp_path)  # the new values, not the ones hashed before
    again = ingest([gacc], out, progress=False)
    assert "nothing read or written" in again.summary()


def test_files_of_the_current_folder_are_labelled_under_its_name(
        gacc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`helpers ingest .` inside the downloads folder labelled them /export-2019.csv."""
    from helpers.ingest import read_manifest

    monkeypatch.chdir(gacc)
    ingest(["."], tmp_path / "out", progress=False)
    labels = sorted(f["file"] for f in read_manifest(tmp_path / "out")["files"])
    assert labels == ["gacc/export-2019.csv", "gacc/export-2020.csv", "gacc/export-china-2021.csv"]
    monkeypatch.chdir(gacc / "..")
    again = ingest(["gacc"], tmp_path / "out", progress=False)
    assert "nothing read or written" in again.summary()  # the same files, by the same labels


def test_a_refused_re_run_says_the_last_table_is_still_read(
        gacc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from downloads import cli

    out = tmp_path / "out"
    assert cli(capsys, str(gacc), "--out", str(out))[0] == 0
    before = _table(out)
    write(gacc, "export-2022.csv", WAN_YUAN, [row("202201", "1.23E+11")], encoding="gbk")
    status, _, err = cli(capsys, str(gacc), "--out", str(out))
    assert status == 2 and "1.23E+11" in err
    assert err.strip().endswith(f"[nothing was replaced: {out} still holds the table of the "
                                "last ingest, which the notebooks read until an ingest "
                                "succeeds]")
    pd.testing.assert_frame_equal(_table(out), before)
    status, _, err = cli(capsys, str(gacc), "--out", str(tmp_path / "new"))
    assert status == 2 and "nothing was replaced" not in err  # no table there to speak of
