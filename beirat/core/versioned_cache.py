"""Values derived from whole tables (counts, the years that have papers), computed once per
change instead of once per page view.

A family of values shares one version number in the cache; a change to the tables they are
derived from bumps it after the transaction commits, and every value of the old version is
simply never read again (it expires). Bumping after commit matters: bumped before, a page view
in between could store the old data under the new version and keep it until the next change.
With the database cache of a production installation, all app servers share the versions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
TIMEOUT = 24 * 3600


def _version_key(family: str) -> str:
    return f"version:{family}"


def version(family: str) -> int:
    found = cache.get(_version_key(family))
    if found is None:
        # A number never given before (the clock in microseconds is ahead of every earlier
        # start plus its bumps): after an eviction of the version, starting again at 1 would
        # bring back values stored under 1 long ago.
        cache.add(_version_key(family), time.time_ns() // 1000, timeout=None)
        found = cache.get(_version_key(family), 1)
    return int(found)


def bump_after_commit(family: str) -> None:
    transaction.on_commit(lambda: bump(family))


def bump(family: str) -> None:
    """Every value of ``family`` is old from now on. Call it after the commit of the change."""
    try:
        cache.incr(_version_key(family))
    except ValueError:  # never read yet, or evicted: any new number will do
        cache.set(_version_key(family), version(family) + 1, timeout=None)


def full_key(family: str, key: str) -> str:
    """The cache key of ``key`` in the current version of ``family``. Take it before reading
    the data the value is made of: a change committed meanwhile then leaves the value under
    the old version, where nobody looks again."""
    return f"{family}:{version(family)}:{key}"


def cached(family: str, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` for the current version of ``family``, from the cache when it is there."""
    versioned_key = full_key(family, key)
    found: T | None = cache.get(versioned_key)
    if found is None:
        found = compute()
        cache.set(versioned_key, found, timeout=TIMEOUT)
    return found
