"""The reference data shipped in poles/data/ and the seed built from it."""

import io

import pytest

from poles import reference, seed
from poles.models import CallForProjects, Department, Pole, Region, is_in_france

# The 40 stable slugs of poles/data/poles.yaml, in the order of Annex 3.
_TEAM_SLUGS = (
    "ecooparc ptce-sud-aquitain le-damier la-coursive-boutaric eclis coopaxis ardaines cis-dt52 "
    "clus-ter-jura poles-noe ptce-cooperative-des-lacs-de-l-essonne fontaine-o-livres paris-mix "
    "resto-passerelle phares projet-99-200 cergy-pontoise-confluence-seine-et-oise "
    "de-fil-en-reseaux florange-e2i le-periscope le-multiple "
    "ptce-en-emergence-autour-des-fermes-de-figeac pole-tarnais-de-cooperation-economique "
    "lille-metropole-solidaire pole-alpilles-montagnette bou-sol "
    "ptce-filieres-locales-d-eco-materiaux ptce-oser-reso ptce-pays-d-ancenis ptce-nola "
    "les-ecossolies-le-solilab ptce-pays-de-bray ptce-musiques-actuelles-deux-sevres "
    "ptce-niortais domb-innov pole-sud innovales pole-entrepreneurs-solidaires-en-centre-isere "
    "ptce-ulisse-soleni culture-cooperation"
)
TEAM_SLUGS = _TEAM_SLUGS.split()

# Annex 3 of the seed: number -> (former region as written, departments column as written).
ANNEX_REGIONS = {
    1: "Alsace", 2: "Aquitaine", 3: "Auvergne", 4: "Bourgogne", 5: "Bretagne", 6: "Centre",
    7: "Champagne-Ardenne", 8: "Champagne-Ardenne", 9: "Franche-Comté",
    **dict.fromkeys(range(10, 18), "Île-de-France"), 18: "Limousin", 19: "Lorraine",
    **dict.fromkeys(range(20, 24), "Midi-Pyrénées"), 24: "Nord-Pas-de-Calais",
    **dict.fromkeys(range(25, 29), "Provence-Alpes-Côte d'Azur"),
    **dict.fromkeys(range(29, 32), "Pays de la Loire"), 32: "Picardie",
    33: "Poitou-Charentes", 34: "Poitou-Charentes", **dict.fromkeys(range(35, 41), "Rhône-Alpes"),
}  # fmt: skip
ANNEX_DEPARTMENTS = {
    1: ["68"], 2: ["40", "64"], 3: ["63"], 4: ["21"], 5: ["22"], 6: ["37"], 7: ["08"],
    8: ["52"], 9: ["39"], 10: ["91"], 11: ["91"], 12: ["75", "93"], 13: ["75"], 14: ["93"],
    15: ["93"], 16: ["93"], 17: ["95"], 18: ["23"], 19: ["57"], 20: ["31"], 21: ["31"],
    22: ["46"], 23: ["81"], 24: ["59"], 25: ["13"], 26: ["13"], 27: ["05", "04"], 28: ["84"],
    29: ["44"], 30: ["44"], 31: ["44"], 32: ["60"], 33: ["79"], 34: ["79"], 35: ["01"],
    36: ["26"], 37: ["74"], 38: ["38"], 39: ["38"], 40: ["42"],
}  # fmt: skip


def test_every_department_is_there_once():
    rows = reference.departments()
    codes = [row["code"] for row in rows]
    assert len(rows) == 101
    assert len(set(codes)) == 101
    metropolitan = [c for c in codes if len(c) == 2]
    assert len(metropolitan) == 96
    assert {"2A", "2B"} <= set(codes) and "20" not in codes
    assert sorted(c for c in codes if len(c) == 3) == ["971", "972", "973", "974", "976"]


def test_every_chef_lieu_lies_in_france():
    outside = [
        (row["code"], row["chef_lieu"])
        for row in reference.departments()
        if not is_in_france(row["latitude"], row["longitude"])
    ]
    assert outside == []


def test_chef_lieu_coordinates_are_plausible_for_some_known_towns():
    by_code = {row["code"]: row for row in reference.departments()}
    for code, (lat, lon) in {
        "75": (48.86, 2.35),
        "13": (43.30, 5.37),
        "29": (48.00, -4.10),
        "2A": (41.93, 8.74),
        "974": (-20.88, 55.45),
    }.items():
        assert abs(by_code[code]["latitude"] - lat) < 0.05
        assert abs(by_code[code]["longitude"] - lon) < 0.05


def test_regions_current_and_former():
    rows = reference.regions()
    current = [r for r in rows if r["kind"] == "current"]
    former = [r for r in rows if r["kind"] == "former"]
    assert len(current) == 18  # 13 metropolitan + 5 overseas
    assert len(former) == 27  # 22 metropolitan + 5 overseas
    department_regions = {row["region"] for row in reference.departments()}
    department_former = {row["former_region"] for row in reference.departments()}
    assert department_regions == {r["code"] for r in current}
    assert department_former == {r["code"] for r in former}


def test_region_sizes():
    counts = {}
    for row in reference.departments():
        counts[row["region"]] = counts.get(row["region"], 0) + 1
    assert counts["auvergne-rhone-alpes"] == 12
    assert counts["nouvelle-aquitaine"] == 12
    assert counts["occitanie"] == 13
    assert counts["grand-est"] == 10
    assert counts["ile-de-france"] == 8
    assert counts["corse"] == 2


