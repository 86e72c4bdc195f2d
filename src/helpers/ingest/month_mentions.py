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
file, naming the words. A file filed as one month (an annual query of October alone) may
mention that month, and dates after it. periods.py runs first, so its refusals keep their
specific reasons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from helpers.errors import InputError
from helpers.ingest import dates, periods
from helpers.ingest.titles import title_text

_SEP = periods.SEP
_MON3 = "|".join(dates.MONTHS)
#: Where a range of the whole year was: kept apart so that a label before it can go too
#: (months 1-12, 月份：1-12月).
_MARK = "\x00"
#: Units and words after a range of numbers that make it no range of months (2-3兆瓦, 1-5%,
#: 6-10 kV, 1-3 MW, Top 1-10 partners).
_UNIT_AFTER = (r"(?!\s*(?:[%℃°号个家种位名条项台吨件只千万亿兆瓦伏寸岁级年升]|(?:[mkg]?w|kv|v|kg|t|"
               r"tons?|mm|cm|m|l|hz|hp|digits?|partners?|products?|countries|items|rows|places?|"
               r"inch(?:es)?|pcs|pieces?|packs?|sets?|years?)(?![a-z])))")
#: Words and numbers that may say months, in a title once the known senses are masked.
_MONTH_WORD = re.compile(
    r"(?<!\d)\d{1,2}\s*月(?!\s*[湖牙见桂饼季光])|"
    r"(?:(?<![\u4e00-\u9fff])|(?<=[年至到、前和及与从自]))[一二三四五六七八九十]{1,2}\s*月|"
    r"(?<!不分)月\s*份(?!\s*[:：=,]?\s*(?:全部|全选|所有|全年|合计))|[个個]\s*半?\s*月|"
    r"[当本单上]\s*月|半\s*个?\s*月|[两二三四]\s*周|第\s*\d+\s*期|"
    r"(?<!\d)\d{1,2}\s*[-~～至到]\s*\d{1,2}\s*[日号]|"
    r"(?<![a-z])(?:spring|summer|autumn|winter|season)(?![a-z])|"
    rf"{dates.EN_MONTH}|(?<![a-z])(?:{_MON3})(?:{_MON3})(?![a-z])|"
    r"(?<![a-z])(?:months?|mths?|mnths?|mtd|partial|incomplete|ttm|ltm|semester)(?![a-z])|"
    r"(?<![a-z])(?:rolling|trailing|moving)\s*(?:\d|twelve|year|total|sum|window|average)|"
    r"(?<![a-z\d])12\s*m\s*(?:rolling|trailing|moving)|黄金周|"
    r"(?:国庆|春节|元旦|中秋|端午|清明)\s*(?:前|后|以来|期间|假期)|"
    r"滚动\s*(?:\d|十二|一年|年度?|合计|累计|汇总)|(?<![a-z])(?:days?|weeks?|wk)\s*\d|"
    r"(?<![a-z\d])w\s?\d{1,2}(?![\da-z])|\d+\s*(?:days?|weeks?)(?![a-z])|"
    r"(?<![a-z\d])\d{1,2}\s*mos?(?![a-z])|(?<![a-z\d])\d{1,2}\s*m\s*(?:\d{4}|\d{2})(?!\d)|"
    r"(?<![a-z\d$¥￥])(?<!usd )(?<!rmb )(?!12m)\d{1,2}m(?![a-z\d])"
    r"(?!\s*(?:usd|us\$|rmb|cny|yuan|dollars?))|"
    r"(?<![a-z\d])(?:[1-4]\s*q|[12]\s*h)(?:\s*'?20\d{2}|\s*'?\d{2})?(?![a-z\d])|"
    r"(?<=\d{4})\s*m(?:0?[1-9]|1[0-2])(?!\d)|"
    r"(?<![a-z\d])m(?:0?[1-9]|1[0-2])(?<!m2)(?<!m3)(?!\d)(?![\s_-]*(?:[x*×\u4e00-\u9fff]|bolts?|"
    r"screws?|nuts?))|"
    r"(?<!月)季(?![豆节戊铵青])|半\s*年|年\s*初(?![步值稿审])|"
    r"年\s*中(?=\s*(?:$|[\s,，。;；:：)）\]]|期|时|以前|前|为止|止|数据))|年\s*年\s*中|"
    r"至\s*今|迄\s*今|以\s*来|[上中下]\s*旬|\d+\s*天|\d+\s*周(?![边口])|星期\s*\d|近\s*一\s*年|"
    r"过去\s*(?:的\s*)?一\s*年|[至到]\s*(?:国庆|春节|元旦|中秋|端午|清明)|"
    r"(?<![a-z])(?:q[1-4]|h[12]|s[12])(?:\s*'?20\d{2}|\s+'?\d{2}|'\d{2})?(?![a-z\d])|"
    r"(?<![a-z])(?:quarters?(?![\s-]*turn)|(?:first|second|1st|2nd)\s+half|"
    r"half(?=[\s-]*(?:year|of\s+(?:the\s+)?year)))|"
    r"(?<![a-z])fy\s*'?\d{2,4}|"
    r"(?<![a-z])(?:ytd|year[\s-]*to[\s-]*date|(?<!up )to\s+date|so\s+far|thus\s+far|"
    r"(?:till|until|to|up\s+to|thru|through)\s+now)(?![a-z])|"
    r"(?<![a-z])(?:from|to|start|end|begin)\s*[:：=]\s*\d{1,2}(?!\d)|\d{1,2}\s+of\s+12(?!\d)|"
    r"(?:起始|截止|开始|结束|终止|起|止)\s*(?:月\s*份?)?\s*[:：=,]?\s*\d{1,2}(?!\d)|"
    r"截\s*[至止](?![阀])\s*到?(?!\s*(?:日期|时间)\s*[:：]?\s*$)(?=\s*\S)|"
    rf"(?<![\d./:-])(?:0?[1-9]|1[0-2]){_SEP}(?:0?[1-9]|1[0-2])(?![\d./:%]){_UNIT_AFTER}",
    re.IGNORECASE)
