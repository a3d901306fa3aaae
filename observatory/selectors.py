"""Reads of the observatory (flat query counts: select_related, prefetch, plain rows)."""

from dataclasses import dataclass

from django.db.models import F

from poles.models import Pole, Region

from . import aggregates
from .models import Band, Report

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
