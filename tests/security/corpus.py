"""The bad-input corpus: one list of cases per category.

A case says what is sent; tests/security/test_bad_input.py decides where (its docstring lists
which targets each kind goes to) and tests/security/probe.py checks what comes back:

- ``Text``: a value for the text fields of the forms, the query and the URL parameters;
- ``Body``: a whole request body, built for a POST form from its fields;
- ``Upload``: a file for a file input;
- ``QueryString``: a raw query string for a GET address;
- ``Headers``: request headers for a POST form or a GET address.

Files are built in memory, deterministically, once per run.
"""

from __future__ import annotations

import functools
import io
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from beirat.core import uploads
from tests.core.test_uploads import odt, png_with_text_bomb, with_compression_method
from tests.security.targets import Form
from tests.submissions import files as upload_files

MB = 1024 * 1024
FORM = "application/x-www-form-urlencoded"
BodyBuilder = Callable[[Form], tuple[bytes, str]]


@dataclass(frozen=True)
class Text:
    """A value typed into every text field, query parameter and URL parameter."""

    name: str
    value: str
    # Which fields of a POST form take it (targets.Form.values): the free-text ones ("text"),
    # so that the form can be stored and the value shown again; input types ("number", "url");
    # or "all", selects and typed fields included, which the form then refuses.
    into: tuple[str, ...] = ("text",)
    # Query syntax and paths matter where a query or a lookup is built from them: the GET and
    # URL parameters. A POST form stores any text through parameters of the same code path,
    # which the cases with forms=True show for every form.
    forms: bool = True


@dataclass(frozen=True)
class Body:
    """A request body for each POST form, built from the form's fields."""

    name: str
    build: BodyBuilder
    method: str = "POST"
    environ: dict[str, str] = field(default_factory=dict)  # e.g. a lying Content-Length
    expect: int | None = None  # the status every form must answer with, where there is one


@dataclass(frozen=True)
class Upload:
    """A file for every file input; the form's other fields are valid."""

    name: str
    build: Callable[[], tuple[str, bytes, str]]  # file name, content, content type
    copies: int = 1
    as_text: bool = False  # the file field sent as a plain form value instead


@dataclass(frozen=True)
class QueryString:
    """A raw query string (WSGI: bytes as latin-1) for every GET address."""

    name: str
    build: Callable[[tuple[str, ...]], str]  # the address's parameter names → query string


@dataclass(frozen=True)
class Headers:
    """Request headers, as WSGI environ keys, for every POST form and GET address."""

    name: str
    environ: dict[str, str]
    production_proxy: bool = False  # behind the production proxy (X-Forwarded-Proto trusted)
    # A Cookie header is added to the persona's own cookies (its session stays), unless the
    # case is about replacing them.
    replace_cookies: bool = False
    expect: int | None = None  # the status every address must answer with, where there is one


Case = Text | Body | Upload | QueryString | Headers


# Small builders ---------------------------------------------------------------------------------


def _urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    return urlencode(pairs).encode()


def _raw_form(form: Form, raw_value: bytes) -> tuple[bytes, str]:
    """The form urlencoded by hand, ``raw_value`` (already escaped or not) in each text field."""
    text_names = {item.name for item in form.text_fields}
    parts = []
    for name, value in form.values():
        encoded = raw_value if name in text_names else quote(value, safe="").encode()
        parts.append(quote(name, safe="").encode() + b"=" + encoded)
    return b"&".join(parts), FORM


