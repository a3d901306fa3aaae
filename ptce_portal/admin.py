import base64

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import F, Func, Q, TextField, Value
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .mail import deliver, smtp_timed_out_recently
from .models import OutgoingEmail, User

# Titles and the index (staff dashboard) of admin.site: ptce_portal.admin_site.PortalAdminSite.


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
    # the signatures, invitations, registrations, outbox and audit log too; the poles and
    # validated signatures stay. A confirmation is e-mailed to the old address.
    def delete_model(self, request, obj):
        from .gdpr import account_erase

        account_erase(user=obj)

    def delete_queryset(self, request, queryset):
        from django.db import transaction

        from .gdpr import account_erase

        with transaction.atomic():
            for user in queryset:
                account_erase(user=user)


# --- Mail outbox (ptce_portal.mail): read-only, with « Renvoyer maintenant » -----------------


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Every e-mail of the portal: staff see what failed and why, and resend it."""

    list_display = ["created_at", "status", "recipients", "subject", "attempts"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter), "sent_at", "language"]
    search_fields = ["subject"]  # and the recipients: see get_search_results
    search_help_text = _("Destinataire, objet ou type du message.")
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    actions = ["resend_now"]
    fieldsets = (
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
                    "kind",
                    "language",
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
                    "body",
                    "html_body",
                    "attachment_list",
                )
            },
        ),
    )
    readonly_fields = [
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "kind",
        "language",
        "from_email",
        "recipients",
        "cc",
        "bcc",
        "reply_to",
        "subject",
        "body",
        "html_body",
        "attachment_list",
    ]

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

    def get_changelist_instance(self, request):
        # The date hierarchy turns ?created_at__year=<30 digits> into an OverflowError (Django
        # only expects ValueError): the bad lookup it is (redirect with ?e=1).
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc

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

    @admin.display(description=_("pièces jointes"))
    def attachment_list(self, obj):
        items = [
            f"{item.get('filename') or '—'} ({item.get('mimetype')}, "
            f"{len(base64.b64decode(item.get('content', '')))} o)"
            for item in obj.attachments
        ]
        return ", ".join(items) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the record is the history of what was sent: read only

    def has_resend_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    @admin.action(description=_("Renvoyer maintenant"), permissions=["resend"])
    def resend_now(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        results = []
        for pk in selected:
            results.append(deliver(pk, force=True))
            if results[-1] is False and smtp_timed_out_recently():
                break  # a server that does not answer: one timeout, not one per message
        sent, failed = results.count(True), results.count(False)
        busy = len(results) - sent - failed
        not_tried = len(selected) - len(results)
        if not_tried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message n’a pas été tenté : le serveur de messagerie ne répond "
                    "pas, il sera renvoyé par la file d’envoi.",
                    "%(count)d messages n’ont pas été tentés : le serveur de messagerie ne "
                    "répond pas, ils seront renvoyés par la file d’envoi.",
                    not_tried,
                )
                % {"count": not_tried},
                messages.WARNING,
            )
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d message envoyé.", "%(count)d messages envoyés.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )
        if failed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message n’a pas pu être envoyé : le serveur de messagerie "
                    "l’a refusé ou ne répond pas (l’erreur est indiquée sur le message).",
                    "%(count)d messages n’ont pas pu être envoyés : le serveur de messagerie "
                    "les a refusés ou ne répond pas (l’erreur est indiquée sur chaque message).",
                    failed,
                )
                % {"count": failed},
                messages.ERROR,
            )
        if busy:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message était déjà en cours d’envoi.",
                    "%(count)d messages étaient déjà en cours d’envoi.",
                    busy,
                )
                % {"count": busy},
                messages.WARNING,
            )
