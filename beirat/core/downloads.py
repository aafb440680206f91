"""Stored files handed to a browser: always as a download, never sniffed into something else."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse


def attachment(file: FieldFile, filename: str, content_type: str = "") -> HttpResponse:
    """The file as a download under ``filename``; 404 when nothing is stored."""
    if not file:
        raise Http404
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename)
    if content_type:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render the file anyway (opened from the downloads list, an old viewer),
    # it runs sandboxed and may load nothing. Set here, the site-wide CSP middleware keeps it.
    response["Content-Security-Policy"] = (
        "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; sandbox"
    )
    return response  # type: ignore[return-value]  # a streaming response is a response here
