"""The column layouts of customs-platform downloads, Chinese and English, mapped to one schema.

Which columns a download has depends on the query: 贸易方式 (customs regime) and 注册地
(registered location of the trading firm) appear only when the query groups by them, 数据年月
only for monthly queries, and some queries use 境内货源地 (domestic source of goods, for exports)
or 境内目的地 (domestic destination, for imports) instead of 注册地. Headers are matched after
normalising case, spaces and bracketed unit notes such as `人民币(元)`.
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
    "value_cny": ("人民币", "人民币元", "rmb", "renminbi", "renminbi yuan", "yuan", "cny"),
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

    @property
    def currency(self) -> str:
        return "CNY" if "value_cny" in self.fields else "USD"

    @property
    def province_basis(self) -> str | None:
        for prefix, basis in (("registration", "registration"), ("source", "source of goods"),
                              ("destination", "domestic destination")):
            if f"{prefix}_code" in self.fields or f"{prefix}_name" in self.fields:
                return basis
        return None

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


def match_header(columns: list[str]) -> Layout:
    """Map a header row to canonical fields; the first column wins if a field repeats."""
    layout = Layout(columns=list(columns))
    for index, raw in enumerate(columns):
        name = _LOOKUP.get(normalise_header(raw))
        if name is None:
            if raw.strip():
                layout.unknown.append(raw.strip())
            continue
        layout.fields.setdefault(name, index)
    return layout


def header_score(columns: list[str]) -> int:
    """How many known headers a row has: used to find the header below a title preamble."""
    return sum(1 for c in columns if normalise_header(c) in _LOOKUP)