#: A day and month without their year, in numbers (31/10, 10/31, 31.10.), not a fraction or
#: a size (1/2 of a split file, 3/4英寸, 12/24V).
_NUM_DAY = re.compile(r"(?<![\d/.,(（])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/%])"
                      r"(?!\s*(?:英寸|寸|inch|\"|″|v(?![a-z])))|"
                      r"(?<![\d.,])(?P<c>\d{1,2})\.(?P<d>\d{1,2})\.(?!\d)", re.IGNORECASE)
#: A part of a split file: (1/2), (2/3).
_PART_OF_FILE = re.compile(r"[(（]\s*\d{1,2}\s*/\s*\d{1,2}\s*[)）]|(?<![a-z])(?:sheets?|files?|"
                           r"parts?|pages?|表)\s*\d+\s*(?:of|/)\s*\d+|\d+/\d+\s*(?:hp|马力)",
                           re.IGNORECASE)
#: A version number (Python 3.8.10, v1.2.10): no date.
_VERSION = re.compile(r"(?<![a-z])(?:v|ver\.?|version|python|openpyxl|pandas|numpy|excel|wps|r)"
                      r"\s*\d+(?:\.\d+)+", re.IGNORECASE)
#: A whole year counted in days or weeks (365 days, 全年52周).
_YEAR_COUNT = re.compile(r"(?<!\d)(?:36[56]\s*(?:days?|天)|5[23]\s*(?:weeks?|周))(?![a-z])",
                         re.IGNORECASE)
#: A year split over two (2020/21年度, 2020-21 marketing year): its second year's '21.
_SPLIT_YEAR = re.compile(rf"(?<!\d)(?P<y>{dates.YEAR})\s*[/_-]\s*(?P<z>\d{{2}})(?![\d/-])")
_SPLIT_YEAR_IN_NAME = re.compile(rf"(?<!\d)(?P<y>{dates.YEAR})[\s/_-](?P<z>\d{{2}})(?!\d)")
#: A date with a two-digit year (10/05/20, 5.10.20), and a month with one (Jan-21, Dec-20).
_SHORT_DATE = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)"
                         rf"(?P<y>\d{{2}})(?![\d/.-])|(?P<w>{dates.EN_MONTH})[-'’](?P<z>\d{{2}})"
                         r"(?![\d/])", re.IGNORECASE)
