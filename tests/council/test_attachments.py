"""Attachments (Anlagen) of council papers: the clerk's upload, order, titles and removal, and
where they appear: the paper page, the download, the official PDF, the search and OParl."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from beirat.core.audit import history_of
from beirat.core.uploads import CheckedFile
from beirat.council import services
from beirat.council.models import Paper, PaperAttachment
from beirat.council.pdf import paper_pdf
from beirat.search import queries as search_queries
from tests.council.test_pdf import _poppler
from tests.factories.council import (
    PaperAttachmentFactory,
    PaperFactory,
    PublishedPaperFactory,
    pdf_with_text,
)
from tests.submissions import files

pytestmark = pytest.mark.django_db
STAFF = "/arbeitsplatz/rat"
OPARL = "/oparl/v1"


def _upload(text="Lageplan mit Wasserspielplatz", name="lageplan.pdf"):
    return SimpleUploadedFile(name, pdf_with_text(text), content_type="application/pdf")


def _add(client, paper, title="Lageplan", upload=None):
    return client.post(
        f"{STAFF}/vorlagen/{paper.pk}/anlagen/neu/",
        {"title": title, "upload": upload or _upload()},
    )


def _stored_files() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "vorlagen-anlagen"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def _page(client, url) -> str:
    return client.get(url).content.decode()


# The clerk's workplace ------------------------------------------------------------------------


def test_the_clerk_adds_an_attachment_which_is_checked_stripped_read_and_audited(clerk):
    paper = PublishedPaperFactory()
    upload = files.pdf_with_metadata("lageplan.pdf")

    response = _add(clerk, paper, title="  Lageplan   Spielplatz ", upload=upload)

    assert response.status_code == 302
    assert response["Location"] == f"{STAFF}/vorlagen/{paper.pk}/#anlagen"
    attachment = PaperAttachment.objects.get()
    assert (attachment.title, attachment.order) == ("Lageplan Spielplatz", 1)
    assert (attachment.media_type, attachment.file_name) == ("application/pdf", "lageplan.pdf")
    stored = attachment.file.read()
    assert attachment.size == len(stored)
    assert files.AUTHOR.encode() not in stored  # the metadata went
    assert "Spielplatz, Seite 1" in attachment.text  # the words are kept for the search
    [entry] = [e for e in history_of(attachment) if e.action == "paper_attachment.added"]
    assert entry.changes["title"]["after"] == "Lageplan Spielplatz"
    assert "text" not in entry.changes  # the file's content stays out of the audit trail
    page = _page(clerk, f"{STAFF}/vorlagen/{paper.pk}/")
    assert "Lageplan Spielplatz" in page
    assert f"{STAFF}/anlagen/{attachment.pk}/datei/" in page


def test_the_text_of_an_office_file_is_read_and_of_an_image_none(clerk):
    paper = PublishedPaperFactory()
    word = SimpleUploadedFile(
        "plan.docx",
        files.docx(
            payload=b'<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>Kosten&amp;plan</w:t>'
            b"</w:r></w:p><w:p><w:r><w:t>Bauabschnitt</w:t></w:r></w:p></w:body></w:document>"
        ).read(),
    )
    _add(clerk, paper, title="Kostenplan", upload=word)
    _add(clerk, paper, title="Foto", upload=files.png_with_metadata())

    docx, png = PaperAttachment.objects.order_by("order")
    assert docx.text == "Kosten&plan\nBauabschnitt"
    assert (png.media_type, png.text) == ("image/png", "")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: files.executable("plan.pdf"), "ist keine PDF-, PNG-, JPEG-, ODT- oder DOCX-Datei"),
        (lambda: files.zip_bomb("plan.docx"), "ist entpackt ungewöhnlich groß"),
        (lambda: files.encrypted_pdf("plan.pdf"), "ist verschlüsselt oder mit einem Kennwort"),
        (lambda: files.huge_png("plan.png"), "hat mehr als 40 Megapixel"),
        (
            lambda: SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)),
            "ist größer als 10 MB",
        ),
        (lambda: SimpleUploadedFile("leer.pdf", b""), "Die übertragene Datei ist leer."),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_stored(clerk, upload, message):
    paper = PublishedPaperFactory()
    before = paper.modified_at

    response = _add(clerk, paper, title="Anlage", upload=upload())

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PaperAttachment.objects.exists()
    assert _stored_files() == []
    paper.refresh_from_db()
    assert paper.modified_at == before


def test_an_empty_title_is_refused_and_nothing_is_stored(clerk):
    paper = PublishedPaperFactory()
    response = _add(clerk, paper, title="   ")
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not PaperAttachment.objects.exists()
    assert _stored_files() == []
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError, match="Titel"):
        services.add_attachment(
            paper=paper,
            title=" ",
            upload=CheckedFile("a.pdf", "application/pdf", pdf_with_text("x")),
            actor=None,
        )
    assert _stored_files() == []


def test_a_file_store_that_refuses_leaves_neither_file_nor_row(clerk, monkeypatch):
    paper = PublishedPaperFactory()
    storage = PaperAttachment._meta.get_field("file").storage

    def full_disk(name, content, max_length=None):
        Path(storage.path(name)).parent.mkdir(parents=True, exist_ok=True)
        Path(storage.path(name)).write_bytes(b"%PDF-half")  # part of the file was written
        raise OSError("No space left on device")

    monkeypatch.setattr(storage, "save", full_disk)
    response = _add(clerk, paper)

    assert "ließ sich gerade nicht speichern; es wurde nichts angefügt" in (
        response.content.decode()
    )
    assert not PaperAttachment.objects.exists()
    assert _stored_files() == []


def test_the_clerk_renames_moves_and_removes_attachments_each_audited(
    clerk, django_capture_on_commit_callbacks
):
    paper = PublishedPaperFactory()
    for title in ("Erste", "Zweite", "Dritte"):
        _add(clerk, paper, title=title)
    first, second, third = PaperAttachment.objects.order_by("order")

    clerk.post(f"{STAFF}/anlagen/{second.pk}/umbenennen/", {"title": "Kostenplan"})
    clerk.post(f"{STAFF}/anlagen/{third.pk}/verschieben/", {"direction": "up"})
    clerk.post(f"{STAFF}/anlagen/{first.pk}/verschieben/", {"direction": "up"})  # already first

    titles = list(PaperAttachment.objects.order_by("order").values_list("title", "order"))
    assert titles == [("Erste", 1), ("Dritte", 2), ("Kostenplan", 3)]

    # Removing asks first, and a POST without the tick removes nothing.
    page = _page(clerk, f"{STAFF}/anlagen/{first.pk}/entfernen/")
    assert "Anlage „Erste“ entfernen?" in page
    assert "Dieser Schritt lässt sich nicht rückgängig machen" in page
    clerk.post(f"{STAFF}/anlagen/{first.pk}/entfernen/", {})
    assert PaperAttachment.objects.count() == 3
    stored_name = PaperAttachment.objects.get(pk=first.pk).file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(f"{STAFF}/anlagen/{first.pk}/entfernen/", {"confirm": "on"})
    assert response["Location"] == f"{STAFF}/vorlagen/{paper.pk}/#anlagen"
    assert not default_storage.exists(stored_name)
    titles = list(PaperAttachment.objects.order_by("order").values_list("title", "order"))
    assert titles == [("Dritte", 1), ("Kostenplan", 2)]  # numbered again without a gap

    actions = {entry.action: entry.changes for entry in history_of(second)}
    assert actions["paper_attachment.renamed"] == {
        "title": {"before": "Zweite", "after": "Kostenplan"}
    }
    assert {e.action for e in history_of(third)} >= {"paper_attachment.moved"}
    assert [e.changes["order"] for e in history_of(third) if e.action.endswith("moved")] == [
        {"before": 3, "after": 2}
    ]
    removed = [e for e in history_of(first) if e.action == "paper_attachment.removed"]
    assert removed[0].changes["title"] == {"before": "Erste", "after": None}
    assert removed[0].actor.username == "clerk"


def test_an_attachment_change_renders_a_new_official_pdf(clerk):
    paper = PublishedPaperFactory()
    before = Paper.objects.get(pk=paper.pk).modified_at
    _add(clerk, paper, title="Lageplan")
    assert Paper.objects.get(pk=paper.pk).modified_at > before


def test_only_the_council_office_reaches_the_attachment_pages(no_role, office, triage):
    attachment = PaperAttachmentFactory()
    for client in (no_role, office, triage):
        assert client.get(f"{STAFF}/anlagen/{attachment.pk}/datei/").status_code == 404
        assert _add(client, attachment.paper).status_code == 404
    assert PaperAttachment.objects.count() == 1


# Public with the paper ------------------------------------------------------------------------


def test_the_paper_page_lists_attachments_which_download_safely(anonymous):
    attachment = PaperAttachmentFactory(title="Lageplan Spielplatz")
    paper = attachment.paper
    url = f"/vorlagen/{paper.reference_slug}/anlagen/{attachment.pk}/"

    page = _page(anonymous, paper.get_absolute_url())
    assert "Anlagen" in page
    assert "Lageplan Spielplatz" in page
    assert f'href="{url}"' in page
    assert "(PDF, " in page

    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{paper.reference_slug}-anlage-{attachment.order}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_page_without_attachments_says_nothing_of_them(anonymous):
    paper = PublishedPaperFactory()
    assert "Anlagen" not in _page(anonymous, paper.get_absolute_url())


@pytest.mark.parametrize(
    "hidden",
    [
        {"public": False},
        {"status": Paper.Status.REGISTERED},
        {"status": Paper.Status.WITHDRAWN},
    ],
)
def test_an_attachment_of_a_paper_that_is_not_public_is_not_downloadable(anonymous, hidden):
    attachment = PaperAttachmentFactory(paper=PublishedPaperFactory(**hidden))
    url = f"/vorlagen/{attachment.paper.reference_slug}/anlagen/{attachment.pk}/"
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(f"{OPARL}/file/a{attachment.pk}").status_code == 404
    assert anonymous.get(f"{OPARL}/file/a{attachment.pk}/download").status_code == 404


def test_an_attachment_is_found_only_under_its_own_paper(anonymous):
    attachment = PaperAttachmentFactory()
    other = PublishedPaperFactory()
    url = f"/vorlagen/{other.reference_slug}/anlagen/{attachment.pk}/"
    assert anonymous.get(url).status_code == 404


def test_the_official_pdf_lists_the_attachments_in_order(tmp_path):
    paper = PublishedPaperFactory()
    PaperAttachmentFactory(paper=paper, order=2, title="Kostenaufstellung")
    PaperAttachmentFactory(paper=paper, order=1, title="Lageplan Spielplatz")
    target = tmp_path / "paper.pdf"
    target.write_bytes(paper_pdf(paper))
    text = _poppler("pdftotext", "-layout", "-enc", "UTF-8", str(target), "-")
    assert "Anlagen:" in text
    assert text.index("Lageplan Spielplatz") < text.index("Kostenaufstellung")


def test_the_official_pdf_of_a_paper_without_attachments_has_no_such_section(tmp_path):
    target = tmp_path / "paper.pdf"
    target.write_bytes(paper_pdf(PublishedPaperFactory()))
    text = _poppler("pdftotext", "-enc", "UTF-8", str(target), "-")
    assert "Anlagen" not in text


# Search ---------------------------------------------------------------------------------------


def test_a_word_only_in_an_attachment_finds_the_paper(clerk, search_index):
    public = PublishedPaperFactory(name="Spielplätze in Lützel")
    hidden = PublishedPaperFactory(name="Spielplätze in Metternich", public=False)
    _add(clerk, public, upload=_upload("Die Wasserpumpe kommt aus Ehrenbreitstein"))
    _add(clerk, hidden, upload=_upload("Die Wasserpumpe kommt aus Ehrenbreitstein"))
    search_index.sync()

    anonymous_hits = search_queries.search(AnonymousUser(), "Wasserpumpe").hits
    assert [hit.reference for hit in anonymous_hits] == [public.reference]
    assert search_queries.search(AnonymousUser(), "Lageplan").total == 1  # the title counts too

    # Removed: the word no longer finds the paper.
    services.remove_attachment(attachment=public.attachments.get(), actor=None)
    search_index.sync()
    assert search_queries.search(AnonymousUser(), "Wasserpumpe").total == 0


# OParl ----------------------------------------------------------------------------------------


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return json.loads(response.content)


def test_oparl_serves_attachments_as_the_papers_auxiliary_files(anonymous):
    paper = PublishedPaperFactory()
    second = PaperAttachmentFactory(paper=paper, order=2, title="Kostenaufstellung")
    first = PaperAttachmentFactory(paper=paper, order=1, title="Lageplan")
    base = settings.BEIRAT_SITE_URL + OPARL

    payload = _json(anonymous, f"{OPARL}/paper/{paper.pk}")

    assert payload["mainFile"]["id"] == f"{base}/file/{paper.pk}"  # as existing clients know it
    assert [item["id"] for item in payload["auxiliaryFile"]] == [
        f"{base}/file/a{first.pk}",
        f"{base}/file/a{second.pk}",
    ]
    served = _json(anonymous, f"{OPARL}/file/a{first.pk}")
    assert served == payload["auxiliaryFile"][0]
    assert served["type"] == "https://schema.oparl.org/1.1/File"
    assert served["name"] == "Lageplan"
    assert served["mimeType"] == "application/pdf"
    assert served["size"] == first.size
    assert served["paper"] == [f"{base}/paper/{paper.pk}"]
    assert served["downloadUrl"] == f"{base}/file/a{first.pk}/download"

    download = anonymous.get(f"{OPARL}/file/a{first.pk}/download")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content == first.file.open("rb").read()
    # The official PDF keeps its key and its download.
    official = anonymous.get(f"{OPARL}/file/{paper.pk}/download")
    assert official["Content-Type"] == "application/pdf"
    assert official.content.startswith(b"%PDF-")


@pytest.mark.parametrize("key", ["a", "ab", "x1", "a-1", "1a", "aa1", "a99999"])
def test_a_malformed_or_unknown_file_key_answers_404(anonymous, key):
    PaperAttachmentFactory()
    assert anonymous.get(f"{OPARL}/file/{key}").status_code == 404
    assert anonymous.get(f"{OPARL}/file/{key}/download").status_code == 404


def test_the_file_list_pages_through_official_pdfs_then_attachments(anonymous):
    papers = [PublishedPaperFactory() for _ in range(2)]
    hidden = PaperAttachmentFactory(paper=PaperFactory(), title="Geheim")
    attachments = [PaperAttachmentFactory(paper=papers[0]) for _ in range(2)]
    body = papers[0].body_id
    url = f"{OPARL}/body/{body}/file?limit=2"
    seen = []
    while url:
        page = _json(anonymous, url)
        seen += [item["id"].rsplit("/", 1)[1] for item in page["data"]]
        url = page["links"].get("next", "").removeprefix(settings.BEIRAT_SITE_URL)
    expected = [str(p.pk) for p in papers] + [f"a{a.pk}" for a in attachments]
    assert seen == expected
    assert f"a{hidden.pk}" not in seen


def test_oparl_leaves_out_the_attachments_of_a_withdrawn_paper(anonymous):
    attachment = PaperAttachmentFactory()
    paper = attachment.paper
    services.withdraw_paper(paper=paper, actor=None)
    payload = _json(anonymous, f"{OPARL}/paper/{paper.pk}")
    assert payload["deleted"] is True
    assert "auxiliaryFile" not in payload
    assert anonymous.get(f"{OPARL}/file/a{attachment.pk}").status_code == 404
