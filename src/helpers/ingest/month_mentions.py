"""The last guard on an annual download: any mention of months left in its title or name once
every reading periods.py knows is set aside.

periods.py reads the ways a title or name says part of a year (1-10月, Jan-Oct, 截至10月,
2020M1-M10). Each review of it found more spellings it did not know (1月1日至10月31日,
年初至10月, 10个月, 10M2020, export_2020_to_oct), and each one was a ten-month total filed as the
year: the worst defect this suite can have, a wrong number with no warning. The platform's own
downloads carry no title line, so a title is something a user or another tool wrote, and a
refusal costs one edit. So the rule is turned round here: a title or name of a file filed as a
year may mention months only in the senses that are known to leave the year whole (a range of
January to December, a date after the year, the last day of the year, the date a rule took
effect, twelve months); any other month word, month number or range of month numbers refuses the
file, naming the words. periods.py runs first, so its refusals keep their specific reasons.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers.errors import InputError
from helpers.ingest import dates, periods
from helpers.ingest.titles import title_text

_SEP = periods.SEP
_MON3 = "|".join(dates.MONTHS)
#: Words and numbers that may say months, in a title once the known senses are masked.
_MONTH_WORD = re.compile(
    rf"月|{dates.EN_MONTH}|(?<![a-z])(?:{_MON3})(?:{_MON3})(?![a-z])|"
    r"(?<![a-z])(?:months?|mos|mths?|mnths?)(?![a-z])|(?<![a-z\d])\d{1,2}\s*mo(?![a-z])|"
    rf"(?<![a-z\d])\d{{1,2}}\s*m\s*{dates.YEAR}|(?<![a-z\d])m(?:0?[1-9]|1[0-2])(?!\d)|"
    r"季|半\s*年|年\s*初|年\s*中(?!\s*[国华央部])|至\s*今|迄\s*今|以\s*来|[上中下]\s*旬|"
    r"(?<![a-z])(?:q[1-4]|[1-4]q|h[12]|[12]h|s[12]|quarter|half|semester)(?![a-z\d])|"
    r"(?<![a-z])(?:ytd|year[\s-]*to[\s-]*date|to\s+date|so\s+far|thus\s+far|"
    r"(?:till|until|to|up\s+to)\s+now)(?![a-z])|"
    rf"(?<![\d./:-])(?:0?[1-9]|1[0-2]){_SEP}(?:0?[1-9]|1[0-2])(?![\d./:%])", re.IGNORECASE)
#: Numbers that are not months: pages, chapters, digits of an HS code (第1-3页, HS第1-9章).
_NOT_MONTHS = re.compile(
    r"(?<![a-z])(?:pages?|pp?\.|parts?|pt|chapters?|ch\.?|第)\s*\d+(?:\s*[-~～至到]\s*\d+)?\s*"
    r"(?:[页章类位节部]|(?:digits?|chapters?)(?![a-z]))?|"
    r"\d+(?:\s*[-~～至到]\s*\d+)?\s*(?:[页章类位节]|(?:digits?|chapters?)(?![a-z]))",
    re.IGNORECASE)
#: Twelve months: 12个月, twelve months.
_TWELVE = re.compile(r"(?<![\d.])(?:12|十二)\s*个\s*月|(?<![a-z\d.])(?:12|twelve)[\s_-]*months?"
                     r"(?![a-z])", re.IGNORECASE)
#: A month said with its year before the words of a rule taking effect (2020年6月起新增).
_EFFECTIVE_MONTH = re.compile(
    rf"(?<!\d){dates.YEAR}\s*年\s*\d{{1,2}}\s*月\s*份?\s*(?:起|以后|之后|后|以来)\s*"
    r"(?:新增|执行|实施|施行|生效|启用|调整|变更|使用|采用|取消)")


def _known_dates(text: str, year: int) -> tuple[str, str | None]:
    """`text` with the dates that leave `year` whole blanked (after the year, on its last day,
    the day a rule took effect, an edition of the codes), and the first other date, if any."""
    kept: list[str] = []

    def blank(match: re.Match[str]) -> str:
        when = dates.read(match)
        before = text[:match.start()]
        effective = (periods.EFFECTIVE_AFTER.match(text, match.end())
                     or (periods.EFFECTIVE_BEFORE.search(before)
                         and not periods.RANGE_NEXT.match(text, match.end())))
        if (when[0] > year or (when[1:] == (12, 31) and when[0] == year) or effective
                or (when[0] < year and periods.EDITION.search(before))):
            return " "
        kept.append(match.group(0).strip())
        return " "

    text = dates.DATE.sub(blank, text)
    return text, (kept[0] if kept else None)


def _known_months(text: str, year: int) -> tuple[str, str | None]:
    """`text` with months said with their year blanked when they leave `year` whole (after it,
    or its December: 截至2020年12月), and the first other such month, if any."""
    kept: list[str] = []

    def blank(match: re.Match[str]) -> str:
        said = int(match.group("y") or match.group("y2") or match.group("y3"))
        month = next(g for g in match.group("m", "n", "o", "e", "e2") if g)
        if said > year or (said == year and periods.month_number(month) == 12):
            return " "
        kept.append(match.group(0).strip())
        return " "

    text = periods.STATED_MONTH.sub(blank, _EFFECTIVE_MONTH.sub(" ", text))
    return text, (kept[0] if kept else None)


def in_title(text: str, filed: str) -> str | None:
    """The first words of a title line that may say months of the year `filed` ('2020') which
    this suite cannot read as the whole year, else None."""
    year = int(filed)
    text = periods.mask_december_totals(
        periods.mask_whole_ranges(dates.name_whole_years(text)))
    text, date = _known_dates(text, year)
    if date is not None:
        return date
    text, month = _known_months(text, year)
    if month is not None:
        return month
    text = _NOT_MONTHS.sub(" ", _TWELVE.sub(" ", text))
    day = dates.DAY_OF_YEAR.search(text)  # 1/1-10/31, Jan 1 - Oct 31: days without their year
    if day is not None:
        return day.group(0).strip()
    for match in _MONTH_WORD.finditer(text):
        word = match.group(0)
        if word.casefold().rstrip(".") == "may" and not _digit_beside(text, match):
            continue  # figures may be revised
        return word.strip()
    return None


def _digit_beside(text: str, match: re.Match[str]) -> bool:
    return bool(re.search(r"\d\s*$", text[:match.start()])
                or re.match(r"\s*\d", text[match.end():]))


def refuse_in_titles(path: Path, titles: list[list[str]], filed: str) -> None:
    """Refuse a file filed as the year `filed` whose title lines mention months in a sense
    this suite does not know to leave the year whole."""
    if len(filed) != 4:
        return
    for index, row in enumerate(titles):
        text = title_text(row)
        said = in_title(text, filed)
        if said is not None:
            raise InputError(path, f"the title above the table mentions {said!r} "
                             f"({text.strip()[:80]!r}), which may say the months its figures "
                             f"cover, and the file has no 数据年月 / Date of data column: it "
                             f"cannot be told to hold the whole year {filed}. If it does, delete "
                             "the title line (or the words); if it holds part of a year, download "
                             "the query by month (数据年月 as a column)", line=index + 1)


#: A month with its year in a name (export_202001_202010, export_2020-01_2020-10).
_NAME_MONTH = re.compile(rf"(?<![\da-z])({dates.YEAR})(?:[-.]?(0[1-9]|1[0-2])|年(\d{{1,2}})月)"
                         r"(?![\da-z])", re.IGNORECASE)
#: A run-to word before a month or number in a name (export_2020_to_oct, thru_10).
_NAME_TO = re.compile(rf"(?<![a-z])(?:to|thru|through|till|until|upto)[\s_-]*(?:\d|{_MON3})",
                      re.IGNORECASE)


#: Months counted in a name: export_2020_10m.
_NAME_COUNT = re.compile(r"(?<![a-z\d])\d{1,2}m(?![a-z])", re.IGNORECASE)


def in_name(stem: str, filed: str) -> str | None:
    """The first part of a file name that may say months of the year `filed` ('2020'), once
    its dates, pages and the year itself are set aside, else None. Numbers after the year alone
    (export_2020_2: the second page of a query) are no months."""
    stem = periods.NAME_PAGES.sub(" ", dates.mask_in_name(stem))
    months = {(m.group(1), int(m.group(2) or m.group(3))) for m in _NAME_MONTH.finditer(stem)}
    if months and months != {(filed, 1), (filed, 12)}:
        return next(m.group(0) for m in _NAME_MONTH.finditer(stem))
    stem = _NAME_MONTH.sub(" ", stem)
    stem = _without_numbers(stem)
    match = _NAME_TO.search(stem) or _MONTH_WORD.search(stem) or _NAME_COUNT.search(stem)
    return match.group(0) if match else None


def _without_numbers(stem: str) -> str:
    """A name without its ranges of numbers (2020_1-3: pages or months, name_month_range
    decides) and the words standing for 'part' (pt3)."""
    return re.sub(rf"(?<![a-z])\d+{_SEP}\d+|_\d+(?=_|$)", " ", stem, flags=re.IGNORECASE)
