"""The customs notebooks run with other parameters and give different, sensible output."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from helpers.errors import InputError
from helpers.paths import processed_dir
from helpers.reports.runner import run_notebook

needs_data = pytest.mark.skipif(not (processed_dir() / "manifest.json").exists(),
                                reason="needs the ingested DEMO data (make data)")


def outputs(path: Path) -> str:
    """Everything a notebook printed or showed as text (tables carry theirs as text/plain)."""
    nb = nbformat.read(path, as_version=4)
    return "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells for o in c.get("outputs", []))


@needs_data
@pytest.mark.parametrize(("notebook", "params", "expected"), [
    # Every parameter the expected text depends on is passed: a student who changes a
    # notebook's default breaks only that notebook's own baseline, not these tests.
    ("00", {"data_source": "demo"}, "data source: DEMO (synthetic)"),
    ("01", {"province": "Xinjiang", "partner": "DEU", "flow": "export", "year": "2020",
            "base_year": "2019"}, "Xinjiang's exports to Germany, 2020 vs 2019"),
    ("01", {"flow": "import", "province": "Guangdong", "partner": "USA", "year": "2020",
            "base_year": "2019"}, "Guangdong's imports from United States"),
    ("02", {"province": "Xinjiang", "partner": "JPN", "flow": "export", "year": "2020",
            "base_year": "2019", "hs_codes": "0101,85"}, "HS codes: 0101, 85"),
    ("03", {"province": "Xinjiang", "partner": "GBR", "flow": "export", "year": "2020",
            "base_year": "2019", "step_date": "2020-07-31"}, "level after 2020-07-31"),
    ("04", {"province": "Xinjiang", "partner": "DEU", "flow": "import", "year": "2019",
            "base_year": "2020"}, "Xinjiang's imports from Germany, 2019 vs 2020"),
])
def test_other_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notebook: str,
                          params: dict[str, str], expected: str) -> None:
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    executed = run_notebook(notebook, params, out=tmp_path / f"{notebook}.ipynb")
    text = outputs(executed)
    assert expected in text
    scope = tuple(params.get(k) for k in ("province", "year", "base_year"))
    if notebook != "00" and scope != ("Xinjiang", "2020", "2019"):
        # Outside the article's scope (Xinjiang, 2020 vs 2019) nothing is filed against it.
        assert "no claims recorded" in text and "-> DEMO" not in text
    elif notebook in ("02", "03"):
        # These follow one partner: another partner's figures are not the article's US claims.
        assert "no claims recorded" in text


@needs_data
def test_a_bad_parameter_fails_in_the_cell_after_the_parameters(tmp_path: Path) -> None:
    # code cells: 1 parameters, 2 papermill's injected parameters, 3 the validating set-up
    with pytest.raises(InputError, match=r"cell 3 raised InputError: .*unknown partner 'XYZ'"):
        run_notebook("01", {"partner": "XYZ"}, out=tmp_path / "bad.ipynb")


@needs_data
def test_hs_code_parameters_stay_strings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    executed = run_notebook("02", {"hs_codes": "0101"}, out=tmp_path / "02.ipynb")
    assert "HS codes: 0101" in outputs(executed)
    # A string is a prefix exactly as typed: 29171 (acyclic polycarboxylic acids), not 029171.
    executed = run_notebook("02", {"hs_codes": "29171,950510"}, out=tmp_path / "02b.ipynb")
    assert "HS codes: 29171, 950510" in outputs(executed)


@pytest.mark.parametrize(("notebook", "params", "expected"), [
    # No independent share of cobalt refined in 2021-2022: the IEA's is of capacity.
    ("06", {"minerals": "cobalt"},
     "nyt-processing-cobalt: stated range 50-100 % of world (allowed [50, 100]); published "
     "figure cannot check it: context only"),
    ("07", {"business_days": "10", "article_date": "2021-05-16"},
     "ECB CNY per USD, the 10 fixings before 2021-05-16"),
    ("08", {"recruited": "120", "employees": "1500", "employees_qualifier": "exact"},
     "recruits: 8.0 % of the workforce (the workforce is 1,500)"),
    ("08", {"employees_qualifier": "about", "employees_tolerance": "500"},
     "recruits: 8.6 to 9.9 % of the workforce (the workforce is 6,500 to 7,500)"),
    ("08", {}, "recruits: less than 9.2 % of the workforce (the workforce is more than 7,000)"),
    ("05", {"peak_month": "11"}, "2020-06-17 to 2020-11: 5 calendar months"),
])
def test_published_figure_notebooks_take_other_parameters(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notebook: str, params: dict[str, str],
        expected: str) -> None:
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    executed = run_notebook(notebook, params, out=tmp_path / f"{notebook}.ipynb")
    assert expected in outputs(executed)


@pytest.mark.parametrize("act", ["Entity List", "Business Advisory"])
def test_months_from_another_event_are_not_the_articles_claim(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, act: str) -> None:
    """The article counts four months from the Uyghur Human Rights Policy Act; months from
    another law or listing are printed, not filed against that claim."""
    from helpers import claims

    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    executed = run_notebook("05", {"act": act}, out=tmp_path / "05.ipynb")
    assert "scmp-uhrpa-four-months not filed" in outputs(executed)
    filed = set(claims.collect(tmp_path / "claims")["claim_id"])
    assert "scmp-uhrpa-four-months" not in filed
    assert "scmp-us-more-than-doubled" in filed  # the rest is still filed


@needs_data
def test_a_year_without_data_has_no_peak_month(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPERS_CLAIMS_DIR", str(tmp_path / "claims"))
    executed = run_notebook("04", {"province": "Xinjiang", "partner": "USA", "flow": "import",
                                   "year": "2021", "base_year": "2020"},
                            out=tmp_path / "04.ipynb")
    text = outputs(executed)
    assert "peak month none (no 2021 figure)\n" in text
    assert "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]; no rows for 2021 in the downloads" in text
    assert "too close to tell" not in text and "nanM" not in text


@needs_data
def test_an_empty_list_of_hs_codes_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no HS code given: name at least one"):
        run_notebook("02", {"hs_codes": ""}, out=tmp_path / "02.ipynb")


@pytest.mark.parametrize(("notebook", "params", "message"), [
    ("07", {"business_days": "0"}, "parameter business_days: 0: must be at least 1"),
    ("08", {"employees": "0"}, "parameter employees: 0: must be at least 1"),
    ("05", {"peak_month": "13"}, "parameter peak_month: '13': must be from 1 to 12"),
    ("05", {"peak_month": "10.5"}, "parameter peak_month: '10.5': must be a whole number"),
    ("05", {"peak_month": "0"}, "parameter peak_month: '0': must be from 1 to 12"),  # not "unset"
    # 0 used to be read as "not given": the article's 5 billion yuan, silently.
    ("07", {"yuan_billion": "0"}, "parameter yuan_billion: '0': must be more than 0"),
    ("07", {"stated_usd_million": "0"}, "parameter stated_usd_million: '0': must be more than"),
    ("07", {"article_date": "1990-01-01"},
     "parameter article_date: 1990-01-01: 0 ECB fixing.s. of the yuan before it"),
    ("08", {"recruited": "-5"}, "parameter recruited: -5: must be at least 0"),
    ("08", {"transferred_low": "500", "transferred_high": "200"},
     "parameter transferred_high: 200: must be at least 500"),
    ("08", {"employees_qualifier": "roughly"},
     "parameter employees_qualifier: 'roughly': choose one of exact, more than")])
def test_a_parameter_without_meaning_is_refused(tmp_path: Path, notebook: str,
                                                params: dict[str, str], message: str) -> None:
    """No fixings to average, no staff to take a share of: an error, not nan or inf %."""
    with pytest.raises(InputError, match=message):
        run_notebook(notebook, params, out=tmp_path / f"{notebook}.ipynb")


def test_the_route_names_where_the_goods_went() -> None:
    from helpers.analysis import trade

    assert trade.scope("Xinjiang", "USA", "import", 2020, 2019).route == (
        "from United States to Xinjiang")
    assert trade.scope("Xinjiang", "USA", "export", 2020, 2019).route == (
        "from Xinjiang to United States")
