"""Who may do what with the observatory (on top of the foundation's roles and poles'
coordinators): staff run the campaigns and review the reports; the approved coordinators of a
pole that signed the charter fill in its report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from poles.permissions import is_pole_coordinator
from ptce_portal.permissions import is_portal_staff

if TYPE_CHECKING:
    from poles.models import Pole

    from .models import Report


def is_signatory(pole: Pole) -> bool:
    """The observatory gathers the figures of the charter's signatories only."""
    return pole.charter_signed_on is not None


def can_manage_campaigns(user: Any) -> bool:
    """Create, open and close the yearly campaigns."""
    return is_portal_staff(user)


def can_review_reports(user: Any) -> bool:
    """Accept the submitted reports or send them back."""
    return is_portal_staff(user)


def can_fill_report(user: Any, pole: Pole) -> bool:
    """Fill in and submit the pole's report: an approved coordinator of a signatory pole."""
    return is_signatory(pole) and is_pole_coordinator(user, pole)


def can_view_report(user: Any, report: Report) -> bool:
    """See a report with every figure, published or not: staff and the pole's coordinators."""
    return is_portal_staff(user) or is_pole_coordinator(user, report.pole_id)
