"""Rate limits of the portal's own forms, by the mechanism allauth uses for the account forms
(allauth.core.ratelimit: counters in the shared cache, per client IP, per key such as an
e-mail address, or per user). The rates are settings.ACCOUNT_RATE_LIMITS entries, beside
allauth's, so that one table says every limit.
"""

from __future__ import annotations

from allauth.core import ratelimit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def rate_limited(
    request: HttpRequest, action: str, *, key: str | None = None
) -> HttpResponse | None:
    """Count one try of `action` (a POST); None while within the limits, else the French
    « Trop de tentatives » page with status 429."""
    user = request.user if request.user.is_authenticated else None
    if ratelimit.consume(request, action=action, key=key, user=user):
        return None
    return render(request, "429.html", {"limited_action": action}, status=429)
