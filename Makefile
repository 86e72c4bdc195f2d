# Two commands for a newcomer: `make report` builds every report, `make test` runs every test.
# Both create .venv on first use; nothing else needs installing by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
DEMO   := data/raw/demo
# Real platform downloads go here (see README); ingested together with the DEMO files.
GACC   := data/raw/gacc
# Any file but the folder's README and hidden files: ingest reads it, or says why not (an .xls,
# a stray PDF), instead of the reports falling back to DEMO data without a word.
HAS_GACC = $(shell find $(GACC) -type f ! -name '.*' ! -iname 'README*' 2>/dev/null | head -n 1)
# The tests and baselines run in a DEMO-only copy of the project, never on the user's downloads.
TESTBED := $(CURDIR)/.testbed
IN_TESTBED := HELPERS_PROJECT_ROOT=$(TESTBED)
NB ?=

.PHONY: help install data report test unit notebooks lint lab baseline bench clean constraints browser test-spark testbed

help:
	@echo "make help        this list"
	@echo "make report      build reports/ (creates .venv, ingests data/raw incl. your downloads in data/raw/gacc, runs every notebook)"
	@echo "make test        every test (unit, property, nbval, browser) on a DEMO-only copy in .testbed/"
	@echo "make install     create .venv and install the pinned environment (every other target does this first)"
	@echo "make data        ingest data/raw/demo and data/raw/gacc into data/processed"
	@echo "make unit        the pytest tests only; make notebooks: the nbval notebook regression only"
	@echo "make testbed     build .testbed/, the DEMO-only copy of the project the tests run in"
	@echo "make browser     install Debian's chromium and chromium-driver for the browser test (as root)"
	@echo "make baseline    re-execute notebooks on DEMO data as the nbval baseline (NB=01 for one)"
	@echo "make test-spark  the DuckDB/Spark equality tests (installs pyspark; needs Java 17)"
	@echo "make lab         open the notebooks in JupyterLab, trusted, on the project's Python (LAB_ARGS=--no-browser ...)"
	@echo "make bench       speed and memory benchmarks (tens of minutes)"
	@echo "make lint        ruff; make constraints: re-pin requirements/constraints.txt"
	@echo "make clean       delete everything generated (data/processed, reports, DEMO files, .testbed)"

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test,lab]'
	$(PY) -m ipykernel install --sys-prefix --name xinjiang-notebooks --display-name "Python (xinjiang-notebooks)" >/dev/null
	touch $(STAMP)

install: $(STAMP)

$(DEMO)/README.md: $(STAMP) src/helpers/ingest/demo.py data/raw/claims.csv
	$(PY) -m helpers demo-data --out $(DEMO)

# Ingest runs every time (a few seconds): no stale table after files are added or removed.
data: $(STAMP) $(DEMO)/README.md
	$(PY) -m helpers ingest $(DEMO) $(if $(HAS_GACC),$(GACC)) --out data/processed

report: data
	$(PY) -m helpers report

testbed: $(STAMP) $(DEMO)/README.md
	$(PY) -m helpers testbed $(TESTBED)

unit: testbed
	$(IN_TESTBED) $(PY) -m pytest tests

notebooks: testbed
	PY=$(PY) TESTBED=$(TESTBED) tests/regression.sh

# The browser test needs Debian's chromium and chromium-driver; install them when absent (as root).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } || \
	  echo "warning: could not install chromium; the browser tests will be skipped"

# Your own downloads in data/raw/gacc/ are neither read nor touched by the tests.
# The notebook regression runs even when a pytest test fails, so its advice is always shown.
test: testbed browser
	$(PY) -m ruff check src tests benchmarks
	@status=0; $(IN_TESTBED) $(PY) -m pytest tests || status=1; \
	  mkdir -p reports/screenshots && cp $(TESTBED)/reports/screenshots/*.png reports/screenshots/ 2>/dev/null && \
	    echo "screenshots of the pages, taken by the browser test: reports/screenshots/"; \
	  PY=$(PY) TESTBED=$(TESTBED) tests/regression.sh || status=1; exit $$status

# The same panel aggregations on Spark (local mode, Java 17) as on DuckDB; CI runs this too.
test-spark: testbed
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test,spark]'
	$(IN_TESTBED) $(PY) -m pytest tests/test_panel_backends.py

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks

# LAB_ARGS are passed to JupyterLab, e.g. make lab LAB_ARGS="--no-browser --port 8899".
lab: data
	$(PY) -m helpers lab $(LAB_ARGS)

baseline: $(STAMP) $(DEMO)/README.md
	$(PY) -m helpers baseline $(NB)

bench: data
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test,lab,bench]'
	$(PY) benchmarks/incremental.py
	$(PY) benchmarks/report.py
	$(PY) benchmarks/scale.py --sizes 2000000,10000000,100000000

constraints: $(STAMP)
	(printf "%s\n" "# Every package of the test environment, pinned: make installs with pip install -c this file." "# Regenerate after changing pyproject.toml: make constraints."; $(PY) -m pip freeze --exclude-editable | grep -v "^-e") > requirements/constraints.txt

clean:
	rm -rf data/processed/trade data/processed/manifest.json $(DEMO) reports/* benchmarks/out $(TESTBED)
