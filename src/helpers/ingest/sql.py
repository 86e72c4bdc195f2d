"""The SQL that turns one planned file into rows of the processed table.

Each file becomes one SELECT in layers: trim and clean every used cell once, parse (typed values
plus a *_bad flag per check), apply the checks as a CASE that raises a tagged DuckDB error on the
first bad row, then join the code lists and the exchange rates. Blank and total rows are not
filtered up front: each fails a check, and only a failing row is tested for being one (then
dropped, not raised). The error path (ingest.refusal) reads the tag and finds the line by the
same layers, skipping the same rows by the same test.
"""

from __future__ import annotations

from helpers.ingest import codes
from helpers.ingest.lookups import (
    _WITHIN,
    ERROR_TAG,
    _lookup_or_raise,
    _raise_if,
    conflict_checks,
    lookups_sql,
    q,
    regime_key_sql,
)
from helpers.ingest.plan import InputFile

#: A number with thousands in groups of three (56,121,645.5): the one form commas may take.
THOUSANDS = r"([0-9]{1,3}|[1-9][0-9]{0,2}(,[0-9]{3})+)(\.[0-9]+)?"
#: A number whose dots may be thousands separators (1.000, 12.500.000), as a European-locale
#: spreadsheet writes them, or decimal points (1.000 = 1): which, the file does not say.
DOT_GROUPED = r"\s*\+?[0-9]{1,3}(\.[0-9]{3})+\s*"
#: A dot no European-locale spreadsheet writes: not followed by three digits (12.5, 0.1234) or
#: after four digits (1234.5). One such number shows the file's dots are decimal points.
DECIMAL_DOT = r"[0-9]{4}\.|\.([0-9]{1,2}|[0-9]{4,})\s*$"
#: A number with one comma before three digits (1,234 / 12,500): a thousand and more with a
#: thousands comma, or a European-locale decimal comma (1,234 = 1.234).
COMMA_GROUPED = r"\s*\+?[1-9][0-9]{0,2},[0-9]{3}\s*"
#: A comma only a thousands separator can be: two groups (1,234,567) or a group and a decimal
#: point (1,234.5).
THOUSANDS_COMMA = r"[0-9],[0-9]{3}(,[0-9]{3}|\.[0-9])"
#: Every form a figure may take in a download, in one pattern so a cell costs one match: plain
#: digits (1766340, 12.5, .5) or thousands in groups of three, separated by a comma, a
#: full-width comma or a space (1,766,340 / 1，766，340 / 1 766 340), the first group not 0
#: (0,750 is a decimal comma: no tool groups a number below a thousand). Not an exponent
#: (1.23E+11 is a number a spreadsheet cut to 3 digits), not 1_000, nan or inf, and no minus
#: sign: customs figures are never negative.
NUMBER = r"\s*\+?([0-9]*\.?[0-9]*|[1-9][0-9]{0,2}([,， ][0-9]{3})+(\.[0-9]+)?)\s*"
MISSING_MARKERS = ("", "-", "--", "—", "－", "——", "N/A", "n/a")


def scan_sql(f: InputFile) -> str:
    assert f.csv_path is not None
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(f.sniffed.layout.columns)))
    return (f"read_csv({q(str(f.csv_path))}, header=false, skip={f.sniffed.header_line}, "
            f"delim={q(f.sniffed.delimiter)}, quote='\"', escape='\"', columns={{{columns}}}, "
            "auto_detect=false, null_padding=false)")


def trimmed_sql(cell: str) -> str:
    """The cell without the spaces at its ends, any Unicode space (U+3000 and U+00A0 come in
    GBK files and spreadsheets) included, as DuckDB's `trim` leaves it.

    Every cell is trimmed. A guard that trimmed a long cell only when a space (`\\pZ`) stood at
    one of its ends cost more than the copy it saved (1M DEMO rows, parse and check: 1.33-1.38
    CPU s trimming every cell against 1.54-1.55 with the guard).
    """
    return f"trim({cell})"


