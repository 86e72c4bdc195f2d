"""Transcribed published figures: every row cited, every share a share."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.claims import published
from helpers.paths import raw_dir


def test_battery_shares_are_cited_and_bounded() -> None:
    shares = published.battery_shares()
    assert len(shares) >= 10 and shares["figure_id"].is_unique
    for _, row in shares.iterrows():
        interval = published.as_interval(row)
        assert 0 <= interval.lo <= interval.hi <= 100, row["figure_id"]
        assert row["read_at"].startswith(("http://", "https://"))
    # every mineral the NYT names has at least one figure
    assert {"lithium", "nickel", "cobalt", "manganese", "graphite"} <= set(shares["material"])


def test_over_half_is_an_open_lower_bound() -> None:
    shares = published.battery_shares().set_index("figure_id")
    interval = published.as_interval(shares.loc["iea-2022-lithium"])
    assert interval.lo == 50 and interval.lo_open and interval.contains(50.1)
    assert not interval.contains(50)


def test_polysilicon_figures_are_cited() -> None:
    figures = published.polysilicon()
    assert figures["figure_id"].is_unique
    shares = figures[figures["unit"] == "%"]
    assert shares["value"].between(0, 100).all()


def test_an_uncited_row_is_refused(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = raw_dir() / "published" / "polysilicon.csv"
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame.loc[0, "reference"] = ""
    (tmp_path / "published").mkdir()
    frame.to_csv(tmp_path / "published" / "polysilicon.csv", index=False)
    monkeypatch.setattr(published, "raw_dir", lambda: tmp_path)
    with pytest.raises(ValueError, match="have no reference"):
        published.polysilicon()


@pytest.mark.parametrize(("share", "bound"), [(64, 4096), (100, 10_000), (0, 0)])
def test_hhi_lower_bound(share: float, bound: float) -> None:
    assert published.hhi_lower_bound(share) == bound
