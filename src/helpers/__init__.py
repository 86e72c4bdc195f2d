"""Helpers for the Xinjiang supply-chain notebook suite.

Notebooks import from here so that every number they show is computed by code that has unit
tests. Sub-modules are imported lazily by the notebooks that need them, to keep start-up fast.
"""

__version__ = "0.1.0"