def _one_of_sql(cell: str, texts: tuple[str, ...]) -> str:
    """Whether a (trimmed) cell, NULL read as empty, is one of `texts`: compared only when it
    is short enough to be one, so the comparison runs on a few rows, not on every number."""
    longest = max(len(t) for t in texts)
    listed = ", ".join(q(t) for t in texts)
    empty = "true" if "" in texts else "false"
    return (f"(CASE WHEN {cell} IS NULL THEN {empty} "
            f"WHEN length({cell}) <= {longest} THEN {cell} IN ({listed}) ELSE false END)")


def _is_missing_sql(cell: str) -> str:
    """Whether a (trimmed) cell says "no value": NULL, empty, a dash, N/A."""
    return _one_of_sql(cell, MISSING_MARKERS)


def locale_sql(f: InputFile) -> str | None:
    """The query telling how this file's numbers may be read: (a dot may group thousands, a
    comma may be a decimal comma), or None where neither can: a file separated by semicolons or
    tabs is what a European-locale spreadsheet saves, where 1.000 is a thousand and 1,234 is
    1.234; a comma-separated file uses the comma for thousands. Such a file's dots are decimal
    points once any number has a DECIMAL_DOT, and then its commas group thousands, as they do
    once any number has a THOUSANDS_COMMA; until then a dot or a comma before three digits is
    refused (read as 1.0, every value under a million was 1,000 times too small; read as 1234,
    1,000 times too large)."""
    numbers = [f'"c{i}"' for n, i in f.sniffed.layout.fields.items()
               if n.startswith(("quantity", "value"))]
    if f.sniffed.delimiter == "," or not numbers:
        return None
    dot, comma = _any_cell_sql(numbers, DECIMAL_DOT), _any_cell_sql(numbers, THOUSANDS_COMMA)
    return f"SELECT NOT {dot}, NOT ({dot} OR {comma}) FROM {scan_sql(f)}"


def _any_cell_sql(cells: list[str], pattern: str) -> str:
    """Whether any of `cells` in any row holds `pattern` (an aggregate, false when none)."""
    any_cell = " OR ".join(f"coalesce(regexp_matches({c}, {q(pattern)}), false)" for c in cells)
    return f"coalesce(bool_or({any_cell}), false)"


def _texts_sql(f: InputFile, numbered: bool = False) -> str:
    """First layer: each used column trimmed once, codes and numbers cleaned once. `numbered`
    keeps each row's number in the file (`rn`, blank and total rows counted) for the error
    path; the main scan does without (a window would serialise it)."""
    parts = ["rn"] if numbered else []
    for name, index in f.sniffed.layout.fields.items():
        text = trimmed_sql(f'"c{index}"')
        if name.endswith("_code"):
            # Spreadsheets write codes as 85023100.0 (or 10.00) or with a leading apostrophe;
            # undo both. Other dots stay, so that a message shows 8502.31.00 as written.
            text = (f"CASE WHEN contains({text}, '.') OR starts_with({text}, '''') THEN "
                    f"regexp_replace(regexp_replace({text}, '^''', ''), '^([0-9]+)\\.0+$', "
                    f"'\\1') ELSE {text} END")
        parts.append(f"{text} AS t_{name}")
        if name.startswith(("quantity", "value")):
            parts.append(f"{_is_missing_sql(text)} AS m_{name}")
            parts.append(f"TRY_CAST(CASE WHEN contains({text}, '，') OR contains({text}, ' ') "
                         f"THEN regexp_replace({text}, '[,， ]', '', 'g') "
                         f"ELSE replace({text}, ',', '') END AS DOUBLE) AS n_{name}")
            # DuckDB's cast also reads 1.23E+11 (Excel's way of showing a number it cut to 3
            # digits), 1_000, nan and inf, and drops any comma: 1.000,5 or 12,5 (a decimal
            # comma) or 1,2,3 would be read as one number. NUMBER admits none of them.
            bad = f"NOT coalesce(regexp_full_match({text}, {q(NUMBER)}), true)"
            if f.dots_may_group:
                bad += f" OR coalesce(regexp_full_match({text}, {q(DOT_GROUPED)}), false)"
            if f.commas_may_be_decimal:
                bad += f" OR coalesce(regexp_full_match({text}, {q(COMMA_GROUPED)}), false)"
            parts.append(f"({bad}) AS x_{name}")
    unnamed = [f"NULLIF({trimmed_sql(cell)}, '')"
               for cell in (f'"c{i}"' for i in trailing_unnamed(f))]
    parts.append(f"coalesce({', '.join(unnamed)}) AS t_unnamed" if unnamed
                 else "NULL::VARCHAR AS t_unnamed")
    scan = (f"(SELECT row_number() OVER () AS rn, * FROM {scan_sql(f)})" if numbered
            else scan_sql(f))
    return f"SELECT {', '.join(parts)} FROM {scan}"


