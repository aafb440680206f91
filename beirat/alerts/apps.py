from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "beirat.alerts"
    label = "alerts"
    verbose_name = _("E-Mail-Benachrichtigungen")

    def ready(self) -> None:
        from beirat.alerts import retention

        register_contributions()
        retention.register()


def register_contributions() -> None:
    """The subscribe forms on the pages of the things one can follow, and the privacy role's
    page in the workplace."""
    from beirat.alerts import rules, views
    from beirat.core import contributions as c

    c.register_part(c.COMMITTEE_PAGE, "alerts/_subscribe.html", views.committee_part)
    c.register_part(c.PAPER_PAGE, "alerts/_subscribe.html", views.paper_part)
    c.register_part(c.RECOMMENDATION_PAGE, "alerts/_subscribe.html", views.recommendation_part)
    c.register_part(c.SEARCH_PAGE, "alerts/_search_link.html", views.search_part)
    c.register_workplace_section(
        "alerts:staff_erase",
        _("E-Mail-Benachrichtigungen löschen"),
        _("Alle Benachrichtigungen einer E-Mail-Adresse auf Verlangen löschen."),
        visible_to=rules.can_erase_alerts,
        position=95,
    )
