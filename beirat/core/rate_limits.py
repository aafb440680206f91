"""Rate limits per client, without storing who the client is.

The client is a keyed hash of its address (HMAC with the secret key, so the stored value cannot
be turned back into an address by trying all addresses) and lives only in the cache, for the
length of the window. Counts are shared between processes when the cache is (DatabaseCache in
production).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


def allow(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once the client made more than ``limit`` in the window."""
    window = int(time.time()) // window_seconds
    key = f"rate:{scope}:{client_key(request)}:{window}"
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit


def exceeded(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Whether the client has used up its ``limit`` attempts, without counting one more."""
    window = int(time.time()) // window_seconds
    count = cache.get(f"rate:{scope}:{client_key(request)}:{window}", 0)
    return bool(count >= limit)
