"""Bytes of a file → pages of text (pure: no database, no Django models).

Accepted: plain text (UTF-8, else Windows-1252/Latin-1), PDFs with a text layer (pypdfium2),
scanned PDFs and PNG/JPEG/TIFF images (rendered and read by tesseract, see ocr.py). Every
refusal is an ``ExtractError`` whose message says why, in German, for the batch report.
"""

from __future__ import annotations

import io
import itertools
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from beirat.core.pdfium_lock import PDFIUM_LOCK
from beirat.ingest import ocr

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 300
MAX_PIXELS = 40_000_000  # an image bomb is refused before it is decoded
OCR_DPI = 300
# A page whose text layer has fewer letters than this is treated as a scan.
MIN_LETTERS_PER_PAGE = 40
BLANK_LINE_GAP = 1.6  # times the usual line pitch: an empty line was there
WIDE_GAP = 2.6  # letter steps from one word's last letter to the next word: a column's edge

PDF, TEXT, IMAGE = "pdf", "text", "image"


class ExtractError(Exception):
    """The file cannot be read; the message is the reason for the report."""


@dataclass(frozen=True)
class Extracted:
    pages: list[str]
    kind: str  # pdf / text / image
    ocr_pages: int = 0  # pages read by OCR
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)


def extract(
    data: bytes, name: str = "", *, progress: Callable[[int, int], None] | None = None
) -> Extracted:
    """The text of ``data``; ``progress(done, total)`` is called per page."""
    if not data.strip():
        raise ExtractError("Die Datei ist leer.")
    if len(data) > MAX_BYTES:
        raise ExtractError("Die Datei ist größer als 50 MB.")
    if data.startswith(b"%PDF-"):
        return _pdf(data, progress)
    if _is_image(data):
        return _image(data)
    return _text(data, name)


# Plain text ------------------------------------------------------------------------------------


def _text(data: bytes, name: str) -> Extracted:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractError("Die Textdatei ist beschädigt (UTF-16).") from None
        return Extracted(pages=_split_pages(text), kind=TEXT, notes=["UTF-16 gelesen."])
    if b"\x00" in data[:4096]:
        raise ExtractError(
            "Die Datei ist weder Text noch PDF noch Bild "
            "(geprüft wurde der Inhalt, nicht der Name)."
        )
    notes = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        notes.append("Nicht UTF-8: als Windows-1252 gelesen.")
    return Extracted(pages=_split_pages(text), kind=TEXT, notes=notes)


