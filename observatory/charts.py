"""The observatory's charts, drawn by the house's one chart style (ptce_portal.charts): each
is paired on the page (and in the PDF) with the table that gives its figures."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ptce_portal import charts

from . import aggregates


def _missing() -> str:
    return str(aggregates.SUPPRESSED_LABEL)


def _ranges(uid: str, title: str, group) -> str:
    return charts.range_chart(
        uid=uid,
        title=title,
        description=_(
            "Médiane (trait) et quartiles (bande) par pôle ; les chiffres sont dans le "
            "tableau qui suit."
        ),
        rows=[
            (capfirst(str(indicator.label)), summary.q1, summary.median, summary.q3)
            for indicator, summary in group
        ],
        missing=_missing(),
    )


def page_charts(data) -> dict[str, str]:
    """{name: SVG} for the figures of `data` (selectors.PublicObservatory)."""
    result: dict[str, str] = {}
    figures = data.figures
    scope = data.region[1] if data.region else _("France entière")
    if figures is not None and figures.shown:
        if figures.regions:
            result["regions"] = charts.hbar_chart(
                uid="chart-regions",
                title=_("Pôles répondants par région, %(year)s") % {"year": figures.year},
                description=_("Le nombre de pôles par région est dans le tableau qui suit."),
                rows=[(r.name, r.poles.value) for r in figures.regions],
                missing=_missing(),
            )
        result["members"] = _ranges(
            "chart-members",
            _("Structures membres par catégorie de l'article 9, %(scope)s, %(year)s")
            % {"scope": scope, "year": figures.year},
            figures.members,
        )
        result["jobs"] = _ranges(
            "chart-jobs",
            _("Emplois par pôle, %(scope)s, %(year)s") % {"scope": scope, "year": figures.year},
            figures.jobs,
        )
        for distribution in figures.distributions:
            result[f"bands_{distribution.kind}"] = charts.hbar_chart(
                uid=f"chart-bands-{distribution.kind}",
                title=_("Pôles par tranche de %(what)s, %(scope)s, %(year)s")
                % {"what": distribution.label, "scope": scope, "year": figures.year},
                description=_("Le nombre de pôles par tranche est dans le tableau qui suit."),
                rows=[(band.label, cell.value) for band, cell in distribution.cells],
                missing=_missing(),
            )
    if len(data.evolution) > 1:
        result["evolution_poles"] = charts.column_chart(
            uid="chart-evolution-poles",
            title=_("Pôles répondants par année, %(scope)s") % {"scope": scope},
            description=_("Les chiffres de chaque année sont dans le tableau qui suit."),
            rows=[(point.year, point.poles.value) for point in data.evolution],
            missing=_missing(),
        )
        result["evolution_jobs"] = charts.column_chart(
            uid="chart-evolution-jobs",
            title=_("Emplois directs par pôle (médiane) par année, %(scope)s") % {"scope": scope},
            description=_("Les chiffres de chaque année sont dans le tableau qui suit."),
            rows=[(point.year, point.summaries["jobs_people"].median) for point in data.evolution],
            missing=_missing(),
        )
    return result
