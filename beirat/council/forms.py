"""Forms of the council app: the public paper filter and the clerk workplace."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beirat.core.forms import DateInput, Form, ModelForm
from beirat.council import queries
from beirat.council.models import (
    AgendaItem,
    Consultation,
    Mandate,
    Meeting,
    Paper,
    PaperSection,
)
from beirat.directory import queries as directory_queries
from beirat.directory.models import Committee


class PaperFilterForm(Form):
    hide_optional_marker = True  # every filter is optional; saying so four times is noise
    q = forms.CharField(
        label=_("Suchbegriff"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    paper_type = forms.ChoiceField(
        label=_("Art"), required=False, choices=[("", _("alle Arten")), *Paper.Type.choices]
    )
    year = forms.TypedChoiceField(label=_("Jahr"), required=False, coerce=int, empty_value=None)
    committee = forms.ModelChoiceField(
        label=_("Gremium"),
        required=False,
        queryset=Committee.objects.none(),
        empty_label=_("alle Gremien"),
    )
    originator = forms.ModelChoiceField(
        label=_("Antragsteller"),
        required=False,
        queryset=Committee.objects.none(),
        empty_label=_("alle"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = [("", _("alle Jahre")), *[(year, str(year)) for year in queries.paper_years()]]
        self.fields["year"].choices = years  # type: ignore[attr-defined]
        committees = directory_queries.public_committees_for_paper_filter()
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["originator"].queryset = queries.originators()  # type: ignore[attr-defined]

    def chosen(self) -> queries.PaperFilter:
        """The valid filters; an invalid one is ignored rather than failing the list."""
        data = self.cleaned_data if self.is_valid() else {}
        return queries.PaperFilter(
            text=(data.get("q") or "").strip(),
            paper_type=data.get("paper_type") or "",
            year=data.get("year"),
            committee=data.get("committee"),
            originator=data.get("originator"),
        )


class PaperForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Paper
        fields = [
            "paper_type",
            "date",
            "name",
            "division",
            "author_unit",
            "file_number",
            "originator",
            "responds_to",
            "public",
            "body_heading",
            "climate_impact",
            "financial_impact",
            "recommended_resolution",
        ]
        widgets = {"date": DateInput(), "name": forms.Textarea(attrs={"rows": 2})}


class RegisterPaperForm(Form):
    reference = forms.CharField(
        label=_("Vorhandene Nummer"),
        required=False,
        max_length=20,
        help_text=_(
            "Nur für Vorlagen, die schon eine Nummer haben (z. B. AF/0013/2021). "
            "Leer lassen, um die nächste freie Nummer zu vergeben."
        ),
    )


class SectionForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = PaperSection
        fields = ["kind", "number", "question", "heading", "text"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 8}),
        }


class ConsultationForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Consultation
        fields = ["committee", "planned_date", "meeting", "agenda_item", "role", "authoritative"]
        widgets = {"planned_date": DateInput()}


class OutcomeForm(Form):
    outcome = forms.ChoiceField(label=_("Beratungsergebnis"), choices=Consultation.Outcome.choices)
    votes_yes = forms.IntegerField(label=_("Ja-Stimmen"), required=False, min_value=0)
    votes_no = forms.IntegerField(label=_("Gegenstimmen"), required=False, min_value=0)
    votes_abstain = forms.IntegerField(label=_("Enthaltungen"), required=False, min_value=0)
    votes_biased = forms.IntegerField(label=_("Befangen"), required=False, min_value=0)


class MeetingForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Meeting
        fields = ["committee", "name", "start", "end", "location", "state", "public"]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }


class AgendaItemForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = AgendaItem
        fields = ["number", "name", "public", "paper"]


class DecisionForm(Form):
    text = forms.CharField(label=_("Beschlusstext"), widget=forms.Textarea(attrs={"rows": 6}))


class MandateForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Mandate
        fields = ["title", "description", "responsible_unit", "due_date", "decision"]
        widgets = {"due_date": DateInput()}


class MandateProgressForm(Form):
    note = forms.CharField(label=_("Stand"), widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("Status danach"), choices=Mandate.Status.choices)
    public = forms.BooleanField(label=_("Öffentlich zeigen"), required=False, initial=True)
