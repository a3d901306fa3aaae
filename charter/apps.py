from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from poles.apps import CONTENT_VERSION as POLES_CONTENT_VERSION

# The version of what the public sees of the charter (its text, signatories, verification):
# anything cached from it is rebuilt after a change (ptce_portal.versions).
CONTENT_VERSION = "charter"


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = _("Charte")

    def ready(self):
        from ptce_portal import versions

        from .models import CharterItem, CharterSection, CharterVersion, Countersignature, Signature

        versions.watch(
            CONTENT_VERSION,
            CharterVersion,
            CharterSection,
            CharterItem,
            Signature,
            Countersignature,
        )
        # The poles' pages, map and open data show the date a pole signed.
        versions.watch(POLES_CONTENT_VERSION, Signature)
