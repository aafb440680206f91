"""Forms of the alerts app. The subscribe form is public and sets no cookie: the signed form
token (core/form_tokens.py) stands in for the CSRF cookie."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beirat.alerts.models import Subscription
from beirat.core.form_tokens import PublicFormMixin
from beirat.core.forms import Form

FREQUENCY_CHOICES = [
    (Subscription.Frequency.IMMEDIATE, _("sofort bei jeder Änderung")),
    (Subscription.Frequency.DAILY, _("einmal täglich als Übersicht")),
]
# The parameters that name what is followed; a search keeps the names of /suche/.
TARGET_FIELDS = ("fuer_gremium", "fuer_vorlage", "fuer_empfehlung")
SEARCH_FIELDS = ("q", "art", "jahr", "gremium", "status")


class SubscribeForm(PublicFormMixin, Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_(
            "Sie erhalten zuerst eine E-Mail mit einem Bestätigungslink. Erst danach senden wir "
            "Benachrichtigungen; jede E-Mail enthält einen Link zum Abbestellen."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label=_("Wie oft?"),
        choices=FREQUENCY_CHOICES,
        initial=Subscription.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    fuer_gremium = forms.SlugField(required=False, max_length=200, widget=forms.HiddenInput)
    fuer_vorlage = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    fuer_empfehlung = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    q = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    art = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    jahr = forms.CharField(required=False, max_length=4, widget=forms.HiddenInput)
    gremium = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    status = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)


class FrequencyForm(Form):
    frequency = forms.ChoiceField(label=_("Häufigkeit"), choices=FREQUENCY_CHOICES)


class AddressForm(Form):
    email = forms.EmailField(label=_("E-Mail-Adresse der Person"), max_length=254)
