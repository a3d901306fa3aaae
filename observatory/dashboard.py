"""Panel of "Mon espace" (coordinators; staff see the staff queues there instead): the open
campaign of the observatory and the report of each signatory pole the user coordinates."""

from poles.selectors import poles_coordinated_by

from . import selectors
from .models import Report


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    campaign = selectors.open_campaign()
    if campaign is None:
        return None
    poles = list(
        poles_coordinated_by(user).filter(charter_signed_on__isnull=False).order_by("name")
    )
    if not poles:
        return None
    reports = {
        report.pole_id: report
        for report in Report.objects.filter(campaign=campaign, pole__in=poles)
    }
    return {
        "template": "observatory/_dashboard_panel.html",
        "campaign": campaign,
        "rows": [{"pole": pole, "report": reports.get(pole.pk)} for pole in poles],
    }
