"""Reads of the foundation's own data."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .backoffice import QueueItem, StaffQueue, build_queue
from .models import OutgoingEmail


def failed_email_queue() -> StaffQueue:
    """E-mails the mail server refused and that wait for a retry or a resend (2 queries)."""
    return build_queue(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).only(
            "pk", "subject", "to", "created_at", "attempts"
        ),
        date_field="created_at",
        item=lambda email: QueueItem(
            label=email.subject,
            detail=_("%(attempts)s tentative(s)") % {"attempts": email.attempts},
            since=email.created_at,
            url=reverse("admin:ptce_portal_outgoingemail_change", args=[email.pk]),
        ),
        key="emails",
        title=_("E-mails en échec"),
        help_text=_("Messages que le serveur de messagerie a refusés ; ils sont réessayés."),
        url=reverse("admin:ptce_portal_outgoingemail_changelist") + "?status__exact=failed",
        link_label=_("Voir et renvoyer les e-mails"),
        permission="ptce_portal.view_outgoingemail",
    )
