"""Forms of the council app: the public paper filter and the clerk workplace."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beirat.core import uploads
from beirat.core.forms import DateInput, Form, ModelForm
from beirat.council import queries
from beirat.council.models import (
    OUTCOME_EXPLANATIONS,
    AgendaItem,
    Consultation,
    Mandate,
    Meeting,
    Paper,
    PaperSection,
)
from beirat.directory import queries as directory_queries
from beirat.directory.models import Committee, Person


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
        paper_years, originators = queries.paper_filter_choices()
        years = [("", _("alle Jahre")), *[(year, str(year)) for year in paper_years]]
        self.fields["year"].choices = years  # type: ignore[attr-defined]
        committees = directory_queries.public_committees_for_paper_filter()
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["originator"].queryset = originators  # type: ignore[attr-defined]

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


class MeetingFilterForm(Form):
    """The filters of /sitzungen/; the month view uses only the committee."""

    hide_optional_marker = True
    gremium = forms.ModelChoiceField(
        label=_("Gremium"),
        required=False,
        queryset=Committee.objects.none(),
        to_field_name="slug",
        empty_label=_("alle Gremien"),
    )
    jahr = forms.TypedChoiceField(label=_("Jahr"), required=False, coerce=int, empty_value=None)
    zeitraum = forms.ChoiceField(
        label=_("Zeitraum"),
        required=False,
        choices=[
            ("", _("alle Sitzungen")),
            (queries.UPCOMING, _("kommende")),
            (queries.PAST, _("vergangene")),
        ],
    )

    def __init__(self, *args: Any, user: Any, month_view: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committees = queries.meeting_committees(user)
        self.fields["gremium"].queryset = committees  # type: ignore[attr-defined]
        years = [
            ("", _("alle Jahre")),
            *[(year, str(year)) for year in queries.meeting_years(user)],
        ]
        self.fields["jahr"].choices = years  # type: ignore[attr-defined]
        if month_view:
            del self.fields["jahr"], self.fields["zeitraum"]

    def chosen(self) -> queries.MeetingFilter:
        """The valid filters; an invalid one is ignored rather than failing the list."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return queries.MeetingFilter(
            committee=data.get("gremium"),
            year=data.get("jahr"),
            period=data.get("zeitraum") or "",
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and self.instance.date is None:
            self.initial["date"] = timezone.localdate()


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Items are alike from meeting to meeting ("Ö 1 Mitteilungen"): grouped by meeting,
        # each once.
        field = self.fields["agenda_item"]
        field.choices = [("", "---------"), *queries.agenda_item_choices()]  # type: ignore[attr-defined]


def outcome_legend() -> list[tuple[str, str]]:
    """Each outcome code ("ohne BE") with what it means, for a legend."""
    return [
        (str(label), str(OUTCOME_EXPLANATIONS[Consultation.Outcome(code)]))
        for code, label in Consultation.Outcome.choices
    ]


def outcome_choices() -> list[tuple[str, str]]:
    """Each outcome code with what it means: "Kenntnis – zur Kenntnis genommen, …"."""
    return [
        (code, f"{label} – {OUTCOME_EXPLANATIONS[Consultation.Outcome(code)]}")
        for code, label in Consultation.Outcome.choices
    ]


class OutcomeForm(Form):
    outcome = forms.ChoiceField(
        label=_("Beratungsergebnis"), choices=outcome_choices, widget=forms.RadioSelect
    )
    votes_yes = forms.IntegerField(label=_("Ja-Stimmen"), required=False, min_value=0)
    votes_no = forms.IntegerField(label=_("Gegenstimmen"), required=False, min_value=0)
    votes_abstain = forms.IntegerField(label=_("Enthaltungen"), required=False, min_value=0)
    votes_biased = forms.IntegerField(label=_("Befangen"), required=False, min_value=0)


