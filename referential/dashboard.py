"""Panel of "Mon espace": my assessments (as coordinator) and invitations waiting for me."""

from poles.selectors import poles_coordinated_by

from .models import QUESTION_COUNT
from .selectors import assessments_coordinated_by, invitations_waiting_for


def panel(request) -> dict | None:
    user = request.user
    assessments = list(assessments_coordinated_by(user)[:10])
    invitations = invitations_waiting_for(user)
    coordinates = bool(assessments) or poles_coordinated_by(user).exists()
    if not coordinates and not invitations:
        return None
    return {
        "template": "referential/_dashboard_panel.html",
        "assessments": assessments,
        "invitations": invitations,
        "coordinates": coordinates,
        "total": QUESTION_COUNT,
    }
