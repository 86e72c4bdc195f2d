"""Ingest customs-platform downloads into one validated, partitioned parquet table.

The stages, one module each:
- `plan`: which files; each file's flow, period and DEMO marker, decided before reading data;
- `sql`: each file's rows parsed, checked, converted (units, currencies) and looked up, in SQL;
- `checks`: whole-table checks (repeats, mixed granularity, currency cross-checks, coverage);
- `publish`: the manifest and the atomic swap into place;
- `pipeline`: the run that ties them together (`ingest`).

The table's contract (helpers.schema, pandera) is checked by tests/test_ingest_contract.py over
generated downloads in every layout, not on a sample at run time: the SQL depends only on the
layout, and the run-time check cost about 1 s a run (benchmarks/ingest.py).
"""

from helpers.ingest.checks import KEY_COLUMNS
from helpers.ingest.pipeline import COLUMNS, PARTITION_FLUSH_ROWS, IngestResult, ingest
from helpers.ingest.plan import (
                                 InputFile,
                                 flow_from_name,
                                 normalise_period,
                                 period_from_name,
                                 plan_inputs,
)
from helpers.ingest.publish import MANIFEST, TABLE, read_manifest
from helpers.ingest.sql import MISSING_MARKERS

__all__ = ["COLUMNS", "KEY_COLUMNS", "MANIFEST", "MISSING_MARKERS", "PARTITION_FLUSH_ROWS",
           "TABLE", "IngestResult", "InputFile", "flow_from_name", "ingest", "normalise_period",
           "period_from_name", "plan_inputs", "read_manifest"]
