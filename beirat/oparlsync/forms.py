from __future__ import annotations

from beirat.core.forms import ModelForm
from beirat.oparlsync.models import Source


class SourceForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Source
        fields = ["name", "system_url", "body_url", "interval_hours", "active"]
