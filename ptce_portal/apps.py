from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PtcePortalConfig(AppConfig):
    name = "ptce_portal"
    verbose_name = _("Portail PTCE")
