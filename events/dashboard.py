"""Panel of "Mon espace": the user's registrations, by account or by (verified) e-mail."""

from . import selectors


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated or not user.email:
        return None
    registrations = list(selectors.registrations_of_user(user)[:20])
    next_event = selectors.next_event()
    if not registrations and next_event is None:
        return None
    return {
        "template": "events/_dashboard_panel.html",
        "registrations": registrations,
        "next_event": next_event,
    }
