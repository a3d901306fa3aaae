"""The proceedings of a past day are rendered once, then served from the cache."""

from django.test import RequestFactory
from django.urls import reverse

from events import selectors
from events.models import Event, Session
from events.pdf import proceedings_cache_key
from ptce_portal.cached_documents import document_cache

SENTINEL = b"%PDF-1.7 served from the cache, not rendered"


def key_of(slug: str) -> str:
    return proceedings_cache_key(selectors.event_get(slug), request=RequestFactory().get("/"))


def test_proceedings_of_a_past_day_are_cached_and_invalidated_by_an_edit(client, day_2014):
    url = reverse("events:proceedings", args=[day_2014.slug])
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    key = key_of(day_2014.slug)
    assert document_cache().get(key) == first.content
    # The next request is a cache hit: whatever the cache holds is what is served.
    document_cache().set(key, SENTINEL)
    assert client.get(url).content == SENTINEL

    # An admin edit of what the proceedings show makes another document.
    session = Session.objects.filter(event=day_2014).order_by("order").first()
    session.title = "Ouverture (titre corrigé)"
    session.save()
    new_key = key_of(day_2014.slug)
    assert new_key != key
    edited = client.get(url)
    assert edited.content != SENTINEL and edited.content.startswith(b"%PDF")
    assert document_cache().get(new_key) == edited.content

    Event.objects.filter(pk=day_2014.pk).update(
        title="Deuxième journée nationale des PTCE (actes revus)"
    )
    assert key_of(day_2014.slug) != new_key


def test_an_unpublished_day_is_a_404_even_when_its_proceedings_are_cached(client, day_2014):
    url = reverse("events:proceedings", args=[day_2014.slug])
    assert client.get(url).status_code == 200
    key = key_of(day_2014.slug)
    assert document_cache().get(key) is not None
    Event.objects.filter(pk=day_2014.pk).update(is_published=False)
    assert client.get(url).status_code == 404


def test_proceedings_of_a_coming_day_are_not_cached(client, seeded_events):
    from datetime import timedelta

    from django.utils import timezone

    day = Event.objects.filter(is_published=True, sessions__isnull=False).distinct().first()
    Event.objects.filter(pk=day.pk).update(date=timezone.localdate() + timedelta(days=30))
    response = client.get(reverse("events:proceedings", args=[day.slug]))
    assert response.status_code == 200
    assert document_cache().get(key_of(day.slug)) is None
