import base64

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import F, Func, Q, TextField, Value
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import contributions
from .mail import carries_personal_link, resend
from .models import MaintenanceSwitch, OutgoingEmail, User

# Titles and the index (staff dashboard) of admin.site: the composition's admin site.


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (
            _("Droits"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    # Deleting a person goes through the GDPR erasure (ptce_portal.gdpr): their details leave
    # every app's records (each app's contributed erasure), the outbox and the logs too; the
    # public records stay. A confirmation is e-mailed to the old address. The accounts
    # Mon espace refuses to delete (staff: their actions must stay attributed) are refused
    # here too, before anything is written.
    def get_deleted_objects(self, objs, request):
        from .gdpr import account_deletion_refusal

        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        refused = [(user, refusal) for user in objs if (refusal := account_deletion_refusal(user))]
        if refused:
            protected = list(protected) + [f"{user.email} : {refusal}" for user, refusal in refused]
            self.message_user(
                request,
                _("Compte de l'équipe : il ne peut pas être supprimé (%(emails)s).")
                % {"emails": ", ".join(user.email for user, _refusal in refused)},
                messages.ERROR,
            )
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        self._erase(request, [obj])

    def delete_queryset(self, request, queryset):
        self._erase(request, list(queryset))

    def _erase(self, request, users) -> None:
        from django.core.exceptions import ValidationError
        from django.db import transaction

        from .gdpr import account_erase

        try:
            with transaction.atomic():
                for user in users:
                    account_erase(user=user)
        except ValidationError as exc:
            # Nothing was erased; the admin's own "deleted" log entry goes too.
            if transaction.get_connection().in_atomic_block:
                transaction.set_rollback(True)
            request._ptce_users_not_deleted = True
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def response_delete(self, request, obj_display, obj_id):
        if getattr(request, "_ptce_users_not_deleted", False):
            from django.http import HttpResponseRedirect
            from django.urls import reverse

            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:ptce_portal_user_change", args=[obj_id])
            )
        return super().response_delete(request, obj_display, obj_id)


# --- Mail outbox (ptce_portal.mail): read-only, with « Renvoyer maintenant » -----------------

# What each template sends, for the staff (the template name is shown for the others): the
# foundation's own kinds here, each app's in its contribution (`email_kinds`).
KIND_LABELS = {
    "account/email/email_confirmation": _("Confirmation d'adresse e-mail"),
    "account/email/email_confirmation_signup": _("Confirmation d'adresse e-mail (inscription)"),
    "account/email/password_reset_key": _("Réinitialisation du mot de passe"),
    "account/email/unknown_account": _("Réinitialisation demandée pour un compte inconnu"),
    "account/email/account_already_exists": _("Inscription avec une adresse déjà connue"),
    "ptce_portal/email/account_deleted.txt": _("Compte supprimé"),
    "message": _("Message de l'équipe"),
}
HIDDEN_CONTENT = _("contenu masqué : lien personnel")


class LanguageFilter(admin.SimpleListFilter):
    """The language by its name (« Français »), not its code."""

    title = _("langue")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return list(settings.LANGUAGES)

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(language=value) if value else queryset


OUTBOX_FIELDSETS = (
    (
        _("Envoi"),
        {
            "fields": (
                "status",
                "attempts",
                "last_error",
                "next_attempt_at",
                "created_at",
                "sent_at",
                "kind_label",
                "language_name",
            )
        },
    ),
    (
        _("Message"),
        {
            "fields": (
                "from_email",
                "recipients",
                "cc",
                "bcc",
                "reply_to",
                "subject",
                "text",
                "html_text",
                "attachment_list",
            )
        },
    ),
)


# Fields of an outgoing message that hold its text (and so maybe a personal link).
TEXT_FIELDS = {"body", "html_body", "attachments", "headers"}


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Every e-mail of the portal: staff see what failed and why, and resend it. The text of a
    message with a personal link (password reset…) is never shown (ptce_portal.mail)."""

    list_display = ["created_at", "status", "recipients", "short_subject", "tries"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter), "sent_at", LanguageFilter]
    search_fields = ["subject"]  # and the recipients: see get_search_results
    search_help_text = _("Destinataire, objet ou type du message.")
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    empty_value_display = "—"
    actions = ["resend_now"]
    fieldsets = OUTBOX_FIELDSETS
    # Everything is read only: the fields of the fieldsets.
    readonly_fields = [name for _title, options in OUTBOX_FIELDSETS for name in options["fields"]]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("attachments", "html_body")
            .annotate(
                recipients_text=Func(
                    F("to"), Value(" "), function="array_to_string", output_field=TextField()
                )
            )
        )

    def lookup_allowed(self, lookup, value, request=None):
        # The text may hold a personal link: no ?body__contains=… probing from the URL either
        # (refused lookups answer 400).
        if lookup.split("__")[0] in TEXT_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request, queryset, search_term):
        condition = Q()
        for word in search_term.split():
            condition &= (
                Q(recipients_text__icontains=word)
                | Q(subject__icontains=word)
                | Q(kind__icontains=word)
            )
        return queryset.filter(condition), False

    @admin.display(description=_("destinataires"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.display(description=_("objet"), ordering="subject")
    def short_subject(self, obj):
        return Truncator(obj.subject).chars(70)

    @admin.display(description=_("essais"), ordering="attempts")
    def tries(self, obj):
        return obj.attempts

    @admin.display(description=_("type"))
    def kind_label(self, obj):
        labels = {**KIND_LABELS, **contributions.email_kinds()}
        return labels.get(obj.kind, obj.kind) or None

    @admin.display(description=_("langue"))
    def language_name(self, obj):
        return dict(settings.LANGUAGES).get(obj.language, obj.language) or None

    @admin.display(description=_("texte"))
    def text(self, obj):
        if carries_personal_link(obj.kind):
            return HIDDEN_CONTENT
        return obj.body or None

    @admin.display(description=_("version HTML"))
    def html_text(self, obj):
        if carries_personal_link(obj.kind):
            return HIDDEN_CONTENT
        return obj.html_body or None

    @admin.display(description=_("pièces jointes"))
    def attachment_list(self, obj):
        items = [
            f"{item.get('filename') or '—'} ({item.get('mimetype')}, "
            f"{len(base64.b64decode(item.get('content', '')))} o)"
            for item in obj.attachments
        ]
        return ", ".join(items) or None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the record is the history of what was sent: read only

    def has_resend_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    @admin.action(description=_("Renvoyer maintenant"), permissions=["resend"])
    def resend_now(self, request, queryset):
        result = resend(queryset.values_list("pk", flat=True))
        reports = [
            (
                result.not_tried,
                messages.WARNING,
                ngettext(
                    "%(count)d message n’a pas été tenté : le serveur de messagerie ne répond "
                    "pas, il sera renvoyé par la file d’envoi.",
                    "%(count)d messages n’ont pas été tentés : le serveur de messagerie ne "
                    "répond pas, ils seront renvoyés par la file d’envoi.",
                    result.not_tried,
                ),
            ),
            (
                result.sent,
                messages.SUCCESS,
                ngettext("%(count)d message envoyé.", "%(count)d messages envoyés.", result.sent),
            ),
            (
                result.failed,
                messages.ERROR,
                ngettext(
                    "%(count)d message n’a pas pu être envoyé : le serveur de messagerie "
                    "l’a refusé ou ne répond pas (l’erreur est indiquée sur le message).",
                    "%(count)d messages n’ont pas pu être envoyés : le serveur de messagerie "
                    "les a refusés ou ne répond pas (l’erreur est indiquée sur chaque message).",
                    result.failed,
                ),
            ),
            (
                result.busy,
                messages.WARNING,
                ngettext(
                    "%(count)d message était déjà en cours d’envoi.",
                    "%(count)d messages étaient déjà en cours d’envoi.",
                    result.busy,
                ),
            ),
            (
                result.redacted,
                messages.WARNING,
                ngettext(
                    "%(count)d message n’a pas été renvoyé : il contenait un lien personnel, "
                    "son texte a été effacé après l’envoi (la personne peut en demander un "
                    "nouveau).",
                    "%(count)d messages n’ont pas été renvoyés : ils contenaient un lien "
                    "personnel, leur texte a été effacé après l’envoi (la personne peut en "
                    "demander un nouveau).",
                    result.redacted,
                ),
            ),
        ]
        for count, level, text in reports:
            if count:
                self.message_user(request, text % {"count": count}, level)


@admin.register(MaintenanceSwitch)
class MaintenanceSwitchAdmin(admin.ModelAdmin):
    """One checkbox: every instance answers « Maintenance en cours » while it is ticked
    (ptce_portal.services.set_maintenance); staff keep the admin to untick it."""

    fields = ["enabled", "changed_at", "changed_by"]
    readonly_fields = ["changed_at", "changed_by"]
    list_display = ["__str__", "changed_at", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import set_maintenance

        set_maintenance(by=request.user, enabled=obj.enabled)
