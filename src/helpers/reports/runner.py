"""Execute notebooks with papermill, with the checks papermill itself only warns about.

papermill silently runs a notebook that has no `parameters` cell and only warns about a
parameter name the notebook does not declare; both hide mistakes, so both are errors here.
Values given on the command line are strings; they are converted to the type of the default in
the notebook's parameters cell, so `-p hs_codes 0101` stays the string '0101' and
`-p year 2019` becomes the integer 2019.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any

import nbformat

from helpers.errors import InputError
from helpers.paths import project_root, reports_dir

KERNEL = "xinjiang-notebooks"  # registered by `make install` in .venv
TIMEOUT_SECONDS = 600


def kernel_name() -> str:
    """The project's registered kernel, or the running Python's own when it is not registered
    (a conda environment set up without `make`)."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def all_notebooks() -> list[Path]:
    """The suite's notebooks in run order (numbered file names)."""
    return sorted(notebooks_dir().glob("[0-9][0-9]-*.ipynb"))


def resolve(notebook: str | Path) -> Path:
    """A notebook path from a path, a file name or its number ('01')."""
    path = Path(notebook)
    if path.exists():
        return path
    matches = [p for p in all_notebooks() if p.name.startswith(str(notebook))
               or p.stem == str(notebook)]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(p.name for p in all_notebooks())
    raise InputError(notebook, f"no such notebook: use a path or a number; notebooks are {names}")


def declared_parameters(path: Path) -> dict[str, Any]:
    """Names and default values of the cell tagged `parameters` (literals only)."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise InputError(path, f"expected exactly one cell tagged 'parameters', found "
                         f"{len(cells)}: tag the first code cell (View > Cell toolbar > Tags)")
    values: dict[str, Any] = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is None:
                continue
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                name = " = ".join(ast.unparse(target) for target in targets)
                raise InputError(path, f"parameter {name} is not a literal: keep derived "
                                 "values in the next cell") from None
            for target in targets:
                if isinstance(target, ast.Name):
                    values[target.id] = value
                elif (isinstance(target, ast.Tuple) and isinstance(value, tuple)
                      and len(target.elts) == len(value)
                      and all(isinstance(e, ast.Name) for e in target.elts)):
                    # `low, high = 200, 500`: two parameters, each settable on its own
                    values.update({e.id: v for e, v in zip(target.elts, value, strict=True)})  # type: ignore[attr-defined]
    return values


def coerce(name: str, value: Any, default: Any) -> Any:
    """Convert a command-line string to the type of the notebook's default."""
    if not isinstance(value, str) or isinstance(default, str):
        return value
    text = value.strip()
    try:
        if isinstance(default, bool):
            lowered = text.lower()
            if lowered not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(text)
            return lowered in ("true", "yes", "1")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, list | tuple):
            if text.startswith("["):
                parsed = json.loads(text)
                return [str(v) if isinstance(v, str) else v for v in parsed]
            return [part.strip() for part in text.split(",") if part.strip()]
    except (ValueError, json.JSONDecodeError):
        kind = type(default).__name__
        raise InputError(f"parameter {name}", f"cannot read {value!r} as {kind} (the default "
                         f"is {default!r})") from None
    return value


def check_parameters(path: Path, parameters: dict[str, Any]) -> dict[str, Any]:
    declared = declared_parameters(path)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise InputError(path, f"unknown parameter(s) {', '.join(unknown)}: this notebook takes "
                         f"{', '.join(declared) or 'none'}")
    return {k: coerce(k, v, declared[k]) for k, v in parameters.items()}


def _local_kernel_manager() -> type:
    """A kernel manager whose kernels talk to this process over local sockets (IPC) instead
    of TCP ports: nothing to encrypt, so the kernel has nothing to warn about ("Kernel is
    running over TCP without encryption" printed for every notebook) and no port is opened."""
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.paths import jupyter_runtime_dir
    from traitlets import CaselessStrEnum, default

    class LocalKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _absolute_socket_prefix(self) -> str:
            # An absolute path: the kernel starts in notebooks/, and a relative socket name
            # would point the kernel and this process at two different files.
            folder = Path(jupyter_runtime_dir())
            folder.mkdir(parents=True, exist_ok=True)
            return str(folder / f"helpers-kernel-{uuid.uuid4().hex[:12]}-ipc")

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts a kernel before asking it to shut down. At the end of a
            # notebook the kernel is idle, and that SIGINT only races its last message: now and
            # then it printed "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel." under
            # a report build that went fine. The shutdown request needs no interrupt (it comes
            # on the control channel, and a kernel that does not stop is killed).
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        interrupt_kernel = _async_interrupt_kernel

    return LocalKernelManager


#: Where `helpers run` leaves a notebook run with other parameters, beside the report build's.
RUNS = "runs"


def run_notebook(notebook: str | Path, parameters: dict[str, Any] | None = None,
                 out: str | Path | None = None, timeout: int = TIMEOUT_SECONDS) -> Path:
    """Execute one notebook in notebooks/ as working directory; return the executed copy."""
    import papermill as pm

    path = resolve(notebook).resolve()
    params = check_parameters(path, parameters or {})
    # Not reports/executed/: that is the report build's, and its pages show those notebooks.
    target = (Path(out) if out else reports_dir() / RUNS / path.name).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HELPERS_PROJECT_ROOT", str(project_root()))
    try:
        # The kernel starts in notebooks/ through nbclient's resources path, not papermill's
        # `cwd`, which chdirs the whole process: with two notebooks built at once in threads,
        # one kernel could start in the other's restored directory and miss ../data.
        pm.execute_notebook(str(path), str(target), parameters=params, kernel_name=kernel_name(),
                            resources={"metadata": {"path": str(path.parent)}},
                            progress_bar=False, log_output=False, execution_timeout=timeout,
                            kernel_manager_class=_local_kernel_manager())
    except pm.PapermillExecutionError as exc:
        raise InputError(path, f"cell {exc.exec_count} raised {exc.ename}: {exc.evalue}; the "
                         f"executed notebook with the traceback is {target}") from None
    return target


def strip_volatile(path: Path) -> None:
    """Remove papermill timings; number code cells 1, 2, 3... so the baseline diff shows only
    outputs. (nbval reads a cell without an execution count as never run, so counts stay.)"""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    nbformat.write(nb, path)


def refresh_baseline(notebooks: list[Path] | None = None) -> list[Path]:
    """Re-execute notebooks with their default parameters on DEMO data only (a throwaway copy
    of the project, reports.testbed) and store the outputs in notebooks/: the nbval baseline.

    DEMO only, whatever the user keeps in data/raw/gacc/: `make test` compares against DEMO.
    """
    import tempfile

    from helpers.reports.testbed import build

    targets = [Path(p).resolve() for p in (notebooks or all_notebooks())]
    done = []
    saved = {k: os.environ.get(k) for k in ("HELPERS_PROJECT_ROOT", "HELPERS_CLAIMS_DIR")}
    with tempfile.TemporaryDirectory() as tmp:
        copy = build(Path(tmp) / "project")
        os.environ["HELPERS_PROJECT_ROOT"] = str(copy)
        os.environ["HELPERS_CLAIMS_DIR"] = str(Path(tmp) / "claims")  # no claim records left
        try:
            for path in targets:
                executed = run_notebook(copy / "notebooks" / path.name,
                                        out=Path(tmp) / "executed" / path.name)
                strip_volatile(executed)
                path.write_bytes(executed.read_bytes())
                done.append(path)
                print(f"baseline refreshed: {path.name}")
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return done
