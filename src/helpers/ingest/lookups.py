"""The code-list joins of one file's parsed rows, and the checks on the rows they miss.

A partner, a registration place and a customs regime are each looked up in the platform's code
lists (data/raw/gacc-codes/); a row no list knows is refused at its line, and so is a row whose
code and name are two different entries of one list (columns shifted or edited by hand). A place
finer than a province is kept in one spelling by name (`_within_sql`). Both the scan
(ingest.sql.final_sql) and the error path (ingest.refusal) join by the same text, so they miss
the same rows.
"""

from __future__ import annotations

from helpers.ingest.plan import InputFile

#: The start of every error a row check raises inside DuckDB: tag, file index, check, raw text.
ERROR_TAG = "HELPERS¦"


def q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _col(f: InputFile, name: str) -> str | None:
    """The scan's column of a field (c0, c1, ...), or None when the file has none."""
    index = f.sniffed.layout.fields.get(name)
    return None if index is None else f'"c{index}"'


#: Places by name that begin with one province's short name and lie in another: 海南州 is a
#: prefecture of 青海, not of 海南省. Refused by the province lookup (write 青海海南州).
ELSEWHERE_PLACES = {"海南州": "青海", "海南藏族自治州": "青海"}


def lookups_sql(f: InputFile) -> str:
    """The code-list joins of one file's parsed rows `r`: partner `p`, province `v`, customs
    regime by code `g` and by Chinese name `gn`. The scan and the error path both join by this
    text, so they miss the same rows."""
    partner_join = ("p.gacc_code = r.partner_code" if _col(f, "partner_code")
                    else "(p.name_zh = r.partner_name OR lower(p.name_en) = lower(r.partner_name))")
    others = ", ".join(q(name) for name in ELSEWHERE_PLACES)
    province_join = ("v.gacc_code = r.raw_province_code" if f.sniffed.layout.province_fields[0]
                     else f"starts_with(r.raw_province_name, v.short_zh) "
                          f"AND r.raw_province_name NOT IN ({others})")
    joins = (f"LEFT JOIN partners p ON {partner_join} "
             f"LEFT JOIN provinces v ON {province_join} "
             "LEFT JOIN regimes g ON g.regime_code = r.regime_code "
             "LEFT JOIN regimes gn ON gn.name_key = r.regime_key "
             f"LEFT JOIN regimes gx ON gx.name_key = {_named_other_sql(f)}")
    if "partner_conflict" in conflict_checks(f):
        joins += (" LEFT JOIN partner_names px ON px.name = CASE WHEN r.partner_name <> "
                  "p.name_zh AND lower(r.partner_name) <> lower(p.name_en) THEN "
                  "lower(r.partner_name) END")
    if "province_conflict" in conflict_checks(f):
        joins += (" LEFT JOIN province_names vx ON vx.name = CASE WHEN r.raw_province_name NOT "
                  "IN (v.name_zh, v.short_zh) AND lower(r.raw_province_name) <> "
                  "lower(v.name_en) THEN lower(r.raw_province_name) END")
    return joins


def conflict_checks(f: InputFile) -> list[str]:
    """The code-against-name checks a file can have: a partner (or place) code beside another
    partner's (place's) name, as columns shifted by hand leave them (`304,美国`, `44,新疆`).
    Which of the two the trade is cannot be told; kept under its code it was filed under the
    wrong partner without a word. Only names the code lists hold are compared: a spelling the
    list does not have (an older name, a city) is no conflict."""
    layout = f.sniffed.layout
    found = []
    if "partner_code" in layout.fields and "partner_name" in layout.fields:
        found.append("partner_conflict")
    if all(layout.province_fields):
        found.append("province_conflict")
    return found


def names_tables_sql() -> str:
    """Tables of every name the partner and place lists give an entry, lower-cased, for the
    conflict joins (a name two entries share is left out: it names neither)."""
    return ("CREATE TABLE partner_names AS SELECT name, any_value(gacc_code) AS gacc_code FROM "
            "(SELECT lower(name_zh) AS name, gacc_code FROM partners UNION ALL SELECT "
            "lower(name_en), gacc_code FROM partners) WHERE name IS NOT NULL GROUP BY name "
            "HAVING count(DISTINCT gacc_code) = 1; "
            "CREATE TABLE province_names AS SELECT name, any_value(gacc_code) AS gacc_code FROM "
            "(SELECT lower(name_zh) AS name, gacc_code FROM provinces UNION ALL SELECT "
            "lower(short_zh), gacc_code FROM provinces UNION ALL SELECT lower(name_en), "
            "gacc_code FROM provinces) WHERE name IS NOT NULL GROUP BY name "
            "HAVING count(DISTINCT gacc_code) = 1")


def _named_other_sql(f: InputFile) -> str:
    """The name key of a row that gives a regime code and a Chinese name other than the code's
    own (as the list spells it), for the `gx` join: `10,进料加工贸易` names regime 15 under the
    code of 10. Computed only on such rows (most rows spell the list's name exactly)."""
    if not (_col(f, "regime_code") and _col(f, "regime_name")):
        return "NULL::VARCHAR"
    return (f"CASE WHEN r.regime_name <> g.regime_name_zh THEN "
            f"{regime_key_sql('r.regime_name')} END")


