from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The version of what the public sees of the poles (directory, map, open data, pole pages):
# anything cached from them is rebuilt after a change (ptce_portal.versions).
CONTENT_VERSION = "poles"


class PolesConfig(AppConfig):
    name = "poles"
    verbose_name = _("Pôles")

    def ready(self):
        from ptce_portal import versions

        from .models import (
            CallForProjects,
            Department,
            FactSource,
            Pole,
            PoleMember,
            Region,
            Source,
            Theme,
        )

        versions.watch(
            CONTENT_VERSION,
            Pole,
            PoleMember,
            Department,
            Region,
            Theme,
            CallForProjects,
            Source,
            FactSource,
        )
