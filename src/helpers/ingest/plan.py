"""Plan an ingest: which files, and for each its flow, period and whether it is DEMO.

Everything here is decided before any data row is read, from the file's header and name, so
that a wrong guess is refused with a fix before a multi-GB scan starts. Nothing is guessed from a
stray word or number in a file name:
- the flow comes from `--flow` or a name that says exports or imports, never from a name that
  says both (进出口, "import and export", "total trade");
- a month comes from a name only as an explicit period (202010, 2020-10, 2020年10月), a year only
  as four digits standing alone;
- DEMO-ness comes from the DEMO generator's own marker column, not from the word "demo".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from helpers.errors import InputError
from helpers.ingest import dates, month_mentions, periods
from helpers.ingest.readers import Sniffed, sniff

#: What a folder is searched for: openpyxl reads a macro-enabled workbook (.xlsm) as a .xlsx.
INPUT_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xlsm"}
#: Spreadsheets the reader cannot open: refused, never skipped (a page left out would drop its
#: partners from every total).
UNREAD_SPREADSHEETS = {
    ".xls": "an Excel 97-2003 workbook (.xls)", ".xlsb": "an Excel binary workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)", ".et": "a WPS spreadsheet (.et)",
    ".numbers": "an Apple Numbers spreadsheet (.numbers)"}
#: Files beside the downloads that ingest passes over without a word: their documentation
#: (README*, LICENSE*, *.md) and what the system leaves there.
_QUIET = re.compile(r"(?:readme|licen[cs]e)|.*\.md$|thumbs\.db$|desktop\.ini$", re.IGNORECASE)


@dataclass
class InputFile:
    """One input file with everything decided about it before any data is read."""

    path: Path
    label: str  # how it is named in the output: relative to the folder given, else the name
    #: What the file's head says; None until first needed for a file planned from the last
    #: ingest's record (`recorded`), which is then sniffed only if it must be read again.
    head: Sniffed | None
    flow: str
    flow_source: str
    period: str | None  # fixed period for files without a period column
    period_source: str
    is_demo: bool  # the file carries the DEMO generator's marker column
    csv_path: Path | None = None
    sha256: str = ""
    rows: int = 0
    partners: list[str] = field(default_factory=list)  # partner codes found, after the scan
    size: int = 0  # bytes and modification time when planned, before anything was read:
    mtime_ns: int = 0  # what the manifest records, so a file replaced mid-run is read again
    dots_may_group: bool = False  # 1.000 may be a thousand (sql.locale_sql)
    commas_may_be_decimal: bool = False  # 1,234 may be 1.234 (sql.locale_sql)
    #: The last ingest's record of this file, when its decisions were taken from there: same
    #: path, size and modification time, same arguments and ingest code (plan_inputs `reuse`).
    recorded: dict[str, object] | None = None

    @property
    def unopened(self) -> bool:
        """Planned from the last ingest's record, and not opened since."""
        return self.head is None and self.recorded is not None

    @property
    def sniffed(self) -> Sniffed:
        """The file's head, read on first use: a file carried over from the last ingest is
        never opened (one changed page among thousands must not open every other)."""
        if self.head is None:
            self.head = sniff(self.path)
        return self.head

    @property
    def kind(self) -> str:
        if self.unopened:
            return str(self.recorded["kind"])  # type: ignore[index]
        return self.sniffed.kind

    @property
    def sheet(self) -> str | None:
        if self.unopened:
            return self.recorded.get("sheet")  # type: ignore[union-attr, return-value]
        return self.sniffed.sheet

    @property
    def currency(self) -> str:
        """USD, CNY or USD+CNY (both columns: dollars used, yuan kept as a cross-check)."""
        if self.unopened:
            return str(self.recorded["currency"])  # type: ignore[index]
        layout = self.sniffed.layout
        return "USD+CNY" if layout.has_both_currencies else layout.currency

    @property
    def ignored_columns(self) -> list[str]:
        """Header cells of columns no field was read from."""
        if self.unopened:
            return list(self.recorded.get("ignored_columns") or [])  # type: ignore[union-attr]
        return self.sniffed.layout.unknown


_BOTH_FLOWS = re.compile(
    r"进[\s、/／,，&+和及与-]*出\s*口|(?<![a-z])(imports?|imp)[\s_\-&+/]*(and|&|\+|/)?[\s_\-&+/]*"
    r"(exports?|exp)(?![a-z])|(?<![a-z])(exports?|exp)[\s_\-&+/]*(and|&|\+|/)?[\s_\-&+/]*"
    r"(imports?|imp)(?![a-z])|total[\s_\-]*trade|(?<![a-z])trade[\s_\-]*total")
