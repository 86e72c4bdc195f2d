"""`make lab` from a fresh clone: JupyterLab starts, serves the notebooks trusted, and starts the
project's kernel. Run as a user would, through `python -m helpers lab` in its own process."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers.paths import project_root

pytestmark = pytest.mark.skipif(importlib.util.find_spec("jupyterlab") is None,
                                reason="needs jupyterlab (make installs it)")
TOKEN = "lab-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, method: str = "GET", body: dict[str, object] | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    return json.loads(text) if text.lstrip().startswith(("{", "[")) else text


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A JupyterLab server from `python -m helpers lab`, with Jupyter's own state in a temporary
    folder (the notebook signatures, the runtime files), as on a machine that never ran Jupyter."""
    home = tmp_path_factory.mktemp("jupyter")
    env = {**os.environ, "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_PLATFORM_DIRS": "1"}
    port = _free_port()
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "helpers", "lab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # up to 2 min: a busy CI machine starts JupyterLab slowly
            if server.poll() is not None:
                break
            try:
                _get(f"{base}/api/status")
                break
            except OSError:
                time.sleep(0.5)
        assert server.poll() is None, (home / "lab.log").read_text()
        yield base, home / "lab.log"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def test_lab_serves_every_notebook_trusted(lab: tuple[str, Path]) -> None:
    base, log = lab
    assert "JupyterLab" in str(_get(f"{base}/lab"))
    listing = _get(f"{base}/api/contents")
    served = {item["name"] for item in listing["content"]}  # type: ignore[index]
    expected = {p.name for p in (project_root() / "notebooks").glob("*.ipynb")}
    assert len(expected) >= 9 and expected <= served
    for name in sorted(expected):
        model = _get(f"{base}/api/contents/{name}?content=1")
        cells = [c for c in model["content"]["cells"] if c["cell_type"] == "code"]  # type: ignore[index]
        assert cells and all(c["metadata"].get("trusted") for c in cells), name
    assert "is not trusted" not in log.read_text()


def test_lab_starts_the_projects_kernel(lab: tuple[str, Path]) -> None:
    """The notebooks' kernel starts in the notebooks folder, on this project's Python, and finds
    the package and the ingested data where the parameters cell says."""
    from jupyter_client import BlockingKernelClient

    base, log = lab
    specs = _get(f"{base}/api/kernelspecs")
    name = json.loads((project_root() / "notebooks" / "01-export-growth-by-partner.ipynb")
                      .read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]
    assert name in specs["kernelspecs"]  # type: ignore[index]
    # As JupyterLab does when a notebook is opened: a session for its path starts the kernel.
    session = _get(f"{base}/api/sessions", "POST", {
        "path": "01-export-growth-by-partner.ipynb", "type": "notebook", "name": "",
        "kernel": {"name": name}})
    kernel = session["kernel"]  # type: ignore[index]
    connection = log.parent / "runtime" / f"kernel-{kernel['id']}.json"  # type: ignore[index]
    for _ in range(240):
        if connection.exists():
            break
        time.sleep(0.5)
    client = BlockingKernelClient(connection_file=str(connection))
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        code = ("import os, sys, helpers; print(sys.executable); print(os.getcwd()); "
                "print(os.path.exists('../data/processed/manifest.json'))")
        reply = client.execute_interactive(code, timeout=60, output_hook=_collect)
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        _get(f"{base}/api/sessions/{session['id']}", "DELETE")  # type: ignore[index]
    executable, folder, has_data = _OUTPUT[-3:]
    assert Path(executable).resolve() == Path(sys.executable).resolve()
    assert Path(folder).resolve() == (project_root() / "notebooks").resolve()
    assert has_data == "True"


_OUTPUT: list[str] = []


def _collect(message: dict[str, object]) -> None:
    if message["msg_type"] == "stream":
        _OUTPUT.extend(str(message["content"]["text"]).split())  # type: ignore[index]


def test_lab_without_jupyterlab_says_how_to_install(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from helpers import cli

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert cli.main(["lab"]) == 2
    said = capsys.readouterr().err
    assert "pip install" in said and "-e '.[lab]'" in said
