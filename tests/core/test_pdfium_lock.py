"""pdfium is used from several threads at once (the development server's request threads, the
OParl sync's reading thread): every use holds one lock, or good PDFs are read as broken.

The collision is rare and then lasting: in the OParl sync benchmark (1,000 papers, a PDF each)
with one lock for the text and another for the upload check, pdfium failed at some paper and
from then on refused about 300 good files with "Failed to load page"; with one lock, none. A
test small enough for the suite does not reliably provoke it, so the last test here checks the
cause instead: every module that calls pdfium holds the same lock."""

from __future__ import annotations

import threading

from beirat.core import file_metadata, file_text
from beirat.core.pdfium_lock import PDFIUM_LOCK
from beirat.core.uploads import PDF
from tests.factories.council import pdf_with_text

ROUNDS = 150


def _read_at_once(document: bytes) -> list[BaseException]:
    """Two threads: one checks the PDF as an upload is checked, one reads its text."""
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def check() -> None:
        start.wait()
        for _ in range(ROUNDS):
            try:
                file_metadata.without_metadata(document, PDF, "anlage.pdf")
            except Exception as error:  # collected: the test names what went wrong
                errors.append(error)

    def read() -> None:
        start.wait()
        for _ in range(ROUNDS):
            if "Haushaltsplan" not in file_text.text_of(document, PDF):
                errors.append(AssertionError("text lost"))

    threads = [threading.Thread(target=check), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_threads_read_pdfs_at_once_without_errors():
    document = pdf_with_text("Haushaltsplan 2027 der Stadt")
    assert _read_at_once(document) == []


def test_every_module_shares_the_one_lock():
    from beirat.ingest import extract

    assert file_text.PDFIUM_LOCK is PDFIUM_LOCK
    assert file_metadata.PDFIUM_LOCK is PDFIUM_LOCK
    assert extract.PDFIUM_LOCK is PDFIUM_LOCK