def trailing_unnamed(f: InputFile) -> list[int]:
    """Columns of a CSV after its last named one whose header is empty (the English platform
    ends every line with a comma). A cell there is no part of the table, but a figure written
    with a thousands separator and no quotes puts its last digits there: 12,345 read as 12
    with 345 beside it, every row as wide as the header, so the reader sees nothing wrong. A
    workbook's cells cannot split so; its empty cells past the header are dropped already."""
    columns = f.sniffed.layout.columns
    if f.sniffed.kind != "csv":
        return []
    named = [i for i, c in enumerate(columns) if c.replace("\ufeff", "").strip()]
    return list(range(named[-1] + 1, len(columns))) if named else []


#: Labels of a total row some exports append below the table; summing it would count twice.
TOTAL_LABELS = tuple(dict.fromkeys(
    [f"{word[0]}{gap}{word[1]}{end}" for word in ("合计", "总计", "小计", "总值")
     for gap in ("", " ", "\u3000") for end in ("", ":", "：")]
    + [f"{word}{end}" for stem in ("total", "subtotal", "sub-total", "sub total", "grand total")
       for word in (stem, stem.title(), stem.upper(), stem.capitalize()) for end in ("", ":")]))
#: The first character of every label (合 小 总 T t S s G g), as code points: a cell starting
#: with none of them (almost every cell) is compared with none of the 72 labels.
LABEL_FIRSTS = tuple(sorted({ord(t[0]) for t in TOTAL_LABELS}))


#: Parsed cells a total or subtotal row may put its label in, with the field they come from.
#: Period and HS code are checked on every row (a label there fails the check); the others pass
#: every check with a label in them (小计 in 贸易方式名称, the rest filled in).
_LABEL_FIELDS = (("period", "raw_period"), ("hs_code", "raw_hs"), ("hs_name", "hs_name"),
                 ("partner_code", "partner_code"), ("partner_name", "partner_name"),
                 ("regime_code", "regime_code"), ("regime_name", "regime_name"))
_CHECKED_CELLS = ("raw_period", "raw_hs")


def _label_cells(f: InputFile) -> list[str]:
    """The parsed layer's texts a total row may put its label in."""
    has = f.sniffed.layout.fields.__contains__
    cells = [c for n, c in _LABEL_FIELDS if has(n)]
    code, name = f.sniffed.layout.province_fields
    # `place` is the code as written (raw_province_code keeps two characters of it), else the name
    return cells + [c for n, c in ((code, "place"), (name, "raw_province_name")) if n]


def _labelled_sql(cells: list[str]) -> str:
    """Whether any of `cells` holds a total row's label: compared only where a cell is short
    enough to be one and starts as one does, so a product name costs a length test and a
    partner name one more.

    The first character is read by `unicode()`, an integer test: four `contains` of the marks
    every label holds (计 值 otal OTAL) cost 2.4 times as much (2M DEMO rows, 7 cells: 0.24 s
    against 0.10 s on two threads; the cells with no label test at all: 0.00).
    """
    labels = ", ".join(q(t) for t in TOTAL_LABELS)
    longest = max(len(t.encode()) for t in TOTAL_LABELS)
    firsts = ", ".join(str(c) for c in LABEL_FIRSTS)
    return " OR ".join(f"(CASE WHEN strlen({c}) <= {longest} AND unicode({c}) IN ({firsts}) "
                       f"THEN {c} IN ({labels}) ELSE false END)" for c in cells) or "false"


