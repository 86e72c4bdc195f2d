"""The processed table's contract, as a pandera schema.

Ingest checks every row while scanning (in SQL, so it streams); this schema states the result's
contract once more, independently. The tests check it on whole tables, including tables ingested
from generated downloads in every layout (tests/test_ingest_contract.py). If the two ever
disagree, the ingest has a bug.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from helpers.ingest import COLUMNS

_HS = r"^\d{2}(\d{2}){0,3}$"


def _periods_match(frame: pd.DataFrame) -> pd.Series:
    expected = frame["year"].astype(str).where(
        frame["month"].isna(),
        frame["year"].astype(str) + "-" + frame["month"].astype("Int64").astype(str).str.zfill(2))
    return frame["period"] == expected


def _converted_consistently(frame: pd.DataFrame) -> pd.Series:
    """One currency converted into the other at the stored rate; a download with both keeps
    the platform's own two figures, which agree only up to its rate (a warning checks them)."""
    ok = frame["fx_cny_per_usd"].isna() | frame["currency_reported"].eq("USD+CNY") | (
        (frame["value_usd"] * frame["fx_cny_per_usd"] - frame["value_cny"]).abs()
        <= 1e-6 * frame["value_cny"].abs() + 1e-6)
    return ok


TRADE_SCHEMA = pa.DataFrameSchema(
    {
        "flow": pa.Column(str, pa.Check.isin(["export", "import"])),
        "year": pa.Column(int, pa.Check.in_range(1980, 2100), coerce=True),
        "month": pa.Column(float, pa.Check.in_range(1, 12), nullable=True, coerce=True),
        "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2})?$")),
        "hs_code": pa.Column(str, [pa.Check.str_matches(_HS),
                                   pa.Check(lambda s: ~s.str[:2].isin(["00", "77"]))]),
        "hs_level": pa.Column(int, pa.Check.isin([2, 4, 6, 8]), coerce=True),
        "hs_name": pa.Column(str, nullable=True),
        "partner_code": pa.Column(str, pa.Check.str_matches(r"^\d{3}$")),
        "partner_iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True),
        "partner_name_zh": pa.Column(str),
        "partner_name_en": pa.Column(str, nullable=True),
        "province_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}$"), nullable=True),
        "province": pa.Column(str, nullable=True),
        "province_basis": pa.Column(str, pa.Check.isin(
            ["registration", "source of goods", "domestic destination"]), nullable=True),
        "place": pa.Column(str, nullable=True),
        "regime_code": pa.Column(str, nullable=True),
        "regime_name": pa.Column(str, nullable=True),
        "quantity_1": pa.Column(float, pa.Check.ge(0), nullable=True),
        "unit_1": pa.Column(str, nullable=True),
        "quantity_2": pa.Column(float, pa.Check.ge(0), nullable=True),
        "unit_2": pa.Column(str, nullable=True),
        "value_cny": pa.Column(float, pa.Check.ge(0), nullable=True),
        "value_usd": pa.Column(float, pa.Check.ge(0), nullable=True),
        "currency_reported": pa.Column(str, pa.Check.isin(["CNY", "USD", "USD+CNY"])),
        "fx_cny_per_usd": pa.Column(float, pa.Check.in_range(1, 20), nullable=True),
        "is_demo": pa.Column(bool),
        "source_file": pa.Column(str),
    },
    checks=[pa.Check(_periods_match, error="period disagrees with year and month"),
            pa.Check(_converted_consistently, error="value_cny != value_usd * fx rate"),
            pa.Check(lambda f: (f["hs_code"].str.len() == f["hs_level"]),
                     error="hs_level is not the length of hs_code")],
    strict=True,
    ordered=False,
)

assert set(TRADE_SCHEMA.columns) == set(COLUMNS), "schema and ingest disagree on columns"


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Raise pandera's SchemaErrors listing every failing check and row (lazy validation)."""
    return TRADE_SCHEMA.validate(frame, lazy=True)
