"""Read the ingested customs table and answer the notebooks' questions with small frames.

Notebooks never read parquet themselves: they ask here, so the choice between real downloads
and DEMO rows is made in one place and always reported with the result. The questions are Ibis
expressions from `helpers.analysis.panel`, so the same notebook runs on DuckDB (default) or on Spark
(`HELPERS_BACKEND=spark`), with identical numbers.

Every answer respects coverage (helpers.analysis.coverage): a month no download holds comes back
as missing (NaN), and so does the total of a year with a month missing; province "China" is the
national scope.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path

import ibis.expr.types as ir
import pandas as pd

from helpers.analysis import panel
from helpers.analysis.conversion import Conversion
from helpers.analysis.coverage import Products, ScopeCoverage, scope_coverage
from helpers.analysis.freshness import Opened
from helpers.claims.evidence import Evidence
from helpers.errors import InputError
from helpers.ingest.codes import NATIONAL

DATA_SOURCES = ("auto", "real", "demo")
CENTS_PER_MILLION = 100 * 1_000_000
#: Files a claims row names by name; the rest are counted (all are in the manifest).
FILES_NAMED = 5


@dataclass
class TradeData:
    """The processed table on one backend, restricted to real or DEMO rows.

    The table is read through a file pattern each query expands again, and what it covers comes
    from the manifest read at open: after a re-ingest (`make data` in another terminal while a
    notebook is open) the two would disagree, and a month whose file was removed summed to 0
    instead of missing. So every use checks that the manifest still describes the same table
    (helpers.analysis.freshness; an InputError otherwise: run the notebook again).
    """

    _table: ir.Table  # rows of the chosen kind only
    _everything: ir.Table  # real and DEMO rows, for the inventory
    data_dir: Path
    source: str  # 'real' or 'demo' after resolving 'auto'
    backend: str
    _manifest: dict[str, object]
    _opened: Opened  # the manifest as it was at open
    #: (flow, province, years) -> {year: the HS codes and chapters held} (_products_held)
    _products: dict[tuple[object, ...], dict[int, Products]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def check_current(self) -> None:
        """Raise InputError if the folder was ingested again, with other contents, since."""
        self._opened.check()

    @property
    def table(self) -> ir.Table:
        self.check_current()
        return self._table

    @property
    def everything(self) -> ir.Table:
        self.check_current()
        return self._everything

    @property
    def manifest(self) -> dict[str, object]:
        self.check_current()
        return self._manifest

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"

    @property
    def evidence(self) -> Evidence:
        """What a value computed on these rows can be: DEMO rows only ever give `demo`."""
        return Evidence("demo" if self.is_demo else "customs download", self.provenance)

    @cached_property
    def provenance(self) -> str:
        """Which files the rows of the chosen kind come from, for a claims row: their count,
        the first names and one digest of every (file, sha256) pair, so that two claims.csv
        can be told to rest on the same inputs or not (manifest.json lists each file)."""
        files = sorted((str(f["file"]), str(f.get("sha256") or ""))
                       for f in self.manifest["files"]  # type: ignore[union-attr]
                       if bool(f.get("is_demo")) == self.is_demo and not f.get("header_only"))
        digest = hashlib.sha256("".join(f"{n}\t{h}\n" for n, h in files).encode()).hexdigest()
        names = ", ".join(n for n, _ in files[:FILES_NAMED])
        more = f" and {len(files) - FILES_NAMED} more" if len(files) > FILES_NAMED else ""
        return (f"{self.label}: {len(files)} file{'s' * (len(files) != 1)} ({names}{more}); "
                f"inputs sha256 {digest[:16]}, each file's in {self.data_dir.name}/manifest.json")

    @property
    def label(self) -> str:
        """Words for titles and captions: says DEMO whenever the numbers are synthetic."""
        return "DEMO data (synthetic)" if self.is_demo else "GACC customs downloads"

    @cached_property
    def file_partners(self) -> dict[str, frozenset[str]]:
        """The partner codes each ingested file holds: the partners its months cover. Read once:
        a partner table asks for every partner's coverage."""
        return {str(f["file"]): frozenset(f.get("partners") or [])  # type: ignore[call-overload]
                for f in self.manifest["files"]}  # type: ignore[union-attr]

    @cached_property
    def coverage_entries(self) -> list[dict[str, object]]:
        """The manifest's coverage records for the chosen kind of data (real or DEMO)."""
        return [e for e in self.manifest["coverage"]  # type: ignore[union-attr]
                if bool(e["is_demo"]) == self.is_demo]


