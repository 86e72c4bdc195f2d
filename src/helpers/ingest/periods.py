"""What a file's name or title lines say about the period its figures cover.

An annual download (no 数据年月 column) is filed as the one period its name or `--period`
gives. The platform also answers a query for part of a year (1-10月, 一季度, 上半年) with the
same table, titled so ("2020年1-10月 新疆出口"): filed as the year 2020, it beside the year
2019 makes ten months against twelve look like a fall of a sixth. So a name or title that says
part of a year is refused, and a title naming another year or month than the one filed is too.
A monthly download (数据年月 column) whose title says its values are cumulative (累计, year to
date) would have each month's running total summed as if it were the month's own.

Titles mention years in other senses as well: a comparison (比2019年, 与2019年同期相比,
compared with 2019, 2015=100), a classification's edition (HS 2017, 2017年版), a date with its
day (2021-01-05: when it was downloaded or updated), what follows a download or update word
(导出时间：2021年1月), and amounts or counts (2000万美元, 2020条). These are masked before the
periods are read, as titles.py masks thresholds and amounts before it reads a unit.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers.errors import InputError
from helpers.ingest import dates
from helpers.ingest.titles import title_text

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10, "十一": 11, "十二": 12}
_MONTHS = dates.MONTHS
_EN_MONTH = dates.EN_MONTH
_CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九])"
SEP = dates.JOIN
_YEAR = dates.YEAR


def month_number(text: str) -> int:
    """1-12 from '10', '十', 'oct', 'October' or 'Sept.'."""
    word = text.strip().rstrip(".月").casefold()
    if word.isdigit():
        return int(word)
    if word in _CN_DIGITS:
        return _CN_DIGITS[word]
    return _MONTHS.index(word[:3]) + 1


#: Ranges of months: 1-10月, 1月至10月, 一至十月, 202001-202010, 2020.01-2020.10, Jan-Oct,
#: January to October; (first, last) are named groups a and b.
RANGES = [re.compile(p, re.IGNORECASE) for p in (
    rf"(?<!\d)(?P<a>0?[1-9]|1[0-2])\s*月?{SEP}(?:{_YEAR}\s*年\s*)?(?P<b>0?[1-9]|1[0-2])\s*月",
    rf"(?P<a>{_CN_MONTH})\s*月?{SEP}(?P<b>{_CN_MONTH})\s*月",
    rf"(?<!\d){_YEAR}[-./]?(?P<a>0[1-9]|1[0-2]){SEP}(?:{_YEAR}[-./]?)?(?P<b>0[1-9]|1[0-2])"
    r"(?!\d)",
    rf"(?<!\d){_YEAR}\s*年\s*(?P<a>0?[1-9]|1[0-2]){SEP}(?P<b>0?[1-9]|1[0-2])(?![\d月])",
    rf"(?P<a>{_EN_MONTH})(?:\s*{_YEAR})?{SEP}(?P<b>{_EN_MONTH})",
    rf"(?<!\d){_YEAR}[-./](?P<a>0?[1-9]|1[0-2]){SEP}(?:{_YEAR}[-./])?(?P<b>0?[1-9]|1[0-2])"
    r"(?![\d.])",
    rf"(?<![\d/])(?P<a>0?[1-9]|1[0-2])/{_YEAR}{SEP}(?P<b>0?[1-9]|1[0-2])/{_YEAR}(?!\d)",
    rf"(?<![\da-z])(?:{_YEAR}\s*)?M(?P<a>0?[1-9]|1[0-2]){SEP}(?:{_YEAR}\s*)?M(?P<b>0?[1-9]|1[0-2])"
    r"(?!\d)",
    rf"月\s*份?\s*[:：]\s*(?P<a>0?[1-9]|1[0-2]){SEP}(?P<b>0?[1-9]|1[0-2])(?![\d月])",
    rf"(?<![\d/.])(?P<a>0?[1-9]|1[0-2])\.?{SEP}(?P<b>0?[1-9]|1[0-2])\.?\s*[/.]\s*{_YEAR}(?!\d)",
    rf"(?<!\d){_YEAR}\s+(?P<a>0?[1-9]|1[0-2]){SEP}(?P<b>0?[1-9]|1[0-2])(?![\d月./])")]
#: Part of a year however its months are counted: quarters and halves. A running total is
#: told by the month it runs to (_UP_TO: 累计至10月 is part, 12月累计 the whole year).
_PARTS = re.compile(
    r"(?<!月)季(?![豆节戊铵青])度?|半年|(?<![a-z])(?:[1-4]q|q[1-4]|[12]h|h[12])(?![a-z0-9])|"
    r"(?<![a-z])(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:quarter|half)|"
    r"(?<![a-z])quarter(?:ly)?(?![a-z])(?![\s-]*turn)|(?<![a-z])half[\s-]year", re.IGNORECASE)
#: The running-total words alone: what a monthly download's title must not say.
_CUMULATIVE = re.compile(r"(?<![非不])累\s*计|(?<![a-z])(?<!non-)(?<!non)(?<!not )"
                         r"(?:cumulative|accumulated)|year[\s-]*to[\s-]*date|(?<![a-z])ytd"
                         r"(?![a-z])", re.IGNORECASE)
#: The words before the month data run to: 截至 / 截止, and 数据更新至 / 统计至 / 数据截止到,
#: with the year they may name as 本年 (截至本年10月).
_TO_WORD = (r"(?:(?:数据|统计|更新|汇总)\s*(?:截\s*[至止]\s*到?|[至到])|截\s*[至止]\s*到?|"
            r"最\s*新\s*(?:数据)?\s*(?:月\s*份?|期))"
            r"\s*[:：,]?\s*(?:本年度?|今年|当年)?")
#: The English words before the month data run to (through October, data updated to 2020-10).
_EN_TO = (r"(?<![a-z])(?:through|up\s+to|as\s+of|to\s+end[\s-]?|end[\s-]of|until|till|"
          r"(?:updated|data|figures|statistics|year)\s+to)\s*[:：,]?")
#: The months up to one (前10个月, 截至10月, 截止2020-10-31, through October, as of Oct 2020):
#: its group m is the last month, the whole year when it is December.
_UP_TO = re.compile(
    rf"前\s*(?P<m>\d{{1,2}}|{_CN_MONTH})\s*个?\s*月|"
    rf"累\s*计\s*[至到]\s*[:：]?\s*(?:{_YEAR}\s*年\s*)?(?P<k>\d{{1,2}}|{_CN_MONTH})\s*月|"
    rf"(?<!\d)(?P<c>\d{{1,2}}|{_CN_MONTH})\s*月\s*份?\s*(?:末\s*)?累\s*计|"
    rf"{_TO_WORD}\s*(?:(?P<ny>{_YEAR})\s*年\s*)?(?P<n>\d{{1,2}}|{_CN_MONTH})\s*月|"
    rf"(?:{_TO_WORD}|{_EN_TO})\s*(?P<oy>{_YEAR})\s*[-/.]\s*(?P<o>\d{{1,2}})(?!\d)|"
    rf"[（(]\s*[至到]\s*(?P<i>\d{{1,2}}|{_CN_MONTH})\s*月|"
    rf"(?:(?P<jy>{_YEAR})\s*年\s*|(?<![\d年月]))(?P<j>\d{{1,2}}|{_CN_MONTH})\s*月\s*份?\s*为?止|"
    rf"(?P<d>{_EN_MONTH})[\s_-]*(?:ytd|year[\s_-]*to[\s_-]*date|cumulative)|"
    rf"{_EN_TO}\s*(?:(?P<ed>\d{{1,2}})(?:st|nd|rd|th)?\s+)?"
    rf"(?P<e>{_EN_MONTH})(?:\s*(?P<ef>\d{{1,2}})(?:st|nd|rd|th)?(?!\d))?,?\s*(?P<ey>{_YEAR})?",
    re.IGNORECASE)


#: The words before a date that says which edition of the codes is used (HS codes as of 1
#: January 2017): not a date the figures run to.
EDITION = re.compile(r"(?:hs|codes?|编码|目录|nomenclature|edition|版本?)\W*(?:as\s+of|of|"
                     r"from|since|自|从)?\s*$", re.IGNORECASE)
#: The words before the last date data run to (截至20201031, as of 31 October 2020).
_AS_OF = re.compile(r"(?:截\s*[至止]\s*到?\s*(?:日期|时间)?|(?:数据|统计|更新)\s*[至到]|"
                    r"(?<![a-z])(?:as\s+of|through|until|till|up\s+to|(?:data|figures|statistics|updated)\s+to))"
                    r"\s*[:：,(（]?\s*$", re.IGNORECASE)
_COUNTS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve")
#: A number of months (10 months, first ten months, 10months in a name).
_MONTH_COUNT = re.compile(rf"(?<![a-z\d.])(?P<q>\d{{1,2}}|{'|'.join(_COUNTS)})[\s_-]*months?"
                          r"(?![a-z])", re.IGNORECASE)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNTS.index(word.casefold()) + 1


#: The whole year's words (全年, 全年累计), not in a note of what is still to come (全年数据将于
#: 2021年1月发布 beside 本年累计: this year's running total so far).
_WHOLE_YEAR = re.compile(r"全\s*年\s*度?(?!\s*(?:的\s*)?(?:数\s*据|统\s*计|资\s*料|数\s*字)?\s*"
                         r"(?:将|尚|未|待|另|于|需|要|会))")


#: The four quarters together (Q1-Q4, 1-4季度, 一至四季度, 四个季度合计): the whole year.
WHOLE_QUARTERS = re.compile(
    r"(?<!近)(?<!滚动)(?<!最近)(?<![a-z])(?:q1\s*(?:-|~|–|—|to|至)\s*q4(?![a-z\d])|h1\s*[+/&]\s*h2|"
    r"q1\s*\+\s*q2\s*\+\s*q3\s*\+\s*q4|"
    r"(?<!\d)第?\s*[1一]\s*(?:-|~|–|—|至|到)\s*第?\s*[4四]\s*季\s*度?|(?:全年\s*)?四\s*个\s*季\s*度|"
    r"上\s*(?:半\s*年\s*)?[+和及与、,，]\s*下\s*半\s*年|(?:all|the)\s+(?:four|4)\s+quarters)",
    re.IGNORECASE)


def part_of_year(text: str, filed: str | None = None) -> str | None:
    """The words of `text` that say it covers part of a year (1-10月, Q1, 上半年, Jan-Oct,
    累计至10月, 截至10月), else None. A range from January to December is the whole year. A
    date after the year `filed` (数据截至2021年1月20日, as of January 20, 2021, above 2020's
    figures) says when the data were taken, not the months they cover. A running total with
    no month it runs to (累计, year to date) may be part of a year: it is returned too, unless
    a December or a whole year's range beside it says the year (12月累计, 1-12月累计)."""
    text = WHOLE_QUARTERS.sub(" ", text)  # Q1-Q4, 1-4季度: the four quarters
    whole = bool(_WHOLE_YEAR.search(text))  # 全年累计: the whole year's running total
    for match in dates.DATE_RANGE.finditer(text):  # 2020-01-01至2020-10-31
        if dates.whole_year(match) is not None:
            whole = True
        elif filed is not None and dates.whole_month(match) == filed:
            continue  # 2020-10-01至2020-10-31 above a file of October
        elif filed is None or dates.read(match, "1")[0] <= int(filed[:4]):
            return match.group(0).strip()
    text = dates.name_whole_years(text)
    for match in dates.DATE.finditer(text):  # as of 31 October 2020, 截至20201031
        year, month, day = dates.read(match)
        if (_AS_OF.search(text[:match.start()]) and (month, day) != (12, 31)
                and not EDITION.search(text[:match.start()])
                and (filed is None or year <= int(filed[:4]))):
            return (_AS_OF.search(text[:match.start()]).group(0)  # type: ignore[union-attr]
                    + match.group(0)).strip()
    for match in _MONTH_COUNT.finditer(text):  # (10 months), first ten months
        if _count(match.group("q")) != 12:
            return match.group(0).strip()
    for match in _UP_TO.finditer(text):  # before the masking: 截至2020-10-31 has its day
        year = next((g for g in match.group("ny", "oy", "ey", "jy") if g), None)
        if ((year is not None and filed is not None and int(year) > int(filed[:4]))
                or EDITION.search(text[:match.start()])):
            continue
        if _to_december_day(match) != 31:  # 截至10月; 截至12月20日 is short of the year too
            return match.group(0).strip()
        whole = True
    text = _mask_other_senses(text)
    for pattern in RANGES:
        for match in pattern.finditer(text):
            first, last = month_number(match.group("a")), month_number(match.group("b"))
            if (first, last) != (1, 12):
                return match.group(0).strip()
            whole = True
    match = _PARTS.search(text) or (None if whole else _CUMULATIVE.search(text))
    return match.group(0).strip() if match else None


