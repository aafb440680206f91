"""Bytes → text: PDFs with a text layer, scans through OCR, and every kind of bad file."""

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image

from beirat.council.pdf import paper_pdf
from beirat.ingest import extract as extract_module
from beirat.ingest import ocr
from beirat.ingest.extract import ExtractError, extract
from beirat.ingest.parse import parse
from tests.council.test_pdf import answer_aw_0011_2021
from tests.ingest.test_parse import ANSWER_FIELDS
from tests.submissions import files

HEADER_FIELDS = ("reference", "paper_type", "date", "division", "author", "name", "responds_to")


def encrypted_pdf() -> bytes:
    """A one-page PDF under the standard security handler whose password nobody knows."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -4 >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    identifier = b"<00112233445566778899aabbccddeeff>"
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>\n" % (
        len(objects) + 1,
        identifier,
        identifier,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def blank_pdf(pages: int) -> bytes:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(200, 200)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scanned(pdf: bytes, dpi: int = 200) -> bytes:
    """What a scanner makes of a printed paper: the pages as images, no text layer."""
    document = pdfium.PdfDocument(pdf)
    pages = [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    document.close()
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_pdf_with_a_text_layer_reads_without_ocr():
    result = extract(paper_pdf(answer_aw_0011_2021()))

    assert result.kind == "pdf"
    assert result.ocr_pages == 0
    draft = parse(result.text)
    for name in HEADER_FIELDS:
        assert draft.value(name) == ANSWER_FIELDS[name], name
    assert [section.number for section in draft.sections] == ["", "1", "2", "3", "4", "5"]


@pytest.mark.django_db
def test_a_scan_of_seed_000_comes_back_through_ocr_with_every_header_field_right():
    scan = scanned(paper_pdf(answer_aw_0011_2021()))
    assert extract_module._letters(extract_module._page_text(pdfium.PdfDocument(scan)[0])) == 0

    result = extract(scan)

    assert result.ocr_pages == result.pages.__len__() >= 1
    draft = parse(result.text, scanned=True)
    for name in HEADER_FIELDS:
        assert draft.value(name) == ANSWER_FIELDS[name], name
    assert draft.route[0].committee == "Stadtrat"


def test_an_image_is_read_by_ocr():
    image = Image.new("L", (1200, 300), 255)
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype("DejaVuSans.ttf", 48)
    ImageDraw.Draw(image).text((40, 100), "Vorlage: AF/0013/2021", fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    result = extract(buffer.getvalue(), "scan.png")

    assert result.kind == "image"
    assert "AF/0013/2021" in result.text


def test_without_tesseract_a_scan_names_the_packages_to_install(monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr.tesseract.cache_clear()
    try:
        with pytest.raises(ExtractError, match="apt-get install tesseract-ocr tesseract-ocr-deu"):
            extract(blank_pdf(1))
    finally:
        ocr.tesseract.cache_clear()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "leer"),
        (b"   \n\t ", "leer"),
        (encrypted_pdf(), "verschlüsselt"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "beschädigt"),
        (blank_pdf(2000), "2000 Seiten"),
        (files.huge_png().read(), "zu groß"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "beschädigt"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "weder Text noch PDF"),
    ],
    ids=["empty", "blank", "encrypted", "corrupt", "2000 pages", "image bomb", "bad png", "exe"],
)
def test_bad_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(ExtractError, match=reason):
        extract(data, "datei")


def _handed_to_tesseract(monkeypatch) -> list[Image.Image]:
    handed: list[Image.Image] = []

    def recognise(png: bytes) -> str:
        handed.append(Image.open(io.BytesIO(png)))
        return "Vorlage"

    monkeypatch.setattr(ocr, "recognise", recognise)
    return handed


def test_a_scanned_page_reaches_tesseract_with_its_resolution(monkeypatch):
    # Without it tesseract guesses 70 dpi ("Invalid resolution 0 dpi") for a 300 dpi page.
    handed = _handed_to_tesseract(monkeypatch)
    extract(blank_pdf(1))
    assert [round(image.info["dpi"][0]) for image in handed] == [extract_module.OCR_DPI]


def test_an_image_reaches_tesseract_with_its_own_resolution(monkeypatch):
    handed = _handed_to_tesseract(monkeypatch)
    image = Image.new("L", (600, 300), 255)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(150, 150))
    extract(buffer.getvalue(), "scan.png")
    assert [round(image.info["dpi"][0]) for image in handed] == [150]
