from auditlog.models import LogEntry as AuditlogEntry
from django.utils.translation import gettext_lazy as _


class LogEntry(AuditlogEntry):
    """django-auditlog's entry, under French names in the admin (/admin/audit/logentry/).

    A proxy: no table of its own, the rows live in auditlog_logentry.
    """

    class Meta:
        proxy = True
        verbose_name = _("modification enregistrée")
        verbose_name_plural = _("modifications enregistrées")
        ordering = ["-timestamp"]

    def __str__(self):
        from .selectors import action_label

        return f"{action_label(self)} — {self.object_repr}"
