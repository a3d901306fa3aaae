import base64
import hashlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.mixins import AuditHistoryMixin
from ptce_portal.images import ACCEPT_ATTRIBUTE, LOGO, PHOTO, PictureField

from . import csv_import, exports, selectors, services
from .models import (
    CallForProjects,
    Department,
    FactSource,
    Pole,
    PoleCoordinator,
    PoleMember,
    PoleRevision,
    Region,
    RegionalCoordination,
    Source,
    Theme,
)

SESSION_KEY = "poles_csv_import"


@admin.register(Region)
class RegionAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["code", "name", "chef_lieu", "region", "former_region"]
    list_filter = ["region", "former_region"]
    search_fields = ["code", "name", "chef_lieu"]
    list_select_related = ["region", "former_region"]


@admin.register(Theme)
class ThemeAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "publisher", "date_label", "url", "fact_count"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "key"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_facts=Count("facts"))

    @admin.display(description=_("faits"), ordering="n_facts")
    def fact_count(self, obj):
        return obj.n_facts


class FactSourceInline(admin.TabularInline):
    model = FactSource
    extra = 0
    fields = ["fact", "kind", "source", "part", "inference", "entered_on"]
    verbose_name_plural = _(
        "Sources des faits (un fait sans ligne a été renseigné par le pôle ou l'équipe ; "
        "un champ modifié dans ce formulaire devient « renseigné par l'équipe », sauf si "
        "sa source est indiquée ici)"
    )


class InferredFactsFilter(admin.SimpleListFilter):
    """The poles whose facts are still deduced, not confirmed by the pole nor sourced."""

    title = _("faits déduits")
    parameter_name = "deduits"

    def lookups(self, request, model_admin):
        return [
            ("oui", _("Avec des faits déduits à confirmer")),
            ("seuls", _("Sans aucun fait renseigné par le pôle")),
            ("non", _("Sans fait déduit")),
        ]

    def queryset(self, request, queryset):
        inferred = FactSource.objects.filter(
            pole=OuterRef("pk"), kind=FactSource.Kind.INFERENCE
        ).exclude(fact=FactSource.Fact.POSITION)
        entered = FactSource.objects.filter(pole=OuterRef("pk"), kind=FactSource.Kind.POLE)
        if self.value() == "oui":
            return queryset.filter(Exists(inferred))
        if self.value() == "seuls":
            return queryset.filter(Exists(inferred)).exclude(Exists(entered))
        if self.value() == "non":
            return queryset.exclude(Exists(inferred))
        return queryset


class PoleMemberInline(admin.TabularInline):
    model = PoleMember
    extra = 1


class PoleCoordinatorInline(admin.TabularInline):
    model = PoleCoordinator
    fk_name = "pole"
    extra = 0
    fields = ["user", "status", "requested_at", "decided_at"]
    readonly_fields = ["requested_at", "decided_at"]
    autocomplete_fields = ["user"]


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "UTF-8, séparateur point-virgule, colonnes de l'export (nom et departements "
            "obligatoires). 1 Mo au plus."
        ),
    )


