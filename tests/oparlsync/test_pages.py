"""A mirrored paper on beirat's pages: marked with its source, read-only for clerks, found by
the search, linkable by mandates; the clerk pages of the sources."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from beirat.council import services as council
from beirat.council.models import Consultation, Mandate, Paper, PaperSection
from beirat.directory.services import installation_body
from beirat.oparlsync.models import Source, SyncRun
from beirat.search import queries as search
from tests.factories.directory import CommitteeFactory, UnitFactory

pytestmark = pytest.mark.django_db
SOURCE_NAME = "ALLRIS Beispielstadt"
WEB = "https://ris.example.de/vo0050.asp?__kvonr=4711"


def _mirrored(reference: str = "VO/2014/1234-01") -> Paper:
    paper = Paper(
        body=installation_body(actor=None),
        paper_type=Paper.Type.MOTION,
        status=Paper.Status.PUBLISHED,
        reference=reference,
        date=datetime.date(2014, 4, 4),
        name="Radweg an der Mosel verlängern",
        source_name=SOURCE_NAME,
        source_url=WEB,
    )
    council.save_mirrored(paper, actor=None, action="paper.mirrored")
    return paper


def test_public_page_names_the_source_with_its_link(anonymous):
    paper = _mirrored()
    page = anonymous.get(paper.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Ratsinformationssystem {SOURCE_NAME}" in text
    assert f'href="{WEB.replace("&", "&amp;")}"' in text


def test_a_paper_of_ours_names_no_source(anonymous):
    from tests.factories.council import PublishedPaperFactory

    page = anonymous.get(PublishedPaperFactory().get_absolute_url())
    assert "Ratsinformationssystem" not in page.content.decode()


def test_clerk_pages_refuse_to_edit_a_mirrored_paper_with_the_reason(clerk):
    paper = _mirrored()
    addresses = [
        reverse("council:staff_paper_edit", kwargs={"pk": paper.pk}),
        reverse("council:staff_paper_withdraw", kwargs={"pk": paper.pk}),
        reverse("council:staff_section_new", kwargs={"paper_pk": paper.pk}),
        reverse("council:staff_consultation_new", kwargs={"paper_pk": paper.pk}),
    ]
    for address in addresses:
        for answer in (clerk.get(address, follow=True), clerk.post(address, {}, follow=True)):
            assert answer.redirect_chain[-1][0] == reverse(
                "council:staff_paper", kwargs={"pk": paper.pk}
            ), address
            assert "wird dort bearbeitet" in answer.content.decode(), address
    paper.refresh_from_db()
    assert paper.status == Paper.Status.PUBLISHED
    assert paper.name == "Radweg an der Mosel verlängern"


def test_services_refuse_to_change_a_mirrored_paper():
    paper = _mirrored()
    committee = CommitteeFactory()
    attempts = [
        lambda: council.update_paper(paper=paper, actor=None),
        lambda: council.withdraw_paper(paper=paper, actor=None),
        lambda: council.add_section(
            section=PaperSection(paper=paper, kind="text", text="x", position=0), actor=None
        ),
        lambda: council.add_consultation(
            consultation=Consultation(paper=paper, committee=committee), actor=None
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="wird dort bearbeitet"):
            attempt()


def test_a_mirrored_paper_takes_mandates_like_our_own():
    paper = _mirrored()
    mandate = council.create_mandate(
        mandate=Mandate(paper=paper, title="Kosten prüfen", responsible_unit=UnitFactory()),
        actor=None,
    )
    assert mandate.paper == paper


def test_a_mirrored_paper_is_found_by_the_search(search_index):
    _mirrored()
    search_index.sync()
    assert search.search(AnonymousUser(), "Radweg Mosel").total >= 1


def test_source_pages_show_the_last_run_with_its_failures(clerk):
    source = Source.objects.create(
        name=SOURCE_NAME,
        system_url="https://ris.example.de/oparl/system",
        body=installation_body(actor=None),
    )
    SyncRun.objects.create(
        source=source,
        status=SyncRun.Status.FINISHED,
        created=12,
        failed=1,
        seconds=3.5,
        failures=[{"url": "https://ris.example.de/oparl/paper/9", "reason": "Kein gültiges JSON"}],
    )
    listing = clerk.get(reverse("oparlsync:sources")).content.decode()
    assert SOURCE_NAME in listing
    assert "12 neu" in listing
    detail = clerk.get(reverse("oparlsync:source", kwargs={"pk": source.pk})).content.decode()
    assert "https://ris.example.de/oparl/paper/9" in detail
    assert "Kein gültiges JSON" in detail
    assert "3,5 s" in detail


def test_a_clerk_registers_a_source(clerk):
    answer = clerk.post(
        reverse("oparlsync:sources"),
        {
            "name": SOURCE_NAME,
            "system_url": "https://ris.example.de/oparl/system",
            "body_url": "",
            "interval_hours": "6",
            "active": "on",
        },
    )
    source = Source.objects.get()
    assert answer.status_code == 302
    assert source.interval_hours == 6
    assert source.next_run_at is not None  # the worker's timer picks it up


def test_run_now_hands_the_run_to_the_worker(clerk, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    source = Source.objects.create(
        name=SOURCE_NAME,
        system_url="https://ris.example.de/oparl/system",
        body=installation_body(actor=None),
    )
    answer = clerk.post(reverse("oparlsync:source_run", kwargs={"pk": source.pk}))
    assert answer.status_code == 302
    assert len(default_task_backend.results) == 1


@pytest.mark.django_db(transaction=True)
def test_a_source_with_an_interval_schedules_its_runs_in_the_worker(settings):
    from django_tasks import default_task_backend

    from beirat.oparlsync import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    source = services.save_source(
        source=Source(
            name=SOURCE_NAME,
            system_url="https://ris.example.de/oparl/system",
            body=installation_body(actor=None),
            interval_hours=6,
        ),
        actor=None,
    )
    [scheduled] = default_task_backend.results
    assert scheduled.args == [source.pk]
    assert scheduled.kwargs == {"scheduled": True}
    assert scheduled.task.run_after == source.next_run_at


def test_a_mirrored_file_is_stored_without_asking_whether_its_paper_exists(settings, tmp_path):
    """The sync stores files by the hundred thousand: the database's foreign key vouches for the
    paper, so no query reads it back before each file."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from beirat.core.uploads import CheckedFile

    settings.MEDIA_ROOT = tmp_path
    paper = _mirrored()
    upload = CheckedFile(name="anlage.txt", content_type="text/plain", content=b"Text", text="Text")
    with CaptureQueriesContext(connection) as queries:
        # As the sync stores a new paper's files: the paper was saved in the same step.
        council.mirror_attachment(
            paper=paper,
            attachment=None,
            title="Anlage 1",
            upload=upload,
            actor=None,
            paper_saved=True,
        )
    reads_of_the_paper = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and 'FROM "council_paper"' in query["sql"]
    ]
    assert reads_of_the_paper == [], "\n".join(query["sql"] for query in queries.captured_queries)
    assert paper.attachments.get().text == "Text"
