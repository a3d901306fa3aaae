"""The new pole's address on the signing route: a failed lookup (no match, or the national
address API down) is shown to the person, who chooses to place the pole at the chef-lieu
meanwhile; staff's card says the lookup failed. Served by the local stand-in of the address
API (tests/poles/address_api.py), never the real one."""

import html

import pytest

from charter.models import Signature
from poles.models import Pole
from tests.poles.factories import DepartmentFactory

from .conftest import form_data
from .factories import UserFactory

pytestmark = pytest.mark.django_db

CHOICE = "Placer le pôle au chef-lieu du département (Cahors) en attendant"


@pytest.fixture
def lot(db):
    return DepartmentFactory(
        code="46", name="Lot", chef_lieu="Cahors", latitude=44.45, longitude=1.44
    )


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("town", "said", "failure"),
    [
        (
            "Villeinconnue",
            "« 12 rue de la Coopération 46100 Villeinconnue » n'a pas été trouvée",
            Pole.LocationFailure.NOT_FOUND,
        ),
        ("panne", "ne répond pas", Pole.LocationFailure.UNAVAILABLE),
    ],
)
def test_a_failed_lookup_is_shown_and_the_chef_lieu_is_a_choice(
    client,
    charter_version,
    staff,
    lot,
    address_api,
    town,
    said,
    failure,
):
    user = UserFactory()
    client.force_login(user)
    data = form_data(
        user,
        new_pole_name="Pôle des Causses",
        new_pole_department=lot.pk,
        pole_postcode="46100",
        pole_town=town,
    )
    # Before the preview: the warning beside the address, and the explicit choice.
    response = client.post("/charte/signer/", {**data, "action": "preview"})
    assert response.status_code == 422
    page = _page(response)
    assert said in page
    assert 'type="checkbox" name="accept_approximate"' in page and CHOICE in page
    assert not Pole.objects.exists() and not Signature.objects.exists()

    # The preview after the choice says where the pole will stand; confirming signs.
    data["accept_approximate"] = "on"
    page = _page(client.post("/charte/signer/", {**data, "action": "preview"}))
    assert "Relisez la charte remplie" in page
    assert "placé pour l'instant au chef-lieu de son département" in page
    response = client.post("/charte/signer/", {**data, "action": "confirm"})
    assert response.status_code == 302
    pole = Signature.objects.select_related("pole").get().pole
    assert (pole.latitude, pole.longitude, pole.coordinates_approximate) == (44.45, 1.44, True)
    assert pole.location_failure == failure

    # Staff's card and the confirmation warn that the lookup failed.
    client.force_login(staff)
    page = _page(client.get("/charte/validation/"))
    assert "La recherche de l'adresse a échoué" in page
    assert pole.get_location_failure_display() in page
    signature = Signature.objects.get()
    page = _page(
        client.post(f"/charte/validation/{signature.verification_code}/", {"action": "validate"})
    )
    assert "La recherche de l'adresse a échoué" in page
    # The poles to check, in the admin's list.
    listing = _page(client.get(f"/admin/poles/pole/?location_failure__exact={failure.value}"))
    assert "Pôle des Causses" in listing


def test_a_failure_at_confirmation_shows_the_form_again(
    client,
    charter_version,
    lot,
    address_api,
):
    """The preview was shown (say the lookup then worked) and the API fails on confirming:
    the form comes back with the warning and the choice; nothing is saved."""
    user = UserFactory()
    client.force_login(user)
    data = form_data(
        user, new_pole_name="Pôle des Causses", new_pole_department=lot.pk, pole_town="panne"
    )
    response = client.post("/charte/signer/", {**data, "action": "confirm"})
    assert response.status_code == 422
    page = _page(response)
    assert "ne répond pas" in page and CHOICE in page
    assert not Signature.objects.exists() and not Pole.objects.exists()


def test_a_found_address_goes_straight_to_the_preview(
    client,
    charter_version,
    lot,
    address_api,
):
    user = UserFactory()
    client.force_login(user)
    data = form_data(
        user,
        new_pole_name="Pôle de Figeac",
        new_pole_department=lot.pk,
        pole_address="",
        pole_postcode="",
        pole_town="Figeac",
    )
    page = _page(client.post("/charte/signer/", {**data, "action": "preview"}))
    assert (
        "Relisez la charte remplie" in page
        and "accept_approximate" not in page.split("confirm-form", 1)[0]
    )
    client.post("/charte/signer/", {**data, "action": "confirm"})
    pole = Signature.objects.get().pole
    assert (pole.latitude, pole.location_failure) == (44.608611, "")
    assert address_api.queries  # the stand-in answered, not the network


def test_staff_are_told_when_the_declared_address_of_an_existing_pole_is_not_found(
    client, charter_version, coordinator, staff, address_api
):
    """An existing pole's new address, typed in the signature, is looked up when staff
    validate (it fills the pole's page then): a failure is said to them at once."""
    from charter import services

    from .conftest import signature_data

    pole = coordinator.coordinated_pole
    signature = services.signature_submit(
        user=coordinator,
        data=signature_data(coordinator, pole_town="Villeinconnue"),
        pole=pole,
    )
    client.force_login(staff)
    response = client.post(
        f"/charte/validation/{signature.verification_code}/",
        {"action": "validate", "confirmed": "1"},
        follow=True,
    )
    page = _page(response)
    assert "validée" in page
    assert "La recherche de l'adresse déclarée a échoué (adresse introuvable" in page
    pole.refresh_from_db()
    assert pole.location_failure == Pole.LocationFailure.NOT_FOUND and pole.town == "Villeinconnue"
