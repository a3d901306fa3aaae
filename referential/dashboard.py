"""Panel of "Mon espace": my assessments (as coordinator) and invitations waiting for me."""

from .models import QUESTION_COUNT
from .selectors import assessments_coordinated_by, invitations_waiting_for


def panel(request) -> dict | None:
    user = request.user
    assessments = list(assessments_coordinated_by(user)[:10])
    invitations = invitations_waiting_for(user)
    if not assessments and not invitations:
        return None
    return {
        "template": "referential/_dashboard_panel.html",
        "assessments": assessments,
        "invitations": invitations,
        "total": QUESTION_COUNT,
    }
