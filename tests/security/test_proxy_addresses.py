"""Behind a reverse proxy every request comes from the proxy's address: rate limits must count
the visitor the proxy saw, and must not trust what the visitor wrote into the header."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from beirat.core.rate_limits import allow, client_address
from tests.factories.core import UserFactory

PROXY = "127.0.0.1"
LOCKED = "Zu viele gescheiterte Anmeldeversuche"


def request_from(forwarded: str | None, remote: str = PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", PROXY),  # no proxy configured: the header is the client's own words
        (1, None, PROXY),  # a request that bypassed the proxy
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged first entry is ignored
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer hops than proxies: not trusted
    ],
)
def test_the_visitor_is_the_entry_the_trusted_proxy_appended(settings, count, forwarded, expected):
    settings.BEIRAT_TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(forwarded)) == expected


def test_visitors_behind_the_same_proxy_have_their_own_limits(settings):
    settings.BEIRAT_TRUSTED_PROXY_COUNT = 1
    first, second = request_from("203.0.113.7"), request_from("198.51.100.9")

    assert [allow(first, scope="t", limit=2, window_seconds=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert allow(second, scope="t", limit=2, window_seconds=60)


def test_a_visitor_cannot_escape_the_limit_by_forging_the_header(settings):
    settings.BEIRAT_TRUSTED_PROXY_COUNT = 1
    attempts = [
        allow(request_from(f"10.9.9.{n}, 203.0.113.7"), scope="t", limit=2, window_seconds=60)
        for n in range(3)
    ]
    assert attempts == [True, True, False]


@pytest.mark.django_db
def test_failed_logins_lock_one_visitor_not_everyone_behind_the_proxy(client, settings):
    settings.BEIRAT_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/5m/ip"}
    UserFactory(username="erika")
    UserFactory(username="hans")

    def login(username, address):
        return client.post(
            "/konto/login/",
            {"login": username, "password": "falsch"},
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(3):
        login("erika", "203.0.113.7")
    locked = login("erika", "203.0.113.7")
    other_visitor = login("hans", "198.51.100.9")

    assert LOCKED in locked.content.decode()
    assert LOCKED not in other_visitor.content.decode()
