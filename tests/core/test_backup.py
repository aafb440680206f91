"""Backup and restore (docs/backup.md): a round trip of the demo on the configured database,
compared by row counts, file hashes and public pages byte for byte; and a damaged backup that is
refused before anything is changed.

pg_dump sees only committed rows and pg_restore waits for the locks of an open transaction, so
these tests commit (``transaction=True``), on SQLite too, where the backup API reads and writes
pytest-django's in-memory database through Django's own connection.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from beirat.core.models import AuditEntry
from beirat.core.roles import Role
from beirat.council.models import Paper
from beirat.submissions.models import Submission
from tests.core.test_retention import erase_by_code, with_attachment
from tests.factories.submissions import SubmissionFactory
from tests.oparl.test_crawl import load_demo

pytestmark = pytest.mark.django_db(transaction=True)

# What differs from one response to the next by design: CSRF tokens, the signed token of public
# forms, CSP nonces.
PER_RESPONSE = re.compile(
    rb'(name="csrfmiddlewaretoken" value="|name="issued" value="|nonce=")[^"]*"'
)


def create_role_groups() -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db) -> None:
    """A transactional test that ran before emptied every table, the groups of migration 0002 too
    (the demo gives its people roles)."""
    create_role_groups()


@pytest.fixture(autouse=True, scope="module")
def _role_groups_afterwards(django_db_setup, django_db_blocker):
    """After the last flush of this module, leave the database as migrated, groups included."""
    yield
    with django_db_blocker.unblock():
        create_role_groups()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def media_files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def sample_pages(paper: Paper, submission: Submission) -> dict[str, bytes]:
    """Public pages, the official PDF (served from its stored file) and OParl, as bytes."""
    client = Client()
    urls = [
        "/",
        paper.get_absolute_url(),
        f"{paper.get_absolute_url()}pdf/",
        "/vorlagen/",
        "/beirat/",
        "/empfehlungen/",
        "/eingaben/neu/",
        f"/eingaben/{submission.tracking_code}/",
        "/oparl/v1/bodies",
        f"/oparl/v1/paper/{paper.pk}",
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = PER_RESPONSE.sub(rb"\1", response.content)
    return pages


def run(command: str, *arguments: str) -> str:
    out = io.StringIO()
    call_command(command, *arguments, stdout=out)
    return out.getvalue()


def test_restore_brings_back_every_row_file_and_page_byte_for_byte(tmp_path):
    load_demo()
    paper = Paper.objects.get(reference="AF/0013/2021")
    submission = Submission.objects.order_by("pk").first()
    attachment = with_attachment(submission)
    pages = sample_pages(paper, submission)  # renders and stores the paper's PDF, too
    rows = row_counts()
    files = media_files()
    assert attachment.file.name in files
    assert any(name.startswith(f"vorlagen-pdf/{paper.pk}/") for name in files)
    assert b"%PDF-" in pages[f"{paper.get_absolute_url()}pdf/"][:8]
    assert any(PER_RESPONSE.search(page) for page in pages.values())  # the sub has work to do

    report = run("backup", str(tmp_path / "backup"))

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == files
    assert manifest["tables"]["council_paper"] == rows["council.Paper"]
    assert manifest["tables"]["core_user_groups"] == rows["core.User_groups"]
    assert "Sicherung vollständig" in report

    # Everything damaged: rows changed, deleted and added; files deleted, altered and added.
    Paper.objects.filter(pk=paper.pk).update(name="Nach der Sicherung überschrieben")
    Submission.objects.all().delete()
    AuditEntry.objects.all().delete()
    Group.objects.create(name="nach der Sicherung")
    Path(attachment.file.path).unlink()
    pdf = next(Path(settings.MEDIA_ROOT).glob(f"vorlagen-pdf/{paper.pk}/*.pdf"))
    pdf.write_bytes(b"%PDF- kaputt")
    (Path(settings.MEDIA_ROOT) / "nach-der-sicherung.txt").write_text("neu")
    submission_after = SubmissionFactory()  # the tracking page of the old one is gone
    assert row_counts() != rows
    assert media_files() != files
    assert sample_pages(paper, submission_after) != pages

    report = run("restore", str(tmp_path / "backup"), "--yes")

    assert row_counts() == rows
    assert media_files() == files
    assert sample_pages(paper, submission) == pages
    assert "Entfernt, weil nicht in der Sicherung: 1." in report
    assert "Geprüft: Zeilen jeder Tabelle und sha256 jeder Datei stimmen" in report
    assert "Löschungen auf Antrag erneut angewandt: 0" in report


def attachment_in(folder: Path) -> Path:
    return next((folder / "media" / "submissions").iterdir())


def alter_database_file(folder: Path) -> None:
    with next(folder.glob("database.*")).open("ab") as database:
        database.write(b"\0")


DAMAGES = {
    "altered file": lambda folder: attachment_in(folder).write_bytes(b"%PDF-anders"),
    "missing file": lambda folder: attachment_in(folder).unlink(),
    "unlisted file": lambda folder: (folder / "media" / "untergeschoben.pdf").write_bytes(b"x"),
    "altered database": alter_database_file,
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path, damage):
    attachment = with_attachment(SubmissionFactory())
    folder = tmp_path / "backup"
    run("backup", str(folder))
    assert attachment_in(folder).name == Path(attachment.file.name).name
    Group.objects.create(name="nach der Sicherung")
    Path(attachment.file.path).write_bytes(b"%PDF-neuer")
    DAMAGES[damage](folder)
    rows = row_counts()
    files = media_files()

    with pytest.raises(CommandError, match="nichts wurde verändert") as refused:
        run("restore", str(folder), "--yes")

    assert refused.value.returncode == 1  # manage.py exits with it
    assert row_counts() == rows
    assert media_files() == files


def test_the_same_backup_restores_once_it_is_whole_again(tmp_path):
    """The positive control of the test above: the backup it damages restores when undamaged."""
    attachment = with_attachment(SubmissionFactory())
    folder = tmp_path / "backup"
    run("backup", str(folder))
    original = attachment_in(folder).read_bytes()
    attachment_in(folder).write_bytes(b"%PDF-anders")
    with pytest.raises(CommandError, match="verändert"):
        run("restore", str(folder), "--yes")

    attachment_in(folder).write_bytes(original)
    Path(attachment.file.path).write_bytes(b"%PDF-neuer")
    run("restore", str(folder), "--yes")

    assert Path(attachment.file.path).read_bytes() == original


def test_restore_reports_a_result_that_differs_from_the_manifest(tmp_path):
    """As if the dump had lost a row: the check after the restore counts every table again."""
    SubmissionFactory()
    folder = tmp_path / "backup"
    run("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"]["submissions_submission"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="weichen von der Sicherung ab") as reported:
        run("restore", str(folder), "--yes")

    assert "Tabelle submissions_submission: 1 Zeilen statt 2." in str(reported.value)


def test_restore_applies_an_erasure_made_after_the_backup_again(tmp_path, anonymous):
    submission = SubmissionFactory()
    run("backup", str(tmp_path / "backup"))
    erase_by_code(anonymous, submission)
    submission.refresh_from_db()
    assert submission.submitter_email == ""

    report = run("restore", str(tmp_path / "backup"), "--yes")

    submission.refresh_from_db()
    assert (submission.submitter_name, submission.submitter_email) == ("", "")
    assert "Löschungen auf Antrag erneut angewandt: 1 (von 1 im Verzeichnis)" in report


def test_restore_without_retention_brings_erased_data_back_and_says_what_to_run(
    tmp_path, anonymous
):
    """The control of the test above: the restore itself does bring the erased data back."""
    submission = SubmissionFactory()
    run("backup", str(tmp_path / "backup"))
    erase_by_code(anonymous, submission)

    with pytest.raises(CommandError, match=r"unbedingt manage\.py apply_retention ausführen"):
        run("restore", str(tmp_path / "backup"), "--yes", "--no-retention")

    submission.refresh_from_db()
    assert submission.submitter_email == "erika@example.org"


def test_restore_of_a_backup_older_than_the_code_asks_for_migrate_before_retention(tmp_path):
    recorder = MigrationRecorder(connection)
    app, name = MigrationLoader(connection).graph.leaf_nodes()[-1]  # the backup predates it
    recorder.record_unapplied(app, name)
    try:
        run("backup", str(tmp_path / "backup"))

        with pytest.raises(CommandError, match="fehlt 1 Migration") as told:
            run("restore", str(tmp_path / "backup"), "--yes")
    finally:
        recorder.record_applied(app, name)  # django_migrations is no model: no flush empties it

    assert "manage.py migrate und danach manage.py apply_retention" in str(told.value)


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "alt.txt").write_text("eine ältere Sicherung")

    with pytest.raises(CommandError, match="ist nicht leer"):
        run("backup", str(tmp_path))

    assert [path.name for path in tmp_path.iterdir()] == ["alt.txt"]


def test_backup_refuses_a_folder_inside_the_uploaded_files(settings):
    with pytest.raises(CommandError, match="liegt in MEDIA_ROOT"):
        run("backup", str(Path(settings.MEDIA_ROOT) / "sicherung"))

    assert not (Path(settings.MEDIA_ROOT) / "sicherung").exists()


def test_restore_without_yes_changes_nothing_when_the_answer_is_no(tmp_path, monkeypatch):
    with_attachment(SubmissionFactory())
    run("backup", str(tmp_path / "backup"))
    Group.objects.create(name="nach der Sicherung")
    rows = row_counts()
    monkeypatch.setattr("builtins.input", lambda prompt: "nein")

    with pytest.raises(CommandError, match="Abgebrochen"):
        run("restore", str(tmp_path / "backup"))

    assert row_counts() == rows


def test_a_folder_without_manifest_is_no_backup(tmp_path):
    (tmp_path / "database.sqlite3").write_bytes(b"")

    with pytest.raises(CommandError, match=r"keine manifest\.json"):
        run("restore", str(tmp_path), "--yes")
