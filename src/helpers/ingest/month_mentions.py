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
#: Where a range of the whole year was: kept apart so that a label before it can go too
#: (months 1-12, 月份：1-12月).
_MARK = "\x00"
#: Words and numbers that may say months, in a title once the known senses are masked.
_MONTH_WORD = re.compile(
    rf"月(?![饼桂季])|{dates.EN_MONTH}|(?<![a-z])(?:{_MON3})(?:{_MON3})(?![a-z])|"
    r"(?<![a-z])(?:months?|mos|mths?|mnths?|weeks?|days?|mtd|partial|incomplete)(?![a-z])|"
    r"(?<![a-z\d])\d{1,2}\s*mo(?![a-z])|(?<![a-z\d])\d{1,2}\s*m\s*(?:\d{4}|\d{2})(?!\d)|"
    r"(?<![a-z\d])(?:[1-4]\s*q|[12]\s*h)(?:\s*(?:\d{4}|\d{2}))?(?![a-z\d])|"
    r"(?<![a-z\d])m(?:0?[1-9]|1[0-2])(?!\d)(?![\s_-]*(?:螺|bolts?|screws?|nuts?))|"
    r"(?<!月)季(?!豆)|半\s*年|年\s*初(?![步值稿审])|"
    r"年\s*中(?=\s*(?:$|[\s,，。;；:：)）\]]|期|时|以前|前|为止|止|数据))|年\s*年\s*中|"
    r"至\s*今|迄\s*今|以\s*来|[上中下]\s*旬|[天周]|星期|"
    r"(?<![a-z])(?:q[1-4]|h[12]|s[12])(?:\s*(?:\d{4}|\d{2}))?(?![a-z\d])|"
    r"(?<![a-z])(?:quarter|half|semester)|"
    r"(?<![a-z])(?:ytd|year[\s-]*to[\s-]*date|to\s+date|so\s+far|thus\s+far|"
    r"(?:till|until|to|up\s+to)\s+now)(?![a-z])|"
    r"(?<![a-z])(?:from|to|start|end|begin)\s*[:：=]\s*\d{1,2}(?!\d)|"
    r"(?:起始|截止|开始|结束|起|止)\s*[:：=]?\s*\d{1,2}(?!\d)|截\s*[至止]\s*到?(?=\s*\S)|"
    rf"(?<![\d./:-])(?:0?[1-9]|1[0-2]){_SEP}(?:0?[1-9]|1[0-2])(?![\d./:%])"
    r"(?!\s*(?:[%号个家种位名条项台吨件只千万亿兆瓦]|(?:[mkg]w|kg|t|tons?|mm|cm|m|digits?|"
    r"partners?|products?|countries|items|rows|places?)(?![a-z])))", re.IGNORECASE)
#: A day and month without their year, in numbers (31/10, 10/31, 31.10.).
_NUM_DAY = re.compile(r"(?<![\d/.,])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/%])|"
                      r"(?<![\d.,])(?P<c>\d{1,2})\.(?P<d>\d{1,2})\.(?!\d)")
#: A date with a two-digit year (10/05/20, 5.10.20), and a month with one (Jan-21, Dec-20).
_SHORT_DATE = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)"
                         rf"(?P<y>\d{{2}})(?![\d/.-])|(?P<w>{dates.EN_MONTH})[-'’](?P<z>\d{{2}})"
                         r"(?![\d/])", re.IGNORECASE)
#: Numbers that are not months: pages, chapters, tables, sections, digits of an HS code
#: (第1-3页, HS第1-9章, 表1-2, Top 1-10): the numbers go with their word.
_NOT_MONTHS = re.compile(
    r"(?<![a-z])(?:pages?|pp?\.?|parts?|pt|chapters?|ch\.?|sections?|附?表|图|tables?|tab\.|"
    r"fig(?:ure)?s?\.?|top|no\.|nr\.|#|第)\s*(?<!\d)\d++(?:\s*[-~～至到]\s*\d++)?\s*"
    r"(?:[页章类位节部]|(?:digits?|chapters?)(?![a-z]))?|"
    r"(?<!\d)\d++(?:\s*[-~～至到]\s*\d++)?\s*(?:[页章类位节]|(?:digits?|chapters?)(?![a-z]))",
    re.IGNORECASE)
#: Twelve months (12个月, twelve months), unless counted back (trailing 12 months, 近12个月).
_TWELVE = re.compile(r"(?<![\d.])(?:12|十二)\s*个\s*月|(?<![a-z\d.])(?:12|twelve)[\s_-]*months?"
                     r"(?![a-z])", re.IGNORECASE)
_COUNTED_BACK = re.compile(r"(?:of|last|trailing|rolling|past|previous|recent|近|滚动|最近|过去)"
                           r"\s*$", re.IGNORECASE)
