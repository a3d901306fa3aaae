"""/ressources/: French full-text search without accents, ranking, facets with counts,
pagination and the empty state, flat query counts, the page cache."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources import selectors, services
from resources.filters import criteria_from
from tests.poles.factories import PoleFactory

from .conftest import pdf_upload, published_resource, resource_data

pytestmark = pytest.mark.django_db

LIST = reverse("resources:list")


def _titles(response) -> list[str]:
    return [r.title for r in response.context["resources"]]


def test_cooperation_finds_cooperation_with_its_accents_and_plural(client, coordinator, staff):
    published_resource(coordinator, staff, title="Les coopérations territoriales")
    published_resource(
        coordinator, staff, title="Circuits courts", summary="Légumes locaux.", body=""
    )
    for query in ("cooperation", "COOPÉRATION", "coopérations", "territoriale cooperation"):
        response = client.get(LIST, {"q": query})
        assert _titles(response) == ["Les coopérations territoriales"], query
    assert _titles(client.get(LIST, {"q": "legumes"})) == ["Circuits courts"]


def test_a_title_match_ranks_before_a_body_match(client, coordinator, staff):
    published_resource(
        coordinator,
        staff,
        title="Un guide",
        summary="Pour commencer.",
        body="Parle de mutualisation.",
    )
    published_resource(
        coordinator, staff, title="La mutualisation des emplois", summary="Emplois.", body=""
    )
    assert _titles(client.get(LIST, {"q": "mutualisation"})) == [
        "La mutualisation des emplois",
        "Un guide",
    ]


def test_drafts_and_waiting_resources_are_never_found(client, coordinator, staff):
    services.resource_create(by=coordinator, data=resource_data(title="Brouillon coopération"))
    waiting = services.resource_create(by=coordinator, data=resource_data(title="En attente"))
    services.resource_submit(resource=waiting, by=coordinator)
    response = client.get(LIST, {"q": "cooperation"})
    assert response.context["count"] == 0
    assert "Aucune ressource ne correspond à cette recherche." in html.unescape(
        response.content.decode()
    )


def test_facets_count_what_each_value_would_give(
    client, coordinator, staff, objective, version, theme
):
    lyon = PoleFactory(name="Pôle lyonnais")
    other_objective = version.principal_objectives.exclude(pk=objective.pk).first()
    published_resource(
        coordinator,
        staff,
        title="A",
        kind="tool",
        themes=[theme],
        objectives=[objective],
        poles=[lyon],
    )
    published_resource(
        coordinator, staff, title="B", kind="tool", objectives=[objective, other_objective]
    )
    published_resource(coordinator, staff, title="C", kind="experience", themes=[theme])

    facets = selectors.facets(selectors.Criteria())
    assert {(f.value, f.count) for f in facets["kinds"]} == {("tool", 2), ("experience", 1)}
    assert [(f.value, f.count) for f in facets["themes"]] == [(theme.slug, 2)]
    assert {(f.value, f.count) for f in facets["objectives"]} == {
        (str(objective.pk), 2),
        (str(other_objective.pk), 1),
    }
    assert [(f.label, f.count) for f in facets["regions"]] == [(lyon.region.name, 1)]

    # Choosing a type: the other facets follow, the type facet keeps its siblings.
    chosen = selectors.Criteria(kinds=("tool",))
    facets = selectors.facets(chosen)
    assert {(f.value, f.count, f.selected) for f in facets["kinds"]} == {
        ("tool", 2, True),
        ("experience", 1, False),
    }
    assert [(f.value, f.count) for f in facets["themes"]] == [(theme.slug, 1)]

    response = client.get(LIST, {"type": "tool", "objective": str(objective.pk)})
    assert sorted(_titles(response)) == ["A", "B"]
    response = client.get(LIST, {"region": lyon.region.code})
    assert _titles(response) == ["A"]
    response = client.get(LIST, {"theme": theme.slug, "q": "cooperation"})
    assert sorted(_titles(response)) == ["A", "C"]


def test_malformed_parameters_are_dropped_never_an_error(client, coordinator, staff):
    published_resource(coordinator, staff)
    response = client.get(
        LIST, {"type": "film", "objective": "abc", "region": "x" * 500, "page": "zz"}
    )
    assert response.status_code == 200
    assert criteria_from(response.wsgi_request.GET).kinds == ()
    # Empty parameters leave the address.
    response = client.get(LIST, {"q": "", "type": "tool"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?type=tool"


def test_the_empty_centre_says_so(client):
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Aucune ressource publiée pour l'instant." in html.unescape(response.content.decode())


def test_pagination_keeps_the_query(client, coordinator, staff):
    for n in range(23):
        published_resource(coordinator, staff, title=f"Coopération {n}")
    response = client.get(LIST, {"q": "cooperation"})
    assert response.context["count"] == 23 and len(response.context["resources"]) == 20
    assert "?q=cooperation&amp;page=2" in response.content.decode()
    assert len(client.get(LIST, {"q": "cooperation", "page": 2}).context["resources"]) == 3


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_query_counts_stay_flat(client, coordinator, staff, objective, theme):
    def add(n):
        for i in range(n):
            resource = published_resource(
                coordinator,
                staff,
                title=f"Coopération {i}",
                themes=[theme],
                objectives=[objective],
                poles=[PoleFactory()],
            )
            services.attachment_add(resource=resource, by=staff, uploads=[pdf_upload()])

    add(2)
    resource = selectors.published().first()
    counts_small = (
        _queries(client, LIST),
        _queries(client, LIST, {"q": "cooperation", "theme": theme.slug}),
        _queries(client, resource.get_absolute_url()),
    )
    add(8)
    counts_large = (
        _queries(client, LIST),
        _queries(client, LIST, {"q": "cooperation", "theme": theme.slug}),
        _queries(client, resource.get_absolute_url()),
    )
    assert counts_small == counts_large
    assert max(counts_large) <= 12


def test_anonymous_pages_come_from_the_cache_until_a_publication(client, coordinator, staff):
    published_resource(coordinator, staff, title="Première")
    assert _titles(client.get(LIST)) == ["Première"]
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(LIST)
    assert cached.status_code == 200 and len(queries) == 0
    published_resource(coordinator, staff, title="Seconde")
    response = client.get(LIST)
    assert "Seconde" in response.content.decode()


def test_a_resource_page_shows_its_files_its_poles_and_licence(
    client, coordinator, staff, pole, objective
):
    resource = published_resource(
        coordinator, staff, poles=[pole], objectives=[objective], licence="cc-by-sa-4.0"
    )
    services.attachment_add(resource=resource, by=staff, uploads=[pdf_upload("guide.pdf")])
    page = html.unescape(client.get(resource.get_absolute_url()).content.decode())
    assert "guide.pdf" in page and resource.attachments.get().get_absolute_url() in page
    assert pole.name in page and pole.get_absolute_url() in page
    assert "CC BY-SA 4.0" in page and objective.title in page


def test_the_home_page_shows_the_latest_resources_once_one_is_published(client, coordinator, staff):
    assert "Chercher une ressource" not in client.get("/").content.decode()
    published_resource(coordinator, staff, title="Première ressource publiée")
    page = client.get("/").content.decode()
    assert "Chercher une ressource" in page and "Première ressource publiée" in page