def skipped_sql(f: InputFile) -> str:
    """Rows that are no data: blank (a trailing ",,,,,," line) or a 合计 / Total line, told by
    the parsed layer's trimmed and cleaned texts. The scan tests it only on the rows that fail
    a check; the error path (refusal.locate) leaves out every row it holds, as the scan does."""
    cells = _label_cells(f)
    blank = " AND ".join(f"coalesce({c}, '') = ''" for c in cells
                         if c in ("raw_period", "raw_hs", "partner_code", "partner_name"))
    return (f"({blank} AND coalesce(raw_value, '') = '') OR {_labelled_sql(cells)} "
            f"OR {_header_again_sql(f)}")


def _header_again_sql(f: InputFile) -> str:
    """The header row again, every column read in its place (pages joined into one file with
    `cat`): no data. A header in another order is not this, and stays an error."""
    layout = f.sniffed.layout
    code, name = layout.province_fields
    value, second = value_fields(f)
    cells = {"period": "raw_period", "hs_code": "raw_hs", "hs_name": "hs_name",
             "partner_code": "partner_code", "partner_name": "partner_name",
             "regime_code": "regime_code", "regime_name": "regime_name",
             "quantity_1": "raw_quantity_1", "quantity_2": "raw_quantity_2",
             "unit_1": "unit_1", "unit_2": "unit_2", value: "raw_value",
             **({second: "raw_value2"} if second else {}),
             **({code: "place"} if code else {}), **({name: "raw_province_name"} if name else {})}
    tests = [f"replace(coalesce({cell}, ''), '\ufeff', '') = "
             f"{q(layout.columns[layout.fields[field]].replace(chr(0xFEFF), '').strip())}"
             for field, cell in cells.items() if field in layout.fields]
    return f"({' AND '.join(tests)})"


#: Larger than China's trade of a whole year in yuan: a cell this big is a misread, not a value.
IMPLAUSIBLE_VALUE = 1e15


def _not_a_count_sql(name: str) -> str:
    """Unread, negative, written in an exponent, or one of DuckDB's readings of 'nan' and 'inf':
    never a customs figure."""
    number = f"n_{name}"
    return f"coalesce({number} < 0 OR NOT isfinite({number}) OR x_{name}, true)"


def value_fields(f: InputFile) -> tuple[str, str | None]:
    """(the value column used, a second currency column kept as a cross-check or None)."""
    layout = f.sniffed.layout
    if layout.has_both_currencies:
        return "value_usd", "value_cny"
    return ("value_usd" if "value_usd" in layout.fields else "value_cny"), None


