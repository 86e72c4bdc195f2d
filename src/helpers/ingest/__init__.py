"""Where data enter: customs-platform downloads into one validated, partitioned parquet table.

What a download is:
- `readers`, `layouts`: the platform's file formats (CSV, XLSX, encodings) and column layouts;
- `codes`: the platform's code lists (partners, provinces, HS) and their lookups;
- `currency`: yuan to US dollars at ECB rates, and the range a conversion may lie in;
- `schema`: the processed table's contract (pandera);
- `demo`: the DEMO generator, synthetic files in the platform's layouts.

The stages of a run, one module each:
- `plan`: which files; each file's flow, period and DEMO marker, decided before reading data;
- `sql`: each file's rows parsed, checked and converted (units, currencies), in SQL;
- `lookups`: the code-list joins of those rows (partners, places, regimes) and their checks;
- `scan`: DuckDB's connection and the COPY statements that scan files into parquet;
- `checks`: whole-table checks (repeats, mixed granularity, currency cross-checks, coverage);
- `publish`: the manifest and the atomic swap into place;
- `incremental`: what changed since the last run, and which partitions to rebuild;
- `pipeline`: the run that ties them together (`ingest`).

The table's contract (`schema`, pandera) is checked by tests/test_ingest_contract.py over
generated downloads in every layout, not on a sample at run time: the SQL depends only on the
layout, and the run-time check cost about 1 s a run (benchmarks/ingest.py).
"""

from importlib import import_module

#: The names `from helpers.ingest import ...` gives, and the module each is defined in. They are
#: loaded on first use, so that `helpers.ingest.codes` (used by the analysis) does not start the
#: whole pipeline, and the pipeline can use the analysis' coverage without an import cycle.
_EXPORTS = {
    "KEY_COLUMNS": "checks",
    "COLUMNS": "pipeline", "PARTITION_FLUSH_ROWS": "scan", "IngestResult": "pipeline",
    "ingest": "pipeline",
    "InputFile": "plan", "flow_from_name": "plan", "normalise_period": "plan",
    "period_from_name": "plan", "plan_inputs": "plan",
    "MANIFEST": "publish", "TABLE": "publish", "read_manifest": "publish",
    "MISSING_MARKERS": "sql",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'helpers.ingest' has no attribute {name!r}")
    value = getattr(import_module(f"helpers.ingest.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
