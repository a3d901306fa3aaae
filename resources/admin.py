from django.contrib import admin

from audit.mixins import AuditHistoryMixin

from .models import Attachment, Resource


class AttachmentInline(admin.TabularInline):
    """Attachments are read here; they are added on the portal, where their content is
    checked (resources.files)."""

    model = Attachment
    extra = 0
    fields = ["original_name", "format", "size", "position", "created_at"]
    readonly_fields = ["original_name", "format", "size", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Resource)
class ResourceAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "author", "published_at"]
    list_filter = ["status", "kind", "themes"]
    search_fields = ["title", "summary"]
    readonly_fields = [
        "slug",
        "status",
        "submitted_at",
        "published_at",
        "decided_by",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["poles"]
    filter_horizontal = ["themes", "objectives"]
    raw_id_fields = ["author"]
    inlines = [AttachmentInline]


from . import peers_admin  # noqa: E402,F401  (help offers and exchange requests)
