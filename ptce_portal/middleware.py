from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from .permissions import has_second_factor, is_portal_staff, needs_second_factor
from .selectors import maintenance_enabled


def _signed_in_but_not_staff(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and not is_portal_staff(user))


class MaintenanceModeMiddleware:
    """Answer 503 with the French maintenance page while maintenance is on: the switch staff
    flip in the admin (ptce_portal.selectors.maintenance_enabled, every instance within
    seconds) or MAINTENANCE_MODE in the environment.

    Staff keep the whole portal (to check it, and the admin to switch maintenance off); the
    login and second-factor pages stay open so that they can sign in; the health check stays
    reachable so that monitoring sees the real state. After the authentication middleware.
    """

    OPEN_PREFIXES = (
        "/sante/",
        "/static/",
        "/i18n/",
        "/admin/",
        "/compte/login/",
        "/compte/logout/",
        "/compte/2fa/authenticate/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.path.startswith(self.OPEN_PREFIXES)
            and (settings.MAINTENANCE_MODE or maintenance_enabled())
            and not is_portal_staff(getattr(request, "user", None))
        ):
            response = render(request, "503.html", {"reason": "maintenance"}, status=503)
            response["Retry-After"] = "600"
            return response
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """Answer 400 with a French page when the path or the query string holds a NUL byte.

    No address of the portal can contain one, and PostgreSQL refuses it in a query
    (DataError): without this, a forged link such as `?status__exact=%00` in the admin,
    or a token `%00`, would end in a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """Staff accounts, and the accounts an app's role requires it of (a regional
    coordination: `permissions.needs_second_factor`), use a second factor: such an account
    without an activated
    TOTP authenticator is sent to the activation page (allauth.mfa) from every page of the
    portal, the admin and the staff pages included, with a French message. Only the account
    pages (/compte/: activation, recovery codes, logout), the language switch, static files
    and the health check stay reachable. The admin's own login page sends to allauth's login
    (it would not ask for the second factor).
    """

    ALLOWED_PREFIXES = ("/compte/", "/i18n/", "/static/", "/media/", "/sante/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Django's admin login form would log staff in with the password alone: every login
        # goes through allauth's (password, then the second factor).
        if request.path == reverse("admin:login"):
            if _signed_in_but_not_staff(request):
                # allauth's login would send a signed-in visitor straight back to the admin,
                # which sends them here again: an endless loop. Say why they cannot enter.
                return render(request, "ptce_portal/admin_refused.html", status=403)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("admin:index")
            return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
        user = getattr(request, "user", None)
        if (
            needs_second_factor(user)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not has_second_factor(user)
        ):
            messages.warning(
                request,
                _(
                    "Les comptes de l'équipe sont protégés par une authentification à deux "
                    "facteurs : activez une application d'authentification (TOTP) pour "
                    "continuer."
                )
                if user.is_staff
                else _(
                    "Votre compte décide pour d'autres (coordination régionale) : il est "
                    "protégé par une authentification à deux facteurs. Activez une "
                    "application d'authentification (TOTP) pour continuer."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


# Route parameters that carry a personal link's secret (a registration's or a respondent's
# token, an e-mail confirmation or password reset key): the page is that person's.
PERSONAL_LINK_PARAMETERS = frozenset({"token", "key"})


def is_personal_response(request) -> bool:
    """A page for one person: anything served to a signed-in account (Mon espace, account
    pages, results, exports: every page then names its visitor), and any personal-link page.
    """
    # The account as the request already loaded it (AuthenticationMiddleware caches it there):
    # a response that never looked at its visitor shows nothing of them, and no query is made
    # here (a database that does not answer must not turn a 503 page into a 500).
    user = getattr(request, "_cached_user", None)
    if user is not None and user.is_authenticated:
        return True
    match = getattr(request, "resolver_match", None)
    return bool(match and PERSONAL_LINK_PARAMETERS.intersection(match.kwargs))


class PrivacyHeadersMiddleware:
    """Headers the portal adds to every response:

    - Permissions-Policy (settings.PERMISSIONS_POLICY): no camera, microphone, geolocation,
      payment… for the portal's pages or anything they embed;
    - `Cache-Control: private, no-store` on personal pages (`is_personal_response`), so that
      neither a shared proxy nor the browser's back button keeps them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if is_personal_response(request):
            response["Cache-Control"] = "private, no-store"
            del response["Expires"]
        return response