_EXPORT = re.compile(r"(?<![a-z])(exports?|exp)(?![a-z])|出口")
_IMPORT = re.compile(r"(?<![a-z])(imports?|imp)(?![a-z])|进口")
#: 202010, 2020-10 or 2020年10月, not touching other digits or letters (2020-12pages is no month).
_NAME_MONTH = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})"
                         r"(?:-?(0[1-9]|1[0-2])|年(0?[1-9]|1[0-2])月)(?![0-9A-Za-z])")
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
#: What makes a name's period unclear: a month range (2020年1-6月, 202001-06, 2020-01~06), a
#: quarter or half-year (Q1, H1, 一季度, 上半年), or a short number stuck to the year (2020_3,
#: 2020.03, 2020-12pages), which may be a month or a page.
_PART_OF_YEAR = re.compile(
    r"月|季|半年|(?<![a-z])[qh][1-4](?![a-z0-9])|"
    r"(?<![a-z])(jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|"
    r"august|sep|sept|september|oct|october|nov|november|dec|december)(?![a-z])|"
    r"(?<!\d)(0?[1-9]|1[0-2])\s*[-~～—至到]\s*(0?[1-9]|1[0-2])(?!\d)|"
    r"(?<!\d)(?:19|20)\d{2}(?:\d{2}|-\d{2}|年\d{1,2}月?)?\s*[-~～—_至到]\s*\d{1,2}(?!\d)|"
    r"(?<!\d)(?:19|20)\d{2}[-_. ]\d{1,4}(?!\d)", re.IGNORECASE)


def names_both_flows(path: Path) -> bool:
    """True when the name says the file holds exports and imports together (进出口)."""
    return bool(_BOTH_FLOWS.search(path.stem.lower()))


def flow_from_name(path: Path) -> str | None:
    """'export' or 'import' when the file name says so unambiguously, else None."""
    return flow_in_text(path.stem)


def _decide_flow(path: Path, flow: str | None) -> tuple[str, str]:
    if flow is None and names_both_flows(path):
        raise InputError(path, "the file name says imports and exports together (进出口 / "
                         "import and export / total trade), and the platform does not write "
                         "the flow into the file: pass --flow export or --flow import if it "
                         "holds one flow only; a total of both flows cannot be split, so "
                         "download exports and imports as separate queries")
    named = flow_from_name(path)
    if flow is not None and named is not None and named != flow:
        raise InputError(path, f"the file name says {named} but --flow {flow} was given: rename "
                         "the file or ingest it in a separate run with the right --flow")
    if flow is not None:
        return flow, "--flow"
    if named is not None:
        return named, "file name"
    raise InputError(path, "cannot tell whether this file holds exports or imports (the "
                     "platform does not write the flow into the file): pass --flow export or "
                     "--flow import, or name the file export-... / import-... (出口 / 进口)")


def _title_text(sniffed: Sniffed) -> str:
    """The title lines above the header, one line each."""
    return "\n".join(" ".join(c.strip() for c in row if c.strip()) for row in sniffed.titles)


def flow_in_text(text: str) -> str | None:
    """'export' or 'import' when a text names one flow only (a title, a name), else None."""
    text = text.lower()
    if _BOTH_FLOWS.search(text):
        return None
    is_export, is_import = bool(_EXPORT.search(text)), bool(_IMPORT.search(text))
    return None if is_export == is_import else "export" if is_export else "import"


def _refuse_title_flow(sniffed: Sniffed, flow: str, source: str) -> None:
    """A title naming the other flow (`2020年 新疆进口` above a file named export_2020.csv):
    one of the two is wrong, and the name or --flow would have filed imports as exports."""
    said = flow_in_text(_title_text(sniffed))
    if said is not None and said != flow:
        given = "the file name says" if source == "file name" else f"{source} gives"
        raise InputError(sniffed.path, f"the title above the table says {said}s but {given} "
                         f"{flow}: check which the file holds, then correct the title, the "
                         "name or --flow")


#: Phrases that name a province's city without being about the province's trade: a clock, the
#: SCO, and a source line (数据来源：海关总署（北京）, Source: GACC, Beijing).
_NOT_A_PLACE = re.compile(r"北京时间|上海合作组织|beijing\s+time|shanghai\s+cooperation|"
                          r"(?:数据来源|资料来源|来源|source)\s*[:：].*", re.IGNORECASE)