def parsed_sql(f: InputFile, numbered: bool = False) -> str:
    """Row-wise parsing of one file: values typed, plus a *_bad flag per check."""
    has = f.sniffed.layout.fields.__contains__
    parts: list[str] = ["rn"] if numbered else []
    if has("period"):
        # 2020年1月, 2020-01, 2020/1, 2020 08, 2020.09, 2020.9. Not 2020.1: a spreadsheet
        # writes 2020.10 (October) so, and it cannot be told from January. A month's first
        # day is that month (2020-10-01, 2020/10/1, 2020年10月1日: a column formatted as
        # dates, saved as CSV); any other day is refused (a month is never given by its 15th).
        regex = q(r"^(\d{4})年?(?:(?:[-/_]?\s*(\d{1,2})|\.(\d{2}|[2-9]))月?"
                  r"(?:[-/.]0?1|0?1日)?)?$")
        # The platform's own 202010, tested in full: a cast would also take 2020.9 or 2020_1.
        digits6 = "regexp_full_match(t_period, '[12][0-9]{5}')"
        months = ", ".join(f"NULLIF(regexp_extract(t_period, {regex}, {g}), '')" for g in (2, 3))
        parts += ["t_period AS raw_period",
                  f"CASE WHEN {digits6} THEN TRY_CAST(left(t_period, 4) AS INTEGER) ELSE "
                  f"TRY_CAST(regexp_extract(t_period, {regex}, 1) AS INTEGER) END AS p_year",
                  f"CASE WHEN {digits6} THEN TRY_CAST(right(t_period, 2) AS INTEGER) ELSE "
                  f"TRY_CAST(coalesce({months}) AS INTEGER) END AS p_month"]
    else:
        assert f.period is not None
        year, _, month = f.period.partition("-")
        parts += [f"{q(f.period)} AS raw_period", f"{int(year)} AS p_year",
                  f"{int(month) if month else 'NULL'}::INTEGER AS p_month"]
    parts += ["t_hs_code AS raw_hs",
              "CASE WHEN length(t_hs_code) % 2 = 1 THEN '0' || t_hs_code ELSE t_hs_code END "
              "AS hs_code",
              "NOT coalesce(regexp_full_match(t_hs_code, '[0-9]{1,8}'), false) AS hs_bad_digits",
              _lost_digit_sql(f.sniffed.zero_kept is not None)]
    parts.append("t_hs_name AS hs_name" if has("hs_name") else "NULL::VARCHAR AS hs_name")
    for name in ("partner_code", "partner_name", "regime_code", "regime_name"):
        parts.append(f"NULLIF(t_{name}, '') AS {name}" if has(name)
                     else f"NULL::VARCHAR AS {name}")
    if has("regime_name"):  # looked up by name only where the row has no regime code
        no_code = "NULLIF(t_regime_code, '') IS NULL" if has("regime_code") else "true"
        parts.append(f"CASE WHEN {no_code} THEN {regime_key_sql('t_regime_name')} END "
                     "AS regime_key")
    else:
        parts.append("NULL::VARCHAR AS regime_key")
    for name in ("unit_1", "unit_2"):
        parts.append(f"CASE WHEN {_is_missing_sql(f't_{name}')} THEN NULL "
                     f"ELSE t_{name} END AS {name}" if has(name) else f"NULL::VARCHAR AS {name}")
    code, name = f.sniffed.layout.province_fields
    # In a download by place, the cell the province is looked up by is '' where blank, not
    # NULL: a row without its place fails the lookup and is refused, where it would otherwise
    # be a national row (China's exports, read from one province's line).
    parts.append(f"coalesce(left(t_{code}, 2), '') AS raw_province_code" if code
                 else "NULL::VARCHAR AS raw_province_code")
    parts.append(("NULLIF" if code else "coalesce") + f"(t_{name}, '') AS raw_province_name"
                 if name else "NULL::VARCHAR AS raw_province_name")
    # The place as the download gives it (境内货源地 may be a city: 65011 乌鲁木齐): part of a
    # row's identity, so two cities of one province are two rows, not a repeat.
    place = [f"NULLIF(t_{c}, '')" for c in (code, name) if c]
    parts.append(f"coalesce({', '.join(place)}) AS place" if place else "NULL::VARCHAR AS place")
    for name in ("quantity_1", "quantity_2"):
        if has(name):
            parts += [f"t_{name} AS raw_{name}",
                      f"CASE WHEN m_{name} THEN NULL ELSE n_{name} END AS {name}",
                      f"(NOT m_{name} AND {_not_a_count_sql(name)}) AS {name}_bad"]
        else:
            parts += [f"NULL AS raw_{name}", f"NULL::DOUBLE AS {name}", f"false AS {name}_bad"]
    scales = f.sniffed.layout.scales
    value, second = value_fields(f)
    parts += [f"t_{value} AS raw_value", f"n_{value} * {scales[value]!r} AS value",
              f"(m_{value} OR {_not_a_count_sql(value)} "
              f"OR n_{value} * {scales[value]!r} > {IMPLAUSIBLE_VALUE!r}) AS value_bad"]
    if second:  # the cross-check currency may be blank; when given it must be a value
        parts += [f"t_{second} AS raw_value2",
                  f"CASE WHEN m_{second} THEN NULL ELSE n_{second} * {scales[second]!r} END "
                  "AS value2",
                  f"(NOT m_{second} AND ({_not_a_count_sql(second)} "
                  f"OR n_{second} * {scales[second]!r} > {IMPLAUSIBLE_VALUE!r})) AS value2_bad"]
    else:
        parts += ["NULL AS raw_value2", "NULL::DOUBLE AS value2", "false AS value2_bad"]
    parts.append("coalesce(upper(t_demo_flag) = 'DEMO', false) AS is_demo" if has("demo_flag")
                 else "false AS is_demo")
    parts += ["t_unnamed AS raw_unnamed", "t_unnamed IS NOT NULL AS unnamed_bad"]
    return f"SELECT {', '.join(parts)} FROM ({_texts_sql(f, numbered)})"


