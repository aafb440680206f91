"""The official PDF of a paper, kept in file storage per version of the paper.

A version changes whenever the paper or its committee route changes, and when a meeting on the
route takes place (its results may then be printed), so a stored PDF is never stale. Services
enqueue a rendering after commit; a request that finds no current file renders it itself, so
nobody waits for a worker that is down.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max

from beirat.council import queries
from beirat.council.models import Paper
from beirat.council.pdf import paper_pdf

FOLDER = "vorlagen-pdf"


def pdf_version(paper: Paper) -> str:
    route_changed = paper.consultations.aggregate(latest=Max("modified_at"))["latest"]
    withheld = list(
        paper.consultations.exclude(queries.consultations_with_results())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    stamp = f"{paper.pk}|{paper.modified_at.isoformat()}|{route_changed}|{withheld}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def _path(paper: Paper, version: str) -> str:
    return f"{FOLDER}/{paper.pk}/{version}.pdf"


def current_pdf(paper: Paper) -> bytes:
    """The PDF of the paper as it is now, rendered and stored if not there yet."""
    path = _path(paper, pdf_version(paper))
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            return bytes(stored.read())
    return store_pdf(paper)


def store_pdf(paper: Paper) -> bytes:
    """Render the current version, store it and remove older versions."""
    version = pdf_version(paper)
    content = paper_pdf(paper)
    path = _path(paper, version)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    folder = f"{FOLDER}/{paper.pk}"
    if default_storage.exists(folder):
        _directories, files = default_storage.listdir(folder)
        for name in files:
            if name != f"{version}.pdf":
                default_storage.delete(f"{folder}/{name}")
    return content