#: Running-total words said not to apply (不含累计, 累计值另表, not year-to-date), and words
#: that say the values are each month's own (当月, monthly): such a title is no running total.
_NOT_CUMULATIVE = re.compile(
    r"(?:不含|不是|不为|并非|非|不|无|没有)\s*累\s*计|累\s*计\s*(?:值|数)?\s*(?:另表|见另表|另见)|"
    r"(?<![a-z])(?:not|non|no)[\s-]*(?:cumulative|accumulated|year[\s-]*to[\s-]*date|ytd)",
    re.IGNORECASE)
_OWN_MONTH = re.compile(r"当\s*月|(?<![a-z])monthly(?![a-z])|month'?s own", re.IGNORECASE)


def cumulative(text: str) -> str | None:
    """The words of a title that say its values are running totals (累计, cumulative,
    year-to-date), else None: what a monthly download must not be."""
    text = _NOT_CUMULATIVE.sub(" ", text)
    match = _CUMULATIVE.search(text)
    return match.group(0) if match and not _OWN_MONTH.search(text) else None


#: Words saying when figures were taken or published (导出时间, 数据来源, downloaded, last
#: updated), not the months they run to (更新至, updated to: _UP_TO reads those).
TAKEN_WORD = (r"(?:导出|下载|更新|制表|发布|公布|打印|生成|获取|查询|来源|修订|修正|downloaded|"
               r"exported|updated|generated|printed|retrieved|accessed|published|released|"
               r"revised|source|prepared|compiled|cited?|citation|制作|编制|整理|引用)")
