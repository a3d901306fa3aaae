"""Writes of the foundation's own data."""

import logging

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import MaintenanceSwitch
from .selectors import MAINTENANCE_CACHE_KEY, MAINTENANCE_CACHE_TTL

logger = logging.getLogger(__name__)


def set_maintenance(*, by, enabled: bool) -> MaintenanceSwitch:
    """Switch maintenance on or off for every instance: the row, then the shared cache that
    every instance reads (so the change applies at once, not at the cache's expiry)."""
    if not by.has_perm("ptce_portal.change_maintenanceswitch"):
        raise PermissionDenied
    with transaction.atomic():
        switch, _created = MaintenanceSwitch.objects.select_for_update().get_or_create(pk=1)
        switch.enabled = enabled
        switch.changed_by = by
        switch.save()
        transaction.on_commit(_publish(enabled))
    logger.warning("Maintenance switched %s by %s", "on" if enabled else "off", by.pk)
    return switch


def _publish(enabled: bool):
    def publish():
        try:
            cache.set(MAINTENANCE_CACHE_KEY, enabled, MAINTENANCE_CACHE_TTL)
        except Exception:  # the instances read the database within the TTL
            logger.exception("Maintenance switch: could not write the shared cache")

    return publish
