"""Every upload path stores files without their metadata (beirat/core/file_metadata.py).

The files are made here as programs write them (pikepdf for PDFs, zipfile for office documents)
and go through the real forms: a citizen's new submission, the added information on the tracking
page, and a report to the board. Each test first checks that the upload really carries the
metadata, then that the stored file does not, and that its content survived.
"""

import io
import re
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beirat.board.models import Report
from beirat.directory.models import Committee
from beirat.submissions.models import Attachment, Event, Submission
from tests.factories.council import MeetingFactory
from tests.factories.directory import CommitteeFactory
from tests.factories.submissions import SubmissionFactory
from tests.submissions import files
from tests.submissions.files import AUTHOR, page_text
from tests.submissions.test_intake import NEW, form_data
from tests.submissions.test_tracking import url

pytestmark = pytest.mark.django_db

METADATA_KEYS = ("/Metadata", "/Thumb", "/PieceInfo")


def pdf_metadata(data):
    """What a PDF tells about its making: the information dictionary, the metadata keys found
    on any object, and whether the author's name is anywhere in it (raw or in a decoded
    stream, in a used object or a left-over one)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = {str(key): str(value) for key, value in pdf.trailer.get("/Info", {}).items()}
        keys = {
            key
            for item in pdf.objects
            if isinstance(item, pikepdf.Dictionary | pikepdf.Stream)
            for key in METADATA_KEYS
            if key in item
        }
        decoded = io.BytesIO()
        pdf.save(
            decoded,
            qdf=True,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            stream_decode_level=pikepdf.StreamDecodeLevel.all,
        )
    named = AUTHOR.encode() in data or AUTHOR.encode() in decoded.getvalue()
    return {"info": info, "keys": keys, "author_named": named}


def pdf_content(data):
    """Pages and their text, as pdfium (a reader other than the one that rewrote it) sees them."""
    document = pypdfium2.PdfDocument(data)
    try:
        return [document[n].get_textpage().get_text_range().strip() for n in range(len(document))]
    finally:
        document.close()


def assert_clean_pdf(stored, upload):
    upload.seek(0)  # the client has read it
    original = upload.read()
    before = pdf_metadata(original)
    assert before["info"]["/Author"] == AUTHOR  # the upload did carry it
    assert before["keys"] == set(METADATA_KEYS)
    assert before["author_named"]

    after = pdf_metadata(stored)

    assert after == {"info": {}, "keys": set(), "author_named": False}
    assert pdf_content(stored) == pdf_content(original) == [page_text(1), page_text(2)]


def zip_entries(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {entry.filename: archive.read(entry) for entry in archive.infolist()}


def media_files(settings):
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


# A citizen's submission ------------------------------------------------------------------------


def test_a_citizens_pdf_is_stored_without_author_xmp_thumbnails_or_private_data(anonymous):
    upload = files.pdf_with_metadata()

    response = anonymous.post(NEW, {**form_data(anonymous), "attachments": [upload]})

    assert response.status_code == 302
    stored = Attachment.objects.get()
    assert_clean_pdf(stored.file.read(), upload)


def test_a_pdf_added_on_the_tracking_page_is_stored_without_metadata(anonymous):
    submission = SubmissionFactory()
    token = anonymous.get(submission.get_absolute_url()).context["add_form"]["issued"].initial
    upload = files.pdf_with_metadata("plan.pdf")

    response = anonymous.post(
        url("add_information", submission),
        {"issued": token, "text": "Noch ein Gedanke.", "attachments": [upload]},
    )

    assert response.status_code == 302
    assert submission.events.filter(kind=Event.Kind.INFO_ADDED).exists()
    assert_clean_pdf(submission.attachments.get().file.read(), upload)


def test_an_author_left_in_an_earlier_revision_is_not_stored(anonymous):
    """An incremental update that drops the catalog's XMP leaves the old stream in the file,
    unreferenced; a rewrite that copies every object (pypdf does unless told) would keep it."""
    whole = files.pdf_bytes(2, metadata=True)
    with pikepdf.open(io.BytesIO(whole)) as pdf:
        catalog, pages, size = pdf.Root.objgen[0], pdf.Root.Pages.objgen[0], int(pdf.trailer.Size)
    previous = int(re.findall(rb"startxref\s+(\d+)", whole)[-1])
    body = whole if whole.endswith(b"\n") else whole + b"\n"
    replaced = f"{catalog} 0 obj\n<< /Type /Catalog /Pages {pages} 0 R >>\nendobj\n".encode()
    xref = len(body) + len(replaced)
    update = (
        f"xref\n0 1\n0000000000 65535 f \n{catalog} 1\n{len(body):010d} 00000 n \n"
        f"trailer\n<< /Size {size} /Root {catalog} 0 R /Prev {previous} >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    upload = SimpleUploadedFile("revision.pdf", body + replaced + update)
    assert AUTHOR.encode() in upload.read()  # the first revision's XMP is still in the bytes
    upload.seek(0)

    anonymous.post(NEW, {**form_data(anonymous), "attachments": [upload]})

    stored = Attachment.objects.get().file.read()
    assert pdf_metadata(stored) == {"info": {}, "keys": set(), "author_named": False}
    assert pdf_content(stored) == [page_text(1), page_text(2)]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: files.encrypted_pdf(password="geheim"), "ist verschlüsselt oder mit einem"),
        (lambda: files.encrypted_pdf(password=""), "ist verschlüsselt oder mit einem"),
        (files.truncated_pdf, "ist beschädigt oder unvollständig"),
    ],
    ids=["password", "protected-without-password", "truncated"],
)
def test_an_encrypted_or_broken_pdf_is_refused_and_nothing_is_stored(
    anonymous, settings, upload, message
):
    data = {**form_data(anonymous), "attachments": [files.pdf("gut.pdf"), upload()]}

    response = anonymous.post(NEW, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()
    assert not media_files(settings)


def test_a_docx_loses_author_editor_title_company_and_custom_properties(anonymous):
    upload = files.docx_with_properties()
    before = zip_entries(upload.read())
    upload.seek(0)
    assert AUTHOR.encode() in before["docProps/core.xml"] + before["docProps/app.xml"]

    anonymous.post(NEW, {**form_data(anonymous), "attachments": [upload]})

    stored = Attachment.objects.get()
    assert stored.content_type.endswith("wordprocessingml.document")
    after = zip_entries(stored.file.read())
    assert list(after) == list(before)  # every part is still there (Word needs them)
    assert not [name for name, data in after.items() if AUTHOR.encode() in data]
    assert b"Musterfrau GmbH" not in after["docProps/app.xml"]
    assert b"TotalTime" not in after["docProps/app.xml"]
    assert after["word/document.xml"] == before["word/document.xml"]


def test_an_odt_loses_its_meta_and_stays_an_odt(anonymous):
    upload = files.odt_with_meta()
    before = zip_entries(upload.read())
    upload.seek(0)
    assert AUTHOR.encode() in before["meta.xml"]

    anonymous.post(NEW, {**form_data(anonymous), "attachments": [upload]})

    stored = Attachment.objects.get()
    assert stored.content_type == "application/vnd.oasis.opendocument.text"
    data = stored.file.read()
    after = zip_entries(data)
    assert list(after) == list(before)
    assert not [name for name, content in after.items() if AUTHOR.encode() in content]
    assert b"editing-duration" not in after["meta.xml"]
    assert b'office:version="1.3"' in after["meta.xml"]
    assert after["content.xml"] == before["content.xml"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the format's rule: mimetype first, raw
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)


# A report to the board ------------------------------------------------------------------------


@pytest.fixture
def board_meeting():
    board = CommitteeFactory(kind=Committee.Kind.ADVISORY_BOARD, slug="digitalbeirat")
    return MeetingFactory(committee=board, public=False)


def post_report(client, meeting, upload):
    return client.post(
        f"/arbeitsplatz/beirat/sitzungen/{meeting.pk}/bericht/",
        {"kind": "digitalisation", "title": "Stand 2021", "upload": upload},
    )


def test_a_board_report_is_stored_without_metadata(triage, board_member, board_meeting):
    upload = files.pdf_with_metadata("bericht.pdf")

    response = post_report(triage, board_meeting, upload)

    assert response.status_code == 302
    report = Report.objects.get()
    download = board_member.get(f"/arbeitsplatz/beirat/berichte/{report.pk}/datei/")
    assert_clean_pdf(b"".join(download.streaming_content), upload)


def test_an_encrypted_board_report_is_refused_and_nothing_is_stored(
    triage, board_meeting, settings
):
    response = post_report(triage, board_meeting, files.encrypted_pdf(password="geheim"))

    assert response.status_code == 200
    assert "ist verschlüsselt oder mit einem Kennwort geschützt" in response.content.decode()
    assert not Report.objects.exists()
    assert not media_files(settings)