#: What may stand between such a word and its date: 时间, 于, on, a colon or comma, a few
#: words without digits (数据来源：海关总署，2021年1月); never 至 / to, a dash or a month (those
#: make a range, Source: GACC (January-December 2020)).
TAKEN_GAP = (rf"(?:(?!至|到|(?<![a-z])(?:to|through|until|till)(?![a-z])|{_EN_MONTH})"
              r"[^\d;；|。\-~～—–－]){0,24}?")


#: Mentions of a year in another sense than the period the figures cover (module docstring).
_OTHER_SENSES = re.compile(
    rf"(?:{_YEAR}([-/.])\d{{1,2}}\1\d{{1,2}}(?!\d)|{_YEAR}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|"
    rf"{_YEAR}\s*年?(?:\s*\d{{1,2}}\s*月)?(?:\s*\d{{1,2}}\s*日)?\s*(?:公布|发布|修订|修正|更新)|"
    rf"{_EN_MONTH}\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s*{_YEAR}|\d{{1,2}}\s*{_EN_MONTH}\s*{_YEAR}|"
    r"(?<!\d)12\s*月\s*份?\s*(?:末\s*)?累\s*计|"
    rf"(?:{_EN_MONTH}\s*)?{_YEAR}\s*(?:release|revision|update)|"
    rf"{TAKEN_WORD}{TAKEN_GAP}[(（]?\s*{_YEAR}\s*年?\s*(?:元旦|春节|[初底末]|[)）]?\s*(?:[.。]?\s*$|"
    r"[,，;；)）]|from(?![a-z])))|"
    rf"{_YEAR}\s*年\s*\d{{1,2}}\s*月\s*份?\s*(?:\d{{1,2}}\s*[日号]\s*)?(?:起|以后|后|以来)\s*"
    r"(?:新增|执行|实施|施行|生效|启用|调整|变更|使用|采用|取消)|"
    rf"(?:同期|同比|相比|对比|比|较|与|和|vs\.?|versus|compared\s+(?:with|to)|than|over|from|since|"
    rf"against|relative\s+to|基期|base(?:\s+year)?)\s*[:：]?\s*{_YEAR}\s*年?(?:\s*\d{{1,2}}\s*月)?|"
    rf"{_YEAR}\s*年?\s*(?:同期|相比|比较|为基期|基期|=\s*100|年?版|edition|version|prices|"
    r"价格|不变价)|"
    rf"(?<![a-z])hs[\s_-]*(?:编码)?[\s_-]*{_YEAR}|"
    rf"(?<![\d.,$¥￥]){_YEAR}(?:\.\d+)?\s*(?:万|千|亿|百|元|美元|美金|条|行|项|家|个|种|吨|件|"
    r"人|%|(?:rows?|records?|lines?|items|usd|us\$|rmb|yuan|dollars?|tons?|kg)(?![a-z]))",
    re.IGNORECASE)


