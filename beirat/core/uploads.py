"""Checking uploaded files by their content, never by their name.

Shared by every upload path: citizens' attachments, board reports and the attachments (Anlagen)
of council papers.
Accepted: PDF, PNG, JPEG, ODT and DOCX. Office files are zip archives: their entries are
counted and sized before anything is unpacked, so a zip bomb is refused, not inflated. Every
accepted file is then written anew without its metadata (``beirat/core/file_metadata.py``:
author and XMP of a PDF, location and camera of a photo, document properties of an office
file); an image too large to decode safely, an encrypted or a broken PDF is refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from beirat.core.file_metadata import DOCX, JPEG, ODT, PDF, PNG, without_metadata

ACCEPTED_TYPES = (PDF, PNG, JPEG, ODT, DOCX)
MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes
    # The file's readable text (core.file_text), when the caller has read it already.
    text: str | None = None


def check_files(files: list[UploadedFile]) -> list[CheckedFile]:
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("Bitte höchstens %(count)s Dateien anhängen.") % {"count": MAX_FILES}
        )
    return [check_file(upload) for upload in files]


def check_file(upload: UploadedFile) -> CheckedFile:
    name = safe_name(upload.name or "")
    if upload.size is None or upload.size > MAX_BYTES:
        raise ValidationError(
            _("„%(name)s“ ist größer als 10 MB. Bitte verkleinern Sie die Datei.") % {"name": name}
        )
    content = upload.read(MAX_BYTES + 1)
    content_type = _detect(content)
    if content_type is None:
        raise ValidationError(
            _(
                "„%(name)s“ ist keine PDF-, PNG-, JPEG-, ODT- oder DOCX-Datei "
                "(geprüft wurde der Inhalt, nicht der Name)."
            )
            % {"name": name}
        )
    if content_type in (ODT, DOCX):
        _check_archive(content, name)
    content = without_metadata(content, content_type, name)
    return CheckedFile(name=name, content_type=content_type, content=content)


def safe_name(raw: str) -> str:
    """The file's own name, without folders or characters that mean something to a system."""
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(char for char in base if char.isprintable() and char not in '<>:"|?*')
    kept = kept.strip(". ") or _("Anhang")
    return kept[-MAX_NAME_LENGTH:]


def _detect(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _office_type(content)
    return None


def _office_type(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if _declared_type(archive, names) == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, RuntimeError):  # broken or encrypted archives
        return None
    return None


def _declared_type(archive: zipfile.ZipFile, names: set[str]) -> bytes:
    """The OpenDocument "mimetype" entry: small and stored or deflated, as the format demands.
    Anything else (another compression method zipfile cannot unpack) declares nothing."""
    if "mimetype" not in names:
        return b""
    entry = archive.getinfo("mimetype")
    readable = entry.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
    if not readable or entry.file_size >= 100:
        return b""
    # A bounded read: read() without a size inflates the whole entry, whatever size it declares
    # (a 300 KB archive whose "mimetype" claims 10 bytes took 600 MB).
    with archive.open(entry) as declared:
        return declared.read(100).strip()


def _check_archive(content: bytes, name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        entries = archive.infolist()
        unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("„%(name)s“ ist entpackt ungewöhnlich groß und wurde nicht angenommen.")
            % {"name": name}
        )
