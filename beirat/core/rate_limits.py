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


def client_address(request: HttpRequest) -> str:
    """The visitor's address. Behind BEIRAT_TRUSTED_PROXY_COUNT reverse proxies, REMOTE_ADDR is
    the nearest proxy for everyone; the visitor is the entry the outermost trusted proxy appended
    to X-Forwarded-For. Entries further left are whatever the client sent, and are ignored."""
    count = settings.BEIRAT_TRUSTED_PROXY_COUNT
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= count and hops[-count]:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_key(request: HttpRequest) -> str:
    address = client_address(request)
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


def allow(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once the client made more than ``limit`` in the window."""
    return _count(client_key(request), scope=scope, limit=limit, window_seconds=window_seconds)


def allow_for(value: str, *, scope: str, limit: int, window_seconds: int) -> bool:
    """As allow(), counted per ``value`` (an e-mail address) instead of per client; the value is
    kept only as a keyed hash, like the client's address."""
    secret = settings.SECRET_KEY.encode()
    key = hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]
    return _count(key, scope=scope, limit=limit, window_seconds=window_seconds)


def _count(who: str, *, scope: str, limit: int, window_seconds: int) -> bool:
    window = int(time.time()) // window_seconds
    key = f"rate:{scope}:{who}:{window}"
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
