"""The value unit a title above the table states ("金额单位：万元", "Unit: USD thousand"), and the
titles that speak of a unit ingest cannot read safely.

A download's title lines are free text: the unit of the values sits among dates, page numbers,
the quantity's unit (计量单位：千克), product and place names (万向节, 千里达和多巴哥, 万宁市) and
row counts (共10,000条). Read as a unit without its multiplier, a title such as "单位：人民币 万元"
makes every value 10,000 times too small with no sign, so a title that states a multiplier the
unit read does not hold refuses the file, at its line, instead.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from pathlib import Path

from helpers.errors import InputError
from helpers.ingest.layouts import _CURRENCY_WORDS, _MULTIPLIERS, Layout, read_unit, unit_currencies

#: Traditional characters of the unit words (單位：萬元, 金額（仟元）) as the simplified ones.
_SIMPLIFIED = str.maketrans("萬億仟單額圓幣", "万亿千单额元币")

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
                         r"[^\s,，、;；)）(（】\]]+"
                         r"(?:\s*[(（][^)）]*[)）])?)|"
                         rf"{_ENGLISH_UNIT}{_SEPARATOR}"
                         r"([a-z$ ,0-9']+?)(?:[;)]|,(?!\s*\d{3}(?!\d))|$)", re.IGNORECASE)


def title_text(row: list[str]) -> str:
    """A title row's text: an unquoted CSV title is split at its commas ("Unit: USD thousand,
    2020", "Unit: RMB 10,000"), so its cells are joined by a comma again; full-width digits,
    letters and signs (１，０００, ＵＳＤ, （）) and the traditional unit words read as the plain
    ones, so that no spelling of a multiplier slips past the patterns below."""
    return unicodedata.normalize("NFKC", ",".join(c for c in row if c)).translate(_SIMPLIFIED)


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
_WORD = (r"千(?![克瓦米升])|万|亿|'000|"
         r"(?<![a-z])(?:thousands?|millions?|billions?|mn|mln|bn)(?![a-z])")
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
    rf"(?<![\d.])(?<!\d[,，])(?<!\d\s)(?<![千万亿超逾])(?<![超逾][百十千])"
    rf"(?P<a>(?:[百十千](?=[万亿]))?(?:{_WORD}|{_FIGURE}))\s*(?:of\s+)?{_CURRENCY}"
    r"(?!\s*(?:以上|以下|以内|的))"
    rf"|{_CURRENCY}\s*[(（,，、/]?\s*(?:(?:10|100|hundred)\s*)?"
    rf"(?P<b>{_WORD}|{_FIGURE}|(?<![a-z])m(?![a-z]))"
    r"|(?<![a-z])in\s+(?P<c>thousands|millions|billions)(?![a-z])", re.IGNORECASE)


#: A multiplier said without a currency beside it, which no unit would be read from: a bare
#: bracketed 万 (出口（万）, 金额(千)), and the English words and abbreviations wherever they
#: stand in a title (Value: thousand, US$000, 000s, USD k, kUSD, thous., mil.). Not a count
#: (a thousand rows) and not 千克, 千瓦 or a name with 万 in it: those are never bracketed alone.
_ANYWHERE = re.compile(
    r"[(\[【]\s*(?P<z>[百十千]?[千万亿])\s*[)\]】]"
    r"|(?<![a-z])(?P<e>thousands?|thous|millions?|billions?)(?![a-z])"
    r"(?!\s*(?:rows?|records?|lines?|entries|items|pieces|pcs|kg|tons?|tonnes?|sets?)\b)"
    r"|(?:\$|(?<![a-z])(?:usd|rmb|cny|eur))\s*(?P<t>'?000)s?(?![\d,])"
    r"|(?<![a-z])(?:usd|us\$|\$|rmb|cny|eur)\s*[(]?\s*(?P<a>mil|mln|mn|bn)\.?(?![a-z])"
    r"|(?<![a-z])(?P<k>k)\s*(?:usd|us\$|\$|rmb|cny|eur)|(?:usd|us\$|\$|rmb|cny|eur)\s*(?P<k2>k)"
    r"(?![a-z])", re.IGNORECASE)
#: A quantity's unit statement (Quantity unit: thousand pieces, 计量单位：千克), up to the
#: next separator: none of the values' business.
_QUANTITY_UNIT = re.compile(r"(?:quantity[ _]?units?|计量单位|数量单位)\s*[:：]?[^;,，；|]*",
                            re.IGNORECASE)
#: A threshold or an amount in words (value over USD 1 million, more than a thousand): no unit.
_THRESHOLD = re.compile(r"(?<![a-z])(?:over|above|exceeding|more than|at least|less than|under|"
                        r"below|up to|top)\s+[^,;|)]*", re.IGNORECASE)
#: The size each multiplier word stands for, to compare a title with a header's own unit.
_SCALE_OF = {"千": 1e3, "thousand": 1e3, "thous": 1e3, "1000": 1e3, "'000": 1e3, "000": 1e3,
             "k": 1e3, "万": 1e4, "10000": 1e4, "million": 1e6, "mil": 1e6, "mn": 1e6,
             "mln": 1e6, "1000000": 1e6, "亿": 1e8, "100000000": 1e8, "billion": 1e9, "bn": 1e9}


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
    for match in _ANYWHERE.finditer(_THRESHOLD.sub(" ", _QUANTITY_UNIT.sub(" ", text))):
        said = next(g for g in match.groups() if g)
        found |= ({_word(m.group(0)) for m in _MULTIPLIER.finditer(said)} if match.group("z")
                  else {"k" if said.casefold() == "k" else _word(said)})
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
    scales = set()
    for currency in ("CNY", "USD"):  # the size the unit read stands for: k, '000 are 千
        with contextlib.suppress(ValueError):
            scales.add(read_unit(stated, currency) if stated is not None else 1.0)
    held |= {w for w, size in _SCALE_OF.items() if size in scales - {1.0}}
    for index, row in enumerate(rows):
        text = title_text(row)
        if _stated_multipliers(text) - held:
            return index, text.strip()
    return None


def title_against_header(rows: list[list[str]], layout: Layout,
                         stated: str | None) -> tuple[int, str] | None:
    """A title row whose unit contradicts a value column's own (a header with its unit is read
    by it): 单位：万元 above 人民币(元), USD thousand above 美元(美元). One of the two is wrong by a
    factor of 1,000 or more, and which cannot be told. (Its index in `rows`, why), else None."""
    for name in sorted(layout.explicit_units):
        currency = "CNY" if name == "value_cny" else "USD"
        scale = layout.scales.get(name, 1.0)
        column = layout.columns[layout.fields[name]].strip()
        for index, row in enumerate(rows):
            text = title_text(row)
            said = {_SCALE_OF[w] for w in _stated_multipliers(text) if w in _SCALE_OF}
            named = unit_currencies(text) if _UNIT_MENTION.search(text) or said else set()
            if named and currency not in named:
                continue  # the title speaks of the other currency's column
            unit = stated if stated is not None and stated in text else None
            if unit is not None:  # the unit read, beside the multipliers said (百万 is 万)
                try:
                    said = said | {read_unit(unit, currency)}
                except ValueError:
                    continue
            if said and scale not in said:
                return index, (f"the title above the table states {text.strip()[:80]!r} and "
                               f"column {column!r} states its own unit: they differ (x"
                               f"{min(said):,.0f} against x{scale:,.0f}), so every value "
                               "would be wrong by that factor in one of the two readings. "
                               "Check which is right, correct the header, and delete the "
                               "title line")
    return None


def unit_in_other_cells(layout: Layout) -> str | None:
    """A header cell that is no column ingest reads and states a unit (…,人民币,单位：万元 or
    …,人民币,（万元）: the unit written in the cell beside the value column's): the values would
    be read without it. The cell's text, else None."""
    for raw in layout.unknown:
        text = title_text([raw])
        bare = re.sub(r"[\s()\[\]【】:：]|单位|金额", "", text)
        if ((_CHINESE_UNIT_RE.search(text) and unit_currencies(text)) or _stated_multipliers(text)
                or (bare and unit_currencies(bare) and not re.sub(_CURRENCY, "", bare,
                                                                  flags=re.IGNORECASE))):
            return raw
    return None


_CHINESE_UNIT_RE = re.compile(_CHINESE_UNIT)


_BRACKETED = re.compile(r"[(\[【]([^()\[\]【】]{1,24})[)\]】]")


def title_currency_against_columns(rows: list[list[str]], layout: Layout
                                   ) -> tuple[int, str] | None:
    """A title row naming, in brackets and alone, a currency no value column is in (2020年新疆
    出口（美元） above a 人民币 column): the values would be read in the column's currency, the
    title says another. (Its index in `rows`, its text), else None."""
    have = {c for name, c in (("value_cny", "CNY"), ("value_usd", "USD")) if name in layout.fields}
    for index, row in enumerate(rows):
        text = title_text(row)
        for match in _BRACKETED.finditer(text):
            inner = match.group(1)
            named = unit_currencies(inner)
            rest = re.sub(_CURRENCY, "", re.sub(r"单位|金额|[\s:：,，]", "", inner),
                          flags=re.IGNORECASE)
            if named and not rest and not named & have:
                return index, text.strip()
    return None


def apply_head_unit(path: Path, head: list[list[str]], layout: Layout) -> None:
    """Scale the value columns by the unit the title rows above the header state, or refuse
    the file at the line where title and header cannot both be right: a multiplier the unit
    read does not hold, a unit in a header cell beside the value column, a title in another
    currency or unit than the value column's own."""
    header_line = len(head) + 1
    stated = title_unit(head)
    unclear = unreadable_title_unit(head, stated)
    if unclear is not None and layout.title_unit_fields():
        raise InputError(path, f"the title above the table states a unit that cannot be read "
                         f"safely: {unclear[1][:120]!r} (a multiplier such as 千, 万, thousand "
                         "or 1,000 in it is not part of the unit read). Put the unit into the "
                         "value column's header, e.g. 美元(千美元) or 人民币(万元), and delete "
                         "the title line", line=unclear[0] + 1)
    beside = unit_in_other_cells(layout)
    if beside is not None:
        raise InputError(path, f"a header cell that is no value column states a unit "
                         f"({beside.strip()!r}): the values would be read without it. Put the "
                         "unit into the value column's header, e.g. 人民币(万元) or 美元(千美元), "
                         "and delete that cell", line=header_line)
    other = title_currency_against_columns(head, layout)
    if other is not None:
        columns = ", ".join(layout.columns[layout.fields[n]].strip()
                            for n in ("value_cny", "value_usd") if n in layout.fields)
        raise InputError(path, f"the title above the table names another currency than the "
                         f"value column's: {other[1][:120]!r} above column(s) {columns}: check "
                         "which is right and correct the header", line=other[0] + 1)
    contradiction = title_against_header(head, layout, stated)
    if contradiction is not None:
        raise InputError(path, contradiction[1], line=contradiction[0] + 1)
    if stated is not None:
        layout.apply_title_unit(stated)
