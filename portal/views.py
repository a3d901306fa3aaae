import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ptce_portal import contributions
from ptce_portal.permissions import can_delete_own_account

from . import selectors

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "portal/home.html", {"figures": selectors.home_figures()})


@never_cache
def health(request):
    """Report whether the database answers: 200 when it does, 503 when not."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Health check: database unreachable (%s)", exc.__class__.__name__)
        connections["default"].close_if_unusable_or_obsolete()
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def dashboard(request):
    panels = []
    for contribution in contributions.contributions():
        content = contribution.dashboard_panel(request) if contribution.dashboard_panel else None
        if content:
            panels.append(content)
    return render(
        request,
        "portal/dashboard.html",
        {"panels": panels, "can_delete_account": can_delete_own_account(request.user)},
    )


def legal_notice(request):
    return render(request, "portal/legal_notice.html")


def source_code(request):
    return render(
        request,
        "ptce_portal/source_code.html",
        {"licence_text": selectors.licence_text(), "version": selectors.portal_version()},
    )


def personal_data(request):
    return render(
        request,
        "portal/personal_data.html",
        {"privacy_contact": settings.PRIVACY_CONTACT_EMAIL},
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # The page says the team was warned only when someone is: error reports go to ADMINS.
    return render(request, "500.html", {"team_warned": bool(settings.ADMINS)}, status=500)
