"""Checking uploaded files by their content, never by their name.

Accepted: PDF, PNG, JPEG, ODT and DOCX. Images are decoded and written anew, which drops their
metadata (location, camera); an image too large to decode safely is refused before decoding.
Office files are zip archives: their entries are counted and sized before anything is
unpacked, so a zip bomb is refused, not inflated.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 50,000 × 50,000 image would need 7.5 GB to decode
MAX_ZIP_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_NAME_LENGTH = 120

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Pixel formats written back as they are; others (CMYK, 16-bit …) become RGB.
SAVED_MODES = {PNG: {"1", "L", "LA", "P", "RGB", "RGBA"}, JPEG: {"L", "RGB"}}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes


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
    if content_type in (PNG, JPEG):
        content = _without_metadata(content, content_type, name)
    elif content_type in (ODT, DOCX):
        _check_archive(content, name)
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


def _without_metadata(content: bytes, content_type: str, name: str) -> bytes:
    unreadable = ValidationError(_("Das Bild „%(name)s“ ließ sich nicht lesen.") % {"name": name})
    too_large = ValidationError(
        _("Das Bild „%(name)s“ hat mehr als 40 Megapixel. Bitte verkleinern Sie es.")
        % {"name": name}
    )
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise too_large
            image.load()
            # Written anew from the pixels alone: save() writes only what it is given and what
            # is in .info (EXIF, location, comments, ICC profile), which is emptied; a PNG keeps
            # its transparency. No copy of the pixels: at 40 megapixels each one is 160 MB.
            keep = {"transparency"} if content_type == PNG else set()
            clean = image if image.mode in SAVED_MODES[content_type] else image.convert("RGB")
            clean.info = {key: value for key, value in clean.info.items() if key in keep}
            output = io.BytesIO()
            if content_type == PNG:
                # The fastest compression: the default took 7 s for a 40-megapixel photo.
                clean.save(output, format="PNG", compress_level=1)
            else:
                clean.save(output, format="JPEG", quality=90)
    except Image.DecompressionBombError as error:  # Pillow refuses before we can look
        raise too_large from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        # ValueError: Pillow refuses a text or colour-profile chunk that inflates beyond its
        # limit (unless another library switched on LOAD_TRUNCATED_IMAGES for the process).
        raise unreadable from error
    return output.getvalue()
