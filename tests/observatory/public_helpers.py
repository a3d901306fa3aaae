"""Builders of the public side's tests: a questionnaire with its bands, campaigns, and
reports in a given state (written directly: these tests are about what is shown)."""

import datetime
from decimal import Decimal

from observatory.models import Band, Campaign, QuestionnaireVersion, Report
from tests.poles.factories import PoleFactory

TURNOVER = [
    ("lt-50k", "moins de 50 000 €"),
    ("50k-500k", "de 50 000 à 500 000 €"),
    ("gt-500k", "500 000 € et plus"),
]
BUDGET = [("lt-100k", "moins de 100 000 €"), ("gt-100k", "100 000 € et plus")]


def questionnaire(code: str = "test-1") -> QuestionnaireVersion:
    version, created = QuestionnaireVersion.objects.get_or_create(
        code=code, defaults={"title": "Questionnaire de test"}
    )
    if created:
        for kind, bands in ((Band.Kind.TURNOVER, TURNOVER), (Band.Kind.BUDGET, BUDGET)):
            for position, (band_code, label) in enumerate(bands):
                Band.objects.create(
                    version=version, kind=kind, code=band_code, label=label, position=position
                )
    return version


def campaign(year: int = 2026, **kwargs) -> Campaign:
    existing = Campaign.objects.filter(year=year).first()
    if existing:
        return existing
    return Campaign.objects.create(
        year=year,
        opens_on=datetime.date(year, 1, 15),
        closes_on=datetime.date(year, 4, 30),
        questionnaire=questionnaire(),
        state=Campaign.State.OPEN,
        **kwargs,
    )


def band(campaign: Campaign, kind: str, code: str) -> Band:
    """The band `code` of the campaign's questionnaire; in another questionnaire (the seeded
    one), its band at the same rank."""
    bands = list(Band.objects.filter(version=campaign.questionnaire, kind=kind))
    found = next((b for b in bands if b.code == code), None)
    if found is not None:
        return found
    ours = [c for c, _label in (TURNOVER if kind == Band.Kind.TURNOVER else BUDGET)]
    return bands[min(ours.index(code), len(bands) - 1)]


def report(
    *,
    year: int = 2026,
    pole=None,
    state: str = Report.State.ACCEPTED,
    jobs: int = 10,
    turnover: str = "50k-500k",
    budget: str = "gt-100k",
    publish: bool = False,
    **figures,
) -> Report:
    the_campaign = campaign(year)
    values = {
        "members_ess": 6,
        "members_enterprise": 3,
        "members_authority": 2,
        "members_research": 1,
        "members_training": 1,
        "members_other": 2,
        "jobs_people": jobs,
        "jobs_fte": Decimal(jobs) * Decimal("0.8"),
        "jobs_created": 2,
        "public_funding_share": 40,
        "projects_started": 3,
        "territory_kind": Report.TerritoryKind.TOWNS,
        "territory_names": "Lyon\nVilleurbanne",
        **figures,
    }
    consent = {
        name: publish
        for name in (
            "publish_members",
            "publish_jobs",
            "publish_jobs_created",
            "publish_turnover",
            "publish_budget",
            "publish_public_funding",
            "publish_projects",
            "publish_themes",
            "publish_territory",
        )
        if name not in figures
    }
    return Report.objects.create(
        campaign=the_campaign,
        pole=pole or PoleFactory(),
        state=state,
        return_reason="Chiffres à vérifier." if state == Report.State.RETURNED else "",
        turnover_band=band(the_campaign, Band.Kind.TURNOVER, turnover),
        budget_band=band(the_campaign, Band.Kind.BUDGET, budget),
        **consent,
        **values,
    )
