"""Dates with their day in title lines and file names: 2020-10-05, 2020年10月5日, 20201005,
October 5, 2020, 5 Oct 2020, 10/05/2020, and ranges of them (2020-01-01至2020-12-31).

A date says when the figures were taken (a download of 2020-10-05 cannot hold the year's later
months) or, as a range from the first of January to the last of December, that a file holds a
whole year. periods.py reads what they mean for the period a file is filed as; this module only
finds and reads them, so the same spellings are known everywhere.
"""

from __future__ import annotations

import calendar
import re

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LONG = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december")
#: An English month, abbreviated (Sept. too) or in full, as a whole word.
EN_MONTH = (r"(?<![a-z])(?:" + "|".join(sorted({*_LONG, *MONTHS, "sept"}, key=len, reverse=True))
            + r")(?![a-z])\.?")
YEAR = r"(?:19|20)\d{2}"
_MON = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_ORD = r"(?:st|nd|rd|th)?"


#: A time after a date (2020-12-31 23:59:59): part of the date, not another number.
_TIME = r"(?:\s++\d{1,2}:\d{2}(?::\d{2})?)?"  # possessive: no backtracking


def _date(t: str) -> str:
    """A date with its day; group names end with `t` so that two can share a pattern."""
    return (rf"(?:(?<!\d)(?P<y{t}>{YEAR})(?:\s*年\s*(?P<m{t}>{_MON})\s*月\s*(?P<d{t}>{_DAY})\s*"
            rf"[日号]|(?P<s{t}>[-/.])(?P<n{t}>{_MON})(?P=s{t})(?P<e{t}>{_DAY})(?!\d)|"
            rf"(?P<o{t}>0[1-9]|1[0-2])(?P<p{t}>0[1-9]|[12]\d|3[01])(?!\d))|"
            rf"(?P<w{t}>{EN_MONTH})\s*(?P<x{t}>{_DAY}){_ORD}(?!\d),?\s*(?P<z{t}>{YEAR})(?!\d)|"
            rf"(?<!\d)(?P<f{t}>{_DAY}){_ORD}\s*(?P<g{t}>{EN_MONTH}),?\s*(?P<h{t}>{YEAR})(?!\d)|"
            rf"(?<![\d/])(?P<u{t}>{_DAY})/(?P<v{t}>{_DAY})/(?P<q{t}>{YEAR})(?!\d)|"
            rf"(?:(?<![\d.-])|(?<=\.{YEAR}-))(?P<k{t}>{_DAY})(?P<j{t}>[-.])(?P<l{t}>{_MON})(?P=j{t})(?P<r{t}>{YEAR})"
            rf"(?!\d)){_TIME}")


def _day_of_year(t: str) -> str:
    """A date without its year, as the end of a range may be written (至12月31日, to 31 Oct,
    2020-01-01至12-31): its year is the start's."""
    return (rf"(?:(?P<am{t}>{_MON})\s*月\s*(?P<ad{t}>{_DAY})\s*[日号]|"
            rf"(?<![\d/.])(?P<bm{t}>{_MON})[-/.](?P<bd{t}>{_DAY})(?![\d/.-])|"
            rf"(?P<cw{t}>{EN_MONTH})\s*(?P<cd{t}>{_DAY}){_ORD}(?![\d/.:-])|"
            rf"(?<!\d)(?P<dd{t}>{_DAY}){_ORD}\s*(?P<dw{t}>{EN_MONTH})(?!\s*,?\s*\d)){_TIME}")


#: A date with its day, in any of the spellings above.
DATE = re.compile(_date(""), re.IGNORECASE)
#: Two dates joined as a range: 2020-01-01至2020-12-31, January 1, 2020 - December 31, 2020,
#: 自2020年1月1日起至10月31日, since 1 January 2020 (to 31 October).
DATE_RANGE = re.compile(
    _date("1") + r"\s*+(?:起\s*+)?(?:[(（]\s*+)?(?:-|~|～|—|–|－|至|到|to|through|till|until)\s*"
    + rf"(?:{_date('2')}|{_day_of_year('3')})", re.IGNORECASE)


#: A day of the year without its year (1/1, 10-31, 10月31日, Oct 31, 31 October).
DAY_OF_YEAR = re.compile(_day_of_year(""), re.IGNORECASE)


def _month(text: str) -> int:
    word = text.strip().rstrip(".").casefold()
    return int(word) if word.isdigit() else MONTHS.index(word[:3]) + 1


