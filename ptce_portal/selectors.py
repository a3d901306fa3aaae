"""Reads of the foundation's own data."""

import logging
from contextlib import suppress

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .backoffice import QueueItem, StaffQueue, build_queue
from .models import MaintenanceSwitch, OutgoingEmail

logger = logging.getLogger(__name__)

# The maintenance switch is read on every request through the shared cache: staff's change
# reaches every instance at once (services.set_maintenance writes the cache too), and within
# this many seconds should the cache have missed that write.
MAINTENANCE_CACHE_KEY = "maintenance-switch"
MAINTENANCE_CACHE_TTL = 5


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


def oldest_unsent_email_age() -> int | None:
    """Seconds since the oldest e-mail still to be sent (pending, or failed with attempts
    left) was queued; None when none waits (1 query)."""
    from .mail import max_attempts

    oldest = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.FAILED],
        attempts__lt=max_attempts(),
    ).aggregate(oldest=Min("created_at"))["oldest"]
    return None if oldest is None else max(0, int((timezone.now() - oldest).total_seconds()))


def maintenance_enabled() -> bool:
    """Whether staff switched maintenance on (the shared cache, else 1 query)."""
    try:
        cached = cache.get(MAINTENANCE_CACHE_KEY)
    except DatabaseError:  # the database cache, with the database down: no second try
        raise
    except Exception as exc:  # Redis down: the database says
        logger.warning("Maintenance switch: cache unavailable (%s)", exc.__class__.__name__)
        cached = None
    if cached is not None:
        return bool(cached)
    enabled = MaintenanceSwitch.objects.filter(pk=1, enabled=True).exists()
    with suppress(Exception):  # no cache: the next request reads the database again
        cache.set(MAINTENANCE_CACHE_KEY, enabled, MAINTENANCE_CACHE_TTL)
    return enabled
