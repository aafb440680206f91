"""The receipt of a submission as a PDF: the tracking code on paper, with title, date and link.

Rendered on request (it is small) through core/pdf.py: no network while rendering, no person in
the metadata. It names neither the submitter nor the text, only what finds the submission again.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from beirat.core.pdf import render_pdf
from beirat.submissions.models import Submission


def receipt_pdf(submission: Submission, *, language: str = "de") -> bytes:
    with translation.override(language):
        title = gettext("Beleg zu Ihrer Eingabe „%(title)s“") % {"title": submission.title}
    context = {
        "submission": submission,
        "track_url": settings.BEIRAT_SITE_URL + submission.get_absolute_url(),
        "lookup_url": settings.BEIRAT_SITE_URL + reverse("submissions:lookup"),
        "city": settings.CITY,
    }
    return render_pdf("submissions/pdf/receipt.html", context, title=title, language=language)
