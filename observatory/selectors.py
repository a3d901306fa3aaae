"""Reads of the observatory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, QuerySet

from poles.models import Pole, PoleCoordinator, Region, Theme

from . import aggregates
from .models import Band, Campaign, QuestionnaireVersion, Report


def campaign_get(year: int) -> Campaign | None:
    return Campaign.objects.select_related("questionnaire").filter(year=year).first()


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("questionnaire").order_by("-year")


def open_campaign() -> Campaign | None:
    """The most recent open campaign (normally the only one)."""
    return (
        Campaign.objects.select_related("questionnaire")
        .filter(state=Campaign.State.OPEN)
        .order_by("-year")
        .first()
    )


def campaigns_with_accepted() -> QuerySet[Campaign]:
    """Campaigns with at least one accepted report, most recent first."""
    return (
        Campaign.objects.filter(reports__state=Report.State.ACCEPTED).distinct().order_by("-year")
    )


def latest_questionnaire() -> QuestionnaireVersion | None:
    return QuestionnaireVersion.objects.filter(published_at__isnull=False).first()


def _report_queryset() -> QuerySet[Report]:
    return Report.objects.select_related(
        "campaign",
        "campaign__questionnaire",
        "pole",
        "pole__region",
        "turnover_band",
        "budget_band",
        "submitted_by",
        "reviewed_by",
    ).prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))


def accepted_reports(campaign: Campaign) -> QuerySet[Report]:
    """The accepted reports of a campaign, with their pole, region, bands and themes."""
    return _report_queryset().filter(campaign=campaign, state=Report.State.ACCEPTED)


def report_get(*, campaign: Campaign, pole: Pole) -> Report | None:
    return _report_queryset().filter(campaign=campaign, pole=pole).first()


def report_for(*, year: int, slug: str) -> Report | None:
    return _report_queryset().filter(campaign__year=year, pole__slug=slug).first()


def signatory_pole(slug: str) -> Pole | None:
    return Pole.objects.filter(slug=slug, charter_signed_on__isnull=False).first()


def questions(campaign: Campaign) -> dict[str, Any]:
    """{figure code: Question} of the campaign's questionnaire."""
    return {q.code: q for q in campaign.questionnaire.questions.all()}


def bands(campaign: Campaign, kind: str) -> QuerySet[Band]:
    return Band.objects.filter(version=campaign.questionnaire_id, kind=kind).order_by("position")


def reports_waiting_review() -> QuerySet[Report]:
    return Report.objects.filter(state=Report.State.SUBMITTED).select_related("pole", "campaign")


def campaign_reports(campaign: Campaign) -> QuerySet[Report]:
    return (
        Report.objects.filter(campaign=campaign)
        .select_related("pole", "submitted_by", "reviewed_by")
        .order_by("pole__name")
    )


def signatory_poles() -> QuerySet[Pole]:
    return Pole.objects.filter(charter_signed_on__isnull=False).order_by("name")


