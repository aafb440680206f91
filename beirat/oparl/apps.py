from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlConfig(AppConfig):
    name = "beirat.oparl"
    label = "oparl"
    verbose_name = _("OParl-Schnittstelle")

    def ready(self) -> None:
        from beirat.core import contributions

        contributions.register_part(
            contributions.OPEN_DATA_INTERFACES, "oparl/_open_data.html", lambda request, _: {}
        )
