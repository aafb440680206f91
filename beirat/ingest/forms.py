"""The upload form of the clerk workplace."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from beirat.core.forms import Form, MultipleFileInput
from beirat.ingest.extract import MAX_BYTES

MAX_FILES = 20


class UploadsField(forms.FileField):
    """Several files in one field; each checked for size here and for content by the import."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not uploads:
            raise ValidationError(_("Bitte wählen Sie mindestens eine Datei."))
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("Bitte höchstens 20 Dateien auf einmal."))
        too_big = [str(upload.name) for upload in uploads if (upload.size or 0) > MAX_BYTES]
        if too_big:
            raise ValidationError(_("Größer als 50 MB: %(names)s") % {"names": ", ".join(too_big)})
        return uploads


class UploadForm(Form):
    uploads = UploadsField(
        label=_("Dateien"),
        widget=MultipleFileInput(attrs={"accept": ".txt,.pdf,.png,.jpg,.jpeg,.tif,.tiff"}),
        help_text=_(
            "Bis zu 20 Dateien zu je 50 MB: Text (.txt), PDF mit Textebene oder gescannt, "
            "Bilder (PNG, JPEG, TIFF). Gescannte Seiten werden erkannt und repariert; "
            "unsichere Angaben warten auf Ihre Prüfung."
        ),
    )
