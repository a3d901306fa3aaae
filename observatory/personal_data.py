"""Personal data held by the observatory: who started, submitted, reviewed a report, who
opened or closed a campaign (account links only; the figures are the pole's, not the
person's). See ptce_portal.personal_data for the contract."""

from django.db.models import Q

from .models import Campaign, Report

REPORT_PEOPLE = ("updated_by", "submitted_by", "reviewed_by")
CAMPAIGN_PEOPLE = ("opened_by", "closed_by")


def _reports(user):
    return Report.objects.filter(
        Q(updated_by=user) | Q(submitted_by=user) | Q(reviewed_by=user)
    ).select_related("campaign", "pole")


def _campaigns(user):
    return Campaign.objects.filter(Q(opened_by=user) | Q(closed_by=user))


def export(user) -> dict:
    return {
        "rapports_observatoire": [
            {
                "campagne": report.campaign.year,
                "pole": report.pole.name,
                "derniere_modification_par_vous": report.updated_by_id == user.pk,
                "transmis_par_vous_le": (
                    report.submitted_at if report.submitted_by_id == user.pk else None
                ),
                "relu_par_vous_le": report.reviewed_at
                if report.reviewed_by_id == user.pk
                else None,
            }
            for report in _reports(user).order_by("campaign__year", "pole__name")
        ],
        "campagnes_observatoire": [
            {
                "annee": campaign.year,
                "ouverte_par_vous_le": campaign.opened_at
                if campaign.opened_by_id == user.pk
                else None,
                "cloturee_par_vous_le": campaign.closed_at
                if campaign.closed_by_id == user.pk
                else None,
            }
            for campaign in _campaigns(user).order_by("year")
        ],
    }


def personal_values(user) -> set[str]:
    return set()  # nothing but the account link


def owned_objects(user) -> dict:
    return {}  # the reports are the pole's


def erase(user) -> None:
    """The reports and campaigns stay (they are the poles' and the team's), without the
    person: every link to the account is cut."""
    for field in REPORT_PEOPLE:
        Report.objects.filter(**{field: user}).update(**{field: None})
    for field in CAMPAIGN_PEOPLE:
        Campaign.objects.filter(**{field: user}).update(**{field: None})