def _mask_other_senses(text: str) -> str:
    """Dates and the months figures were taken first (published January 14, 2021: the word
    alone would stop at the comma; 数据来源：海关总署 2021年1月), a whole year's range of dates
    said as its year."""
    text = _TAKEN_MONTH.sub(" ", dates.DATE.sub(" ", dates.name_whole_years(text)))
    return _OTHER_SENSES.sub(" ", text)


#: A month stated with its year: 2020年10月, 2020-10, 2020/10, 2020.10, 202010, October 2020,
#: Oct. 2020, 2020 October.
STATED_MONTH = re.compile(
    rf"(?<![\d.])(?P<y>{_YEAR})\s*(?:年\s*(?P<m>0?[1-9]|1[0-2])\s*月|[-/.](?P<n>0?[1-9]|1[0-2])"
    rf"(?![\d.])|(?P<o>0[1-9]|1[0-2])(?!\d))|(?P<e>{_EN_MONTH})\s*,?\s*(?P<y2>{_YEAR})(?!\d)|"
    rf"(?<!\d)(?P<y3>{_YEAR})\s+(?P<e2>{_EN_MONTH})|"
    rf"(?<![\d.])(?P<y4>{_YEAR})\s*m(?P<m4>0?[1-9]|1[0-2])(?![\d-])", re.IGNORECASE)
