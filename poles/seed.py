"""Load the poles reference data and the 40 signatories of 19 September 2014 (idempotent)."""

from ptce_portal import versions

from . import reference
from .apps import CONTENT_VERSION
from .models import CallForProjects, Department, Pole, Region, Theme


def _sync(model, key: str, rows: list[dict]) -> dict:
    """Create the missing rows and update the changed ones, in a few queries (idempotent)."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update, fields = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [f for f, value in row.items() if getattr(obj, f) != value]
        if changed:
            for f in changed:
                setattr(obj, f, row[f])
            fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields))
    return {getattr(obj, key): obj for obj in model.objects.all()}


def load_territories() -> tuple[int, int]:
    regions = _sync(
        Region,
        "code",
        [{"code": r["code"], "name": r["name"], "kind": r["kind"]} for r in reference.regions()],
    )
    _sync(
        Department,
        "code",
        [
            {
                "code": row["code"],
                "name": row["name"],
                "chef_lieu": row["chef_lieu"],
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "region_id": regions[row["region"]].pk,
                "former_region_id": regions[row["former_region"]].pk,
            }
            for row in reference.departments()
        ],
    )
    return len(reference.regions()), len(reference.departments())


def load_themes() -> dict[str, Theme]:
    themes = {}
    for row in reference.themes():
        theme, _ = Theme.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "position": row["position"]}
        )
        themes[theme.slug] = theme
    return themes


def load_signatories(themes: dict[str, Theme]) -> int:
    departments = {d.code: d for d in Department.objects.select_related("region")}
    former = {r.code: r for r in Region.objects.filter(kind=Region.Kind.FORMER)}
    for row in reference.signatory_poles():
        depts = [departments[code] for code in row["departments"]]
        first = depts[0]
        has_town = "latitude" in row
        defaults = {
            "name": row["name"],
            "carrier_structure": row.get("carrier_structure", ""),
            "short_description": (row.get("short_description") or "").strip(),
            "description": (row.get("description") or "").strip(),
            "territory_label": row["territory_label"],
            "town": row.get("town", ""),
            "region": first.region,
            "former_region": former[row["former_region"]],
            "latitude": row["latitude"] if has_town else first.latitude,
            "longitude": row["longitude"] if has_town else first.longitude,
            "coordinates_approximate": True,
            "maturity": row.get("maturity", Pole.Maturity.EXISTING),
            "status": Pole.Status.SIGNATORY,
            "is_published": True,
            "signatory_number": row["number"],
        }
        pole, _ = Pole.objects.update_or_create(slug=row["slug"], defaults=defaults)
        pole.departments.set(depts)
        pole.themes.set([themes[slug] for slug in row.get("themes", [])])
    return len(reference.signatory_poles())


def load_calls() -> int:
    for row in reference.calls_for_projects():
        call, _ = CallForProjects.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "year": row["year"],
                "title": row["title"],
                "description": row.get("description", "").strip(),
                "applications_count": row.get("applications_count"),
                "laureates_count": row.get("laureates_count"),
                "total_amount": row.get("total_amount"),
                "source": row.get("source", "").strip()[:300],
            },
        )
        call.laureates.set(Pole.objects.filter(slug__in=row.get("laureates", [])))
    return len(reference.calls_for_projects())


def run(*, stdout) -> None:
    n_regions, n_departments = load_territories()
    themes = load_themes()
    n_poles = load_signatories(themes)
    n_calls = load_calls()
    stdout.write(
        f"poles: {n_regions} régions, {n_departments} départements, {len(themes)} thèmes, "
        f"{n_poles} pôles signataires, {n_calls} appels à projets"
    )
    # Bulk writes send no signal: what was cached from the poles is rebuilt.
    versions.bump(CONTENT_VERSION)