def _split_pages(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\f")


# PDF -------------------------------------------------------------------------------------------


def _pdf(data: bytes, progress: Callable[[int, int], None] | None) -> Extracted:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    with PDFIUM_LOCK:  # around every pdfium call; the OCR of a rendered page runs outside
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise ExtractError(_pdf_reason(str(error))) from None
    try:
        with PDFIUM_LOCK:
            total = len(document)
        if total == 0:
            raise ExtractError("Das PDF hat keine Seiten.")
        if total > MAX_PAGES:
            raise ExtractError(
                f"Das PDF hat {total} Seiten; höchstens {MAX_PAGES} werden eingelesen. "
                "Bitte teilen Sie es auf."
            )
        pages, ocr_pages = [], 0
        for number in range(total):
            with PDFIUM_LOCK:
                page = document[number]
                try:
                    text = _page_text(page)
                    scanned = _letters(text) < MIN_LETTERS_PER_PAGE
                    image = _page_image(page, number + 1) if scanned else None
                finally:
                    page.close()
            if image is not None:
                text = _recognise(image, dpi=OCR_DPI)
                ocr_pages += 1
            pages.append(text)
            if progress:
                progress(number + 1, total)
    finally:
        with PDFIUM_LOCK:
            document.close()
    return Extracted(pages=pages, kind=PDF, ocr_pages=ocr_pages)


def _pdf_reason(error: str) -> str:
    if "password" in error.lower():
        return "Das PDF ist verschlüsselt (Passwort). Bitte eine unverschlüsselte Fassung einlesen."
    return "Das PDF ist beschädigt oder unvollständig und lässt sich nicht öffnen."


def _page_text(page: object) -> str:
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        text: str = textpage.get_text_range()
        text = _with_layout(text, textpage)
    finally:
        textpage.close()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # PDFium marks a hyphen it found at a line end as U+FFFE; join_broken_words decides later.
    return text.replace("\ufffe", "-")


def _with_layout(text: str, textpage: Any) -> str:
    """A text layer keeps neither empty lines nor the width of gaps. A gap to the next line
    clearly wider than the page's line pitch becomes a blank line again (the end of a paragraph
    or table); a gap within a line wider than a few letters becomes two spaces (a table's
    column, the right half of a header). The parser reads both."""
    lines, tops, start = [], [], 0
    letter = _letter_advance(text, textpage)
    for line in text.split("\r\n"):
        indent = len(line) - len(line.lstrip())
        tops.append(textpage.get_charbox(start + indent)[3] if line.strip() else None)
        lines.append(_with_wide_gaps(line, start, textpage, letter) if letter else line)
        start += len(line) + 2
    pitch = _line_pitch(tops)
    if pitch is None:
        return "\r\n".join(lines)
    out = [lines[0]] if lines else []
    for index in range(1, len(lines)):
        above, below = tops[index - 1], tops[index]
        if above is not None and below is not None and above - below > BLANK_LINE_GAP * pitch:
            out.append("")
        out.append(lines[index])
    return "\r\n".join(out)


def _line_pitch(tops: list[float | None]) -> float | None:
    """The usual distance of two lines: the smallest common one (many gaps may be blank lines)."""
    gaps = [
        above - below
        for above, below in itertools.pairwise(tops)
        if above is not None and below is not None and above > below
    ]
    if len(gaps) < 3:
        return None
    usual = statistics.median(gaps)
    return min(gap for gap in gaps if gap >= usual / 2)


def _letter_advance(text: str, textpage: Any) -> float | None:
    """The usual step from one letter to the next within a word on this page (from the first
    letter pairs; ``text`` is the page's text, its indices those of the character boxes)."""
    steps = []
    for index in range(min(len(text), 2000) - 1):
        if text[index].isalpha() and text[index + 1].isalpha():
            step = textpage.get_charbox(index + 1)[0] - textpage.get_charbox(index)[0]
            if step > 0:
                steps.append(step)
            if len(steps) == 100:
                break
    return statistics.median(steps) if len(steps) >= 20 else None


def _with_wide_gaps(line: str, start: int, textpage: Any, advance: float) -> str:
    out = []
    for offset, char in enumerate(line):
        if (
            char == " "
            and 0 < offset < len(line) - 1
            and " " not in line[offset - 1 : offset + 2 : 2]
        ):
            left = textpage.get_charbox(start + offset - 1)[0]
            right = textpage.get_charbox(start + offset + 1)[0]
            if right - left > WIDE_GAP * advance:
                out.append("  ")
                continue
        out.append(char)
    return "".join(out)


def _letters(text: str) -> int:
    return sum(1 for char in text if char.isalpha())


def _page_image(page: object, number: int) -> Image.Image:
    """The page rendered for OCR (call it holding PDFIUM_LOCK)."""
    width, height = page.get_size()  # type: ignore[attr-defined]  # points
    scale = OCR_DPI / 72
    if width * scale * height * scale > MAX_PIXELS:
        raise ExtractError(f"Seite {number} ist für die Texterkennung zu groß.")
    try:
        ocr.tesseract()
    except ocr.OcrUnavailable as error:
        raise ExtractError(f"Seite {number} ist gescannt. {error}") from None
    image: Image.Image = page.render(scale=scale, grayscale=True).to_pil()  # type: ignore[attr-defined]
    return image


# Images ----------------------------------------------------------------------------------------

_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def _image_dpi(image: Image.Image) -> float | None:
    found = image.info.get("dpi")
    if isinstance(found, tuple) and found and float(found[0]) >= 1:
        return float(found[0])
    return None


def _is_image(data: bytes) -> bool:
    return data.startswith(_IMAGE_SIGNATURES)


def _image(data: bytes) -> Extracted:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size  # read from the header, nothing decoded yet
            if width * height > MAX_PIXELS:
                raise ExtractError(
                    f"Das Bild hat {width} × {height} Pixel; das ist für die Texterkennung zu groß."
                )
            probe.load()
            image = probe.convert("L")
    except ExtractError:
        raise
    except Image.DecompressionBombError:
        raise ExtractError("Das Bild ist für die Texterkennung zu groß.") from None
    except (OSError, ValueError):
        raise ExtractError("Das Bild ist beschädigt und lässt sich nicht lesen.") from None
    try:
        ocr.tesseract()
    except ocr.OcrUnavailable as error:
        raise ExtractError(f"Das Bild braucht Texterkennung. {error}") from None
    return Extracted(pages=[_recognise(image)], kind=IMAGE, ocr_pages=1)


def _recognise(image: Image.Image, dpi: float | None = None) -> str:
    """The text tesseract reads in ``image``. The PNG carries the resolution (the page's
    rendering, else the image's own), so tesseract does not guess one ("Invalid resolution 0
    dpi. Using 70 instead") and sizes its page segmentation to the real letters."""
    buffer = io.BytesIO()
    known = dpi or _image_dpi(image)
    image.save(buffer, format="PNG", **({"dpi": (known, known)} if known else {}))
    try:
        return ocr.recognise(buffer.getvalue())
    except ocr.OcrUnavailable as error:
        raise ExtractError(f"Die Texterkennung ist fehlgeschlagen: {error}") from None
