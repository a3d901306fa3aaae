"""Writes to the audit log that signals cannot make.

`QuerySet.update()` sends no signal, so auditlog does not see it: a service that
changes registered rows that way records the change here, in the same transaction,
with the same actor (the request's user, set by AuditlogMiddleware)."""

from auditlog.context import auditlog_disabled
from auditlog.diff import get_mask_function
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import models
from django.utils.encoding import smart_str


def log_update(*, instance: models.Model, changes: dict[str, tuple]) -> LogEntry | None:
    """Record `changes` ({field: (before, after)}) made to `instance` outside save().

    Fields excluded for the model are dropped and masked fields masked, as for the
    entries auditlog makes itself; nothing is written when nothing changed."""
    model = type(instance)
    if auditlog_disabled.get() or not auditlog.contains(model):
        return None
    options = auditlog.get_model_fields(model)
    mask = get_mask_function(options["mask_callable"])
    recorded = {}
    for name, (before, after) in changes.items():
        if name in options["exclude_fields"] or before == after:
            continue
        if options["include_fields"] and name not in options["include_fields"]:
            continue
        before, after = smart_str(before), smart_str(after)
        if name in options["mask_fields"]:
            before, after = mask(before), mask(after)
        recorded[name] = [before, after]
    if not recorded:
        return None
    return LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=recorded)