def _lost_digit_sql(zero_kept: bool) -> str:
    """hs_lost_digit: a code of 3 digits or an odd number above whose heading (3) or 6-digit
    subheading (5 and more), with the leading zero put back, is none of chapters 01-09's
    (codes.first_chapters_codes): a digit was lost elsewhere than in front (29171 of 2917,
    9018909 of 90189090), and the code would be filed under a product of chapters 01-09. In a
    file whose codes keep their leading zero (`zero_kept`) every odd-length code was cut."""
    if zero_kept:
        return "length(t_hs_code) % 2 = 1 AS hs_lost_digit"
    headings, subheadings = codes.first_chapters_codes()
    listed = {4: ", ".join(q(h) for h in sorted(headings)),
              6: ", ".join(q(h) for h in sorted(subheadings))}
    return ("CASE WHEN length(t_hs_code) = 3 THEN "
            f"('0' || t_hs_code) NOT IN ({listed[4]}) "
            "WHEN length(t_hs_code) % 2 = 1 AND length(t_hs_code) > 3 THEN "
            f"left('0' || t_hs_code, 6) NOT IN ({listed[6]}) "
            "ELSE false END AS hs_lost_digit")


#: Parsed columns the output needs; raw_* and *_bad stay behind (only errors need them).
_CLEAN = ("p_month", "hs_code", "hs_name", "partner_code", "partner_name", "regime_code",
          "regime_name", "regime_key", "unit_1", "unit_2", "raw_province_code",
          "raw_province_name", "place", "quantity_1", "quantity_2", "value", "value2", "is_demo")

#: per check: the predicate on the parsed row, the raw value shown.
CHECKS = {
    "period": ("p_year IS NULL OR p_year NOT BETWEEN 1980 AND 2100 "
               "OR (p_month IS NOT NULL AND p_month NOT BETWEEN 1 AND 12)", "raw_period"),
    "hs_code": ("hs_bad_digits OR left(hs_code, 2) IN ('00', '77') OR hs_lost_digit",
                "raw_hs"),
    "quantity_1": ("quantity_1_bad", "raw_quantity_1"),
    "quantity_2": ("quantity_2_bad", "raw_quantity_2"),
    "value": ("value_bad", "raw_value"),
    "value2": ("value2_bad", "raw_value2"),
    "unnamed": ("unnamed_bad", "raw_unnamed"),
}


def _guarded_year(f: InputFile, index: int) -> str:
    """The year column, computed so that any failed check raises a tagged DuckDB error, and
    NULL for a blank, total or subtotal row (dropped in final_sql). The label test sits here,
    not in final_sql's WHERE: a filter is pushed below the projections, and DuckDB then
    recomputes each cell's trimming and cleaning for it (measured: twice the parsing cost).

    The tag carries the file index, the check and the raw value, for `translate_error`. Every
    blank or total row fails a check (no value, no period, no HS code, or a partner no code
    list has), so the skip test runs on the rows that fail one, not on every row.
    """
    whens = []
    for check, (predicate, raw) in CHECKS.items():
        message = f"{q(f'{ERROR_TAG}{index}¦{check}¦')} || coalesce({raw}, '')"
        whens.append(f"WHEN {predicate} THEN error({message})")
    failed = " OR ".join(f"({predicate})" for predicate, _ in CHECKS.values())
    # A subtotal row (小计 in a partner, regime or place column, the rest filled in) passes
    # every check: a label in a cell no check reads is looked for on every row.
    labelled = _labelled_sql([c for c in _label_cells(f) if c not in _CHECKED_CELLS])
    return (f"CASE WHEN {failed} THEN CASE WHEN {skipped_sql(f)} THEN NULL "
            f"{' '.join(whens)} END WHEN {labelled} THEN NULL ELSE p_year END")


