import logging
import secrets
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ptce_portal import contributions, versions
from ptce_portal.page_cache import personal_page, public_page
from ptce_portal.permissions import can_delete_own_account, is_portal_staff
from ptce_portal.selectors import oldest_unsent_email_age
from ptce_portal.unavailable import RETRY_AFTER, is_unavailable, unavailable_response

from . import selectors

logger = logging.getLogger(__name__)


@public_page(versions.ALL)  # key figures of every app
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "figures": selectors.home_figures(),
            "page_blocks": contributions.page_blocks("portal.home", request, None),
        },
    )


@never_cache
def health(request):
    """What monitoring needs, as JSON: whether the database and the shared cache answer
    (200 when both do, 503 when not) and the age in seconds of the oldest e-mail still to be
    sent (null when none waits; a growing figure means the mail runner is stuck)."""
    report: dict = {"status": "ok", "database": "ok", "cache": "ok"}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Health check: database unreachable (%s)", exc.__class__.__name__)
        connections["default"].close_if_unusable_or_obsolete()
        report["database"] = "unreachable"
    try:
        token = secrets.token_hex(8)
        cache.set("health-check", token, 30)
        if cache.get("health-check") != token:
            raise RuntimeError("the cache did not give back what it was given")
    except Exception as exc:  # Redis down, or the database cache with the database
        logger.warning("Health check: cache unavailable (%s)", exc.__class__.__name__)
        report["cache"] = "unreachable"
    if report["database"] == "ok":
        report["oldest_unsent_email_seconds"] = oldest_unsent_email_age()
    if report["database"] == "ok" and report["cache"] == "ok":
        return JsonResponse(report)
    report["status"] = "error"
    response = JsonResponse(report, status=503)
    response["Retry-After"] = RETRY_AFTER
    return response


@personal_page
@login_required
def dashboard(request):
    panels, queues = [], []
    if is_portal_staff(request.user):
        # Staff see what waits for them, not the coordinators' blocks.
        queues = selectors.staff_queues(request.user)
    else:
        for contribution in contributions.contributions():
            content = (
                contribution.dashboard_panel(request) if contribution.dashboard_panel else None
            )
            if content:
                panels.append(content)
    return render(
        request,
        "portal/dashboard.html",
        {
            "panels": panels,
            "staff_queues": queues,
            # The team's line (coordination requests and page edits), when the user may
            # moderate poles: those queues are only among `queues` then.
            "staff_counts": {queue.key: queue.count for queue in queues},
            "can_delete_account": can_delete_own_account(request.user),
        },
    )


@public_page()
def legal_notice(request):
    return render(request, "portal/legal_notice.html")


def source_code(request):
    return render(
        request,
        "ptce_portal/source_code.html",
        {"licence_text": selectors.licence_text(), "version": selectors.portal_version()},
    )


@public_page()
def personal_data(request):
    return render(
        request,
        "portal/personal_data.html",
        {"privacy_contact": settings.PRIVACY_CONTACT_EMAIL},
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """handler500. An exception that says the database or the shared cache is down (raised by
    a view or by a middleware: the session, authentication and second-factor middleware query
    first) gets the French 503 with Retry-After, not this 500."""
    if is_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    # The page says the team was warned only when someone is: error reports go to ADMINS.
    return render(request, "500.html", {"team_warned": bool(settings.ADMINS)}, status=500)
