"""Recognise a download (CSV in any of the platform's encodings, or XLSX) and make it readable.

DuckDB reads UTF-8 CSV at full speed but, offline, no GBK: so GBK/GB18030 and UTF-16 files are
transcoded to a temporary UTF-8 copy in streaming chunks, and XLSX sheets are streamed row by
row to a temporary CSV. Everything else (header search, delimiter, what is not a table at all)
is decided here from the first few kilobytes, so that errors name the file and line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from helpers.errors import InputError
from helpers.ingest.layouts import Layout, header_score, match_header, month_columns, one_line
from helpers.ingest.titles import apply_head_unit

SAMPLE_BYTES = 256 * 1024
CHUNK_BYTES = 8 * 1024 * 1024
HEADER_SEARCH_LINES = 20

#: Magic numbers of files people rename to .csv by mistake.
_NOT_TABLES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive (unpack it first)",
    b"\xd0\xcf\x11\xe0": "an old binary Excel (.xls) or Word file (save it as .xlsx or CSV)",
    b"Rar!": "a RAR archive (unpack it first)",
    b"7z\xbc\xaf": "a 7-Zip archive (unpack it first)",
}


@dataclass
class Sniffed:
    """What one input file is and where its table starts."""

    path: Path
    kind: str  # "csv" or "xlsx"
    encoding: str  # of the original file
    delimiter: str
    header_line: int  # 1-based line (or sheet row) of the header
    layout: Layout
    sheet: str | None = None
    #: A cell of the title or header rows holds a line break (Alt+Enter in Excel, a title in
    #: two lines in one quoted field). DuckDB's reader, told to skip those rows of a CRLF file,
    #: then returned no rows at all: such a head is written again on one line each.
    head_breaks: bool = False
    #: The rows above the header (titles, super-headers): what they say of the period is
    #: checked against the period the file is filed as (helpers.ingest.periods).
    titles: list[list[str]] = field(default_factory=list)
    #: An HS code of the first rows below the header that keeps its leading zero (08061000):
    #: a file holding one did not lose the zero of its others, so an odd-length code in it
    #: (2011000) was cut short, not stripped of a zero (sql._lost_digit_sql).
    zero_kept: str | None = None


def _zero_kept(rows: list[list[str]], layout: Layout) -> str | None:
    index = layout.fields.get("hs_code")
    if index is None:
        return None
    for row in rows:
        cell = row[index].strip().lstrip("'") if index < len(row) else ""
        if cell.isdigit() and cell.isascii() and cell.startswith("0") and len(cell) % 2 == 0:
            return cell
    return None


def _has_breaks(rows: list[list[str]]) -> bool:
    return any("\n" in c or "\r" in c for r in rows for c in r)


def _one_line(row: list[str]) -> list[str]:
    """A head row with each line break inside a cell joined as match_header reads it."""
    return [one_line(c) for c in row]


def _magic_kind(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    for magic, what in _NOT_TABLES.items():
        if head.startswith(magic):
            raise InputError(path, f"this is {what}, not a table: download the query as CSV "
                             "or XLSX from the customs platform")
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(path, "this is a binary file, not a CSV or XLSX table: download the "
                         "query again as CSV or XLSX")
    return "csv"


_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _first_non_ascii(path: Path, start: int, chunk: int = 1 << 20) -> bytes | None:
    """The bytes from the first non-ASCII byte after `start` on (a sample's worth), or None
    when the rest of the file is ASCII too (then any of the encodings reads it alike)."""
    with path.open("rb") as handle:
        handle.seek(start)
        while block := handle.read(chunk):
            found = _NON_ASCII.search(block)
            if found:
                handle.seek(start + found.start())
                return handle.read(SAMPLE_BYTES)
            start += len(block)
    return None


def detect_encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.isascii():  # no answer yet: an English download may have its first 万 or — late
        head = _first_non_ascii(path, len(head)) or head
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(path, "the text is neither UTF-8 nor GBK/GB18030 (the platform's "
                         f"encodings); byte {exc.start} cannot be decoded: re-download the file "
                         "or save it as UTF-8 CSV") from None


def _find_header(path: Path, rows: list[list[str]], unit: str = "line") -> tuple[int, Layout]:
    best_index, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_LINES]):
        score = header_score(row)
        if score > best_score:
            best_index, best_score = index, score
    if best_index < 0 or best_score < 2:
        first = next((r for r in rows if any(c.strip() for c in r)), None)
        if first is None:
            raise InputError(path, "the file has no text at all: it is empty; download the "
                             "query again")
        shown = ", ".join(c.strip() for c in first[:8])
        raise InputError(path, "no header row of the customs platform found in the first "
                         f"{HEADER_SEARCH_LINES} {unit}s (first {unit}: {shown[:120]!r}); "
                         "expected columns such as 商品编码, 贸易伙伴编码, 人民币 or Commodity "
                         "code, Trading partner code, US dollar", line=1)
    layout = match_header([c.strip() for c in rows[best_index]])
    missing = layout.missing_required()
    if missing:
        found = ", ".join(c for c in layout.columns if c.strip()) or "(none)"
        raise InputError(path, f"missing required column(s): {'; '.join(missing)}. Columns "
                         f"found: {found}. Download the query with these columns included",
                         line=best_index + 1)
    if len(layout.province_bases()) > 1:
        # Rows of two places (注册地 乌鲁木齐, 境内货源地 克拉玛依) would be told apart by one of
        # them only, and kept as repeats of each other: trade lost.
        raise InputError(path, "the header gives places on two bases ("
                         f"{' and '.join(layout.province_bases())}: 注册地 and 境内货源地 "
                         "columns in one table); ingest reads one place per row: download the "
                         "query by one of them", line=best_index + 1)
    if layout.repeated:
        name, first, later = layout.repeated[0]
        what = ("two value columns in one currency: the month's and the year's so far (当月 / "
                "累计 in a row above)? Download one of them" if name in ("value_cny", "value_usd")
                else "the second is perhaps the supplementary one: name it 第二数量 / 第二计量单位 "
                "(Supplementary quantity / unit), or delete it" if name in ("quantity_1", "unit_1")
                else "one column twice: keep one")
        raise InputError(path, f"columns {first!r} and {later!r} are both read as {name}: "
                         f"{what}", line=best_index + 1)
    months = month_columns(layout)
    if months:
        raise InputError(path, f"the header has columns named for months ({', '.join(months[:4])}"
                         f"{' ...' if len(months) > 4 else ''}): a wide table, one column per "
                         "month, which the platform does not write and ingest would read as "
                         "one period from its value column alone. Download the query with "
                         "数据年月 as a column (one row per month)", line=best_index + 1)
    apply_head_unit(path, rows[:best_index], layout)  # 金额单位：万元 in a title above the table
    if layout.unit_errors:
        raise InputError(path, layout.unit_errors[0], line=best_index + 1)
    return best_index + 1, layout


def sniff(path: Path) -> Sniffed:
    """Decide kind, encoding, delimiter and header position, or raise a clear InputError."""
    if not path.exists():
        raise InputError(path, "no such file or directory: check the path")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty (0 bytes): download the query again")
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    kind = _magic_kind(path, head)
    if kind == "xlsx":
        return _sniff_xlsx(path)
    encoding = detect_encoding(path, head)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    lines = text.splitlines()
    if len(head) == SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line of the sample may be cut in half
    if not any(line.strip() for line in lines):
        raise InputError(path, "the file holds only blank lines: download the query again")
    delimiter = _detect_delimiter(lines[:HEADER_SEARCH_LINES])
    rows = list(csv.reader(io.StringIO("\n".join(lines[:HEADER_SEARCH_LINES])),
                           delimiter=delimiter))
    header_line, layout = _find_header(path, rows)
    below = csv.reader(io.StringIO("\n".join(lines[header_line:])), delimiter=delimiter)
    return Sniffed(path, "csv", encoding, delimiter, header_line, layout,
                   head_breaks=_has_breaks(rows[:header_line]), titles=rows[:header_line - 1],
                   zero_kept=_zero_kept(list(below), layout))


def _detect_delimiter(lines: list[str]) -> str:
    """Comma unless the header-like lines are clearly tab- or semicolon-separated."""
    joined = "\n".join(lines)
    counts = {d: joined.count(d) for d in (",", "\t", ";")}
    if counts["\t"] > counts[","] / 2 and counts["\t"] >= len(lines):
        return "\t"
    if counts[";"] > counts[","] and counts[";"] >= len(lines):
        return ";"
    return ","


def _open_workbook(path: Path):  # type: ignore[no-untyped-def]
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise InputError(path, f"the XLSX file is truncated or corrupt ({type(exc).__name__}: "
                         f"{str(exc)[:80]}): download it again, or save it again from Excel "
                         "as .xlsx or CSV") from None
    except Exception as exc:  # openpyxl raises its own InvalidFileException and friends
        raise InputError(path, f"cannot open as XLSX ({type(exc).__name__}): save it again "
                         "from Excel as .xlsx or CSV") from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):  # a 数据年月 cell Excel turned into a date
        return f"{value.year}{value.month:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):  # the shortest digits that are this number, never 1e-05
        return numpy.format_float_positional(value, trim="-")
    return str(value)


def _shown_text(cell) -> str:  # type: ignore[no-untyped-def]
    """A title cell as Excel shows it: a date with its day (下载日期 2021-01-05), or its month or
    year alone when its number format shows no more (yyyy年m月). _cell_text gives every date as
    its month (202101), which is right for a 数据年月 cell and wrong for a title: a download
    date of 5 January 2021 above 2020's figures would say 2021-01."""
    value = cell.value
    if not isinstance(value, dt.datetime | dt.date):
        return _cell_text(value)
    shown = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", str(cell.number_format or "")).casefold()
    # a year shown without its day (yyyy年m月, mmm-yy, yyyy) is that month or year; any other
    # format (with its day, General, h:mm without a year) shows the date in full
    if "y" in shown and "d" not in shown:
        return f"{value.year}-{value.month:02d}" if "m" in shown else f"{value.year}"
    timed = isinstance(value, dt.datetime) and value.time() != dt.time()
    return value.isoformat(sep=" ") if timed else f"{value:%Y-%m-%d}"


def _sheet_rows(path: Path, sheet, layout: Layout | None = None,  # type: ignore[no-untyped-def]
                header_row: int = 0, cells: bool = False):
    """The sheet's rows as texts (as cells, with `cells`). Given the `layout` found at
    `header_row`, every value cell below the header has its number format checked too
    (_refuse_scaled_format)."""
    values = ({layout.fields[n]: n for n in ("value_cny", "value_usd") if n in layout.fields}
              if layout is not None else {})
    seen: set[str] = set()
    try:
        # A read-only sheet trusts the size its file states (<dimension ref="A1:E6"/>), and
        # some writers state a stale or no size: rows past it would be lost without a word.
        sheet.reset_dimensions()
        if cells:
            yield from sheet.iter_rows()
            return
        if not values:
            for row in sheet.iter_rows(values_only=True):
                yield [_cell_text(v) for v in row]
            return
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > header_row:
                for index in values:
                    fmt = getattr(cells[index], "number_format", None) if index < len(cells) \
                        else None
                    if fmt and fmt not in seen:
                        seen.add(fmt)
                        _refuse_scaled_format(path, fmt, layout.columns[index], number)
            yield [_cell_text(c.value) for c in cells]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise InputError(path, f"the XLSX file is truncated or corrupt while reading "
                         f"({type(exc).__name__}): download it again") from None


#: A number format that shows a cell divided by 1,000 per trailing comma (#,##0, 0.0,,"M"),
#: with a multiplier word (0"万", #,##0,"K"), or with a literal dot placed among the digits
#: (0!.0000, 0\.0000, 0"."0000: 万 shown by moving the point): not the stored figure.
_SCALED_FORMAT = re.compile(r"[0#?][,]+(?=$|[;\"_\\\s\[])|[\"\\](?:万|千|亿|[kKmMbB]\b)"
                            r"|!\.|\\\.|\"\.\"")  # 0!.0000: 1000000 shown as 100.0000 (万)


def _refuse_scaled_format(path: Path, fmt: str, column: str, row: int) -> None:
    """A value cell whose number format shows it scaled (stored 1,000,000, shown 1,000 under
    美元(千美元)): the stored figure is read, the header's unit was written for the shown one,
    and which is meant cannot be told."""
    if _SCALED_FORMAT.search(fmt):
        raise InputError(path, f"the cells of column {column.strip()!r} are shown scaled by "
                         f"their number format ({fmt!r}): Excel shows another figure than the "
                         "one stored, and the header's unit may be meant for either. Format the "
                         "column as General or Number and state the unit of the figures shown "
                         "in the header", line=row)


def _sniff_xlsx(path: Path) -> Sniffed:
    book = _open_workbook(path)
    try:
        found = []
        for sheet in book.worksheets:
            rows, shown = [], []
            for cells in _sheet_rows(path, sheet, cells=True):
                rows.append([_cell_text(c.value) for c in cells])
                shown.append([_shown_text(c) for c in cells])
                if len(rows) >= HEADER_SEARCH_LINES:
                    break
            if any(header_score(r) >= 2 for r in rows):
                header_row, layout = _find_header(path, rows, unit="row")
                found.append(Sniffed(path, "xlsx", "xlsx", ",", header_row, layout, sheet.title,
                                     head_breaks=_has_breaks(rows[:header_row]),
                                     titles=shown[:header_row - 1],
                                     zero_kept=_zero_kept(rows[header_row:], layout)))
        if len(found) > 1:
            names = ", ".join(repr(f.sheet) for f in found)
            raise InputError(path, f"the workbook holds customs tables on {len(found)} sheets "
                             f"({names}) and only one would be read: save each sheet as its own "
                             "file (or CSV) and ingest those")
        if found:
            return found[0]
        first_rows: list[list[str]] = []
        if book.worksheets:
            for row in _sheet_rows(path, book.worksheets[0]):
                first_rows.append(row)
                if len(first_rows) >= HEADER_SEARCH_LINES:
                    break
        _find_header(path, first_rows, unit="row")  # raises the precise error
        raise InputError(path, "no sheet with a customs header")  # pragma: no cover
    finally:
        book.close()


ProgressFn = Callable[[int], None]


def to_utf8_csv(sniffed: Sniffed, target: Path, progress: ProgressFn | None = None) -> Path:
    """Return a UTF-8 CSV path DuckDB can scan: the file itself, or a streamed converted copy."""
    if sniffed.kind == "xlsx":
        return _xlsx_to_csv(sniffed, target, progress)
    if sniffed.head_breaks:
        return _csv_with_head_on_one_line(sniffed, target)
    if sniffed.encoding in ("utf-8", "utf-8-sig"):
        return sniffed.path
    decoder = codecs.getincrementaldecoder(sniffed.encoding)(errors="strict")
    line = 1
    with sniffed.path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK_BYTES):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad_line = line + chunk[: exc.start].count(b"\n")
                raise InputError(sniffed.path, f"invalid {sniffed.encoding.upper()} byte sequence "
                                 "(the file mixes encodings or is damaged): re-download it or "
                                 "save it as UTF-8", line=bad_line) from None
            line += chunk.count(b"\n")
            dst.write(text)
            if progress:
                progress(len(chunk))
        try:
            dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise InputError(sniffed.path, "the file ends in the middle of a character: it was "
                             "cut short; download it again", line=line) from None
    return target