#: 1 January to 31 December without the year (1月1日至12月31日, Jan 1 - Dec 31, 01.01.-31.12.).
_WHOLE_DAYS = re.compile(
    r"(?<![\d/.a-z])(?:0?1\s*月\s*0?1\s*[日号]|jan(?:uary)?\.?\s*0?1(?:st)?|0?1(?:st)?\s*"
    rf"jan(?:uary)?\.?|0?1[/.-]0?1\.?)(?:\s*,?\s*{dates.YEAR})?{_SEP}(?:12\s*月\s*31\s*[日号]|"
    r"dec(?:ember)?\.?\s*31(?:st)?|31(?:st)?\s*dec(?:ember)?\.?|12[/.-]31|31[/.-]12\.?)"
    r"(?![\d/a-z])", re.IGNORECASE)
#: A range of month numbers from 1 to 12 (查询：2020 1-12, months 1 to 12).
_WHOLE_NUMBERS = re.compile(rf"(?<![\d./:-])0?1{_SEP}12(?![\d./:%])", re.IGNORECASE)
#: The label of a whole year's range: months 1-12, 月份：1-12月, Months: Jan-Dec.
_LABEL = re.compile(rf"(?:months?|mos|统计月份|月份|月)\s*[:：=,]?\s*[(（]?\s*{_MARK}",
                    re.IGNORECASE)
#: A month said with its year before the words of a rule taking effect (2020年6月起新增).
_EFFECTIVE_MONTH = re.compile(
    rf"(?<!\d){dates.YEAR}\s*年\s*\d{{1,2}}\s*月\s*份?\s*(?:起|以后|之后|后|以来)\s*"
    r"(?:新增|执行|实施|施行|生效|启用|调整|变更|使用|采用|取消)")
#: The words of a rule, without which a start date (自2020年7月1日起, since 1 July 2020) is
#: when the figures begin, not when a rule took effect.
_RULE_WORD = re.compile(r"执行|实施|施行|生效|启用|调整|变更|采用|取消|新增|标准|规则|税率|编码|"
                        r"目录|版|(?<![a-z])(?:effective|in\s+force|appl(?:y|ies|ied)|rules?|"
                        r"standards?|codes?|tariffs?|nomenclature|classification)(?![a-z])",
                        re.IGNORECASE)
#: Excel's line naming the delimiter (sep=,): no title.
_SEP_LINE = re.compile(r"\s*sep\s*=.?\s*,?\s*", re.IGNORECASE)


def _known_dates(text: str, year: int) -> tuple[str, str | None]:
    """`text` with the dates that leave `year` whole blanked (after the year, on its last day,
    the day a rule took effect, an edition of the codes), and the first other date, if any."""
    kept: list[str] = []
    rule = bool(_RULE_WORD.search(text))

    def blank(match: re.Match[str]) -> str:
        when = dates.read(match)
        before = text[:match.start()]
        effective = rule and (periods.EFFECTIVE_AFTER.match(text, match.end())
                              or (periods.EFFECTIVE_BEFORE.search(before)
                                  and not periods.RANGE_NEXT.match(text, match.end())))
        if (when[0] > year or (when[1:] == (12, 31) and when[0] == year) or effective
                or (when[0] < year and periods.EDITION.search(before))):
            return " "
        kept.append(match.group(0).strip())
        return " "

    text = dates.DATE.sub(blank, text)
    return text, (kept[0] if kept else None)


def _short_dates(text: str, year: int) -> tuple[str, str | None]:
    """`text` with dates and months of two-digit years after `year` (or on its last day or in
    its December) blanked, and the first other one, if any."""
    kept: list[str] = []

    def blank(match: re.Match[str]) -> str:
        said = 2000 + int(match.group("y") or match.group("z"))
        last = ({int(match.group("a")), int(match.group("b"))} == {12, 31} if match.group("y")
                else periods.month_number(match.group("w")) == 12)
        if said > year or (said == year and last):
            return " "
        kept.append(match.group(0).strip())
        return " "

    text = _SHORT_DATE.sub(blank, text)
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


#: The last day of the year without its year (Dec. 31 close, 12月31日), and data to the end of
#: the year (截至2020年底, 截至年末): the whole year.
_YEAR_END = re.compile(rf"(?<![\d/.a-z])(?:dec(?:ember)?\.?\s*31(?:st)?|31(?:st)?\s*dec(?:ember)?"
                       r"\.?|12\s*月\s*31\s*[日号])(?![\d/a-z])|截\s*[至止]\s*到?\s*(?:"
                       rf"{dates.YEAR}\s*年?)?\s*(?:年?\s*[底末])?(?=\s*(?:$|[\s,，.。;；)）\]]))",
                       re.IGNORECASE)


def _whole_days(text: str) -> str:
    """`text` with ranges of 1 January to 31 December, with or without their year, marked."""
    return _WHOLE_DAYS.sub(_MARK, dates.name_whole_years(text))


