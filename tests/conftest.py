"""Personas (a client per role, see docs/development.md) and shared fixtures."""

import pytest
from django.core.cache import cache, caches
from django.test import Client

from beirat.core.roles import Role
from beirat.search.indexer import Indexer
from tests.factories.core import UserFactory, user_with_role
from tests.factories.directory import UnitFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Django's test set-up swaps EMAIL_BACKEND for locmem; we test the real outbox path and let
    # only the final delivery land in mail.outbox.
    settings.EMAIL_BACKEND = "beirat.core.mail.OutboxEmailBackend"
    settings.BEIRAT_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BEIRAT_SEARCH_DIR = tmp_path / "search"
    settings.BEIRAT_ERASURE_LEDGER = tmp_path / "erasure-ledger.jsonl"
    cache.clear()  # rate-limit counters must not carry over from one test to the next
    caches["pages"].clear()
    settings.BEIRAT_FORM_MIN_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A sync a test starts by the way (the bad-input corpus posts "Jetzt abgleichen" hundreds of
    # times against a source nobody serves) gives up at once instead of backing off for half a
    # minute each time; the tests of retries and back-off set their own values.
    settings.BEIRAT_OPARL_SYNC_ATTEMPTS = 1
    settings.BEIRAT_OPARL_SYNC_BACKOFF_SECONDS = 0
    settings.BEIRAT_OPARL_SYNC_TIMEOUT = 2


@pytest.fixture(autouse=True)
def _german_to_begin_with():
    """Each test starts in the site's language: a request in English activates English for the
    thread (LocaleMiddleware), and a command run by the next test would speak it (an import
    report in English after the English figures page, in one order of the suite only)."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_vector_matrix():
    """Each test has its own database: the process's matrix of stored sentence vectors
    (beirat/search/vectors.py) must not carry rows of the last test's."""
    from beirat.search import services, vectors

    vectors.forget()
    services._pending.keys = set()  # keys of the last test's writes, never committed


@pytest.fixture(autouse=True)
def _kept_pages_old_at_every_write():
    """A test runs inside a transaction that never commits, so the bump after commit that makes
    kept public pages old (beirat/core/page_cache.py) would never come: here it comes at every
    write instead. tests/core/test_page_cache.py checks the real one, after commit."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from beirat.core import page_cache

    def bump_now(sender, **kwargs):
        if sender._meta.label_lower not in page_cache.UNSHOWN_MODELS:
            page_cache._bump()

    signals = (post_save, post_delete, m2m_changed)
    for signal in signals:
        signal.connect(bump_now, dispatch_uid="tests.bump_now")
    yield
    for signal in signals:
        signal.disconnect(dispatch_uid="tests.bump_now")


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def triage_user(db):
    return user_with_role(Role.TRIAGE, username="triage")


@pytest.fixture
def board_member_user(db):
    return user_with_role(Role.BOARD_MEMBER, username="board-member")


@pytest.fixture
def office_user(db):
    from beirat.directory import services

    user = user_with_role(Role.OFFICE, username="office")
    services.assign_office(user=user, unit=UnitFactory(number="80"), actor=None)
    return user


@pytest.fixture
def clerk_user(db):
    return user_with_role(Role.CLERK, username="clerk")


@pytest.fixture
def admin_user(db):
    return user_with_role(Role.ADMIN, username="administrator")


@pytest.fixture
def privacy_user(db):
    return user_with_role(Role.PRIVACY, username="privacy")


@pytest.fixture
def triage(triage_user) -> Client:
    return _client_for(triage_user)


@pytest.fixture
def board_member(board_member_user) -> Client:
    return _client_for(board_member_user)


@pytest.fixture
def office(office_user) -> Client:
    return _client_for(office_user)


@pytest.fixture
def clerk(clerk_user) -> Client:
    return _client_for(clerk_user)


@pytest.fixture
def admin(admin_user) -> Client:
    return _client_for(admin_user)


@pytest.fixture
def privacy(privacy_user) -> Client:
    return _client_for(privacy_user)


@pytest.fixture
def no_role(db) -> Client:
    """A logged-in account without any role (e.g. a freshly created one)."""
    return _client_for(UserFactory(username="no-role"))


PERSONAS = [
    "anonymous",
    "no_role",
    "triage",
    "board_member",
    "office",
    "clerk",
    "admin",
    "privacy",
]


class SearchIndex:
    """This test's server index: ``sync()`` does what the indexer process does in a poll."""

    def __init__(self, root):
        self.root = root
        self.indexer = Indexer(root)
        self.started = False

    def sync(self) -> int:
        if not self.started:
            self.indexer.start()
            self.started = True
        return self.indexer.catch_up()

    def close(self) -> None:
        self.indexer.close()


@pytest.fixture
def search_index(settings, db):
    index = SearchIndex(settings.BEIRAT_SEARCH_DIR)
    yield index
    index.close()


@pytest.fixture(autouse=True, scope="session")
def _no_unwired_bulk_writes():
    """Every test: a bulk write of the app's code on a model the search log or the page cache
    listens to must go through beirat.core.wiring (tests/write_guard.py)."""
    from tests import write_guard

    with write_guard.guard():
        yield
