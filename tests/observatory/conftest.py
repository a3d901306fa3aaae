"""Fixtures of the observatory's tests: the questionnaire (its data file), campaigns, a
signatory pole and its coordinator. Shared by obs and obsweb: add fixtures, keep these."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from observatory import services
from observatory.models import Band, Campaign, Report
from observatory.questionnaire import read_current
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory, ThemeFactory


@pytest.fixture
def questionnaire(db):
    """The questionnaire of observatory/data/, loaded and published."""
    return services.questionnaire_load(parsed=read_current())


def make_campaign(questionnaire, *, year=2026, state=Campaign.State.OPEN, **fields):
    today = timezone.localdate()
    values = {
        "opens_on": today - datetime.timedelta(days=10),
        "closes_on": today + datetime.timedelta(days=30),
    }
    values.update(fields)
    campaign = Campaign(year=year, questionnaire=questionnaire, state=state, **values)
    campaign.full_clean()
    campaign.save()
    return campaign


@pytest.fixture
def campaign(questionnaire):
    """The open 2026 campaign (closes in 30 days)."""
    return make_campaign(questionnaire)


def signatory_pole(**fields):
    fields.setdefault("charter_signed_on", datetime.date(2014, 9, 19))
    return PoleFactory(**fields)


@pytest.fixture
def pole(db):
    """A published pole that signed the charter."""
    return signatory_pole(name="Pôle Coopération Rhône", slug="pole-cooperation-rhone")


@pytest.fixture
def coordinator(pole):
    """An approved coordinator of `pole`."""
    return PoleCoordinatorFactory(pole=pole).user


@pytest.fixture
def coordinator_client(coordinator):
    signed_in = Client()
    signed_in.force_login(coordinator)
    return signed_in


def band(campaign, kind, position=2) -> Band:
    return Band.objects.get(version=campaign.questionnaire, kind=kind, position=position)


def complete_values(campaign, **overrides) -> dict:
    """Every figure of a report, filled in plausibly."""
    values = {
        "members_ess": 8,
        "members_enterprise": 3,
        "members_authority": 2,
        "members_research": 1,
        "members_training": 1,
        "members_other": 0,
        "jobs_people": 95,
        "jobs_fte": 71,
        "jobs_created": 6,
        "turnover_band": band(campaign, Band.Kind.TURNOVER),
        "budget_band": band(campaign, Band.Kind.BUDGET),
        "public_funding_share": 40,
        "projects_started": 3,
        "territory_kind": Report.TerritoryKind.TOWNS,
        "territory_names": "Lyon\nVilleurbanne",
        "publish_members": True,
        "publish_jobs": True,
    }
    values.update(overrides)
    return values


def complete_post(campaign, **overrides) -> dict:
    """The form's POST data of a complete report."""
    values = complete_values(campaign)
    data = {}
    for name, value in values.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, Band):
            data[name] = str(value.pk)
        else:
            data[name] = str(value)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def theme(db):
    return ThemeFactory(name="Alimentation", slug="alimentation")
