"""Open data: the directory as GeoJSON (RFC 7946), CSV (French spreadsheet friendly) and JSON."""

import io

from ptce_portal import exports
from ptce_portal.site import absolute_url

from .models import FactSource, fact_source_label

LICENCE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

CSV_COLUMNS = [
    "slug",
    "nom",
    "structure_porteuse",
    "url",
    "statut",
    "maturite",
    "region",
    "ancienne_region",
    "departements",
    "territoire",
    "commune",
    "latitude",
    "longitude",
    "coordonnees_approximatives",
    "themes",
    "laureat",
    "date_signature_charte",
    "site_web",
    "sources",
]


def _departments(pole) -> list[dict]:
    """[{"code", "name"}]: the row's annotation (selectors.published_poles), or the prefetched
    relation (the admin's export)."""
    departments = getattr(pole, "department_list", None)
    if departments is None:
        departments = [{"code": d.code, "name": d.name} for d in pole.departments.all()]
    return departments


def _themes(pole) -> list[dict]:
    themes = getattr(pole, "theme_list", None)
    if themes is None:
        themes = [{"name": t.name} for t in pole.themes.all()]
    return themes


def fact_sources_of_row(pole) -> dict[str, dict]:
    """{fact: {"kind", "label", "url"}} from the `source_list` annotation of published_poles."""
    result = {}
    for item in getattr(pole, "source_list", None) or []:
        citation = ""
        if item["title"]:
            citation = ", ".join(
                [f"« {item['title']} »"]
                + [value for value in (item["publisher"], item["date_label"]) if value]
            )
        result[item["fact"]] = {
            "kind": item["kind"],
            "label": fact_source_label(
                kind=item["kind"],
                citation=citation,
                part=item["part"],
                inference=item["inference"],
                entered_on=item["entered_on"],
            ),
            "url": item["url"] or "",
        }
    return result


def _sources(pole) -> dict[str, dict]:
    """{fact: {"kind", "label", "url"}}: where each fact that annex 3 of the 2014 report does
    not give comes from (the annotated row, or the pole's own rows for the admin's export)."""
    if getattr(pole, "source_list", None) is None:
        return {
            f.fact: {"kind": f.kind, "label": f.label(), "url": f.source.url if f.source else ""}
            for f in pole.fact_sources.select_related("source")
        }
    return fact_sources_of_row(pole)


def _sources_text(sources: dict[str, dict]) -> str:
    """The CSV's one column: « fait : source » for each fact, separated by « | »."""
    labels = dict(FactSource.Fact.choices)
    return " | ".join(
        f"{labels.get(fact, fact)} : {item['label']}" + (f" <{item['url']}>" if item["url"] else "")
        for fact, item in sorted(sources.items())
    )


def pole_record(pole) -> dict:
    """One pole as a flat dict of public fields (the poles come from selectors.published_poles)."""
    signature_date = pole.charter_signed_on
    departments = _departments(pole)
    themes = _themes(pole)
    sources = _sources(pole)
    return {
        "slug": pole.slug,
        "nom": pole.name,
        "structure_porteuse": pole.carrier_structure,
        "url": absolute_url(pole.get_absolute_url()),
        "statut": pole.status,
        "statut_libelle": str(pole.get_status_display()),
        "maturite": pole.maturity,
        "region": pole.region.name if pole.region else "",
        "region_code": pole.region.code if pole.region else "",
        "ancienne_region": pole.former_region.name if pole.former_region else "",
        "departements": [d["code"] for d in departments],
        "departements_noms": [d["name"] for d in departments],
        "territoire": pole.territory_label,
        "commune": pole.town,
        "latitude": pole.latitude,
        "longitude": pole.longitude,
        "coordonnees_approximatives": pole.coordinates_approximate,
        "themes": [t["name"] for t in themes],
        "laureat": bool(getattr(pole, "is_laureate", False)),
        "date_signature_charte": signature_date.isoformat() if signature_date else None,
        "site_web": pole.website,
        "description_courte": pole.short_description,
        "sources": _sources_text(sources),
        "sources_detail": sources,
    }


def geojson(poles) -> dict:
    features = []
    for pole in poles:
        signature_date = pole.charter_signed_on
        geometry = None
        if pole.latitude is not None and pole.longitude is not None:
            # RFC 7946: [longitude, latitude], WGS 84, at most ~6 decimals is plenty.
            geometry = {
                "type": "Point",
                "coordinates": [round(pole.longitude, 6), round(pole.latitude, 6)],
            }
        # Straight from the row (English keys, as GeoJSON readers expect).
        properties = {
            "name": pole.name,
            "slug": pole.slug,
            "url": absolute_url(pole.get_absolute_url()),
            "carrier_structure": pole.carrier_structure,
            "status": pole.status,
            "status_label": str(pole.get_status_display()),
            "region": pole.region.name if pole.region else "",
            "former_region": pole.former_region.name if pole.former_region else "",
            "departments": [d["code"] for d in _departments(pole)],
            "town": pole.town,
            "approximate": pole.coordinates_approximate,
            "themes": [t["name"] for t in _themes(pole)],
            "laureate": bool(getattr(pole, "is_laureate", False)),
            "signature_date": signature_date.isoformat() if signature_date else None,
            "sources": _sources(pole),
        }
        features.append(
            {"type": "Feature", "id": pole.slug, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


# The map's points (/carte/points.geojson): only what a marker and its popup need, under
# short names (n name, c carrier structure, t town, ti when the town is deduced, d department
# codes, r region, l logo URL, la its text alternative), coordinates to 5 decimals (about a
# metre); static/poles/poles-map.js reads them. The open data GeoJSON keeps the full, readable
# properties.


def map_points(poles) -> dict:
    features = []
    for pole in poles:
        if pole.latitude is None or pole.longitude is None:
            continue
        properties = {"n": pole.name}
        if pole.carrier_structure:
            properties["c"] = pole.carrier_structure
        if pole.town:
            properties["t"] = pole.town
            if _sources(pole).get("town", {}).get("kind") == "inference":
                properties["ti"] = True
        departments = [d["code"] for d in _departments(pole)]
        if departments:
            properties["d"] = departments
        if pole.region:
            properties["r"] = pole.region.name
        if pole.logo:
            properties["l"] = pole.logo.url
            properties["la"] = pole.logo_alt
        features.append(
            {
                "type": "Feature",
                "id": pole.slug,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(pole.longitude, 5), round(pole.latitude, 5)],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def json_document(poles) -> dict:
    return {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "source": absolute_url("/donnees/"),
        "poles": [pole_record(pole) for pole in poles],
    }


def _csv_value(value):
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(value)
    return value


def csv_rows(poles):
    """The rows under CSV_COLUMNS, for `ptce_portal.exports.csv_response`."""
    for pole in poles:
        record = pole_record(pole)
        yield [_csv_value(record[column]) for column in CSV_COLUMNS]


def csv_bytes(poles) -> bytes:
    out = io.StringIO()
    exports.write_csv(out, CSV_COLUMNS, csv_rows(poles))
    return out.getvalue().encode()


def csv_response(poles, filename: str):
    return exports.csv_response(filename, CSV_COLUMNS, csv_rows(poles))
