"""Whatever bytes a user feeds the reader, the answer is a result or a clear InputError."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from tempfile import TemporaryDirectory

from conftest import read_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.errors import InputError
from helpers.ingest import ingest
from helpers.ingest.layouts import ALIASES
from helpers.ingest.schema import validate

FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def attempt(name: str, content: bytes) -> None:
    """Ingest the bytes: either a clear InputError and nothing written, or a table that meets
    the contract."""
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            result = ingest([path], Path(tmp) / "out", progress=False)
        except InputError as exc:
            assert str(exc).startswith(str(path)), str(exc)
            assert not (Path(tmp) / "out").exists()
            return
        if result.rows:
            validate(read_table(Path(tmp) / "out"))


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["export.csv", "export.xlsx", "import.tsv"]))
def test_random_bytes(content: bytes, name: str) -> None:
    attempt(name, content)


headers = st.lists(st.sampled_from([a for aliases in ALIASES.values() for a in aliases]),
                   min_size=1, max_size=10)
cells = st.one_of(st.text(max_size=12), st.integers(-10**12, 10**12).map(str),
                  st.sampled_from(["202010", "85023100", "502", "65", "—", "-", "1,234", ""]))


@FUZZ
@given(headers, st.lists(st.lists(cells, min_size=1, max_size=12), max_size=6),
       st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]))
def test_random_tables_with_platform_headers(header: list[str], rows: list[list[str]],
                                             encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    attempt("export-2020.csv", buffer.getvalue().encode(encoding, errors="replace"))
