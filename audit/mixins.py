from urllib.parse import unquote

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import selectors


class AuditHistoryMixin(AuditlogHistoryAdminMixin):
    """Put first in a ModelAdmin's bases: its change page shows the last changes
    (who, when, before/after) and links to the object's whole audit history
    (<object>/auditlog/, url name admin:<app>_<model>_auditlog)."""

    auditlog_history_template = "audit/object_history.html"
    auditlog_history_per_page = 25
    change_form_template = "audit/change_form.html"
    audit_recent_count = 5

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entries = list(
            selectors.entries_for_object(self.model, unquote(object_id))[
                : self.audit_recent_count + 1
            ]
        )
        extra_context = {
            **(extra_context or {}),
            "audit_entries": [_entry_context(e) for e in entries[: self.audit_recent_count]],
            "audit_has_more": len(entries) > self.audit_recent_count,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        """One history per object: Django's own (admin edits only) sends to the audit log."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.opts
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_auditlog",
            args=[object_id],
            current_app=self.admin_site.name,
        )
        return redirect(url)

    def auditlog_history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            # auditlog would render a page about "None" (and fail on its links)
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        response = super().auditlog_history_view(request, object_id, extra_context)
        if isinstance(response, TemplateResponse):
            page = response.context_data["log_entries"]
            response.context_data["audit_entries"] = [_entry_context(e) for e in page]
            response.context_data["title"] = (
                _("Journal des modifications : %s") % (response.context_data["object"])
            )
        return response


def _entry_context(entry) -> dict:
    return {
        "entry": entry,
        "actor": selectors.actor_label(entry),
        "action": selectors.action_label(entry),
        "rows": selectors.change_rows(entry),
        "is_delete": selectors.is_delete(entry),
    }
