"""Public pages of the directory (/gremien/, /netzwerk/) and its staff pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beirat.core import contributions, editing
from beirat.core.access import acting_user, staff_page
from beirat.core.forms import ConfirmForm, run_service
from beirat.core.page_cache import public_page
from beirat.core.pagination import paginate
from beirat.directory import queries, rules, services
from beirat.directory.forms import (
    CommitteeForm,
    CooperationForm,
    EndMembershipForm,
    LegislativeTermForm,
    MembershipForm,
    PartnerContactForm,
    PartnerEventForm,
    PartnerForm,
    PersonForm,
    PersonSearchForm,
    RenameCommitteeForm,
    UnitForm,
)
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

manager_page = staff_page(rules.can_manage_directory)


# Public pages ------------------------------------------------------------------------------


def committees(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.committees_visible_to(request.user))
    return render(request, "directory/committees.html", {"page": page})


def committee(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.get_committee_for(request.user, slug)
    context = {
        "committee": found,
        "members": queries.public_members_of(found),
        "earlier_names": queries.name_history_of(found),
        "names_members": rules.may_name_members_publicly(found),
        "parts": contributions.parts(contributions.COMMITTEE_PAGE, request, found),
        "head_parts": contributions.parts(contributions.COMMITTEE_HEAD, request, found),
    }
    return render(request, "directory/committee.html", context)


def network(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.public_partners())
    return render(
        request, "directory/network.html", {"page": page, "counts": queries.network_counts()}
    )


def partner(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.get_partner_for(request.user, slug)
    contacts = [
        (contact, queries.contact_person_label(contact)) for contact in found.contacts.all()
    ]
    return render(request, "directory/partner.html", {"partner": found, "contacts": contacts})


@public_page(params=["seite"])
def persons(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, queries.public_persons(search=search))
    context = {
        "form": form,
        "search": search,
        "page": page,
        "filter_query": urlencode({"q": search}) if search else "",
        "demo": queries.any_demo_person(list(page.object_list)),
        "current_term": queries.current_legislative_term(),
    }
    return render(request, "directory/persons.html", context)


@public_page()
def person(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_public_person(pk)
    memberships = queries.public_memberships_of_person(found)
    fraction = queries.CommitteeKind.FRACTION
    context = {
        "person": found,
        "fraction_memberships": [m for m in memberships if m.committee.kind == fraction],
        "committee_memberships": [m for m in memberships if m.committee.kind != fraction],
        "terms": queries.terms_of(memberships),
        "today": timezone.localdate(),
    }
    return render(request, "directory/person.html", context)


@public_page(params=["seite"])
def fractions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/fractions.html",
        {
            "page": paginate(request, queries.public_fractions()),
            "current_term": queries.current_legislative_term(),
        },
    )


@public_page()
def fraction(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_public_fraction(pk)
    current, former = queries.public_fraction_members(found)
    context = {
        "fraction": found,
        "members": current,
        "former_members": former,
        "terms": queries.terms_of(current + former),
        "demo": queries.any_demo_person([m.person for m in current + former if m.person]),
    }
    return render(request, "directory/fraction.html", context)


@public_page(params=["seite"])
def legislative_terms(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/legislative_terms.html",
        {
            "page": paginate(request, queries.public_legislative_terms()),
            "current_term": queries.current_legislative_term(),
        },
    )


# Staff pages -------------------------------------------------------------------------------


PAGES = editing.FormPages("directory/staff/_nav.html")


def _saved(form: Any) -> str:
    return _("„%(name)s“ wurde gespeichert.") % {"name": form.instance}


def _partner_url(partner: PartnerOrganization) -> str:
    return reverse("directory:staff_partner", kwargs={"slug": partner.slug})


_bound = editing.bound


def _city_for(request: HttpRequest) -> Any:
    """The city a new record belongs to; made from the settings only when a form is sent."""
    if request.method == "POST":
        return services.installation_body(actor=acting_user(request))
    return queries.the_body()


@manager_page
def staff_index(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/staff/index.html", queries.directory_counts())


@manager_page
def unit_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/staff/units.html",
        {"page": paginate(request, queries.units_for_staff())},
    )


@manager_page
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    unit = queries.get_unit(pk) if pk else OrganizationalUnit(body=_city_for(request))
    form = UnitForm(_bound(request), instance=unit)
    save = services.update_unit if pk else services.create_unit
    return PAGES.edit(
        request,
        form,
        action=lambda: save(unit=form.instance, actor=acting_user(request)),
        success_message=_saved(form),
        title=_("Einheit bearbeiten") if pk else _("Neue Organisationseinheit"),
        cancel_url=reverse("directory:staff_units"),
    )


@manager_page
def committee_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/staff/committees.html",
        {"page": paginate(request, queries.committees_for_staff())},
    )


@manager_page
def committee_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    found = (
        queries.get_committee_for(request.user, slug)
        if slug
        else Committee(body=_city_for(request))
    )
    back = reverse("directory:staff_committees")
    if refused := editing.refused(request, lambda: services.require_own_committee(found), back):
        return refused
    form = CommitteeForm(_bound(request), instance=found)
    save = services.update_committee if slug else services.create_committee
    return PAGES.edit(
        request,
        form,
        action=lambda: save(committee=form.instance, actor=acting_user(request)),
        success_message=_saved(form),
        title=_("Gremium bearbeiten") if slug else _("Neues Gremium"),
        cancel_url=reverse("directory:staff_committees"),
    )


@manager_page
def committee_rename(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.get_committee_for(request.user, slug)
    back = reverse("directory:staff_committees")
    if refused := editing.refused(request, lambda: services.require_own_committee(found), back):
        return refused
    form = RenameCommitteeForm(_bound(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.rename_committee(
                committee=found, actor=acting_user(request), **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Das Gremium heißt jetzt „%(name)s“.") % {"name": found.name})
        return redirect("directory:staff_committees")
    return PAGES.show(
        request,
        form,
        title=_("„%(name)s“ umbenennen") % {"name": found.name},
        cancel_url=reverse("directory:staff_committees"),
    )


@manager_page
def committee_members(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.get_committee_for(request.user, slug)
    back = reverse("directory:staff_committee_members", kwargs={"slug": found.slug})
    if request.method == "POST" and (
        refused := editing.refused(request, lambda: services.require_own_committee(found), back)
    ):
        return refused
    form = MembershipForm(_bound(request), instance=Membership(committee=found))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.add_membership(membership=form.instance, actor=acting_user(request)),
        )
    ):
        messages.success(request, _("Die Mitgliedschaft wurde eingetragen."))
        return redirect("directory:staff_committee_members", slug=found.slug)
    context = {
        "committee": found,
        "form": form,
        "memberships": queries.memberships_for_staff(found),
        "unnamed_count": queries.unnamed_memberships_count(found),
    }
    return render(request, "directory/staff/members.html", context)


@manager_page
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = queries.get_membership(pk)
    committee = membership.committee
    back = reverse("directory:staff_committee_members", kwargs={"slug": committee.slug})
    if refused := editing.refused(request, lambda: services.require_own_committee(committee), back):
        return refused
    form = EndMembershipForm(_bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.end_membership(
            membership=membership, actor=acting_user(request), **form.cleaned_data
        ),
        success_message=_("Die Mitgliedschaft wurde beendet."),
        title=_("Mitgliedschaft beenden: %(m)s") % {"m": membership},
        cancel_url=reverse("directory:staff_committees"),
        done_url=reverse(
            "directory:staff_committee_members", kwargs={"slug": membership.committee.slug}
        ),
    )


@manager_page
def person_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/staff/persons.html",
        {"page": paginate(request, queries.persons_for_staff())},
    )


@manager_page
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person = queries.get_person(pk) if pk else Person()
    back = reverse("directory:staff_persons")
    if refused := editing.refused(request, lambda: services.require_own_person(person), back):
        return refused
    form = PersonForm(_bound(request), instance=person)
    save = services.update_person if pk else services.create_person
    return PAGES.edit(
        request,
        form,
        action=lambda: save(person=form.instance, actor=acting_user(request)),
        success_message=_saved(form),
        title=_("Person bearbeiten") if pk else _("Neue Person"),
        cancel_url=reverse("directory:staff_persons"),
    )


@manager_page
def term_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/staff/legislative_terms.html",
        {"page": paginate(request, queries.legislative_terms_for_staff())},
    )


@manager_page
def term_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    term = queries.get_legislative_term(pk) if pk else LegislativeTerm(body=_city_for(request))
    form = LegislativeTermForm(_bound(request), instance=term)
    save = services.update_legislative_term if pk else services.create_legislative_term
    return PAGES.edit(
        request,
        form,
        action=lambda: save(term=form.instance, actor=acting_user(request)),
        success_message=_saved(form),
        title=_("Wahlperiode bearbeiten") if pk else _("Neue Wahlperiode"),
        cancel_url=reverse("directory:staff_terms"),
    )


@manager_page
def partner_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/staff/partners.html",
        {"page": paginate(request, queries.partners_for_staff())},
    )


@manager_page
def partner_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    found = queries.get_partner_for(request.user, slug) if slug else PartnerOrganization()
    form = PartnerForm(_bound(request), instance=found)
    if request.method == "POST" and form.is_valid():
        participants = form.cleaned_data["participants"]
        if slug:
            ok = run_service(
                form,
                lambda: services.update_partner(
                    partner=form.instance, participants=participants, actor=acting_user(request)
                ),
            )
        else:
            ok = run_service(
                form,
                lambda: services.create_partner(
                    partner=form.instance, participants=participants, actor=acting_user(request)
                ),
            )
        if ok:
            messages.success(request, _saved(form))
            return redirect("directory:staff_partner", slug=form.instance.slug)
    return PAGES.show(
        request,
        form,
        title=_("Netzwerkpartner bearbeiten") if slug else _("Neuer Netzwerkpartner"),
        cancel_url=_partner_url(found) if slug else reverse("directory:staff_partners"),
        extra={"partner": found if slug else None},
    )


@manager_page
def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.get_partner_for(request.user, slug)
    contacts = [
        (contact, queries.staff_person_label(contact.person)) for contact in found.contacts.all()
    ]
    return render(request, "directory/staff/partner.html", {"partner": found, "contacts": contacts})


def _partner_record_page(
    request: HttpRequest, form: Any, *, action: Callable[[], object], title: str
) -> HttpResponse:
    """A contact, cooperation or event of a partner: saved, then back to the partner's page."""
    partner = form.instance.partner
    return PAGES.edit(
        request,
        form,
        action=action,
        success_message=_saved(form),
        title=title,
        cancel_url=_partner_url(partner),
        extra={"partner": partner},
    )