def stated_month(match: re.Match[str]) -> tuple[int, int]:
    """(year, month) of a STATED_MONTH match."""
    year = next(g for g in match.group("y", "y2", "y3", "y4") if g)
    month = next(g for g in match.group("m", "n", "o", "e", "e2", "m4") if g)
    return int(year), month_number(month)


#: A year standing alone (2020年, 2020), not beside other digits or letters (HS2017, 2020a).
_STATED_YEAR = re.compile(rf"(?<![\d.a-z])({_YEAR})(?![\d.a-z])", re.IGNORECASE)


def _to_december_day(match: re.Match[str]) -> int | None:
    """The day of December an _UP_TO match runs to (截至12月20日, through Dec 15): 31 when
    none is said, None when the month is not December."""
    last = next(g for g in match.group("m", "k", "c", "d", "n", "o", "i", "j", "e") if g)
    if month_number(last) != 12:
        return None
    day = match.group("ed") or match.group("ef")
    after = re.match(r"\s*(\d{1,2})\s*[日号]", match.string[match.end():])  # 12月20日
    if day is None and after is not None:
        day = after.group(1)
    return int(day) if day else 31


def _year_if_december(match: re.Match[str]) -> str:
    if _to_december_day(match) != 31:
        return match.group(0)
    year = next((g for g in match.group("ny", "oy", "ey", "jy") if g), None)
    return f" {year}年 " if year else " "


def mask_whole_ranges(text: str, mark: str = " ",
                      patterns: list[re.Pattern[str]] | None = None) -> str:
    """`text` with its ranges of months from January to December (1-12月, Jan.-Dec., January
    through December) replaced by `mark`: they say the whole year. `patterns` are RANGES
    unless given (NAME_RANGES for a file name)."""
    for pattern in RANGES if patterns is None else patterns:
        text = pattern.sub(lambda m: mark if (month_number(m.group("a")),
                                               month_number(m.group("b"))) == (1, 12)
                           else m.group(0), text)
    return text


def mask_december_totals(text: str) -> str:
    """`text` with the months data run to blanked where that month is December (截至2020年12月,
    Dec YTD, 12月累计): the whole year, its year kept."""
    return _UP_TO.sub(_year_if_december, text)


def stated_periods(text: str) -> set[str]:
    """The periods ('2020' or '2020-10') a title line names, once other senses are masked.
    Data said to run to December (截至2020年12月, 数据更新至2020年12月) name the year."""
    # a whole year's range (2020年1-12月, January through December 2020) says the year beside
    # it; blanked first, or 'through December 2020' would be read as the year and leave January
    text = mask_december_totals(mask_whole_ranges(text))
    text = _mask_other_senses(text)
    for pattern in RANGES:
        text = pattern.sub(" ", text)
    found = set()
    for match in STATED_MONTH.finditer(text):
        year, month = stated_month(match)
        found.add(f"{year}-{month:02d}")
    for match in _STATED_YEAR.finditer(STATED_MONTH.sub(" ", text)):
        found.add(match.group(1))
    return found


