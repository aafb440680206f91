"""The submitter's name and contact data out of the texts an office reads (pure, no database).

Offices never see who handed a submission in: contact data stays with IT management. The texts
they read can still name the person: the submission itself ("Viele Grüße, Erika Musterfrau"),
IT management's reply ("Guten Tag Frau Musterfrau"), an addition. The name is known (the
submission's ``submitter_name``), so every word of it is replaced wherever it stands, and so are
the known address, any other e-mail address and phone numbers. A pattern is a safety net, not a
guarantee; the known name is removed for certain.

The board app has a fuller redaction for its experts (greetings and signatures of unknown
names, postal addresses); the app layers keep this app from importing it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.utils.translation import gettext

if TYPE_CHECKING:
    from beirat.submissions.models import Submission

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# +49 261 129-0, 0261/12 90, (0261) 129 0, 0170 1234567: a prefix, then at least 6 more digits;
# no dots, so that dates (09.10.2020) stay.
_PHONE = re.compile(r"(?<![\w/.])(?:\+\d{2}|\(?0)[\d ()/\-]{6,}\d(?!\d)")
# Titles, forms of address and particles are not the name; one- and two-letter words neither.
_NOT_NAMES = {"dr", "prof", "herr", "herrn", "frau", "dipl", "von", "van", "der", "den", "de"}


def name_words(name: str) -> list[str]:
    """The words of ``name`` that identify the person, longest first."""
    words = {word.strip(".,;:()") for word in name.split()}
    words |= {part for word in list(words) for part in word.split("-")}  # "Müller-Lüdenscheidt"
    kept = [word for word in words if len(word) >= 3 and word.lower() not in _NOT_NAMES]
    return sorted(kept, key=len, reverse=True)


def without_submitter(text: str, *, name: str, email: str) -> str:
    """``text`` without the submitter's name words, e-mail address and phone numbers."""
    if not text:
        return text
    address_marker = gettext("[E-Mail-Adresse entfernt]")
    if email:
        text = re.sub(re.escape(email), address_marker, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(address_marker, text)
    text = _PHONE.sub(gettext("[Telefonnummer entfernt]"), text)
    name_marker = gettext("[Name entfernt]")
    for word in name_words(name):
        pattern = rf"(?<!\w){re.escape(word)}(?!\w)"
        text = re.sub(pattern, name_marker, text, flags=re.IGNORECASE)
    return text


def for_office(submission: Submission, text: str) -> str:
    """``text`` as an office may read it: without the submitter of ``submission``."""
    return without_submitter(text, name=submission.submitter_name, email=submission.submitter_email)
