"""The words of a checked file, for the search: PDF text layers and the text of office files.

Called only with files that ``beirat/core/uploads.py`` accepted (type known, size and archive
checked, metadata removed). Images and scanned pages give no text: reading them would need OCR,
which the import (``beirat/ingest``) does on purpose and an upload does not wait for. A file
whose text cannot be read gives an empty text; the upload is not refused for that.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib

from beirat.core.file_metadata import DOCX, ODT, PDF
from beirat.core.pdfium_lock import PDFIUM_LOCK

# Enough for every word of a long report; the rest would only make the index larger.
MAX_CHARACTERS = 500_000
# Office text is read from one XML entry, at most this much of it (the caller has bounded the
# archive's unpacked size, but not to something the web process should read whole).
MAX_XML_BYTES = 20 * 1024 * 1024
OFFICE_TEXT_ENTRY = {DOCX: "word/document.xml", ODT: "content.xml"}
# Where a paragraph or a line ends in WordprocessingML and OpenDocument: a line break, so that
# the last word of one paragraph and the first of the next stay two words.
_BREAKS = re.compile(rb"</w:p>|<w:br\s*/>|<w:tab\s*/>|</text:p>|</text:h>|<text:line-break\s*/>")
_TAGS = re.compile(rb"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def text_of(content: bytes, content_type: str) -> str:
    """The readable text of ``content``; "" for images and unreadable files."""
    if content_type == PDF:
        text = _pdf_text(content)
    elif content_type in OFFICE_TEXT_ENTRY:
        text = _office_text(content, OFFICE_TEXT_ENTRY[content_type])
    else:
        text = ""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_CHARACTERS]


def _pdf_text(content: bytes) -> str:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    pages: list[str] = []
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(content)
        except pdfium.PdfiumError:
            return ""
        try:
            for page in document:
                textpage = page.get_textpage()
                try:
                    pages.append(str(textpage.get_text_range()))
                finally:
                    textpage.close()
                    page.close()
                if sum(len(text) for text in pages) > MAX_CHARACTERS:
                    break
        except pdfium.PdfiumError:
            return ""  # a page that cannot be read: no text, as for an unreadable file
        finally:
            document.close()
    # PDFium marks a hyphen it found at a line end as U+FFFE.
    return "\n".join(pages).replace("\ufffe", "-")


def _office_text(content: bytes, entry: str) -> str:
    # Tags are removed with a pattern, not an XML parser: no entity is ever expanded (a billion
    # laughs stays a few bytes of text) and nothing is fetched.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(entry) as xml:
            data = xml.read(MAX_XML_BYTES)
    except (KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, zlib.error):
        # A missing or encrypted entry, a broken archive, or a compression method zipfile
        # cannot unpack (it raises NotImplementedError): the file is kept, it only gives no text.
        return ""
    text = _TAGS.sub(b"", _BREAKS.sub(b"\n", data)).decode("utf-8", errors="replace")
    return html.unescape(text)