def _csv_with_head_on_one_line(sniffed: Sniffed, target: Path) -> Path:
    """A UTF-8 copy whose title and header rows hold no line break (see Sniffed.head_breaks);
    the rows below are copied as they are, line by line."""
    try:
        with sniffed.path.open(encoding=sniffed.encoding, errors="strict", newline="") as src, \
                target.open("w", encoding="utf-8", newline="") as dst:
            reader = csv.reader(src, delimiter=sniffed.delimiter)
            writer = csv.writer(dst, delimiter=sniffed.delimiter)
            for _ in range(sniffed.header_line):
                writer.writerow(_one_line(next(reader, [])))
            # the reader has taken only the lines of the head: the rest is copied verbatim
            for line in src:
                dst.write(line)
    except UnicodeDecodeError:
        raise InputError(sniffed.path, f"invalid {sniffed.encoding.upper()} byte sequence (the "
                         "file mixes encodings or is damaged): re-download it or save it as "
                         "UTF-8") from None
    return target


def has_rows_below_header(sniffed: Sniffed, csv_path: Path) -> bool:
    """Whether the scannable copy holds any non-blank record after its header: the check
    behind an "only a header" warning, so that rows the scan failed to see are never taken
    for an empty query result."""
    with csv_path.open(encoding="utf-8-sig", errors="replace", newline="") as src:
        reader = csv.reader(src, delimiter=sniffed.delimiter)
        for _ in range(sniffed.header_line):
            next(reader, None)
        return any(any(c.strip() for c in record) for record in reader)


