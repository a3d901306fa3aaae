from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The composition: settings, root URLs, home, health, Mon espace, the staff dashboard,
    seed and demo orchestration. The only package that may name every domain app; it has no
    models."""

    name = "portal"
    label = "portal"
    verbose_name = _("Portail PTCE")

    def ready(self):
        # Every app's contributions.py, now that every app is loaded.
        from ptce_portal import contributions

        contributions.discover()
