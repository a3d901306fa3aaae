import pytest
from django.core.exceptions import ValidationError

from poles import geocoding, services
from poles.models import Pole, PoleCoordinator
from tests.factories import UserFactory
from tests.poles.factories import DepartmentFactory, FormerRegionFactory, PoleFactory, RegionFactory


@pytest.fixture
def lot(db):
    return DepartmentFactory(
        code="46",
        name="Lot",
        chef_lieu="Cahors",
        latitude=44.45,
        longitude=1.44,
        region=RegionFactory(code="occitanie", name="Occitanie"),
        former_region=FormerRegionFactory(code="ex-midi-pyrenees", name="Midi-Pyrénées"),
    )


pytestmark = pytest.mark.django_db


def test_street_address_is_exact(address_api):
    found = geocoding.locate(
        address="8 avenue des Thébaudières", postcode="44800", town="Saint-Herblain", departments=[]
    )
    assert (found.latitude, found.longitude, found.approximate, found.failure) == (
        47.206478,
        -1.571943,
        False,
        "",
    )
    assert "postcode" not in address_api.queries[0]


def test_the_default_address_api_is_the_geoplateforme():
    from portal import settings as portal_settings

    assert portal_settings.ADDRESS_API_URL == "https://data.geopf.fr/geocodage/search"


def test_town_only_is_approximate(address_api):
    found = geocoding.locate(address="", postcode="", town="Figeac", departments=[])
    assert (found.latitude, found.longitude, found.approximate) == (44.608611, 2.031944, True)


@pytest.mark.parametrize(
    ("town", "failure"),
    [
        ("zzzz introuvable", geocoding.NOT_FOUND),
        ("mauvaise", geocoding.NOT_FOUND),
        ("ailleurs", geocoding.NOT_FOUND),
        ("panne", geocoding.UNAVAILABLE),
        ("illisible", geocoding.UNAVAILABLE),
    ],
)
def test_a_failed_lookup_says_why_beside_the_chef_lieu(lot, address_api, town, failure):
    found = geocoding.locate(address="", postcode="", town=town, departments=[lot])
    assert (found.latitude, found.longitude, found.approximate) == (44.45, 1.44, True)
    assert found.failure == failure


def test_slow_api_times_out_quickly(lot, address_api, monkeypatch):
    monkeypatch.setattr(geocoding, "TIMEOUT_SECONDS", 0.3)
    found = geocoding.locate(address="", postcode="", town="lent", departments=[lot])
    assert found.approximate is True and found.failure == geocoding.UNAVAILABLE


def test_unreachable_api(db, settings):
    settings.ADDRESS_API_URL = "http://127.0.0.1:9/search/"  # nothing listens on port 9
    assert geocoding.geocode("Figeac") is None
    assert geocoding.lookup("Figeac").failure == geocoding.UNAVAILABLE


def test_disabled_api_uses_the_chef_lieu_without_a_failure(lot):
    found = geocoding.locate(address="", postcode="", town="Figeac", departments=[lot])
    assert (found.latitude, found.longitude, found.approximate, found.failure) == (
        44.45,
        1.44,
        True,
        "",
    )


def test_a_town_not_found_is_refused_before_anything_is_written(lot, address_api):
    user = UserFactory()
    with pytest.raises(services.AddressNotFound) as exc:
        services.pole_propose(user=user, name="Pôle perdu", town="Introuvable", departments=[lot])
    assert "« Introuvable » n'a pas été trouvée" in exc.value.message_dict["town"][0]
    assert exc.value.chef_lieu == "Cahors"
    assert not Pole.objects.filter(name="Pôle perdu").exists()
    # Accepted: placed at the chef-lieu, and the person is told.
    pole = services.pole_propose(
        user=user,
        name="Pôle perdu",
        town="Introuvable",
        departments=[lot],
        accept_approximate=True,
    )
    assert (pole.latitude, pole.longitude, pole.coordinates_approximate) == (44.45, 1.44, True)
    assert "chef-lieu de son département (Cahors)" in pole.location_notice


