"""Anonymous pages from the shared page cache (ptce_portal.page_cache): served without a query
when nothing changed, built again after an edit of what they show, never given to a signed-in
visitor, never holding a signed-in visitor's page, a CSRF token or a message."""

import gzip

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.models import Signature
from events.models import Event
from poles.models import Pole
from referential.models import ReferentialVersion
from tests.admin_forms import admin_form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/poles/",
    "/poles/?q=solidaire",
    "/poles/ecooparc/",
    "/carte/",
    "/charte/",
    "/charte/signataires/",
    "/referentiel/",
    "/journees/",
    "/journees/journee-nationale-2014/",
]


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_page_is_served_from_the_cache_the_second_time(client, seeded_portal, url):
    first, _ = get(client, url)
    assert first.status_code == 200
    second, queries = get(client, url)
    assert queries == 0
    assert second.content == first.content
    assert second.status_code == 200 and second["ETag"] == first["ETag"]
    assert not second.cookies and not first.cookies
    assert b"csrfmiddlewaretoken" not in second.content
    assert "Cookie" in second["Vary"] and "private" in second["Cache-Control"]


def test_a_revalidation_gets_304_and_gzip_when_accepted(client, seeded_portal):
    first, _ = get(client, "/poles/")
    response, queries = get(client, "/poles/", If_None_Match=first["ETag"])
    assert response.status_code == 304 and queries == 0
    compressed, _ = get(client, "/poles/", Accept_Encoding="gzip, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == first.content
    assert compressed["ETag"] != first["ETag"]  # one tag per encoding…
    again, _ = get(client, "/poles/", If_None_Match=compressed["ETag"], Accept_Encoding="gzip")
    assert again.status_code == 304  # …both revalidate


def test_a_staff_edit_of_a_pole_changes_the_next_pages_and_files(
    client, staff_client, seeded_portal
):
    pole = Pole.objects.get(slug="ecooparc")
    urls = ["/poles/?q=ecooparc", "/poles/ecooparc/", "/api/poles.geojson", "/api/poles.csv"]
    for url in urls:  # warm
        assert pole.name.encode() in client.get(url).content or url.endswith(".csv")
    url = f"/admin/poles/pole/{pole.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["name"] = "Écooparc renommé par l’équipe"
    assert staff_client.post(url, data).status_code == 302
    for url in urls:
        body = client.get(url).content.decode("utf-8-sig")
        assert "Écooparc renommé par l’équipe" in body, url


def test_a_signature_a_day_and_a_referential_version_change_their_pages(client, seeded_portal):
    for url in PAGES:
        client.get(url)
    signature = Signature.objects.filter(status=Signature.Status.VALIDATED).first()
    signature.representative_first_name = "Prénom-Changé"
    signature.save()
    _, queries = get(client, "/charte/signataires/")
    assert queries > 0
    _, queries = get(client, "/referentiel/")
    assert queries == 0  # the referential did not change
    event = Event.objects.get(slug="journee-nationale-2014")
    event.title = "Deuxième journée, titre changé"
    event.save()
    assert "titre changé" in client.get("/journees/journee-nationale-2014/").content.decode()
    version = ReferentialVersion.objects.first()
    version.save()
    _, queries = get(client, "/referentiel/")
    assert queries > 0


def test_a_signed_in_visitor_never_gets_the_cached_anonymous_page(client, seeded_portal):
    anonymous = client.get("/poles/ecooparc/").content.decode()
    assert "Se connecter" in anonymous
    member = Client()
    member.force_login(UserFactory(email="lecteur@exemple.org"))
    response, queries = get(member, "/poles/ecooparc/")
    body = response.content.decode()
    assert queries > 0 and "Mon espace" in body and "Se connecter" not in body
    assert "ETag" not in response


def test_an_anonymous_visitor_never_gets_a_signed_in_page(client, seeded_portal):
    member = Client()
    member.force_login(UserFactory(email="lecteur@exemple.org"))
    assert "Mon espace" in member.get("/poles/").content.decode()  # rendered, not stored
    response, queries = get(client, "/poles/")
    assert queries > 0
    assert "Se connecter" in response.content.decode()
    assert "Mon espace" not in response.content.decode()


def test_a_visitor_with_a_session_or_a_message_gets_a_fresh_page(client, seeded_portal):
    client.get("/charte/")
    for cookie in ("sessionid", "messages"):
        visitor = Client()
        visitor.cookies[cookie] = "x"
        _, queries = get(visitor, "/charte/")
        assert queries > 0, cookie
    visitor = Client()
    visitor.cookies["csrftoken"] = "x" * 32  # a CSRF cookie alone is no one's data
    _, queries = get(visitor, "/charte/")
    assert queries == 0


def test_a_page_with_a_csrf_token_is_not_stored(client, seeded_portal):
    """The registration form of an open day carries a token: never cached (not marked);
    the language switch of every page needs none."""
    url = reverse("account_login")
    first = client.get(url)
    assert b"csrfmiddlewaretoken" in first.content and first.cookies
    assert "ETag" not in first
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/charte/"})
    assert response.status_code == 302
    english = client.get("/charte/").content.decode()
    assert 'lang="en"' in english
    french = Client().get("/charte/").content.decode()
    assert 'lang="fr"' in french
