from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Audit trail of the domain models, on top of django-auditlog (one LogEntry table)."""

    name = "audit"
    verbose_name = _("Suivi")

    def ready(self):
        from . import registration, signals  # noqa: F401

        registration.register_models()
