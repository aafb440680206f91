from __future__ import annotations

from django import forms

from beirat.oparlsync.models import Source


class SourceForm(forms.ModelForm[Source]):
    class Meta:
        model = Source
        fields = ["name", "system_url", "body_url", "interval_hours", "active"]
