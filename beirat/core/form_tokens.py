"""A signed, time-stamped token for public forms that must not set a cookie.

Public pages set no cookie until a form is used, so the anonymous forms of
the site are exempt from Django's cookie-based CSRF check; they act with no user's authority, so
there is nothing a forged request could borrow. In its place the form carries this token: it
proves the form came from this site, and a minimum fill time turns away robots that post at once.
"""

from __future__ import annotations

import datetime
import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

SALT = "beirat.public-form"
MAX_AGE = datetime.timedelta(hours=12)


def issue_token() -> str:
    # A random value, so that no two served forms share a token (the proof of work spends them).
    return signing.TimestampSigner(salt=SALT).sign(secrets.token_urlsafe(9))


def check_token(token: str) -> str | None:
    """None when the token is good, otherwise the message for the user."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        signer.unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return str(_("Das Formular war zu lange geöffnet. Bitte senden Sie es noch einmal ab."))
    except signing.BadSignature:
        return str(_("Das Formular konnte nicht zugeordnet werden. Bitte laden Sie die Seite neu."))
    issued = signing.b62_decode(token.split(":")[1])
    minimum = getattr(settings, "BEIRAT_FORM_MIN_SECONDS", 3)
    if _now() - issued < minimum:
        return str(
            _(
                "Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie das "
                "Formular erneut ab."
            )
        )
    return None


def _now() -> int:
    return int(datetime.datetime.now(tz=datetime.UTC).timestamp())


class PublicFormMixin(forms.Form):
    """Adds the signed token to a public form and checks it on validation."""

    issued = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["issued"].initial = issue_token()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        problem = check_token(str(self.data.get(self.add_prefix("issued"), "")))
        if problem:
            self.renew_token()
            raise forms.ValidationError(problem)
        return cleaned

    def renew_token(self) -> None:
        """A fresh token in the re-rendered form, so that the corrected form can be sent again."""
        if isinstance(self.data, QueryDict):
            fresh = self.data.copy()
            fresh[self.add_prefix("issued")] = issue_token()
            self.data = fresh
