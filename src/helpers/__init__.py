"""Helpers for the Xinjiang supply-chain notebook suite, one folder per stage of the pipeline.

- `helpers.ingest`: where data enter (downloads read, checked and published as parquet);
- `helpers.analysis`: where they are analysed (the notebooks' questions and the arithmetic);
- `helpers.claims`: where the articles' claims are judged (ledger, evidence rules, statuses);
- `helpers.reports`: where pages are made (notebook display, execution, the HTML site).

Notebooks import from here so that every number they show is computed by code that has unit
tests. Sub-modules are imported by the notebooks that need them, to keep start-up fast.
"""

import warnings
from importlib import import_module

__version__ = "0.1.0"

#: Where the modules of the flat layout (before the stages got folders) live now, so that a
#: student's older notebook (`from helpers import trade`) still runs, with a warning that says
#: the new import.
_MOVED = {
    "readers": "ingest.readers", "layouts": "ingest.layouts", "codes": "ingest.codes",
    "currency": "ingest.currency", "schema": "ingest.schema", "demo": "ingest.demo",
    "panel": "analysis.panel", "trade": "analysis.trade", "growth": "analysis.growth",
    "stats": "analysis.stats", "intervals": "analysis.intervals",
    "conversion": "analysis.conversion", "coverage": "analysis.coverage",
    "ledger": "claims.ledger", "evidence": "claims.evidence", "published": "claims.published",
    "scmp": "claims.scmp", "consistency": "claims.consistency",
    "runner": "reports.runner", "report": "reports.site", "notebook": "reports.notebook",
    "testbed": "reports.testbed",
}


def __getattr__(name: str) -> object:
    if name not in _MOVED:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    package, module = _MOVED[name].split(".")
    warnings.warn(f"helpers.{name} is now helpers.{_MOVED[name]}: write "
                  f"`from helpers.{package} import {module}`", FutureWarning, stacklevel=2)
    module_object = import_module(f"helpers.{_MOVED[name]}")
    globals()[name] = module_object  # warned once
    return module_object
