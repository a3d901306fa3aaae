"""Admin of peer help (imported by resources.admin): staff read the help offers and the
exchange requests, message included (moderation), and close an abusive request through
resources.peers_services.exchange_request_close (audited). Nothing is added, edited or
deleted here: offers and requests are the poles' own."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.mixins import AuditHistoryMixin

from . import peers_permissions, peers_services
from .models import ExchangeRequest, HelpOffer


class _ReadOnlyAdmin(AuditHistoryMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HelpOffer)
class HelpOfferAdmin(_ReadOnlyAdmin):
    list_display = ["pole", "objective", "note", "updated_at"]
    list_filter = ["objective__version", "objective"]
    search_fields = ["pole__name", "objective__code", "objective__title", "note"]
    list_select_related = ["pole", "objective"]
    readonly_fields = ["pole", "objective", "note", "created_at", "updated_at"]
    fields = readonly_fields


@admin.register(ExchangeRequest)
class ExchangeRequestAdmin(_ReadOnlyAdmin):
    list_display = [
        "created_at",
        "requester_pole",
        "helper_pole",
        "objective",
        "status",
        "decided_at",
    ]
    list_filter = ["status", "created_at"]
    search_fields = [
        "requester_pole__name",
        "helper_pole__name",
        "objective__code",
        "message",
    ]
    list_select_related = ["requester_pole", "helper_pole", "objective"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "requester_pole",
        "helper_pole",
        "objective",
        "requested_by",
        "message",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    fields = readonly_fields
    actions = ["close"]

    def has_close_permission(self, request):
        return peers_permissions.can_moderate_exchanges(request.user)

    @admin.action(
        description=_("Clore les demandes abusives sélectionnées (plus de réponse possible)"),
        permissions=["close"],
    )
    def close(self, request, queryset):
        done = 0
        for exchange in queryset:
            try:
                peers_services.exchange_request_close(exchange=exchange, by=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(
                    request, f"{exchange} : {' '.join(exc.messages)}", messages.WARNING
                )
        if done:
            self.message_user(
                request,
                ngettext("%(n)d demande close.", "%(n)d demandes closes.", done) % {"n": done},
            )