#: Numbers that are not months: pages, chapters, tables, sections, ranks, digits of an HS code
#: (第1-3页, HS第1-9章, 表1-2, Top 1-10, HS01-05, 排名1-10): the numbers go with their word.
_NOT_MONTHS = re.compile(
    r"(?<![a-z])(?:pages?|pp?\.?|parts?|pt|chapters?|ch\.?|sections?|附?表|图|tables?|tab\.|"
    r"fig(?:ure)?s?\.?|top|no\.|nr\.|#|hs|ranks?|rankings?|排名|第)\s*(?<!\d)\d++"
    r"(?:\s*[-~～至到]\s*\d++)?+(?!\s*[期号旬周])\s*(?:[页章类位节部名]|(?:digits?|chapters?)"
    r"(?![a-z]))?|(?<!\d)\d++(?:\s*[-~～至到]\s*\d++)?\s*(?:[页章类位节]|(?:digits?|chapters?)"
    r"(?![a-z]))", re.IGNORECASE)
#: Twelve months (12个月, twelve months), unless counted back (trailing 12 months, 近12个月,
#: 12-month rolling total).
_TWELVE = re.compile(r"(?<![\d.])(?:12|十二)\s*个\s*月|(?<![a-z\d.])(?:12|twelve)[\s_-]*months?"
                     r"(?![a-z])", re.IGNORECASE)
_COUNTED_BACK = re.compile(r"(?:of|last|latest|trailing|rolling|past|previous|preceding|recent|"
                           r"ending|近|滚动|最近|最新|过去)\s*(?:的\s*)?$", re.IGNORECASE)
_COUNTED_AFTER = re.compile(r"\s*(?:滚动|rolling|moving|trailing|running|ending)", re.IGNORECASE)
#: A range of month numbers from 1 to 12 (查询：2020 1-12, months 1 to 12).
_WHOLE_NUMBERS = re.compile(rf"(?<![\d./:-])0?1{_SEP}12(?![\d./:%])", re.IGNORECASE)
#: The label of a whole year's range (months 1-12, 月份：1-12月), and months said to be all.
_LABEL = re.compile(rf"(?:months?|mos|统计月份|月份|月)\s*[:：=,]?\s*[(（]?\s*{_MARK}",
                    re.IGNORECASE)
_ALL_MONTHS = re.compile(r"(?<![a-z])months?\s*[:：=]?\s*(?:all|total|全部|全选|全年)(?![a-z])",
                         re.IGNORECASE)
#: A month said with its year before the words of a rule taking effect (2020年6月起新增).
_EFFECTIVE_MONTH = re.compile(
    rf"(?<!\d){dates.YEAR}\s*年\s*\d{{1,2}}\s*月\s*份?\s*(?:起|以后|之后|后|以来)\s*"
    r"(?:新增|执行|实施|施行|生效|启用|调整|变更|使用|采用|取消)")
#: A rule's words right after a date (起执行新版商品编码, 后实施) or right before it (effective
#: from, applies since, 自…起实施): without them a start date (自2020年7月1日起, since 1 July
#: 2020) is when the figures begin, not when a rule took effect.
_RULE_AFTER = re.compile(r"\s*(?:起|开始|[以之]?后|以来)?\s*(?:执行|实施|施行|生效|启用|调整|变更|"
                         r"使用|采用|取消|新增|(?:新|的)?(?:版|标准|规则|税率|编码|目录))")
_RULE_BEFORE = re.compile(r"(?:effective|in\s+force|appl(?:y|ies|ied)|introduced|adopted|valid|"
                          r"生效|执行|实施)\s*(?:from|since|on|as\s+of|自|从)?\s*$", re.IGNORECASE)
#: The last day of the year without its year (Dec. 31 close, 12月31日), and data to the end of
#: the year (截至2020年底, 截至年末): the whole year.
_YEAR_END = re.compile(rf"(?<![\d/.a-z])(?:dec(?:ember)?\.?\s*31(?:st)?|31(?:st)?\s*dec(?:ember)?"
                       r"\.?|12\s*月\s*31\s*[日号])(?![\d/a-z])|截\s*[至止]\s*到?\s*(?:"
                       rf"{dates.YEAR}\s*年?)?\s*(?:年?\s*[底末])?(?=\s*(?:$|[\s,，.。;；)）\]]))",
                       re.IGNORECASE)
#: Excel's line naming the delimiter (sep=,): no title.
_SEP_LINE = re.compile(r"\s*sep\s*=.?\s*,?\s*", re.IGNORECASE)
_TAKEN_BEFORE = re.compile(rf"{periods.TAKEN_WORD}{periods.TAKEN_GAP}\s*[(（]?\s*$",
                           re.IGNORECASE)


