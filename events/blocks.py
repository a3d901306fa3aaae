"""HTML blocks events shows on other apps' pages (declared in events/contributions.py)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from . import selectors


def coming_day(request: HttpRequest, _obj: object) -> str:
    """The home page's block (slot "portal.home"): the coming national day and where its
    registrations stand, and for a signed-in person their own registration; nothing when no
    day is announced (1 query, 2 for a signed-in person)."""
    event = selectors.coming_national_day()
    if event is None:
        return ""
    registration = selectors.registration_of_user_for(request.user, event)
    return render_to_string(
        "events/_home_coming_day.html",
        {"event": event, "registration": registration},
        request=request,
    )
