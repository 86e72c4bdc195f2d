"""Read the ingested customs table and answer the notebooks' questions with small frames.

Notebooks never read parquet themselves: they ask here, so the choice between real downloads
and DEMO rows is made in one place and always reported with the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from helpers.errors import InputError
from helpers.ingest import MANIFEST, TABLE, read_manifest

DATA_SOURCES = ("auto", "real", "demo")


@dataclass
class TradeData:
    """A DuckDB view over the processed table, restricted to real or DEMO rows."""

    con: duckdb.DuckDBPyConnection
    data_dir: Path
    source: str  # 'real' or 'demo' after resolving 'auto'
    manifest: dict[str, object]

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"

    @property
    def label(self) -> str:
        """Words for titles and captions: says DEMO whenever the numbers are synthetic."""
        return "DEMO data (synthetic)" if self.is_demo else "GACC customs downloads"

    def sql(self, query: str, **params: object) -> pd.DataFrame:
        return self.con.execute(query, params or None).df()


def open_trade(data_dir: str | Path, source: str = "auto") -> TradeData:
    """Open `data_dir` (the ingest output) and choose real or DEMO rows.

    'auto' takes real rows whenever any exist (a user who dropped platform downloads into
    data/raw/ wants them used) and falls back to DEMO; it never mixes the two.
    """
    if source not in DATA_SOURCES:
        raise InputError("parameter data_source", f"unknown data source {source!r}: use one of "
                         f"{', '.join(DATA_SOURCES)}")
    data_dir = Path(data_dir)
    manifest = read_manifest(data_dir)
    con = duckdb.connect()
    files = sorted((data_dir / TABLE).glob("**/*.parquet"))
    if not files:
        raise InputError(data_dir / MANIFEST, "the ingested table has no rows: ingest some "
                         "downloads (or `make data` for the DEMO data) first")
    glob = str(data_dir / TABLE / "**" / "*.parquet").replace("'", "''")
    con.execute(f"CREATE VIEW all_trade AS SELECT * REPLACE (year::INTEGER AS year) "
                f"FROM read_parquet('{glob}', hive_partitioning=true)")
    has_real, has_demo = con.execute(
        "SELECT bool_or(NOT is_demo), bool_or(is_demo) FROM all_trade").fetchone()  # type: ignore[misc]
    if source == "auto":
        source = "real" if has_real else "demo"
    if source == "real" and not has_real:
        raise InputError("parameter data_source", "no real customs downloads are ingested: put "
                         "the platform's files in data/raw/gacc/ and run `make data`, or use "
                         "data_source='auto'")
    if source == "demo" and not has_demo:
        raise InputError("parameter data_source", "no DEMO rows are ingested: run `make data`")
    con.execute(f"CREATE VIEW trade AS SELECT * FROM all_trade WHERE is_demo = "
                f"{'true' if source == 'demo' else 'false'}")
    return TradeData(con, data_dir, source, manifest)


def inventory(data: TradeData) -> pd.DataFrame:
    """Rows and value by flow, year and data kind: what the notebooks can draw on."""
    return data.sql("""
        SELECT flow, year, CASE WHEN is_demo THEN 'DEMO' ELSE 'real' END AS data,
               count(*) AS rows, count(DISTINCT partner_code) AS partners,
               count(DISTINCT province_code) AS provinces,
               count(DISTINCT hs_code) AS hs_codes,
               round(sum(value_usd) / 1e6, 1) AS value_usd_million
        FROM all_trade GROUP BY ALL ORDER BY flow, year, data""")


def input_files(data: TradeData) -> pd.DataFrame:
    """The ingested files with checksums, from the manifest."""
    files = pd.DataFrame(data.manifest["files"])  # type: ignore[arg-type]
    columns = ["file", "flow", "rows", "encoding", "currency", "is_demo", "sha256"]
    frame = files[columns].copy()
    frame["sha256"] = frame["sha256"].str[:12] + "…"
    return frame


def monthly_totals(data: TradeData, province: str | None = None) -> pd.DataFrame:
    """Monthly value by flow (US$ million), for the chosen data kind; annual rows excluded."""
    where = "AND province = $province" if province else ""
    return data.sql(f"""
        SELECT flow, make_date(year, month, 1) AS month, sum(value_usd) / 1e6 AS value_usd_million
        FROM trade WHERE month IS NOT NULL {where}
        GROUP BY ALL ORDER BY flow, month""", **({"province": province} if province else {}))


# --- questions the customs notebooks ask -----------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """A notebook's validated parameters: which province, partner, flow and years."""

    province: str
    partner: str
    flow: str
    year: int
    base_year: int

    @property
    def partner_name(self) -> str:
        from helpers.codes import partner_table

        table = partner_table().dropna(subset=["iso3"])
        names = table.loc[table["iso3"] == self.partner, "name_en"]
        return str(names.iloc[0]) if len(names) else self.partner

    def describe(self) -> str:
        direction = "to" if self.flow == "export" else "from"
        return (f"{self.province}'s {self.flow}s {direction} {self.partner_name}, "
                f"{self.year} vs {self.base_year}")


