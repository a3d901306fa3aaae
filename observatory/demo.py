"""Demo data of the observatory (`seed_ptce --demo`, fictitious): a closed 2025 campaign with
the accepted reports of twelve real signatory poles (the seven of Auvergne-Rhône-Alpes and
five of Île-de-France, so that two regions pass the threshold of five poles), and the open
2026 campaign, where Domb'Innov's demo coordinator has a draft and another pole's report waits
for staff. Every figure is drawn with a fixed seed: made up, not the poles' figures; the
campaigns and reports are marked `is_demo` (shown « (démo) ») and the territories say so.
Idempotent: campaigns found again by year, reports by campaign and pole."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from poles.demo import DEMO_POLE_SLUG
from poles.models import Pole, Theme
from ptce_portal.contributions import DemoContext
from ptce_portal.demo import DEMO_MARK

from . import selectors
from .models import FIGURES, Band, Campaign, Report

CLOSED_YEAR = 2025
OPEN_YEAR = 2026
REGIONS = {"Auvergne-Rhône-Alpes": 7, "Île-de-France": 5}
SUBMITTED_2026_SLUG = "innovales"  # a report waiting in staff's queue


def _demo_poles() -> list[Pole]:
    poles: list[Pole] = []
    for region, count in REGIONS.items():
        poles += list(
            Pole.objects.filter(charter_signed_on__isnull=False, region__name=region).order_by(
                "slug"
            )[:count]
        )
    return poles


def _campaign(year: int, *, state: str, opens_on: date, closes_on: date, staff) -> Campaign:
    campaign = selectors.campaign_get(year)
    if campaign is not None:
        return campaign
    now = timezone.now()
    campaign = Campaign(
        year=year,
        opens_on=opens_on,
        closes_on=closes_on,
        questionnaire=selectors.latest_questionnaire(),
        state=state,
        opened_at=now,
        opened_by=staff,
        closed_at=now if state == Campaign.State.CLOSED else None,
        closed_by=staff if state == Campaign.State.CLOSED else None,
        is_demo=True,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


def _figures(rng: random.Random, campaign: Campaign, *, partial: bool = False) -> dict:
    turnover = list(selectors.bands(campaign, Band.Kind.TURNOVER))
    budget = list(selectors.bands(campaign, Band.Kind.BUDGET))
    people = rng.randint(12, 180)
    values = {
        "members_ess": rng.randint(4, 12),
        "members_enterprise": rng.randint(1, 6),
        "members_authority": rng.randint(1, 4),
        "members_research": rng.randint(0, 2),
        "members_training": rng.randint(0, 3),
        "members_other": rng.randint(0, 4),
        "jobs_people": people,
        "jobs_fte": (Decimal(people) * Decimal(rng.randint(60, 90)) / 100).quantize(Decimal("0.1")),
        "jobs_created": rng.randint(0, 15),
        "turnover_band": rng.choice(turnover[:5]),
        "budget_band": rng.choice(budget[1:]),
        "public_funding_share": rng.randint(15, 80),
        "projects_started": rng.randint(1, 8),
        "territory_kind": rng.choice(Report.TerritoryKind.values[1:]),
        "territory_names": "\n".join(
            f"Territoire fictif {n} {DEMO_MARK}" for n in range(1, rng.randint(2, 4))
        ),
    }
    for figure in FIGURES:
        values[figure.consent_field] = rng.random() < 0.75
    if partial:  # a draft: the members and jobs only
        for name in list(values)[8:]:
            values[name] = Report._meta.get_field(name).get_default()
        values["territory_names"] = ""
    return values


def _report(campaign, pole, *, rng, state, staff, by=None, partial=False) -> Report | None:
    if Report.objects.filter(campaign=campaign, pole=pole).exists():
        return None
    now = timezone.now()
    report = Report(campaign=campaign, pole=pole, state=state, is_demo=True, updated_by=by)
    for name, value in _figures(rng, campaign, partial=partial).items():
        setattr(report, name, value)
    if state in (Report.State.SUBMITTED, Report.State.ACCEPTED):
        report.submitted_at = now
        report.submitted_by = by
    if state == Report.State.ACCEPTED:
        report.reviewed_at = now
        report.reviewed_by = staff
    report.full_clean()
    report.save()
    themes = list(Theme.objects.order_by("position", "name"))
    if themes and not partial:
        report.themes.set(rng.sample(themes, k=min(len(themes), rng.randint(1, 3))))
    return report


def run(context: DemoContext) -> None:
    if selectors.latest_questionnaire() is None:
        return
    today = timezone.localdate()
    staff = context.staff
    closed = _campaign(
        CLOSED_YEAR,
        state=Campaign.State.CLOSED,
        opens_on=date(CLOSED_YEAR, 3, 1),
        closes_on=date(CLOSED_YEAR, 6, 30),
        staff=staff,
    )
    rng = random.Random(CLOSED_YEAR)
    for pole in _demo_poles():
        _report(closed, pole, rng=rng, state=Report.State.ACCEPTED, staff=staff)
    opened = _campaign(
        OPEN_YEAR,
        state=Campaign.State.OPEN,
        opens_on=today - timedelta(days=20),
        closes_on=today + timedelta(days=40),
        staff=staff,
    )
    rng = random.Random(OPEN_YEAR)
    coordinator = context.data.get("coordinator")
    own = Pole.objects.filter(slug=DEMO_POLE_SLUG, charter_signed_on__isnull=False).first()
    if own is not None and coordinator is not None:
        _report(
            opened, own, rng=rng, state=Report.State.DRAFT, staff=staff, by=coordinator,
            partial=True,
        )  # fmt: skip
    waiting = Pole.objects.filter(slug=SUBMITTED_2026_SLUG, charter_signed_on__isnull=False).first()
    if waiting is not None:
        _report(opened, waiting, rng=rng, state=Report.State.SUBMITTED, staff=staff)
    accepted = Report.objects.filter(campaign=closed, state=Report.State.ACCEPTED).count()
    context.summary.append(
        f"observatoire {DEMO_MARK} : campagne {CLOSED_YEAR} clôturée ({accepted} rapports "
        f"acceptés), campagne {OPEN_YEAR} ouverte"
    )
