"""The ledger is faithful to the articles, and statuses follow from evidence mechanically."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from helpers import claims
from helpers.analysis.intervals import QUALIFIERS, Interval
from helpers.paths import PACKAGE_ROOT

SEEDS = PACKAGE_ROOT.parent / "shared" / "seeds"


def test_ledger_shape() -> None:
    ledger = claims.load_ledger()
    assert 35 <= len(ledger) <= 60
    assert ledger["claim_id"].is_unique
    assert set(ledger["qualifier"]) <= set(QUALIFIERS)
    assert ledger["stated_value_num"].notna().all()
    assert set(ledger["seed_file"]) == {"000_8c4196bae430e390.txt", "001_bc37cfe899205ede.txt",
                                        "002_8d51e2054ffee81a.txt"}
    assert (ledger["quote"].str.len() < 160).all(), "quotes are short fragments"
    assert (ledger["would_settle"].str.len() > 0).all()


def test_every_claim_has_an_interval() -> None:
    for claim_id in claims.load_ledger().index:
        interval = claims.allowed(claim_id)
        assert interval.lo <= interval.hi


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed articles live in ../shared/seeds")
def test_quotes_appear_verbatim_in_the_articles() -> None:
    texts = {p.name: p.read_text(encoding="utf-8").replace("’", "'") for p in SEEDS.glob("*.txt")}
    missing = [row.claim_id for row in claims.load_ledger().itertuples()
               if row.quote.replace("’", "'") not in texts[row.seed_file]]
    assert missing == []


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed articles live in ../shared/seeds")
def test_stated_numbers_appear_in_their_quotes() -> None:
    ledger = claims.load_ledger()
    for claim_id in ("scmp-us-growth", "scmp-wind-growth", "scmp-dec-value", "scmp-deu-value",
                     "nyt-recruited-644", "bbg-ipo-usd"):
        row = ledger.loc[claim_id]
        assert row["stated_value"].lstrip("-") in row["quote"].replace(",", ""), claim_id


def test_demo_evidence_is_never_reproduced() -> None:
    stated = claims.stated("scmp-us-growth")
    assert claims.status_for("scmp-us-growth", stated, "demo") == "demo"
    assert claims.status_for("scmp-us-growth", stated, "customs download") == "reproduced"
    assert claims.status_for("scmp-us-growth", stated + 5, "customs download") == "differs"
    assert claims.status_for("scmp-us-growth", stated, "article arithmetic") == "consistent"
    with pytest.raises(ValueError, match="unknown evidence"):
        claims.status_for("scmp-us-growth", stated, "vibes")


def test_evidence_comes_from_the_data_never_from_a_string(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.analysis import trade
    from helpers.paths import processed_dir

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims.d"))
    record = claims.Recorder("99-test").record
    demo = trade.open_trade(processed_dir())  # the test copy holds DEMO rows only
    assert demo.is_demo
    stated = claims.stated("scmp-us-growth")
    assert record("scmp-us-growth", stated, demo).status == "demo"
    # Filing DEMO data as a download is impossible: neither a string nor a hand-made Evidence
    # of a customs kind is accepted.
    for fake in ("customs download", claims.Evidence("customs download", "trust me"),
                 claims.Evidence("demo")):
        with pytest.raises(TypeError, match="evidence is not typed"):
            record("scmp-us-growth", stated, fake)
    assert record("bbg-ipo-usd", 778, claims.ECB_RATES).status == "reproduced"
    assert record("scmp-us-more-than-doubled", 116, claims.ARTICLE).status == "consistent"
    assert record("nyt-li-ion-share", 75,
                  claims.published_figure("iea-2022-li-ion")).status == "reproduced"
    with pytest.raises(ValueError, match="unknown published figure"):
        claims.published_figure("IEA 2022")


def test_recorder_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.analysis import trade
    from helpers.paths import processed_dir

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims.d"))
    recorder = claims.Recorder("99-test")
    recorder.record("scmp-us-growth", 116.2, trade.open_trade(processed_dir()))
    recorder.record("bbg-ipo-usd", 776.9, claims.ECB_RATES, detail="5e9 / 6.436")
    with pytest.raises(KeyError):
        recorder.record("no-such-claim", 1, claims.ARTICLE)
    out = claims.write_report(tmp_path / "claims.csv")
    with out.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert tuple(header[: len(claims.REPORT_COLUMNS)]) == claims.REPORT_COLUMNS
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    ledger = claims.load_ledger()
    assert set(table["claim_id"]) == set(ledger.index)  # every claim has a row
    assert set(table["status"]) <= set(claims.STATUSES)
    by_id = table.set_index("claim_id")
    assert by_id.loc["scmp-us-growth", "status"] == "demo"
    assert by_id.loc["bbg-ipo-usd", "status"] == "differs"  # 776.9 is outside 778 +- 0.5
    assert by_id.loc["nyt-detained", "status"] == "unverifiable"
    assert by_id.loc["nyt-detained", "would_settle"]


def test_raw_manifest_checksums_match_the_shipped_files() -> None:
    import hashlib

    raw = PACKAGE_ROOT / "data" / "raw"
    manifest = pd.read_csv(raw / "MANIFEST.csv", dtype=str)
    assert {"path", "sha256", "source", "licence", "as_of"} <= set(manifest.columns)
    for row in manifest.itertuples():
        data = (raw / row.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row.sha256, (
            f"{row.path} changed: data/raw is read-only; if the change is deliberate, update "
            "MANIFEST.csv and say why in CHANGELOG.md")
    shipped = {p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file()
               and "demo" not in p.parts and "gacc" not in p.parts and p.name != "MANIFEST.csv"}
    assert shipped <= set(manifest["path"]), "every shipped raw file is in MANIFEST.csv"


def test_readme_maps_every_claim() -> None:
    readme = (PACKAGE_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in claims.load_ledger().index if f"`{c}`" not in readme]
    assert missing == [], "add these claims to the README's claims map"


def test_range_evidence_is_compared_as_an_interval() -> None:
    from helpers.analysis.intervals import Interval

    # bbg-ipo-usd allows [777.5, 778.5]
    assert claims.status_for("bbg-ipo-usd", Interval(777.6, 778.4), "ECB rates") == "reproduced"
    assert claims.status_for("bbg-ipo-usd", Interval(774.7, 779.6), "ECB rates") == "inconclusive"
    assert claims.status_for("bbg-ipo-usd", Interval(770.0, 777.0), "ECB rates") == "differs"
    assert claims.status_for("bbg-ipo-usd", Interval(774.7, 779.6), "demo") == "demo"
    # "about 45 %" against "almost half" [45, 50]: on the edge is no longer a reproduction
    assert claims.status_for("bbg-four-plants-half", Interval(44.5, 45.5),
                             "published figure") == "inconclusive"
    assert claims.status_for("bbg-four-plants-half", 45.0, "published figure") == "reproduced"


def test_a_set_of_possible_months_is_judged_on_its_members(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The months that could be the peak are a set, not the range between them: October is not
    in {3, 12}, so the claim of an October peak differs; in {3, 10} it may hold."""
    from helpers.analysis.intervals import OneOf

    peak = "scmp-oct-peak-month"
    assert claims.status_for(peak, OneOf((3, 12)), "customs download") == "differs"
    assert claims.status_for(peak, OneOf((3, 10)), "customs download") == "inconclusive"
    assert claims.status_for(peak, OneOf((10, 3)), "demo") == "demo"
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path))
    record = claims.Recorder("99-test").record
    assert record(peak, OneOf((10,)), claims.ARTICLE).status == "consistent"  # one month: it
    got = record("scmp-dec-annual-low", OneOf((12, 1)), claims.ARTICLE)
    assert got.status == "inconclusive" and "computed {1, 12}" in str(got)
    table = claims.build_table(claims.collect(tmp_path)).set_index("claim_id")
    assert table.loc[peak, "computed_value"] == "10"
    assert table.loc["scmp-dec-annual-low", "computed_value"] == "{1, 12}"
    assert table.loc["scmp-dec-annual-low", "computed_full"] == "{1, 12}"