def read(match: re.Match[str], t: str = "") -> tuple[int, int, int]:
    """(year, month, day) of a DATE (or one side of a DATE_RANGE, `t` "1" or "2"). 10/05/2020
    is read as the United States write it (October 5), unless its first number cannot be a
    month (31/12/2020). The end of a range written without its year has the start's."""
    g = match.groupdict()
    if t == "2" and not any(g[f"{k}2"] for k in "ywfuk"):
        year = read(match, "1")[0]
        if g["am3"] or g["bm3"]:
            month, day = (g["am3"], g["ad3"]) if g["am3"] else (g["bm3"], g["bd3"])
            return year, int(month), int(day)
        if g["cw3"]:
            return year, _month(g["cw3"]), int(g["cd3"])
        return year, _month(g["dw3"]), int(g["dd3"])
    if g[f"y{t}"]:
        month, day = next((g[f"{a}{t}"], g[f"{b}{t}"]) for a, b in ("md", "ne", "op")
                          if g[f"{a}{t}"])
        return int(g[f"y{t}"]), int(month), int(day)
    if g[f"w{t}"]:
        return int(g[f"z{t}"]), _month(g[f"w{t}"]), int(g[f"x{t}"])
    if g[f"g{t}"]:
        return int(g[f"h{t}"]), _month(g[f"g{t}"]), int(g[f"f{t}"])
    if g[f"k{t}"]:
        return int(g[f"r{t}"]), int(g[f"l{t}"]), int(g[f"k{t}"])
    first, second = int(g[f"u{t}"]), int(g[f"v{t}"])
    return (int(g[f"q{t}"]), second, first) if second <= 12 < first else (
        int(g[f"q{t}"]), first, second)


def last_day(year: int, month: int) -> int:
    """The last day of a month (28 to 31)."""
    return calendar.monthrange(year, month)[1]


def whole_year(match: re.Match[str]) -> int | None:
    """The year a DATE_RANGE spans from 1 January to 31 December, else None."""
    (y1, m1, d1), (y2, m2, d2) = read(match, "1"), read(match, "2")
    return y1 if y1 == y2 and (m1, d1, m2, d2) == (1, 1, 12, 31) else None


def whole_month(match: re.Match[str]) -> str | None:
    """The month ('2020-10') a DATE_RANGE spans from its first day to its last, else None."""
    (y1, m1, d1), (y2, m2, d2) = read(match, "1"), read(match, "2")
    if (y1, m1) == (y2, m2) and d1 == 1 and d2 == last_day(y1, m1):
        return f"{y1}-{m1:02d}"
    return None


def name_whole_years(text: str) -> str:
    """`text` with each range of a whole calendar year written as that year (2020年), so that
    what reads a year finds it, and what reads dates does not take its ends for two dates."""
    def year(match: re.Match[str]) -> str:
        found = whole_year(match)
        return match.group(0) if found is None else f" {found}年 "

    return DATE_RANGE.sub(year, text)


#: A date in a file name: its month and day with two digits each, the same mark between or
#: none (export_2020_downloaded_2021-01-05, _20210105). 2020-1-6 is not one: January to June,
#: or a date? The day or month first, then the year, with a mark (_05.10.2020, _10-05-2020).
_NAME_DATE = re.compile(rf"(?<!\d)(?P<y>{YEAR})(?P<s>[-_.]?)(?P<m>0[1-9]|1[0-2])(?P=s)"
                        rf"(?P<d>0[1-9]|[12]\d|3[01])(?!\d)|"
                        rf"(?:(?<![\d.-])|(?<=\d{{4}}-))(?P<a>0[1-9]|[12]\d|3[01])(?P<t>[-_.])(?P<b>0[1-9]|[12]\d|3[01])"
                        rf"(?P=t)(?P<z>{YEAR})(?!\d)")


def _name_date(match: re.Match[str]) -> tuple[int, int, int] | None:
    """(year, month, day) of a _NAME_DATE; a day or month first is read as dates.read reads
    10/05/2020 (October 5, unless the first cannot be a month), None if neither can be."""
    if match.group("y"):
        return int(match.group("y")), int(match.group("m")), int(match.group("d"))
    first, second = int(match.group("a")), int(match.group("b"))
    if first <= 12:
        return int(match.group("z")), first, second
    return (int(match.group("z")), second, first) if second <= 12 else None


def in_name(stem: str) -> list[tuple[int, int, int]]:
    """The dates a file name holds, as (year, month, day); 20201005 is one too."""
    return [d for d in map(_name_date, _NAME_DATE.finditer(stem)) if d is not None]


def mask_in_name(stem: str) -> str:
    """`stem` with its dates blanked: a download date is not the period."""
    return _NAME_DATE.sub(lambda m: " " if _name_date(m) else m.group(0), stem)