def _xlsx_to_csv(sniffed: Sniffed, target: Path, progress: ProgressFn | None) -> Path:
    book = _open_workbook(sniffed.path)
    try:
        sheet = book[sniffed.sheet] if sniffed.sheet else book.worksheets[0]
        # A sheet read whole gives each row up to its last cell: rows ending in empty cells
        # come shorter than the header. Pad them, and drop empty cells past the header, so that
        # only a row with a value outside the table is of another width.
        width = len(sniffed.layout.columns)
        with target.open("w", encoding="utf-8", newline="") as dst:
            writer = csv.writer(dst)
            rows = _sheet_rows(sniffed.path, sheet, sniffed.layout, sniffed.header_line)
            for count, row in enumerate(rows, start=1):
                if len(row) > width and not any(row[width:]):
                    row = row[:width]
                if count <= sniffed.header_line:
                    row = _one_line(row)
                writer.writerow(row + [""] * (width - len(row)) if row else row)
                if progress and count % 10_000 == 0:
                    progress(10_000)
    finally:
        book.close()
    return target


def ends_with_line_break(path: Path, kind: str) -> bool:
    """Whether a CSV ends with a line break, as every download and spreadsheet save does. One
    that does not may have been cut short (a download stopped mid-way), and its last value cut
    after a digit (2000 as 20) still reads as a number: the caller warns. A workbook is True."""
    if kind != "csv":
        return True
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 4))
        tail = handle.read().rstrip(b"\x00")  # UTF-16 writes \n\x00
    return tail.endswith((b"\n", b"\r"))

