"""Real files for upload tests, built in memory."""

import io
import struct
import zipfile
import zlib

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from pikepdf import Dictionary, Name
from PIL import Image

AUTHOR = "Erika Musterfrau"
XMP = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:creator><rdf:Seq><rdf:li>{AUTHOR} (XMP)</rdf:li></rdf:Seq></dc:creator>
<xmp:CreatorTool>Schreibprogramm 7</xmp:CreatorTool>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def page_text(number):
    return f"Antrag auf einen Spielplatz, Seite {number}"


def pdf_bytes(pages=1, *, metadata=False):
    """A real PDF with a line of text on each page; with ``metadata``, as an office program
    writes it: author, creator, producer and title, XMP for the document and for each page, a
    thumbnail of each page and an application's private data."""
    document = pikepdf.new()
    font = document.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for number in range(1, pages + 1):
        page = document.add_blank_page(page_size=(595, 842))
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        text = f"BT /F1 12 Tf 72 720 Td ({page_text(number)}) Tj ET".encode()
        page.obj.Contents = document.make_stream(text)
        if metadata:
            page.obj.Thumb = document.make_stream(
                bytes(8 * 8 * 3),
                Width=8,
                Height=8,
                ColorSpace=Name.DeviceRGB,
                BitsPerComponent=8,
            )
            page.obj.Metadata = document.make_stream(
                XMP.encode(), Type=Name.Metadata, Subtype=Name.XML
            )
            page.obj.PieceInfo = Dictionary(
                Schreibprogramm=Dictionary(Private=pikepdf.String(AUTHOR))
            )
    if metadata:
        document.docinfo[Name.Author] = AUTHOR
        document.docinfo[Name.Creator] = "Schreibprogramm 7"
        document.docinfo[Name.Producer] = "PDF-Werkstatt 3.1"
        document.docinfo[Name.Title] = f"Beschwerde {AUTHOR}"
        document.Root.Metadata = document.make_stream(
            XMP.encode(), Type=Name.Metadata, Subtype=Name.XML
        )
    output = io.BytesIO()
    document.save(output, deterministic_id=True)
    return output.getvalue()


def pdf(name="antrag.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def pdf_with_metadata(name="antrag.pdf", pages=2):
    return SimpleUploadedFile(name, pdf_bytes(pages, metadata=True), content_type="application/pdf")


def encrypted_pdf(name="geschuetzt.pdf", password=""):
    """Encrypted: with a password to open it, or (``password=""``) only protected against
    copying, as many PDFs are that open without asking."""
    output = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes())) as document:
        protection = pikepdf.Encryption(
            user=password, owner="chef", allow=pikepdf.Permissions(extract=False)
        )
        document.save(output, encryption=protection)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/pdf")


def truncated_pdf(name="halb.pdf"):
    """The first two thirds of a real PDF, as an interrupted download leaves it."""
    whole = pdf_bytes(3)
    return SimpleUploadedFile(name, whole[: len(whole) * 2 // 3], content_type="application/pdf")


def docx_with_properties(name="idee.docx"):
    """A DOCX as Word writes it: author, last editor, title and company in docProps."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(
            "word/document.xml",
            "<w:document><w:body><w:p><w:r><w:t>Mehr Bänke am Rhein</w:t></w:r></w:p>"
            "</w:body></w:document>",
        )
        archive.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="cp" xmlns:dc="dc">'
            f"<dc:title>Idee von {AUTHOR}</dc:title><dc:creator>{AUTHOR}</dc:creator>"
            f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy></cp:coreProperties>",
        )
        archive.writestr(
            "docProps/app.xml",
            "<Properties><Company>Musterfrau GmbH</Company>"
            f"<Manager>{AUTHOR}</Manager><TotalTime>42</TotalTime></Properties>",
        )
        archive.writestr(
            "docProps/custom.xml",
            f"<Properties><property><vt:lpwstr>{AUTHOR}</vt:lpwstr></property></Properties>",
        )
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/octet-stream")


def odt_with_meta(name="idee.odt"):
    """An ODT as LibreOffice writes it: the mimetype first and stored, author in meta.xml."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", "<office:document-content>Mehr Bänke am Rhein")
        archive.writestr(
            "meta.xml",
            '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' office:version="1.3"><office:meta>'
            f"<meta:initial-creator>{AUTHOR}</meta:initial-creator><dc:creator>{AUTHOR}"
            "</dc:creator><meta:editing-duration>PT2H</meta:editing-duration>"
            "</office:meta></office:document-meta>",
        )
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/octet-stream")


def executable(name="antrag.pdf"):
    return SimpleUploadedFile(
        name, b"\x7fELF\x02\x01\x01" + b"\0" * 64, content_type="application/pdf"
    )


def png_with_metadata(name="grafik.png"):
    """A half-transparent PNG with a comment, a camera and location (EXIF) and a colour profile."""
    from PIL import ImageCms, PngImagePlugin

    image = Image.new("RGBA", (40, 30), (255, 0, 0, 128))
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "Erika Musterfrau, Schloßstraße 1")
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x8825] = {2: (50.0, 21.0, 0.0)}  # GPS: latitude
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    output = io.BytesIO()
    image.save(output, format="PNG", pnginfo=text, exif=exif, icc_profile=profile)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


def jpeg_with_location(name="foto.jpg"):
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x8825] = {2: (50.0, 21.0, 0.0)}  # GPS: latitude
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One chunk of a PNG file, written by hand: length, kind, data, checksum."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(name="riesig.png", side=50_000):
    """A PNG that claims 50,000 × 50,000 pixels: only its header, never decodable."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    content = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0"))
        + png_chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, content, content_type="image/png")


def docx(name="idee.docx", payload=b"<w:document/>"):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", payload)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/octet-stream")


def zip_bomb(name="harmlos.docx"):
    """A DOCX whose document unpacks to 300 MB (it compresses to a few hundred KB)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/octet-stream")