def open_trade(data_dir: str | Path, source: str = "auto", backend: str | None = None
               ) -> TradeData:
    """Open `data_dir` (the ingest output) and choose real or DEMO rows.

    'auto' takes real rows whenever any exist (a user who dropped platform downloads into
    data/raw/ wants them used) and falls back to DEMO; it never mixes the two. `backend` is
    duckdb or spark (default: HELPERS_BACKEND, else duckdb).
    """
    if source not in DATA_SOURCES:
        raise InputError("parameter data_source", f"unknown data source {source!r}: use one of "
                         f"{', '.join(DATA_SOURCES)}")
    data_dir = Path(data_dir)
    opened, manifest = Opened.read(data_dir)
    if "coverage" not in manifest or any("file" not in e for e in manifest["coverage"]):  # type: ignore[union-attr]
        raise InputError(data_dir, "this folder was ingested by an older version that did not "
                         "record which months the downloads cover: run `make data` again")
    name = panel.backend_name(backend)
    everything = panel.open_panel(data_dir, name)
    kinds = set(panel.totals(everything, ["is_demo"])["is_demo"].astype(bool))
    if source == "auto":
        source = "real" if False in kinds else "demo"
    if source == "real" and False not in kinds:
        raise InputError("parameter data_source", "no real customs downloads are ingested: put "
                         "the platform's files in data/raw/gacc/ and run `make data`, or use "
                         "data_source='auto'")
    if source == "demo" and True not in kinds:
        raise InputError("parameter data_source", "no DEMO rows are ingested: run `make data`")
    table = everything.filter(everything.is_demo == (source == "demo"))
    data = TradeData(table, everything, data_dir, source, name, manifest, opened)
    data.check_current()  # not ingested again while it was being opened
    return data



def million(cents: pd.Series) -> pd.Series:
    return cents.astype("float64") / CENTS_PER_MILLION


def monthly_rows(data: TradeData) -> ir.Table:
    """Monthly rows only: annual queries have no month and would count a year as one month."""
    return data.table.filter(data.table.month.notnull())


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
        from helpers.ingest.codes import partner_table

        table = partner_table().dropna(subset=["iso3"])
        names = table.loc[table["iso3"] == self.partner, "name_en"]
        return str(names.iloc[0]) if len(names) else self.partner

    @property
    def route(self) -> str:
        """Which way the goods went: 'from United States to Xinjiang' for imports."""
        ends = (self.province, self.partner_name)
        return "from {} to {}".format(*(ends if self.flow == "export" else ends[::-1]))

    def describe(self) -> str:
        direction = "to" if self.flow == "export" else "from"
        return (f"{self.province}'s {self.flow}s {direction} {self.partner_name}, "
                f"{self.year} vs {self.base_year}")


def scope(province: object, partner: object, flow: object, year: object,
          base_year: object) -> Scope:
    """Validate and normalise the common notebook parameters, with messages that say the fix."""
    from helpers.ingest.codes import normalise_partner, normalise_province

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


def _gacc_codes(iso3: str) -> set[str]:
    from helpers.ingest.codes import partner_table

    table = partner_table()
    return set(table.loc[table["iso3"] == iso3, "gacc_code"])


def _period_coverage(data: TradeData, s: Scope, codes: set[str], label: str) -> ScopeCoverage:
    """Which periods the manifest says the downloads hold for the partner's GACC `codes`."""
    return scope_coverage(data.coverage_entries, s.flow, s.province,
                          sorted({s.base_year, s.year}), data.label, codes, data.file_partners,
                          label)


