"""The admin site of the portal: its index is the staff dashboard.

Installed through `portal.admin_apps.PortalAdminConfig` (in place of "django.contrib.admin"),
so `admin.site` is this site and every app's `@admin.register` keeps working. The index adds
what waits for a staff decision (each domain's `staff_queues()`), signatory poles by current
and former region and per year (server-side SVG charts with tables), then the usual app list
ordered for the job (each app's `staff_order`: directory, charter, referential, national days,
accounts)."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptce_portal import charts, contributions, permissions

from . import selectors


class OverflowSafeChangelistMixin:
    """A year lookup from the URL (?created_at__year=<20 digits>, from a date hierarchy or a
    date filter) raises OverflowError, which Django's changelist does not expect (it handles
    ValueError): treat it as the bad lookup it is, a redirect with ?e=1, not a 500."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


class PortalAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Administration du portail PTCE")
    site_title = gettext_lazy("Portail PTCE")
    index_title = gettext_lazy("Le Labo de l'ESS : tableau de bord")
    index_template = "admin/portal/index.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin registered here (the apps', allauth's) gets the portal's shared
        admin behaviour, so no app has to remember it."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, OverflowSafeChangelistMixin):
            admin_class = type(
                admin_class.__name__,
                (OverflowSafeChangelistMixin, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        """The staff of ptce_portal.permissions (staff group), not any `is_staff` account."""
        return permissions.is_portal_staff(request.user)

    def get_app_list(self, request, app_label=None):
        """Apps in their `staff_order` (ptce_portal.contributions); the others after them,
        in the admin's own order."""
        app_list = super().get_app_list(request, app_label)
        rank = {c.app_label: c.staff_rank for c in contributions.contributions()}
        last = contributions.LAST
        return sorted(app_list, key=lambda app: rank.get(app["app_label"], last))

    def index(self, request, extra_context=None):
        context = {**dashboard_context(request), **(extra_context or {})}
        return super().index(request, extra_context=context)


def dashboard_context(request) -> dict:
    queues = selectors.staff_queues(request.user)
    statistics = selectors.staff_statistics()
    context = {
        "staff_queues": queues,
        "staff_queues_total": sum(queue.count for queue in queues),
        "audit_log_url": _audit_log_url(request.user),
    }
    current, former, years = statistics["current"], statistics["former"], statistics["years"]
    context["statistics"] = {
        "total": sum(count for _name, count in current),
        "current": current,
        "former": former,
        "years": years,
        "current_empty": [name for name, count in current if not count],
        "former_empty": [name for name, count in former if not count],
        "current_chart": charts.hbar_chart(
            uid="chart-current-regions",
            title=_("Pôles signataires par région actuelle"),
            description=_("Le tableau qui suit donne les mêmes chiffres."),
            rows=[(name, count) for name, count in current if count],
        ),
        "former_chart": charts.hbar_chart(
            uid="chart-former-regions",
            title=_("Pôles signataires par ancienne région (avant 2016)"),
            description=_("Le tableau qui suit donne les mêmes chiffres."),
            rows=[(name, count) for name, count in former if count],
        ),
        "years_chart": charts.column_chart(
            uid="chart-years",
            title=_("Pôles signataires à la fin de chaque année"),
            description=_("Le tableau qui suit donne ces totaux et les nouveaux signataires."),
            rows=[(year, total) for year, _new, total in years],
        ),
    }
    return context


def _audit_log_url(user) -> str | None:
    """The one log of changes (the audit app's admin over django-auditlog, whose own admin is
    unregistered), when `user` may read it."""
    if not user.has_perm("audit.view_logentry"):
        return None
    return reverse("admin:audit_logentry_changelist")