#: A time of a year after the one filed, when the figures were taken (下载于2021年元旦,
#: 导出于2021年初).
_YEAR_TIME = re.compile(rf"(?<!\d)(?P<y>{dates.YEAR})\s*年?\s*(?:元旦|春节|[初底末])")
#: A month from its first day to its last (2020年10月1日-31日, 1 Oct - 31 Oct, Oct 1-31).
_WHOLE_MONTH = re.compile(
    rf"(?:{dates.YEAR}\s*年\s*)?(?:\d{{1,2}}\s*月\s*)?(?<!\d)0?1(?:st)?\s*[日号]?\s*"
    rf"(?:{dates.EN_MONTH})?{_SEP}(?:\d{{1,2}}\s*月\s*)?(?:{dates.EN_MONTH}\s*)?"
    rf"(?P<last>28|29|30|31)(?:st|th)?\s*[日号]?(?:\s*{dates.EN_MONTH})?(?!\d)", re.IGNORECASE)


#: Words of a year or a running total: above a file filed as one month they say more.
_YEAR_WORD = re.compile(r"年\s*度|全\s*年|累\s*计|[至止]|截|(?<![a-z])(?:annual|yearly|"
                        r"full[\s-]year|cumulative|ytd|as\s+of|through|up\s+to|until|till)"
                        r"(?![a-z])", re.IGNORECASE)


def _split_year(text: str, pattern: re.Pattern[str] = _SPLIT_YEAR) -> str | None:
    """A year split over two in `text` (2020/21, 2020-21年度), else None."""
    match = next((m for m in pattern.finditer(text)
                  if int(m.group("z")) == (int(m.group("y")) + 1) % 100), None)
    return match.group(0) if match else None


def _filed(filed: str) -> tuple[int, int | None]:
    """(year, month) of a period filed as '2020' or '2020-10' (month None for a year)."""
    return int(filed[:4]), (int(filed[5:7]) if len(filed) > 4 else None)


def _after(when: tuple[int, int], filed: tuple[int, int | None]) -> bool:
    """Whether a (year, month) lies after the period filed."""
    year, month = filed
    return when[0] > year or (month is not None and when[0] == year and when[1] > month)


def _last_month(when: tuple[int, int], filed: tuple[int, int | None]) -> bool:
    """Whether a (year, month) is the period's last month (its December, or the month)."""
    return when == (filed[0], filed[1] or 12)


def _sift(pattern: re.Pattern[str], text: str, whole: Callable[[re.Match[str]], bool]
          ) -> tuple[str, str | None]:
    """`text` with every match of `pattern` blanked, and the first match `whole` does not
    accept (a date or month that may leave the period short), if any."""
    kept: list[str] = []

    def blank(match: re.Match[str]) -> str:
        if not whole(match):
            kept.append(match.group(0).strip())
        return " "

    return pattern.sub(blank, text), (kept[0] if kept else None)


def _known_dates(text: str, filed: tuple[int, int | None]) -> tuple[str, str | None]:
    """`text` with the dates that leave the period whole blanked (after it, on its last day,
    the day a rule took effect, an edition of the codes), and the first other date, if any."""
    def whole(match: re.Match[str]) -> bool:
        year, month, day = dates.read(match)
        before = match.string[:match.start()]
        effective = (_RULE_AFTER.match(match.string, match.end()) or _RULE_BEFORE.search(before)
                     ) and not periods.RANGE_NEXT.match(match.string, match.end())
        last = _last_month((year, month), filed) and day >= dates.last_day(year, month)
        return bool(_after((year, month), filed) or last or effective
                    or (year < filed[0] and periods.EDITION.search(before)))

    return _sift(dates.DATE, text, whole)


def _short_dates(text: str, filed: tuple[int, int | None]) -> tuple[str, str | None]:
    """`text` with dates and months of two-digit years blanked where they say when the figures
    were taken after the period (downloaded 05/01/21, Source: GACC, Jan-21), or its last day or
    month, and the first other one, if any: Oct-21 alone is another period."""
    def whole(match: re.Match[str]) -> bool:
        year = 2000 + int(match.group("y") or match.group("z"))
        if match.group("y"):
            a, b = int(match.group("a")), int(match.group("b"))
            month = a if a <= 12 else b
            last = {a, b} == {12, 31} and _last_month((year, 12), filed)
        else:
            month = periods.month_number(match.group("w"))
            last = _last_month((year, month), filed)
        taken = _TAKEN_BEFORE.search(match.string[:match.start()])
        return bool((taken and _after((year, month), filed)) or last)

    return _sift(_SHORT_DATE, text, whole)