#: Words that say a file is the whole country's (全国出口): no province is its scope.
_NATIONAL = re.compile(r"全\s*国|(?<![a-z])(?:national|nationwide)(?![a-z])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _province_names() -> re.Pattern[str]:
    from helpers.ingest import codes

    table = codes.province_table()
    chinese = {n.rstrip("省市") for n in table["name_zh"]}
    english = set(table["name_en"])
    return re.compile("|".join([*sorted(chinese, key=len, reverse=True),
                                *(rf"(?<![a-z]){re.escape(n)}(?![a-z])" for n in english)]),
                      re.IGNORECASE)


def _refuse_province_without_place(sniffed: Sniffed) -> None:
    """A file named or titled for one province (新疆出口_2020.csv) whose table has no place
    column: the platform's query filtered to 新疆 without grouping by 注册地 writes such a
    file, and its rows would be read as China's national trade."""
    if any(sniffed.layout.province_fields):
        return
    for where, text in (("name", sniffed.path.stem), ("title", _title_text(sniffed))):
        text = _NOT_A_PLACE.sub(" ", text)  # `.*` ends at its line: one title line at a time
        if _NATIONAL.search(text):
            continue
        found = _province_names().search(text)
        if found:
            raise InputError(sniffed.path, f"the file {where} says {found.group(0)}, but its "
                             "table has no place column (注册地 / 境内货源地): its rows would be "
                             "read as China's national trade. Download the query with the "
                             "注册地编码 / 注册地名称 columns (grouped by registration place); if "
                             f"it is national, take {found.group(0)} out of the {where}")


def normalise_period(text: str) -> str:
    """'2020', '202010', '2020-10' -> '2020' or '2020-10'; raises ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d{4})(?:[-/._年]?\s*(\d{1,2})月?)?\s*", text)
    if not match:
        raise ValueError(text)
    year, month = int(match.group(1)), match.group(2)
    if not 1980 <= year <= 2100 or (month is not None and not 1 <= int(month) <= 12):
        raise ValueError(text)
    return f"{year}" if month is None else f"{year}-{int(month):02d}"


def period_from_name(path: Path) -> str | None:
    """The one period a file name states explicitly ('2020-10' or '2020'), else None.

    A month only from 202010, 2020-10 or 2020年10月; a year from four digits standing alone.
    Two different periods (2019-2020), a range of months (2020年1-6月), a quarter (Q1) or a
    number stuck to the year (2020_3: a month or a page?) give None: the name does not say.
    """
    stem = dates.mask_in_name(path.stem)  # a download date is not the period
    months = {f"{m.group(1)}-{int(m.group(2) or m.group(3)):02d}"
              for m in _NAME_MONTH.finditer(stem)}
    rest = _NAME_MONTH.sub(" ", stem)
    years = {m.group(1) for m in _NAME_YEAR.finditer(rest)}
    unclear = _PART_OF_YEAR.search(rest if months else stem)
    if months and re.search(r"(?:19|20)\d{2}(?:-?\d{2}|年\d{1,2}月)\s*[-~～—_至到]\s*\d", stem):
        unclear = True  # a range that starts with a month: 202001-06, 2020年1月-6月
    if unclear:
        return None
    if len(months) == 1 and years <= {next(iter(months))[:4]}:
        return months.pop()
    if not months and len(years) == 1:
        return years.pop()
    return None


def _refuse_name_months(path: Path, filed: str) -> None:
    """Refuse a file filed as a year whose name mentions months (export_2020_to_oct.csv)."""
    said = month_mentions.in_name(path.stem, filed) if len(filed) == 4 else None
    if said is not None:
        raise InputError(path, f"the file name mentions {said!r} beside the year {filed}, "
                         "which may say the months it covers, and the file has no 数据年月 / "
                         "Date of data column: it cannot be told to hold the whole year. If it "
                         "does, rename it to state that year alone (e.g. export_2020.csv); if it "
                         "holds part of a year, download the query by month (数据年月 as a "
                         "column)")


def _decide_period(sniffed: Sniffed, period: str | None) -> tuple[str | None, str]:
    if "period" in sniffed.layout.fields:
        periods.refuse_cumulative_title(sniffed.path, sniffed.titles)
        return None, "column"
    months = periods.name_month_range(sniffed.path.stem)
    if months is not None:  # with --period too: the name may say January to June
        raise InputError(sniffed.path, f"the file name says {months!r}, a range of months "
                         "beside the year (or a date), and the file has no 数据年月 / Date of data "
                         "column: a total of part of a year cannot be filed as one period. If "
                         "it holds the whole year, rename it to state that year alone (e.g. "
                         "export_2020.csv); if part of a year, download the query by month "
                         "(数据年月 as a column)")
    part = periods.part_of_year(sniffed.path.stem)
    if part is not None:  # whatever --period says: a Jan-Oct total is no single period
        raise InputError(sniffed.path, periods.part_of_year_message(
            f"the file name says part of a year ({part!r})"))
    named = period_from_name(sniffed.path)
    filed = period if period is not None else named
    taken = periods.name_taken_within(sniffed.path.stem, filed) if filed and len(
        filed) == 4 else None
    if taken is not None:
        raise InputError(sniffed.path, periods.part_of_year_message(
            f"the file name gives a date inside {filed} ({taken}): figures downloaded then "
            "cannot hold the year's later months, so the file is part of a year"))
    if period is not None:
        # A month against a year is a contradiction too: October filed as the year's total, or
        # a year's total filed as October.
        if named is not None and named != period:
            raise InputError(sniffed.path, f"the file name says {named} but --period {period} "
                             "was given: rename the file, or leave out --period")
        _refuse_name_months(sniffed.path, period)
        periods.refuse_title_period(sniffed.path, sniffed.titles, period, "--period")
        month_mentions.refuse_in_titles(sniffed.path, sniffed.titles, period)
        return period, "--period"
    if named is not None:
        _refuse_name_months(sniffed.path, named)
        periods.refuse_title_period(sniffed.path, sniffed.titles, named, "the file name")
        month_mentions.refuse_in_titles(sniffed.path, sniffed.titles, named)
        return named, "file name"
    periods.refuse_title_period(sniffed.path, sniffed.titles, None)  # part of a year?
    said = periods.title_says(sniffed.titles)
    example = (f"pass --period {said} if the title above the table is right" if said
               else "pass --period YYYY or --period YYYY-MM with the one year or month it "
               "holds" if _NAME_YEAR.search(sniffed.path.stem)
               else "pass --period 2020 (or --period 2020-10)")
    raise InputError(sniffed.path, "the file has no 数据年月 / Date of data column (an annual "
                     "query?) and its name does not state one period (e.g. 2020 or 202010): "
                     f"{example}")


SKIPPED_PREFIX = "skipped "


@dataclass
class Listing:
    """The files an ingest reads, each with its label, and the labels of the files in the
    folders given that it passed over (neither a download nor documentation)."""

    files: list[tuple[Path, str]]
    skipped: list[str] = field(default_factory=list)

    def skipped_warning(self) -> str | None:
        """One warning naming the files passed over, or None: a page saved as .txt or .json
        would otherwise drop its partners from every total without a word."""
        if not self.skipped:
            return None
        shown = ", ".join(self.skipped[:5]) + (" ..." if len(self.skipped) > 5 else "")
        return (f"{SKIPPED_PREFIX}{len(self.skipped)} file(s) that are no download ingest "
                f"reads (only .csv, .tsv, .xlsx and .xlsm are): {shown}; if one holds a page of "
                "a query, "
                "save it as .xlsx or CSV UTF-8")


def _refuse_unread_spreadsheet(path: Path) -> None:
    what = UNREAD_SPREADSHEETS.get(path.suffix.lower())
    if what is not None:
        raise InputError(path, f"{what}, a format ingest cannot read (left out, its rows "
                         "would be missing from every total): open it in Excel or WPS, save it as "
                         ".xlsx or as CSV UTF-8, and put that in its place (move this one out "
                         "of the folder)")


def _in_folder(folder: Path) -> tuple[list[Path], list[str]]:
    """The files of `folder` to read (recursively, sorted) and the labels of those skipped
    with a word; hidden files, office lock files (~$) and documentation are skipped quietly,
    a spreadsheet ingest cannot read is refused."""
    files, skipped = [], []
    for entry in sorted(folder.rglob("*")):
        parts = entry.relative_to(folder).parts
        if any(p.startswith((".", "~$", "__MACOSX")) for p in parts):
            continue
        _refuse_unread_spreadsheet(entry)  # an Apple Numbers file may be a folder
        if not entry.is_file() or any(Path(p).suffix.lower() in UNREAD_SPREADSHEETS
                                      for p in parts[:-1]):
            continue
        if entry.suffix.lower() in INPUT_SUFFIXES:
            files.append(entry)
        elif not _QUIET.match(entry.name):
            skipped.append(f"{_folder_name(folder)}/{entry.relative_to(folder).as_posix()}")
    return files, skipped


def _folder_name(folder: Path) -> str:
    """The name files of `folder` are labelled under: its own, also when given as `.` or `..`
    (whose name is empty: the labels read /export.csv, like a path from the root)."""
    return folder.name if folder.name not in ("", ".", "..") else folder.resolve().name


def list_inputs(paths: Sequence[str | Path]) -> Listing:
    """Files to read, each with its label; folders are searched recursively, sorted by name."""
    found: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(path, "no such file or directory: check the path")
        if path.is_dir() and path.suffix.lower() not in UNREAD_SPREADSHEETS:
            files, passed = _in_folder(path)
            if not files:
                raise InputError(path, "the folder holds no .csv, .tsv, .xlsx or .xlsm files"
                                 + (f" (only {', '.join(passed[:3])})" if passed else "")
                                 + ": put the platform downloads there")
            found.extend((f, f"{_folder_name(path)}/{f.relative_to(path).as_posix()}")
                         for f in files)
            skipped += passed
        else:
            _refuse_unread_spreadsheet(path)
            found.append((path, path.name))
    seen: dict[Path, str] = {}
    labels: dict[str, Path] = {}
    unique = []
    for path, label in found:
        if path.resolve() in seen:
            continue
        if label in labels:
            raise InputError(path, f"two inputs would both be named {label!r} (also "
                             f"{labels[label]}): pass the folder that holds both instead")
        seen[path.resolve()], labels[label] = label, path
        unique.append((path, label))
    return Listing(unique, skipped)


def expand_inputs(paths: Sequence[str | Path]) -> list[tuple[Path, str]]:
    """The files of list_inputs, without the ones skipped."""
    return list_inputs(paths).files


def same_file_as(record: dict[str, object] | None, path: Path, size: int, mtime_ns: int
                 ) -> bool:
    """Whether a manifest record is of this very file, untouched: same resolved path, size and
    modification time (what lets a re-run trust the record without opening the file)."""
    return record is not None and (record.get("path"), record.get("bytes"),
                                   record.get("mtime_ns")) == (str(path.resolve()), size,
                                                               mtime_ns)


def plan_inputs(paths: Sequence[str | Path], flow: str | None = None,
                period: str | None = None, listing: Listing | None = None,
                reuse: dict[str, dict[str, object]] | None = None) -> list[InputFile]:
    """Sniff every file and decide flow and period, before anything is read or written
    (`listing`: the inputs as list_inputs found them, if that was done already).

    `reuse`: the last ingest's records by label, when it ran with the same arguments and the
    same ingest code (incremental.reusable_records). A file at the same path with the same size
    and modification time as its record is planned from the record without being opened: the
    decisions are a function of its bytes, the arguments and the code, all unchanged."""
    if flow is not None and flow not in ("export", "import"):
        raise InputError("--flow", f"unknown flow {flow!r}: use export or import")
    if period is not None:
        try:
            period = normalise_period(period)
        except ValueError:
            raise InputError("--period", f"cannot read period {period!r}: use YYYY or YYYY-MM, "
                             "e.g. 2020 or 2020-10") from None
    planned = []
    for path, label in (listing or list_inputs(paths)).files:
        stat = path.stat()
        record = (reuse or {}).get(label)
        if record is not None and same_file_as(record, path, stat.st_size, stat.st_mtime_ns):
            planned.append(InputFile(
                path, label, None, str(record["flow"]), str(record["flow_source"]),
                record["period"], str(record["period_source"]),  # type: ignore[arg-type]
                bool(record["is_demo"]), size=stat.st_size, mtime_ns=stat.st_mtime_ns,
                recorded=record))
            continue
        sniffed = sniff(path)
        chosen_flow, flow_source = _decide_flow(path, flow)
        _refuse_title_flow(sniffed, chosen_flow, flow_source)
        _refuse_province_without_place(sniffed)
        fixed_period, period_source = _decide_period(sniffed, period)
        planned.append(InputFile(path, label, sniffed, chosen_flow, flow_source, fixed_period,
                                 period_source, "demo_flag" in sniffed.layout.fields,
                                 size=stat.st_size, mtime_ns=stat.st_mtime_ns))
    return planned
