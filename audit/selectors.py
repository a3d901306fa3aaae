"""Reads of the audit log: entries of one object, a readable before/after of one entry."""

from datetime import UTC, date, datetime, time

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .masking import MASK

ACTION_LABELS = {
    LogEntry.Action.CREATE: _("Création"),
    LogEntry.Action.UPDATE: _("Modification"),
    LogEntry.Action.DELETE: _("Suppression"),
    LogEntry.Action.ACCESS: _("Consultation"),
}
M2M_OPERATIONS = {"add": _("ajout"), "delete": _("retrait")}
VALUE_MAX_LENGTH = 500


def actor_label(entry: LogEntry) -> str:
    """The person who made the change: first and last name, else e-mail."""
    if entry.actor_id is None:
        if entry.actor_email:
            return entry.actor_email
        return gettext("Système ou lien personnel (sans compte)")
    return str(entry.actor)


def action_label(entry: LogEntry) -> str:
    return str(ACTION_LABELS.get(entry.action, entry.action))


def is_delete(entry: LogEntry) -> bool:
    return entry.action == LogEntry.Action.DELETE


def entries_for_object(model: type[models.Model], object_pk) -> models.QuerySet:
    content_type = ContentType.objects.get_for_model(model)
    return (
        LogEntry.objects.filter(content_type=content_type, object_pk=str(object_pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def recent_entries_by(user, *, count: int = 10) -> list[dict]:
    """The latest changes made by `user`: {"entry", "action", "type", "url"} each."""
    from django.urls import NoReverseMatch, reverse

    if not getattr(user, "pk", None):
        return []
    entries = (
        LogEntry.objects.filter(actor=user)
        .select_related("content_type")
        .order_by("-timestamp", "-pk")[:count]
    )
    items = []
    for entry in entries:
        model = entry.content_type.model_class()
        try:
            url = reverse("admin:audit_logentry_change", args=[entry.pk])
        except NoReverseMatch:
            url = None
        items.append(
            {
                "entry": entry,
                "action": action_label(entry),
                "type": capfirst(model._meta.verbose_name) if model else entry.content_type.model,
                "url": url,
            }
        )
    return items


def _field(model, name):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return None if isinstance(field, models.ForeignObjectRel) else field


def _is_reverse_relation(model, name) -> bool:
    """Entries written before reverse relations were excluded may still name them."""
    try:
        return isinstance(model._meta.get_field(name), models.ForeignObjectRel)
    except (FieldDoesNotExist, AttributeError):
        return False


def _display(field, value):
    """A stored (string) value shown the way a person reads it."""
    if value is None or value == "None":
        return "—"
    if value == MASK:
        return gettext("(donnée personnelle masquée)")
    if value == "":
        return gettext("(vide)")
    if field is None:
        return str(value)[:VALUE_MAX_LENGTH]
    if field.choices:
        choices = {str(key): label for key, label in field.flatchoices}
        return str(choices.get(str(value), value))
    if isinstance(field, models.BooleanField):
        return gettext("oui") if value in ("True", True) else gettext("non")
    if isinstance(field, models.ForeignKey):
        try:
            pk = field.related_model._meta.pk.to_python(value)
            related = field.related_model._base_manager.filter(pk=pk).first()
        except (ValidationError, ValueError, TypeError):
            related = None
        return str(related) if related is not None else f"n°{value}"
    parsed: datetime | date | time | None = None
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(str(value))
        if parsed is not None:
            if timezone.is_naive(parsed):
                # auditlog stores datetimes as naive UTC strings ("2026-11-27 00:22:41")
                parsed = timezone.make_aware(parsed, UTC)
            parsed = timezone.localtime(parsed)
    elif isinstance(field, models.DateField):
        parsed = parse_date(str(value))
    elif isinstance(field, models.TimeField):
        parsed = parse_time(str(value))
    if isinstance(parsed, datetime | date | time):
        return formats.localize(parsed)
    text = str(value)
    if len(text) > VALUE_MAX_LENGTH:
        text = text[:VALUE_MAX_LENGTH] + "…"
    return text


def _label(field, name):
    verbose_name = getattr(field, "verbose_name", None)  # reverse relations have none
    return capfirst(str(verbose_name)) if verbose_name else name


def change_rows(entry: LogEntry) -> list[dict]:
    """One row per changed field: {"field", "before", "after"}; for a many-to-many
    change, "before" is the operation (ajout/retrait) and "after" the objects."""
    model = entry.content_type.model_class()
    rows = []
    for name, change in sorted((entry.changes_dict or {}).items()):
        if _is_reverse_relation(model, name):
            continue
        field = _field(model, name)
        if isinstance(change, dict) and change.get("type") == "m2m":
            rows.append(
                {
                    "field": _label(field, name),
                    "m2m": True,
                    "before": str(M2M_OPERATIONS.get(str(change.get("operation")), "")),
                    "after": ", ".join(str(o) for o in change.get("objects", [])),
                }
            )
            continue
        before, after = (list(change) + [None, None])[:2]
        rows.append(
            {
                "field": _label(field, name),
                "m2m": False,
                "before": _display(field, before),
                "after": _display(field, after),
            }
        )
    return rows


def changed_field_names(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    names = [
        _label(_field(model, name), name)
        for name in sorted(entry.changes_dict or {})
        if not _is_reverse_relation(model, name)
    ]
    text = ", ".join(names)
    return text if len(text) <= 90 else text[:87] + "…"