def regime_key_sql(name: str) -> str:
    """A Chinese regime name as the code list is matched by: without the separators its long
    names are written with in different downloads (国家间、国际组织… / 国家间，国际组织… /
    国家间,国际组织…) and without a leading 海关 (海关特殊监管区域物流货物 is the list's
    特殊监管区域物流货物, 34). Used on both sides of the join."""
    return (f"regexp_replace(regexp_replace({name}, '[、，,/／\\s\\x{{3000}}]', '', 'g'), "
            "'^海关', '')")


#: Per lookup: the rows it misses (after `lookups_sql`), the raw text shown. An empty partner
#: matches no partner; an empty place in a download by place is refused (see parsed_sql), a file
#: without a place column is national. A regime code must be
#: the code list's; without one, the regime name must be the list's Chinese name: a subtotal row
#: whose label is spelt in none of the ways TOTAL_LABELS knows (合计 ：, 全部合计, 所有贸易方式,
#: "All regimes", "-") fails here and is refused at its line, instead of being summed in as one
#: more regime. An English name without its code ("General trade") is refused too: there is no
#: English list to check it against, and kept as written it would never meet 一般贸易 (10) of
#: the same trade downloaded from the Chinese site, which would then be counted twice.
LOOKUP_CHECKS = {
    "partner": ("p.gacc_code IS NULL", "coalesce(r.partner_code, r.partner_name, '')"),
    "province": ("v.gacc_code IS NULL AND (r.raw_province_code IS NOT NULL "
                 "OR r.raw_province_name IS NOT NULL)",
                 "coalesce(r.raw_province_code, r.raw_province_name, '')"),
    "regime": ("(r.regime_code IS NOT NULL AND g.regime_code IS NULL) OR (r.regime_code IS NULL "
               "AND r.regime_name IS NOT NULL AND gn.regime_code IS NULL)",
               "coalesce(r.regime_code, r.regime_name, '')"),
    # A row whose regime code and Chinese name are two different regimes of the list: which one
    # the trade is cannot be told, so it is refused rather than kept under its code.
    "regime_conflict": ("gx.regime_code IS NOT NULL AND gx.regime_code <> g.regime_code",
                        "r.regime_code || '¦' || r.regime_name"),
    # The same for partners and places (conflict_checks: only files with both columns).
    "partner_conflict": ("px.gacc_code IS NOT NULL AND px.gacc_code <> p.gacc_code",
                         "r.partner_code || '¦' || r.partner_name || '¦' || px.gacc_code"),
    "province_conflict": ("vx.gacc_code IS NOT NULL AND vx.gacc_code <> v.gacc_code",
                          "coalesce(r.place, r.raw_province_code) || '¦' || r.raw_province_name "
                          "|| '¦' || vx.gacc_code"),
}


def _raise_if(check: str, index: int) -> str:
    """NULL, or the error of a row `check` (LOOKUP_CHECKS) finds, tagged for translate_error."""
    missed, raw = LOOKUP_CHECKS[check]
    return f"CASE WHEN {missed} THEN error({q(f'{ERROR_TAG}{index}¦{check}¦')} || {raw}) END"


def _lookup_or_raise(check: str, index: int, found: str) -> str:
    return f"coalesce({found}, {_raise_if(check, index)})"


#: The peoples autonomous prefectures are named for (伊犁哈萨克自治州 is 伊犁州 in short),
#: longest first.
PREFECTURE_PEOPLES = ("柯尔克孜", "土家族", "布依族", "朝鲜族", "景颇族", "傈僳族", "哈尼族",
                      "蒙古族", "哈萨克", "蒙古", "回族", "藏族", "羌族", "彝族", "傣族", "白族",
                      "壮族", "苗族", "侗族")
#: Prefectures known by one character and 州 (巴州 is 巴音郭楞蒙古自治州).
PREFECTURE_ALIASES = {"巴州": "巴音郭楞州", "博州": "博尔塔拉州", "克州": "克孜勒苏州"}


def _within_sql(rest: str) -> str:
    """A place within a province by name (the text after the province's short name) as one
    spelling: without spaces and punctuation, brackets as ASCII, without a leading province
    suffix (省, 维吾尔自治区, 维吾尔族自治区) or a trailing 市, and an autonomous prefecture by
    its short name (伊犁哈萨克自治州, 伊犁州 are 伊犁州; 巴州 is 巴音郭楞州). Downloads spell one
    city in several ways (新疆维吾尔自治区乌鲁木齐市, 新疆 乌鲁木齐); kept apart, one city from
    two downloads was counted twice. A prefecture and its seat (喀什地区, 喀什市; 昌吉州, 昌吉市)
    and zones told apart by a bracketed note stay two places. '' is the province itself."""
    peoples = "|".join(PREFECTURE_PEOPLES)
    steps = [(r"[\s\x{3000}\-－—_·・.。,，、]", ""),  # spaces and punctuation
             (r"^(\p{Han}{0,6}?自治区|省|市)", ""),  # what is left of the province's name
             (f"({peoples})+自治州$", "州"), (r"市(\(.*\))?$", r"\1")]  # 市 before a note too
    steps += [(f"^{short}$", long) for short, long in PREFECTURE_ALIASES.items()]
    text = f"translate({rest}, '（）【】［］', '()[][]')"
    for pattern, replacement in steps:
        text = f"regexp_replace({text}, {q(pattern)}, {q(replacement)}, 'g')"
    return text


_WITHIN = _within_sql("substr(r.place, length(v.short_zh) + 1)")


