"""Dates with their day in title lines and file names: 2020-10-05, 2020年10月5日, 20201005,
October 5, 2020, 5 Oct 2020, 10/05/2020, and ranges of them (2020-01-01至2020-12-31).

A date says when the figures were taken (a download of 2020-10-05 cannot hold the year's later
months) or, as a range from the first of January to the last of December, that a file holds a
whole year. periods.py reads what they mean for the period a file is filed as; this module only
finds and reads them, so the same spellings are known everywhere.
"""

from __future__ import annotations

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


def _date(t: str) -> str:
    """A date with its day; group names end with `t` so that two can share a pattern."""
    return (rf"(?:(?<!\d)(?P<y{t}>{YEAR})(?:\s*年\s*(?P<m{t}>{_MON})\s*月\s*(?P<d{t}>{_DAY})\s*"
            rf"[日号]|(?P<s{t}>[-/.])(?P<n{t}>{_MON})(?P=s{t})(?P<e{t}>{_DAY})(?!\d)|"
            rf"(?P<o{t}>0[1-9]|1[0-2])(?P<p{t}>0[1-9]|[12]\d|3[01])(?!\d))|"
            rf"(?P<w{t}>{EN_MONTH})\s*(?P<x{t}>{_DAY}){_ORD}(?!\d),?\s*(?P<z{t}>{YEAR})(?!\d)|"
            rf"(?<!\d)(?P<f{t}>{_DAY}){_ORD}\s*(?P<g{t}>{EN_MONTH}),?\s*(?P<h{t}>{YEAR})(?!\d)|"
            rf"(?<![\d/])(?P<u{t}>{_DAY})/(?P<v{t}>{_DAY})/(?P<q{t}>{YEAR})(?!\d))")


#: A date with its day, in any of the spellings above.
DATE = re.compile(_date(""), re.IGNORECASE)
#: Two dates joined as a range: 2020-01-01至2020-12-31, January 1, 2020 - December 31, 2020.
DATE_RANGE = re.compile(
    _date("1") + r"\s*(?:-|~|～|—|–|－|至|到|to|through|till|until)\s*" + _date("2"),
    re.IGNORECASE)


def _month(text: str) -> int:
    word = text.strip().rstrip(".").casefold()
    return int(word) if word.isdigit() else MONTHS.index(word[:3]) + 1


def read(match: re.Match[str], t: str = "") -> tuple[int, int, int]:
    """(year, month, day) of a DATE (or one side of a DATE_RANGE, `t` "1" or "2"). 10/05/2020
    is read as the United States write it (October 5), unless its first number cannot be a
    month (31/12/2020)."""
    g = match.groupdict()
    if g[f"y{t}"]:
        month, day = next((g[f"{a}{t}"], g[f"{b}{t}"]) for a, b in ("md", "ne", "op")
                          if g[f"{a}{t}"])
        return int(g[f"y{t}"]), int(month), int(day)
    if g[f"w{t}"]:
        return int(g[f"z{t}"]), _month(g[f"w{t}"]), int(g[f"x{t}"])
    if g[f"g{t}"]:
        return int(g[f"h{t}"]), _month(g[f"g{t}"]), int(g[f"f{t}"])
    first, second = int(g[f"u{t}"]), int(g[f"v{t}"])
    return (int(g[f"q{t}"]), second, first) if second <= 12 < first else (
        int(g[f"q{t}"]), first, second)


def whole_year(match: re.Match[str]) -> int | None:
    """The year a DATE_RANGE spans from 1 January to 31 December, else None."""
    (y1, m1, d1), (y2, m2, d2) = read(match, "1"), read(match, "2")
    return y1 if y1 == y2 and (m1, d1, m2, d2) == (1, 1, 12, 31) else None


def name_whole_years(text: str) -> str:
    """`text` with each range of a whole calendar year written as that year (2020年), so that
    what reads a year finds it, and what reads dates does not take its ends for two dates."""
    def year(match: re.Match[str]) -> str:
        found = whole_year(match)
        return match.group(0) if found is None else f" {found}年 "

    return DATE_RANGE.sub(year, text)


#: A date in a file name: its month and day with two digits each, the same mark between
#: (export_2020_downloaded_2021-01-05). 2020-1-6 is not one: January to June, or a date?
_NAME_DATE = re.compile(rf"(?<!\d)({YEAR})([-_.])(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")


def in_name(stem: str) -> list[tuple[int, int, int]]:
    """The dates a file name holds, as (year, month, day)."""
    return [(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            for m in _NAME_DATE.finditer(stem)]


def mask_in_name(stem: str) -> str:
    """`stem` with its dates blanked: a download date is not the period."""
    return _NAME_DATE.sub(" ", stem)
