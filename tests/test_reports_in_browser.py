"""The HTML reports, opened in a real headless Chromium as a reader would open them.

Builds reports/ once (every notebook, through papermill), then checks links, figures, errors,
the DEMO banner and the claims table in the browser, and saves screenshots.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pandas as pd
import pytest
from downloads import ARTICLE_SCOPE

from helpers.paths import processed_dir, reports_dir
from helpers.reports.site import build_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                       reason="needs Debian chromium and chromium-driver (make test installs)"),
    pytest.mark.skipif(not (processed_dir() / "manifest.json").exists(),
                       reason="needs the ingested data (make data)"),
]


#: The parameters the README's claims table is built with (the article's, today every
#: notebook's default), passed whole: a student who changes a default breaks only that
#: notebook's own baseline. Parameters left out (None defaults, e.g. notebook 05's peak month)
#: already mean "the article's own value".
ARTICLE_PARAMETERS: dict[str, dict[str, object]] = {
    "01": dict(ARTICLE_SCOPE),
    "02": {**ARTICLE_SCOPE, "hs_codes": "850231,950510,6702,29171"},
    "03": dict(ARTICLE_SCOPE),
    "04": {**ARTICLE_SCOPE, "flow": "import", "machinery_chapter": "84", "seasonal_hs": "843359"},
    "05": {"act": "Uyghur Human Rights Policy Act"},
    "06": {"minerals": "lithium,nickel,cobalt,manganese,graphite"},
    "07": {"business_days": "5"},
    "08": {"recruited": "644", "employees": "7000", "employees_qualifier": "more than",
           "transferred_low": "200", "transferred_high": "500", "plan_total": "100000",
           "plan_years": "3", "assigned_to_soes": "10000", "companies_low": "24",
           "companies_high": "99", "recruiting_years": "4"},
}


@pytest.fixture(scope="module")
def reports() -> Path:
    assert build_reports(jobs=2, parameters=ARTICLE_PARAMETERS) == 0
    return reports_dir()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,1600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def pages(reports: Path) -> list[Path]:
    """One page per executed notebook; other HTML in reports/ (the benchmark chart) is not a
    notebook page and has no executed notebook to compare its banner against."""
    return sorted(reports / f"{nb.stem}.html" for nb in (reports / "executed").glob("*.ipynb"))


def used_demo(reports: Path, page: Path) -> bool:
    """Independent of the renderer: did the executed notebook say it ran on DEMO data?"""
    nb = nbformat.read(reports / "executed" / f"{page.stem}.ipynb", as_version=4)
    return any("data source: DEMO" in str(o.get("text", "")) for c in nb.cells
               for o in c.get("outputs", []))


def test_every_link_resolves(reports: Path, browser) -> None:  # type: ignore[no-untyped-def]
    anchors: dict[Path, set[str]] = {}
    for page in [reports / "index.html", *pages(reports)]:
        browser.get(page.as_uri())
        for link in browser.find_elements("css selector", "a[href]"):
            parsed = urlparse(link.get_attribute("href"))
            if parsed.scheme != "file":
                continue  # citations to the web are text for the reader, not page links
            target = Path(unquote(parsed.path))
            assert target.exists(), f"{page.name}: broken link {parsed.geturl()}"
            if parsed.fragment:
                anchors.setdefault(target, set()).add(parsed.fragment)
    assert any("cell-id=" in a for found in anchors.values() for a in found), "claim cell links"
    for target, fragments in anchors.items():
        browser.get(target.as_uri())
        for fragment in fragments:
            # As a browser does: the fragment as written, else percent-decoded.
            found = browser.execute_script(
                "return document.getElementById(arguments[0]) !== null || "
                "document.getElementById(arguments[1]) !== null", fragment, unquote(fragment))
            assert found, f"#{fragment} missing in {target.name}"


def test_pages_show_figures_no_errors_and_the_right_banner(reports: Path, browser) -> None:  # type: ignore[no-untyped-def]
    shots = reports / "screenshots"
    shots.mkdir(exist_ok=True)
    assert len(pages(reports)) >= 9
    for page in pages(reports):
        assert page.exists(), f"{page.stem} was executed but has no page"
        browser.get(page.as_uri())
        images = browser.find_elements("css selector", "img")
        loaded = [i for i in images if browser.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", i)]
        assert loaded, f"{page.name} shows no figure"
        text = browser.find_element("tag name", "body").text
        assert "Traceback" not in text, page.name
        assert not browser.find_elements("css selector", ".jp-RenderedText[data-mime-type="
                                         "'application/vnd.jupyter.stderr'] pre.ansi"), page.name
        banners = browser.find_elements("css selector", ".demo-banner")
        assert bool(banners) == used_demo(reports, page), page.name
        assert "Parameters:" in text and "Commit" in text, page.name
        # Markdown left as markup ("US$190 million**": a dollar sign read as maths) is visible.
        assert "**" not in text and "$$" not in text and "\\$" not in text, page.name
        # One typeface: the header and footer added to the page use the page text's, not the
        # browser's default serif.
        fonts = {browser.execute_script(
            "return getComputedStyle(arguments[0]).fontFamily", element)
            for element in browser.find_elements(
                "css selector", ".report-header, .report-footer, .demo-banner, table.data-table")}
        assert len(fonts) == 1 and "serif" not in fonts.pop().replace("sans-serif", ""), page.name
        browser.save_screenshot(str(shots / f"{page.stem}.png"))


def test_index_shows_every_claim_as_published(reports: Path, browser) -> None:  # type: ignore[no-untyped-def]
    published = pd.read_csv(reports / "claims.csv", dtype=str, keep_default_na=False)
    ledger = pd.read_csv(Path(__file__).parents[1] / "data" / "raw" / "claims.csv", dtype=str)
    assert set(published["claim_id"]) == set(ledger["claim_id"])
    browser.get((reports / "index.html").as_uri())
    rows = browser.find_elements("css selector", "#claims tbody tr")
    assert len(rows) == len(published)
    for row, (_, expected) in zip(rows, published.iterrows(), strict=True):
        cells = [c.text for c in row.find_elements("tag name", "td")]
        assert cells[0] == expected["claim_id"]
        assert cells[3] == expected["computed_value"]
        assert cells[5] == expected["status"]
    assert not browser.find_elements("css selector", ".failed-banner")
    # No float noise: values at the claim's precision (1.39994, 81.3999 were shown before).
    import re

    noisy = [c.text for c in browser.find_elements("css selector", "#claims td.computed")
             if re.search(r"\d\.\d{4,}", c.text)]
    assert noisy == []
    assert "\\$" not in browser.find_element("tag name", "body").text  # Markdown's escape
    # The summary comes first: per article and status, adding up to the table's rows.
    summary = browser.find_element("id", "summary")
    assert summary.location["y"] < browser.find_element("id", "claims").location["y"]
    total = summary.find_elements("css selector", "tbody tr")[-1]
    assert total.find_element("tag name", "th").text == "all articles"
    assert int(total.find_elements("css selector", "td.n")[-1].text) == len(published)
    assert len(summary.find_elements("css selector", "svg rect")) >= 4
    browser.save_screenshot(str(reports / "screenshots" / "index.png"))


def test_the_claims_table_filters_by_status_and_sorts(reports: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import Select

    published = pd.read_csv(reports / "claims.csv", dtype=str, keep_default_na=False)
    browser.get((reports / "index.html").as_uri())
    Select(browser.find_element("id", "status-filter")).select_by_value("demo")
    visible = [r for r in browser.find_elements("css selector", "#claims tbody tr")
               if r.is_displayed()]
    assert len(visible) == (published["status"] == "demo").sum() > 0
    assert browser.find_element("id", "shown").text == str(len(visible))
    # The long claims table sorts too (all rows shown again first): by claim id.
    browser.get((reports / "index.html").as_uri())
    head = browser.find_element("css selector", "#claims thead th")
    head.click()
    ids = [r.find_element("tag name", "td").text
           for r in browser.find_elements("css selector", "#claims tbody tr")]
    in_order = browser.execute_script(  # the browser's own string order, as the sort uses
        "const ids = arguments[0]; return ids.every((v, i) => i === 0 || "
        "ids[i - 1].localeCompare(v) <= 0)", ids)
    assert in_order and ids != list(published["claim_id"])  # the published order is not


def test_pages_need_no_network(reports: Path) -> None:
    for page in [reports / "index.html", *pages(reports)]:
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and "cdnjs" not in text, page.name


def test_the_readmes_claims_table_is_what_a_fresh_clone_builds(reports: Path) -> None:
    """The README's statuses are not typed by hand and left to drift: they must equal the
    statuses of the reports built here from the DEMO-only copy, as on a fresh clone."""
    import re

    from helpers.paths import PACKAGE_ROOT

    readme = (PACKAGE_ROOT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z0-9-]+)` \|.*\| ([a-z, ]+) \|$", readme, re.MULTILINE))
    built = pd.read_csv(reports / "claims.csv", dtype=str, keep_default_na=False)
    expected = built.groupby("claim_id")["status"].agg(lambda s: set(s))
    assert set(table) == set(expected.index), "the README lists every claim once"
    wrong = {c: (table[c], sorted(expected[c])) for c in table
             if set(table[c].split(", ")) != expected[c]}
    assert wrong == {}, ("the README's claims table shows what a fresh clone builds with the "
                         "notebooks' default parameters: changed a default, or a status rule? "
                         "Update the table to these statuses")


def test_tables_are_html_tables_and_long_ones_sort(reports: Path, browser) -> None:  # type: ignore[no-untyped-def]
    """Tables are real HTML tables with a caption, not monospaced text; a long one sorts by a
    click on its header, numbers as numbers, and a second click reverses."""
    for page in pages(reports):
        nb = nbformat.read(reports / "executed" / f"{page.stem}.ipynb", as_version=4)
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        printed = [o for o in outputs if o.get("output_type") == "stream"
                   and "Table: " in str(o.get("text", ""))]
        assert printed == [], f"{page.name}: a table printed as text"
        shown = sum("<table" in str(o.get("data", {}).get("text/html", "")) for o in outputs)
        browser.get(page.as_uri())
        captions = browser.find_elements("css selector", "table.data-table caption")
        assert len(captions) == shown, page.name
    browser.get((reports / "01-export-growth-by-partner.html").as_uri())
    table = browser.find_element("css selector", "table.data-table.sortable")
    heads = table.find_elements("css selector", "thead th")
    column = [h.text.split()[0] for h in heads].index("value")

    def values() -> list[float]:
        return [float(r.find_elements("tag name", "td")[column].text.replace(",", ""))
                for r in table.find_elements("css selector", "tbody tr")]

    assert len(values()) > 8 and values() == sorted(values(), reverse=True)  # as the notebook
    heads[column].click()
    assert values() == sorted(values()) and values() != sorted(values(), reverse=True)
    assert heads[column].get_attribute("aria-sort") == "ascending"
    heads[column].click()
    assert values() == sorted(values(), reverse=True)
