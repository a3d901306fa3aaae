from django.contrib import admin

from audit.mixins import AuditHistoryMixin

from .models import Band, Campaign, Question, QuestionnaireVersion, Reminder, Report


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


@admin.register(Report)
class ReportAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["pole", "campaign", "state", "submitted_at", "reviewed_at", "is_demo"]
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


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["pole", "campaign", "days_before", "sent_at"]
    list_filter = ["campaign", "days_before"]
    list_select_related = ["pole", "campaign"]
    readonly_fields = ["campaign", "pole", "days_before", "sent_at"]

    def has_add_permission(self, request):
        return False
