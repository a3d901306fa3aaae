"""Load the poles reference data and the 40 signatories of 19 September 2014 (idempotent)."""

from ptce_portal import versions

from . import reference
from .apps import CONTENT_VERSION
from .models import CallForProjects, Department, FactSource, Pole, Region, Source, Theme

# The pole fields each fact covers: a fact the pole or staff confirmed is not overwritten by
# a new seed.
FACT_FIELDS = {
    FactSource.Fact.NAME: ["name"],
    FactSource.Fact.CARRIER: ["carrier_structure"],
    FactSource.Fact.TERRITORY: ["territory_label", "region", "former_region"],
    FactSource.Fact.TOWN: ["town"],
    FactSource.Fact.POSITION: ["latitude", "longitude", "coordinates_approximate"],
    FactSource.Fact.MATURITY: ["maturity"],
    FactSource.Fact.DESCRIPTION: ["short_description", "description"],
}
ENTERED = (FactSource.Kind.POLE, FactSource.Kind.STAFF)


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


def load_sources() -> dict[str, Source]:
    rows = reference.sources()["documents"]
    return _sync(
        Source,
        "key",
        [
            {
                "key": row["key"],
                "kind": row["kind"],
                "title": row["title"],
                "short_title": row["short_title"],
                "publisher": row.get("publisher", ""),
                "date_label": row.get("date_label", ""),
                "url": row.get("url", ""),
                "supports": (row.get("supports") or "").strip(),
                "position": position,
            }
            for position, row in enumerate(rows, start=1)
        ],
    )


def signatory_fact_sources(row: dict) -> dict[str, dict]:
    """{fact: {"source"|"inference", "part"}} for one pole of poles.yaml: annex 3's defaults,
    the map point's rule, then the pole's own `sources:`."""
    config = reference.sources()
    facts = dict(config["signatory_defaults"])
    if not row.get("carrier_structure"):
        facts.pop(FactSource.Fact.CARRIER)
    facts[FactSource.Fact.POSITION] = (
        config["position_with_town"] if row.get("town") else config["position_without_town"]
    )
    facts.update(row.get("sources") or {})
    return facts


def _fact_source_row(pole: Pole, fact: str, spec: dict, sources: dict[str, Source]) -> FactSource:
    if "inference" in spec:
        return FactSource(
            pole=pole, fact=fact, kind=FactSource.Kind.INFERENCE, inference=spec["inference"]
        )
    source = sources[spec["source"]]
    return FactSource(
        pole=pole,
        fact=fact,
        kind=FactSource.Kind.REPORT
        if source.kind == Source.Kind.REPORT
        else FactSource.Kind.DOCUMENT,
        source=source,
        part=spec.get("part", ""),
    )


def load_signatories(themes: dict[str, Theme], sources: dict[str, Source]) -> int:
    departments = {d.code: d for d in Department.objects.select_related("region")}
    former = {r.code: r for r in Region.objects.filter(kind=Region.Kind.FORMER)}
    entered = set(FactSource.objects.filter(kind__in=ENTERED).values_list("pole__slug", "fact"))
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
            "maturity": row.get("maturity", Pole.Maturity.UNKNOWN),
            "status": Pole.Status.SIGNATORY,
            "is_published": True,
            "signatory_number": row["number"],
        }
        confirmed = {fact for slug, fact in entered if slug == row["slug"]}
        for fact in confirmed:
            for field in FACT_FIELDS.get(fact, []):
                defaults.pop(field, None)
        pole, _ = Pole.objects.update_or_create(slug=row["slug"], defaults=defaults)
        if FactSource.Fact.DEPARTMENTS not in confirmed:
            pole.departments.set(depts)
        if FactSource.Fact.THEMES not in confirmed:
            pole.themes.set([themes[slug] for slug in row.get("themes", [])])
        specs = signatory_fact_sources(row)
        # What the pole or staff entered stays; the rest is the data files' word.
        pole.fact_sources.exclude(kind__in=ENTERED).exclude(fact__in=confirmed).delete()
        rows = [
            _fact_source_row(pole, fact, spec, sources)
            for fact, spec in specs.items()
            if fact not in confirmed
        ]
        for fact_source in rows:
            fact_source.full_clean(exclude=["pole"])
        FactSource.objects.bulk_create(rows)
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
    sources = load_sources()
    n_poles = load_signatories(themes, sources)
    n_calls = load_calls()
    stdout.write(
        f"poles: {n_regions} régions, {n_departments} départements, {len(themes)} thèmes, "
        f"{len(sources)} sources, {n_poles} pôles signataires, {n_calls} appels à projets"
    )
    # Bulk writes send no signal: what was cached from the poles is rebuilt.
    versions.bump(CONTENT_VERSION)
