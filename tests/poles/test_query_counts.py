"""The directory, the map data and the pole pages run a number of SQL queries that does not
grow with the number of poles (40 signatories, then 2,000 poles)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from poles.apps import CONTENT_VERSION
from poles.models import CallForProjects, Pole, PoleMember
from ptce_portal import versions
from tests.poles.factories import (
    CallForProjectsFactory,
    DepartmentFactory,
    FormerRegionFactory,
    RegionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

URLS = [
    "/poles/",
    "/poles/?region=r-1&theme=t-1&q=pole",
    "/poles/?page=2",
    "/carte/",
    "/api/poles.geojson",
    "/api/poles.csv",
    "/api/poles.json",
    "/poles/pole-00001/",
]


def add_poles(start: int, stop: int, *, departments, themes, call):
    poles = Pole.objects.bulk_create(
        Pole(
            name=f"Pôle {i:05d}",
            slug=f"pole-{i:05d}",
            town="Commune",
            region=departments[i % len(departments)].region,
            former_region=departments[i % len(departments)].former_region,
            latitude=45.0 + (i % 50) / 10,
            longitude=2.0 + (i % 40) / 10,
            status=Pole.Status.SIGNATORY,
            is_published=True,
        )
        for i in range(start, stop)
    )
    Pole.departments.through.objects.bulk_create(
        Pole.departments.through(pole_id=p.pk, department_id=departments[n % 3].pk)
        for n, p in enumerate(poles)
    )
    Pole.themes.through.objects.bulk_create(
        Pole.themes.through(pole_id=p.pk, theme_id=t.pk) for p in poles for t in themes
    )
    PoleMember.objects.bulk_create(
        PoleMember(pole=p, name=f"Membre {k}", category=PoleMember.Category.ESS_ENTERPRISE)
        for p in poles
        for k in range(3)
    )
    CallForProjects.laureates.through.objects.bulk_create(
        CallForProjects.laureates.through(pole_id=p.pk, callforprojects_id=call.pk)
        for p in poles[::2]
    )
    versions.bump(CONTENT_VERSION)  # bulk_create sends no signal: bulk writers bump themselves


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_number_of_poles(client):
    region = RegionFactory(code="r-1")
    former = FormerRegionFactory(code="ex-r-1")
    departments = [DepartmentFactory(region=region, former_region=former) for _ in range(3)]
    themes = [ThemeFactory(slug="t-1"), ThemeFactory(slug="t-2")]
    call = CallForProjectsFactory()

    add_poles(1, 41, departments=departments, themes=themes, call=call)
    small = {url: count_queries(client, url) for url in URLS}

    started = time.monotonic()
    add_poles(41, 2001, departments=departments, themes=themes, call=call)
    assert Pole.objects.count() == 2000
    setup_seconds = time.monotonic() - started
    large = {url: count_queries(client, url) for url in URLS}

    print("\nqueries (40 poles / 2000 poles):", {u: (small[u], large[u]) for u in URLS})
    print(f"bulk creation of 1,960 poles: {setup_seconds:.2f}s")
    assert small == large
    # And the counts are small in absolute terms.
    assert max(large.values()) <= 15
    # Open data is built once per version of the poles, then served from the cache.
    for url in ("/api/poles.geojson", "/api/poles.csv", "/api/poles.json"):
        assert large[url] == 1 and count_queries(client, url) == 0, url


def plan(queryset) -> str:
    """The plan PostgreSQL would pick if a sequential scan were its last resort: it names an
    index only when the index matches the query's expressions."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            return queryset.explain()
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on")


def test_search_and_the_directory_order_are_served_by_indexes():
    """The folded generated columns match the search's expressions, so their trigram indexes
    serve it (no unaccent() per row and per field); the directory's first page reads the
    published poles in name order from an index."""
    from poles import selectors
    from poles.filters import search_poles

    region = RegionFactory(code="r-1")
    former = FormerRegionFactory(code="ex-r-1")
    departments = [DepartmentFactory(region=region, former_region=former) for _ in range(3)]
    add_poles(
        1, 301, departments=departments, themes=[ThemeFactory()], call=CallForProjectsFactory()
    )
    Pole.objects.filter(slug="pole-00007").update(name="Écooparc du Vivarais")
    with connection.cursor() as cursor:  # statistics, as autovacuum keeps them
        cursor.execute("ANALYZE poles_pole")

    found = search_poles(Pole.objects.all(), "ECOOPARC vivarais")
    assert list(found.values_list("name", flat=True)) == ["Écooparc du Vivarais"]
    assert "pole_search_text_trgm" in plan(found)
    typo = search_poles(Pole.objects.all(), "ecoopark")
    assert "Écooparc du Vivarais" in typo.values_list("name", flat=True)
    assert "pole_search_name_trgm" in plan(typo)
    first_page = selectors.published_poles()[:20]
    assert "pole_published_name_idx" in plan(first_page)