def test_an_unavailable_api_is_said_and_the_chef_lieu_is_a_choice(lot, address_api):
    """The address API down: nothing is written until the person accepts the chef-lieu; then
    the pole is placed there, the person is told, and staff see that the lookup failed."""
    user = UserFactory()
    with pytest.raises(services.AddressNotFound) as exc:
        services.pole_propose(user=user, name="Pôle en panne", town="panne", departments=[lot])
    assert "ne répond pas" in exc.value.message_dict["town"][0]
    assert exc.value.failure == "unavailable" and exc.value.chef_lieu == "Cahors"
    assert not Pole.objects.filter(name="Pôle en panne").exists()
    pole = services.pole_propose(
        user=user, name="Pôle en panne", town="panne", departments=[lot], accept_approximate=True
    )
    assert (pole.latitude, pole.longitude) == (44.45, 1.44)
    assert "ne répond pas" in pole.location_notice
    pole.refresh_from_db()
    assert pole.location_failure == Pole.LocationFailure.UNAVAILABLE
    # A later lookup that finds the town clears it.
    services.pole_apply_declared_details(pole=pole, town="Figeac")
    pole.refresh_from_db()
    assert (pole.location_failure, pole.latitude) == ("", 44.608611)


def test_proposed_pole_is_geocoded(lot, address_api):
    user = UserFactory()
    pole = services.pole_propose(
        user=user,
        name="Pôle des fermes",
        town="Figeac",
        departments=[lot],
    )
    pole.refresh_from_db()
    assert (pole.latitude, pole.longitude, pole.coordinates_approximate) == (
        44.608611,
        2.031944,
        True,
    )
    assert pole.region.code == "occitanie" and pole.former_region.code == "ex-midi-pyrenees"
    assert not pole.is_published
    assert PoleCoordinator.objects.get(pole=pole).status == PoleCoordinator.Status.REQUESTED


def test_coordinates_outside_france_are_refused_with_a_clear_message(db):
    pole = PoleFactory.build(latitude=40.758, longitude=-73.985, slug="ny")
    with pytest.raises(ValidationError) as exc:
        pole.full_clean(exclude=["region", "former_region"])
    assert "hors de France" in str(exc.value)
    with pytest.raises(ValidationError, match="hors de France"):
        services.check_coordinates(51.5, -0.12)  # London
    services.check_coordinates(47.22, -1.55)  # Nantes is fine
    assert Pole.objects.filter(slug="ny").count() == 0


def test_the_proposal_form_shows_a_town_not_found_and_offers_the_chef_lieu(
    lot, address_api, client
):
    user = UserFactory()
    client.force_login(user)
    data = {
        "name": "Pôle des Causses",
        "short_description": "Un pôle de test.",
        "town": "Villeinconnue",
        "maturity": "project",
        "departments": [lot.pk],
        "message": "Je le coordonne.",
    }
    response = client.post("/poles/proposer/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "« Villeinconnue » n&#x27;a pas été trouvée dans la Base Adresse Nationale" in html
    assert 'type="checkbox" name="accept_approximate"' in html
    assert "chef-lieu de son département (Cahors)" in html
    assert not Pole.objects.filter(name="Pôle des Causses").exists()

    response = client.post("/poles/proposer/", {**data, "accept_approximate": "on"}, follow=True)
    pole = Pole.objects.get(name="Pôle des Causses")
    assert (pole.latitude, pole.longitude, pole.coordinates_approximate) == (44.45, 1.44, True)
    assert "placé au chef-lieu de son département (Cahors)" in response.content.decode()

    # A town the API finds goes straight through.
    response = client.post("/poles/proposer/", {**data, "name": "Pôle de Figeac", "town": "Figeac"})
    assert response.status_code == 302
    assert Pole.objects.get(name="Pôle de Figeac").latitude == 44.608611
