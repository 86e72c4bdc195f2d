"""The one exception type that reaches users as a one-line message.

Anything the user can fix (a wrong path, a file in the wrong layout, a bad value) is raised as
`InputError`; the CLI prints it as `error: FILE[:LINE]: message` and exits 2. Any other
exception is a bug in this package and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A problem with the user's input, phrased as what is wrong and how to fix it."""

    def __init__(self, source: str | Path | None, message: str, line: int | None = None) -> None:
        self.source = str(source) if source is not None else None
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled by its parts, so that it crosses a process pool (workbooks are converted
        in worker processes) with its file and line."""
        return (type(self), (self.source, self.message, self.line))

    def __str__(self) -> str:
        where = self.source or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message
