"""Tesseract, called as a program (Debian's `tesseract-ocr` and `tesseract-ocr-deu`).

OCR is optional: `make run` works without it, and importing a scan without it says exactly
which packages to install.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

INSTALL_HINT = (
    "Für gescannte Dokumente fehlt die Texterkennung: bitte "
    "'apt-get install tesseract-ocr tesseract-ocr-deu' ausführen."
)
SECONDS_PER_PAGE = 120
# German, and page segmentation mode 4 (a single column of text of variable sizes): a paper's
# page. benchmarks/ingest_bench.py runs plain tesseract with the same arguments.
ARGUMENTS = ("-l", "deu", "--psm", "4")


class OcrUnavailable(Exception):
    pass


@functools.cache
def tesseract() -> str:
    """The tesseract program with German installed, or OcrUnavailable with the install hint."""
    program = shutil.which("tesseract")
    if program is None:
        raise OcrUnavailable(INSTALL_HINT)
    languages = subprocess.run(  # noqa: S603 - the found program, fixed arguments
        [program, "--list-langs"], capture_output=True, text=True, check=False, timeout=30
    ).stdout.split()
    if "deu" not in languages:
        raise OcrUnavailable(INSTALL_HINT)
    return program


def recognise(png: bytes) -> str:
    """German text of one page image (PNG bytes)."""
    completed = subprocess.run(  # noqa: S603 - the found program, fixed arguments
        [tesseract(), "stdin", "stdout", *ARGUMENTS],
        input=png,
        capture_output=True,
        check=False,
        timeout=SECONDS_PER_PAGE,
    )
    if completed.returncode:
        raise OcrUnavailable(completed.stderr.decode(errors="replace").strip()[:300])
    return completed.stdout.decode("utf-8", errors="replace")
