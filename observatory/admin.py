from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.mixins import AuditHistoryMixin

from . import services
from .models import Band, Campaign, Question, QuestionnaireVersion, Reminder, Report


def _why(exc) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


def _opened(n: int) -> str:
    return ngettext("%(n)d campagne ouverte.", "%(n)d campagnes ouvertes.", n) % {"n": n}


def _closed(n: int) -> str:
    return ngettext("%(n)d campagne clôturée.", "%(n)d campagnes clôturées.", n) % {"n": n}


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "code", "section", "label", "help_text"]


class BandInline(admin.TabularInline):
    model = Band
    extra = 0
    fields = ["kind", "position", "code", "label", "lower_eur", "upper_eur"]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["title", "code", "published_at"]
    readonly_fields = ["created_at"]
    inlines = [QuestionInline, BandInline]


@admin.register(Campaign)
class CampaignAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["year", "state", "opens_on", "closes_on", "questionnaire", "is_demo"]
    list_filter = ["state", "is_demo"]
    list_select_related = ["questionnaire"]
    readonly_fields = ["state", "opened_at", "opened_by", "closed_at", "closed_by", "created_at"]
    actions = ["open_campaigns", "close_campaigns"]

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for campaign in queryset:
            try:
                service(campaign=campaign, by=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request,
                    f"{campaign.year} : {_why(exc)}",
                    messages.WARNING,
                )
        if done:
            self.message_user(request, done_message(done))

    @admin.action(description=_("Ouvrir les campagnes sélectionnées"))
    def open_campaigns(self, request, queryset):
        self._apply(request, queryset, services.campaign_open, _opened)

    @admin.action(description=_("Clôturer les campagnes sélectionnées"))
    def close_campaigns(self, request, queryset):
        self._apply(request, queryset, services.campaign_close, _closed)


@admin.register(Report)
class ReportAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "pole",
        "campaign",
        "state",
        "submitted_at",
        "reviewed_at",
        "is_demo",
        "review_link",
    ]
    actions = ["accept_reports"]
    list_filter = ["campaign", "state", "is_demo"]
    list_select_related = ["pole", "campaign"]
    search_fields = ["pole__name"]
    autocomplete_fields = ["pole"]
    filter_horizontal = ["themes"]
    readonly_fields = [
        "state",
        "return_reason",
        "created_at",
        "updated_at",
        "updated_by",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
    ]

    @admin.display(description=_("relecture"))
    def review_link(self, obj):
        url = reverse(
            "observatory:staff_review", kwargs={"year": obj.campaign.year, "slug": obj.pole.slug}
        )
        return format_html('<a href="{}">{}</a>', url, _("Relire"))

    @admin.action(description=_("Accepter les rapports transmis sélectionnés"))
    def accept_reports(self, request, queryset):
        done = 0
        for report in queryset.select_related("pole", "campaign"):
            try:
                services.report_accept(report=report, by=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request,
                    f"{report.pole.name} : {_why(exc)}",
                    messages.WARNING,
                )
        if done:
            self.message_user(
                request,
                ngettext("%(n)d rapport accepté.", "%(n)d rapports acceptés.", done) % {"n": done},
            )


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["pole", "campaign", "days_before", "sent_at"]
    list_filter = ["campaign", "days_before"]
    list_select_related = ["pole", "campaign"]
    readonly_fields = ["campaign", "pole", "days_before", "sent_at"]

    def has_add_permission(self, request):
        return False
