"""The column layouts of customs-platform downloads, Chinese and English, mapped to one schema.

Which columns a download has depends on the query: 贸易方式 (customs regime) and 注册地
(registered location of the trading firm) appear only when the query groups by them, 数据年月
only for monthly queries, and some queries use 境内货源地 (domestic source of goods, for exports)
or 境内目的地 (domestic destination, for imports) instead of 注册地. Headers are matched after
normalising case, spaces and bracketed notes; the unit in a value column's brackets
(`人民币(万元)`, `美元(千美元)`, `US dollar (thousand)`) is read into a scale factor, because the
platform's monthly tables and many re-exports state values in 万元 or 千美元, and "1,000" in such a
column is ten million yuan, not a thousand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: canonical field -> header spellings seen on the platform (Chinese and English sites).
ALIASES: dict[str, tuple[str, ...]] = {
    "period": ("数据年月", "年月", "日期", "date of data", "date", "period"),
    "hs_code": ("商品编码", "商品代码", "hs编码", "commodity code", "hs code"),
    "hs_name": ("商品名称", "commodity", "commodity name"),
    "partner_code": ("贸易伙伴编码", "贸易伙伴代码", "国别代码", "trading partner code",
                     "partner code"),
    "partner_name": ("贸易伙伴名称", "贸易伙伴", "国别名称", "trading partner", "partner"),
    "regime_code": ("贸易方式编码", "贸易方式代码", "customs regime code", "trade mode code"),
    "regime_name": ("贸易方式名称", "贸易方式", "customs regime", "trade mode"),
    "registration_code": ("注册地编码", "注册地代码", "企业注册地编码", "企业注册地代码",
                          "registration place code", "place of registration code"),
    "registration_name": ("注册地名称", "企业注册地名称", "注册地", "registration place",
                          "place of registration"),
    "source_code": ("境内货源地编码", "境内货源地代码", "domestic source code",
                    "domestic source of goods code"),
    "source_name": ("境内货源地名称", "境内货源地", "domestic source", "domestic source of goods"),
    "destination_code": ("境内目的地编码", "境内目的地代码", "domestic destination code"),
    "destination_name": ("境内目的地名称", "境内目的地", "domestic destination"),
    "quantity_1": ("第一数量", "quantity", "first quantity"),
    "unit_1": ("第一计量单位", "unit", "first unit"),
    "quantity_2": ("第二数量", "supplimentary quantity", "supplementary quantity",
                   "second quantity"),
    "unit_2": ("第二计量单位", "supplimentary unit", "supplementary unit", "second unit"),
    "value_cny": ("人民币", "rmb", "renminbi", "renminbi yuan", "rmb yuan", "yuan rmb", "yuan",
                  "cny"),
    "value_usd": ("美元", "us dollar", "us dollars", "usd", "dollar"),
    "demo_flag": ("demo",),
}

#: Groups of which at least one field must be present, with the name shown to the user.
REQUIRED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("商品编码 / Commodity code", ("hs_code",)),
    ("贸易伙伴编码 or 贸易伙伴名称 / Trading partner code", ("partner_code", "partner_name")),
    ("人民币 or 美元 / US dollar (the value column)", ("value_cny", "value_usd")),
)

_BRACKETS = re.compile(r"[\(\（\[【][^\)\）\]】]*[\)\）\]】]")

#: Multipliers written in a value column's unit, Chinese and English (after currency words).
_MULTIPLIERS = {
    "": 1.0, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8,
    "thousand": 1e3, "thousands": 1e3, "1000": 1e3, "k": 1e3, "000": 1e3, "'000": 1e3,
    "10 thousand": 1e4, "ten thousand": 1e4, "10000": 1e4, "10k": 1e4,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6, "1000000": 1e6,
    "100 million": 1e8, "hundred million": 1e8, "100000000": 1e8,
}
#: Currency words in a unit, longest first (美元 before 元): each names CNY or USD.
_CURRENCY_WORDS = (("美元", "USD"), ("美金", "USD"), ("us dollars", "USD"), ("us dollar", "USD"),
                   ("dollars", "USD"), ("dollar", "USD"), ("us$", "USD"), ("usd", "USD"),
                   ("$", "USD"), ("人民币", "CNY"), ("renminbi", "CNY"), ("rmb", "CNY"),
                   ("yuan", "CNY"), ("cny", "CNY"), ("元", "CNY"))
#: Value headers written without brackets, e.g. 人民币万元 or 美元千美元.
_UNBRACKETED_UNIT = re.compile(r"^(人民币|美元)(.+)$")
#: Words a unit may carry that say nothing about its size ("单位：万元", "value in USD").
_FILLER = ("单位", "金额", "in", "of", "unit", "units", "value", "amount")
#: Headers that are a value column only through the currency in their unit: 金额(万元).
_GENERIC_VALUE = {"金额", "价值", "贸易额", "value", "amount", "trade value"}
def unit_currencies(unit: str) -> set[str]:
    """The currencies a unit's words name (美元 -> USD, 万元 -> CNY)."""
    text, named = unit.casefold(), set()
    for word, code in _CURRENCY_WORDS:
        if word in text:
            named.add(code)
            text = text.replace(word, " ")
    return named


