from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "beirat.council"
    label = "council"
    verbose_name = _("Ratsinformation")

    def ready(self) -> None:
        from beirat.council.models import Consultation, Paper

        register_contributions()
        from beirat.council.queries import PAPERS
        from beirat.directory.models import Committee

        def papers_changed(sender: Any, **kwargs: Any) -> None:
            from beirat.core import versioned_cache

            versioned_cache.bump_after_commit(PAPERS)

        # Counts, years and originators of the paper list are cached per change of these.
        # weak=False: the receiver is a local function, which nothing else keeps alive.
        for model in (Paper, Consultation, Committee):
            for signal in (post_save, post_delete):
                signal.connect(papers_changed, sender=model, weak=False)


def register_contributions() -> None:
    """The council app's entries in the public menu and the workplace, and its parts of the
    committee page and of /offene-daten/."""
    from beirat.core import contributions as c
    from beirat.council import rules

    c.register_menu_entry("council:papers", _("Vorlagen"), position=30)
    c.register_menu_entry("council:meetings", _("Sitzungen"), position=40)
    c.register_menu_entry("council:mandates", _("Beschlusskontrolle"), position=70)
    from beirat.council import views

    c.register_part(c.COMMITTEE_PAGE, "council/_committee_meetings.html", views.committee_part)
    c.register_part(c.COMMITTEE_HEAD, "council/_committee_head.html", views.committee_head_part)
    c.register_part(
        c.OPEN_DATA_CALENDARS, "council/_open_data_calendars.html", views.open_data_calendars
    )
    c.register_part(c.OPEN_DATA_FEEDS, "council/_open_data_feeds.html", views.open_data_feeds)
    c.register_workplace_section(
        "council:workplace",
        _("Vorlagen und Sitzungen"),
        _("Vorlagen anlegen, Sitzungen planen, Ergebnisse erfassen."),
        visible_to=rules.can_manage_council,
        position=60,
    )
