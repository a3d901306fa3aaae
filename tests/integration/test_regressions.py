"""Regression tests of the 5xx found by test_robustness.py (one per fix)."""

import pytest

pytestmark = pytest.mark.django_db


def test_referential_presentation_with_a_nul_byte_in_the_version_code(client):
    """?version=%00 reached PostgreSQL (DataError, 500); a non-slug code now shows the
    current version, like an unknown one."""
    from referential.seed import load_working_version

    version = load_working_version()
    for code in ("\x00", "a\x00b", "v1<script>", version.code):
        response = client.get("/referentiel/", {"version": code})
        assert response.status_code == 200
        assert response.context["version"] == version


@pytest.mark.parametrize("suffix", ["", "partie-1/", "resultats/", "rapport.pdf"])
def test_referential_personal_link_with_a_nul_byte(client, suffix):
    """/referentiel/repondre/%00/ reached PostgreSQL (DataError, 500): now "Lien inconnu"."""
    response = client.get(f"/referentiel/repondre/%00/{suffix}")
    assert response.status_code == 404
    assert "Lien inconnu" in response.content.decode()
    response = client.post("/referentiel/repondre/a%00b/enregistrer/", {"code": "1.1.1"})
    assert response.status_code == 404
    assert response.json()["ok"] is False


def test_events_cancel_link_with_a_nul_byte(client):
    """/journees/<slug>/inscription/%00/ reached PostgreSQL (DataError, 500): now the
    "link not valid" page (404), for GET and POST."""
    from tests.events.factories import EventFactory

    event = EventFactory()
    for token in ("%00", "a%00b", "%C3%A9t%C3%A9"):
        url = f"/journees/{event.slug}/inscription/{token}/"
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
