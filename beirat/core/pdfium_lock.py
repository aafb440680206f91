"""One lock for every use of pdfium in a process.

pdfium keeps global state and is not thread-safe, not even for two different documents: two
threads that open, read, render or close PDFs at the same time can read a good file as broken
("Failed to load page"). Threads do read PDFs at once here: the development server answers
requests in threads, and the OParl sync checks the next page's files while it stores the last
page's attachments. Every caller holds this lock around each pdfium call (opening, reading and
closing a document); work that needs no pdfium, such as OCR of a rendered page, runs outside it.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
