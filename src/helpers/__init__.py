"""Helpers for the Xinjiang supply-chain notebook suite, one folder per stage of the pipeline.

- `helpers.ingest`: where data enter (downloads read, checked and published as parquet);
- `helpers.analysis`: where they are analysed (the notebooks' questions and the arithmetic);
- `helpers.claims`: where the articles' claims are judged (ledger, evidence rules, statuses);
- `helpers.reports`: where pages are made (notebook display, execution, the HTML site).

Notebooks import from here so that every number they show is computed by code that has unit
tests. Sub-modules are imported by the notebooks that need them, to keep start-up fast.
"""

import sys
import warnings
from importlib import import_module
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from importlib.util import spec_from_loader
from types import ModuleType

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


def _moved(name: str) -> ModuleType:
    package, module = _MOVED[name].split(".")
    warnings.warn(f"helpers.{name} is now helpers.{_MOVED[name]}: write "
                  f"`from helpers.{package} import {module}`", FutureWarning, stacklevel=3)
    return import_module(f"helpers.{_MOVED[name]}")


def __getattr__(name: str) -> object:
    """`from helpers import trade`: the moved module, with a warning naming the new import."""
    if name not in _MOVED:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    module = _moved(name)
    globals()[name] = module  # warned once
    return module


class _MovedModules(MetaPathFinder, Loader):
    """`import helpers.trade`, `from helpers.codes import ...`: the same module object under
    its old dotted name (so a patch through either name reaches the code), with the warning."""

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> ModuleSpec | None:
        package, _, name = fullname.partition(".")
        if package != __name__ or name not in _MOVED:
            return None
        return spec_from_loader(fullname, self)

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        return _moved(spec.name.partition(".")[2])

    def exec_module(self, module: ModuleType) -> None:
        """The module was executed under its new name; nothing to run again."""


sys.meta_path.append(_MovedModules())
