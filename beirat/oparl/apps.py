from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlConfig(AppConfig):
    name = "beirat.oparl"
    label = "oparl"
    verbose_name = _("OParl-Schnittstelle")