def _checked_sql(f: InputFile, index: int) -> str:
    """Parsed rows with every row-wise check applied before any join (narrow rows join fast)."""
    return (f"SELECT {', '.join(_CLEAN)}, {_guarded_year(f, index)} AS p_year "
            f"FROM ({parsed_sql(f)})")


def _conflicts_or(f: InputFile, check: str, index: int, found: str) -> str:
    """`found`, behind the raising test of a code-against-name conflict where the file has one."""
    return f"coalesce({_raise_if(check, index)}, {found})" if check in conflict_checks(f) else found


def final_sql(f: InputFile, index: int) -> str:
    """One file's rows in the output schema, with lookups, conversions and raising checks."""
    layout = f.sniffed.layout
    if layout.has_both_currencies:  # the platform's own dollars, its yuan kept beside them
        usd, cny, reported = "r.value", "r.value2", "USD+CNY"
    elif layout.currency == "USD":
        usd, cny, reported = "r.value", "r.value * fx.cny_per_usd", "USD"
    else:
        usd, cny, reported = "r.value / fx.cny_per_usd", "r.value", "CNY"
    basis = layout.province_basis
    # A place written as its province (65, 新疆, 新疆维吾尔自治区) is that province's code, so a
    # file giving the code and one giving the name repeat each other; a place finer than a
    # province is kept by its code as written (65011) or by its name in one spelling
    # (_within_sql: 新疆乌鲁木齐); checks refuse it beside its province's own rows (the same
    # trade twice).
    # 吉林市 alone is the city of 吉林省 (吉林吉林市), not the province: a place whose name is
    # its province's short name and 市 is a city unless the province is one (北京市).
    place = ("CASE WHEN r.place IN (v.gacc_code, v.name_zh, v.short_zh) THEN v.gacc_code "
             "WHEN regexp_full_match(r.place, '[0-9]+') OR NOT starts_with(r.place, v.short_zh) "
             f"THEN r.place WHEN {_WITHIN} = '' THEN CASE WHEN ends_with(r.place, '市') AND NOT "
             "ends_with(v.name_zh, '市') THEN v.short_zh || v.short_zh ELSE v.gacc_code END "
             f"ELSE v.short_zh || {_WITHIN} END")
    # A regime given by its Chinese name only is the code list's regime: 一般贸易 is 10, in a
    # file with 贸易方式编码 or without. A regime no list has is refused (LOOKUP_CHECKS).
    regime_code = _lookup_or_raise("regime", index, "coalesce(g.regime_code, gn.regime_code)")
    partner = _conflicts_or(f, "partner_conflict", index,
                            _lookup_or_raise("partner", index, "p.gacc_code"))
    province = _conflicts_or(f, "province_conflict", index,
                             _lookup_or_raise("province", index, "v.gacc_code"))
    return f"""
    SELECT {q(f.flow)} AS flow,
           r.p_year::SMALLINT AS year,
           r.p_month::TINYINT AS month,
           CASE WHEN r.p_month IS NULL THEN r.p_year::VARCHAR
                ELSE r.p_year::VARCHAR || '-' || lpad(r.p_month::VARCHAR, 2, '0') END AS period,
           r.hs_code, length(r.hs_code)::TINYINT AS hs_level, r.hs_name,
           {partner} AS partner_code,
           p.iso3 AS partner_iso3, p.name_zh AS partner_name_zh, p.name_en AS partner_name_en,
           {province} AS province_code,
           v.name_en AS province,
           {q(basis) if basis else 'NULL::VARCHAR'} AS province_basis, {place} AS place,
           {regime_code} AS regime_code,
           coalesce({_raise_if("regime_conflict", index)}, r.regime_name,
                    g.regime_name_zh) AS regime_name,
           r.quantity_1, r.unit_1, r.quantity_2, r.unit_2,
           {cny} AS value_cny, {usd} AS value_usd,
           {q(reported)} AS currency_reported,
           fx.cny_per_usd AS fx_cny_per_usd,
           r.is_demo, {q(f.label)} AS source_file
    FROM ({_checked_sql(f, index)}) r
    {lookups_sql(f)}
    LEFT JOIN fx ON fx.year = r.p_year AND fx.month = coalesce(r.p_month, 0)
    WHERE r.p_year IS NOT NULL"""