def coverage(data: TradeData, s: Scope, partner_code: str | None = None) -> ScopeCoverage:
    """Which months of the scope's two years the downloads hold for the scope's partner (or the
    partner with GACC code `partner_code`), which years' totals are complete, and which HS codes
    every partner's rows hold each year (a query of a few products is no partner's total)."""
    codes = {partner_code} if partner_code else _gacc_codes(s.partner)
    cov = _period_coverage(data, s, codes, partner_code or s.partner)
    cov.products.update(_products_held(data, s))
    cov.scope_words = f"{s.province}'s {s.flow}s (every partner)"
    return cov


def _products_held(data: TradeData, s: Scope) -> dict[int, Products]:
    """Year -> the HS codes and chapters of the scope's flow and province, every partner's rows
    together: a selection is told from the download, not from one partner, whose whole trade
    may lie in a few chapters (Belgium's in 6 beside the US's 32 in one query of every
    product). One query per scope, kept on `data`: a partner table asks every partner's."""
    key = (s.flow, s.province, s.base_year, s.year)
    if key not in data._products:
        found = panel.totals(data.table, ["year"], hs_level=2, distinct=["hs_code"],
                             year=[s.base_year, s.year],
                             **_scope_filters(data, s, by_partner=False))
        chapters: dict[int, dict[str, int]] = {y: {} for y in (s.base_year, s.year)}
        for r in found.itertuples():
            chapters[int(r.year)][str(r.hs)] = int(r.n_hs_code)
        data._products[key] = {y: Products(sum(c.values()), tuple(sorted(c)))
                               for y, c in chapters.items()}
    return data._products[key]


def coverage_of(data: TradeData, s: Scope) -> Callable[[str], ScopeCoverage]:
    """coverage_of(iso3) -> the scope's coverage for that partner (claims of other partners)."""
    return lambda iso3: coverage(data, replace(s, partner=iso3))


def _in_millions(frame: pd.DataFrame, data: TradeData, s: Scope) -> pd.DataFrame:
    """A panel growth frame with its cents as US$ million (base_value, value); a year whose
    total the downloads do not cover completely is missing (NaN), and so is its growth.
    A frame by partner is judged partner by partner (a download of one partner covers no other).
    """
    frame["base_value"] = million(frame.pop("base_cents"))
    frame["value"] = million(frame.pop("cents"))
    growth = frame.pop("growth_pct")
    if "partner_code" in frame:
        gaps = {c: coverage(data, s, c) for c in frame["partner_code"].dropna().unique()}
        for column, year in (("base_value", s.base_year), ("value", s.year)):
            missing = frame["partner_code"].map(lambda c, y=year: c not in gaps
                                                or gaps[c].year_gap(y) is not None)
            frame.loc[missing.astype(bool), column] = float("nan")
            growth = growth.where(~missing.astype(bool))
    else:
        cov = coverage(data, s)
        for column, year in (("base_value", s.base_year), ("value", s.year)):
            if cov.year_gap(year):
                frame[column] = float("nan")
                growth = growth * float("nan")
    frame["growth_pct"] = growth  # last, as the notebooks show it
    return frame


def totals_note(table: pd.DataFrame, s: Scope, cov: ScopeCoverage) -> str:
    """The two years' totals of a partner_growth table, or why a year has none."""
    if cov.empty_reason:
        return cov.empty_reason
    parts = []
    for column, year in (("value", s.year), ("base_value", s.base_year)):
        gap = cov.year_gap(year)
        partial = int(table[column].isna().sum())
        if not gap and partial:
            gap = (f"{partial} partner(s) downloaded on their own lack months of it (NaN in "
                   "the table)")
        parts.append(f"{year} not totalled: {gap}" if gap
                     else f"{table[column].sum():,.1f} in {year}")
    return "total " + ", ".join(parts) + " (US$ million)"


