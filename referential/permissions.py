"""Who may do what with self-assessments (on top of the foundation's roles and poles'
coordinators)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from poles.permissions import is_pole_coordinator
from ptce_portal.personal_data import verified_emails

if TYPE_CHECKING:
    from poles.models import Pole

    from .models import Assessment, Invitation


def can_open_assessment(user: Any, pole: Pole) -> bool:
    return is_pole_coordinator(user, pole)


def can_manage_assessment(user: Any, assessment: Assessment) -> bool:
    """Invite, close, read every answer: the coordinators of the assessed pole."""
    return is_pole_coordinator(user, assessment.pole_id)


def can_see_assessment_results(user: Any, assessment: Assessment) -> bool:
    """The pole's coordinators, and the respondents of this assessment (signed in)."""
    if user is None or not user.is_authenticated:
        return False
    if can_manage_assessment(user, assessment):
        return True
    return assessment.invitations.filter(user=user, revoked_at__isnull=True).exists()


def can_claim_invitation(user: Any, invitation: Invitation) -> bool:
    """Attach a respondent's personal link to an account: the account of the invited
    address only (one of its verified addresses)."""
    if user is None or not user.is_authenticated:
        return False
    return invitation.email.lower() in verified_emails(user)