def coordinator_emails(pole: Pole | int) -> list[str]:
    """The addresses of the pole's approved coordinators whose account is active."""
    return sorted(
        set(
            PoleCoordinator.objects.filter(
                pole=pole, status=PoleCoordinator.Status.APPROVED, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def state_counts(campaign: Campaign) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        Report.objects.filter(campaign=campaign).order_by().values("state").annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(Report.State.values, 0)
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def state_counts_by_campaign() -> dict[int, dict[str, int]]:
    """{campaign id: {state: count}} of every campaign, in one query."""
    from django.db.models import Count

    counts: dict[int, dict[str, int]] = {}
    rows = Report.objects.order_by().values("campaign_id", "state").annotate(n=Count("pk"))
    for row in rows:
        counts.setdefault(row["campaign_id"], {})[row["state"]] = row["n"]
    return counts


def _display(report: Report, name: str) -> str:
    from django.utils.formats import localize

    if name == "themes":
        return ", ".join(theme.name for theme in report.themes.all()) or "—"
    if name == "territory_kind":
        return report.get_territory_kind_display() if report.territory_kind else "—"
    if name == "territory_names":
        return (
            ", ".join(line.strip() for line in report.territory_names.splitlines() if line.strip())
            or "—"
        )
    value = getattr(report, name)
    if value is None or value == "":
        return "—"
    if name == "public_funding_share":
        return f"{value} %"
    return str(localize(value))


def report_figures(report: Report) -> list[dict[str, Any]]:
    """The report's figures as the questionnaire asks them: for each, its question, its
    values (label, shown value) and whether the pole agrees to publish it. Themes and bands
    come with the report (report_get / report_for)."""
    from .models import FIGURES

    questions = {q.code: q for q in report.campaign.questionnaire.questions.all()}
    figures = []
    for figure in FIGURES:
        question = questions.get(figure.code)
        figures.append(
            {
                "code": figure.code,
                "label": question.label if question else figure.code,
                "section": question.section if question else "",
                "values": [
                    (
                        getattr(Report._meta.get_field(name), "verbose_name", name),
                        _display(report, name),
                    )
                    for name in figure.fields
                ],
                "published": getattr(report, figure.consent_field),
            }
        )
    return figures


def staff_queues() -> list:
    """Reports submitted and waiting for staff's review, oldest first (2 queries)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ptce_portal.backoffice import QueueItem, build_queue

    from .permissions import can_review_reports

    return [
        build_queue(
            reports_waiting_review(),
            date_field="submitted_at",
            item=lambda report: QueueItem(
                label=report.pole.name,
                detail=_("observatoire %(year)s") % {"year": report.campaign.year},
                since=report.submitted_at,
                url=reverse(
                    "observatory:staff_review",
                    kwargs={"year": report.campaign.year, "slug": report.pole.slug},
                ),
            ),
            key="observatory_reports",
            title=_("Rapports à l'observatoire à relire"),
            help_text=_("Rapports transmis par les pôles, à accepter ou à renvoyer avec un motif."),
            url=reverse("observatory:staff_campaigns"),
            link_label=_("Campagnes de l'observatoire"),
            permission="observatory.change_report",
            predicate=can_review_reports,
        )
    ]


# --- Public side (obsweb): the aggregates of /observatoire/, the open data, the PDF and the
# pole page's block. Only ACCEPTED reports; counts stay flat whatever the number of reports.


def public_report_rows() -> list[dict]:
    """Every accepted report as a plain row (one query): the year, whether it is demo data,
    the pole's region and the figures (bands by code)."""
    rows = (
        Report.objects.filter(state=Report.State.ACCEPTED)
        .order_by("campaign__year", "pole__name")
        .values(
            "members_ess",
            "members_enterprise",
            "members_authority",
            "members_research",
            "members_training",
            "members_other",
            "jobs_people",
            "jobs_fte",
            "jobs_created",
            "public_funding_share",
            "projects_started",
            year=F("campaign__year"),
            campaign_is_demo=F("campaign__is_demo"),
            report_is_demo=F("is_demo"),
            region_code=F("pole__region__code"),
            region_name=F("pole__region__name"),
            turnover_band_code=F("turnover_band__code"),
            budget_band_code=F("budget_band__code"),
        )
    )
    return [dict(row) for row in rows]


def public_bands(years) -> dict[int, dict[str, list]]:
    """{year: {"turnover": [BandInfo…], "budget": [BandInfo…]}}: the bands of each year's
    questionnaire, in ascending order (one query)."""
    from .aggregates import BandInfo

    result: dict[int, dict[str, list]] = {
        year: {Band.Kind.TURNOVER.value: [], Band.Kind.BUDGET.value: []} for year in years
    }
    rows = (
        Band.objects.filter(version__campaigns__year__in=list(years))
        .order_by("kind", "position")
        .values("kind", "code", "label", year=F("version__campaigns__year"))
    )
    for row in rows:
        result[row["year"]][row["kind"]].append(BandInfo(row["code"], row["label"]))
    return result


def public_regions() -> list[tuple[str, str]]:
    """(code, name) of the current regions, for the filter (one query)."""
    return list(
        Region.objects.filter(kind=Region.Kind.CURRENT).order_by("name").values_list("code", "name")
    )


def pole_published_reports(pole: Pole) -> list[Report]:
    """The pole's accepted reports, oldest first, with their bands and themes (two queries):
    the block of its page shows only the figures it agreed to publish."""
    return list(
        Report.objects.filter(pole=pole, state=Report.State.ACCEPTED)
        .select_related("campaign", "turnover_band", "budget_band")
        .prefetch_related("themes")
        .order_by("campaign__year")
    )


def published_pole_reports() -> list[Report]:
    """Every accepted report of a published pole, for the per-pole open data (two queries):
    the export keeps only the figures each pole agreed to publish."""
    return list(
        Report.objects.filter(state=Report.State.ACCEPTED, pole__is_published=True)
        .select_related("campaign", "pole", "pole__region", "turnover_band", "budget_band")
        .prefetch_related("themes")
        .order_by("campaign__year", "pole__name")
    )


@dataclass
class PublicSource:
    """What every public figure is computed from, read once (four queries): the accepted
    reports' rows by year, each year's bands, the current regions and every region's name."""

    by_year: dict[int, list[dict]]
    bands: dict[int, dict[str, list]]
    regions: list[tuple[str, str]]
    names: dict[str, str]


def public_source() -> PublicSource:
    rows = public_report_rows()
    by_year: dict[int, list[dict]] = {}
    for row in rows:
        by_year.setdefault(row["year"], []).append(row)
    regions = public_regions()
    names = dict(regions)
    for row in rows:  # a pole in a region that is not a current one
        if row["region_code"] and row["region_code"] not in names:
            names[row["region_code"]] = row["region_name"]
    return PublicSource(
        by_year=by_year,
        bands=public_bands(sorted(by_year)) if by_year else {},
        regions=regions,
        names=names,
    )


@dataclass
class PublicObservatory:
    years: list[int]
    year: int | None
    region: tuple[str, str] | None
    regions: list[tuple[str, str]]
    figures: aggregates.YearFigures | None
    evolution: list[aggregates.EvolutionPoint]


def public_observatory(
    *, year: int | None = None, region: str | None = None, source: PublicSource | None = None
) -> PublicObservatory:
    """The figures of /observatoire/ (and of the PDF and the open data): the chosen year (the
    latest when none or an unknown one is asked) for France or one region (France for an
    unknown one), and the evolution over every year. Four queries whatever the number of
    reports, none when `source` (public_source()) is given."""
    source = source or public_source()
    by_year, names = source.by_year, source.names
    years = sorted(by_year)
    chosen_region = (region, names[region]) if region in names else None
    chosen_year = year if year in by_year else (years[-1] if years else None)
    figures = None
    if chosen_year is not None:
        year_rows = by_year[chosen_year]
        figures = aggregates.year_figures(
            year_rows,
            year=chosen_year,
            is_demo=any(r["campaign_is_demo"] or r["report_is_demo"] for r in year_rows),
            bands=source.bands[chosen_year],
            region=chosen_region,
            region_names=names,
        )
    return PublicObservatory(
        years=years,
        year=chosen_year,
        region=chosen_region,
        regions=source.regions,
        figures=figures,
        evolution=aggregates.evolution_points(
            by_year,
            bands_by_year=source.bands,
            region=chosen_region[0] if chosen_region else None,
        ),
    )
