"""Forms of the submissions app: intake and the submitter's actions on the tracking page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from beirat.core.form_tokens import PublicFormMixin
from beirat.core.forms import Form
from beirat.core.tracking_codes import normalize_code
from beirat.submissions import uploads
from beirat.submissions.models import Topic

MAX_TEXT = 20_000
FILE_HELP = _(
    "Optional, höchstens 5 Dateien zu je 10 MB: PDF, PNG, JPEG, ODT oder DOCX. "
    "Aus Bildern entfernen wir Metadaten wie den Aufnahmeort."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[uploads.CheckedFile]:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        return uploads.check_files(files)


class HoneypotMixin(forms.Form):
    """A field people never see or fill; robots that fill every field reveal themselves."""

    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise ValidationError(_("Ihre Eingabe konnte nicht angenommen werden."))
        return cleaned


class SubmissionForm(PublicFormMixin, HoneypotMixin, Form):
    title = forms.CharField(label=_("Worum geht es? (Titel)"), max_length=200)
    text = forms.CharField(
        label=_("Ihre Idee oder Anregung"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Beschreiben Sie Ihr Anliegen so konkret wie möglich."),
    )
    topic = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("keine Angabe"),
    )
    attachments = MultipleFileField(label=_("Anhänge"), required=False, help_text=FILE_HELP)
    name = forms.CharField(label=_("Ihr Name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        required=False,
        help_text=_(
            "Optional. Nur für Nachrichten zu dieser Eingabe; wir bitten Sie zuerst, die Adresse "
            "zu bestätigen. Ohne Adresse verfolgen Sie Ihre Eingabe mit der Vorgangsnummer."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "Ich habe die Datenschutzhinweise gelesen und bin einverstanden, dass die Stadt meine "
            "Angaben zur Bearbeitung dieser Eingabe verarbeitet."
        ),
        error_messages={
            "required": _("Ohne Ihr Einverständnis können wir die Eingabe nicht bearbeiten.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(active=True)  # type: ignore[attr-defined]


class AddInformationForm(PublicFormMixin, HoneypotMixin, Form):
    text = forms.CharField(
        label=_("Ergänzung"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultipleFileField(label=_("Weitere Anhänge"), required=False, help_text=FILE_HELP)


class LookupForm(Form):
    code = forms.CharField(
        label=_("Vorgangsnummer"),
        max_length=60,
        help_text=_("Sie finden sie auf der Bestätigungsseite und in der E-Mail zu Ihrer Eingabe."),
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(
                _("Diese Vorgangsnummer ist nicht gültig. Bitte prüfen Sie die Zeichen.")
            )
        return code
