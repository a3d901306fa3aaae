"""Open data of the observatory (Licence Ouverte 2.0): the aggregates of every year, France
and each region, with suppressed cells left empty and marked; and each pole's figures, only
those it agreed to publish, from its accepted reports."""

import io

from ptce_portal import exports
from ptce_portal.exports import content_disposition  # noqa: F401  (the views' import)
from ptce_portal.site import absolute_url

from . import aggregates, selectors

LICENCE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
RULE = (
    "Seuls les rapports acceptés par l'équipe comptent. Toute case construite à partir de "
    "moins de 5 pôles est masquée (valeur vide, masque « < 5 pôles »), ainsi que les cases "
    "qui permettraient de la retrouver par soustraction d'un total."
)

AGGREGATE_COLUMNS = [
    "annee",
    "zone",
    "zone_code",
    "indicateur",
    "indicateur_libelle",
    "mesure",
    "valeur",
    "masque",
    "donnees_de_demonstration",
]


def _cell_record(base: dict, indicator: str, label: str, measure: str, cell) -> dict:
    return {
        **base,
        "indicateur": indicator,
        "indicateur_libelle": label,
        "mesure": measure,
        "valeur": cell.value,
        "masque": cell.suppressed,
    }


def _value_record(base: dict, indicator: str, label: str, measure: str, value) -> dict:
    return {
        **base,
        "indicateur": indicator,
        "indicateur_libelle": label,
        "mesure": measure,
        "valeur": value,
        "masque": value is None,
    }


def aggregate_records() -> list[dict]:
    """One record per published figure: per year, for France then each region, the reporting
    poles, the quartiles and median of each indicator, and the poles by band."""
    source = selectors.public_source()
    records = []
    for year in sorted(source.by_year):
        for region in [None, *sorted(source.names)]:
            data = selectors.public_observatory(year=year, region=region, source=source)
            figures = data.figures
            if figures is None:
                continue
            if region is not None and figures.poles.count == 0:
                continue
            base = {
                "annee": year,
                "zone": data.region[1] if data.region else "France",
                "zone_code": data.region[0] if data.region else aggregates.NATIONAL,
                "donnees_de_demonstration": figures.is_demo,
            }
            records.append(_cell_record(base, "poles", "pôles répondants", "nombre", figures.poles))
            for code, summary in figures.summaries.items():
                label = str(aggregates.INDICATORS_BY_CODE[code].label)
                for measure, value in (
                    ("premier_quartile", summary.q1),
                    ("mediane", summary.median),
                    ("troisieme_quartile", summary.q3),
                ):
                    records.append(_value_record(base, code, label, measure, value))
            for distribution in figures.distributions:
                for band, cell in distribution.cells:
                    records.append(
                        _cell_record(
                            base,
                            f"{distribution.kind}_tranche",
                            f"{distribution.label} : {band.label}",
                            "nombre_de_poles",
                            cell,
                        )
                    )
    return records


def aggregates_document() -> dict:
    return {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "source": absolute_url("/observatoire/"),
        "regle_de_secret": RULE,
        "agregats": aggregate_records(),
    }


def _csv_value(value):
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(value)
    return value


def aggregates_csv_bytes() -> bytes:
    out = io.StringIO()
    exports.write_csv(
        out,
        AGGREGATE_COLUMNS,
        (
            [
                _csv_value(record[column])
                if column != "masque"
                else ("< 5 pôles" if record["masque"] else "")
                for column in AGGREGATE_COLUMNS
            ]
            for record in aggregate_records()
        ),
    )
    return out.getvalue().encode()


# --- Per pole: only what each pole agreed to publish -------------------------------------

POLE_COLUMNS = [
    "annee",
    "pole",
    "pole_slug",
    "pole_url",
    "region",
    *aggregates.MEMBER_FIELDS,
    "jobs_people",
    "jobs_fte",
    "jobs_created",
    "turnover_band",
    "budget_band",
    "public_funding_share",
    "projects_started",
    "themes",
    "territory",
    "donnees_de_demonstration",
]


def published_values(report) -> dict:
    """The report's figures the pole agreed to publish, under the open data's names; the
    others are absent (None in the CSV's empty cells)."""
    values: dict = {}
    if report.publish_members:
        for name in aggregates.MEMBER_FIELDS:
            values[name] = getattr(report, name)
    if report.publish_jobs:
        values["jobs_people"] = report.jobs_people
        values["jobs_fte"] = aggregates._number(report.jobs_fte)
    if report.publish_jobs_created:
        values["jobs_created"] = report.jobs_created
    if report.publish_turnover:
        values["turnover_band"] = report.turnover_band.label if report.turnover_band else None
    if report.publish_budget:
        values["budget_band"] = report.budget_band.label if report.budget_band else None
    if report.publish_public_funding:
        values["public_funding_share"] = report.public_funding_share
    if report.publish_projects:
        values["projects_started"] = report.projects_started
    if report.publish_themes:
        values["themes"] = [theme.name for theme in report.themes.all()]
    if report.publish_territory:
        names = [line.strip() for line in report.territory_names.splitlines() if line.strip()]
        values["territory"] = names
    return values


def pole_records() -> list[dict]:
    records = []
    for report in selectors.published_pole_reports():
        pole = report.pole
        values = published_values(report)
        if not values:
            continue
        records.append(
            {
                "annee": report.campaign.year,
                "pole": pole.name,
                "pole_slug": pole.slug,
                "pole_url": absolute_url(pole.get_absolute_url()),
                "region": pole.region.name if pole.region else "",
                "donnees_de_demonstration": report.is_demo or report.campaign.is_demo,
                "chiffres": values,
            }
        )
    return records


def poles_document() -> dict:
    return {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "source": absolute_url("/observatoire/"),
        "regle": "Chaque pôle ne figure qu'avec les chiffres qu'il a accepté de publier.",
        "poles": pole_records(),
    }


def poles_csv_bytes() -> bytes:
    out = io.StringIO()
    rows = []
    for record in pole_records():
        flat = {**record, **record["chiffres"]}
        rows.append([_csv_value(flat.get(column)) for column in POLE_COLUMNS])
    exports.write_csv(out, POLE_COLUMNS, rows)
    return out.getvalue().encode()
