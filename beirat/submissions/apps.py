from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "beirat.submissions"
    label = "submissions"
    verbose_name = _("Eingaben und Anregungen")

    def ready(self) -> None:
        from beirat.submissions import retention

        retention.register()
