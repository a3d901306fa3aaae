from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The version of what the public sees of the resource centre (published resources, their
# attachments and the links to poles, themes and objectives): cached pages built from it are
# rebuilt after a change (ptce_portal.versions).
CONTENT_VERSION = "resources"


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Centre de ressources")

    def ready(self):
        from ptce_portal import versions

        from .models import Attachment, Resource

        versions.watch(CONTENT_VERSION, Resource, Attachment)