def test_signatories_data_file_matches_annex_3():
    rows = reference.signatory_poles()
    assert [row["number"] for row in rows] == list(range(1, 41))
    assert [row["slug"] for row in rows] == TEAM_SLUGS
    former_names = {r["code"]: r["name"] for r in reference.regions() if r["kind"] == "former"}
    for row in rows:
        assert former_names[row["former_region"]] == ANNEX_REGIONS[row["number"]], row["slug"]
        assert row["departments"] == ANNEX_DEPARTMENTS[row["number"]], row["slug"]
        if "latitude" in row:
            assert is_in_france(row["latitude"], row["longitude"]), row["slug"]
            # A town has its source: the report, a public document or a marked inference.
            assert row["town"] and "town" in (row.get("sources") or {}), row["slug"]


@pytest.mark.django_db
def test_seed_loads_everything_and_is_idempotent():
    out = io.StringIO()
    seed.run(stdout=out)
    assert "40 pôles signataires" in out.getvalue()
    first = {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "poles": Pole.objects.count(),
        "calls": CallForProjects.objects.count(),
        "links": Pole.departments.through.objects.count(),
        "laureates": CallForProjects.laureates.through.objects.count(),
    }
    seed.run(stdout=io.StringIO())
    second = {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "poles": Pole.objects.count(),
        "calls": CallForProjects.objects.count(),
        "links": Pole.departments.through.objects.count(),
        "laureates": CallForProjects.laureates.through.objects.count(),
    }
    assert first == second
    assert first["regions"] == 45 and first["departments"] == 101 and first["poles"] == 40


@pytest.mark.django_db
def test_seeded_poles(seeded_poles):
    poles = Pole.objects.filter(status=Pole.Status.SIGNATORY, is_published=True)
    assert poles.count() == 40
    sud = Pole.objects.get(slug="ptce-sud-aquitain")
    assert sorted(d.code for d in sud.departments.all()) == ["40", "64"]
    assert sud.territory_label == "Landes, Pays Basque"
    assert sud.carrier_structure == "CBE du Seignanx"
    assert sud.region.code == "nouvelle-aquitaine" and sud.former_region.name == "Aquitaine"
    eco = Pole.objects.get(slug="ptce-filieres-locales-d-eco-materiaux")
    assert sorted(d.code for d in eco.departments.all()) == ["04", "05"]
    assert eco.carrier_structure == "Comité d'Expansion 05"
    # A pole without a known town sits on its department's chef-lieu, flagged approximate.
    damier = Pole.objects.get(slug="le-damier")
    assert (damier.latitude, damier.longitude) == (45.78, 3.08)
    assert damier.coordinates_approximate and damier.town == ""
    for pole in poles:
        assert is_in_france(pole.latitude, pole.longitude), pole.slug
    described = Pole.objects.exclude(description="").values_list("slug", flat=True)
    assert set(described) >= {
        "domb-innov",
        "la-coursive-boutaric",
        "ptce-pays-de-bray",
        "ptce-sud-aquitain",
        "lille-metropole-solidaire",
        "culture-cooperation",
        "les-ecossolies-le-solilab",
        "pole-sud",
    }


@pytest.mark.django_db
def test_calls_and_named_laureates_only(seeded_poles):
    first = CallForProjects.objects.get(slug="aap-ptce-2013")
    assert (first.applications_count, first.laureates_count, first.total_amount) == (
        180,
        23,
        3_000_000,
    )
    assert set(first.laureates.values_list("slug", flat=True)) == {
        "pole-sud",
        "ptce-pays-de-bray",
        "la-coursive-boutaric",
        "clus-ter-jura",
        "phares",
    }
    second = CallForProjects.objects.get(slug="aap-ptce-2015")
    assert second.year == 2015 and second.laureates_count == 14
    assert list(second.laureates.values_list("slug", flat=True)) == ["bou-sol"]
    assert "183" in first.source and "182" in first.source


@pytest.mark.django_db
def test_seed_restores_changed_reference_rows(seeded_poles):
    Department.objects.filter(code="44").update(name="Loire-Inférieure", latitude=0)
    Pole.objects.filter(slug="pole-sud").update(name="Autre nom")
    seed.run(stdout=io.StringIO())
    department = Department.objects.get(code="44")
    assert (department.name, department.latitude) == ("Loire-Atlantique", 47.22)
    assert Pole.objects.get(slug="pole-sud").name == "Pôle Sud"


def _km(lat1, lon1, lat2, lon2) -> float:
    from math import asin, cos, radians, sin, sqrt

    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6371 * asin(sqrt(a))


def test_chefs_lieux_sit_near_the_rest_of_their_region():
    """Catches swapped or mistyped coordinates: every chef-lieu is within 350 km of the
    average of its region's chefs-lieux."""
    by_region: dict[str, list[dict]] = {}
    for row in reference.departments():
        by_region.setdefault(row["region"], []).append(row)
    for region, rows in by_region.items():
        lat = sum(r["latitude"] for r in rows) / len(rows)
        lon = sum(r["longitude"] for r in rows) / len(rows)
        for row in rows:
            assert _km(lat, lon, row["latitude"], row["longitude"]) < 350, (region, row["code"])


def test_pole_towns_lie_in_their_department():
    """A pole's town is within 110 km of its first department's chef-lieu."""
    departments = {row["code"]: row for row in reference.departments()}
    for pole in reference.signatory_poles():
        if "latitude" not in pole:
            continue
        first = departments[pole["departments"][0]]
        distance = _km(pole["latitude"], pole["longitude"], first["latitude"], first["longitude"])
        assert distance < 110, (pole["slug"], round(distance))
