"""Where the project's folders are, whether run from the repo root, notebooks/ or a test."""

from __future__ import annotations

import os
from pathlib import Path

#: The checkout this package was installed from (editable install: src/helpers -> repo root).
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def project_root() -> Path:
    """The project folder: $HELPERS_PROJECT_ROOT, else the checkout holding this package."""
    env = os.environ.get("HELPERS_PROJECT_ROOT")
    return Path(env).resolve() if env else PACKAGE_ROOT


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def reports_dir() -> Path:
    return project_root() / "reports"


def reference_file(name: str) -> Path:
    """A shipped reference table (code lists, overrides, transcribed figures) in data/raw/."""
    for sub in ("reference", "gacc-codes", ""):
        candidate = raw_dir() / sub / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"reference file {name!r} is missing from {raw_dir()}")
