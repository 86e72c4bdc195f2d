"""A scan that failed, as the user's error: which file, which line, what is wrong, what to do.

The scan (ingest.sql) raises a tagged DuckDB error on the first bad row it meets, with the file,
the check and the raw cell; here a single-threaded rescan by the same SQL layers finds the first
row failing that check, the line is counted in the file the scan read, and the message says how
to fix it. Errors DuckDB's CSV reader raises itself (a row of the wrong width, bad UTF-8, an
unclosed quote) are translated too.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from helpers.errors import InputError
from helpers.ingest.lookups import ELSEWHERE_PLACES, ERROR_TAG, LOOKUP_CHECKS, lookups_sql
from helpers.ingest.plan import InputFile
from helpers.ingest.sql import (
    CHECKS,
    COMMA_GROUPED,
    DOT_GROUPED,
    IMPLAUSIBLE_VALUE,
    MISSING_MARKERS,
    THOUSANDS,
    parsed_sql,
    skipped_sql,
    value_fields,
)


def _locate(con: duckdb.DuckDBPyConnection, f: InputFile, check: str) -> int | None:
    """Line (or sheet row) of the first row failing `check`, by a single-threaded rescan."""
    con.execute("SET threads = 1; SET preserve_insertion_order = true")
    parsed = f"({parsed_sql(f, numbered=True)})"
    if check in LOOKUP_CHECKS:  # the rows the scan's own joins miss
        parsed = (f"(SELECT r.*, {LOOKUP_CHECKS[check][0]} AS missed FROM {parsed} r "
                  f"{lookups_sql(f)})")
        predicate = "missed"
    else:
        predicate = CHECKS[check][0]
    sql = (f"SELECT rn FROM {parsed} WHERE NOT ({skipped_sql(f)}) AND ({predicate}) "
           "ORDER BY rn LIMIT 1")
    row = con.execute(sql).fetchone()
    return None if row is None else _line_of_row(f, int(row[0]))


def _line_of_row(f: InputFile, rn: int) -> int:
    """The line (or sheet row) of the scan's `rn`-th row: DuckDB's reader passes over empty
    lines without counting them, so the line is counted here, in the file the scan read."""
    assert f.csv_path is not None
    encoding = "utf-8-sig" if f.sniffed.encoding == "utf-8-sig" else "utf-8"
    with f.csv_path.open(encoding=encoding, errors="replace", newline="") as handle:
        for _ in range(f.sniffed.header_line):
            handle.readline()
        seen = 0
        reader = csv.reader(handle, delimiter=f.sniffed.delimiter)
        for record in reader:
            seen += bool(record)
            if seen == rn:
                return f.sniffed.header_line + reader.line_num
    return f.sniffed.header_line + rn


def _column_of(f: InputFile, check: str) -> str:
    """The header of the column a check reads, to name it in a message."""
    layout = f.sniffed.layout
    value, second = value_fields(f)
    code, name = layout.province_fields
    field = {"value": value, "value2": second or value,
             "partner": "partner_code" if "partner_code" in layout.fields else "partner_name",
             "province": code or name,
             "regime": "regime_code" if "regime_code" in layout.fields else "regime_name",
             "regime_conflict": "regime_name",
             "partner_conflict": "partner_name", "province_conflict": name,
             }.get(check, check)
    return layout.columns[layout.fields[field]] if field in layout.fields else check


_EXPONENT = re.compile(r"\d\s*[eE]\s*[+-]?\d")


def _states_a_unit(text: str) -> bool:
    """单位：万元, (万元), Unit: USD thousand: a cell that speaks of a unit."""
    return bool(re.search(r"单\s*位|(?<![a-z])units?\s*[:：]", text, re.IGNORECASE)
                or re.fullmatch(r"\s*[(（【\[]?\s*[千万亿]?(元|美元|人民币)\s*[)）】\]]?\s*", text))


def _locale_message(f: InputFile, raw: str, column: str, ambiguity: str) -> str:
    """A number a European-locale spreadsheet may have written otherwise than it reads (a
    Chinese-locale one saving "Unicode text" writes tabs too: the fix suits both)."""
    by = "semicolons" if f.sniffed.delimiter == ";" else "tabs"
    return (f"number {raw!r} in column {column} of a file separated by {by}: such a file comes "
            f"from a spreadsheet set to a European locale, where {ambiguity}. Open it in the "
            "spreadsheet and save it as CSV UTF-8 (逗号分隔, comma-separated), which writes "
            "numbers unambiguously; or re-export with a decimal point and no thousands "
            "separator")


def _merged_hint(f: InputFile) -> str:
    """The fix for a cell left empty, by kind of file: a workbook's merged cells keep their
    value in the first row only."""
    if f.sniffed.kind == "xlsx":
        return ("in a workbook, merged cells (one partner or product over several rows) keep "
                "their value in the first row only: unmerge them and fill every row, or "
                "download the query again")
    return "check the download"


def _explain(f: InputFile, check: str, raw: str) -> str:
    layout = f.sniffed.layout
    header = lambda name: layout.columns[layout.fields[name]]  # noqa: E731
    if raw.replace("\ufeff", "").strip() in {c.replace("\ufeff", "").strip()
                                              for c in layout.columns if c.strip()}:
        return (f"a header row again ({raw.strip()!r} in column {_column_of(f, check)}), "
                "with its columns in another order than the first: pages of different queries "
                "joined into one file? Ingest each page as its own file")
    if check == "period" and _states_a_unit(raw):
        return (f"a unit note {raw.strip()[:40]!r} inside the table, in column "
                f"{header('period')}: it may be the values' unit, which ingest reads only from "
                "the value column's header. Put it there, e.g. 人民币(万元) or 美元(千美元), and "
                "delete the line")
    if check == "period" and not raw.strip():
        return (f"empty {header('period')} on a row with other cells filled: a unit row "
                "under the header (a header in merged cells, e.g. (万元) below 人民币? put the "
                "unit into the header, 人民币(万元), and delete the row), or a row that lost "
                "its period")
    if check == "period" and len(raw.strip()) > 8 and not re.search(r"\d{4}", raw):
        return (f"text {raw.strip()[:40]!r} where a period should be, in column "
                f"{header('period')}: a note below the table? Delete the line")
    if check == "period" and re.fullmatch(r"\s*\d{4}([-/.])\d{1,2}\1\d{1,2}\s*|"
                                          r"\s*\d{4}年\d{1,2}月\d{1,2}日\s*", raw):
        return (f"a day, not a month: {raw.strip()!r} in column {header('period')}. The "
                "platform gives months (202009), and a month's first day (2020-09-01) is read "
                "as that month; any other day is refused, since no month is meant by it")
    if check == "period":
        if re.fullmatch(r"\s*\d{4}\.1\s*", raw):
            return (f"ambiguous period {raw!r} in column {header('period')}: January or "
                    "October (a spreadsheet shows 2020.10 as 2020.1)? Write the month with two "
                    "digits, e.g. 202001 or 202010")
        return (f"impossible period {raw!r} in column {header('period')}: expected YYYYMM with a "
                "month 01-12, e.g. 202010")
    if (check == "hs_code" and re.fullmatch(r"\d{3}|\d{5}|\d{7}", raw.strip())
            and f.sniffed.zero_kept is not None):
        return (f"HS code {raw!r} in column {header('hs_code')} has an odd number of digits, "
                f"and other codes of the file keep their leading zero ({f.sniffed.zero_kept}), "
                "so no spreadsheet dropped this one's: a digit was lost (the code cut short?). "
                "Download the file again")
    if check == "hs_code" and re.fullmatch(r"\d{3}|\d{5}|\d{7}", raw.strip()):
        padded = "0" + raw.strip()
        level = "heading" if len(padded) == 4 else "subheading"
        return (f"HS code {raw!r} in column {header('hs_code')} has an odd number of digits: "
                f"with the leading zero a spreadsheet drops put back it is {padded}, but HS "
                f"(2007 to 2022 editions) has no {level} {padded[:6]}, so a digit was lost "
                "elsewhere (the code cut short?). Download the file again, or format the code "
                "column as text before saving it")
    if check == "hs_code" and re.fullmatch(r"\s*\d{4}\.\d{2}(\.\d{2})?\s*", raw):
        return (f"HS code {raw!r} in column {header('hs_code')} is written with dots, as "
                "tariff books print it: write it as the platform does, digits only "
                f"({raw.strip().replace('.', '')})")
    if check == "hs_code" and not raw.strip():
        return (f"empty {header('hs_code')} on a row with other cells filled: a subtotal line "
                "without its label (delete it), or a row whose code was lost; "
                f"{_merged_hint(f)}")
    if check == "hs_code":
        return (f"impossible HS code {raw!r} in column {header('hs_code')}: expected 2 to 8 "
                "digits of a real HS chapter (01-97, not 77), e.g. 85023100")
    if check == "partner":
        # the code when the row has one (or has neither), else its name (a blank code beside
        # 全部国家(地区))
        by_code = "partner_code" in layout.fields and (
            not raw.strip() or raw.strip().isdigit() or "partner_name" not in layout.fields)
        column = header("partner_code" if by_code else "partner_name")
        if not raw.strip():
            return (f"empty trading partner in column {column} on a row with other cells "
                    "filled: a subtotal line without its label (delete it), or a row whose "
                    f"partner was lost; {_merged_hint(f)}")
        return (f"unknown trading partner {raw!r} in column {column}: not in the platform's "
                "code list (data/raw/gacc-codes/partners.csv); check the download")
    if check == "province" and not raw.strip():
        return (f"empty place in column {_column_of(f, check)} of a download by place: a "
                "subtotal line (delete it), or a row whose place was lost; a row without its "
                "place would be read as the whole country's")
    if check == "province" and raw.strip() in ELSEWHERE_PLACES:
        within = ELSEWHERE_PLACES[raw.strip()]
        return (f"place {raw!r} is a prefecture of {within}, though its name begins with "
                f"another province's: write it with its province ({within}{raw.strip()}) or "
                "download the query with the place's code column")
    if check == "province":
        return (f"unknown province {raw!r}: not in the platform's registration-place list "
                "(data/raw/gacc-codes/registration_places.csv); check the download")
    if check == "regime_conflict":
        code, _, name = raw.partition("¦")
        return (f"customs regime code {code!r} and name {name!r} are two different regimes of "
                "the platform's list (data/raw/gacc-codes/customs_regimes.csv): which one the "
                "trade is cannot be told; check the download (columns shifted or edited by "
                "hand?)")
    if check in ("partner_conflict", "province_conflict"):
        code, name, other = [*raw.split("¦"), "", ""][:3]
        what, listed = (("partner", "partners.csv") if check == "partner_conflict"
                        else ("place", "registration_places.csv"))
        return (f"{what} code {code!r} and name {name!r} are two different {what}s of the "
                f"platform's list (data/raw/gacc-codes/{listed}): {name!r} is {what} {other}, "
                "and which one the trade is cannot be told; check the download (columns "
                "shifted or edited by hand?)")
    if check == "regime" and re.fullmatch(r"[A-Za-z][A-Za-z ,.&'()/-]*", raw.strip()):
        return (f"customs regime {raw!r} is given by an English name without its code: there "
                "is no English list to match it to the platform's regimes (and 一般贸易 from "
                "the Chinese site would not meet 'General trade'); download the query with "
                "the Customs Regime code column (贸易方式编码), or, if the line is a total or "
                "subtotal, delete it")
    if check == "regime":
        return (f"customs regime {raw!r} is not in the platform's regime list "
                "(data/raw/gacc-codes/customs_regimes.csv): if the line is a total or subtotal "
                "(合计, 小计, Total), delete it; otherwise check the download")
    if check == "unnamed":
        return (f"a cell {raw.strip()[:40]!r} in a column with no header, after the last "
                "named one: a figure written with a thousands separator and without quotes "
                "splits there (12,345 is read as 12, with 345 beside it), so every figure of "
                "the file is in doubt. Save the file again with quoted fields (the platform's "
                "own download quotes them) or without thousands separators; if the column "
                "holds something else, give it a header")
    value, second = value_fields(f)
    name = {"value": value, "value2": second or value}.get(check, check)
    column = header(name)
    if raw.strip() in MISSING_MARKERS and check in ("value", "value2"):
        return f"missing value in column {column}: every row of a download needs a value"
    if f.dots_may_group and re.fullmatch(DOT_GROUPED, raw):
        return _locale_message(f, raw, column, "the dot groups thousands (1.000 is a thousand), "
                               "but it may be a decimal point (1.000 is one), and no number in "
                               "the file has a dot that only a decimal point can be (12.5, "
                               "1234.5)")
    if f.commas_may_be_decimal and re.fullmatch(COMMA_GROUPED, raw):
        return _locale_message(f, raw, column, "the comma is a decimal point (1,234 is 1.234), "
                               "but it may group thousands (1,234 is 1234), and no number in the "
                               "file shows which (1,234,567 or 1,234.5 would)")
    grouped = re.sub(r"[，\s]", ",", raw.strip())
    if re.fullmatch(r"[0-9.,]+", grouped) and "," in grouped and not re.fullmatch(
            THOUSANDS, grouped):
        return (f"number {raw!r} in column {column} has a comma that is not a thousands "
                "separator (a decimal comma, as in 1.000,5 or 12,5?): re-export with a decimal "
                "point and thousands in groups of three, e.g. 1,000.5")
    if _EXPONENT.search(raw):
        return (f"number {raw!r} in column {column} is in scientific notation: a spreadsheet "
                "showed it with only a few digits and saved that, so the exact figure is lost; "
                "re-export from the platform's download, or format the column as text or "
                "number (not General) before saving")
    if raw.strip().startswith("-") and raw.strip("- ").replace(",", "")[:1].isdigit():
        return (f"negative number {raw!r} in column {column}: customs values and quantities are "
                "never negative; check the download")
    if check in ("value", "value2") and re.fullmatch(r"\s*[0-9,， ]+(\.[0-9]+)?\s*", raw):
        # a plain, non-negative number fails only by its size
        return (f"value {raw!r} in column {column} is implausibly large (above "
                f"{IMPLAUSIBLE_VALUE:,.0f} after the header's unit): a misread cell or a wrong "
                "unit; check the download")
    return (f"cannot read {raw!r} in column {column} as a number: expected digits with optional "
            "thousands separators, e.g. 56,121,645")



def _mixes_line_endings(path: Path, sample: int = 64 * 1024 * 1024) -> bool:
    """Whether the file has both CRLF line ends and bare LF ones (in its first 64 MB; a NUL
    byte after each as UTF-16 writes them counts the same)."""
    with path.open("rb") as handle:
        data = handle.read(sample).replace(b"\x00", b"")
    crlf = data.count(b"\r\n")
    return 0 < crlf < data.count(b"\n")


def translate_error(exc: duckdb.Error, con: duckdb.DuckDBPyConnection,
                    files: list[InputFile]) -> InputError:
    """A DuckDB error during the scan as the user's error: which file, which line, what fix."""
    text = str(exc)
    if ERROR_TAG in text:
        tail = text.split(ERROR_TAG, 1)[1]
        index_text, check, raw = [*tail.split("¦", 2), "", ""][:3]
        raw = raw.split("\n", 1)[0]
        f = files[int(index_text)]
        line = _locate(con, f, check)
        return InputError(f.path, _explain(f, check, raw), line=line)
    match = re.search(r"CSV Error on Line: (\d+)", text)
    by_path = {str(f.csv_path): f for f in files}
    culprit = next((f for p, f in by_path.items() if p in text), files[0] if len(files) == 1
                   else None)
    where = culprit.path if culprit else "input"
    line = int(match.group(1)) if match else None
    if "Expected Number of Columns" in text:
        found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
        detail = (f" ({found.group(2)} fields where the header has {found.group(1)})"
                  if found else "")
        if found and int(found.group(2)) * 2 <= int(found.group(1)):
            return InputError(where, f"a line that is no row of the table{detail}: a note or "
                              "a source line below the table, or the title of another page "
                              "joined into this file? Delete that line", line=line)
        return InputError(where, f"a row does not match the header{detail}: a number with "
                          "thousands separators that is not in quotes, or a stray delimiter; "
                          "re-export the file with quoted fields", line=line)
    if "Invalid unicode" in text:
        return InputError(where, "invalid UTF-8 bytes in the middle of the file (it mixes "
                          "encodings or is damaged): re-download it or save it as UTF-8",
                          line=line)
    if ("quote" in text.lower() and culprit is not None
            and _mixes_line_endings(culprit.csv_path or culprit.path)):
        # DuckDB's reader, told one line ending, reports the other one as an open quote.
        return InputError(where, "the file mixes line endings (CRLF and LF: pages from "
                          "different tools joined into one, or a line typed in by hand): open "
                          "it in a spreadsheet and save it again as CSV UTF-8, or convert its "
                          "line endings to one kind", line=line)
    if "quote" in text.lower():
        return InputError(where, "a quoted field is never closed (the file was cut short?): "
                          "download it again", line=line)
    first = text.splitlines()[0] if text else type(exc).__name__
    return InputError(where, f"cannot read the file as a table: {first[:160]}", line=line)
