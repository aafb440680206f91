"""Forms of the board app."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beirat.board.models import Milestone, Recommendation, Report
from beirat.board.queries import board_meetings
from beirat.core import uploads
from beirat.core.forms import DateInput, Form, ModelForm
from beirat.council.models import Paper
from beirat.directory.models import OrganizationalUnit

MAX_TEXT = 20_000


def _default_deadline() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=14)


class ExpertRequestForm(Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    question = forms.CharField(
        label=_("Frage an den Beirat"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    excerpt = forms.CharField(
        label=_("Auszug aus der Eingabe"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Vor dem Versand entfernen wir E-Mail-Adressen, Telefonnummern, Anschriften und "
            "Namen in Anrede und Gruß; Sie sehen das Ergebnis, bevor die Fachfrage versandt wird."
        ),
    )
    deadline = forms.DateField(
        label=_("Antworten erbeten bis"), widget=DateInput, initial=_default_deadline
    )


class AnswerForm(Form):
    text = forms.CharField(
        label=_("Ihre Antwort"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 8})
    )


class StatementForm(Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    text = forms.CharField(
        label=_("Stellungnahme des Digitalbeirats"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Fassen Sie die Antworten zusammen. Die Stellungnahme nennt keine Person und "
            "erscheint öffentlich und auf der Seite der Eingabe."
        ),
    )


class OfficesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def _offices() -> Any:
    return OrganizationalUnit.objects.filter(kind=OrganizationalUnit.Kind.OFFICE).order_by(
        "number", "name"
    )


def _resolution_proposals() -> Any:
    return Paper.objects.filter(paper_type=Paper.Type.RESOLUTION_PROPOSAL).order_by("-date", "-id")


class RecommendationForm(ModelForm):
    offices = OfficesField(
        label=_("An Fachämter zur Umsetzung"),
        queryset=OrganizationalUnit.objects.none(),
        required=False,
    )

    class Meta(ModelForm.Meta):
        model = Recommendation
        fields = ["kind", "title", "text", "public", "statement", "meeting", "parent", "paper"]

    def __init__(self, *args: Any, with_offices: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_offices:
            self.fields["offices"].queryset = _offices()  # type: ignore[attr-defined]
        else:
            del self.fields["offices"]
        self.fields["paper"].queryset = _resolution_proposals()  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = board_meetings()  # type: ignore[attr-defined]
        parents = Recommendation.objects.filter(parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class AssignOfficesForm(Form):
    offices = OfficesField(label=_("Weitere Fachämter"), queryset=OrganizationalUnit.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = _offices()  # type: ignore[attr-defined]


class ProgressForm(Form):
    text = forms.CharField(
        label=_("Stand"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    status = forms.ChoiceField(label=_("Umsetzungsstand"), choices=Recommendation.Status.choices)
    progress = forms.IntegerField(
        label=_("Fortschritt in Prozent"), min_value=0, max_value=100, required=False
    )
    reason = forms.CharField(
        label=_("Begründung, warum nicht umgesetzt"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur bei „nicht umgesetzt“; öffentlich sichtbar."),
    )
    public = forms.BooleanField(
        label=_("Auf der öffentlichen Seite zeigen"), required=False, initial=True
    )


class MilestoneForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Milestone
        fields = ["title", "due", "reached_on"]
        widgets = {"due": DateInput, "reached_on": DateInput}


class ReportForm(ModelForm):
    upload = forms.FileField(
        label=_("Datei"),
        required=False,
        help_text=_("Höchstens 10 MB: PDF, PNG, JPEG, ODT oder DOCX."),
    )

    class Meta(ModelForm.Meta):
        model = Report
        fields = ["kind", "title", "text", "agenda_item", "public"]

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()  # type: ignore[attr-defined]

    def clean_upload(self) -> uploads.CheckedFile | None:
        upload = self.cleaned_data.get("upload")
        return uploads.check_file(upload) if upload else None


class StatusFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Umsetzungsstand"),
        choices=[("", _("alle")), *Recommendation.Status.choices],
        required=False,
    )
