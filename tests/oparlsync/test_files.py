"""The files of mirrored papers: downloaded with the checks of an upload, stored as the paper's
attachments in the source's order, searchable, kept in step with the source (changed, removed,
deleted), and a file that cannot be had reported without stopping the run."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from beirat.council import services as council
from beirat.council.models import Paper, PaperAttachment
from beirat.oparlsync import services
from beirat.oparlsync.client import FetchError, OParlClient
from beirat.oparlsync.models import Source, SyncedObject, SyncRun
from beirat.search import queries as search_queries
from tests.factories.council import pdf_with_text
from tests.oparlsync.server import Answer, OParlTestServer, register_source
from tests.submissions import files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_client")]
STAFF = "/arbeitsplatz/rat"


@pytest.fixture
def server():
    with OParlTestServer() as running:
        running.serve("/", running.example("System-01"))
        running.page("/bodies", [running.example("Body-01")])
        for listed in ("organizations", "persons", "memberships", "meetings"):
            running.page(f"/body/0/{listed}/", [])
        yield running


def _source(server: OParlTestServer) -> Source:
    source: Source = register_source(server)
    return source


def _file(
    server: OParlTestServer, number: int, name: str, modified: str = "2014-01-04T07:54:13+01:00"
) -> dict[str, Any]:
    return {
        "id": server.url(f"/files/{number}"),
        "type": "https://schema.oparl.org/1.1/File",
        "name": name,
        "fileName": f"datei-{number}.pdf",
        "accessUrl": server.url(f"/files/{number}.pdf"),
        "downloadUrl": server.url(f"/files/download/{number}.pdf"),
        "modified": modified,
    }


def _serve_file(server: OParlTestServer, number: int, content: bytes) -> None:
    server.routes[f"/files/download/{number}.pdf"] = Answer(
        200, content, {"Content-Type": "application/pdf"}
    )


def _paper(server: OParlTestServer, main: Any, auxiliary: list[Any]) -> dict[str, Any]:
    paper = server.example("Paper-01")
    del paper["consultation"]
    paper["mainFile"] = main
    paper["auxiliaryFile"] = auxiliary
    return paper


def _downloads(server: OParlTestServer) -> int:
    return sum(count for path, count in server.hits.items() if path.startswith("/files/"))


def test_files_arrive_as_attachments_with_their_text_searchable(server, search_index):
    _serve_file(server, 1, pdf_with_text("Vorlage mit Wasserspielplatz"))
    _serve_file(server, 2, pdf_with_text("Lageplan der Ehrenbreitsteiner Pumpe"))
    server.page(
        "/body/0/papers/",
        [_paper(server, _file(server, 1, "Vorlage"), [_file(server, 2, "Lageplan")])],
    )
    run = services.synchronise(source=_source(server))
    assert run.failed == 0, run.failures

    paper = Paper.objects.get(reference="1234/2014")
    attachments = list(paper.attachments.order_by("order"))
    assert [(a.order, a.title, a.media_type) for a in attachments] == [
        (1, "Vorlage", "application/pdf"),
        (2, "Lageplan", "application/pdf"),
    ]
    assert "Ehrenbreitsteiner" in attachments[1].text
    mapped = SyncedObject.objects.get(oparl_id=server.url("/files/2"))
    assert (mapped.local_model, mapped.local_id) == ("council.paperattachment", attachments[1].pk)

    search_index.sync()
    hits = search_queries.search(AnonymousUser(), "Ehrenbreitsteiner").hits
    assert [hit.reference for hit in hits] == ["1234/2014"]

    # A second, full run downloads nothing: the files' modified is unchanged.
    before = _downloads(server)
    again = services.synchronise(source=Source.objects.get(), full=True)
    assert (again.created, again.changed, again.deleted, again.failed) == (0, 0, 0, 0)
    assert _downloads(server) == before
    assert paper.attachments.count() == 2


def test_changed_removed_and_deleted_files_follow_the_source(server):
    for number in (1, 2, 3):
        _serve_file(server, number, pdf_with_text(f"Erste Fassung {number}"))
    main, second, third = (_file(server, n, f"Anlage {n}") for n in (1, 2, 3))
    server.page("/body/0/papers/", [_paper(server, main, [second, third])])
    source = _source(server)
    services.synchronise(source=source)
    paper = Paper.objects.get(reference="1234/2014")
    old_second = paper.attachments.get(title="Anlage 2")

    # The main file changed; the second vanished from the paper; the third is deleted.
    _serve_file(server, 1, pdf_with_text("Zweite Fassung mit Radweg"))
    changed = {**main, "modified": "2015-02-01T10:00:00+01:00"}
    deleted = {**third, "deleted": True}
    server.page("/body/0/papers/", [_paper(server, changed, [deleted])])
    run = services.synchronise(source=source, full=True)
    assert run.failed == 0, run.failures

    remaining = list(paper.attachments.order_by("order"))
    assert [(a.order, a.title) for a in remaining] == [(1, "Anlage 1")]
    assert "Radweg" in remaining[0].text
    assert not PaperAttachment.objects.filter(pk=old_second.pk).exists()
    forgotten = SyncedObject.objects.get(oparl_id=server.url("/files/2"))
    assert (forgotten.local_id, forgotten.deleted) == (None, True)


def test_a_file_that_cannot_be_had_is_reported_and_the_run_goes_on(server):
    _serve_file(server, 1, pdf_with_text("Gute Anlage"))
    # Declared larger than an upload may be: refused from Content-Length, unread.
    _serve_file(server, 2, b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    _serve_file(server, 3, files.executable().read())
    server.routes["/files/download/4.pdf"] = Answer(404, b"weg")
    first = _paper(
        server,
        _file(server, 1, "Gut"),
        [_file(server, 2, "Zu groß"), _file(server, 3, "Falsch"), _file(server, 4, "Fehlt")],
    )
    other = {"id": server.url("/paper/2"), "name": "Zweite Vorlage", "reference": "2/2014"}
    server.page("/body/0/papers/", [first, other])
    run = services.synchronise(source=_source(server))

    assert run.status == SyncRun.Status.FINISHED
    reasons = {failure["url"]: failure["reason"] for failure in run.failures}
    assert "größer als 10 MB" in reasons[server.url("/files/download/2.pdf")]
    assert "keine PDF-" in reasons[server.url("/files/download/3.pdf")]
    assert "404" in reasons[server.url("/files/download/4.pdf")]
    assert run.failed == 3
    paper = Paper.objects.get(reference="1234/2014")
    assert list(paper.attachments.values_list("title", flat=True)) == ["Gut"]
    assert Paper.objects.filter(reference="2/2014").exists()


def test_the_download_stops_at_the_limit_while_streaming(server):
    # No Content-Length: the limit is found while reading, and nothing beyond it is kept.
    server.routes["/big"] = Answer(200, b"x" * 300_000, declare_length=False)
    client = OParlClient()
    assert len(client.download(server.url("/big"), 300_000)) == 300_000
    with pytest.raises(FetchError, match="größer als"):
        client.download(server.url("/big"), 299_999)


def test_a_huge_declared_file_is_refused_before_it_is_read(server):
    server.routes["/huge"] = Answer(
        200, b"%PDF-1.4", {"Content-Length": str(2 * 1024**3)}, declare_length=False
    )
    with pytest.raises(FetchError, match="größer als 10 MB"):
        OParlClient().download(server.url("/huge"), 10 * 1024 * 1024)


def test_attachments_of_a_mirrored_paper_are_read_only_for_clerks(server, clerk):
    _serve_file(server, 1, pdf_with_text("Gespiegelte Anlage"))
    server.page("/body/0/papers/", [_paper(server, _file(server, 1, "Vorlage"), [])])
    services.synchronise(source=_source(server))
    paper = Paper.objects.get(reference="1234/2014")
    attachment = paper.attachments.get()

    for url in (
        f"{STAFF}/vorlagen/{paper.pk}/anlagen/neu/",
        f"{STAFF}/anlagen/{attachment.pk}/umbenennen/",
        f"{STAFF}/anlagen/{attachment.pk}/entfernen/",
    ):
        response = clerk.get(url)
        assert response.status_code == 302, url
    response = clerk.post(f"{STAFF}/anlagen/{attachment.pk}/entfernen/", {"confirm": "on"})
    assert response.status_code == 302
    response = clerk.post(f"{STAFF}/anlagen/{attachment.pk}/verschieben/", {"direction": "up"})
    assert response.status_code == 302
    assert paper.attachments.get().title == "Vorlage"
    with pytest.raises(ValidationError, match="Ratsinformationssystem"):
        council.rename_attachment(attachment=attachment, title="Neu", actor=None)
    with pytest.raises(ValidationError, match="Ratsinformationssystem"):
        council.remove_attachment(attachment=attachment, actor=None)


def _numbered_paper(server: OParlTestServer, number: int) -> dict[str, Any]:
    paper = _paper(server, _file(server, number, f"Vorlage {number}"), [])
    paper["id"] = server.url(f"/paper/{number}")
    paper["reference"] = f"{number:04d}/2014"
    return paper


def test_files_read_ahead_of_the_store_all_arrive_intact(server):
    # Three pages of papers with a PDF each: the next page's files are read (and checked with
    # pdfium) in the reading thread while the store extracts the last page's texts with pdfium.
    # pdfium is not thread-safe: before one lock guarded every use, about half of such files
    # were refused as broken ("Failed to load page").
    for number in range(1, 61):
        _serve_file(server, number, pdf_with_text(f"Wasserspielplatz Nummer {number}"))
    pages = [range(1, 21), range(21, 41), range(41, 61)]
    for index, numbers in enumerate(pages):
        server.page(
            "/body/0/papers/" if index == 0 else f"/body/0/papers/{index}",
            [_numbered_paper(server, number) for number in numbers],
            f"/body/0/papers/{index + 1}" if index < 2 else None,
        )
    run = services.synchronise(source=_source(server))
    assert run.failed == 0, run.failures[:3]
    texts = dict(PaperAttachment.objects.values_list("paper__reference", "text"))
    assert len(texts) == 60
    assert all(f"Nummer {int(reference[:4])}" in text for reference, text in texts.items())
    # Each file once: the reading thread's download is the one the store used.
    assert _downloads(server) == 60


def test_a_mirrored_papers_pdf_is_rendered_when_asked_for_not_queued(server, monkeypatch, client):
    # A first sync of a whole council system would queue one rendering per paper.
    from beirat.council import services as council_services

    queued: list[object] = []
    monkeypatch.setattr(
        council_services, "enqueue_on_commit", lambda task, *args: queued.append(task)
    )
    _serve_file(server, 1, pdf_with_text("Vorlage mit Wasserspielplatz"))
    server.page("/body/0/papers/", [_paper(server, _file(server, 1, "Vorlage"), [])])
    run = services.synchronise(source=_source(server))
    assert run.failed == 0, run.failures
    assert council_services.render_paper_pdf not in queued

    paper = Paper.objects.get(reference="1234/2014")
    response = client.get(f"/vorlagen/{paper.reference.replace('/', '-')}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_an_unexpected_error_in_a_file_fails_its_paper_not_the_run(server, monkeypatch):
    # The reading thread leaves such a file to the store, which reports it with its paper.
    from beirat.core import uploads

    checked = uploads.check_file

    def check(upload):
        if "datei-2" in upload.name:
            raise RuntimeError("Prüfung abgestürzt")
        return checked(upload)

    monkeypatch.setattr(uploads, "check_file", check)
    for number in (1, 2, 3):
        _serve_file(server, number, pdf_with_text(f"Anlage {number}"))
    server.page("/body/0/papers/", [_numbered_paper(server, number) for number in (1, 2, 3)])
    run = services.synchronise(source=_source(server))
    assert run.status == SyncRun.Status.FINISHED
    assert [failure["reason"] for failure in run.failures] == ["Prüfung abgestürzt"]
    assert set(Paper.objects.values_list("reference", flat=True)) == {"0001/2014", "0003/2014"}


def test_a_file_renamed_at_the_source_takes_its_new_title_without_a_download(server):
    from beirat.core.models import AuditEntry

    _serve_file(server, 1, pdf_with_text("Vorlage"))
    server.page("/body/0/papers/", [_paper(server, _file(server, 1, "Vorlage"), [])])
    source = _source(server)
    services.synchronise(source=source)
    before = _downloads(server)

    renamed = {**_file(server, 1, "Beschlussvorlage (Endfassung)")}
    paper_data = _paper(server, renamed, [])
    paper_data["modified"] = "2015-03-01T09:00:00+01:00"  # the paper is read again
    server.page("/body/0/papers/", [paper_data])
    run = services.synchronise(source=source, full=True)
    assert run.failed == 0, run.failures

    attachment = PaperAttachment.objects.get()
    assert attachment.title == "Beschlussvorlage (Endfassung)"
    assert _downloads(server) == before
    entry = AuditEntry.objects.filter(action="paper_attachment.mirrored").latest("pk")
    assert entry.changes["title"] == {
        "before": "Vorlage",
        "after": "Beschlussvorlage (Endfassung)",
    }


def test_a_paper_that_fails_after_its_file_leaves_no_mapping_of_it(server, monkeypatch):
    # A page's mappings are written together at its end: the file of a paper that failed
    # afterwards was rolled back with it and must not be among them, naming a lost attachment.
    from beirat.oparlsync.engine import Synchronisation

    remember = Synchronisation._remember
    broken = server.url("/paper/2")

    def failing(self, oparl_id, *args, **kwargs):
        if oparl_id == broken:
            raise RuntimeError("Speichern abgestürzt")
        return remember(self, oparl_id, *args, **kwargs)

    monkeypatch.setattr(Synchronisation, "_remember", failing)
    for number in (1, 2, 3):
        _serve_file(server, number, pdf_with_text(f"Anlage {number}"))
    server.page("/body/0/papers/", [_numbered_paper(server, number) for number in (1, 2, 3)])
    source = _source(server)
    run = services.synchronise(source=source)
    assert [failure["reason"] for failure in run.failures] == ["Speichern abgestürzt"]
    assert not SyncedObject.objects.filter(oparl_id=server.url("/files/2")).exists()
    assert PaperAttachment.objects.count() == 2
    for number in (1, 3):
        mapped = SyncedObject.objects.get(oparl_id=server.url(f"/files/{number}"))
        attachment = PaperAttachment.objects.get(pk=mapped.local_id)
        assert attachment.paper.reference == f"{number:04d}/2014"

    monkeypatch.setattr(Synchronisation, "_remember", remember)
    again = services.synchronise(source=Source.objects.get(), full=True)
    assert again.failed == 0, again.failures
    mapped = SyncedObject.objects.get(oparl_id=server.url("/files/2"))
    assert PaperAttachment.objects.get(pk=mapped.local_id).paper.reference == "0002/2014"


def test_values_the_database_would_refuse_fail_their_object_not_the_page(server):
    # A page's mappings are written at its end: an id too long for its column must fail its
    # own object then and there (PostgreSQL would refuse the whole page's insert, SQLite not).
    papers = [_numbered_paper(server, number) for number in (1, 2, 3)]
    papers[1]["id"] = server.url("/paper/2?lang=" + "x" * 1100)
    papers[2]["web"] = server.url("/vorlage/3?" + "y" * 1500)
    papers[2]["modified"] = "2014-01-04T07:54:13+01:00\x00"
    for number in (1, 2, 3):
        _serve_file(server, number, pdf_with_text(f"Anlage {number}"))
    server.page("/body/0/papers/", papers)
    run = services.synchronise(source=_source(server))
    assert run.status == SyncRun.Status.FINISHED
    assert [failure["url"] for failure in run.failures] == [papers[1]["id"]]
    assert "zu lang" in run.failures[0]["reason"]
    assert set(Paper.objects.values_list("reference", flat=True)) == {"0001/2014", "0003/2014"}
    third = SyncedObject.objects.get(oparl_id=server.url("/paper/3"))
    assert len(third.web) == 1000
    assert third.modified == "2014-01-04T07:54:13+01:00"


def test_a_page_whose_mappings_cannot_be_written_ends_the_run_with_the_reason(server, monkeypatch):
    from django.db import DatabaseError
    from django.db.models.query import QuerySet

    bulk_create = QuerySet.bulk_create

    def refusing(self, objects, *args, **kwargs):
        if self.model is SyncedObject:
            raise DatabaseError("Platte voll")
        return bulk_create(self, objects, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", refusing)
    _serve_file(server, 1, pdf_with_text("Anlage 1"))
    server.page("/body/0/papers/", [_numbered_paper(server, 1)])
    run = services.synchronise(source=_source(server))
    assert run.status == SyncRun.Status.FAILED
    assert "Platte voll" in run.message
    assert not Paper.objects.exists()  # the page went back as a whole


def test_mappings_are_written_where_inserts_return_no_ids_too(server, monkeypatch):
    # SQLite before 3.35 returns no ids from a bulk insert; a mapping changed again later in
    # the run needs its id, so each new one is saved on its own there.
    from django.db import connection

    from beirat.oparlsync.engine import Synchronisation

    monkeypatch.setattr(
        type(connection.features), "can_return_rows_from_bulk_insert", property(lambda _: False)
    )
    write_pending = Synchronisation._write_pending
    written: list[SyncedObject] = []

    def keeping(self):
        written.extend(self.pending.values())
        write_pending(self)

    monkeypatch.setattr(Synchronisation, "_write_pending", keeping)
    _serve_file(server, 1, pdf_with_text("Anlage 1"))
    server.page("/body/0/papers/", [_numbered_paper(server, 1)])
    run = services.synchronise(source=_source(server))
    assert run.failed == 0, run.failures
    assert written
    assert all(stored.pk is not None for stored in written)
    mapped = SyncedObject.objects.get(oparl_id=server.url("/files/1"))
    assert PaperAttachment.objects.get(pk=mapped.local_id).paper.reference == "0001/2014"
