"""The clerk's import pages: upload in the background, the report, review and confirmation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beirat.council.models import Paper
from beirat.directory import demo as directory_demo
from beirat.ingest import services
from beirat.ingest.models import ImportRecord
from tests.ingest.test_parse import ANSWER_TEXT, STATEMENT_TEXT

pytestmark = pytest.mark.django_db
PAGE = "/arbeitsplatz/import/"


@pytest.fixture(autouse=True)
def directory():
    directory_demo.load(stdout=io.StringIO())


def upload(client, *named):
    files = [SimpleUploadedFile(name, text.encode()) for name, text in named]
    return client.post(PAGE, {"uploads": files})


def test_an_upload_is_stored_at_once_and_imported_in_the_background(
    clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(clerk, ("000.txt", ANSWER_TEXT), ("001.txt", STATEMENT_TEXT))

    assert response.status_code == 200
    assert "wird im Hintergrund verarbeitet" in response.content.decode()
    assert len(callbacks) == 2  # one background task per file
    queued = list(ImportRecord.objects.filter(status=ImportRecord.Status.QUEUED))
    assert len(queued) == 2
    for record in queued:
        services.process_queued(record)
    statuses = dict(ImportRecord.objects.values_list("file_name", "status"))
    assert statuses == {"000.txt": "imported", "001.txt": "review"}


def test_the_report_lists_failures_with_their_reason(clerk):
    record = services.import_file(data=b"Einkaufsliste", name="liste.txt", actor=None).record

    page = clerk.get(PAGE).content.decode()

    assert "liste.txt" in page
    assert "keine Vorlage" in page
    assert record.status == ImportRecord.Status.FAILED


def test_review_shows_the_doubtful_fields_and_the_repairs_then_publishes(clerk):
    outcome = services.import_file(data=STATEMENT_TEXT.encode(), name="001.txt", actor=None)
    url = f"{PAGE}{outcome.record.pk}/"

    page = clerk.get(url).content.decode()

    assert "bitte prüfen" in page
    assert "<del>gepriift</del> → geprüft" in page
    assert "Originaldatei herunterladen" in page
    clerk.post(f"{url}bestaetigen/")
    assert outcome.paper.__class__.objects.get(pk=outcome.paper.pk).status == Paper.Status.PUBLISHED
    original = clerk.get(f"{url}original/")
    assert b"".join(original.streaming_content) == STATEMENT_TEXT.encode()


def test_an_empty_upload_is_a_form_error(clerk):
    response = clerk.post(PAGE, {})

    assert "mindestens eine Datei" in response.content.decode()
    assert not ImportRecord.objects.exists()