def scope(province: object, partner: object, flow: object, year: object,
          base_year: object) -> Scope:
    """Validate and normalise the common notebook parameters, with messages that say the fix."""
    from helpers.codes import normalise_partner, normalise_province

    if flow not in ("export", "import"):
        raise InputError("parameter flow", f"unknown flow {flow!r}: use 'export' or 'import'")
    years = []
    for name, value in (("year", year), ("base_year", base_year)):
        try:
            number = int(str(value))
        except ValueError:
            raise InputError(f"parameter {name}", f"{value!r} is not a year: write e.g. 2020"
                             ) from None
        if not 1980 <= number <= 2100:
            raise InputError(f"parameter {name}", f"{number} is not a plausible year")
        years.append(number)
    if years[0] == years[1]:
        raise InputError("parameter base_year", "base_year must differ from year")
    return Scope(normalise_province(province), normalise_partner(partner), str(flow), *years)


#: Value in the base year and the year, US$ million, for queries with $base and $year bound.
_BOTH_YEARS = ("coalesce(sum(value_usd) FILTER (WHERE year = $base), 0) / 1e6 AS base_value, "
               "coalesce(sum(value_usd) FILTER (WHERE year = $year), 0) / 1e6 AS value")


def _with_growth(frame: pd.DataFrame) -> pd.DataFrame:
    from helpers.growth import growth_pct

    frame = frame.copy()
    frame["growth_pct"] = [growth_pct(n, b) for n, b in
                           zip(frame["value"], frame["base_value"], strict=True)]
    return frame


def partner_growth(data: TradeData, s: Scope) -> pd.DataFrame:
    """Value (US$ million) by partner in the year and the base year, with growth, largest first."""
    frame = data.sql(f"""
        SELECT partner_code, any_value(partner_iso3) AS partner_iso3,
               any_value(coalesce(partner_name_en, partner_name_zh)) AS partner,
               {_BOTH_YEARS}
        FROM trade WHERE province = $province AND flow = $flow AND year IN ($base, $year)
        GROUP BY partner_code ORDER BY value DESC, partner_code""",
        province=s.province, flow=s.flow, base=s.base_year, year=s.year)
    return _with_growth(frame)


def hs_prefix_totals(data: TradeData, s: Scope, prefixes: list[str]) -> pd.DataFrame:
    """Value by HS code prefix (2, 4, 6 or 8 digits) for the scope's partner and both years.

    A prefix matches every code that starts with it, so '9505' sums 95051000 and 95059000.
    """
    rows = []
    for prefix in prefixes:
        base, now = data.con.execute(f"""
            SELECT {_BOTH_YEARS}
            FROM trade WHERE province = $province AND flow = $flow AND partner_iso3 = $partner
              AND year IN ($base, $year) AND starts_with(hs_code, $prefix)""",
            {"province": s.province, "flow": s.flow, "partner": s.partner,
             "base": s.base_year, "year": s.year, "prefix": prefix}).fetchone()  # type: ignore[misc]
        rows.append({"hs": prefix, "base_value": base, "value": now})
    return _with_growth(pd.DataFrame(rows, columns=["hs", "base_value", "value"]))


def top_products(data: TradeData, s: Scope, level: int = 6, n: int = 10) -> pd.DataFrame:
    """The n largest products (HS codes cut to `level` digits) in the year, with growth."""
    frame = data.sql(f"""
        SELECT left(hs_code, $level) AS hs,
               {_BOTH_YEARS}
        FROM trade WHERE province = $province AND flow = $flow AND partner_iso3 = $partner
          AND year IN ($base, $year) AND hs_level >= $level
        GROUP BY 1 ORDER BY value DESC, hs LIMIT $n""",
        level=level, province=s.province, flow=s.flow, partner=s.partner, base=s.base_year,
        year=s.year, n=n)
    return _with_growth(frame)


def monthly(data: TradeData, s: Scope, hs_prefix: str = "") -> pd.DataFrame:
    """Every month of both years (US$ million, 0 where nothing was traded): year, month, value."""
    found = data.sql("""
        SELECT year, month, sum(value_usd) / 1e6 AS value FROM trade
        WHERE province = $province AND flow = $flow AND partner_iso3 = $partner
          AND year IN ($base, $year) AND month IS NOT NULL AND starts_with(hs_code, $prefix)
        GROUP BY ALL""", province=s.province, flow=s.flow, partner=s.partner, base=s.base_year,
        year=s.year, prefix=hs_prefix)
    grid = pd.DataFrame([(y, m) for y in sorted((s.base_year, s.year)) for m in range(1, 13)],
                        columns=["year", "month"])
    out = grid.merge(found.astype({"year": int, "month": int}), on=["year", "month"], how="left")
    out["value"] = out["value"].fillna(0.0)
    out["date"] = pd.to_datetime(dict(year=out["year"], month=out["month"], day=1))
    return out