class ItemResultForm(OutcomeForm):
    """Outcome, votes and decision text of an agenda item, on one page."""

    text = forms.CharField(
        label=_("Beschlusstext"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Der Wortlaut des Beschlusses, wie er in der Niederschrift steht."),
    )

    def __init__(self, *args: Any, with_votes: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_votes:  # no paper, no route entry: nothing to count votes on
            for name in ("votes_yes", "votes_no", "votes_abstain", "votes_biased"):
                del self.fields[name]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        votes = ("votes_yes", "votes_no", "votes_abstain", "votes_biased")
        return {
            "outcome": data["outcome"],
            "text": data["text"],
            **{name: data.get(name) for name in votes},
        }


class MeetingForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Meeting
        fields = ["committee", "name", "start", "end", "location", "state", "public"]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    # A new meeting starts today at this hour unless the clerk says otherwise.
    DEFAULT_HOUR = 17

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and self.instance.start is None:
            today = timezone.localdate()
            start = datetime.datetime.combine(today, datetime.time(self.DEFAULT_HOUR))
            self.initial["start"] = timezone.make_aware(start)


class PaperSelect(forms.Select):
    """Papers with their subject in data-subject, which agenda-subject.js copies into an
    empty subject field."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        instance = getattr(option["value"], "instance", None)
        if instance is not None:
            option["attrs"]["data-subject"] = instance.name
        return option


class AgendaItemForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = AgendaItem
        fields = ["number", "paper", "name", "public"]
        widgets = {
            "paper": PaperSelect(attrs={"data-subject-field": "id_name"}),
            "name": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "name": _("Leer lassen, um den Betreff der gewählten Vorlage zu übernehmen."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        paper = data.get("paper")
        if not (data.get("name") or "").strip():
            if paper is None:
                self.add_error(
                    "name",
                    _("Bitte geben Sie einen Gegenstand an oder wählen Sie eine Vorlage."),
                )
            else:
                data["name"] = paper.name
        return data


class AgendaItemEditForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = AgendaItem
        fields = ["number", "name", "public"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}


class AttachmentTitleForm(Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=300,
        help_text=_("So erscheint die Anlage auf der Seite der Vorlage und im amtlichen PDF."),
    )


class AttachmentForm(AttachmentTitleForm):
    upload = forms.FileField(
        label=_("Datei"),
        help_text=_(
            "Höchstens 10 MB: PDF, PNG, JPEG, ODT oder DOCX. Angaben zu Verfasser und "
            "Programm werden aus der Datei entfernt."
        ),
    )

    def clean_upload(self) -> uploads.CheckedFile:
        return uploads.check_file(self.cleaned_data["upload"])


class MoveForm(Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class MandateForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Mandate
        fields = ["title", "description", "responsible_unit", "due_date", "decision"]
        widgets = {"due_date": DateInput()}


class MandateProgressForm(Form):
    note = forms.CharField(label=_("Stand"), widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("Status danach"), choices=Mandate.Status.choices)
    public = forms.BooleanField(label=_("Öffentlich zeigen"), required=False, initial=True)


class AttendanceForm(Form):
    """Attendance of a meeting: counts always; the people only where they may be named (the
    fields are left out for an advisory board's meeting, whose members are only counted)."""

    present_count = forms.IntegerField(label=_("Anwesend (Anzahl)"), min_value=0, max_value=999)
    excused_count = forms.IntegerField(
        label=_("Entschuldigt (Anzahl)"), min_value=0, max_value=999, initial=0
    )
    present_persons = forms.ModelMultipleChoiceField(
        label=_("Anwesend, namentlich"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    excused_persons = forms.ModelMultipleChoiceField(
        label=_("Entschuldigt, namentlich"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = queries.attendance_choices(meeting)
        if people.exists():
            self.fields["present_persons"].queryset = people  # type: ignore[attr-defined]
            self.fields["excused_persons"].queryset = people  # type: ignore[attr-defined]
        else:
            del self.fields["present_persons"], self.fields["excused_persons"]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "present_count": data["present_count"],
            "excused_count": data["excused_count"],
            "present_persons": list(data.get("present_persons") or []),
            "excused_persons": list(data.get("excused_persons") or []),
        }
