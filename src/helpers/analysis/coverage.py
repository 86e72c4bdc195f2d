"""Which periods the downloads cover for a flow and province: a month nobody downloaded is
missing, never zero.

Ingest records, per data kind, flow and province (or the national level), every period with any
rows (`coverage` in the manifest). A query for a province and two years asks here which months of
each year are there and whether each year's total is complete (an annual row, or all twelve
months). Totals of incomplete years are not computed, and every claim that needs a missing period
is filed `unverifiable` with the reason this module words ("December 2020 not in the downloads").

A download holds a query's products only: the platform asks which HS codes to include, and a
query of a few products sums to no partner's total. Which codes and chapters a scope's rows hold
in each year (`Products`, filled in by `analysis.trade.coverage` from the rows) tells a
selection from a whole: `total_gap` adds that reason for figures that sum every product.

The national scope (province "China") uses national rows (downloads without a province column)
for the years that have them, else the sum over the provinces ingested; a year is complete only
if every one of those provinces is complete in it.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from helpers.ingest.codes import NATIONAL

Entry = dict[str, object]

#: A download's year (every partner's rows of the scope) in fewer HS chapters than this is
#: taken for a query of selected products. Why 10: the SCMP's query named 4 products in 4
#: chapters; a province's whole trade spans dozens of the 97 chapters (DEMO's: 21 to 27 for
#: one partner), and a selection is typically a handful. Counted over every partner, since a
#: small partner's whole trade may lie in a few (one query of every product: Belgium 6, the US
#: 32). The cost of a threshold this low is that a selection of 10 chapters or more passes
#: unseen; of one at all, that a download of one small partner only is filed `unverifiable`:
#: a check lost, never a false `differs`. Ingest refuses downloads without 商品编码, so every
#: row has an HS code to count.
MIN_CHAPTERS = 10


@dataclass(frozen=True)
class Products:
    """Which HS codes a download's rows of the scope hold in one year (every partner's): how
    many, and their 2-digit chapters."""

    codes: int
    chapters: tuple[str, ...]

    @property
    def selection(self) -> bool:
        """Too few chapters for a download of every product (see MIN_CHAPTERS)."""
        return self.codes > 0 and len(self.chapters) < MIN_CHAPTERS

    def __str__(self) -> str:
        codes = f"{self.codes} HS code{'s' if self.codes != 1 else ''}"
        chapters = f"{len(self.chapters)} chapter{'s' if len(self.chapters) != 1 else ''}"
        return f"{codes} in {chapters}"


def _months_in(periods: Iterable[str], year: int) -> set[int]:
    return {int(p[5:]) for p in periods if len(p) == 7 and p.startswith(f"{year}-")}


def _has_annual(periods: Iterable[str], year: int) -> bool:
    return str(year) in set(periods)


def _month_list(months: Sequence[int], year: int) -> str:
    names = [calendar.month_name[m] for m in sorted(months)]
    if len(names) > 4:
        names = [*names[:3], f"... ({len(names)} months)"]
    return f"{', '.join(names)} {year}"


def holes(periods: Iterable[str]) -> list[str]:
    """Months ('YYYY-MM') missing from the calendar years that have any monthly rows: a download
    of January to November lacks December, whatever the reason."""
    months = {p for p in periods if len(p) == 7}
    years = sorted({int(p[:4]) for p in months})
    return [f"{y}-{m:02d}" for y in years for m in range(1, 13) if f"{y}-{m:02d}" not in months]


def _annual_only(year: int, months: Sequence[int]) -> str:
    """Why months of a year held only as annual figures have none: the months asked for are
    named (all twelve for a year's peak month), not only the first of them."""
    which = ("its months" if len(set(months)) == 12
             else _month_list(months, year).removesuffix(f" {year}"))
    return (f"{year} has only annual figures (no 数据年月 / Date of data column): "
            f"{which} cannot be told apart")


def _where(entry: Entry) -> str:
    return str(entry["province"]) if entry["province"] else "national"


@dataclass
class ScopeCoverage:
    """What the downloads hold for one flow and province in the years a notebook compares."""

    flow: str
    province: str
    source: str  # which rows serve the scope, in words
    national_years: tuple[int, ...] = ()  # national scope: years taken from national rows
    months: dict[int, set[int]] = field(default_factory=dict)  # year -> months with rows
    complete: dict[int, bool] = field(default_factory=dict)  # year -> its total is computable
    why: dict[int, str] = field(default_factory=dict)  # year -> why its total is not
    unconverted: dict[int, set[int]] = field(default_factory=dict)  # held, but no ECB rate
    empty_reason: str | None = None  # why the scope has no rows at all, when it has none
    basis: tuple[str, ...] = ()  # how the rows place trade in the province (registration, ...)
    products: dict[int, Products] = field(default_factory=dict)  # year -> HS codes held
    scope_words: str = ""  # "Xinjiang's exports (every partner)", for the reasons

    def year_gap(self, year: int) -> str | None:
        """Why the year's total cannot be computed, or None when it can."""
        if self.complete.get(year, False):
            return None
        return self.why.get(year) or f"no rows for {year} in the downloads"

    def month_gap(self, year: int, month: int) -> str | None:
        """Why the month has no figure, or None when the downloads cover it."""
        if month in self.months.get(year, set()):
            return None
        if self.empty_reason:
            return self.empty_reason
        if not self.months.get(year) and self.why.get(year):  # the whole year is out
            return self.why[year]
        if month in self.unconverted.get(year, set()):
            return (f"no ECB rate to convert the yuan of {calendar.month_name[month]} {year} "
                    "(outside the rates' dates)")
        if self.complete.get(year):  # complete through annual rows only
            return _annual_only(year, [month])
        return f"{calendar.month_name[month]} {year} not in the downloads"

    def gap(self, periods: Iterable[str]) -> str | None:
        """Why any of `periods` ('2020' for a whole year, '2020-12') is missing, naming every
        missing month ("July, December 2020 not in the downloads"), or None."""
        if self.empty_reason:
            return self.empty_reason
        reasons: list[str] = []
        missing: dict[int, list[int]] = {}
        for period in periods:
            year, _, month = period.partition("-")
            if not month:
                reason = self.year_gap(int(year))
                if reason and reason not in reasons:
                    reasons.append(reason)
            elif self.month_gap(int(year), int(month)):
                missing.setdefault(int(year), []).append(int(month))
        for year, months in sorted(missing.items()):
            absent = [m for m in months if m not in self.unconverted.get(year, set())]
            if self.complete.get(year) and not self.months.get(year):
                reason = _annual_only(year, months)
            elif self.complete.get(year) or not absent or not self.months.get(year):
                reason = self.month_gap(year, months[0])  # one reason covers them all
            else:
                reason = f"{_month_list(absent, year)} not in the downloads"
            if reason and reason not in reasons:
                reasons.append(reason)
        return "; ".join(reasons) or None

    def selection_gap(self, years: Iterable[int]) -> str | None:
        """Why the rows of `years` cannot give a total of all products, or None: they hold too
        few HS chapters to be more than a query of selected products (MIN_CHAPTERS). A year
        whose products are not known (coverage from the manifest alone) gives no reason."""
        held = {y: self.products[y] for y in sorted(set(years))
                if y in self.products and self.products[y].selection}
        if not held:
            return None
        alike: dict[Products, list[int]] = {}
        for year, found in held.items():
            alike.setdefault(found, []).append(year)
        words = self.scope_words or f"{self.province} {self.flow}s"
        said = "; ".join(f"{found} for {words} in {' and '.join(map(str, ys))} "
                         f"({', '.join(found.chapters)})" for found, ys in alike.items())
        return (f"the downloads hold only {said}: too few for a total of all products (a query "
                "of selected products?); a total needs the query with every product (no HS "
                "code chosen)")

    def total_gap(self, periods: Iterable[str]) -> str | None:
        """`gap`, for a figure that sums every product (a partner's total or growth, a
        product's share of the total, the monthly totals): also a query of selected products.
        A product's own value or growth needs `gap` only."""
        periods = list(periods)
        return self.gap(periods) or self.selection_gap(int(p[:4]) for p in periods)

    def note(self) -> str:
        """One line per year for the notebook: what the downloads cover."""
        lines = [f"coverage: {self.source}"]
        for year in sorted(self.complete):
            got = self.months.get(year, set())
            if self.complete[year] and len(got) == 12:
                lines.append(f"  {year}: all 12 months")
            elif self.complete[year]:
                lines.append(f"  {year}: annual figures only")
            else:
                lines.append(f"  {year}: {len(got)} of 12 months; {self.year_gap(year)}")
        selection = self.selection_gap(self.complete)
        if selection:  # never on DEMO data, which holds every chapter
            lines.append(f"  products: {selection}")
        return "\n".join(lines)


@dataclass
class _Unit:
    """What one province (or the national level) holds for the scope: periods with rows, and
    periods whose yuan no ECB rate converts."""

    where: str
    periods: set[str]
    unconverted: set[str]
    basis: set[str]


def merged(entries: Sequence[Entry]) -> list[Entry]:
    """Per-file entries merged per data kind, flow and province: what any file holds."""
    out: dict[tuple[object, ...], Entry] = {}
    for e in entries:
        key = (e["is_demo"], e["flow"], e["province"])
        into = out.setdefault(key, {**e, "periods": set(), "unconverted": set(), "basis": set()})
        for name in ("periods", "unconverted", "basis"):
            into[name] |= set(e.get(name) or [])  # type: ignore[operator]
    return [{**e, **{n: sorted(e[n]) for n in ("periods", "unconverted", "basis")}}  # type: ignore[call-overload]
            for e in out.values()]


def _units(entries: Sequence[Entry], partner_codes: set[str] | None,
           file_partners: Mapping[str, Collection[str]] | None = None) -> dict[str | None, _Unit]:
    """Entries merged per province (None: national), keeping only the files that hold one of
    `partner_codes` (None: every file): a download covers its months for its partners only."""
    units: dict[str | None, _Unit] = {}
    for e in entries:
        held = (file_partners or {}).get(str(e.get("file")))
        if partner_codes is not None and held is not None and partner_codes.isdisjoint(held):
            continue
        key = e["province"]  # type: ignore[assignment]
        unit = units.setdefault(key, _Unit(_where(e), set(), set(), set()))  # type: ignore[arg-type]
        unit.periods |= set(e["periods"])  # type: ignore[arg-type]
        unit.unconverted |= set(e.get("unconverted") or [])  # type: ignore[arg-type]
        unit.basis |= set(e["basis"])  # type: ignore[arg-type]
    return units


def _in_year(unit: _Unit, year: int) -> bool:
    return bool(_months_in(unit.periods, year)) or _has_annual(unit.periods, year)


def scope_coverage(entries: Sequence[Entry], flow: str, province: str, years: Sequence[int],
                   label: str = "downloads", partner_codes: set[str] | None = None,
                   file_partners: Mapping[str, Collection[str]] | None = None,
                   partner_label: str = "") -> ScopeCoverage:
    """The coverage of `flow` for `province` (an English name, or NATIONAL) in `years`, for the
    partner whose GACC codes are `partner_codes` (None: any partner), given which partners each
    file holds (`file_partners`, from the manifest)."""
    units = _units([e for e in entries if e["flow"] == flow], partner_codes, file_partners)
    national_years: tuple[int, ...] = ()
    bases: tuple[str, ...] = ()
    if province == NATIONAL:
        national = units.get(None)
        provinces = [u for k, u in units.items() if k is not None
                     and any(_in_year(u, y) for y in years)]
        national_years = tuple(y for y in years if national and _in_year(national, y))
        per_year = {y: ([national] if y in national_years and national else provinces)
                    for y in years}
        source = _national_source(national_years, years, provinces, flow)
    else:
        found = [units[province]] if province in units else []
        per_year = {y: found for y in years}
        bases = tuple(sorted({b for u in found for b in u.basis}))
        source = f"{province} {flow}s" + (f" (province by {', '.join(bases)})" if bases else "")
    cov = ScopeCoverage(flow, province, source, national_years, basis=bases)
    for year in years:
        _fill_year(cov, year, per_year[year])
    if province == NATIONAL:
        for year in years:  # a sum over some provinces is no national figure
            held = sorted({u.where for u in per_year[year] if _in_year(u, year)})
            if year not in national_years and 0 < len(held) < PROVINCES:
                cov.complete[year], cov.months[year] = False, set()
                cov.why[year] = (
                    f"{year} has no national rows and only {len(held)} of {PROVINCES} provinces "
                    f"({', '.join(held[:5])}{', ...' if len(held) > 5 else ''}): their sum is "
                    "not China's total; ingest national downloads (no province column) or "
                    "every province")
    if national_years and len(national_years) < len(set(years)):
        for year in years:  # national rows one year, a sum over some provinces the other
            if year not in national_years:
                cov.complete[year], cov.months[year] = False, set()
                cov.why[year] = (f"{year} has no national rows, only provinces' rows: not "
                                 f"comparable with the national rows of "
                                 f"{', '.join(map(str, national_years))}")
    if not any(_in_year(u, y) for y in years for u in per_year[y]):
        cov.empty_reason = why_no_rows(entries, flow, province, years, label)
        anyone = _units([e for e in entries if e["flow"] == flow], None, file_partners)
        held = anyone.get(province) if province != NATIONAL else anyone
        if partner_codes is not None and held:
            who = partner_label or ", ".join(sorted(partner_codes))
            cov.empty_reason = (f"no rows for partner {who} in the {label}: its trade was not "
                                "downloaded, or there was none")
        for year in years:
            cov.why[year] = cov.empty_reason
    return cov


#: Provinces (province-level divisions) in the platform's registration-place list.
PROVINCES = 31


def _national_source(national_years: Sequence[int], years: Sequence[int],
                     provinces: Sequence[_Unit], flow: str) -> str:
    summed = [y for y in years if y not in national_years]
    parts = []
    if national_years:
        parts.append(f"national rows (downloads without a province column) for "
                     f"{', '.join(map(str, national_years))}")
    if summed:
        names = sorted({u.where for u in provinces})
        years_said = ", ".join(map(str, summed))
        parts.append(f"the sum over the {PROVINCES} provinces for {years_said}"
                     if len(names) >= PROVINCES else
                     f"no national figure for {years_said}: no national rows, and only "
                     f"{len(names)} of {PROVINCES} provinces ingested")
    return f"China's {flow}s: " + "; ".join(parts)


def _fill_year(cov: ScopeCoverage, year: int, units: Sequence[_Unit]) -> None:
    if not units:
        cov.months[year], cov.complete[year] = set(), False
        return
    months = [_months_in(u.periods - u.unconverted, year) for u in units]
    annual = [_has_annual(u.periods - u.unconverted, year) for u in units]
    cov.months[year] = set.intersection(*months)
    cov.unconverted[year] = set().union(*(_months_in(u.unconverted, year) for u in units))
    cov.complete[year] = all(a or len(m) == 12 for a, m in zip(annual, months, strict=True))
    reasons = []
    for unit, got, has_year in zip(units, months, annual, strict=True):
        if has_year or len(got) == 12:
            continue
        held = _months_in(unit.periods, year)
        missing = [] if _has_annual(unit.periods, year) else [
            m for m in range(1, 13) if m not in held]
        unconverted = sorted(_months_in(unit.unconverted, year))
        texts = []
        if missing:
            texts.append(f"no rows for {year} in the downloads" if not held
                         else f"{_month_list(missing, year)} not in the downloads")
        if unconverted or (str(year) in unit.unconverted):
            texts.append(f"no ECB rate to convert the yuan of "
                         f"{_month_list(unconverted, year) if unconverted else year} "
                         "(outside the rates' dates)")
        text = "; ".join(texts)
        reasons.append(f"{unit.where}: {text}" if len(units) > 1 else text)
    if reasons:
        cov.why[year] = "; ".join(reasons[:3]) + (
            f"; and {len(reasons) - 3} more province(s)" if len(reasons) > 3 else "")


def why_no_rows(entries: Sequence[Entry], flow: str, province: str, years: Sequence[int],
                label: str = "downloads") -> str:
    """Why a scope finds no rows, in words a user can act on."""
    mine = [e for e in entries if e["flow"] == flow]
    if not mine:
        others = sorted({str(e["flow"]) for e in entries})
        return (f"no {flow}s in the ingested {label}" +
                (f" (only {', '.join(o + 's' for o in others)})" if others else ""))
    where = "China" if province == NATIONAL else province
    found = mine if province == NATIONAL else [e for e in mine if e["province"] == province]
    if not found:
        names = sorted({str(e["province"]) for e in mine if e["province"]})
        if not names:
            return (f"no rows for {where} {flow}s: the ingested {flow}s are national (no "
                    f"province column); set province = 'China' for the national figure")
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        national = " and national rows" if any(e["province"] is None for e in mine) else ""
        return f"no rows for {where} {flow}s: the ingested {flow}s cover {shown}{national}"
    periods = sorted(str(p) for e in found for p in e["periods"])  # type: ignore[union-attr]
    return (f"no rows for {where} {flow}s in {' or '.join(map(str, sorted(set(years))))}: the "
            f"{label} cover {periods[0]} to {periods[-1]}")
