from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "beirat.figures"
    label = "figures"
    verbose_name = _("Die Stadt in Zahlen")

    def ready(self) -> None:
        from beirat.core import contributions

        # In the footer beside "Offene Daten" (position 30 in beirat/templates/base.html).
        contributions.register_footer_link("figures:page", _("Die Stadt in Zahlen"), position=35)
