from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlSyncConfig(AppConfig):
    name = "beirat.oparlsync"
    label = "oparlsync"
    verbose_name = _("Übernahme aus Ratsinformationssystemen (OParl)")

    def ready(self) -> None:
        from beirat.core import contributions
        from beirat.oparlsync import rules

        contributions.register_workplace_section(
            "oparlsync:sources",
            _("Ratsinformationssysteme"),
            _("Vorlagen, Sitzungen und Gremien aus einem OParl-System übernehmen und abgleichen."),
            visible_to=rules.can_manage_sources,
            position=45,
        )
