"""Content detection of office documents, down to archives zipfile cannot unpack."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from beirat.core import uploads
from beirat.core.file_metadata import without_metadata
from tests.submissions import files
from tests.submissions.files import png_chunk


def odt(compress_type: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", uploads.ODT, compress_type=compress_type)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def png_with_text_bomb() -> bytes:
    """A 1 × 1 PNG with a compressed comment that inflates to 50 MB (Pillow's limit: 1 MB)."""

    comment = zlib.compressobj(1)
    text = b"".join(comment.compress(b"\0" * 1024 * 1024) for _ in range(50)) + comment.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + png_chunk(b"zTXt", b"Comment\0\0" + text)
        + png_chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + png_chunk(b"IEND", b"")
    )


def with_compression_method(data: bytes, method: int) -> bytes:
    """The same archive, its "mimetype" entry marked with another compression method (in the
    local header and in the central directory), as a crafted or exotic file would be."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        position = patched.find(signature)
        patched[position + offset : position + offset + 2] = method.to_bytes(2, "little")
    return bytes(patched)


def test_an_odt_is_recognised_by_its_content():
    assert uploads._detect(odt()) == uploads.ODT
    assert uploads._detect(odt(zipfile.ZIP_DEFLATED)) == uploads.ODT


def test_a_compression_method_zipfile_cannot_unpack_declares_nothing():
    crafted = with_compression_method(odt(), 99)

    assert uploads._detect(crafted) is None


def test_an_image_whose_text_chunk_inflates_beyond_pillows_limit_is_refused(monkeypatch):
    """Pillow raises ValueError for it. WeasyPrint, once imported, switches Pillow's
    LOAD_TRUNCATED_IMAGES on for the whole process, which hides the error; a process that has
    not imported it answered the upload with a server error."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    upload = SimpleUploadedFile("text.png", png_with_text_bomb(), content_type="image/png")

    with pytest.raises(ValidationError):
        uploads.check_file(upload)


def test_a_png_keeps_its_pixels_and_transparency_and_loses_every_metadata_chunk():
    upload = files.png_with_metadata()
    with Image.open(upload) as original:
        assert {"comment", "exif", "icc_profile"} <= {key.lower() for key in original.info}
    upload.seek(0)

    cleaned = without_metadata(upload.read(), uploads.PNG, upload.name)

    with Image.open(io.BytesIO(cleaned)) as image:
        assert (image.mode, image.size) == ("RGBA", (40, 30))
        assert image.getpixel((0, 0)) == (255, 0, 0, 128)
        assert set(image.info) <= {"dpi", "transparency"}
        assert not image.getexif()
    assert b"Musterfrau" not in cleaned
