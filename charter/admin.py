from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.mixins import AuditHistoryMixin

from . import services
from .models import CharterItem, CharterSection, CharterVersion, Countersignature, Signature


class LockedWhenSignedMixin:
    """A version someone signed is read-only: its text never changes in place."""

    def _version_of(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and services.version_is_locked(self._version_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.version_is_locked(self._version_of(obj)):
            return False
        return super().has_delete_permission(request, obj)


class CharterSectionInline(admin.TabularInline):
    model = CharterSection
    extra = 0
    fields = ["order", "numeral", "title"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return not (obj and services.version_is_locked(obj))

    def has_change_permission(self, request, obj=None):
        return not (obj and services.version_is_locked(obj))

    def has_delete_permission(self, request, obj=None):
        return not (obj and services.version_is_locked(obj))


class CountersignatureInline(admin.TabularInline):
    model = Countersignature
    extra = 0
    fields = ["order", "organisation", "person", "role", "signed_on"]


@admin.register(CharterVersion)
class CharterVersionAdmin(AuditHistoryMixin, LockedWhenSignedMixin, admin.ModelAdmin):
    list_display = ["number", "title", "published_at", "is_current", "signature_count"]
    readonly_fields = ["is_current", "created_at"]
    inlines = [CharterSectionInline, CountersignatureInline]
    actions = ["publish", "copy"]

    def _version_of(self, obj):
        return obj

    def get_inline_instances(self, request, obj=None):
        # Countersignatures stay editable on a signed version; the text does not.
        return [
            inline_class(self.model, self.admin_site)
            for inline_class in self.inlines
            if inline_class is CountersignatureInline
            or not (obj and services.version_is_locked(obj))
        ] + (
            [_ReadOnlySectionInline(self.model, self.admin_site)]
            if obj and services.version_is_locked(obj)
            else []
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and services.version_is_locked(obj):
            messages.info(
                request,
                _(
                    "Cette version a été signée : son texte est figé. Pour changer la charte, "
                    "utilisez l'action « Créer une nouvelle version à partir de celle-ci »."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def has_change_permission(self, request, obj=None):
        # Keep the page viewable (read-only fields) but refuse saving the text.
        return super(LockedWhenSignedMixin, self).has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and services.version_is_locked(obj):
            return [f.name for f in CharterVersion._meta.fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.full_clean()
            obj.save()
        elif form.changed_data:
            # Raises if the version was signed meanwhile: the text never changes once signed.
            services.charter_version_update(
                version=obj, **{name: form.cleaned_data[name] for name in form.changed_data}
            )

    @admin.display(description=_("signatures validées"))
    def signature_count(self, obj):
        return obj.signatures.filter(status=Signature.Status.VALIDATED).count()

    @admin.action(description=_("Publier comme version en vigueur"))
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choisissez une seule version."), messages.ERROR)
            return
        version = services.charter_version_publish(version=queryset.get())
        self.message_user(request, _("%(v)s est la version en vigueur.") % {"v": version})

    @admin.action(description=_("Créer une nouvelle version à partir de celle-ci"))
    def copy(self, request, queryset):
        for version in queryset:
            copy = services.charter_version_copy(version=version)
            self.message_user(request, _("Brouillon créé : version %(n)s.") % {"n": copy.number})


class _ReadOnlySectionInline(admin.TabularInline):
    model = CharterSection
    extra = 0
    fields = ["order", "numeral", "title"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CharterItemInline(admin.TabularInline):
    model = CharterItem
    extra = 0
    fields = ["order", "kind", "text", "source"]

    def has_add_permission(self, request, obj=None):
        return not (obj and services.version_is_locked(obj.version))

    def has_change_permission(self, request, obj=None):
        return not (obj and services.version_is_locked(obj.version))

    def has_delete_permission(self, request, obj=None):
        return not (obj and services.version_is_locked(obj.version))


@admin.register(CharterSection)
class CharterSectionAdmin(AuditHistoryMixin, LockedWhenSignedMixin, admin.ModelAdmin):
    list_display = ["__str__", "version", "order"]
    list_filter = ["version"]
    inlines = [CharterItemInline]

    def _version_of(self, obj):
        return obj.version


class RefusalForm(forms.Form):
    _selected_action = forms.CharField(widget=forms.MultipleHiddenInput)
    reason = forms.CharField(
        label=_("Motif du refus (envoyé au signataire)"), widget=forms.Textarea(attrs={"rows": 4})
    )


@admin.register(Signature)
class SignatureAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "pole_name",
        "version",
        "status",
        "signed_on",
        "register_number",
        "representative_email",
        "created_at",
    ]
    list_filter = ["status", "version", "consent_publication", "signed_on"]
    search_fields = ["pole_name", "pole__name", "representative_last_name", "verification_code"]
    list_select_related = ["version", "pole"]
    date_hierarchy = "created_at"
    actions = ["validate", "refuse"]
    readonly_fields = [f.name for f in Signature._meta.fields]

    def has_add_permission(self, request):
        return False  # signatures are made by coordinators through /charte/signer/

    def has_delete_permission(self, request, obj=None):
        return False  # kept in history; withdraw or refuse instead

    @admin.action(description=_("Valider les signatures sélectionnées"))
    def validate(self, request, queryset):
        done = 0
        for signature in queryset:
            try:
                services.signature_validate(signature=signature, by=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(
                    request, f"{signature.pole_name} : {' '.join(exc.messages)}", messages.WARNING
                )
        if done:
            self.message_user(
                request,
                ngettext("%(n)d signature validée.", "%(n)d signatures validées.", done)
                % {"n": done},
            )

    @admin.action(description=_("Refuser les signatures sélectionnées (avec un motif)"))
    def refuse(self, request, queryset):
        if "apply" in request.POST:
            form = RefusalForm(request.POST)
            if form.is_valid():
                done = 0
                for signature in queryset:
                    try:
                        services.signature_refuse(
                            signature=signature, by=request.user, reason=form.cleaned_data["reason"]
                        )
                        done += 1
                    except ValidationError as exc:
                        self.message_user(
                            request,
                            f"{signature.pole_name} : {' '.join(exc.messages)}",
                            messages.WARNING,
                        )
                if done:
                    self.message_user(
                        request,
                        ngettext("%(n)d signature refusée.", "%(n)d signatures refusées.", done)
                        % {"n": done},
                    )
                return None
        else:
            form = RefusalForm(
                initial={
                    "_selected_action": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
                }
            )
        return TemplateResponse(
            request,
            "charter/admin/refuse.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Refuser des signatures"),
                "signatures": queryset,
                "form": form,
                "opts": self.model._meta,
            },
        )


@admin.register(Countersignature)
class CountersignatureAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["organisation", "person", "version", "signed_on"]
    list_filter = ["version"]
