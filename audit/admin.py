from auditlog.models import LogEntry as AuditlogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import LogEntry
from .registration import audited_models

# auditlog's own (English) admin is replaced by the French one below.
if admin.site.is_registered(AuditlogEntry):
    admin.site.unregister(AuditlogEntry)

NO_ACTOR = "aucun"


def _is_ascii_number(value: str) -> bool:
    """A primary key: "12" yes; "²" or "١٢" (isdigit() but not ASCII), "-1", 19+ digits: no."""
    return value.isascii() and value.isdecimal() and len(value) <= 18


class DateFilter(admin.DateFieldListFilter):
    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("date")


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(str(key), label) for key, label in selectors.ACTION_LABELS.items()]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in {str(key) for key in selectors.ACTION_LABELS}:
            return queryset.none()
        return queryset.filter(action=int(value))


class ModelFilter(admin.SimpleListFilter):
    title = _("type d'objet")
    parameter_name = "modele"

    def lookups(self, request, model_admin):
        from django.apps import apps

        models = [apps.get_model(label) for label in audited_models()]
        content_types = ContentType.objects.get_for_models(*models)
        choices = [
            (str(ct.pk), capfirst(model._meta.verbose_name_plural))
            for model, ct in content_types.items()
        ]
        return sorted(choices, key=lambda choice: str(choice[1]))

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not _is_ascii_number(value):
            return queryset.none()
        return queryset.filter(content_type_id=int(value))


class ActorFilter(admin.SimpleListFilter):
    title = _("auteur")
    parameter_name = "auteur"

    def lookups(self, request, model_admin):
        actors = (
            get_user_model()
            .objects.filter(
                pk__in=LogEntry.objects.exclude(actor=None).values("actor_id").distinct()
            )
            .order_by("last_name", "first_name", "email")
        )
        return [(str(user.pk), str(user)) for user in actors] + [
            (NO_ACTOR, _("Système ou lien personnel (sans compte)"))
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == NO_ACTOR:
            return queryset.filter(actor=None)
        if not _is_ascii_number(value):
            return queryset.none()
        return queryset.filter(actor_id=int(value))


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = [
        "when",
        "object_link",
        "object_type",
        "action_name",
        "fields_changed",
        "actor_name",
    ]
    list_display_links = ["when"]
    list_select_related = ["content_type", "actor"]
    list_filter = [ModelFilter, ActionFilter, ActorFilter, ("timestamp", DateFilter)]
    search_fields = ["object_repr", "actor__first_name", "actor__last_name", "actor__email"]
    search_help_text = _("Recherche dans le libellé de l'objet ou le nom de l'auteur.")
    list_per_page = 50
    change_list_template = "audit/change_list.html"
    change_form_template = "audit/logentry_change_form.html"
    fields = ["when", "actor_name", "object_link", "object_type", "action_name", "changes_table"]
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Journal des modifications"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        """An entry of the log has no history of its own: back to the entry."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return redirect("admin:audit_logentry_change", object_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("date"), ordering="timestamp")
    def when(self, obj):
        return date_format(localtime(obj.timestamp), "DATETIME_FORMAT")

    @admin.display(description=_("auteur"), ordering="actor__last_name")
    def actor_name(self, obj):
        return selectors.actor_label(obj)

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, obj):
        return selectors.action_label(obj)

    @admin.display(description=_("type d'objet"))
    def object_type(self, obj):
        model = obj.content_type.model_class()
        return capfirst(model._meta.verbose_name) if model else obj.content_type.model

    @admin.display(description=_("élément"))
    def object_link(self, obj):
        ct = obj.content_type
        try:
            url = reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[obj.object_pk])
        except NoReverseMatch:
            return obj.object_repr
        if obj.action == AuditlogEntry.Action.DELETE:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)

    @admin.display(description=_("champs modifiés"))
    def fields_changed(self, obj):
        if obj.action != AuditlogEntry.Action.UPDATE:
            return "—"
        return selectors.changed_field_names(obj)

    @admin.display(description=_("avant / après"))
    def changes_table(self, obj):
        from django.template.loader import render_to_string

        return render_to_string(
            "audit/_changes.html",
            {"rows": selectors.change_rows(obj), "is_delete": selectors.is_delete(obj)},
        )