@manager_page
def contact_edit(
    request: HttpRequest, slug: str | None = None, pk: int | None = None
) -> HttpResponse:
    contact = (
        queries.get_contact(pk)
        if pk
        else PartnerContact(partner=queries.get_partner_for(request.user, slug or ""))
    )
    form = PartnerContactForm(_bound(request), instance=contact)
    service = services.update_partner_contact if pk else services.add_partner_contact
    return _partner_record_page(
        request,
        form,
        action=lambda: service(contact=form.instance, actor=acting_user(request)),
        title=_("Ansprechpartner der Stadt bei %(p)s") % {"p": contact.partner},
    )


@manager_page
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = queries.get_contact(pk)
    form = ConfirmForm(_bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.remove_partner_contact(contact=contact, actor=acting_user(request)),
        success_message=_("Der Ansprechpartner wurde entfernt."),
        title=_("Ansprechpartner „%(c)s“ entfernen?") % {"c": contact},
        cancel_url=_partner_url(contact.partner),
        extra={"partner": contact.partner, "destructive": True},
    )


@manager_page
def cooperation_edit(
    request: HttpRequest, slug: str | None = None, pk: int | None = None
) -> HttpResponse:
    cooperation = (
        queries.get_cooperation(pk)
        if pk
        else Cooperation(partner=queries.get_partner_for(request.user, slug or ""))
    )
    form = CooperationForm(_bound(request), instance=cooperation)
    service = services.update_cooperation if pk else services.add_cooperation
    return _partner_record_page(
        request,
        form,
        action=lambda: service(cooperation=form.instance, actor=acting_user(request)),
        title=_("Kooperation mit %(p)s") % {"p": cooperation.partner},
    )


@manager_page
def event_edit(
    request: HttpRequest, slug: str | None = None, pk: int | None = None
) -> HttpResponse:
    event = (
        queries.get_event(pk)
        if pk
        else PartnerEvent(partner=queries.get_partner_for(request.user, slug or ""))
    )
    form = PartnerEventForm(_bound(request), instance=event)
    service = services.update_partner_event if pk else services.add_partner_event
    return _partner_record_page(
        request,
        form,
        action=lambda: service(event=form.instance, actor=acting_user(request)),
        title=_("Veranstaltung von %(p)s") % {"p": event.partner},
    )