def _known_months(text: str, filed: tuple[int, int | None]) -> tuple[str, str | None]:
    """`text` with months said with their year blanked when they leave the period whole (after
    it, its last month: 截至2020年12月, the month filed), and the first other one, if any."""
    def whole(match: re.Match[str]) -> bool:
        when = periods.stated_month(match)
        return _after(when, filed) or _last_month(when, filed)

    return _sift(periods.STATED_MONTH, _EFFECTIVE_MONTH.sub(" ", text), whole)


def _whole_year(text: str) -> str:
    """`text` with what says the whole year masked: ranges of January to December (of months,
    quarters or month numbers, with the label before them), its last day, running totals to
    December and twelve months that are not counted back. Dates with their day go first
    (_known_dates): 截至2020年12月31日 is a day, not a month."""
    text = _YEAR_END.sub(" ", periods.WHOLE_QUARTERS.sub(" ", text))
    text = periods.mask_december_totals(periods.mask_whole_ranges(text, _MARK))
    text = _LABEL.sub(_MARK, _WHOLE_NUMBERS.sub(_MARK, text)).replace(_MARK, " ")

    def twelve(match: re.Match[str]) -> str:
        counted = (_COUNTED_BACK.search(text[:match.start()])
                   or _COUNTED_AFTER.match(text, match.end()))
        return match.group(0) if counted else " "

    return _TWELVE.sub(twelve, text)


def _day_pair(match: re.Match[str]) -> bool:
    """Whether a _NUM_DAY reads as a day of the year other than 31 December."""
    a, b = (int(match.group("a")), int(match.group("b"))) if match.group("a") else (
        int(match.group("d")), int(match.group("c")))
    readings = [(m, d) for m, d in ((a, b), (b, a)) if 1 <= m <= 12 and 1 <= d <= 31]
    return bool(readings) and (12, 31) not in readings


def in_title(text: str, filed: str) -> str | None:
    """The first words of a title line that may say months which this suite cannot read as
    the whole period `filed` ('2020', or '2020-10' for a month), else None."""
    if _SEP_LINE.fullmatch(text):
        return None
    period = _filed(filed)
    text = dates.name_whole_years(dates.plain(_VERSION.sub(" ", text)))
    text = _YEAR_COUNT.sub(" ", _ALL_MONTHS.sub(" ", _PART_OF_FILE.sub(" ", text)))
    split = _split_year(text)
    if split is not None:
        return split
    text = _YEAR_TIME.sub(lambda m: " " if int(m.group("y")) > period[0] else m.group(0), text)
    if period[1] is not None:
        text = dates.DATE_RANGE.sub(lambda m: " " if dates.whole_month(m) == filed
                                    else m.group(0), text)
        last = dates.last_day(*period)  # type: ignore[arg-type]
        text = _WHOLE_MONTH.sub(lambda m: " " if int(m.group("last")) == last else m.group(0),
                                text)
    for known in (_known_dates, _short_dates):
        text, said = known(text, period)
        if said is not None:
            return said
    if period[1] is None:
        text = _whole_year(text)
    else:
        text = re.sub(r"(?:统计|数据)?\s*月\s*份\s*[:：=,]*\s*(?=\s*(?:\d|$))|[当本单]\s*月", " ",
                      text)
        year_word = _YEAR_WORD.search(text)
        if year_word is not None:  # 2020年12月 年度汇总, 累计至2020年12月: the year, not the month
            return year_word.group(0)
    text, said = _known_months(text, period)
    if said is not None:
        return said
    text = _NOT_MONTHS.sub(" ", text)
    day = next((m for m in _NUM_DAY.finditer(text) if _day_pair(m)), None)
    if day is not None:  # 截至31/10, 1/1-10/31: days without their year
        return day.group(0)
    match = _MONTH_WORD.search(text)
    return match.group(0).strip() if match else None


def refuse_in_titles(path: Path, titles: list[list[str]], filed: str) -> None:
    """Refuse a file filed as `filed` whose title lines mention months in a sense this suite
    does not know to leave the period whole."""
    whole = f"the whole year {filed}" if len(filed) == 4 else f"the month {filed} alone"
    for index, row in enumerate(titles):
        text = title_text(row)
        said = in_title(text, filed)
        if said is not None:
            raise InputError(path, f"the title above the table mentions {said!r} "
                             f"({text.strip()[:80]!r}), which may say the months its figures "
                             f"cover, and the file has no 数据年月 / Date of data column: it "
                             f"cannot be told to hold {whole}. If it does, delete the title line "
                             "(or the words); if not, download the query by month (数据年月 as a "
                             "column)", line=index + 1)