def _whole_year(text: str) -> str:
    """`text` with what says the whole year masked: ranges of January to December (of dates,
    days, months, quarters or month numbers, with the label before them), its last day,
    running totals to December and twelve months that are not counted back. Dates with their
    day go first (_whole_days, _known_dates): 截至2020年12月31日 is a day, not a month."""
    text = _YEAR_END.sub(" ", periods.WHOLE_QUARTERS.sub(" ", text))
    text = periods.mask_december_totals(periods.mask_whole_ranges(text, _MARK))
    text = _LABEL.sub(_MARK, _WHOLE_NUMBERS.sub(_MARK, text)).replace(_MARK, " ")
    return _TWELVE.sub(lambda m: m.group(0) if _COUNTED_BACK.search(text[:m.start()]) else " ",
                       text)


def _day_pair(match: re.Match[str]) -> bool:
    """Whether a _NUM_DAY reads as a day of the year other than 31 December."""
    a, b = (int(match.group("a")), int(match.group("b"))) if match.group("a") else (
        int(match.group("d")), int(match.group("c")))
    readings = [(m, d) for m, d in ((a, b), (b, a)) if 1 <= m <= 12 and 1 <= d <= 31]
    return bool(readings) and (12, 31) not in readings


def in_title(text: str, filed: str) -> str | None:
    """The first words of a title line that may say months of the year `filed` ('2020') which
    this suite cannot read as the whole year, else None."""
    if _SEP_LINE.fullmatch(text):
        return None
    year = int(filed)
    text = _whole_days(dates.plain(text))
    for known in (_known_dates, _short_dates):
        text, said = known(text, year)
        if said is not None:
            return said
    text, said = _known_months(_whole_year(text), year)
    if said is not None:
        return said
    text = _NOT_MONTHS.sub(" ", text)
    day = next((m for m in _NUM_DAY.finditer(text) if _day_pair(m)), None)
    if day is not None:  # 截至31/10, 1/1-10/31: days without their year
        return day.group(0)
    match = _MONTH_WORD.search(text)
    return match.group(0).strip() if match else None


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
_NAME_TO = re.compile(rf"(?<![a-z])(?:to|thru|through|till|until|upto)[\s_-]*(?:\d{{1,2}}(?!\d)|"
                      rf"(?:{_MON3})[a-z]*)", re.IGNORECASE)
#: The run to December or its last day in a name (export_2020_through_december, _dec31).
_NAME_TO_END = re.compile(r"(?<![a-z])(?:(?:to|thru|through|till|until|upto)[\s_-]*"
                          r"(?:dec(?:ember)?|12)|dec(?:ember)?[\s_-]*31(?:st)?)(?![a-z\d])",
                          re.IGNORECASE)
#: Months counted in a name (export_2020_10m; not 5m_usd, millions), and a month and day after
#: the year (_1031, _10-31; not 1231, the year's last day).
_NAME_COUNT = re.compile(
    r"(?<![a-z\d])\d{1,2}m(?![a-z])(?![\s_-]*(?:usd|rmb|cny|yuan|dollars?|company|co)(?![a-z]))|"
    r"(?<=\d{4}[-_. ])(?!1231)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)|"
    r"(?<=\d{4}[-_. ])(?:0?[1-9]|1[0-2])[-_.](?:1[3-9]|2\d|3[01])(?!\d)", re.IGNORECASE)


def in_name(stem: str, filed: str) -> str | None:
    """The first part of a file name that may say months of the year `filed` ('2020'), once
    its dates, pages and the year itself are set aside, else None. Numbers after the year alone
    (export_2020_2: the second page of a query) are no months."""
    year = int(filed)
    stem = periods.NAME_PAGES.sub(" ", dates.mask_in_name(dates.plain(stem)))
    stem = _whole_days(stem)
    for known in (_known_dates, _short_dates):
        stem, said = known(stem, year)
        if said is not None:
            return said
    stem = _NAME_TO_END.sub(" ", _whole_year(stem))
    months = {(int(m.group(1)), int(m.group(2) or m.group(3)))
              for m in _NAME_MONTH.finditer(stem) if int(m.group(1)) <= year}
    if months and months != {(year, 1), (year, 12)}:
        return next(m.group(0) for m in _NAME_MONTH.finditer(stem) if int(m.group(1)) <= year)
    stem = _NAME_MONTH.sub(" ", stem)
    for pattern in periods.NAME_RANGES:  # export_2020_jan_dec, 2020_1-12
        stem = pattern.sub(lambda m: " " if (periods.month_number(m.group("a")),
                                              periods.month_number(m.group("b"))) == (1, 12)
                           else m.group(0), stem)
    match = (_NAME_TO.search(stem) or _NAME_COUNT.search(stem)
             or _MONTH_WORD.search(_without_numbers(stem)))
    return match.group(0) if match else None


def _without_numbers(stem: str) -> str:
    """A name without its ranges of numbers (2020_1-3: pages or months, name_month_range
    decides) and the numbers standing alone after a mark (_3: a page)."""
    return re.sub(rf"(?<![a-z])\d+{_SEP}\d+|_\d+(?=_|$)", " ", stem, flags=re.IGNORECASE)