def read_unit(unit: str, currency: str) -> float:
    """The scale factor of a value column's unit text ('万元' -> 1e4 for a CNY column).

    Raises ValueError with the reason when the unit is not a known amount of `currency`
    (an unknown word, or the other currency: a 人民币 column in 千美元 is not a yuan column).
    """
    text = re.sub(r"(?<=\d)[\s,，](?=\d{3})", "", unit.casefold()).replace(",", " ")
    named = set()
    for word, code in _CURRENCY_WORDS:
        if word in text:
            named.add(code)
            text = text.replace(word, " ")
    if named - {currency}:
        raise ValueError(f"the unit names {' and '.join(sorted(named))}, the column is {currency}")
    for word in ("单位", "金额"):  # Chinese fillers stand without spaces: 单位:万元
        text = text.replace(word, " ")
    words = [w for w in re.split(r"[\s:：/_\-()（）]+", text) if w and w not in _FILLER]
    phrase = " ".join(words)
    if phrase not in _MULTIPLIERS:
        raise ValueError(f"unknown unit {unit.strip()!r}")
    return _MULTIPLIERS[phrase]


def _split_unit(raw: str) -> tuple[str, str | None]:
    """(header without its unit, the unit text or None)."""
    text = raw.replace("\ufeff", "").strip().strip('"').strip()
    notes = [m.group(0)[1:-1] for m in _BRACKETS.finditer(text)]
    if notes:
        return _BRACKETS.sub("", text), " ".join(notes)
    match = _UNBRACKETED_UNIT.match(text.replace(" ", ""))
    return (match.group(1), match.group(2)) if match else (text, None)


def normalise_header(text: str) -> str:
    """Lower-case, without BOM, quotes, bracketed notes, spaces and punctuation."""
    text = text.replace("\ufeff", "").strip().strip('"').strip()
    text = _BRACKETS.sub("", text).casefold()
    return re.sub(r"[\s_\-:：/.]+", " ", text).strip()