#: Cells of a workbook's title row joined by commas around a range's joiner
#: (统计时间：,2020-01-01,至,2020-12-31): one range, as the row shows it.
_CELL_JOIN = re.compile(r"\s*,\s*(至|到|to|through|till|until|-|~|～|—|–)\s*,\s*", re.IGNORECASE)
_CN_NUMERAL = dict(zip("〇零一二三四五六七八九", "00123456789", strict=True))
_CN_DAY = r"三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
#: A date written in Chinese numerals (二〇二一年一月五日): its year has four of them.
_CN_DATE = re.compile(rf"(?P<y>[〇零一二三四五六七八九]{{4}})\s*年(?:\s*(?P<m>十[一二]?|"
                      rf"[一二三四五六七八九])\s*月(?:\s*(?P<d>{_CN_DAY})\s*(?P<u>[日号]))?)?")
#: 'may' as the verb (figures may be revised), not the month, and Jan Mayen (a partner).
_MODAL_MAY = re.compile(r"(?<![a-z])may(?=[\s_]+(?:[a-z]+ly[\s_]+)?(?:be|not|also|have|change|"
                        r"differ|vary|include|contain|exclude|reflect|show|appear|add|sum|"
                        r"deviate|need|require|still|further|well|only[\s_]+be)(?![a-z]))|"
                        r"(?<![a-z])jan[\s_-]*mayen(?![a-z])", re.IGNORECASE)
#: The words after which May is the month whatever follows (through May include re-exports).
_BEFORE_MONTH = re.compile(r"(?:through|thru|to|until|till|in|since|from|of|end|and|or|before|"
                           r"after|during|by|early|late|mid)[\s_]*$", re.IGNORECASE)
#: A separator of a range (1-10月, Jan to Oct, 2020年1月至10月).
JOIN = r"\s*(?:-|~|～|〜|∼|⁓|—|–|－|‐|‑|―|−|至|到|to|through|thru|till|until)\s*"
#: 1 January to 31 December without the year (1月1日至12月31日, Jan 1 - Dec 31, 01.01.-31.12.):
#: the whole year, whose year stands beside.
WHOLE_DAYS = re.compile(
    r"(?<![\d/.a-z])(?:0?1\s*月\s*0?1\s*[日号]|jan(?:uary)?\.?\s*0?1(?:st)?|0?1(?:st)?\s*"
    rf"jan(?:uary)?\.?|0?1[/.-]0?1\.?)(?:\s*,?\s*{YEAR})?{JOIN}(?:12\s*月\s*31\s*[日号]|"
    r"dec(?:ember)?\.?\s*31(?:st)?|31(?:st)?\s*dec(?:ember)?\.?|12[/.-]31|31[/.-]12\.?)"
    r"(?![\d/a-z])", re.IGNORECASE)


def _cn_number(text: str) -> int:
    """1-31 from 一, 十, 十二, 二十五, 三十一."""
    if "十" not in text:
        return int(_CN_NUMERAL[text])
    tens, _, ones = text.partition("十")
    return (int(_CN_NUMERAL[tens]) if tens else 1) * 10 + (int(_CN_NUMERAL[ones]) if ones else 0)


def _arabic(match: re.Match[str]) -> str:
    said = "".join(_CN_NUMERAL[c] for c in match.group("y")) + "年"
    if match.group("m"):
        said += f"{_cn_number(match.group('m'))}月"
    if match.group("d"):
        said += f"{_cn_number(match.group('d'))}{match.group('u')}"
    return said


def _not_month(match: re.Match[str]) -> str:
    before = match.string[:match.start()]
    return match.group(0) if match.group(0)[:1] in "mM" and _BEFORE_MONTH.search(before) else " "


#: A whole year given by labelled start and end months (起始时间：2020年01月 截止时间：2020年12月,
#: 起始年月：202001；截止年月：202012).
_LABELLED_YEAR = re.compile(
    rf"(?:起始|开始)\s*(?:时间|年月|月份|日期)?\s*[:：,]*\s*(?P<a>{YEAR})\s*(?:年\s*0?1\s*月?|[-/.]?01)"
    rf"[\s,;；，、]*(?:截止|终止|结束)\s*(?:时间|年月|月份|日期)?\s*[:：,]*\s*(?P<b>{YEAR})\s*"
    r"(?:年\s*12\s*月?|[-/.]?12)(?!\d)")


def _labelled_year(match: re.Match[str]) -> str:
    return f" {match.group('a')}年 " if match.group("a") == match.group("b") else match.group(0)


def plain(text: str) -> str:
    """A title line as its dates are read: cells of a range joined again, dates in Chinese
    numerals in digits, the whole year's days (1 January to 31 December) as a space beside
    its year, and 'may' the verb and Jan Mayen (a partner) set aside."""
    text = _CN_DATE.sub(_arabic, _CELL_JOIN.sub(r" \1 ", text))
    text = _LABELLED_YEAR.sub(_labelled_year, text)
    return _MODAL_MAY.sub(_not_month, WHOLE_DAYS.sub(" ", text))
