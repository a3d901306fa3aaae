"""The proceedings of a past day are rendered once, when what they show changes (or by the first
request), then served from the cache."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from events import selectors
from events.models import Event, Registration, Session
from events.pdf import proceedings_cache_key, proceedings_pdf
from ptce_portal import pdf as house_pdf
from ptce_portal.cached_documents import document_cache
from tests.pdfs import assert_tagged_pdf

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


# --- Rendered when what they show changes, not by the first visitor -------------------------
# Real commits (a transactional test): the renderings run when PostgreSQL commits, as in
# production, into the documents' cache in PostgreSQL's table.


@pytest.fixture
def renderings(monkeypatch):
    """The PDFs WeasyPrint makes from now on (their HTML)."""
    made = []
    real = house_pdf._html_to_pdf

    def counting(html, *args, **kwargs):
        made.append(html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(house_pdf, "_html_to_pdf", counting)
    return made


@pytest.mark.django_db(transaction=True)
def test_an_edit_of_a_past_day_renders_its_proceedings_once_committed(
    client, day_2014, documents_in_postgresql, renderings, caplog
):
    cache = documents_in_postgresql  # empty: the seed's commit rendered into the other one
    assert cache.get(key_of(day_2014.slug)) is None
    sessions = list(Session.objects.filter(event=day_2014).order_by("order")[:3])
    with transaction.atomic():  # as the admin saves a day with its inlines
        for session in sessions:
            session.title = f"{session.title} (revu)"
            session.save()
        Event.objects.get(pk=day_2014.pk).save()
        assert renderings == []  # nothing before the commit
    # Once for the transaction, not once per row.
    assert len(renderings) == 1
    assert caplog.text.count("PDF warm-up: events.proceedings") == 1

    key = key_of(day_2014.slug)
    pdf = cache.get(key)
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert_tagged_pdf(pdf, title="Actes")

    # No request rendered it, and the first one does not either: it comes from the cache.
    response = client.get(reverse("events:proceedings", args=[day_2014.slug]))
    assert response.status_code == 200 and response.content == pdf
    assert len(renderings) == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_rendered_for_a_rolled_back_edit_nor_a_registration(day_2014, renderings):
    document_cache().clear()  # what the seed's commit rendered
    session = Session.objects.filter(event=day_2014).first()
    with pytest.raises(RuntimeError), transaction.atomic():
        session.title = "Titre annulé"
        session.save()
        raise RuntimeError
    day = Event.objects.filter(is_published=True, date__gte=timezone.localdate()).first()
    with transaction.atomic():  # the proceedings print no participant
        Registration.objects.create(
            event=day, email="camille@exemple.fr", first_name="Camille", last_name="Martin"
        )
    assert renderings == []
    assert document_cache().get(key_of(day_2014.slug)) is None


@pytest.mark.django_db(transaction=True)
def test_a_failed_rendering_after_commit_is_logged_not_raised(day_2014, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr(house_pdf, "_html_to_pdf", broken)
    session = Session.objects.filter(event=day_2014).first()
    with transaction.atomic():
        session.title = "Ouverture (titre corrigé)"
        session.save()
    assert Session.objects.get(pk=session.pk).title == "Ouverture (titre corrigé)"
    assert "PDF warm-up failed: events.proceedings" in caplog.text


def test_the_date_a_pdf_is_produced_on_does_not_make_another_document(day_2014, monkeypatch):
    event = selectors.event_get(day_2014.slug)
    produced_today = proceedings_pdf(event)
    key = key_of(day_2014.slug)
    tomorrow = timezone.localtime() + timedelta(days=1)
    monkeypatch.setattr("events.pdf.timezone.localtime", lambda *args: tomorrow)
    assert key_of(day_2014.slug) == key
    assert proceedings_pdf(event) == produced_today
