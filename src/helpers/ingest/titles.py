"""The value unit a title above the table states ("金额单位：万元", "Unit: USD thousand"), and the
titles that speak of a unit ingest cannot read safely.

A download's title lines are free text: the unit of the values sits among dates, page numbers,
the quantity's unit (计量单位：千克), product and place names (万向节, 千里达和多巴哥, 万宁市) and
row counts (共10,000条). Read as a unit without its multiplier, a title such as "单位：人民币 万元"
makes every value 10,000 times too small with no sign, so a title that states a multiplier the
unit read does not hold refuses the file, at its line, instead.
"""

from __future__ import annotations

import re

from helpers.ingest.layouts import _CURRENCY_WORDS, _MULTIPLIERS, unit_currencies

#: A figure with its thousands grouped, as a unit may state it: 1,000 / 10，000 / 1 000 (a
#: title cell split at its comma by the CSV comes back joined by a space).
_GROUPED = r"\d{1,3}(?:[ ,，]\d{3})+"
#: 单位 / 金额单位, 单 位 (spaced), not a quantity's 计量单位 or 数量单位; then its colon, or the
#: comma of a unit split into two cells (单位：,千美元 from ["单位：", "千美元"]).
_CHINESE_UNIT = r"(?<!计量)(?<!数量)单\s*位"
_ENGLISH_UNIT = r"(?<![a-z])(?<!quantity )(?<!quantity_)units?(?![a-z])"
_SEPARATOR = r"\s*(?:[:：]\s*,?|,)\s*"
#: A unit stated in a title row above the table: "金额单位：万元", "单位：1,000美元", "Unit: USD
#: thousand", "Unit: 1,000 US dollars". Not a quantity's unit (计量单位, Quantity unit).
_TITLE_UNIT = re.compile(rf"{_CHINESE_UNIT}{_SEPARATOR}((?:{_GROUPED}\s*|\d+\s*)?"
                         r"[^\s,，;；)）(（]+"
                         r"(?:\s*[(（][^)）]*[)）])?)|"
                         rf"{_ENGLISH_UNIT}{_SEPARATOR}"
                         r"([a-z$ ,0-9]+?)(?:[;)]|,(?!\s*\d{3}(?!\d))|$)", re.IGNORECASE)


def title_text(row: list[str]) -> str:
    """A title row's text as written: an unquoted CSV title is split at its commas ("Unit: USD
    thousand, 2020", "Unit: RMB 10,000"), so its cells are joined by a comma again."""
    return ",".join(c for c in row if c)


def title_unit(rows: list[list[str]]) -> str | None:
    """The value unit a title row above the header states, if any: one that names a currency
    or is a bare multiplier (万); a quantity unit (千克, 台) is none of the values' business."""
    for row in rows:
        for match in _TITLE_UNIT.finditer(title_text(row)):
            unit = (match.group(1) or match.group(2)).strip()
            if unit_currencies(unit) or unit.casefold() in _MULTIPLIERS:
                return unit
    return None


#: Where a title row speaks of the values' unit: 单位 / 金额单位, Unit(s), "in RMB", "in USD".
_UNIT_MENTION = re.compile(rf"{_CHINESE_UNIT}|{_ENGLISH_UNIT}|(?<![a-z])in\s+(?:rmb|usd|us\$|"
                           r"us dollars?|yuan|cny|renminbi)(?![a-z])", re.IGNORECASE)
#: The currency words a value unit is read by (layouts), longest first; a word is not the start
#: of a longer one (usda), and "us dollar" may be written with any space.
_CURRENCY = "(?:" + "|".join(
    re.escape(word).replace(r"\ ", r"\s*") + ("(?![a-z])" if word[-1].isalpha() else "")
    for word, _ in _CURRENCY_WORDS) + ")"
#: Words that make a unit larger than one yuan or dollar, and figures that do (1,000, 10 000):
#: a figure only where a currency, a sign or the end follows (10,000 rows is a count).
_WORD = r"千|万|亿|'000|(?<![a-z])(?:thousands?|millions?|billions?|mn|mln|bn)(?![a-z])"
_FIGURE = (rf"(?<![\d,，.])(?:1|10|100)(?:[,， ]?000)+(?![\d,，])"
           rf"(?=\s*(?:{_CURRENCY}|[^\w\s]|$))")
