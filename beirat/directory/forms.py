"""Forms of the directory's staff pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from beirat.core.forms import DateInput, Form, ModelForm
from beirat.directory import queries
from beirat.directory.models import (
    Committee,
    Cooperation,
    LegislativeTerm,
    Membership,
    OrganizationalUnit,
    PartnerContact,
    PartnerEvent,
    PartnerOrganization,
    Person,
)

_DATE_WIDGETS = {"widget": DateInput}


class UnitForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = OrganizationalUnit
        fields = ["kind", "number", "name", "public_name", "parent", "email", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = cast(forms.ModelChoiceField, self.fields["parent"])  # type: ignore[type-arg]
        parent.queryset = OrganizationalUnit.objects.exclude(pk=self.instance.pk)


class CommitteeForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Committee
        fields = [
            "kind",
            "name",
            "short_name",
            "slug",
            "description",
            "public",
            "founded_on",
            "dissolved_on",
            "lead_unit",
        ]
        widgets = {"founded_on": DateInput(), "dissolved_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Renaming keeps the name history, so it has its own form.
            self.fields["name"].disabled = True
            self.fields["name"].help_text = _("Umbenennen über „Umbenennen“.")


class RenameCommitteeForm(Form):
    new_name = forms.CharField(label=_("Neuer Name"), max_length=200)
    valid_from = forms.DateField(label=_("Gilt ab"), widget=DateInput())


class PersonForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Person
        fields = [
            "form_of_address",
            "title",
            "given_name",
            "family_name",
            "email",
            "phone",
            "biography",
            "public",
            "user",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Identity shield: no choice names a board member's account.
        user = cast(forms.ModelChoiceField, self.fields["user"])  # type: ignore[type-arg]
        user.queryset = queries.accounts_for_staff()


class MembershipForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Membership
        fields = ["person", "organization", "role", "start_date", "end_date", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {"organization": _("Entweder eine Person oder eine Organisation.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Identity shield: board members are not offered (a new person may still be entered
        # into a board; from then on no staff page names them).
        person = cast(forms.ModelChoiceField, self.fields["person"])  # type: ignore[type-arg]
        person.queryset = queries.nameable_persons_for_staff()


class PersonSearchForm(Form):
    """The name search of /personen/."""

    hide_optional_marker = True
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class LegislativeTermForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = LegislativeTerm
        fields = ["name", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class EndMembershipForm(Form):
    end_date = forms.DateField(label=_("Ende der Mitgliedschaft"), widget=DateInput())


class PartnerForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = PartnerOrganization
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "description",
            "website",
            "city_is_member",
            "city_member_since",
            "participants",
            "public",
        ]
        widgets = {"city_member_since": DateInput(), "participants": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participants = cast(forms.ModelMultipleChoiceField, self.fields["participants"])  # type: ignore[type-arg]
        participants.queryset = PartnerOrganization.objects.exclude(pk=self.instance.pk)


class PartnerContactForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = PartnerContact
        fields = ["function", "unit", "person", "since"]
        widgets = {"since": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.person_id and queries.staff_person_label(self.instance.person) is None:
            # A board member: the link is kept as it is and the form does not name them.
            del self.fields["person"]
        else:
            person = cast(forms.ModelChoiceField, self.fields["person"])  # type: ignore[type-arg]
            person.queryset = queries.nameable_persons_for_staff()


class CooperationForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Cooperation
        fields = [
            "title",
            "description",
            "status",
            "responsible_unit",
            "started_on",
            "ended_on",
            "source",
        ]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}


class PartnerEventForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = PartnerEvent
        fields = ["kind", "title", "date", "description"]
        widgets = {"date": DateInput()}