def _multipart(pairs: list[tuple[str, Any]]) -> bytes:
    data: dict[str, list[Any]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return encode_multipart(BOUNDARY, data)


def _encoded(form: Form, pairs: list[tuple[str, str]]) -> tuple[bytes, str]:
    """The pairs as the form's own enctype would send them."""
    if form.enctype == "multipart/form-data":
        return _multipart(pairs), MULTIPART_CONTENT
    return _urlencoded(pairs), FORM


def _limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def _with_large_value(form: Form, name: str, value: bytes) -> tuple[bytes, str]:
    """The form, and ``value`` (nothing to escape) under ``name``, without copying it twice."""
    pairs = form.values()
    if form.enctype == "multipart/form-data":
        head = _multipart(pairs)[: -len(f"--{BOUNDARY}--\r\n")]
        part = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        return head + part.encode() + value + f"\r\n--{BOUNDARY}--\r\n".encode(), MULTIPART_CONTENT
    return _urlencoded(pairs) + b"&" + name.encode() + b"=" + value, FORM


@functools.cache
def _letters(letter: bytes, count: int) -> bytes:
    return letter * count


def _ten_megabytes_in_one_field(form: Form) -> tuple[bytes, str]:
    first = form.text_fields[0].name if form.text_fields else "beliebig"
    return _with_large_value(form, first, _letters(b"A", 10 * MB))


def _just_over_the_limit(form: Form) -> tuple[bytes, str]:
    return _with_large_value(form, "auffuellung", _letters(b"B", _limit() + 1))


def _long_values_under_the_limit(form: Form) -> tuple[bytes, str]:
    # As long as the limit lets every text field be: max_length must refuse it, not the server.
    share = (_limit() - 64 * 1024) // max(1, len(form.text_fields))
    return _encoded(form, form.values("C" * share))


@functools.cache
def _hundred_thousand_fields() -> bytes:
    return b"&".join(b"f%d=1" % number for number in range(100_000))


def _many_fields(form: Form) -> tuple[bytes, str]:
    return _urlencoded(form.values()) + b"&" + _hundred_thousand_fields(), FORM


def _many_files(form: Form) -> tuple[bytes, str]:
    name = form.files[0].name if form.files else "datei"
    files = [(name, "blatt.pdf", small_pdf(), "application/pdf")] * 1_000
    return multipart_with_files(form.values(), files), MULTIPART_CONTENT


def _json_body(form: Form) -> tuple[bytes, str]:
    return json.dumps(dict(form.values("JSON statt Formular"))).encode(), "application/json"


def _multipart_without_boundary(form: Form) -> tuple[bytes, str]:
    body, _type = _encoded(form, form.values())
    return body, "multipart/form-data"


def _multipart_truncated(form: Form) -> tuple[bytes, str]:
    body = _multipart(form.values())
    return body[: len(body) // 2], MULTIPART_CONTENT


def _multipart_without_disposition(form: Form) -> tuple[bytes, str]:
    body = (
        f"--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nohne Namen\r\n--{BOUNDARY}--\r\n"
    ).encode()
    return body, MULTIPART_CONTENT


def _multipart_huge_header(form: Form) -> tuple[bytes, str]:
    name = form.text_fields[0].name if form.text_fields else "feld"
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
        f'x="{"H" * 200_000}"\r\n\r\nWert\r\n--{BOUNDARY}--\r\n'
    ).encode()
    return body, MULTIPART_CONTENT


def _text_plain(form: Form) -> tuple[bytes, str]:
    return "\n".join(f"{name}={value}" for name, value in form.values(None)).encode(), "text/plain"


def _urlencoded_declared_multipart(form: Form) -> tuple[bytes, str]:
    return _urlencoded(form.values()), MULTIPART_CONTENT


def _multipart_declared_urlencoded(form: Form) -> tuple[bytes, str]:
    return _multipart(form.values()), FORM


def _no_content_type(form: Form) -> tuple[bytes, str]:
    return _urlencoded(form.values()), ""


def _text_field_as_file(form: Form) -> tuple[bytes, str]:
    pairs: list[tuple[str, Any]] = []
    texts = {item.name for item in form.text_fields}
    for name, value in form.values():
        as_file = SimpleUploadedFile("feld.txt", value.encode(), "text/plain")
        pairs.append((name, as_file if name in texts else value))
    return _multipart(pairs), MULTIPART_CONTENT


def _unchanged(form: Form) -> tuple[bytes, str]:
    return _encoded(form, form.values())


def _valid_utf16(form: Form) -> tuple[bytes, str]:
    body = urlencode(form.values("UTF-16 ÄÖÜ")).encode("utf-16")
    return body, f"{FORM}; charset=utf-16"


def _bogus_charset(form: Form) -> tuple[bytes, str]:
    return _urlencoded(form.values()), f"{FORM}; charset=bogus"


def _multipart_invalid_utf8(form: Form) -> tuple[bytes, str]:
    parts = []
    texts = {item.name for item in form.text_fields}
    for name, value in form.values():
        raw = b"\xff\xfe\xc0\xaf\xed\xa0\x80" if name in texts else value.encode()
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + raw
            + b"\r\n"
        )
    for item in form.files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{item.name}"; '.encode()
            + b'filename="\xff\xfe\xc0\xaf.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            + upload_files.pdf().read()
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode(), MULTIPART_CONTENT


def multipart_with_files(
    pairs: list[tuple[str, str]], files: list[tuple[str, str, bytes, str]]
) -> bytes:
    """Multipart as an attacker writes it: file names exactly as given, nothing cleaned.

    Django's test client keeps only the base name of a file, so it cannot send "../x".
    """
    parts = []
    for name, value in pairs:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, file_name, content, content_type in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode()
            + file_name.encode("utf-8", "surrogateescape")
            + f'"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


# Files --------------------------------------------------------------------------------------------


