"""PDF output: a Django template rendered to a tagged, accessible PDF.

The only module that knows the PDF engine (WeasyPrint). Two promises hold for every PDF:
no network access while rendering (only local static files and ``data:`` URLs are fetched)
and no personal data in the metadata (no author; the creator is the application).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

CREATOR = "beirat"
# PDF/UA-1 implies a tagged PDF 1.7: headings, paragraphs and tables reach screen readers.
PDF_VARIANT = "pdf/ua-1"


class ResourceRefusedError(ValueError):
    """A template asked for a resource outside the static folders."""


def static_roots() -> tuple[Path, ...]:
    """The folders a PDF may load files from: the project's static folders."""
    roots = [Path(root) for root in settings.STATICFILES_DIRS]
    roots.append(Path(settings.STATIC_ROOT))
    return tuple(root.resolve() for root in roots)


def is_allowed_url(url: str, roots: Sequence[Path]) -> bool:
    """True for ``data:`` URLs and ``file:`` URLs of files inside one of ``roots``."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(parts.path)).resolve()  # resolve() defeats "../" escapes
    return any(path.is_relative_to(root) for root in roots)


# WeasyPrint ships no type hints, so its fetcher class is ``Any`` to mypy.
class LocalOnlyURLFetcher(URLFetcher):  # type: ignore[misc]
    """Fetches local static files and ``data:`` URLs; refuses everything else."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(roots)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        if not is_allowed_url(url, self.roots):
            raise ResourceRefusedError(f"PDF resource refused: {url[:200]}")
        return super().fetch(url, headers)


def render_pdf(
    template_name: str, context: dict[str, Any], *, title: str, language: str = "de"
) -> bytes:
    """Render ``template_name`` with ``context`` to a tagged PDF titled ``title``."""
    with translation.override(language):
        html = render_to_string(
            template_name, {**context, "pdf_title": title, "pdf_language": language}
        )
    roots = static_roots()
    document = HTML(
        string=html, base_url=roots[0].as_uri() + "/", url_fetcher=LocalOnlyURLFetcher(roots)
    ).render(pdf_variant=PDF_VARIANT)
    _set_metadata(document.metadata, title=title, language=language)
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def _set_metadata(metadata: Any, *, title: str, language: str) -> None:
    """Overwrite whatever the template declared: no person may appear in the metadata."""
    metadata.title = title
    metadata.lang = language
    metadata.generator = CREATOR
    metadata.authors = []
    metadata.description = None
    metadata.keywords = []
    metadata.custom = {}
