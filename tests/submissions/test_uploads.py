"""Content detection of office documents, down to archives zipfile cannot unpack."""

import io
import zipfile

from beirat.submissions import uploads


def odt(compress_type: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", uploads.ODT, compress_type=compress_type)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


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