def refuse_cumulative_title(path: Path, titles: list[list[str]]) -> None:
    """Refuse a download by month (数据年月 column) whose title lines call its values
    cumulative (累计, year to date): each month's running total would be summed again."""
    for index, row in enumerate(titles):
        text = title_text(row)
        said = cumulative(text)
        if said is not None:
            raise InputError(path, f"the title above the table says its values are cumulative "
                             f"({said!r} in {text.strip()[:80]!r}), and the file is by month "
                             "(数据年月): running totals read as each month's own would be "
                             "summed again. Download the query with each month's own values "
                             "(当月), not 累计", line=index + 1)


def refuse_title_period(path: Path, titles: list[list[str]], filed: str | None,
                        source: str = "") -> None:
    """Refuse an annual download (no 数据年月 column) whose title lines say part of a year, or
    name another year or month than `filed`, the period `source` (the file name, --period)
    gives; with `filed` None only part of a year is looked for. Titles naming no period pass,
    and so do mentions of a year in another sense (_OTHER_SENSES)."""
    for index, row in enumerate(titles):
        shown = title_text(row)
        text = dates.plain(shown)
        part = part_of_year(text, filed)
        if part is not None:
            what = ("a running total without the month it runs to, which may be part of a year"
                    if _CUMULATIVE.fullmatch(part) else "part of a year")
            raise InputError(path, part_of_year_message(f"the title above the table says {what} "
                             f"({part!r} in {shown.strip()[:80]!r})"), line=index + 1)
        taken = taken_within(text, filed) if filed is not None and len(filed) == 4 else None
        if taken is not None:
            raise InputError(path, part_of_year_message(
                f"the title above the table gives a date inside {filed} ({taken!r} in "
                f"{shown.strip()[:80]!r}): figures downloaded or updated then cannot hold the "
                "year's later months, so the file is part of a year (if the date is another "
                "one, such as a rule's, delete it from the title)"), line=index + 1)
        other = sorted(stated_periods(text) - {filed}) if filed is not None else []
        if other:
            fix = "pass the right --period" if source == "--period" else "rename the file"
            raise InputError(path, f"the title above the table says {', '.join(other)} "
                             f"({shown.strip()[:80]!r}) but {source} says {filed}: check which "
                             f"is right. If the figures are of {other[0]}, {fix}; if that is "
                             "another date (when they were downloaded, published or compared "
                             "with), delete it from the title", line=index + 1)


#: A month with its year after a taken word, or before 更新/发布 (2020年10月更新), and not
#: the start of a range of months (查询时间：2020年1月至2020年12月 is the whole year).
_TAKEN_MONTH = re.compile(
    rf"{TAKEN_WORD}{TAKEN_GAP}(?P<when>(?P<y>{_YEAR})\s*(?:年\s*(?P<m>\d{{1,2}})\s*月|"
    rf"[-/.](?P<n>\d{{1,2}})(?![\d/.-]))|(?P<e>{_EN_MONTH})\s*,?\s*(?P<z>{_YEAR})(?!\d))"
    rf"(?!{SEP})|"
    rf"(?P<when2>(?P<y2>{_YEAR})\s*年\s*(?P<m2>\d{{1,2}})\s*月\s*份?)\s*(?:更新|发布|公布|导出|下载)",
    re.IGNORECASE)
#: A date that says when a rule took effect, not when figures were taken (2020年1月1日起执行).
EFFECTIVE_AFTER = re.compile(r"\s*(?:起|开始|生效|施行|执行|实施|(?:[以之]?后|以来)\s*(?:新增|执行|"
                              r"实施|施行|生效|启用|调整|变更|使用|采用|取消))(?!\s*[至到])")
#: What follows the start of a range (自2020年1月1日至...): that start is no effective date.
RANGE_NEXT = re.compile(r"\s*+(?:起\s*+)?(?:[(（]\s*+)?"
                         r"(?:至|到|to|through|until|till|-|~|～|—|–|－)", re.IGNORECASE)
EFFECTIVE_BEFORE = re.compile(r"(?:effective|from|since|starting|beginning|自|从)\s*(?:on\s*)?$",
                               re.IGNORECASE)


