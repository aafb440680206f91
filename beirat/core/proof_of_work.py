"""Optional self-hosted proof of work for the public forms (off unless a city switches it on).

While a wave of automated submissions lasts, a city can ask every browser to spend a moment of
computing before a form is accepted: the browser searches a number whose SHA-256 together with
the form's signed token starts with ``BEIRAT_PROOF_OF_WORK_BITS`` zero bits. Measured in Debian's
Chromium on a busy 2-core machine (about 70,000 hashes per second through WebCrypto): 12 bits
0.1 s, 16 bits 1.6 s, 18 bits 3.2 s, 20 bits 15 s on average; each bit doubles it, phones are
slower. Checking costs the server one hash. A solved token is accepted once, so a robot has to
work for every submission. The search runs in the browser's JavaScript; without it the form
explains how else to reach the city, which is why the setting is off by default and meant for
times of attack.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from beirat.core import form_tokens

MAX_BITS = 28  # beyond this a phone would work for minutes
MAX_NONCE_LENGTH = 20


def required_bits() -> int:
    bits = int(getattr(settings, "BEIRAT_PROOF_OF_WORK_BITS", 0))
    return max(0, min(bits, MAX_BITS))


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte:
            return count + 8 - byte.bit_length()
        count += 8
    return count


def work_of(challenge: str, nonce: str) -> int:
    """How many leading zero bits the browser's answer earned."""
    return leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest())


def check(challenge: str, nonce: str) -> str | None:
    """None when the answer is good and not used before, otherwise the message for the user."""
    bits = required_bits()
    if not bits:
        return None
    valid_nonce = nonce.isascii() and nonce.isdigit() and len(nonce) <= MAX_NONCE_LENGTH
    if not valid_nonce or work_of(challenge, nonce) < bits:
        return _(
            "Ihr Browser konnte das Formular nicht absichern. Bitte warten Sie nach dem Laden "
            "der Seite einen Moment und senden Sie dann erneut."
        )
    if not _spend(challenge):
        return _("Dieses Formular wurde schon abgeschickt. Bitte senden Sie es noch einmal ab.")
    return None


def _spend(challenge: str) -> bool:
    """Remembers a solved token until it expires anyway; False if it was spent before."""
    key = "pow:" + hashlib.sha256(challenge.encode()).hexdigest()
    timeout = int(form_tokens.MAX_AGE.total_seconds())
    return bool(cache.add(key, 1, timeout=timeout))


class ProofOfWorkMixin(form_tokens.PublicFormMixin):
    """A public form whose signed token must come back with the browser's work, when switched on."""

    work = forms.CharField(widget=forms.HiddenInput, required=False)

    @property
    def proof_of_work_bits(self) -> int:
        return required_bits()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if self.errors:
            # The work is spent only with an otherwise valid form, so fixing a typo costs nothing.
            return cleaned
        challenge = str(self.data.get(self.add_prefix("issued"), ""))
        problem = check(challenge, str(self.data.get(self.add_prefix("work"), "")))
        if problem:
            self.renew_token()
            raise forms.ValidationError(problem)
        return cleaned