class PoleAdminForm(forms.ModelForm):
    """Staff's uploads go through the same checks as the coordinators' (re-encoded, at most
    5 MB, no metadata); clearing a picture is allowed."""

    logo = PictureField(
        kind=LOGO,
        required=False,
        label=_("logo"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    photo = PictureField(
        kind=PHOTO,
        required=False,
        label=_("photo"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    class Meta:
        model = Pole
        fields = "__all__"  # noqa: DJ007 (the admin shows every field, as before)


@admin.register(Pole)
class PoleAdmin(AuditHistoryMixin, admin.ModelAdmin):
    form = PoleAdminForm
    list_display = [
        "name",
        "signatory_number",
        "region",
        "former_region",
        "status",
        "maturity",
        "is_published",
        "edits_need_review",
        "inferred_facts",
        "updated_at",
    ]
    list_filter = [
        InferredFactsFilter,
        "is_published",
        "status",
        "maturity",
        "edits_need_review",
        "location_failure",
        "region",
        "former_region",
        "themes",
        "calls_won",
    ]
    search_fields = ["name", "slug", "carrier_structure", "town", "territory_label"]
    list_select_related = ["region", "former_region"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["departments", "themes"]
    inlines = [FactSourceInline, PoleMemberInline, PoleCoordinatorInline]
    actions = ["publish", "unpublish", "export_csv"]
    readonly_fields = ["created_at", "updated_at"]
    change_list_template = "admin/poles/pole/change_list.html"

    def save_related(self, request, form, formsets, change):
        """Once the pole, its relations and inlines are saved: the facts staff changed are
        « renseigné par l'équipe » (poles.services.pole_record_edit), except those whose
        source staff set in the « Sources des faits » inline of the same form."""
        super().save_related(request, form, formsets, change)
        if not change:
            return  # a new pole's facts have no source row: entered in the portal
        sourced = {
            obj.fact
            for formset in formsets
            if formset.model is FactSource
            for obj in [*formset.new_objects, *(o for o, _f in formset.changed_objects)]
        }
        services.pole_record_edit(
            pole=form.instance, by=request.user, fields=form.changed_data, sourced=sourced
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_inferred=Count(
                    "fact_sources",
                    filter=Q(fact_sources__kind=FactSource.Kind.INFERENCE)
                    & ~Q(fact_sources__fact=FactSource.Fact.POSITION),
                )
            )
        )

    @admin.display(description=_("faits déduits"), ordering="n_inferred")
    def inferred_facts(self, obj):
        """Facts still deduced (the map's approximate point aside): to confirm with the pole."""
        return obj.n_inferred or "—"

    @admin.action(description=_("Publier les pôles sélectionnés"))
    def publish(self, request, queryset):
        count = services.poles_set_published(poles=queryset, published=True)
        self.message_user(request, ngettext("%d pôle publié.", "%d pôles publiés.", count) % count)

    @admin.action(description=_("Dépublier les pôles sélectionnés"))
    def unpublish(self, request, queryset):
        count = services.poles_set_published(poles=queryset, published=False)
        self.message_user(
            request, ngettext("%d pôle dépublié.", "%d pôles dépubliés.", count) % count
        )

    @admin.action(description=_("Exporter les pôles sélectionnés en CSV"))
    def export_csv(self, request, queryset):
        poles = (
            queryset.select_related("region", "former_region")
            .prefetch_related("departments", "themes")
            .order_by("name")
        )
        stamp = timezone.localdate().isoformat()
        return exports.csv_response(poles, f"poles-{stamp}.csv")

    def get_urls(self):
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="poles_pole_import_csv",
            ),
        ] + super().get_urls()

    def import_csv_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta}
        if request.method == "POST" and "confirm" in request.POST:
            stored = request.session.get(SESSION_KEY)
            token = request.POST.get("token", "")
            if not stored or stored.get("token") != token:
                messages.error(request, _("Le fichier à importer a expiré : déposez-le à nouveau."))
                return redirect("admin:poles_pole_import_csv")
            raw = base64.b64decode(stored["content"])
            report = csv_import.parse(raw)
            if not report.ok:
                messages.error(
                    request, _("Le fichier comporte des erreurs : rien n'a été importé.")
                )
                context.update({"form": CsvUploadForm(), "report": report})
                return render(request, "admin/poles/pole/import_csv.html", context)
            try:
                created, updated = csv_import.apply(report, by=request.user)
            except (ValidationError, ValueError) as exc:
                messages.error(request, _("Import annulé, rien n'a été écrit : %(e)s") % {"e": exc})
                return redirect("admin:poles_pole_import_csv")
            del request.session[SESSION_KEY]
            messages.success(
                request,
                _("Import terminé : %(c)s pôle(s) créé(s), %(u)s mis à jour.")
                % {"c": created, "u": updated},
            )
            return redirect("admin:poles_pole_changelist")
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > csv_import.MAX_BYTES:
                form.add_error(
                    "file",
                    _("Le fichier dépasse la taille maximale (%(max)s Ko).")
                    % {"max": csv_import.MAX_BYTES // 1000},
                )
            else:
                raw = upload.read(csv_import.MAX_BYTES + 1)
                report = csv_import.parse(raw)
                context["report"] = report
                if report.ok:
                    token = hashlib.sha256(raw).hexdigest()[:32]
                    request.session[SESSION_KEY] = {
                        "token": token,
                        "content": base64.b64encode(raw).decode("ascii"),
                    }
                    context["token"] = token
        context["form"] = form
        context["title"] = _("Importer des pôles (CSV)")
        context["export_url"] = reverse("poles:api_csv")
        return render(request, "admin/poles/pole/import_csv.html", context)


@admin.register(PoleCoordinator)
class PoleCoordinatorAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "pole",
        "user",
        "status",
        "same_name",
        "requested_at",
        "decided_at",
        "decided_by",
    ]
    list_filter = ["status"]
    search_fields = ["pole__name", "user__email", "user__last_name"]
    list_select_related = ["pole", "user", "decided_by"]
    autocomplete_fields = ["pole", "user"]
    readonly_fields = ["same_name", "requested_at", "decided_at", "decided_by"]
    actions = ["approve", "approve_and_publish"]

    def get_changelist_instance(self, request):
        """The page's requests carry their possible duplicates (a fixed number of queries)."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        duplicates = selectors.poles_with_same_names([row.pole for row in rows])
        for row in rows:
            row.same_name_poles = duplicates.get(row.pole_id, [])
        return changelist

    @admin.display(description=_("Doublons possibles"))
    def same_name(self, obj):
        """Other published or pending poles with the same name as a proposed (unpublished)
        pole: the request may duplicate one of them."""
        if obj is None or obj.pk is None or obj.pole.is_published:
            return "—"
        others = getattr(obj, "same_name_poles", None)
        if others is None:
            others = selectors.poles_with_same_name(obj.pole.name, exclude_pk=obj.pole_id)
        if not others:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:poles_pole_change", args=[other.pk]),
                    other.name,
                    _("publié") if other.is_published else _("en attente de validation"),
                )
                for other in others
            ),
        )

    @admin.action(description=_("Approuver les demandes sélectionnées (e-mail envoyé)"))
    def approve(self, request, queryset):
        for coordination in queryset.select_related("pole", "user"):
            services.coordinator_approve(coordination=coordination, by=request.user)
        self.message_user(request, _("Demandes approuvées."))

    @admin.action(description=_("Approuver et publier le pôle (pôles proposés)"))
    def approve_and_publish(self, request, queryset):
        for coordination in queryset.select_related("pole", "user"):
            services.coordinator_approve(
                coordination=coordination, by=request.user, publish_pole=True
            )
        self.message_user(request, _("Demandes approuvées, pôles publiés."))

    def save_model(self, request, obj, form, change):
        """A status change made in the form goes through the services (e-mail, reason)."""
        if change and "status" in form.changed_data:
            if obj.status == PoleCoordinator.Status.APPROVED:
                services.coordinator_approve(coordination=obj, by=request.user)
                return
            if obj.status == PoleCoordinator.Status.REFUSED:
                try:
                    services.coordinator_refuse(
                        coordination=obj, by=request.user, reason=obj.refusal_reason
                    )
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                return
        super().save_model(request, obj, form, change)


@admin.register(PoleRevision)
class PoleRevisionAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["pole", "proposed_by", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["pole__name", "proposed_by__email"]
    list_select_related = ["pole", "proposed_by"]
    readonly_fields = [
        "pole",
        "proposed_by",
        "changes",
        "picture",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    fields = [
        "pole",
        "proposed_by",
        "changes",
        "picture",
        "status",
        "reason",
        "created_at",
        "decided_at",
    ]

    @admin.display(description=_("Image proposée"))
    def picture(self, obj):
        """The logo or photo the edit proposes, to look at before publishing it."""
        picture = obj.proposed_picture if obj else None
        if not picture or not picture["url"]:
            return "—"
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" class="revision-picture"></a>',
            picture["url"],
            picture["url"],
            picture["alt"],
        )

    @admin.display(description=_("Modifications proposées (actuel → proposé)"))
    def changes(self, obj):
        rows = selectors.revision_changes(obj)
        if not rows:
            return _("Aucune différence avec la fiche actuelle.")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Champ"),
            _("Actuel"),
            _("Proposé"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    actions = ["apply_revisions"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Appliquer les modifications sélectionnées"))
    def apply_revisions(self, request, queryset):
        done = 0
        for revision in queryset.filter(status=PoleRevision.Status.PENDING):
            try:
                services.revision_apply(revision=revision, by=request.user)
                done += 1
            except ValidationError as exc:
                messages.error(request, f"{revision}: {' '.join(exc.messages)}")
        self.message_user(request, _("%(n)s modification(s) appliquée(s).") % {"n": done})

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            original = PoleRevision.objects.get(pk=obj.pk)
            try:
                if obj.status == PoleRevision.Status.APPLIED:
                    services.revision_apply(revision=original, by=request.user)
                elif obj.status == PoleRevision.Status.REJECTED:
                    services.revision_reject(revision=original, by=request.user, reason=obj.reason)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return
        super().save_model(request, obj, form, change)


@admin.register(CallForProjects)
class CallForProjectsAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["title", "year", "applications_count", "laureates_count", "total_amount"]
    search_fields = ["title"]
    filter_horizontal = ["laureates"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(RegionalCoordination)
class RegionalCoordinationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Staff appoint the people who moderate the poles of a region (page « Modération
    régionale »: coordinator requests and pole edits of that region)."""

    list_display = ["user", "region", "organisation", "created_at"]
    list_filter = ["region__kind", "region"]
    search_fields = ["user__email", "user__last_name", "organisation", "region__name"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "region"]
