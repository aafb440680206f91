from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "beirat.submissions"
    label = "submissions"
    verbose_name = _("Eingaben und Anregungen")

    def ready(self) -> None:
        from beirat.submissions import retention

        register_contributions()

        retention.register()


def register_contributions() -> None:
    """The submissions app's entries in the public menu and the workplace."""
    from beirat.core import contributions as c
    from beirat.submissions import rules, views

    c.register_menu_entry("submissions:new", _("Idee einreichen"), position=20)
    c.register_menu_entry("submissions:lookup", _("Vorgang verfolgen"), position=25)
    c.register_part(c.HOME, "submissions/_home.html", views.home_part)
    c.register_workplace_section(
        "submissions:queue",
        _("Eingaben sichten"),
        _("Neue Ideen und Anregungen prüfen und entscheiden."),
        visible_to=rules.can_triage,
        position=10,
    )
    c.register_workplace_section(
        "submissions:office",
        _("Weiterleitungen an mein Amt"),
        _("Weitergeleitete Eingaben und Empfehlungen bearbeiten."),
        visible_to=rules.can_work_as_office,
        position=40,
    )
