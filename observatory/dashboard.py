"""Panel of "Mon espace": the open campaign of the observatory and the report of each
signatory pole the user coordinates; for staff, the reports waiting for review."""

from poles.selectors import poles_coordinated_by

from . import selectors
from .models import Report
from .permissions import can_review_reports


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    reviewer = can_review_reports(user)
    campaign = selectors.open_campaign()
    rows = []
    if campaign is not None:
        poles = list(
            poles_coordinated_by(user).filter(charter_signed_on__isnull=False).order_by("name")
        )
        reports = {
            report.pole_id: report
            for report in Report.objects.filter(campaign=campaign, pole__in=poles)
        }
        rows = [{"pole": pole, "report": reports.get(pole.pk)} for pole in poles]
    if not rows and not reviewer:
        return None
    return {
        "template": "observatory/_dashboard_panel.html",
        "campaign": campaign,
        "rows": rows,
        "waiting_count": selectors.reports_waiting_review().count() if reviewer else None,
    }
