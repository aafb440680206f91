from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "beirat.board"
    label = "board"
    verbose_name = _("Digitalbeirat")

    def ready(self) -> None:
        from beirat.board import retention

        register_contributions()
        retention.register()


def register_contributions() -> None:
    """The board's parts of other apps' pages, and its entries in the menus."""
    from beirat.board import rules, views
    from beirat.core import contributions as c

    c.register_part(c.HOME, "board/public/_home.html", views.home_section)
    c.register_part(c.PAPER_PAGE, "board/public/_paper_recommendations.html", views.paper_part)
    c.register_part(c.TRACKING_PAGE, "board/public/_tracking_chain.html", views.tracking_part)
    c.register_part(c.TRIAGE_DETAIL, "board/staff/_triage_requests.html", views.triage_part)
    c.register_part(c.OPEN_DATA_FEEDS, "board/public/_open_data_feeds.html", views.no_context)
    c.register_part(
        c.OPEN_DATA_DOWNLOADS, "board/public/_open_data_downloads.html", views.no_context
    )
    c.register_menu_entry("board:public", _("Digitalbeirat"), position=10)
    c.register_menu_entry("board:recommendations", _("Empfehlungen"), position=60)
    c.register_workplace_section(
        "board:workplace",
        _("Fachfragen des Beirats"),
        _("Offene Fachfragen beantworten, Sitzungen und Unterlagen."),
        visible_to=rules.can_enter_board_area,
        position=20,
    )
    c.register_workplace_section(
        "board:staff_recommendations",
        _("Empfehlungen verfolgen"),
        _(
            "Empfehlungen und Hinweise des Beirats erfassen, zuweisen und bis zur Umsetzung "
            "verfolgen."
        ),
        visible_to=rules.can_manage_board,
        position=30,
    )
    c.register_workplace_section(
        "board:office",
        _("Empfehlungen an mein Amt"),
        _("Empfehlungen des Digitalbeirats annehmen und ihren Umsetzungsstand melden."),
        visible_to=rules.can_work_as_office,
        position=50,
    )
    c.register_workplace_section(
        "board:pseudonyms",
        _("Pseudonyme der Beiratsmitglieder"),
        _("Welches Konto hinter welchem Pseudonym steht. Jeder Aufruf wird protokolliert."),
        visible_to=rules.can_see_pseudonym_links,
        position=90,
    )
