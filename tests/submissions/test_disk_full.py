"""A full disk while a submission is stored: a clear message, nothing half-stored, and the same
process stores files again once there is room (benchmarks/faults.py does this on a real tmpfs)."""

import errno
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage

from beirat.core.models import AuditEntry, OutboxMail
from beirat.submissions.models import Attachment, Event, Submission
from tests.factories.submissions import SubmissionFactory
from tests.submissions import files
from tests.submissions.test_intake import NEW, form_data
from tests.submissions.test_tracking import url

pytestmark = pytest.mark.django_db

PDF_SIZE = files.pdf().size
NOT_STORED = "Ihre Anhänge konnten gerade nicht gespeichert werden, deshalb ist nichts eingegangen."


class SmallDisk(FileSystemStorage):
    """A file store with room for ``capacity`` bytes. The write that does not fit stores the part
    that fits and then fails with ENOSPC, as a write to a full file system does."""

    def __init__(self, *, capacity: int, **kwargs):
        super().__init__(**kwargs)
        self.capacity = capacity

    def _save(self, name, content):
        data = content.read()
        root = Path(self.location)
        used = sum(path.stat().st_size for path in root.rglob("*") if path.is_file())
        room = max(self.capacity - used, 0)
        if len(data) <= room:
            return super()._save(name, ContentFile(data))
        super()._save(name, ContentFile(data[:room]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.path(name))


@pytest.fixture
def small_disk(settings, tmp_path):
    """Room for one of the test PDFs, not for two."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.SmallDisk",
            "OPTIONS": {"capacity": PDF_SIZE + PDF_SIZE // 2, "location": tmp_path / "media"},
        },
    }
    return tmp_path / "media"


def stored_files(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def test_a_full_disk_refuses_the_submission_with_a_clear_message_and_keeps_nothing(
    anonymous, small_disk, django_capture_on_commit_callbacks
):
    data = {**form_data(anonymous), "attachments": [files.pdf("a.pdf"), files.pdf("b.pdf")]}

    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(NEW, data)

    assert response.status_code == 503
    assert NOT_STORED in response.content.decode()
    assert response.context["form"]["title"].value() == "Parkplatz-App"  # the text stays
    assert stored_files(small_disk) == []  # neither the first file nor the part of the second
    assert (Submission.objects.count(), Attachment.objects.count()) == (0, 0)
    assert (OutboxMail.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_once_there_is_room_again_the_same_process_stores_attachments(anonymous, small_disk):
    data = {**form_data(anonymous), "attachments": [files.pdf("a.pdf"), files.pdf("b.pdf")]}
    assert anonymous.post(NEW, data).status_code == 503

    default_storage.capacity = 10 * PDF_SIZE  # space freed, no restart
    data = {**form_data(anonymous), "attachments": [files.pdf("a.pdf"), files.pdf("b.pdf")]}
    response = anonymous.post(NEW, data)

    submission = Submission.objects.get()
    assert response.status_code == 302
    assert sorted(a.name for a in submission.attachments.all()) == ["a.pdf", "b.pdf"]
    stored = [Path(a.file.path) for a in submission.attachments.all()]
    assert sorted(stored) == stored_files(small_disk)
    assert [path.stat().st_size for path in stored] == [PDF_SIZE, PDF_SIZE]


def test_a_full_disk_refuses_added_information_and_keeps_nothing(anonymous, small_disk):
    submission = SubmissionFactory()
    token = anonymous.get(submission.get_absolute_url()).context["add_form"]["issued"].initial
    data = {"issued": token, "text": "Noch ein Gedanke.", "attachments": [files.pdf(), files.pdf()]}

    response = anonymous.post(url("add_information", submission), data)

    assert response.status_code == 503
    assert NOT_STORED in response.content.decode()
    assert stored_files(small_disk) == []
    assert not submission.attachments.exists()
    assert not submission.events.filter(kind=Event.Kind.INFO_ADDED).exists()