def _scope_filters(data: TradeData, s: Scope, by_partner: bool = True) -> dict[str, object]:
    """Keyword filters for panel queries: flow, partner, and the province's rows. The national
    scope takes national rows in the years that have them and all provinces' rows otherwise."""
    filters: dict[str, object] = {"flow": s.flow}
    if s.province == NATIONAL:
        years = list(_period_coverage(data, s, _gacc_codes(s.partner), s.partner).national_years)
        if not years:
            filters["predicate"] = lambda t: t.province_code.notnull()
        elif set(years) >= {s.year, s.base_year}:
            filters["predicate"] = lambda t: t.province_code.isnull()
        else:
            filters["predicate"] = lambda t: ((t.year.isin(years) & t.province_code.isnull())
                                              | (~t.year.isin(years) & t.province_code.notnull()))
    else:
        filters["province"] = s.province
    return filters | ({"partner_iso3": s.partner} if by_partner else {})


def partner_growth(data: TradeData, s: Scope) -> pd.DataFrame:
    """Value (US$ million) by partner in the year and the base year, with growth, largest first.

    A year the downloads do not fully cover has NaN values: its total would be too low.
    """
    keys = ["partner_code", "partner_iso3", "partner_name_en", "partner_name_zh"]
    frame = panel.growth(data.table, keys, s.year, s.base_year, **_scope_filters(data, s, False))
    frame.insert(2, "partner", frame.pop("partner_name_en").fillna(frame["partner_name_zh"]))
    frame = _in_millions(frame.drop(columns=["partner_name_zh"]), data, s)
    return frame.sort_values(["value", "base_value", "partner_code"],
                             ascending=[False, False, True], ignore_index=True)


def partner_values(table: pd.DataFrame, s: Scope, cov: ScopeCoverage
                   ) -> tuple[float, float, str | None]:
    """The scope partner's value in the year and the base year (US$ million) from
    `partner_growth`'s table, and why either is missing or the growth undefined (else None).

    A partner the downloads cover but hold no rows for traded nothing: 0, not missing.
    """
    mine = table[table["partner_iso3"] == s.partner]
    gap = cov.total_gap([str(s.base_year), str(s.year)])  # a query of a few products: no total
    if mine.empty:
        if gap:
            return math.nan, math.nan, gap
        direction = "to" if s.flow == "export" else "from"
        return 0.0, 0.0, (f"no {s.flow}s {direction} {s.partner_name} in either year: "
                          "growth undefined")
    value, base = (float(mine[c].sum(min_count=1)) for c in ("value", "base_value"))
    if gap:
        return value, base, gap
    return value, base, (f"nothing in {s.base_year}: growth undefined" if base == 0 else None)


def _codes_shorter_than(data: TradeData, s: Scope, length: int) -> set[str]:
    """HS codes in the scope held at fewer than `length` digits."""
    filters = _scope_filters(data, s)
    scope_predicate = filters.pop("predicate", None)

    def shorter(t: ir.Table) -> ir.BooleanValue:
        test = t.hs_level < length
        return test & scope_predicate(t) if scope_predicate else test

    found = panel.totals(data.table, ["hs_code"], predicate=shorter,
                         year=[s.base_year, s.year], **filters)
    return set(found["hs_code"])


def hs_prefix_totals(data: TradeData, s: Scope, prefixes: list[str]) -> pd.DataFrame:
    """Value by HS code prefix (any number of digits, as typed) for the scope's partner and both
    years, with a `note` where the downloads cannot resolve the prefix.

    A prefix matches every code that starts with it, so '9505' sums 95051000 and 95059000. A
    prefix finer than the downloads (29171 where they hold 2917 only) is missing, not zero.
    """
    frame = _in_millions(panel.prefix_growth(data.table, prefixes, s.year, s.base_year,
                                             **_scope_filters(data, s)), data, s)
    coarse = _codes_shorter_than(data, s, max((len(p) for p in prefixes), default=0))
    notes = []
    for prefix in frame["hs"]:
        held = sorted(c for c in coarse if len(c) < len(prefix) and prefix.startswith(c))
        notes.append(f"the downloads hold HS {held[0]} ({len(held[0])} digits), not finer"
                     if held else "" if _any_rows(data, s, prefix) else
                     f"no rows with HS {prefix} for any partner in the downloads (a query of "
                     "other products?)")
    frame["note"] = notes
    unresolved = frame["note"] != ""
    frame.loc[unresolved, ["base_value", "value", "growth_pct"]] = float("nan")
    return frame


