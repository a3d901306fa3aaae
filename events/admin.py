from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from audit.mixins import AuditHistoryMixin
from ptce_portal.images import ACCEPT_ATTRIBUTE, PHOTO, PictureField

from . import services
from .models import (
    Event,
    EventOrganisation,
    Intervention,
    Organisation,
    Person,
    Quote,
    Registration,
    Session,
    SessionSpeaker,
)


class EventOrganisationInline(admin.TabularInline):
    model = EventOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["order", "part_of_day", "start_time", "end_time", "title", "kind", "moderator"]
    autocomplete_fields = ["moderator"]
    show_change_link = True


def _photo_field():
    """Staff's photos go through ptce_portal.images (type from the content, at most 5 MB,
    re-encoded without metadata); clearing is allowed."""
    return PictureField(
        kind=PHOTO,
        required=False,
        label=_("photo"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )


class EventAdminForm(forms.ModelForm):
    photo = _photo_field()

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin shows every field, as before)


class PersonAdminForm(forms.ModelForm):
    photo = _photo_field()

    class Meta:
        model = Person
        fields = "__all__"  # noqa: DJ007 (the admin shows every field, as before)


@admin.register(Event)
class EventAdmin(AuditHistoryMixin, admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "date", "status_label", "capacity", "seats_taken", "is_demo"]
    list_filter = ["kind", "is_demo", "is_published"]
    search_fields = ["title", "venue", "city"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["seats_taken", "created_at", "updated_at"]
    inlines = [EventOrganisationInline, SessionInline]
    actions = ["fill_from_waiting_list"]

    @admin.display(description=_("statut"))
    def status_label(self, obj):
        return obj.status_label

    @admin.action(description=_("Attribuer les places libres à la liste d'attente"))
    def fill_from_waiting_list(self, request, queryset):
        total = sum(len(services.event_fill_from_waiting_list(event=e)) for e in queryset)
        self.message_user(
            request, _("%(n)s inscription(s) confirmée(s).") % {"n": total}, messages.SUCCESS
        )


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 0
    autocomplete_fields = ["person"]


class InterventionInline(admin.StackedInline):
    model = Intervention
    extra = 0
    autocomplete_fields = ["person"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Session)
class SessionAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["title", "event", "order", "kind", "part_of_day", "moderator"]
    list_filter = ["event", "kind"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["moderator", "poles"]
    inlines = [SessionSpeakerInline, InterventionInline, QuoteInline]


@admin.register(Person)
class PersonAdmin(AuditHistoryMixin, admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ["name", "role", "organisation", "pole"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation", "pole"]


@admin.register(Organisation)
class OrganisationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "acronym"]
    search_fields = ["name", "acronym"]


@admin.register(Quote)
class QuoteAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["__str__", "person", "session", "is_pull_quote"]
    list_filter = ["is_pull_quote", "session__event"]
    search_fields = ["text", "person__name"]


@admin.register(Registration)
class RegistrationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "email",
        "event",
        "category",
        "status",
        "created_at",
        "checked_in_at",
    ]
    list_filter = ["event", "status", "category", "public_consent"]
    search_fields = ["first_name", "last_name", "email", "organisation"]
    # The token is the registrant's personal link (manage, cancel): like the e-mails that
    # carry it (ptce_portal.mail), staff never see it; they cancel with the action below.
    exclude = ["token"]
    readonly_fields = [
        "status",
        "created_at",
        "confirm_by",
        "promoted_at",
        "cancelled_at",
        "checked_in_at",
    ]
    autocomplete_fields = ["pole"]
    actions = ["cancel_registrations"]

    def has_add_permission(self, request):
        # Seats are counted under a lock by the registration service: register from the site.
        return False

    @admin.action(description=_("Annuler (et promouvoir la liste d'attente)"))
    def cancel_registrations(self, request, queryset):
        for registration in queryset:
            services.registration_cancel(registration=registration)
        self.message_user(request, _("Inscriptions annulées."), messages.SUCCESS)
