"""Regression tests of the 5xx found by test_robustness.py (one per fix)."""

import pytest

pytestmark = pytest.mark.django_db


def test_referential_presentation_with_a_nul_byte_in_the_version_code(client):
    """?version=%00 reached PostgreSQL (DataError, 500); a non-slug code now shows the
    current version, like an unknown one."""
    from referential.seed import load_working_version

    version = load_working_version()
    for code in ("v1<script>", "é" * 200, "'", version.code):
        response = client.get("/referentiel/", {"version": code})
        assert response.status_code == 200
        assert response.context["version"] == version
    # NUL bytes are now refused before the view (RejectNulBytesMiddleware).
    assert client.get("/referentiel/", {"version": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("suffix", ["", "partie-1/", "resultats/", "rapport.pdf"])
def test_referential_personal_link_that_cannot_be_a_token(client, suffix):
    """A token with a NUL byte reached PostgreSQL (DataError, 500): such a token is now
    unknown ("Lien inconnu", 404); NUL bytes in URLs are refused earlier with a 400."""
    from referential.selectors import invitation_by_token

    assert invitation_by_token("\x00") is None
    assert invitation_by_token("a\x00b") is None
    for token in ("%C3%A9t%C3%A9", "x" * 65):
        response = client.get(f"/referentiel/repondre/{token}/{suffix}")
        assert response.status_code == 404
        assert "Lien inconnu" in response.content.decode()
    assert client.get(f"/referentiel/repondre/%00/{suffix}").status_code == 400
    response = client.post("/referentiel/repondre/x%C3%A9/enregistrer/", {"code": "1.1.1"})
    assert response.status_code == 404
    assert response.json()["ok"] is False


def test_events_cancel_link_that_cannot_be_a_token(client):
    """A token with a NUL byte reached PostgreSQL (DataError, 500): such a token is now
    unknown (the "link not valid" page, 404), for GET and POST."""
    from events.selectors import registration_by_token
    from tests.events.factories import EventFactory

    event = EventFactory()
    assert registration_by_token(event.slug, "a\x00b") is None
    for token in ("%C3%A9t%C3%A9", "x" * 65):
        url = f"/journees/{event.slug}/inscription/{token}/"
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


def test_nul_bytes_in_urls_get_a_french_400(client):
    """The admin's list filters passed `?kind__exact=%00` to PostgreSQL (DataError, 500);
    a NUL byte in a path or a query string is now refused before any view runs."""
    from tests.factories import StaffFactory

    for url in (
        "/charte/verifier/%00/",
        "/poles/?q=%00",
        "/poles/?%00=1",
        "/referentiel/?version=a%00",
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert "Adresse non valide" in response.content.decode()
    client.force_login(StaffFactory())
    for url in (
        "/admin/poles/region/?kind__exact=%00",
        "/admin/poles/polecoordinator/?status__exact=%00",
        "/admin/referential/assessment/?status__exact=%00",
    ):
        assert client.get(url).status_code == 400
    assert client.get("/admin/poles/region/?kind__exact=former").status_code == 200


def test_charter_signature_admin_with_an_overflowing_date_hierarchy_year(client):
    """?created_at__year=<30 digits> raised OverflowError in Django's date hierarchy (500);
    it is now an incorrect lookup: the changelist redirects with ?e=1."""
    from tests.factories import StaffFactory

    client.force_login(StaffFactory())
    url = "/admin/charter/signature/"
    for year in ("9" * 30, "99999999999"):
        response = client.get(url, {"created_at__year": year})
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")
    assert client.get(url, {"created_at__year": "2014"}).status_code == 200


def test_referential_answers_with_nul_bytes(client):
    """A question code or a comment holding a NUL byte reached PostgreSQL (DataError, 500):
    now a clear refusal (400) and no answer saved."""
    from referential.models import Answer
    from referential.seed import load_working_version
    from tests.referential.factories import AssessmentFactory, InvitationFactory

    version = load_working_version()
    invitation = InvitationFactory(assessment=AssessmentFactory(version=version))
    autosave = f"/referentiel/repondre/{invitation.token}/enregistrer/"
    response = client.post(autosave, {"code": "1.1.1\x00", "choice": "3"})
    assert response.status_code == 400
    assert "Question inconnue" in response.json()["error"]
    response = client.post(autosave, {"code": "1.1.1", "choice": "3", "comment": "a\x00b"})
    assert response.status_code == 400
    assert "caractère non valide" in response.json()["error"]
    page = f"/referentiel/repondre/{invitation.token}/partie-1/"
    response = client.post(page, {"q-1.1.1": "2", "c-1.1.2": "\x00"})
    assert response.status_code == 400
    assert not Answer.objects.filter(invitation=invitation).exists()
    assert client.post(autosave, {"code": "1.1.1", "choice": "3"}).json()["ok"] is True


def test_poles_member_formset_caps_a_forged_total_forms(client):
    """membres-TOTAL_FORMS=<30 digits> built max_num + 1000 forms (seconds of CPU per
    request); the formset now stops at its 300-member limit and says so."""
    from poles.forms import MemberFormSet
    from tests.poles.factories import PoleCoordinatorFactory

    coordination = PoleCoordinatorFactory()
    client.force_login(coordination.user)
    response = client.post(
        f"/poles/{coordination.pole.slug}/modifier/",
        {"name": "x", "membres-TOTAL_FORMS": "9" * 30, "membres-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() <= 300
    assert not formset.is_valid()
    assert MemberFormSet.absolute_max == 300
