from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The version of what the public sees of the referential (its text, the community
# benchmark): anything cached from it is rebuilt after a change (ptce_portal.versions).
CONTENT_VERSION = "referential"


class ReferentialConfig(AppConfig):
    name = "referential"
    verbose_name = _("Référentiel d'action")

    def ready(self):
        from ptce_portal import versions

        from .models import (
            Assessment,
            GeneralObjective,
            Indicator,
            PrincipalObjective,
            ReferentialVersion,
        )

        # Closed assessments feed the public community benchmark.
        versions.watch(
            CONTENT_VERSION,
            ReferentialVersion,
            GeneralObjective,
            PrincipalObjective,
            Indicator,
            Assessment,
        )