_MULTIPLIER = re.compile(rf"{_WORD}|{_FIGURE}", re.IGNORECASE)
#: What a unit's own words are made of after 单位 or Unit: currencies, multipliers, fillers and
#: signs. The unit ends at the first other word (计量单位, 商品, Quantity, 共, 2020, rows).
_UNIT_TOKEN = re.compile(rf"(?P<m>{_MULTIPLIER.pattern})|{_CURRENCY}|(?<![a-z])k(?![a-z])|"
                         r"\d+(?=\s*(?:thousand|million|billion|千|万|亿))|[百十](?=[千万亿])|"
                         r"(?<![a-z])(?:of|in|the|values?|amounts?)(?![a-z])|金额|单位|币种|"
                         r"[\s:：()（）\[\]【】,，;；、/|.\-]+|'(?!000)", re.IGNORECASE)
#: A multiplier beside a currency anywhere in a title: 万元, 人民币千元, 百万美元, (USD thousand),
#: (USD 10 thousand), thousands of US dollars, US$ '000, $m, and "in thousands". Not an amount
#: (不含1万元以下, 约1.5万亿美元, 1 thousand USD) or a threshold (百万美元以上, 千万美元的商品).
_BESIDE_CURRENCY = re.compile(
    rf"(?<![\d.])(?<!\d[,，])(?<!\d\s)(?<![千万亿])"
    rf"(?P<a>(?:[百十千](?=[万亿]))?(?:{_WORD}|{_FIGURE}))\s*(?:of\s+)?{_CURRENCY}"
    r"(?!\s*(?:以上|以下|以内|的))"
    rf"|{_CURRENCY}\s*[(（]?\s*(?:(?:10|100|hundred)\s*)?"
    rf"(?P<b>{_WORD}|{_FIGURE}|(?<![a-z])m(?![a-z]))"
    r"|(?<![a-z])in\s+(?P<c>thousands|millions|billions)(?![a-z])", re.IGNORECASE)


def _word(multiplier: str) -> str:
    """A multiplier as compared: thousands is thousand, 10 000 is 10,000 is 10000."""
    word = re.sub(r"[,， ]", "", multiplier.casefold())
    return word[:-1] if word.endswith("s") else word


def _stated_multipliers(text: str) -> set[str]:
    """The multipliers a title line states for the values: in the words after each 单位 or
    Unit, up to the first word that is no part of a unit, and beside a currency anywhere."""
    found = set()
    for mention in _UNIT_MENTION.finditer(text):
        at = mention.end()
        while (token := _UNIT_TOKEN.match(text, at)) is not None and token.end() > at:
            if token.group("m"):
                found.add(_word(token.group("m")))
            at = token.end()
    for match in _BESIDE_CURRENCY.finditer(text):
        said = match.group("a") or match.group("b") or match.group("c")
        if said.casefold() == "m":  # US$m
            found.add("million")
        else:  # 百万 is compared as the 万 a unit read from it holds
            found |= {_word(m.group(0)) for m in _MULTIPLIER.finditer(said)}
    return found


def unreadable_title_unit(rows: list[list[str]], stated: str | None) -> tuple[int, str] | None:
    """A title row that states a multiplier for the values (千, 万, thousand, 1,000) that the
    unit read from the title does not hold, or when no unit was read: (its index in `rows`, its
    text), else None.

    The wording varies more than any pattern that reads a unit can follow ("单位：人民币 万元",
    "Unit: USD thousand (2020)", "In RMB 10,000", "（人民币万元）" on a line of its own, "单位："
    and "万元" on two lines): it is enough to see that a multiplier is stated and not read.
    """
    held = {_word(m.group(0)) for m in _MULTIPLIER.finditer(stated or "")}
    for index, row in enumerate(rows):
        text = title_text(row)
        if _stated_multipliers(text) - held:
            return index, text.strip()
    return None