#: A month with its year in a name (export_202001_202010, export_2020-01_2020-10, 2020M10).
_NAME_MONTH = re.compile(rf"(?<![\da-z])({dates.YEAR})(?:[-.]?(0[1-9]|1[0-2])|年(\d{{1,2}})月|"
                         r"m(0?[1-9]|1[0-2]))(?![\da-z])", re.IGNORECASE)
#: A run-to word before a month or number in a name (export_2020_to_oct, thru_10, to_1220).
_NAME_TO = re.compile(rf"(?<![a-z])(?:to|thru|through|till|until|upto|asof)\s*(?:\d{{1,4}}(?!\d)|"
                      rf"(?:{_MON3})[a-z]*)", re.IGNORECASE)
#: The run to December or its last day in a name (export_2020_through_december, _dec31).
_NAME_TO_END = re.compile(r"(?<![a-z])(?:(?:to|thru|through|till|until|upto)\s*(?:dec(?:ember)?|"
                          r"12)|dec(?:ember)?\s*31(?:st)?)(?![a-z\d])(?![\s.-]*\d)",
                          re.IGNORECASE)
#: Months counted in a name (export_2020_10m; not 5m_usd, millions, nor 12m), a month and a day
#: after the year (_1031; not _1231, the year's last day, nor _0901, an HS heading), and a month
#: and a day written with two digits each (01-01, 10-05).
_NAME_COUNT = re.compile(
    r"(?<![a-z\d])(?!12m)\d{1,2}m(?![a-z])(?!\s*(?:usd|rmb|cny|yuan|dollars?|company|co)"
    r"(?![a-z]))|(?<=\d{4}[-_. ])(?!1231)(?:0[1-9]|1[0-2])(?:1[3-9]|2\d|3[01])(?!\d)|"
    r"(?<![\d.-])(?:0[1-9][-.](?:0[1-9]|[12]\d|3[01])|(?:0?[1-9]|1[0-2])[-.]0[1-9])(?![\d.-])",
    re.IGNORECASE)
#: A year in a name: another than the one filed says another period, or two.
_NAME_YEAR = re.compile(rf"(?<!\d)({dates.YEAR})(?!\d)")


def in_name(stem: str, filed: str) -> str | None:
    """The first part of a file name that may say months of the year `filed` ('2020'), once
    its dates, pages and the year itself are set aside, else None. Numbers after the year alone
    (export_2020_2: the second page of a query) are no months."""
    period = _filed(filed)
    stem = dates.name_whole_years(dates.plain(stem))
    stem = periods.NAME_PAGES.sub(" ", dates.mask_in_name(stem)).replace("_", " ")
    for known in (_known_dates, _short_dates):
        stem, said = known(stem, period)
        if said is not None:
            return said
    stem = periods.STATED_MONTH.sub(  # downloaded_Jan2021: a month after the year
        lambda m: " " if _after(periods.stated_month(m), period) else m.group(0), stem)
    stem = _NAME_TO_END.sub(" ", _whole_year(stem))
    months = [m for m in _NAME_MONTH.finditer(stem) if int(m.group(1)) <= period[0]]
    found = {(int(m.group(1)), int(m.group(2) or m.group(3) or m.group(4))) for m in months}
    if found and found != {(period[0], 1), (period[0], 12)}:
        return months[0].group(0)
    # export_2020_jan_dec, 2020_1-12: the whole year
    stem = periods.mask_whole_ranges(_NAME_MONTH.sub(" ", stem), patterns=periods.NAME_RANGES)
    split = _split_year(stem, _SPLIT_YEAR_IN_NAME)
    if split is not None:
        return split
    other = next((m for m in _NAME_YEAR.finditer(stem) if int(m.group(1)) != period[0]
                  and not re.search(periods.TAKEN_WORD, stem[:m.start()], re.IGNORECASE)), None)
    match = (other or _NAME_TO.search(stem) or _NAME_COUNT.search(stem)
             or _MONTH_WORD.search(_without_numbers(stem)))
    return match.group(0) if match else None


def _without_numbers(stem: str) -> str:
    """A name without its ranges of numbers (2020_1-3: pages or months, name_month_range
    decides) and the numbers standing alone (export_2020_3: a page)."""
    return re.sub(rf"(?<![a-z])\d+{_SEP}\d+|(?<= )\d+(?= |$)", " ", stem, flags=re.IGNORECASE)
