from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The version of what the public sees of the national days (programmes, speakers, quotes,
# seats, public participants): anything cached from it is rebuilt after a change
# (ptce_portal.versions).
CONTENT_VERSION = "events"


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Journées nationales")

    def ready(self):
        from ptce_portal import versions

        from .models import (
            Event,
            EventOrganisation,
            Intervention,
            Organisation,
            Person,
            Quote,
            Registration,
            Session,
            SessionSpeaker,
        )
        from .pdf import watch_proceedings

        watch_proceedings()
        versions.watch(
            CONTENT_VERSION,
            Event,
            EventOrganisation,
            Organisation,
            Person,
            Session,
            SessionSpeaker,
            Intervention,
            Quote,
            Registration,
        )