_LOOKUP = {normalise_header(alias): name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass
class Layout:
    """Which canonical field sits in which column of one file."""

    columns: list[str]
    fields: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    #: value field -> factor to yuan or dollars (1e4 for 万元), read from the header's unit.
    scales: dict[str, float] = field(default_factory=dict)
    #: headers whose unit could not be read, with the reason (an error for the reader to raise).
    unit_errors: list[str] = field(default_factory=list)
    #: value fields whose header states its unit (a title row's unit applies to the others).
    explicit_units: set[str] = field(default_factory=set)
    #: (field, first header, later header): two columns read as one field (an error).
    repeated: list[tuple[str, str, str]] = field(default_factory=list)

    def title_unit_fields(self) -> list[str]:
        """The value fields a unit stated above the table applies to: those whose header
        gives no unit of its own."""
        return [name for name in ("value_cny", "value_usd")
                if name in self.fields and name not in self.explicit_units]

    def apply_title_unit(self, unit: str) -> None:
        """Scale the value columns whose header gave no unit by a unit stated above the table."""
        for name in self.title_unit_fields():
            try:
                self.scales[name] = read_unit(unit, "CNY" if name == "value_cny" else "USD")
            except ValueError as exc:
                self.unit_errors.append(f"cannot apply the unit {unit!r} stated above the "
                                        f"table to column {self.columns[self.fields[name]]!r}"
                                        f": {exc}; state the unit in the column header")

    @property
    def currency(self) -> str:
        """The currency of the values used: the platform's own dollars whenever the file has a
        美元 column (a yuan column beside it is kept as a cross-check), else yuan."""
        return "USD" if "value_usd" in self.fields else "CNY"

    @property
    def has_both_currencies(self) -> bool:
        return "value_usd" in self.fields and "value_cny" in self.fields

    @property
    def province_basis(self) -> str | None:
        bases = self.province_bases()
        return bases[0] if bases else None

    def province_bases(self) -> list[str]:
        """Every place basis the header has columns of: one, in a platform download."""
        return [basis for prefix, basis in (("registration", "registration"),
                                            ("source", "source of goods"),
                                            ("destination", "domestic destination"))
                if f"{prefix}_code" in self.fields or f"{prefix}_name" in self.fields]

    @property
    def province_fields(self) -> tuple[str | None, str | None]:
        """The (code, name) fields that give the province, for the basis this file uses."""
        prefix = {"registration": "registration", "source of goods": "source",
                  "domestic destination": "destination"}.get(self.province_basis or "")
        if prefix is None:
            return None, None
        code, name = f"{prefix}_code", f"{prefix}_name"
        return (code if code in self.fields else None), (name if name in self.fields else None)

    def missing_required(self) -> list[str]:
        return [label for label, options in REQUIRED if not any(o in self.fields for o in options)]

    def dimensions(self) -> tuple[str, ...]:
        """The grouping of the query that produced the file, to warn about mixed downloads."""
        dims = [d for d in ("period", "regime_code", "regime_name") if d in self.fields]
        if self.province_basis:
            dims.append(self.province_basis)
        return tuple(dims)


def one_line(header: str) -> str:
    """A header cell broken into lines in Excel (Alt+Enter) as one: 数据\n年月 is 数据年月,
    人民币\n万元 is 人民币万元, US\ndollar is US dollar."""
    if "\n" not in header and "\r" not in header:
        return header
    joined = re.sub(r"(?<=[^\x00-\x7f(（])\s*[\r\n]+\s*|\s*[\r\n]+\s*(?=[^\x00-\x7f)）(（])",
                    "", header.strip())
    return re.sub(r"\s*[\r\n]+\s*", " ", joined)


def match_header(columns: list[str]) -> Layout:
    """Map a header row to canonical fields. A field read from two columns is noted in
    `repeated` for the reader to refuse: two 美元 columns under 当月 / 累计 (month and
    cumulative) or two 商品编码 columns cannot both be read, and either one alone is a guess."""
    layout = Layout(columns=list(columns))
    for index, raw in enumerate(one_line(c) for c in columns):
        # a Chinese header with a space inside (数据 年月) is read as written without it
        name = _LOOKUP.get(normalise_header(raw)) or _LOOKUP.get(
            normalise_header(re.sub(r"\s+", "", raw)))
        bare, unit = _split_unit(raw)
        if name is None and unit is not None:
            name = _LOOKUP.get(normalise_header(bare))  # 人民币万元: a value header, unbracketed
            name = name if name in ("value_cny", "value_usd") else None
        if name is None and unit is not None and normalise_header(bare) in _GENERIC_VALUE:
            named = unit_currencies(unit)  # 金额(万元), Value (US$)
            name = {frozenset({"CNY"}): "value_cny", frozenset({"USD"}): "value_usd"}.get(
                frozenset(named))
        if name is None:
            if raw.strip():
                layout.unknown.append(raw.strip())
            continue
        if name in layout.fields:
            layout.repeated.append((name, columns[layout.fields[name]].strip(), raw.strip()))
            continue
        layout.fields[name] = index
        if name in ("value_cny", "value_usd"):
            if unit is not None:
                layout.explicit_units.add(name)
            try:
                layout.scales[name] = 1.0 if unit is None else read_unit(
                    unit, "CNY" if name == "value_cny" else "USD")
            except ValueError as exc:
                layout.unit_errors.append(
                    f"cannot read the unit of column {raw.strip()!r}: {exc}; known units are 元, "
                    "千元, 万元, 亿元, 美元, 千美元, 万美元 (or thousand / million in English)")
    return layout


def header_score(columns: list[str]) -> int:
    """How many known headers a row has: used to find the header below a title preamble."""
    def known(cell: str) -> bool:
        bare = normalise_header(_split_unit(cell)[0])
        return normalise_header(cell) in _LOOKUP or bare in _LOOKUP or bare in _GENERIC_VALUE

    return sum(1 for c in columns if known(c))


#: A header cell that names a month: 一月, 十二月份, 1月, 2020年1月, 202001, 2020-01, Jan,
#: January, Jan 2020, M01 (with a unit in brackets too: 1月(美元)).
_MONTH_HEADER = re.compile(
    r"(?:(?:19|20)\d{2}\s*年?\s*)?(?:0?[1-9]|1[0-2]|十[一二]?|[一二三四五六七八九])\s*月份?"
    r"|(?:19|20)\d{2}\s*[-/.]?\s*(?:0[1-9]|1[0-2])|m(?:0?[1-9]|1[0-2])"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    r"june|july|august|september|october|november|december)\.?(?:\s*(?:19|20)\d{2})?",
    re.IGNORECASE)


def month_columns(layout: Layout) -> list[str]:
    """The header cells no field is read from that name a month: columns of a wide table,
    one per month, whose values ingest would not read (it reads one value column per row)."""
    return [c for c in layout.unknown
            if _MONTH_HEADER.fullmatch(normalise_header(c)) or _MONTH_HEADER.fullmatch(
                re.sub(r"\s+", "", _BRACKETS.sub("", one_line(c))))]