def _read(upload: Any) -> bytes:
    return bytes(upload.read())


@functools.cache
def small_pdf() -> bytes:
    return _read(upload_files.pdf())


def _png(width: int, height: int, *, extra: bytes = b"", idat: bytes | None = None) -> bytes:
    chunk = _png_chunk
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    if idat is None:
        idat = zlib.compress(b"\0" * (1 + 3 * width) * height)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def _zeros_compressed(raw_length: int) -> bytes:
    """``raw_length`` zero bytes, deflated without ever holding them all in memory."""
    compressor = zlib.compressobj(1)  # zeros pack a thousandfold at the fastest level too
    block = b"\0" * MB
    pieces = [compressor.compress(block) for _ in range(raw_length // MB)]
    pieces.append(compressor.compress(b"\0" * (raw_length % MB)))
    pieces.append(compressor.flush())
    return b"".join(pieces)


@functools.cache
def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """``size`` zero bytes as zip stores them (raw deflate), and their CRC, built 1 MB at a
    time: holding them all would distort the memory measurement."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    block, crc, pieces = b"\0" * MB, 0, []
    for _ in range(size // MB):
        pieces.append(deflater.compress(block))
        crc = zlib.crc32(block, crc)
    pieces.append(deflater.flush())
    return b"".join(pieces), crc


def _zip(
    entries: list[tuple[str, bytes | int]], *, declared: dict[str, int] | None = None
) -> bytes:
    """A zip archive written by hand; an int entry is that many zero bytes (deflated once and
    reused). ``declared``: sizes an entry claims instead of its own."""
    local, central = b"", b""
    for name, content in entries:
        if isinstance(content, int):
            data, crc = _deflated_zeros(content)
            method, size = 8, content
        else:
            deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = deflater.compress(content) + deflater.flush()
            method, size, crc = 8, len(content), zlib.crc32(content)
        size = (declared or {}).get(name, size)
        encoded = name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(data), size, len(encoded), 0
        )
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                len(local),
            )
            + encoded
        )
        local += header + encoded + data
    count = len(entries)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(local), 0)
    return local + central + end


BOMB = 256 * MB  # more than uploads.MAX_UNPACKED_BYTES unpacked, a few hundred KB packed


def zip_bomb_docx() -> bytes:
    # tests/submissions/files.zip_bomb() holds all 300 MB in memory to build them: written by
    # hand here, from one deflated stream, so that the corpus does not distort the measurement.
    return _zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", BOMB)])


def zip_bomb_odt() -> bytes:
    return _zip([("mimetype", uploads.ODT.encode()), ("content.xml", BOMB)])


def _odt_lying_mimetype() -> bytes:
    """An ODT whose "mimetype" entry declares 10 bytes but inflates to 256 MB."""
    return _zip([("mimetype", BOMB), ("content.xml", b"<x/>")], declared={"mimetype": 10})


def _zip_many_entries() -> bytes:
    entries: list[tuple[str, int | bytes]] = [("[Content_Types].xml", b"<Types/>")]
    entries += [("word/document.xml", b"<w:document/>")]
    entries += [(f"word/media/bild{number}.xml", b"x") for number in range(5_000)]
    return _zip(entries)


def _zip_traversal_entries() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
            ("../../../../tmp/beirat-evil.sh", b"#!/bin/sh\necho pwned\n"),  # attack input
            ("/etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
        ]
    )


def _encrypted_docx() -> bytes:
    data = bytearray(_read(upload_files.docx()))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (position := data.find(signature, start)) != -1:
            data[position + offset] |= 1  # "encrypted" flag bit
            start = position + 4
    return bytes(data)


def _truncated_zip() -> bytes:
    whole = _read(upload_files.docx())
    return whole[: len(whole) // 2]


def _pdf_bytes(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\n%%EOF\n"


def _pdf_document(objects: list[bytes], *, trailer: bytes = b"<< /Root 1 0 R >>") -> bytes:
    """A PDF with a correct cross-reference table (so that only what is meant is broken)."""
    output = io.BytesIO()
    output.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(b"trailer\n" + trailer[:-2] + b" /Size %d >>\n" % (len(objects) + 1))
    output.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return output.getvalue()


def _page_pdf(media_box: bytes = b"[0 0 595 842]", text: bytes = b"") -> bytes:
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET" if text else b""
    return _pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox "
            + media_box
            + b" /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def _pdf_malformed_xref() -> bytes:
    return _pdf_bytes(
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"xref\n0 99999999\n0000000000 65535 f \nthis is not an xref\n"
        b"trailer << /Size 99999999 /Root 1 0 R >>\nstartxref\n999999999"
    )


def _pdf_huge_object() -> bytes:
    return _pdf_bytes(
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n"
        b"4 0 obj << /Length 99999999999 /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b"0 0 m " * 1000)
        + b"\nendstream endobj\ntrailer << /Root 1 0 R >>"
    )


def _pdf_truncated() -> bytes:
    whole = _page_pdf(text=b"Vorlage AF/0013/2021 " * 20)
    return whole[: len(whole) // 2]


def _pdf_million_pages() -> bytes:
    return _pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b"3 0 R " * 100_000 + b"] /Count 1000000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def _pdf_nested_arrays() -> bytes:
    return _pdf_document(
        [b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 100_000 + b"]" * 100_000 + b" >>"]
    )


def _pdf_xref_loop() -> bytes:
    whole = _page_pdf()
    xref = whole.rindex(b"startxref")
    offset = int(whole[xref + 10 :].split(b"\n")[0])
    return whole.replace(b"trailer\n<< /Root", b"trailer\n<< /Prev %d /Root" % offset)


def _pdf_huge_page() -> bytes:
    # 14,400 pt is the largest page PDF allows: 60,000 × 60,000 pixels when rendered for OCR.
    return _page_pdf(media_box=b"[0 0 14400 14400]")


def _pdf_encrypted() -> bytes:
    return _pdf_document(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"],
        trailer=b"<< /Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >> >>",
    )


def _polyglot_pdf_zip() -> bytes:
    return small_pdf() + _read(upload_files.docx())


def _polyglot_jpeg_zip() -> bytes:
    return _jpeg(40, 30) + _read(upload_files.docx())


def _html_as_pdf() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _svg_as_png() -> bytes:
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
    )


def _jpeg(width: int, height: int) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), "blue").save(output, format="JPEG")
    return output.getvalue()


def _jpeg_declaring(width: int, height: int) -> bytes:
    """A real JPEG whose frame header is rewritten to declare other dimensions."""
    data = bytearray(_jpeg(16, 16))
    frame = data.find(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _jpeg_truncated() -> bytes:
    whole = _jpeg(400, 300)
    return whole[: len(whole) // 3]


def _png_bad_crc() -> bytes:
    data = bytearray(_png(8, 8))
    data[29] ^= 0xFF  # inside the IHDR checksum
    return bytes(data)


def _png_broken_chunk_after_data() -> bytes:
    good = _png(8, 8)
    end = good.rindex(b"IEND") - 4
    return good[:end] + b"\x7f\xff\xff\xffJUNK" + b"\0" * 32


def _png_icc_bomb() -> bytes:
    return _png(1, 1, extra=_png_chunk(b"iCCP", b"icc\0\0" + _zeros_compressed(50 * MB)))


def _png_bomb(side: int) -> bytes:
    """A real image of ``side`` × ``side`` black pixels: tiny on disk, huge when decoded."""
    return _png(side, side, idat=_zeros_compressed((1 + 3 * side) * side))


def _tiff_declaring(width: int, height: int) -> bytes:
    entries = [
        (256, 4, 1, width),  # ImageWidth
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # no compression
        (262, 3, 1, 1),  # black is zero
        (273, 4, 1, 8),  # StripOffsets
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, min(width * height, 2**32 - 1)),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    return b"II*\x00" + struct.pack("<I", 8 + 16) + b"\0" * 16 + ifd + b"\0\0\0\0"


def _billion_laughs_docx() -> bytes:
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    for level in range(1, 10):
        previous = b"&lol%d;" % (level - 1) if level > 1 else b"&lol;"
        laughs += b'<!ENTITY lol%d "%s">' % (level, previous * 10)
    laughs += b"]><w:document>&lol9;</w:document>"
    return _read(upload_files.docx(payload=laughs))


# 6,000 × 6,600 pixels: 39.6 megapixels, just below uploads.MAX_PIXELS (40 million).
NEAR_LIMIT = (6_000, 6_600)


@functools.cache
def _real_image(kind: str) -> bytes:
    """A black photo just below the pixel limit: accepted, so decoded and written anew."""
    width, height = NEAR_LIMIT
    if kind == "PNG":  # built by hand: Pillow takes seconds to compress it
        return _png(width, height, idat=_zeros_compressed((1 + 3 * width) * height))
    output = io.BytesIO()
    Image.new("RGB", NEAR_LIMIT).save(output, format="JPEG", quality=50)
    return output.getvalue()


def _paper_with_huge_field() -> bytes:
    """A council paper as the import reads it, its office, division and committee each
    100,000 characters long (they are looked up by name)."""
    seeds = Path(__file__).resolve().parents[1] / "ingest" / "seeds"
    text = (seeds / "000_94c2e8f52923bccc.txt").read_text()
    text = text.replace("Dezernat 1", "Dezernat " + "Z" * 100_000)
    text = text.replace("80-Amt für Wirtschaftsförderung", "80-" + "A" * 100_000)
    text = text.replace("22.04.2021\tStadtrat", "22.04.2021\t" + "S" * 100_000)
    return text.encode()


def _file_case(name: str, file_name: str, build: Callable[[], bytes], content_type: str) -> Upload:
    return Upload(name, lambda: (file_name, build(), content_type))


def _named_pdf(name: str, file_name: str) -> Upload:
    return Upload(name, lambda: (file_name, small_pdf(), "application/pdf"))


# The categories -----------------------------------------------------------------------------


def _query_repeat(text: str) -> Callable[[tuple[str, ...]], str]:
    return lambda params: "&".join(f"{param}={text}" for param in params or ("q",))


OVERSIZED: list[Case] = [
    Body("10 MB Text in einem Feld", _ten_megabytes_in_one_field, expect=400),
    Body("Formular knapp über DATA_UPLOAD_MAX_MEMORY_SIZE", _just_over_the_limit, expect=400),
    Body("jedes Textfeld so lang, wie das Limit erlaubt", _long_values_under_the_limit),
    Body("100.000 Felder (DATA_UPLOAD_MAX_NUMBER_FIELDS)", _many_fields, expect=400),
    Body("1.000 Dateien (DATA_UPLOAD_MAX_NUMBER_FILES)", _many_files, expect=400),
    Upload(
        "Datei knapp über 10 MB",
        lambda: ("gross.pdf", b"%PDF-1.4\n" + b"0" * (10 * MB), "application/pdf"),
    ),
    Upload("20 Dateien auf einmal", lambda: ("blatt.pdf", small_pdf(), "application/pdf"), 20),
    # Beyond any proxy's limit (gunicorn takes request lines up to 4 KB): Django alone.
    QueryString("Query-String mit 100 KB", _query_repeat("Q" * 100_000)),
    QueryString(
        "100.000 Query-Parameter", lambda params: "&".join(f"p{n}=1" for n in range(100_000))
    ),
    Text("64 KB in jedem Feld und Parameter", "S" * 65_536),
    Headers("Header mit 64 KB", {"HTTP_X_LANG": "L" * 65_536}),
]

INVALID_ENCODINGS: list[Case] = [
    Body("%ff%fe im Formular", lambda form: _raw_form(form, b"%ff%fe")),
    Body("überlanges UTF-8 %c0%af", lambda form: _raw_form(form, b"..%c0%af..%c0%afetc")),
    Body("einzelnes Surrogat %ed%a0%80", lambda form: _raw_form(form, b"a%ed%a0%80b")),
    Body("NUL-Byte %00", lambda form: _raw_form(form, b"vor%00nach")),
    Body("rohe Bytes ohne Escape", lambda form: _raw_form(form, b"\xff\xfe\x00\xc3")),
    Body("UTF-16 mit charset=utf-16", _valid_utf16),
    Body("unbekannter charset", _bogus_charset),
    Body("Multipart mit ungültigem UTF-8 in Wert und Dateiname", _multipart_invalid_utf8),
    Text("NUL im Text", "a\x00b"),
    Text("Steuerzeichen", "\x01\x02\x1b[31m\x7f\x08\x0c"),
    Text(
        "Richtungsumkehr, unsichtbare Zeichen, Zeichen außerhalb der BMP",
        "abc\u202edcba\u200b\ufeff\u2066" + "🏛️🗳️" * 50 + "\U0010ffff",
    ),
    QueryString("%ff%fe im Query-String", _query_repeat("%ff%fe")),
    QueryString("überlanges UTF-8 im Query-String", _query_repeat("%c0%af")),
    QueryString("Surrogat im Query-String", _query_repeat("%ed%a0%80")),
    QueryString("NUL im Query-String", _query_repeat("a%00b")),
    QueryString("kaputtes Escape im Query-String", _query_repeat("%zz%4%")),
    QueryString("rohe Bytes im Query-String", _query_repeat("\xff\xfe\x00")),
]

HTML_INJECTION: list[Case] = [
    Text("script", "<script>alert(1)</script>"),
    Text("Attribut-Ausbruch", '"><img src=x onerror=alert(1)>'),
    Text(
        "Ausbruch aus textarea, title und JavaScript-String",
        "'-alert(1)-'</textarea></title><svg onload=alert(1)>",
    ),
    Text(
        "javascript:-URL in URL-Feldern",
        "javascript:alert(1)//https://example.org/",
        into=("url",),
    ),
    Text("Template-Syntax", '{{ "zqxjv"|upper }} {% debug %} {% load log %}'),
    Text("Kopfzeilen-Einschleusung", "Betreff\r\nBcc: opfer@example.org\r\n\r\n<b>Text</b>"),
]

SQL_AND_FTS: list[Case] = [
    Text("' OR 1=1 --", "' OR 1=1 --"),
    Text("Statement angehängt", "x'; DROP TABLE core_user; /* */ --", into=("all",)),
    Text("Prozent", "%", forms=False),
    Text("Unterstrich", "_", forms=False),
    Text("Backslash", "\\ a\\%b\\_c", forms=False),
    Text("FTS-Sonderzeichen", '"*:()^-+~', forms=False),
    Text("Operatoren allein", "AND OR NOT", forms=False),
    Text(
        "tantivy-Syntax",
        'titel:foo AND (bar OR "baz qux"~2) -x +y [a TO b] {1 TO 5} z^3 a* *',
        forms=False,
    ),
    Text("offene Klammern und Anführungszeichen", '((("unterminated', forms=False),
    Text("FTS5-Syntax", 'NEAR(a b, 2) col:x "a" * ^b', forms=False),
    Text("Prozent-NUL als Text", "%00", forms=False),
    Text("riesige Zahl", "99999999999999999999999999999", into=("number", "select")),
    Text("negative Zahl in Exponentenschreibweise", "-1e309", into=("number",)),
]

PATH_TRAVERSAL: list[Case] = [
    _named_pdf("../../etc/passwd", "../../etc/passwd"),
    _named_pdf("..\\..\\boot.ini", "..\\..\\boot.ini"),
    _named_pdf("/etc/passwd", "/etc/passwd"),
    _named_pdf("NUL im Namen", "a\x00.pdf"),
    _named_pdf("sehr langer Name", "A" * 1000 + ".pdf"),
    _named_pdf("Zeilenumbruch im Namen", "a\r\nContent-Type: text/html\r\n\r\n<b>.pdf"),
    _named_pdf("Anführungszeichen im Namen", 'a"; filename="evil.exe.pdf'),
    _named_pdf("Prozent-kodierter Pfad", "%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf"),
    _named_pdf("....//", "....//....//etc/passwd.pdf"),
    _named_pdf("Windows-Gerätename", "CON.pdf"),
    _named_pdf("Punktdatei", ".htaccess"),
    _named_pdf("Richtungsumkehr im Namen", "rechnung\u202efdp.exe"),
    _named_pdf("HTML im Namen", "<script>alert(1)</script>.pdf"),
    _named_pdf("nur Punkte", ".."),
    Text("Pfad in Parametern", "../../../../etc/passwd", forms=False),  # attack input
    Text("Pfad in Parametern, kodiert", "..%2f..%2f..%2fetc%2fpasswd", forms=False),
]

PARSER_ATTACKS: list[Case] = [
    _file_case("Zip-Bombe als .docx", "harmlos.docx", zip_bomb_docx, "application/octet-stream"),
    _file_case("Zip-Bombe als .odt", "harmlos.odt", zip_bomb_odt, uploads.ODT),
    _file_case(
        "mimetype-Eintrag lügt über seine Größe", "lug.odt", _odt_lying_mimetype, uploads.ODT
    ),
    _file_case("Zip mit 5.000 Einträgen", "viele.docx", _zip_many_entries, uploads.DOCX),
    _file_case("Zip mit ../ in Einträgen", "pfade.docx", _zip_traversal_entries, uploads.DOCX),
    _file_case("verschlüsseltes Zip", "geheim.docx", _encrypted_docx, uploads.DOCX),
    _file_case("abgeschnittenes Zip", "halb.docx", _truncated_zip, uploads.DOCX),
    _file_case(
        "unbekannte Kompressionsmethode",
        "methode.odt",
        lambda: with_compression_method(odt(), 99),
        uploads.ODT,
    ),
    _file_case("Milliarde Lacher (XML)", "lacher.docx", _billion_laughs_docx, uploads.DOCX),
    _file_case("PDF mit kaputter xref", "xref.pdf", _pdf_malformed_xref, "application/pdf"),
    _file_case("PDF mit riesigem Objekt", "objekt.pdf", _pdf_huge_object, "application/pdf"),
    _file_case("abgeschnittenes PDF", "halb.pdf", _pdf_truncated, "application/pdf"),
    _file_case("PDF mit einer Million Seiten", "seiten.pdf", _pdf_million_pages, "application/pdf"),
    _file_case("PDF mit 100.000 Ebenen", "tief.pdf", _pdf_nested_arrays, "application/pdf"),
    _file_case("PDF mit xref-Schleife", "schleife.pdf", _pdf_xref_loop, "application/pdf"),
    _file_case("PDF mit Riesenseite", "seite.pdf", _pdf_huge_page, "application/pdf"),
    _file_case("verschlüsseltes PDF", "geheim.pdf", _pdf_encrypted, "application/pdf"),
    _file_case("PDF als .png", "bild.png", small_pdf, "image/png"),
    _file_case("PNG als .pdf", "antrag.pdf", lambda: _png(8, 8), "application/pdf"),
    _file_case("Polyglott PDF+Zip", "beides.docx", _polyglot_pdf_zip, uploads.DOCX),
    _file_case("Polyglott JPEG+Zip", "beides.jpg", _polyglot_jpeg_zip, "image/jpeg"),
    _file_case("HTML als .pdf", "antrag.pdf", _html_as_pdf, "application/pdf"),
    _file_case("SVG mit Skript als .png", "bild.png", _svg_as_png, "image/png"),
    _file_case(
        "Programm als .pdf",
        "antrag.pdf",
        lambda: _read(upload_files.executable()),
        "application/pdf",
    ),
    _file_case("leere Datei", "leer.pdf", lambda: b"", "application/pdf"),
    _file_case("abgeschnittenes JPEG", "halb.jpg", _jpeg_truncated, "image/jpeg"),
    _file_case("PNG mit falscher Prüfsumme", "crc.png", _png_bad_crc, "image/png"),
    _file_case("PNG mit kaputtem Block", "block.png", _png_broken_chunk_after_data, "image/png"),
    _file_case(
        "Vorlage mit 100.000 Zeichen langem Feld",
        "vorlage.txt",
        _paper_with_huge_field,
        "text/plain",
    ),
]

HUGE_IMAGES: list[Case] = [
    _file_case(
        "PNG mit 50.000 × 50.000 Pixeln (nur Kopf)",
        "riesig.png",
        lambda: _read(upload_files.huge_png()),
        "image/png",
    ),
    _file_case(
        "JPEG mit 50.000 × 50.000 Pixeln",
        "riesig.jpg",
        lambda: _jpeg_declaring(50_000, 50_000),
        "image/jpeg",
    ),
    _file_case(
        "PNG mit 65.535 × 65.535 Pixeln",
        "max.png",
        lambda: _png(65_535, 65_535, idat=b""),
        "image/png",
    ),
    _file_case("PNG 1 × 2³¹−1", "lang.png", lambda: _png(1, 2**31 - 1, idat=b""), "image/png"),
    _file_case(
        "PNG-Dekompressionsbombe 10.000²", "bombe.png", lambda: _png_bomb(10_000), "image/png"
    ),
    _file_case("PNG mit Text-Bombe (zTXt)", "text.png", png_with_text_bomb, "image/png"),
    _file_case("PNG mit ICC-Bombe (iCCP)", "icc.png", _png_icc_bomb, "image/png"),
    _file_case(
        "TIFF mit 100.000 × 100.000 Pixeln",
        "scan.tif",
        lambda: _tiff_declaring(100_000, 100_000),
        "image/tiff",
    ),
    _file_case(
        "JPEG-Kopf knapp unter der Grenze, kaum Daten",
        "gross.jpg",
        lambda: _jpeg_declaring(6_000, 6_600),
        "image/jpeg",
    ),
    _file_case(
        "echtes PNG knapp unter der Grenze", "foto.png", lambda: _real_image("PNG"), "image/png"
    ),
    _file_case(
        "echtes JPEG knapp unter der Grenze", "foto.jpg", lambda: _real_image("JPEG"), "image/jpeg"
    ),
    _file_case(
        "winziges JPEG mit Ortsdaten",
        "foto.jpg",
        lambda: _read(upload_files.jpeg_with_location()),
        "image/jpeg",
    ),
]

WRONG_CONTENT_TYPES: list[Case] = [
    Body("JSON statt Formular", _json_body),
    Body("Multipart ohne boundary", _multipart_without_boundary),
    Body("abgeschnittenes Multipart", _multipart_truncated),
    Body("Multipart-Teil ohne Content-Disposition", _multipart_without_disposition),
    Body("Multipart mit 200-KB-Kopfzeile", _multipart_huge_header),
    Body("text/plain", _text_plain),
    Body("urlencoded, als Multipart deklariert", _urlencoded_declared_multipart),
    Body("Multipart, als urlencoded deklariert", _multipart_declared_urlencoded),
    Body("ohne Content-Type", _no_content_type),
    Body("Textfeld als Datei", _text_field_as_file),
    Body("Content-Length 0 mit Inhalt", _unchanged, environ={"CONTENT_LENGTH": "0"}),
    Body("PUT statt POST", _unchanged, method="PUT"),
    Body("unbekannte Methode", _unchanged, method="PROPFIND"),
    Upload("Dateifeld als Text", lambda: ("", b"nur Text", "text/plain"), as_text=True),
]

EVIL = "https://evil.example"
FORGED_HEADERS: list[Case] = [
    Headers("fremder Host", {"HTTP_HOST": "evil.example"}, expect=400),
    # An allowed host with a port that cannot be: Django takes it (the port is not checked).
    Headers("erlaubter Host mit Port 99999", {"HTTP_HOST": "localhost:99999"}),
    Headers("Host mit Leerzeichen und NUL", {"HTTP_HOST": "local host\x00"}, expect=400),
    Headers("Host als IPv6-Bruchstück", {"HTTP_HOST": "[::1"}, expect=400),
    Headers(
        "X-Forwarded-For Unsinn",
        {"HTTP_X_FORWARDED_FOR": "1.2.3.4, <script>, ::::, , " + "9" * 5000},
    ),
    Headers("X-Forwarded-Host fremd", {"HTTP_X_FORWARDED_HOST": "evil.example"}),
    Headers(
        "X-Forwarded-Proto Unsinn",
        {"HTTP_X_FORWARDED_PROTO": "gopher, https"},
        production_proxy=True,
    ),
    Headers(
        "HTTPS ohne Referer",
        {"HTTP_X_FORWARDED_PROTO": "https"},
        production_proxy=True,
    ),
    Headers(
        "HTTPS mit kaputtem Referer",
        {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_REFERER": "http://[::1"},
        production_proxy=True,
    ),
    Headers("fremder Origin", {"HTTP_ORIGIN": EVIL}),
    Headers("fremder Referer", {"HTTP_REFERER": EVIL + "/formular"}),
    Headers(
        "gefälschtes CSRF-Token",
        {"HTTP_X_CSRFTOKEN": "x" * 64, "HTTP_COOKIE": "csrftoken=" + "y" * 64},
    ),
    Headers("Cookie mit 64 KB", {"HTTP_COOKIE": "a=" + "c" * 65_536}),
    Headers(
        "kaputte Cookies",
        {"HTTP_COOKIE": "sessionid=\x00; ; ;=;; django_language=../../etc; csrftoken"},
        replace_cookies=True,
    ),
    Headers("fremde Sitzung", {"HTTP_COOKIE": "sessionid=" + "0" * 32}, replace_cookies=True),
    Headers("Sprach-Cookie Unsinn", {"HTTP_COOKIE": "django_language=<script>"}),
    Headers(
        "Accept-Language Unsinn",
        {"HTTP_ACCEPT_LANGUAGE": "de;q=abc, *;q=-1, " + "x" * 10_000},
    ),
    Headers(
        "HX-Request",
        {
            "HTTP_HX_REQUEST": "true",
            "HTTP_HX_TARGET": "<script>",
            "HTTP_HX_CURRENT_URL": "javascript:alert(1)",
        },
    ),
    Headers(
        "If-None-Match und If-Modified-Since Unsinn",
        {"HTTP_IF_NONE_MATCH": '"*", W/', "HTTP_IF_MODIFIED_SINCE": "gestern"},
    ),
    Headers(
        "User-Agent mit Steuerzeichen",
        {"HTTP_USER_AGENT": "Mozilla\x00\x1b[31m" + "U" * 10_000},
    ),
]

CATEGORIES: dict[str, list[Case]] = {
    "oversized": OVERSIZED,
    "invalid encodings": INVALID_ENCODINGS,
    "HTML/JS injection": HTML_INJECTION,
    "SQL and FTS metacharacters": SQL_AND_FTS,
    "path traversal in file names": PATH_TRAVERSAL,
    "parser attacks": PARSER_ATTACKS,
    "huge images": HUGE_IMAGES,
    "wrong content types": WRONG_CONTENT_TYPES,
    "forged headers": FORGED_HEADERS,
}

# What the corpus must keep at least (test_every_category_keeps_its_cases).
MINIMUM_CASES = {
    "oversized": 11,
    "invalid encodings": 17,
    "HTML/JS injection": 6,
    "SQL and FTS metacharacters": 13,
    "path traversal in file names": 16,
    "parser attacks": 29,
    "huge images": 12,
    "wrong content types": 14,
    "forged headers": 20,
}

# Substrings that must never be in a response: the payload as markup, or a template evaluated.
RAW_MARKUP = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    'href="javascript:',
    "ZQXJV",  # {{ "zqxjv"|upper }} evaluated
    "111105",  # 12345*9 evaluated
    "(built-in)",  # {% debug %} evaluated: it lists the loaded modules
)
