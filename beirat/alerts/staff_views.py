"""The privacy role's page: erase every alert of an address when its owner asks (Art. 17)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from beirat.alerts import queries, rules
from beirat.alerts.forms import AddressForm
from beirat.alerts.services import subscriptions
from beirat.core.access import acting_user, staff_page


@staff_page(rules.can_erase_alerts)
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    """First look the address up (how many alerts), then erase after a second click."""
    form = AddressForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        recipient = queries.recipient_by_address(email)
        if request.POST.get("aktion") == "loeschen" and recipient is not None:
            count = subscriptions.erase_address(email=email, actor=acting_user(request))
            context["done"] = ngettext(
                "%(count)d Benachrichtigung dieser Adresse ist gelöscht.",
                "%(count)d Benachrichtigungen dieser Adresse sind gelöscht.",
                count,
            ) % {"count": count}
            context["form"] = AddressForm()
        else:
            context["email"] = email
            context["found"] = queries.subscriptions_of(recipient) if recipient else []
    return render(request, "alerts/staff/erase.html", context)
