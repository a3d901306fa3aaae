"""Finding poles: the search box knows the territory (department codes and names, current
and 2014 regions, towns and chefs-lieux); the departments follow the chosen region; an
empty result says which filters contradict; active filters are removable chips; empty
parameters leave the address."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from poles.models import Pole

pytestmark = pytest.mark.django_db


def departments_found(client, **params) -> set[str]:
    response = client.get("/poles/", params)
    assert response.status_code == 200
    slugs = [pole.slug for pole in response.context["poles"]]
    return set(Pole.objects.filter(slug__in=slugs).values_list("departments__code", flat=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("44", {"44"}),  # Loire-Atlantique by its code
        ("loire-atlantique", {"44"}),
        ("Occitanie", {"31", "46", "81"}),  # the current region
        ("occitanie haute-garonne", {"31"}),
        ("Midi-Pyrénées", {"31", "46", "81"}),  # the 2014 region, accents optional
        ("midi pyrenees", {"31", "46", "81"}),
        ("Toulouse", {"31"}),  # Haute-Garonne's chef-lieu
    ],
)
def test_search_knows_the_territory(client, seeded_poles, query, expected):
    assert departments_found(client, q=query) == expected


def test_auvergne_finds_the_poles_of_auvergne(client, seeded_poles):
    found = departments_found(client, q="Auvergne")
    assert "63" in found  # the 2014 region Auvergne (Puy-de-Dôme)
    # Auvergne-Rhône-Alpes contains the word too: nothing outside that current region.
    regions = set(
        Pole.objects.filter(departments__code__in=found).values_list("region__code", flat=True)
    )
    assert regions == {"auvergne-rhone-alpes"}


def test_a_department_code_matches_that_department_only(client, seeded_poles):
    response = client.get("/poles/", {"q": "93"})
    in_93 = Pole.objects.filter(is_published=True, departments__code="93")
    assert {p.slug for p in in_93} <= {p.slug for p in response.context["poles"]}
    assert departments_found(client, q="2A") == set()  # Corse-du-Sud: no pole seeded


def test_several_departments_with_checkboxes(client, seeded_poles):
    response = client.get("/poles/", [("departement", "44"), ("departement", "31")])
    assert response.context["count"] == 5
    html = response.content.decode()
    assert 'type="checkbox" name="departement" value="44"' in html
    assert 'value="31" id="id_departement_' in html
    assert '<select name="departement"' not in html


def test_the_department_list_follows_the_region(client, seeded_poles):
    html = client.get("/poles/", {"region": "occitanie"}).content.decode()
    assert "Haute-Garonne (31)" in html and "Loire-Atlantique (44)" not in html
    assert 'data-region="occitanie"' in html
    # A department already ticked stays in the list (and the page explains the conflict).
    response = client.get("/poles/", {"region": "occitanie", "departement": "44"})
    html = response.content.decode()
    assert 'value="44"' in html and "checked" in html
    all_of_them = client.get("/poles/").content.decode()
    assert "Loire-Atlantique (44)" in all_of_them and "Haute-Garonne (31)" in all_of_them


def test_an_empty_result_says_which_filters_contradict(client, seeded_poles):
    response = client.get("/poles/", {"region": "occitanie", "departement": "44"})
    assert response.context["count"] == 0
    html = response.content.decode()
    assert "Ces filtres se contredisent" in html
    assert "Loire-Atlantique (44) n&#x27;est pas dans la région Occitanie." in html
    assert "sans « Région : Occitanie », 3 pôles" in html
    assert "sans « Départements : Loire-Atlantique (44) », 4 pôles" in html
    assert 'href="/poles/?departement=44"' in html  # remove the region
    response = client.get("/poles/", {"region": "occitanie", "ancienne_region": "ex-bretagne"})
    assert "L&#x27;ancienne région Bretagne ne fait pas partie de la région Occitanie." in (
        response.content.decode()
    )


def test_active_filters_are_removable_chips(client, seeded_poles):
    response = client.get(
        "/poles/",
        [("q", "pôle"), ("theme", "eco-activites"), ("departement", "44"), ("departement", "31")],
    )
    chips = response.context["chips"]
    assert [(c["label"], c["value"]) for c in chips] == [
        ("Rechercher", "« pôle »"),
        ("Département", "Loire-Atlantique (44)"),
        ("Département", "Haute-Garonne (31)"),
        ("Thème", chips[3]["value"]),
    ]
    # Removing one department keeps the other and every other filter.
    assert chips[1]["querystring"] == "q=p%C3%B4le&theme=eco-activites&departement=31"
    html = response.content.decode()
    assert 'class="chip"' in html and "(retirer ce filtre)" in html
    assert "Tout effacer" in html


def test_empty_parameters_leave_the_address(client, seeded_poles):
    response = client.get("/poles/?q=&region=occitanie&ancienne_region=&departement=&theme=&page=")
    assert response.status_code == 302
    assert response["Location"] == "/poles/?region=occitanie"
    response = client.get("/poles/?q=&region=")
    assert response["Location"] == "/poles/"
    response = client.get("/carte/?q=+&region=occitanie")
    assert response["Location"] == "/carte/?region=occitanie"


def test_directory_query_count_is_flat(client, seeded_poles):
    params = {"q": "occitanie", "region": "occitanie"}
    with CaptureQueriesContext(connection) as one:
        client.get("/poles/", {**params, "departement": "31"})
    with CaptureQueriesContext(connection) as many:
        client.get("/poles/", {**params, "departement": ["31", "46", "81"]})
    assert len(many) == len(one)
    # The empty result's explanations: one count per active filter, no more.
    with CaptureQueriesContext(connection) as empty:
        client.get("/poles/", {"region": "occitanie", "departement": "44"})
    with CaptureQueriesContext(connection) as empty_more:
        client.get("/poles/", {"region": "occitanie", "departement": ["44", "85", "56"]})
    assert len(empty_more) == len(empty)
