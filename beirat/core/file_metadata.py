"""Uploaded files stored without their metadata: who wrote them, with what, when and where.

The one step every upload path takes before a file is stored (citizens' attachments, board
reports): ``without_metadata()`` returns the file written anew, or raises ``ValidationError``
with a German message, so that nothing is stored half.

* PDF (pikepdf): the document information dictionary (author, creator, producer, title, dates)
  goes whole; every XMP ``/Metadata`` stream (the document's, a page's, an image's), the page
  thumbnails (``/Thumb``), applications' private data (``/PieceInfo``) and the file identifier
  (``/ID``, the same in every copy the author saved) go too. The title goes with the rest: it
  is often the author's file name or first line ("Beschwerde Müller.docx"), and a viewer
  shows the file's name instead. The file is written anew from the objects that are still
  referenced, so a metadata object left behind by an earlier revision (an incremental update)
  is not written either. The streams are copied as they are, never decoded. An encrypted PDF
  (even one that opens without a password: it could only be rewritten by removing its
  protection) and a broken one are refused. Broken is what qpdf (pikepdf) cannot open, what has
  no page, and what pdfium, the second reader, cannot open or counts another number of pages
  in (a half file that qpdf would patch together).
* PNG and JPEG (Pillow): decoded and written anew from the pixels alone.
* ODT and DOCX: the archive is written anew, entry by entry, with the document properties
  (ODT ``meta.xml``; DOCX ``docProps/core.xml``, ``app.xml``, ``custom.xml``: author, last
  editor, company, manager, template, title, editing time, custom fields) replaced by empty
  ones, and without the archive's comment and the entries' extra fields (owner ids, times).
  Not removed: names in comments and tracked changes inside the text itself.

The caller has checked the type (by content) and the size, and for archives the number and
unpacked size of the entries (``beirat/core/uploads.py``).
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
import zlib

import pikepdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from beirat.core.pdfium_lock import PDFIUM_LOCK

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MAX_PIXELS = 40_000_000  # a 50,000 × 50,000 image would need 7.5 GB to decode
# More pages than any attachment needs; a crafted page tree of 100,000 references to one page
# (600 KB) took qpdf 4 s and 200 MB to write out as 100,000 pages.
MAX_PAGES = 2_000
# Pixel formats written back as they are; others (CMYK, 16-bit …) become RGB.
SAVED_MODES = {PNG: {"1", "L", "LA", "P", "RGB", "RGBA"}, JPEG: {"L", "RGB"}}
# Keys that carry metadata wherever they stand: XMP on the catalog, a page, an image or a font;
# a page's thumbnail; an application's private data (Illustrator keeps a whole copy there).
PDF_METADATA_KEYS = ("/Metadata", "/Thumb", "/PieceInfo")

# The empty document properties that replace the filled ones (the parts stay, since the
# package's relationships name them and Word reports a file with a missing part as damaged).
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OOXML_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
DOCX_PROPERTIES = {
    "docProps/core.xml": XML_DECLARATION
    + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>',
    "docProps/app.xml": XML_DECLARATION
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    f'extended-properties" xmlns:vt="{OOXML_TYPES}"/>',
    "docProps/custom.xml": XML_DECLARATION
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    f'custom-properties" xmlns:vt="{OOXML_TYPES}"/>',
}
ODT_META = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'office:version="{version}"><office:meta/></office:document-meta>'
)
ODF_VERSION = re.compile(rb'office:version="([0-9]{1,2}\.[0-9]{1,2})"')


def without_metadata(content: bytes, content_type: str, name: str) -> bytes:
    """``content`` written anew without its metadata; ValidationError when that is impossible."""
    if content_type == PDF:
        return _pdf(content, name)
    if content_type in (PNG, JPEG):
        return _image(content, content_type, name)
    if content_type in (ODT, DOCX):
        return _office(content, content_type, name)
    raise ValueError(f"no metadata removal for {content_type}")


# PDF -------------------------------------------------------------------------------------------


def _pdf(content: bytes, name: str) -> bytes:
    encrypted = ValidationError(
        _(
            "„%(name)s“ ist verschlüsselt oder mit einem Kennwort geschützt. Bitte laden Sie "
            "eine Fassung ohne Schutz hoch."
        )
        % {"name": name}
    )
    broken = ValidationError(
        _(
            "„%(name)s“ ist beschädigt oder unvollständig und ließ sich nicht als PDF lesen. "
            "Bitte speichern Sie die Datei neu als PDF."
        )
        % {"name": name}
    )
    pages = _pdfium_page_count(content, encrypted=encrypted, broken=broken)
    if pages > MAX_PAGES:
        raise ValidationError(
            _("„%(name)s“ hat mehr als %(count)s Seiten. Bitte teilen Sie die Datei auf.")
            % {"name": name, "count": MAX_PAGES}
        )
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted:  # opened without a password, protected all the same
                raise encrypted
            if pages == 0 or len(pdf.pages) != pages:
                raise broken
            # The file identifier goes too: its first half stays the same in every copy of
            # the document ever saved, so it would link this file to the author's other copies.
            for key in ("/Info", "/ID"):
                if key in pdf.trailer:
                    del pdf.trailer[key]
            for item in pdf.objects:
                if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
                    for key in PDF_METADATA_KEYS:
                        if key in item:
                            del item[key]
            output = io.BytesIO()
            # Only what is still referenced is written; streams are copied, never decoded; the
            # new identifier is a hash of the content, so the same file is written the same.
            pdf.save(
                output,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                deterministic_id=True,
            )
    except pikepdf.PasswordError as error:
        raise encrypted from error
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, RecursionError, ValueError) as error:
        raise broken from error
    return output.getvalue()


def _pdfium_page_count(
    content: bytes, *, encrypted: ValidationError, broken: ValidationError
) -> int:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    import pypdfium2.raw as pdfium_raw  # type: ignore[import-untyped]

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(content)
        except pdfium.PdfiumError as error:
            if error.err_code == pdfium_raw.FPDF_ERR_PASSWORD:
                raise encrypted from error
            raise broken from error
        try:
            return len(document)
        finally:
            document.close()


# Images ----------------------------------------------------------------------------------------


def _image(content: bytes, content_type: str, name: str) -> bytes:
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


# Office documents ------------------------------------------------------------------------------


def _office(content: bytes, content_type: str, name: str) -> bytes:
    output = io.BytesIO()
    try:
        with (
            zipfile.ZipFile(io.BytesIO(content)) as source,
            zipfile.ZipFile(output, "w") as target,
        ):
            replacements = _office_replacements(source, content_type)
            for entry in source.infolist():
                # A new entry: name, time and compression only (no extra fields, no comment).
                copy = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
                copy.compress_type = (
                    zipfile.ZIP_STORED
                    if entry.compress_type == zipfile.ZIP_STORED
                    else zipfile.ZIP_DEFLATED
                )
                if entry.filename in replacements:
                    target.writestr(copy, replacements[entry.filename])
                    continue
                # Streamed: zipfile unpacks no more than the entry's declared size, which the
                # caller has checked.
                with source.open(entry) as reading, target.open(copy, "w") as writing:
                    shutil.copyfileobj(reading, writing, 1024 * 1024)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, zlib.error):
        # A broken or encrypted entry, or a compression method zipfile cannot unpack.
        raise ValidationError(
            _("„%(name)s“ ist beschädigt und ließ sich nicht lesen.") % {"name": name}
        ) from None
    return output.getvalue()


def _office_replacements(source: zipfile.ZipFile, content_type: str) -> dict[str, str]:
    names = set(source.namelist())
    if content_type == DOCX:
        return {part: empty for part, empty in DOCX_PROPERTIES.items() if part in names}
    if "meta.xml" not in names:
        return {}
    with source.open("meta.xml") as meta:
        found = ODF_VERSION.search(meta.read(4096))
    version = found.group(1).decode() if found else "1.2"
    return {"meta.xml": ODT_META.format(version=version)}
