"""What the public sees of the observatory: the figures of the accepted reports, aggregated per
year, nationally and per region, with small cells suppressed (observatory.statistics).

Built from plain rows (observatory.selectors.public_report_rows: one query), so the page,
the open data and the PDF « état des lieux » show the same numbers. Nothing here queries the
database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import MEMBER_FIELDS, MEMBER_LABELS
from .statistics import THRESHOLD, Cell, Summary, Table, evolution, protect_linked, summarize

UNKNOWN_BAND = "non-renseigne"
SUPPRESSED_LABEL = _("< 5 pôles")
NATIONAL = "france"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: object  # lazy text
    unit: object = ""


MEMBER_INDICATORS = tuple(Indicator(name, MEMBER_LABELS[name]) for name in MEMBER_FIELDS) + (
    Indicator("members_total", _("ensemble des structures membres")),
)
JOB_INDICATORS = (
    Indicator("jobs_people", _("emplois directs (personnes)")),
    Indicator("jobs_fte", _("emplois directs (équivalents temps plein)")),
    Indicator("jobs_created", _("emplois créés dans l'année")),
)
OTHER_INDICATORS = (
    Indicator("public_funding_share", _("part des financements publics dans le budget"), "%"),
    Indicator("projects_started", _("projets lancés dans l'année")),
)
INDICATORS = MEMBER_INDICATORS + JOB_INDICATORS + OTHER_INDICATORS
INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
# The figures whose evolution over the years the page draws.
EVOLUTION_CODES = ("members_total", "jobs_people", "jobs_fte")


def _number(value) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def indicator_value(row: dict, code: str) -> float | int | None:
    if code == "members_total":
        parts = [row.get(name) for name in MEMBER_FIELDS]
        return None if any(p is None for p in parts) else sum(parts)
    return _number(row.get(code))


@dataclass(frozen=True)
class BandInfo:
    code: str
    label: str


@dataclass
class Distribution:
    """Poles of the scope by band: [(band, Cell)] and the scope's total."""

    kind: str
    label: object
    cells: list[tuple[BandInfo, Cell]]
    total: Cell


@dataclass
class RegionCount:
    code: str
    name: str
    poles: Cell


@dataclass
class YearFigures:
    """One year's figures for one scope (France, or one region)."""

    year: int
    is_demo: bool
    region: tuple[str, str] | None  # (code, name) when the scope is a region
    poles: Cell  # the reporting poles of the scope
    regions: list[RegionCount]  # the national view only
    summaries: dict[str, Summary]
    distributions: list[Distribution]

    @property
    def shown(self) -> bool:
        """Whether anything can be shown (at least THRESHOLD poles in the scope)."""
        return self.poles.count >= THRESHOLD

    def group(self, indicators) -> list[tuple[Indicator, Summary]]:
        return [(indicator, self.summaries[indicator.code]) for indicator in indicators]

    @property
    def members(self):
        return self.group(MEMBER_INDICATORS)

    @property
    def jobs(self):
        return self.group(JOB_INDICATORS)

    @property
    def others(self):
        return self.group(OTHER_INDICATORS)


@dataclass
class EvolutionPoint:
    year: int
    poles: Cell
    summaries: dict[str, Summary] = field(default_factory=dict)


def _band_label(bands: dict[str, list[BandInfo]], kind: str):
    return {"turnover": _("chiffre d'affaires consolidé"), "budget": _("budget")}[kind]


def protect_year(rows: list[dict], bands: dict[str, list[BandInfo]]) -> dict[str, Table]:
    """The year's linked count tables: poles by region, and by region × band of each kind."""
    regions: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0})
    by_kind: dict[str, dict[str, dict[str, int]]] = {kind: {} for kind in bands}
    for row in rows:
        region = row["region_code"] or ""
        regions[region]["n"] += 1
        for kind in bands:
            band = row.get(f"{kind}_band_code") or UNKNOWN_BAND
            line = by_kind[kind].setdefault(region, {})
            line[band] = line.get(band, 0) + 1
    tables: dict = {"regions": (dict(regions), ["n"])}
    for kind, infos in bands.items():
        columns = [info.code for info in infos] + [UNKNOWN_BAND]
        counts = {region: by_kind[kind].get(region, {}) for region in regions}
        tables[kind] = (counts, columns)
    return protect_linked(tables)


def year_figures(
    rows: list[dict],
    *,
    year: int,
    is_demo: bool,
    bands: dict[str, list[BandInfo]],
    region: tuple[str, str] | None = None,
    region_names: dict[str, str] | None = None,
) -> YearFigures:
    """The figures of `year` (rows: that year's accepted reports), for France or a region."""
    tables = protect_year(rows, bands)
    regions_table = tables["regions"]
    if region is None:
        scope_rows = rows
        poles = regions_table.total
        names = region_names or {}
        regions = sorted(
            (
                RegionCount(
                    code=code,
                    name=names.get(code, "") or str(_("région non renseignée")),
                    poles=regions_table.row_totals[code],
                )
                for code in regions_table.rows
            ),
            key=lambda r: r.name,
        )
    else:
        code = region[0]
        scope_rows = [row for row in rows if row["region_code"] == code]
        poles = regions_table.row_totals.get(code, Cell(count=0, suppressed=False))
        regions = []
    distributions = []
    for kind, infos in bands.items():
        table = tables[kind]
        unknown = BandInfo(UNKNOWN_BAND, str(_("non renseigné")))
        ordered = [*infos, unknown]
        if region is None:
            cells = [(info, table.column_totals[info.code]) for info in ordered]
            total = table.total
        elif region[0] in table.cells:
            cells = [(info, table.cells[region[0]][info.code]) for info in ordered]
            total = table.row_totals[region[0]]
        else:
            cells = [(info, Cell(0)) for info in ordered]
            total = Cell(0)
        if table.column_totals[UNKNOWN_BAND].count == 0:  # nobody left it out: no such line
            cells = [(info, cell) for info, cell in cells if info.code != UNKNOWN_BAND]
        distributions.append(
            Distribution(kind=kind, label=_band_label(bands, kind), cells=cells, total=total)
        )
    summaries = {
        indicator.code: summarize(indicator_value(row, indicator.code) for row in scope_rows)
        for indicator in INDICATORS
    }
    if poles.count < THRESHOLD:  # a scope of fewer than 5 poles shows nothing at all
        summaries = {code: Summary(count=s.count) for code, s in summaries.items()}
    return YearFigures(
        year=year,
        is_demo=is_demo,
        region=region,
        poles=poles,
        regions=regions,
        summaries=summaries,
        distributions=distributions,
    )


def evolution_points(
    rows_by_year: dict[int, list[dict]],
    *,
    bands_by_year: dict[int, dict[str, list[BandInfo]]],
    region: str | None = None,
) -> list[EvolutionPoint]:
    """Per year: the scope's reporting poles (the same protected cell as the year's page) and
    the medians and quartiles of EVOLUTION_CODES."""
    points = []
    for year in sorted(rows_by_year):
        rows = rows_by_year[year]
        table = protect_year(rows, bands_by_year.get(year, {}))["regions"]
        if region is None:
            poles, scope = table.total, rows
        else:
            poles = table.row_totals.get(region, Cell(0))
            scope = [row for row in rows if row["region_code"] == region]
        values = {code: [indicator_value(row, code) for row in scope] for code in EVOLUTION_CODES}
        summaries = {}
        for code in EVOLUTION_CODES:
            ((_year, summary),) = evolution({year: values[code]})
            summaries[code] = summary
        points.append(EvolutionPoint(year=year, poles=poles, summaries=summaries))
    return points
