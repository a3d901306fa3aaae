"""A proposed pole named like a published or pending one (up to case, accents and spacing) is
flagged to the person proposing it and to staff: on /poles/proposer/, in staff's e-mail, the
admin's requests and the regional moderation queue (one helper:
poles.selectors.poles_with_same_name / poles_with_same_names)."""

import html

import pytest
from django.test import Client

from poles import services
from poles.models import Pole, PoleCoordinator, RegionalCoordination
from tests.factories import UserFactory, activate_totp
from tests.poles.factories import DepartmentFactory, PoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def baronnies(db):
    return PoleFactory(name="Pôle des Baronnies", slug="pole-des-baronnies")


def proposal(department, **overrides) -> dict:
    return {
        "name": "pole des  BARONNIES",
        "short_description": "Un pôle de test.",
        "town": "Nyons",
        "maturity": "project",
        "departments": [department.pk],
        "message": "Je le coordonne.",
        **overrides,
    }


def test_the_proposal_form_flags_a_pole_of_the_same_name(
    client, baronnies, staff, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAIL = ""
    client.force_login(UserFactory())
    data = proposal(baronnies.departments.get())
    response = client.post("/poles/proposer/", data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "un pôle s'appelle déjà « pole des BARONNIES »" in page
    assert 'href="/poles/pole-des-baronnies/coordonner/"' in page  # claim it instead
    assert 'type="checkbox" name="same_name_confirmed"' in page
    assert Pole.objects.count() == 1 and not mailoutbox

    # « C'est un autre pôle » : proposed, and staff are told it may be a duplicate.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/poles/proposer/", {**data, "same_name_confirmed": "on"})
    assert response.status_code == 302
    assert Pole.objects.filter(is_published=False).count() == 1
    to_staff = next(m for m in mailoutbox if m.to == [staff.email])
    assert "Doublon possible" in to_staff.body and "Pôle des Baronnies (publié)" in to_staff.body


def test_a_pending_proposal_counts_and_another_name_goes_straight_through(client, baronnies):
    user = UserFactory()
    department = baronnies.departments.get()
    services.pole_propose(user=user, name="Pôle du Diois", departments=[department])
    client.force_login(UserFactory())
    page = html.unescape(
        client.post("/poles/proposer/", proposal(department, name="Pole du diois")).content.decode()
    )
    assert "attend la validation de l'équipe" in page
    response = client.post("/poles/proposer/", proposal(department, name="Pôle du Vercors"))
    assert response.status_code == 302
    # A refused, unpublished proposal is no longer a pole of that name.
    PoleCoordinator.objects.filter(pole__name="Pôle du Vercors").update(status="refused")
    response = client.post("/poles/proposer/", proposal(department, name="Pôle du Vercors"))
    assert response.status_code == 302


def test_staff_see_possible_duplicates_in_the_admin(staff_client, baronnies):
    proposed = services.pole_propose(
        user=UserFactory(), name="POLE DES BARONNIES", departments=[baronnies.departments.get()]
    )
    claim = PoleCoordinator.objects.get(pole=proposed)
    listing = html.unescape(
        staff_client.get("/admin/poles/polecoordinator/?status__exact=requested").content.decode()
    )
    assert "Doublons possibles" in listing
    assert f'href="/admin/poles/pole/{baronnies.pk}/change/">Pôle des Baronnies</a> (publié)' in (
        listing
    )
    card = html.unescape(
        staff_client.get(f"/admin/poles/polecoordinator/{claim.pk}/change/").content.decode()
    )
    assert "Pôle des Baronnies</a> (publié)" in card


def test_the_admin_list_of_requests_does_not_grow_in_queries(staff_client, baronnies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    department = baronnies.departments.get()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            staff_client.get("/admin/poles/polecoordinator/")
        return len(ctx)

    services.pole_propose(user=UserFactory(), name="Pôle des Baronnies", departments=[department])
    one = queries()
    for k in range(5):
        services.pole_propose(user=UserFactory(), name=f"Pôle {k}", departments=[department])
    assert queries() == one


def test_the_regional_queue_flags_a_proposal_of_the_same_name(baronnies):
    proposed = services.pole_propose(
        user=UserFactory(), name="Pôle des Baronnies", departments=[baronnies.departments.get()]
    )
    moderator = UserFactory()
    RegionalCoordination.objects.create(user=moderator, region=proposed.region)
    activate_totp(moderator)
    client = Client()
    client.force_login(moderator)
    page = html.unescape(client.get("/moderation-regionale/").content.decode())
    assert "nouveau pôle proposé, non publié" in page
    assert "Doublons possibles" in page
    assert 'href="/poles/pole-des-baronnies/">Pôle des Baronnies</a> (publié)' in page


def test_the_helper_ignores_case_accents_and_spacing(baronnies):
    from poles.selectors import poles_with_same_name

    DepartmentFactory()
    assert poles_with_same_name("  pole   des baronnies ") == [baronnies]
    assert poles_with_same_name("Pôle des Baronnies", exclude_pk=baronnies.pk) == []
    assert poles_with_same_name("Pôle des Baronnies du Sud") == []
