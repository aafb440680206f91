"""The search form: the words and the filters, each optional; bad values are ignored."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from beirat.core.forms import Form
from beirat.search import queries


@dataclass(frozen=True)
class ChosenSearch:
    text: str
    filters: queries.Filters
    sort: str


class SearchForm(Form):
    hide_optional_marker = True
    q = forms.CharField(
        label=_("Suchbegriff"),
        required=False,
        strip=True,
        help_text=_(
            "Mehrere Wörter müssen alle vorkommen. „In Anführungszeichen“ sucht eine Wortfolge, "
            "Digital* findet Wortanfänge, -Wort schließt aus, AF/0013/2021 findet die Vorlage."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[
            (queries.RELEVANCE, _("beste Treffer zuerst")),
            (queries.NEWEST, _("neueste zuerst")),
            (queries.OLDEST, _("älteste zuerst")),
        ],
    )
    # Facet filters arrive from links beside the results, so they are hidden fields here.
    art = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    jahr = forms.IntegerField(
        required=False, min_value=1900, max_value=2200, widget=forms.HiddenInput
    )
    # A committee's id: no larger than a database id, and never beyond tantivy's unsigned 64 bits,
    # whose term query raised a server error for a longer number typed into the address.
    gremium = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    status = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def chosen(self) -> ChosenSearch:
        """The valid parts of the request; an invalid filter is dropped, never an error page."""
        self.is_valid()  # an unbound form (no parameters) has no cleaned_data at all
        cleaned = getattr(self, "cleaned_data", {})
        data = {name: value for name, value in cleaned.items() if value}
        filters = queries.Filters(
            type=data.get("art", ""),
            year=data.get("jahr"),
            committee=data.get("gremium"),
            status=data.get("status", ""),
        )
        sort = data.get("sortierung") or queries.RELEVANCE
        return ChosenSearch(text=data.get("q", ""), filters=filters, sort=sort)
