from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Audit trail of the domain models, on top of django-auditlog (one LogEntry table)."""

    name = "audit"
    verbose_name = _("Suivi")

    def ready(self):
        from ptce_portal import contributions

        from . import registration, signals  # noqa: F401

        # The audited models are declared by each app, known once the composition has
        # discovered the contributions.
        contributions.on_discovered(registration.register_models)
