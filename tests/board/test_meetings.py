"""The board's meetings: agenda, reports and minutes with files, public and non-public parts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beirat.board.models import Report
from beirat.core.file_metadata import without_metadata
from beirat.directory.models import Committee
from tests.factories.council import AgendaItemFactory, MeetingFactory
from tests.factories.directory import CommitteeFactory
from tests.submissions.files import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


@pytest.fixture
def board_meeting():
    board = CommitteeFactory(kind=Committee.Kind.ADVISORY_BOARD, slug="digitalbeirat")
    meeting = MeetingFactory(committee=board, public=False)
    AgendaItemFactory(meeting=meeting, name="Bericht zum Stand der Digitalisierung")
    return meeting


def test_triage_adds_a_report_with_a_checked_file_and_members_read_it(
    triage, board_member, anonymous, board_meeting
):
    upload = SimpleUploadedFile("bericht.pdf", PDF, content_type="application/pdf")
    response = triage.post(
        f"/arbeitsplatz/beirat/sitzungen/{board_meeting.pk}/bericht/",
        {"kind": "digitalisation", "title": "Stand 2021", "text": "Kurzfassung", "upload": upload},
    )

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.file_name == "bericht.pdf"
    assert not report.public
    page = board_member.get(f"/arbeitsplatz/beirat/sitzungen/{board_meeting.pk}/").content
    assert "Stand 2021" in page.decode()
    download = board_member.get(f"/arbeitsplatz/beirat/berichte/{report.pk}/datei/")
    # The file as checked and written anew without metadata (tests/core/test_file_metadata.py).
    assert b"".join(download.streaming_content) == without_metadata(PDF, "application/pdf", "")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert anonymous.get(f"/beirat/berichte/{report.pk}/datei/").status_code == 404


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_stored(triage, board_meeting):
    upload = SimpleUploadedFile(
        "bericht.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = triage.post(
        f"/arbeitsplatz/beirat/sitzungen/{board_meeting.pk}/bericht/",
        {"kind": "activities", "title": "Aktivitäten", "upload": upload},
    )

    assert response.status_code == 200
    assert "keine PDF-" in response.content.decode()
    assert not Report.objects.exists()


def test_only_public_reports_of_public_meetings_reach_the_public(anonymous, board_meeting):
    public_meeting = MeetingFactory(committee=board_meeting.committee, public=True)
    Report.objects.create(
        meeting=public_meeting, kind="activities", title="Öffentlich A", public=True
    )
    Report.objects.create(meeting=public_meeting, kind="minutes", title="Intern B", public=False)
    Report.objects.create(meeting=board_meeting, kind="other", title="Intern C", public=True)

    page = anonymous.get("/beirat/").content.decode()

    assert "Öffentlich A" in page
    assert "Intern B" not in page
    assert "Intern C" not in page  # a public report of a non-public meeting stays internal


def test_council_meetings_are_not_board_meetings(board_member):
    council_meeting = MeetingFactory()

    assert (
        board_member.get(f"/arbeitsplatz/beirat/sitzungen/{council_meeting.pk}/").status_code == 404
    )


def test_a_report_without_a_file_has_nothing_to_download(board_member, board_meeting):
    report = Report.objects.create(meeting=board_meeting, kind="minutes", title="Nur Text")

    assert board_member.get(f"/arbeitsplatz/beirat/berichte/{report.pk}/datei/").status_code == 404
