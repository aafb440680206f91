"""Values derived from whole tables (counts, the years that have papers), computed once per
change instead of once per page view.

A family of values shares one version in the cache; a change to the tables they are derived
from gives it a new version after the transaction commits, and every value of the old version
is simply never read again (it expires). Bumping after commit matters: bumped before, a page
view in between could store the old data under the new version and keep it until the next
change. With the database cache of a production installation, all app servers share the
versions.

A version is a random token, not a counter: a bump is one write that needs no read first, so two
servers bumping at the same moment cannot both write "n + 1" and lose a change (the database
cache's incr is a read and a write), and a version evicted from the cache can never come back
as one used before.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.cache import BaseCache, cache
from django.db import transaction

T = TypeVar("T")
TIMEOUT = 24 * 3600


def version_key(family: str) -> str:
    return f"version:{family}"


def version(family: str, store: BaseCache = cache) -> str:
    found = store.get(version_key(family))
    if found is None:  # never used, or evicted: another server may be starting it right now
        candidate = _new_version()
        store.add(version_key(family), candidate, timeout=None)
        found = store.get(version_key(family), candidate)
    return str(found)


def bump_after_commit(family: str) -> None:
    transaction.on_commit(lambda: bump(family))


def bump(family: str, store: BaseCache = cache) -> None:
    """Every value of ``family`` is old from now on. Call it after the commit of the change."""
    store.set(version_key(family), _new_version(), timeout=None)


def _new_version() -> str:
    return secrets.token_hex(8)


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


def cached_many(family: str, computes: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """``cached()`` for several values of one family: the version is read once and the values
    in one lookup (two queries with the database cache instead of two per value)."""
    current = version(family)
    versioned_keys = {key: f"{family}:{current}:{key}" for key in computes}
    found = cache.get_many(list(versioned_keys.values()))
    values: dict[str, Any] = {}
    computed: dict[str, Any] = {}
    for key, versioned_key in versioned_keys.items():
        value = found.get(versioned_key)
        if value is None:
            value = computed[versioned_key] = computes[key]()
        values[key] = value
    if computed:
        cache.set_many(computed, timeout=TIMEOUT)
    return values
