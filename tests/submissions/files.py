"""Real files for upload tests, built in memory."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def pdf(name="antrag.pdf"):
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


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