def _any_rows(data: TradeData, s: Scope, prefix: str) -> bool:
    """Whether any partner has rows under an HS prefix in the scope's flow, province and years:
    if none does, the downloads were probably a query of other products, not a zero."""
    rows = panel.where(data.table, prefix, year=[s.base_year, s.year],
                       **_scope_filters(data, s, by_partner=False))
    return int(rows.count().execute()) > 0


def levels_note(data: TradeData, s: Scope, level: int) -> str:
    """Why a table of HS codes cut to `level` digits is empty, or '' when it should not be."""
    found = panel.totals(data.table, ["hs_level"], year=[s.base_year, s.year],
                         **_scope_filters(data, s))
    if found.empty:
        return coverage(data, s).empty_reason or "no rows for this scope"
    deepest = int(found["hs_level"].max())
    return (f"the downloads hold HS codes of at most {deepest} digits: nothing to show at "
            f"{level} digits" if deepest < level else "")


def top_products(data: TradeData, s: Scope, level: int = 6, n: int = 10) -> pd.DataFrame:
    """The n largest products (HS codes cut to `level` digits) in the year, with growth."""
    frame = panel.growth(data.table, [], s.year, s.base_year, hs_level=level,
                         **_scope_filters(data, s))
    frame = frame.sort_values(["cents", "hs"], ascending=[False, True]).head(n)
    return _in_millions(frame.reset_index(drop=True), data, s)


def conversion(data: TradeData, s: Scope) -> Conversion:
    """Which of the scope's periods (both years, the scope's partner) were converted from yuan,
    and at which rate: claims in dollars computed on converted rows are filed as the interval
    the platform's dollars could give. The partner's own rows only: a yuan file of Germany's
    beside a dollar file of the US's turned every US claim into an interval, and said its
    dollars were converted from yuan."""
    found = panel.totals(data.table, ["year", "month", "currency_reported", "fx_cny_per_usd"],
                         year=[s.base_year, s.year], **_scope_filters(data, s))
    yuan = found[found["currency_reported"] == "CNY"]
    return Conversion.of(
        (int(r.year), None if pd.isna(r.month) else int(r.month), float(r.fx_cny_per_usd))
        for r in yuan.itertuples())


def conversion_of(data: TradeData, s: Scope) -> Callable[[str], Conversion]:
    """conversion_of(iso3) -> the scope's conversion for that partner (claims of other
    partners), each computed once."""
    return cache(lambda iso3: conversion(data, replace(s, partner=iso3)))


def monthly(data: TradeData, s: Scope, hs_prefix: str = "") -> pd.DataFrame:
    """Every month of both years: year, month, value (US$ million), date.

    0 where the downloads hold the month but nothing matched; NaN (missing) where they do not
    hold the month at all, so charts show a gap and no minimum lands on a month nobody loaded.
    """
    found = panel.totals(monthly_rows(data), ["year", "month"], hs_prefix=hs_prefix,
                         year=[s.base_year, s.year], **_scope_filters(data, s))
    found = pd.DataFrame({"year": found["year"].astype(int), "month": found["month"].astype(int),
                          "value": million(found["cents"])})
    grid = pd.DataFrame([(y, m) for y in sorted((s.base_year, s.year)) for m in range(1, 13)],
                        columns=["year", "month"])
    out = grid.merge(found, on=["year", "month"], how="left")
    cov = coverage(data, s)
    held = [m in cov.months.get(y, set()) for y, m in zip(out["year"], out["month"], strict=True)]
    if hs_prefix and any(len(c) < len(hs_prefix) and hs_prefix.startswith(c)
                         for c in _codes_shorter_than(data, s, len(hs_prefix))):
        held = [False] * len(out)  # the downloads hold the code only coarser: not resolvable
    out["value"] = out["value"].fillna(0.0).where(held)
    out["date"] = pd.to_datetime(dict(year=out["year"], month=out["month"], day=1))
    return out
