"""Reads of the submissions app."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from beirat.core.tracking_codes import normalize_code
from beirat.submissions.models import Event, Submission


def get_submission_by_code(code: str) -> Submission:
    """The submission with this tracking code, or 404; the code is the submitter's key."""
    canonical = normalize_code(code)
    submission = (
        Submission.objects.select_related("topic").filter(tracking_code=canonical).first()
        if canonical
        else None
    )
    if submission is None:
        raise Http404
    return submission


def public_history(submission: Submission) -> list[Event]:
    return list(submission.events.filter(public=True).order_by("created_at", "id"))


def data_of(submission: Submission) -> dict[str, Any]:
    """Everything stored about the submission that concerns its submitter (GDPR Art. 15)."""
    return {
        "vorgangsnummer": submission.tracking_code,
        "eingegangen_am": submission.received_at.isoformat(),
        "titel": submission.title,
        "text": submission.text,
        "thema": str(submission.topic) if submission.topic else None,
        "status": submission.get_status_display(),
        "name": submission.submitter_name or None,
        "e_mail": submission.submitter_email or None,
        "e_mail_bestaetigt_am": submission.email_confirmed_at.isoformat()
        if submission.email_confirmed_at
        else None,
        "einwilligung_am": submission.consent_at.isoformat(),
        "anhaenge": [
            {"name": item.name, "art": item.content_type, "groesse_bytes": item.size}
            for item in submission.attachments.all()
        ],
        "verlauf": [
            {
                "am": event.created_at.isoformat(),
                "was": event.get_kind_display(),
                "text": event.text,
            }
            for event in public_history(submission)
        ],
    }
