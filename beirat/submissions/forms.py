"""Forms of the submissions app: intake and the submitter's actions on the tracking page."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from beirat.core import uploads
from beirat.core.forms import DateInput, Form, ModelForm, MultipleFileInput
from beirat.core.models import User
from beirat.core.proof_of_work import ProofOfWorkMixin
from beirat.core.tracking_codes import normalize_code
from beirat.directory.models import OrganizationalUnit
from beirat.submissions import queries
from beirat.submissions.models import Attachment, Forwarding, Submission, TextBlock, Topic

MAX_TEXT = 20_000
LIMIT_HELP = _("Höchstens 20.000 Zeichen.")
FILE_HELP = _(
    "Höchstens 5 Dateien zu je 10 MB: PDF, PNG, JPEG, ODT oder DOCX. "
    "Aus Bildern entfernen wir Metadaten wie den Aufnahmeort."
)


# The counter's texts for one character and for more (English: "1 character", "2 characters");
# the script picks one by the count.
def _remaining(count: int) -> Any:
    return ngettext_lazy(
        "Noch %(count)s von %(limit)s Zeichen.", "Noch %(count)s von %(limit)s Zeichen.", count
    )


def _too_many(count: int) -> Any:
    return ngettext_lazy(
        "%(count)s Zeichen zu viel: Bitte kürzen Sie Ihren Text auf %(limit)s Zeichen.",
        "%(count)s Zeichen zu viel: Bitte kürzen Sie Ihren Text auf %(limit)s Zeichen.",
        count,
    )


class CountedTextarea(forms.Textarea):
    """A textarea with a live count of characters (beirat/static/beirat/text-counter.js)."""

    def __init__(self, *, max_chars: int, rows: int) -> None:
        super().__init__(
            attrs={
                "rows": rows,
                "data-max-chars": max_chars,
                "data-remaining-one": _remaining(1),
                "data-remaining": _remaining(2),
                "data-too-many-one": _too_many(1),
                "data-too-many": _too_many(2),
            }
        )


class LongTextField(forms.CharField):
    """A long text that is never cut: the field has no ``maxlength`` (a browser would cut a
    pasted text there without a word); the page counts as the citizen types, and too long a
    text is refused with the whole of it kept in the form. Line breaks count once, as in the
    browser's count (browsers send them as two characters)."""

    def __init__(self, *, max_chars: int = MAX_TEXT, rows: int = 10, **kwargs: Any) -> None:
        self.max_chars = max_chars
        super().__init__(widget=CountedTextarea(max_chars=max_chars, rows=rows), **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > self.max_chars:
            raise ValidationError(
                ngettext(
                    "Ihr Text hat %(count)s Zeichen; möglich sind %(limit)s. Bitte kürzen Sie "
                    "ihn um %(excess)s Zeichen. Ihr ganzer Text steht noch im Feld.",
                    "Ihr Text hat %(count)s Zeichen; möglich sind %(limit)s. Bitte kürzen Sie "
                    "ihn um %(excess)s Zeichen. Ihr ganzer Text steht noch im Feld.",
                    len(value) - self.max_chars,
                ),
                code="too_long",
                params={
                    "count": number_format(len(value), force_grouping=True),
                    "limit": number_format(self.max_chars, force_grouping=True),
                    "excess": number_format(len(value) - self.max_chars, force_grouping=True),
                },
            )


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


class SubmissionForm(ProofOfWorkMixin, HoneypotMixin, Form):
    title = forms.CharField(label=_("Worum geht es? (Titel)"), max_length=200)
    text = LongTextField(
        label=_("Ihre Idee oder Anregung"),
        help_text=format_lazy(
            "{} {}", _("Beschreiben Sie Ihr Anliegen so konkret wie möglich."), LIMIT_HELP
        ),
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
            "Nur für Nachrichten zu dieser Eingabe; wir bitten Sie zuerst, die Adresse "
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


class AddInformationForm(ProofOfWorkMixin, HoneypotMixin, Form):
    text = LongTextField(label=_("Ergänzung"), rows=5, help_text=LIMIT_HELP)
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


# Triage -----------------------------------------------------------------------------------------


class QueueFilterForm(Form):
    hide_optional_marker = True
    q = forms.CharField(
        label=_("Suchbegriff"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("In Titel und Text; auch die Nummer einer Eingabe, zum Beispiel #123."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        initial="open",
        choices=[("open", _("offene")), ("", _("alle")), *Submission.Status.choices],
    )
    topic = forms.ModelChoiceField(
        label=_("Thema"), queryset=Topic.objects.all(), required=False, empty_label=_("alle Themen")
    )
    assigned = forms.ChoiceField(
        label=_("Zuständig"),
        required=False,
        choices=[("", _("alle")), ("me", _("ich")), ("nobody", _("niemand"))],
    )
    older_than_days = forms.TypedChoiceField(
        label=_("Alter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("beliebig")), (7, _("älter als 7 Tage")), (30, _("älter als 30 Tage"))],
    )
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[
            (queries.OLDEST, _("älteste zuerst")),
            (queries.NEWEST, _("neueste zuerst")),
            (queries.WAITING, _("längste Wartezeit")),
            (queries.BY_STATUS, _("nach Status")),
            (queries.BY_TOPIC, _("nach Thema")),
        ],
    )
    overdue = forms.BooleanField(label=_("nur überfällige"), required=False)

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # An address without a status (a page link, a search from elsewhere) shows the open
        # submissions, and the field says so: "alle" is chosen only by choosing it.
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = "open"
        super().__init__(data, *args, **kwargs)

    def chosen(self) -> queries.QueueFilter:
        """The valid filters; the default shows the open submissions, oldest first."""
        if not self.is_bound:
            return queries.QueueFilter()
        self.is_valid()
        data = self.cleaned_data
        return queries.QueueFilter(
            status=data.get("status", "open") if "status" in data else "open",
            topic=data.get("topic"),
            assigned=data.get("assigned") or "",
            overdue=bool(data.get("overdue")),
            older_than_days=data.get("older_than_days"),
            text=(data.get("q") or "").strip(),
            sort=data.get("sortierung") or queries.OLDEST,
        )


class SelectionField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """The submissions ticked in the queue (``auswahl``); the queue draws the boxes itself."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Submission.objects.all(),
            error_messages={
                "required": _("Bitte wählen Sie mindestens eine Eingabe aus."),
                "invalid_choice": _("Eine der ausgewählten Eingaben gibt es nicht mehr."),
                "invalid_pk_value": _("Eine der ausgewählten Eingaben gibt es nicht mehr."),
            },
            **kwargs,
        )


class BulkForm(Form):
    """What to do with the queue's selection: the button pressed says it (``aktion``)."""

    ASSIGN, TOPIC, CLOSE = "zuweisen", "thema", "abschliessen"
    hide_optional_marker = True  # each choice is needed by its own button only

    auswahl = SelectionField(label=_("Ausgewählte Eingaben"))
    aktion = forms.ChoiceField(
        choices=[(ASSIGN, ASSIGN), (TOPIC, TOPIC), (CLOSE, CLOSE)],
        error_messages={
            "required": _("Bitte wählen Sie eine Aktion."),
            "invalid_choice": _("Diese Aktion gibt es nicht."),
        },
    )
    assignee = forms.ModelChoiceField(
        label=_("Zuständig"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("bitte wählen"),
    )
    topic = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("bitte wählen"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = queries.assignable_staff()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("aktion")
        if action == self.ASSIGN and not cleaned.get("assignee"):
            self.add_error(
                "assignee", _("Bitte wählen Sie, wem die ausgewählten Eingaben zugewiesen werden.")
            )
        if action == self.TOPIC and not cleaned.get("topic"):
            self.add_error("topic", _("Bitte wählen Sie das Thema für die ausgewählten Eingaben."))
        return cleaned


class BulkCloseForm(Form):
    """One answer that closes every chosen submission, as a reply with 'abschließen' does."""

    auswahl = SelectionField()
    text = forms.CharField(
        label=_("Antwort an die einreichenden Personen"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Dieselbe Antwort geht an alle: Jede einreichende Person liest sie auf der Seite "
            "ihrer Eingabe, bestätigte Adressen bekommen sie per E-Mail. Sprechen Sie darin "
            "niemanden mit Namen an."
        ),
        error_messages={
            "required": _(
                "Bitte schreiben Sie die Antwort: Ohne Antwort wird keine Eingabe abgeschlossen."
            )
        },
    )


class AssignForm(Form):
    assignee = forms.ModelChoiceField(
        label=_("Zuständig"), queryset=User.objects.none(), required=False, empty_label=_("niemand")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = queries.assignable_staff()  # type: ignore[attr-defined]


class TopicChoiceForm(Form):
    topic = forms.ModelChoiceField(
        label=_("Thema"), queryset=Topic.objects.all(), required=False, empty_label=_("kein Thema")
    )


class NoteForm(Form):
    text = forms.CharField(
        label=_("Interne Notiz"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(Form):
    """The reply; text blocks are offered as links that fill the text (no script needed)."""

    text = forms.CharField(
        label=_("Antwort"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Die Antwort erscheint auf der Seite der Eingabe und geht per E-Mail "
            "an bestätigte Adressen."
        ),
    )
    close = forms.BooleanField(label=_("Eingabe mit dieser Antwort abschließen"), required=False)


class AttachmentsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """The submission's attachments as checkboxes, each with its file name and size."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({filesizeformat(obj.size)})"


class ForwardForm(Form):
    office = forms.ModelChoiceField(label=_("Fachamt"), queryset=OrganizationalUnit.objects.none())
    note = forms.CharField(
        label=_("Hinweis an das Fachamt"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Intern; das Amt sieht die Eingabe ohne Kontaktdaten."),
    )
    attachments = AttachmentsField(
        label=_("Anhänge für das Fachamt freigeben"),
        queryset=Attachment.objects.none(),
        required=False,
        help_text=_(
            "Das Fachamt sieht nur die Anhänge, die Sie ankreuzen. Die Freigabe lässt sich auf "
            "der Seite der Eingabe jederzeit ändern."
        ),
    )

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = OrganizationalUnit.objects.order_by("number", "name")  # type: ignore[attr-defined]
        attachments = queries.attachments_of(submission)
        if attachments.exists():
            self.fields["attachments"].queryset = attachments  # type: ignore[attr-defined]
        else:
            del self.fields["attachments"]


class ReleaseForm(Form):
    """Which attachments the office of one forwarding may read, on the submission's page."""

    attachments = AttachmentsField(queryset=Attachment.objects.none(), required=False)

    def __init__(self, *args: Any, forwarding: Forwarding, **kwargs: Any) -> None:
        # One form per forwarding on the same page: the prefix keeps their fields apart.
        kwargs["prefix"] = f"freigabe-{forwarding.pk}"
        super().__init__(*args, **kwargs)
        field = self.fields["attachments"]
        field.queryset = queries.attachments_of(forwarding.submission)  # type: ignore[attr-defined]
        field.label = _("Anhänge, die %(office)s sieht") % {"office": forwarding.office}
        self.initial["attachments"] = [item.pk for item in forwarding.released_attachments.all()]


class SubmissionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.pk} {obj.title} ({obj.received_at:%d.%m.%Y})"


class MergeForm(Form):
    into = SubmissionChoiceField(
        label=_("Gleichartige Eingabe"),
        queryset=Submission.objects.none(),
        help_text=_(
            "Diese Eingabe wird geschlossen; ihr Verlauf verweist auf die andere (nur mit Titel)."
        ),
    )

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = queries.merge_candidates(submission)  # type: ignore[attr-defined]


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Die Begründung erscheint auf der Seite der Eingabe und geht an bestätigte Adressen."
        ),
    )


class TopicForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Topic
        fields = ["name", "active", "position"]


class TextBlockForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = TextBlock
        fields = ["title", "text"]


# Offices ----------------------------------------------------------------------------------------


class AcceptForm(Form):
    expected_by = forms.DateField(
        label=_("Voraussichtlich erledigt bis"),
        widget=DateInput,
        help_text=_(
            "Vorgeschlagen nach der bisherigen Bearbeitungsdauer Ihres Amtes; öffentlich sichtbar."
        ),
    )

    def clean_expected_by(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["expected_by"]
        if value < timezone.localdate():
            raise ValidationError(_("Das Datum liegt in der Vergangenheit."))
        return value


class HandBackForm(Form):
    reason = forms.CharField(
        label=_("Warum ist Ihr Amt nicht zuständig?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nur für das IT-Management; nennen Sie, wenn möglich, das zuständige Amt."),
    )


class ProgressForm(Form):
    """An office's progress note: internal or public, always chosen, never assumed."""

    INTERNAL = "internal"
    PUBLIC = "public"

    note = forms.CharField(
        label=_("Stand"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(
        label=_("Wer liest diesen Stand?"),
        choices=[
            (INTERNAL, _("Nur intern: IT-Management und Ihr Amt")),
            (
                PUBLIC,
                _(
                    "Öffentlich: erscheint auf der Seite der Eingabe und geht per E-Mail an die "
                    "einreichende Person"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Bitte wählen Sie, ob der Stand nur intern bleibt oder veröffentlicht wird."
            )
        },
    )
    expected_by = forms.DateField(
        label=_("Neues voraussichtliches Datum"),
        required=False,
        widget=DateInput,
        help_text=_(
            "Nur wenn es sich verschiebt. Ein neues Datum braucht einen öffentlichen Stand, "
            "der den Grund nennt."
        ),
    )

    @staticmethod
    def intro() -> str:
        return str(
            _(
                "Ein interner Stand wird sofort gespeichert. Einen öffentlichen Stand zeigen wir "
                "Ihnen vorher so, wie die einreichende Person ihn liest."
            )
        )


class CloseForwardingForm(Form):
    result = forms.CharField(
        label=_("Ergebnis"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Das Ergebnis erscheint auf der Seite der Eingabe."),
    )
