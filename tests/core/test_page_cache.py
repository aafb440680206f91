"""Whole public pages kept for anonymous visitors (beirat/core/page_cache.py): served from the
cache until a change is committed, never to or from signed-in people, never with a cookie, a
token or a message in them."""

import pytest
from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from beirat.core import page_cache, versioned_cache
from beirat.core.models import OutboxMail
from beirat.council.models import Paper
from tests.factories.council import PublishedPaperFactory
from tests.helpers import counted_get

pytestmark = pytest.mark.django_db


def pages_version():
    return versioned_cache.version(page_cache.FAMILY, caches["pages"])


@pytest.fixture
def bumps(monkeypatch):
    """How often the kept pages were made old."""
    made_old = []
    real = page_cache._bump

    def counting():
        made_old.append(1)
        real()

    monkeypatch.setattr(page_cache, "_bump", counting)
    return made_old


@pytest.fixture
def real_bumps():
    """Only the production receiver: the page cache is made old after commit, not at once."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.disconnect(dispatch_uid="tests.bump_now")


def test_an_anonymous_visitor_gets_the_kept_page_without_a_query(anonymous):
    paper = PublishedPaperFactory(name="Digitale Ratsarbeit")

    first, rendered_with = counted_get(anonymous, paper.get_absolute_url())
    second, kept_with = counted_get(anonymous, paper.get_absolute_url())

    assert rendered_with > 0
    assert kept_with == 0
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Headers of the middleware come fresh with every answer, also from the cache.
    assert "Content-Security-Policy" in second


def test_a_change_makes_the_kept_page_old(anonymous):
    paper = PublishedPaperFactory(name="Digitale Ratsarbeit")
    anonymous.get(paper.get_absolute_url())

    paper.name = "Digitale Ratsarbeit, zweite Fassung"
    paper.save()

    assert "zweite Fassung" in anonymous.get(paper.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_paper_withdrawn_from_the_public_is_gone_after_commit(anonymous, real_bumps):
    paper = PublishedPaperFactory()
    assert anonymous.get(paper.get_absolute_url()).status_code == 200
    before = pages_version()

    with transaction.atomic():
        Paper.objects.filter(pk=paper.pk).update(public=False)
        paper.refresh_from_db()
        paper.save()  # the signal's write; the version waits for the commit
        assert pages_version() == before

    assert pages_version() != before
    assert anonymous.get(paper.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_one_transaction_of_many_writes_bumps_once(real_bumps, bumps):
    with transaction.atomic():
        PublishedPaperFactory.create_batch(20)

    assert len(bumps) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_bumps_nothing_and_the_next_one_still_does(real_bumps, bumps):
    def write_then_fail():
        with transaction.atomic():
            PublishedPaperFactory()
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert bumps == []

    with transaction.atomic():
        PublishedPaperFactory()

    assert len(bumps) == 1


@pytest.mark.django_db(transaction=True)
def test_writes_no_page_shows_leave_the_pages_kept(real_bumps):
    before = pages_version()

    OutboxMail.objects.create(recipients=["a@example.org"], subject="x", body="y")

    assert pages_version() == before


def test_signed_in_people_neither_get_nor_leave_kept_pages(anonymous, clerk):
    paper = PublishedPaperFactory()
    anonymous_page = anonymous.get(paper.get_absolute_url()).content

    clerk_page, clerk_queries = counted_get(clerk, paper.get_absolute_url())
    _again, anonymous_queries = counted_get(anonymous, paper.get_absolute_url())

    assert clerk_queries > 0
    assert clerk_page.content != anonymous_page
    assert "no-store" in clerk_page["Cache-Control"]
    assert anonymous_queries == 0  # the anonymous page is still the kept one, not the clerk's


def test_each_language_is_kept_apart(anonymous):
    paper = PublishedPaperFactory()
    german = anonymous.get(paper.get_absolute_url()).content.decode()

    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = anonymous.get(paper.get_absolute_url()).content.decode()

    assert 'lang="de"' in german
    assert 'lang="en"' in english


def test_filters_are_rendered_every_time_pagination_is_kept(anonymous):
    PublishedPaperFactory.create_batch(3)
    anonymous.get("/vorlagen/?seite=1")
    anonymous.get("/vorlagen/?jahr=2021")

    _kept, paginated = counted_get(anonymous, "/vorlagen/?seite=1")
    _rendered, filtered = counted_get(anonymous, "/vorlagen/?jahr=2021")

    assert paginated == 0
    assert filtered > 0


@pytest.mark.parametrize(
    "headers",
    [{"HX-Request": "true"}, {"If-None-Match": '"abc"'}, {"If-Modified-Since": "x"}],
    ids=["htmx", "if-none-match", "if-modified-since"],
)
def test_htmx_and_conditional_requests_are_rendered(anonymous, headers):
    paper = PublishedPaperFactory()
    anonymous.get(paper.get_absolute_url())

    _response, count = counted_get(anonymous.__class__(headers=headers), paper.get_absolute_url())

    assert count > 0


def test_switched_off_with_zero_seconds(anonymous, settings):
    settings.BEIRAT_PAGE_CACHE_SECONDS = 0
    paper = PublishedPaperFactory()
    anonymous.get(paper.get_absolute_url())

    _response, count = counted_get(anonymous, paper.get_absolute_url())

    assert count > 0


def request_for(path="/seite/"):
    request = RequestFactory().get(path)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def counting_view(answer):
    calls = []

    @page_cache.public_page()
    def view(request):
        calls.append(request)
        return answer(request)

    return view, calls


@pytest.mark.parametrize(
    "answer",
    [
        lambda request: HttpResponse("Formular", headers={"X-Token": get_token(request)}),
        lambda request: HttpResponse("Fehler", status=400),
        lambda request: HttpResponse("Weiter", status=302),
        lambda request: HttpResponse("privat", headers={"Cache-Control": "no-store"}),
    ],
    ids=["csrf-token-used", "not-200", "redirect", "no-store"],
)
def test_answers_that_must_not_be_shared_are_not_kept(answer):
    view, calls = counting_view(answer)

    view(request_for())
    view(request_for())

    assert len(calls) == 2


def test_an_answer_setting_a_cookie_is_not_kept():
    def with_cookie(request):
        response = HttpResponse("Keks")
        response.set_cookie("seen", "1")
        return response

    view, calls = counting_view(with_cookie)

    view(request_for())
    view(request_for())

    assert len(calls) == 2


def test_a_page_with_a_message_for_the_visitor_is_neither_kept_nor_served():
    view, calls = counting_view(lambda request: HttpResponse("Seite"))
    view(request_for())  # kept
    with_message = request_for()
    with_message._messages.add(20, "Vielen Dank!")

    view(with_message)

    assert len(calls) == 2
    assert len(with_message._messages) == 1  # looked at, not used up


def test_an_evicted_version_never_brings_old_pages_back(anonymous):
    paper = PublishedPaperFactory()
    anonymous.get(paper.get_absolute_url())
    old = pages_version()

    caches["pages"].delete(page_cache.VERSION_KEY)
    _response, count = counted_get(anonymous, paper.get_absolute_url())

    assert pages_version() != old
    assert count > 0  # rendered anew: the page kept under the old version is not served


def test_every_bump_is_a_version_never_seen_before():
    seen = {pages_version()}
    for _ in range(50):
        versioned_cache.bump(page_cache.FAMILY, caches["pages"])
        seen.add(pages_version())

    assert len(seen) == 51
