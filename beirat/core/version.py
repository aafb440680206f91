"""The version of this installation: pyproject.toml's, as released (CHANGELOG.md)."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@functools.cache
def beirat_version() -> str:
    """The version in pyproject.toml, or "unknown" where the file is not beside the code."""
    try:
        with PYPROJECT.open("rb") as stream:
            return str(tomllib.load(stream)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"
