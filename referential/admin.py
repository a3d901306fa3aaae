from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from audit.mixins import AuditHistoryMixin

from .forms import ReferentialImportForm
from .importer import ReferentialFileError, parse_referential
from .models import (
    Answer,
    Assessment,
    GeneralObjective,
    Indicator,
    Invitation,
    PrincipalObjective,
    ReferentialVersion,
)
from .services import version_import, version_publish


class GeneralObjectiveInline(admin.TabularInline):
    model = GeneralObjective
    extra = 0
    fields = ["code", "position", "title", "description"]

    # Published versions are frozen: assessments refer to their questions.
    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published


@admin.register(ReferentialVersion)
class ReferentialVersionAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["title", "code", "is_working_version", "published_at", "question_count"]
    list_filter = ["is_working_version"]
    readonly_fields = ["published_at", "created_at"]
    fields = ["code", "title", "is_working_version", "source_note", "published_at", "created_at"]
    inlines = [GeneralObjectiveInline]
    actions = ["publish"]
    change_list_template = "admin/referential/referentialversion/change_list.html"

    @admin.display(description=_("questions"))
    def question_count(self, obj):
        return obj.indicators.count()

    @admin.action(
        description=_("Publier les versions sélectionnées (structure 3 × 3 × 4 vérifiée)")
    )
    def publish(self, request, queryset):
        for version in queryset:
            try:
                version_publish(version=version)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request, _("« %s » est publiée.") % version.title, messages.SUCCESS
                )

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name="referential_referentialversion_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ReferentialImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                parsed = parse_referential(
                    upload.read(),
                    filename=upload.name,
                    code=form.cleaned_data["code"],
                    title=form.cleaned_data["title"],
                )
                version = version_import(parsed=parsed, publish=form.cleaned_data["publish"])
            except ReferentialFileError as exc:
                errors = exc.errors
            except ValidationError as exc:
                errors = exc.messages
            else:
                self.message_user(
                    request,
                    _("Version « %(title)s » importée (%(n)s questions).")
                    % {"title": version.title, "n": parsed.question_count},
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:referential_referentialversion_change", args=[version.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importer une version du référentiel"),
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/referential/import.html", context, status=400 if errors else 200
        )


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "position", "question", "help_text"]


@admin.register(PrincipalObjective)
class PrincipalObjectiveAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["code", "title", "short_title", "version"]
    list_filter = ["version"]
    inlines = [IndicatorInline]
    exclude = ["version"]
    readonly_fields = ["general"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.version.is_published


@admin.register(Indicator)
class IndicatorAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["code", "question", "version"]
    list_filter = ["version"]
    search_fields = ["question", "code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.version.is_published


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["email", "category", "user", "sent_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["title", "pole", "version", "status", "opened_at", "closed_at"]
    list_filter = ["status", "version"]
    search_fields = ["pole__name", "title"]
    readonly_fields = [
        "pole",
        "version",
        "opened_by",
        "opened_at",
        "closed_at",
        "closed_by",
        "status",
    ]
    inlines = [InvitationInline]

    def has_add_permission(self, request):
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["invitation", "indicator", "value", "dont_know", "updated_at"]
    list_filter = ["invitation__assessment__version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