def taken_within(text: str, filed: str) -> str | None:
    """A date or month in `text` before the end of the year `filed` when the figures were
    taken (a download of 2020-10-05, updated October 2020, above 2020's figures), else None:
    figures taken then cannot hold the year's later months, December's included. A date after
    截至 / as of is read by part_of_year (截至2020年12月31日 is the whole year); a date alone on
    31 December, a range of the whole year and a date a rule took effect are no such date."""
    year = int(filed[:4])
    text = dates.name_whole_years(text)
    for match in dates.DATE.finditer(text):
        taken_year, month, day = dates.read(match)
        before = text[:match.start()].rstrip()
        if (taken_year != year or re.search(r"(?:截\s*[至止]|as\s+of|through|until|till)\s*$",
                                            before, re.IGNORECASE)
                or EFFECTIVE_AFTER.match(text, match.end())
                or (EFFECTIVE_BEFORE.search(before) and not RANGE_NEXT.match(text, match.end()))):
            continue
        word = re.search(rf"{TAKEN_WORD}{TAKEN_GAP}\s*$", before, re.IGNORECASE)
        if word is not None:  # quoted with its word: 导出时间：2020-10-05
            return text[word.start():match.end()].strip()
        if (month, day) != (12, 31):
            return match.group(0).strip()
    for match in _TAKEN_MONTH.finditer(text):  # a month without its day: 更新于2020年10月
        if int(match.group("y") or match.group("z") or match.group("y2")) == year:
            return match.group(0).strip()
    return None


def title_says(titles: list[list[str]]) -> str | None:
    """The one period the title lines name, if they name exactly one (a hint for the fix)."""
    said = set().union(*(stated_periods(dates.plain(title_text(row))) for row in titles)
                       ) if titles else set()
    return next(iter(said)) if len(said) == 1 else None


#: Two months joined as a range in a file name, after or before its year: export_2020_1-6,
#: export2020_m1-m6, export_2020(1-6), export_2020_1to6, export_1-6_2020, 出口2020 1至6 (months 1
#: to 6, or a date 2020-1-6: a name that does not state one period); and two English months
#: (export_2020_jan_jun).
_NAME_MON = r"m?(?P<{}>0?[1-9]|1[0-2])"
_NAME_JOIN = r"\s*(?:[-~～—–至到]|to)\s*"
NAME_RANGES = [re.compile(p, re.IGNORECASE) for p in (
    rf"(?<!\d){_YEAR}\s*[-_.年 (（]?\s*{_NAME_MON.format('a')}{_NAME_JOIN}"
    rf"{_NAME_MON.format('b')}(?!\d)",
    rf"(?<![\da-z]){_NAME_MON.format('a')}{_NAME_JOIN}{_NAME_MON.format('b')}\s*[-_. ]\s*"
    rf"{_YEAR}(?!\d)",
    rf"(?P<a>{_EN_MONTH})\s*(?:[-_~～—– ]|to)+\s*(?P<b>{_EN_MONTH})")]


#: Pages or parts of a download named by number (pages_1-3, part_2, 第1-3页): no months.
NAME_PAGES = re.compile(r"(?<![a-z])(?:pages?|parts?|pt|p|第)[\s_-]*\d++(?:\s*[-~～至到]\s*\d++)?+"
                        r"(?!\s*期)"
                         r"\s*页?", re.IGNORECASE)


def name_month_range(stem: str) -> str | None:
    """The part of a file name that reads as a range of months (2020_1-6, jan_jun), not
    January to December, else None. Dates written in full (2021-01-05) and page numbers
    (pages_1-3) are no range."""
    stem = NAME_PAGES.sub(" ", dates.mask_in_name(stem))
    for pattern in NAME_RANGES:
        for match in pattern.finditer(stem):
            first, last = month_number(match.group("a")), month_number(match.group("b"))
            if first < last and (first, last) != (1, 12):
                return match.group(0)
    return None


def name_taken_within(stem: str, filed: str) -> str | None:
    """A date in a file name inside the year `filed` (export_2020_2020-10-05), else None: a
    download of that day cannot hold the year's later months."""
    year = int(filed[:4])
    found = dates.in_name(stem)
    if {(year, 1, 1), (year, 12, 31)} <= set(found):  # export-2020-01-01_2020-12-31
        found = [d for d in found if d not in ((year, 1, 1), (year, 12, 31))]
    for taken, month, day in found:
        if taken == year and (month, day) != (12, 31):
            return f"{taken}-{month:02d}-{day:02d}"
    return None


def part_of_year_message(said: str) -> str:
    """Why a download of part of a year is refused, and the fix."""
    return (f"{said}, and the file has no 数据年月 / Date of data column: part of a year cannot "
            "be filed as one period (a total of several months beside a whole year's would "
            "look like a fall): download the query by month (数据年月 as a column)")