def test_a_range_is_filed_and_shown_as_a_range(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.analysis.intervals import Interval

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path))
    got = claims.Recorder("99-test").record("bbg-ipo-usd", Interval(774.7, 779.6),
                                            claims.ECB_RATES)
    assert got.status == "inconclusive" and "[774.7, 779.6]" in str(got)
    table = claims.build_table(claims.collect(tmp_path)).set_index("claim_id")
    assert table.loc["bbg-ipo-usd", "computed_value"] == "[774.7, 779.6]"
    assert table.loc["bbg-ipo-usd", "status"] == "inconclusive"


def test_computed_values_are_shown_at_the_claims_precision(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims.d"))
    record = claims.Recorder("99-test").record
    record("scmp-flowers-growth", 81.39994, claims.ARTICLE)  # stated "81.4": one decimal
    record("bbg-ipo-usd", Interval(774.7310222, 779.6143), claims.ECB_RATES)  # stated "778"
    record("scmp-us-growth", 116.0000001, claims.ARTICLE)
    table = claims.build_table(claims.collect(tmp_path / "claims.d")).set_index("claim_id")
    assert table.loc["scmp-flowers-growth", "computed_value"] == "81.40"  # one decimal finer
    assert table.loc["scmp-flowers-growth", "computed_full"] == "81.39994"
    assert table.loc["bbg-ipo-usd", "computed_value"] == "[774.7, 779.6]"
    assert table.loc["bbg-ipo-usd", "computed_full"] == "[774.7310222, 779.6143]"
    assert table.loc["scmp-us-growth", "computed_value"] == "116"
    # A value that a rounding to the claim's precision would move onto its edge keeps a decimal.
    for computed, shown in ((115.7, "115.7"), (116.5, "116.5"), (115.96, "116.0")):
        record("scmp-us-growth", computed, claims.ARTICLE)
        table = claims.build_table(claims.collect(tmp_path / "claims.d")).set_index("claim_id")
        assert table.loc["scmp-us-growth", "computed_value"] == shown, computed
